// Comparing positions and ranges of the tree (the same shape as LSP's, so the
// server uses these too).

import type { Position, Range } from './ast';

/** Whether p lies in r, both ends included (a cursor right after a name is still on it). */
export function contains(r: Range, p: Position): boolean {
  if (p.line < r.start.line || p.line > r.end.line) return false;
  if (p.line === r.start.line && p.character < r.start.character) return false;
  if (p.line === r.end.line && p.character > r.end.character) return false;
  return true;
}

export function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}
