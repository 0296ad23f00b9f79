// Folding: process and `in` blocks, operations with their expect lines, and runs
// of two or more whole-line comments.

import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver';
import type { Analysis } from '../analysis';
import { guard } from '../safe';
import type { ServerContext } from '../serverContext';

export function foldingRanges(a: Analysis): FoldingRange[] {
  const out: FoldingRange[] = [];
  for (const s of a.parsed.scenario.statements) {
    const hasBody = s.kind === 'process' || s.kind === 'in' ? s.body.length > 0 : 'expects' in s ? s.expects.length > 0 : false;
    if (hasBody && s.range.end.line > s.range.start.line) out.push({ startLine: s.range.start.line, endLine: s.range.end.line });
  }
  let runStart = -1;
  const lines = a.lines;
  for (let i = 0; i <= lines.length; i++) {
    const l = lines[i];
    const commentOnly = l !== undefined && l.tokens.length === 0 && l.comment !== undefined;
    if (commentOnly) {
      if (runStart < 0) runStart = i;
    } else {
      if (runStart >= 0 && i - 1 > runStart) out.push({ startLine: runStart, endLine: i - 1, kind: FoldingRangeKind.Comment });
      runStart = -1;
    }
  }
  return out.sort((x, y) => x.startLine - y.startLine);
}

export function registerFolding(ctx: ServerContext): void {
  ctx.connection.onFoldingRanges(
    guard(ctx.log, 'foldingRange', [] as FoldingRange[], (p) => {
      const a = ctx.analysis(p.textDocument.uri);
      return a ? foldingRanges(a) : [];
    }),
  );
}
