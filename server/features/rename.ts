// Rename of declared names (processes, mappings, folios). prepareRename refuses
// everything else (keywords, flags, numbers) with a message saying why.

import { ResponseError, ErrorCodes, type Position, type PrepareRenameParams, type Range, type RenameParams, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import { lookup, referencesOf, symbolAt, vocab as V } from '../../scenario';
import type { Analysis } from '../analysis';
import { guard } from '../safe';
import type { ServerContext } from '../serverContext';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Every word of the fixed vocabularies: a name spelt like one would be read as the keyword. */
const RESERVED: ReadonlySet<string> = new Set(
  Object.values(V).flatMap((v) => (Array.isArray(v) ? (v as unknown[]).filter((x): x is string => typeof x === 'string') : [])),
);

function wordAt(a: Analysis, pos: Position): string | undefined {
  const line = a.line(pos.line);
  const t = line?.tokens.find((t) => t.start <= pos.character && pos.character <= t.end && t.kind === 'word');
  return t?.text;
}

export type PrepareResult = { range: Range; placeholder: string } | ResponseError<void>;

export function prepareRename(a: Analysis, pos: Position): PrepareResult {
  const hit = symbolAt(a.symbols, pos);
  if (!hit) {
    const w = wordAt(a, pos);
    const why = w && RESERVED.has(w) ? `'${w}' is part of the scenario language, not a name declared in this file` : 'only names declared in this scenario (processes, mappings, folios) can be renamed';
    return new ResponseError(ErrorCodes.InvalidRequest, `Cannot rename here: ${why}.`);
  }
  if (!hit.decl) return new ResponseError(ErrorCodes.InvalidRequest, `Cannot rename '${hit.ref?.name}': it is not declared in this scenario.`);
  if (hit.decl.kind === 'node') return new ResponseError(ErrorCodes.InvalidRequest, 'Node ids are numbers the kernel uses; renumber them by editing the `node` lines.');
  return { range: hit.range, placeholder: hit.decl.name };
}

export function rename(a: Analysis, pos: Position, newName: string): WorkspaceEdit | ResponseError<void> {
  const prep = prepareRename(a, pos);
  if (prep instanceof ResponseError) return prep;
  const hit = symbolAt(a.symbols, pos)!;
  const decl = hit.decl!;
  if (!IDENT.test(newName)) return new ResponseError(ErrorCodes.InvalidParams, `'${newName}' is not a name: use letters, digits and _ (not starting with a digit).`);
  if (RESERVED.has(newName)) return new ResponseError(ErrorCodes.InvalidParams, `'${newName}' is a word of the scenario language; choose another name.`);
  if (newName !== decl.name && lookup(a.symbols, decl.kind, newName, decl.scope)) {
    return new ResponseError(ErrorCodes.InvalidParams, `A ${decl.kind} named '${newName}' already exists${decl.scope ? ` in process ${decl.scope}` : ''}.`);
  }
  const edits: TextEdit[] = [decl.range, ...referencesOf(a.symbols, decl).map((r) => r.range)].map((range) => ({ range, newText: newName }));
  return { changes: { [a.uri]: edits } };
}

export function registerRename(ctx: ServerContext): void {
  ctx.connection.onPrepareRename(
    guard<PrepareRenameParams, PrepareResult | null>(ctx.log, 'prepareRename', null, (p) => {
      const a = ctx.analysis(p.textDocument.uri);
      return a ? prepareRename(a, p.position) : null;
    }) as never,
  );
  ctx.connection.onRenameRequest(
    guard<RenameParams, WorkspaceEdit | ResponseError<void> | null>(ctx.log, 'rename', null, (p) => {
      const a = ctx.analysis(p.textDocument.uri);
      return a ? rename(a, p.position, p.newName) : null;
    }) as never,
  );
}
