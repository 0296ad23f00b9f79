// Quick fixes from diagnostics. The checker and parser put the fix in
// `data.suggestion` (the right spelling of a flag, errno or keyword, an aligned
// size, the missing `kernel` line); this module turns it into an edit.

import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic, type TextEdit } from 'vscode-languageserver';
import { sameRange } from '../../scenario';
import type { Analysis } from '../analysis';
import { guard } from '../safe';
import type { ServerContext } from '../serverContext';
import { computeDiagnostics } from './diagnostics';

function overlaps(d: Diagnostic, p: CodeActionParams): boolean {
  const r = p.range;
  const before = d.range.end.line < r.start.line || (d.range.end.line === r.start.line && d.range.end.character < r.start.character);
  const after = d.range.start.line > r.end.line || (d.range.start.line === r.end.line && d.range.start.character > r.end.character);
  return !before && !after;
}

/** Codes whose suggestion is a missing piece to append to the statement, not a replacement of the range. */
const APPEND_CODES = new Set(['missing-memory', 'missing-argument']);

/** The edit a diagnostic's suggestion stands for. */
function editFor(a: Analysis, d: Diagnostic, suggestion: string): { title: string; edit: TextEdit } {
  const data = (d.data ?? {}) as { line?: unknown };
  const lines = a.lines;
  if (d.code === 'missing-kernel') {
    // A whole line to add: the checker says where (after the `scenario` title, or first).
    const line = typeof data.line === 'number' ? data.line : d.range.start.line;
    if (line >= lines.length) {
      const last = lines.length - 1;
      const end = { line: last, character: lines[last]?.text.length ?? 0 };
      return { title: `Add \`${suggestion}\``, edit: { range: { start: end, end }, newText: `\n${suggestion}` } };
    }
    const at = { line, character: 0 };
    return { title: `Add \`${suggestion}\``, edit: { range: { start: at, end: at }, newText: `${suggestion}\n` } };
  }
  if (typeof d.code === 'string' && APPEND_CODES.has(d.code)) {
    // After the last token of the statement's line, before any comment.
    const l = lines[d.range.start.line];
    const lastTok = l?.tokens[l.tokens.length - 1];
    const at = { line: d.range.start.line, character: lastTok ? lastTok.end : d.range.end.character };
    return { title: `Add '${suggestion}'`, edit: { range: { start: at, end: at }, newText: ` ${suggestion}` } };
  }
  const line = lines[d.range.start.line]?.text ?? '';
  const old = line.slice(d.range.start.character, d.range.start.line === d.range.end.line ? d.range.end.character : undefined);
  return { title: old ? `Change '${old}' to '${suggestion}'` : `Insert '${suggestion}'`, edit: { range: d.range, newText: suggestion } };
}

export function codeActions(a: Analysis, p: CodeActionParams): CodeAction[] {
  // Prefer our own diagnostics of the latest text (they carry `data` even when the client drops it),
  // and keep the client's copy as the one the action says it fixes.
  const ours = computeDiagnostics(a).filter((d) => overlaps(d, p));
  const out: CodeAction[] = [];
  const done = new Set<string>();
  for (const d of ours) {
    const suggestion = (d.data as { suggestion?: unknown } | undefined)?.suggestion;
    if (typeof suggestion !== 'string' || !suggestion) continue;
    const key = `${d.range.start.line}:${d.range.start.character}:${d.code}:${suggestion}`;
    if (done.has(key)) continue;
    done.add(key);
    const { title, edit } = editFor(a, d, suggestion);
    const theirs = p.context.diagnostics.find((c) => c.code === d.code && sameRange(c.range, d.range));
    out.push({
      title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [theirs ?? d],
      isPreferred: true,
      edit: { changes: { [a.uri]: [edit] } },
    });
  }
  return out;
}

export function registerCodeActions(ctx: ServerContext): void {
  ctx.connection.onCodeAction(
    guard(ctx.log, 'codeAction', [] as CodeAction[], (p) => {
      if (p.context.only && !p.context.only.some((k) => k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${k}.`) || k === CodeActionKind.Empty)) return [];
      const a = ctx.analysis(p.textDocument.uri);
      return a ? codeActions(a, p) : [];
    }),
  );
}
