// Go to definition, find references and document highlights: all three read the
// scenario's symbol table (declarations and references with their ranges).

import { DocumentHighlightKind, type DocumentHighlight, type Location, type Position } from 'vscode-languageserver';
import { referencesOf, symbolAt, type SymbolRef } from '../../scenario';
import type { Analysis } from '../analysis';
import { guard } from '../safe';
import type { ServerContext } from '../serverContext';

export function definition(a: Analysis, pos: Position): Location[] {
  const hit = symbolAt(a.symbols, pos);
  if (!hit?.decl) return [];
  return [{ uri: a.uri, range: hit.decl.range }];
}

/** References to an undeclared name are still linked to each other, so highlight and references work while typing. */
function unresolvedPeers(a: Analysis, ref: SymbolRef): SymbolRef[] {
  return a.symbols.refs.filter((r) => !r.decl && r.kind === ref.kind && r.name === ref.name && r.scope === ref.scope);
}

export function references(a: Analysis, pos: Position, includeDeclaration: boolean): Location[] {
  const hit = symbolAt(a.symbols, pos);
  if (!hit) return [];
  if (!hit.decl) return hit.ref ? unresolvedPeers(a, hit.ref).map((r) => ({ uri: a.uri, range: r.range })) : [];
  const refs = referencesOf(a.symbols, hit.decl).map((r) => ({ uri: a.uri, range: r.range }));
  return includeDeclaration ? [{ uri: a.uri, range: hit.decl.range }, ...refs] : refs;
}

export function highlights(a: Analysis, pos: Position): DocumentHighlight[] {
  const hit = symbolAt(a.symbols, pos);
  if (!hit) return [];
  if (!hit.decl) return hit.ref ? unresolvedPeers(a, hit.ref).map((r) => ({ range: r.range, kind: DocumentHighlightKind.Read })) : [];
  return [
    { range: hit.decl.range, kind: DocumentHighlightKind.Write },
    ...referencesOf(a.symbols, hit.decl).map((r) => ({ range: r.range, kind: DocumentHighlightKind.Read })),
  ];
}

export function registerNavigation(ctx: ServerContext): void {
  ctx.connection.onDefinition(
    guard(ctx.log, 'definition', [] as Location[], (p) => {
      const a = ctx.analysis(p.textDocument.uri);
      return a ? definition(a, p.position) : [];
    }),
  );
  ctx.connection.onReferences(
    guard(ctx.log, 'references', [] as Location[], (p) => {
      const a = ctx.analysis(p.textDocument.uri);
      return a ? references(a, p.position, p.context?.includeDeclaration ?? true) : [];
    }),
  );
  ctx.connection.onDocumentHighlight(
    guard(ctx.log, 'documentHighlight', [] as DocumentHighlight[], (p) => {
      const a = ctx.analysis(p.textDocument.uri);
      return a ? highlights(a, p.position) : [];
    }),
  );
}
