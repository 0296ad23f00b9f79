// Whole-document formatting through the scenario layer's format(): one edit
// replacing the text when it changes anything, none when it is already formatted.

import type { TextEdit } from 'vscode-languageserver';
import { format } from '../../scenario';
import type { Analysis } from '../analysis';
import { guard } from '../safe';
import type { ServerContext } from '../serverContext';

export function formatting(a: Analysis): TextEdit[] {
  const formatted = format(a.text);
  if (formatted === a.text) return [];
  const lines = a.lines;
  const lastLine = lines.length - 1;
  const end = { line: lastLine, character: lines[lastLine]?.text.length ?? 0 };
  return [{ range: { start: { line: 0, character: 0 }, end }, newText: formatted }];
}

export function registerFormatting(ctx: ServerContext): void {
  ctx.connection.onDocumentFormatting(
    guard(ctx.log, 'formatting', [] as TextEdit[], (p) => {
      const a = ctx.analysis(p.textDocument.uri);
      return a ? formatting(a) : [];
    }),
  );
}
