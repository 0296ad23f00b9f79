// Incremental parsing. The language is line-oriented and the parser carries only
// the open block from line to line, which every unindented statement line (other
// than a stray `expect`) resets. So a document splits into segments, each starting
// at such a line, that parse independently; a new version re-parses only the
// segments whose text changed or that moved, and reuses the rest as they are (the
// same objects: the symbol table and the checker reuse their results by identity).
// The lines before the first changed line and after the last one are found by one
// comparison, so no segment's text is built or hashed. A segment that moved (lines
// inserted or deleted above it) is parsed again rather than copied with its lines
// renumbered: the copy cost as much as the parse, and it broke the sharing of
// ranges that the symbol table relies on.

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
  // Lines [0, same) are unchanged, and so are the last `sameEnd` lines (moved, if lines were added or removed).
  const max = Math.min(lines.length, old.length);
  let same = 0;
  while (same < max && lines[same] === old[same]) same++;
  let sameEnd = 0;
  while (sameEnd < max - same && lines[lines.length - 1 - sameEnd] === old[old.length - 1 - sameEnd]) sameEnd++;
  const sameFromEnd = lines.length - sameEnd;
  const oldSegs = prev?.segments ?? [];
  let next = 0;
  /** the previous segment that began at line `first` and spanned `count` lines, if any (calls come in line order) */
  const oldAt = (first: number, count: number): Segment | undefined => {
    while (next < oldSegs.length && oldSegs[next].firstLine < first) next++;
    const seg = oldSegs[next];
    return seg && seg.firstLine === first && seg.lineCount === count ? seg : undefined;
  };
  const sameLines = (from: number, to: number): boolean => {
    for (let k = from; k < to; k++) if (lines[k] !== old[k]) return false;
    return true;
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
    // The same lines at the same place: the previous parse holds. Before the edit that is known
    // from the prefix comparison, after it (when no line was added or removed) from the suffix one;
    // between, the lines are compared. A segment that moved is parsed again: a copy with its
    // lines renumbered cost as much as the parse (measured), and a parse shares what a parse shares.
    const known = end <= same || (lines.length === old.length && start >= sameFromEnd);
    const cand = known || lines.length === old.length ? oldAt(start, count) : undefined;
    const reuse = cand && (known || sameLines(start, end)) ? cand : undefined;
    let seg: Segment;
    if (reuse) seg = reuse;
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
