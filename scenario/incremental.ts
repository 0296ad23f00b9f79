// Incremental parsing. The language is line-oriented and the parser carries only
// the open block from line to line, which every unindented statement line (other
// than a stray `expect`) resets. So a document splits into segments, each starting
// at such a line, that parse independently; a new version re-parses only the
// segments whose text changed, and reuses the rest (the same objects: the symbol
// table and the checker reuse their results by identity). The lines before the
// first changed line and after the last one are found by one comparison, so no
// segment's text is built or hashed. A segment that moved (lines inserted or
// deleted above it) keeps its tree too, with its line numbers moved in place:
// every position of a segment's tree is gathered while it is parsed, so the move
// is one addition per position (a copy of the tree cost as much as a parse, and a
// parse of every segment below an Enter was most of its cost).
//
// Moving in place means a tree is current only until the next parse that reuses
// it completes: the caller keeps the newest parse and drops the older ones
// (server/analysis.ts never completes a parse for a version that was replaced).
// The moves are made in the last step, all at once, so that while a parse in
// steps is paused the previous tree still reads as it did.

import type * as A from './ast';
import { collectPositions, splitLines } from './lexer';
import { parseLines, type ParseResult } from './parser';
import { runSteps, type Steps } from './steps';

/** A segment's parse, shared by every version that reuses it, and where its positions are now. */
interface SegmentTree {
  result: ParseResult;
  /** every position in result (each once, however many nodes share it) */
  positions: A.Position[];
  /** the line its first line is at now (positions are moved in place when the segment moves) */
  at: number;
}

interface Segment {
  /** first line of the segment in the document it was parsed in */
  firstLine: number;
  /** how many lines it spans */
  lineCount: number;
  tree: SegmentTree;
}

function parseSegment(lines: readonly string[], start: number, end: number): SegmentTree {
  const { value, positions } = collectPositions(() => parseLines(lines, start, end));
  return { result: value, positions, at: start };
}

/** Puts a reused segment's tree at line `to`. */
function moveTree(tree: SegmentTree, to: number): void {
  const d = to - tree.at;
  if (d === 0) return;
  const ps = tree.positions;
  for (let i = 0; i < ps.length; i++) ps[i].line += d;
  tree.at = to;
}

/** What a previous parse leaves for the next: its lines and its segments, in order. */
export interface IncrementalParse extends ParseResult {
  readonly lines: readonly string[];
  readonly segments: readonly Segment[];
  /** lines re-parsed by this call (the rest were reused): for benchmarks and tests */
  readonly reparsedLines: number;
  /** lines of reused segments that moved (their positions renumbered in place) */
  readonly movedLines: number;
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
  // Lines [0, same) are unchanged, and so are the last `sameEnd` lines (moved by `delta`, if lines were added or removed).
  const max = Math.min(lines.length, old.length);
  let same = 0;
  while (same < max && lines[same] === old[same]) same++;
  let sameEnd = 0;
  while (sameEnd < max - same && lines[lines.length - 1 - sameEnd] === old[old.length - 1 - sameEnd]) sameEnd++;
  const sameFromEnd = lines.length - sameEnd;
  const delta = lines.length - old.length;
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
  const segments: Segment[] = [];
  let reparsedLines = 0;
  let movedLines = 0;
  let start = 0;
  while (start < lines.length) {
    let end = start + 1;
    while (end < lines.length && !startsSegment(lines[end])) end++;
    const count = end - start;
    // The same lines as before: the previous parse holds. Before the edit that is known from the
    // prefix comparison, after it from the suffix one (the segment may have moved by `delta`
    // lines); between, when no line was added or removed, the lines are compared.
    let reuse: Segment | undefined;
    if (end <= same) reuse = oldAt(start, count);
    else if (start >= sameFromEnd) reuse = oldAt(start - delta, count);
    else if (delta === 0) {
      const cand = oldAt(start, count);
      if (cand && sameLines(start, end)) reuse = cand;
    }
    let seg: Segment;
    if (!reuse) {
      seg = { firstLine: start, lineCount: count, tree: parseSegment(lines, start, end) };
      reparsedLines += count;
    } else if (reuse.firstLine === start && reuse.tree.at === start) seg = reuse;
    else {
      seg = { firstLine: start, lineCount: count, tree: reuse.tree };
      if (reuse.tree.at !== start) movedLines += count;
    }
    segments.push(seg);
    sinceYield += count;
    start = end;
    if (sinceYield >= chunkLines && start < lines.length) {
      sinceYield = 0;
      yield;
    }
  }
  // The last step, in one go: move the reused trees to their new lines, then gather the document's lists.
  const statements: A.Statement[] = [];
  const comments: A.Range[] = [];
  const diagnostics: A.Diagnostic[] = [];
  for (const seg of segments) {
    moveTree(seg.tree, seg.firstLine);
    const r = seg.tree.result;
    for (const s of r.scenario.statements) statements.push(s);
    for (const c of r.scenario.comments) comments.push(c);
    for (const d of r.diagnostics) diagnostics.push(d);
  }
  return { scenario: { statements, comments }, diagnostics, lines, segments, reparsedLines, movedLines };
}
