// Incremental parsing. The language is line-oriented and the parser carries only
// the open block from line to line, which every unindented statement line (other
// than a stray `expect`) resets. So a document splits into segments, each starting
// at such a line, that parse independently; a new version re-parses only the
// segments whose text changed and reuses the rest. The lines before the first
// changed line and after the last one are compared once, so the segments there
// are reused without building their text; only the segments in between are
// looked up by text (a block moved within the edit is found there). A reused
// segment that moved (lines inserted or deleted above it) is copied with its line
// numbers shifted: cheaper than parsing, and the previous version's tree stays
// untouched because other readers may still hold it.

import type * as A from './ast';
import { splitLines } from './lexer';
import { parseLines, type ParseResult } from './parser';
import { runSteps, type Steps } from './steps';

interface Segment {
  /** first line of the segment in the document it was parsed in */
  firstLine: number;
  /** how many lines it spans */
  lineCount: number;
  result: ParseResult;
}

/** What a previous parse leaves for the next: its lines and its segments, in order. */
export interface IncrementalParse extends ParseResult {
  readonly lines: readonly string[];
  readonly segments: readonly Segment[];
  /** lines re-parsed by this call (the rest were reused): for benchmarks and tests */
  readonly reparsedLines: number;
}

/** A line that starts a segment: unindented, not blank, not a comment, not `expect` (which joins the operation above). */
function startsSegment(line: string): boolean {
  if (line.length === 0) return false;
  const c = line.charCodeAt(0);
  // The lexer's spaces (space, tab, VT, FF) and '#'.
  if (c === 32 || c === 9 || c === 11 || c === 12 || c === 35) return false;
  // Conservative: any line beginning with the letters `expect` stays with the segment above.
  return !line.startsWith('expect');
}

/** Copies a parsed subtree with every line number moved by delta (ranges are {line, character}). */
function shifted<T>(v: T, delta: number): T {
  if (Array.isArray(v)) return v.map((x: unknown) => shifted(x, delta)) as T;
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    out[k] = k === 'line' && typeof x === 'number' ? x + delta : shifted(x, delta);
  }
  return out as T;
}

/**
 * Parse text, reusing the segments of a previous parse whose text is unchanged.
 * The tree and diagnostics equal parse(text)'s exactly (a property test checks it).
 */
export function parseIncremental(prev: IncrementalParse | undefined, text: string): IncrementalParse {
  return runSteps(parseIncrementalSteps(prev, text, Number.MAX_SAFE_INTEGER));
}

/**
 * The same parse in steps: the generator pauses after roughly every `chunkLines` lines, so a
 * caller can yield to the event loop between steps (to see cancellations and newer edits) and
 * drop the generator to stop.
 */
export function* parseIncrementalSteps(prev: IncrementalParse | undefined, text: string, chunkLines = 5000): Steps<IncrementalParse> {
  const lines = splitLines(text);
  const old = prev?.lines ?? [];
  // Lines [0, same) are unchanged, and so are the last `sameEnd` lines (shifted by delta).
  const max = Math.min(lines.length, old.length);
  let same = 0;
  while (same < max && lines[same] === old[same]) same++;
  let sameEnd = 0;
  while (sameEnd < max - same && lines[lines.length - 1 - sameEnd] === old[old.length - 1 - sameEnd]) sameEnd++;
  const delta = lines.length - old.length;
  const oldSegs = prev?.segments ?? [];
  /** the previous segments by first line, and by text for those between the unchanged ends (built on first need) */
  let next = 0;
  let middle: Map<string, Segment> | undefined;
  const middleByText = (): Map<string, Segment> => {
    if (middle) return middle;
    middle = new Map();
    for (const seg of oldSegs) {
      if (seg.firstLine + seg.lineCount <= same || seg.firstLine >= old.length - sameEnd) continue;
      const key = old.slice(seg.firstLine, seg.firstLine + seg.lineCount).join('\n');
      if (!middle.has(key)) middle.set(key, seg);
    }
    return middle;
  };
  /** the previous segment that began at line `first` and spanned `count` lines, if any */
  const oldAt = (first: number, count: number): Segment | undefined => {
    while (next < oldSegs.length && oldSegs[next].firstLine < first) next++;
    const seg = oldSegs[next];
    return seg && seg.firstLine === first && seg.lineCount === count ? seg : undefined;
  };
  let sinceYield = 0;
  const statements: A.Statement[] = [];
  const comments: A.Range[] = [];
  const diagnostics: A.Diagnostic[] = [];
  const segments: Segment[] = [];
  let reparsedLines = 0;
  let start = 0;
  while (start < lines.length) {
    let end = start + 1;
    while (end < lines.length && !startsSegment(lines[end])) end++;
    const count = end - start;
    // Same lines at the same place, or the same lines moved by delta: the previous parse holds, as is or shifted.
    let reuse = end <= same ? oldAt(start, count) : start >= lines.length - sameEnd ? oldAt(start - delta, count) : undefined;
    if (!reuse && end > same && start < lines.length - sameEnd) {
      const seg = middleByText().get(lines.slice(start, end).join('\n'));
      if (seg && seg.lineCount === count) reuse = seg;
    }
    let seg: Segment;
    if (reuse && reuse.firstLine === start) seg = reuse;
    else if (reuse) seg = { firstLine: start, lineCount: count, result: shifted(reuse.result, start - reuse.firstLine) };
    else {
      seg = { firstLine: start, lineCount: count, result: parseLines(lines, start, end) };
      reparsedLines += count;
    }
    segments.push(seg);
    for (const s of seg.result.scenario.statements) statements.push(s);
    for (const c of seg.result.scenario.comments) comments.push(c);
    for (const d of seg.result.diagnostics) diagnostics.push(d);
    sinceYield += end - start;
    start = end;
    if (sinceYield >= chunkLines && start < lines.length) {
      sinceYield = 0;
      yield;
    }
  }
  return { scenario: { statements, comments }, diagnostics, lines, segments, reparsedLines };
}
