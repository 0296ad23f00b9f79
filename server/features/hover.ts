// Hover: for a declared name, what it is and its declaration line; for a word of
// the language, its DOCS entries (what the kernel does, and how versions differ).

import type { Hover, Position } from 'vscode-languageserver';
import { symbolAt, type DocCategory, type SymbolDecl } from '../../scenario';
import type { Analysis } from '../analysis';
import { allDocs, entryMarkdown } from '../docText';
import { guard } from '../safe';
import type { ServerContext } from '../serverContext';

const WHAT: Record<SymbolDecl['kind'], string> = { process: 'process', mapping: 'mapping', folio: 'folio', node: 'NUMA node' };

function declarationHover(a: Analysis, decl: SymbolDecl): string {
  const line = decl.stmt.range.start.line;
  const text = (a.line(line)?.text ?? '').trim();
  const owner = decl.kind === 'mapping' && decl.scope ? ` of process \`${decl.scope}\`` : '';
  const model = decl.kind === 'folio' ? ' (model-only: built directly, not by a user program)' : '';
  return `**${WHAT[decl.kind]}** \`${decl.name}\`${owner}${model}\n\nDeclared on line ${line + 1}:\n\n\`\`\`migscenario\n${text}\n\`\`\``;
}

/** Which documentation a word most likely means here: after `event` an errno is an event, after `return -` an errno. */
function preferredCategory(previous: string | undefined): DocCategory | undefined {
  if (previous === 'event') return 'event';
  if (previous === 'mode') return 'migrate-mode';
  if (previous === 'on') return 'place';
  if (previous === 'vmstat') return 'vmstat';
  if (previous === 'stats') return 'stats';
  return undefined;
}

export function hover(a: Analysis, pos: Position): Hover | null {
  const hit = symbolAt(a.symbols, pos);
  if (hit?.decl && hit.decl.kind !== 'node') return { contents: { kind: 'markdown', value: declarationHover(a, hit.decl) }, range: hit.range };
  const l = a.line(pos.line);
  if (!l) return null;
  const toks = l.tokens;
  const i = toks.findIndex((t) => t.start <= pos.character && pos.character <= t.end && (t.kind === 'word' || t.kind === 'number'));
  if (i < 0) return null;
  // `kernel 6.3-rc1`: the profile is several tokens.
  if (toks[0].text === 'kernel' && i > 0) {
    const name = l.text.slice(toks[1].start, toks[toks.length - 1].end);
    const docs = allDocs(name, 'profile');
    if (!docs.length) return null;
    return { contents: { kind: 'markdown', value: docs.map(entryMarkdown).join('\n\n---\n\n') }, range: { start: { line: pos.line, character: toks[1].start }, end: { line: pos.line, character: toks[toks.length - 1].end } } };
  }
  const t = toks[i];
  if (t.kind !== 'word') return hit?.decl ? { contents: { kind: 'markdown', value: declarationHover(a, hit.decl) }, range: hit.range } : null;
  const docs = allDocs(t.text, preferredCategory(toks[i - 1]?.text === '-' ? toks[i - 2]?.text : toks[i - 1]?.text));
  if (!docs.length) return null;
  return {
    contents: { kind: 'markdown', value: docs.map(entryMarkdown).join('\n\n---\n\n') },
    range: { start: { line: pos.line, character: t.start }, end: { line: pos.line, character: t.end } },
  };
}

export function registerHover(ctx: ServerContext): void {
  ctx.connection.onHover(
    guard(ctx.log, 'hover', null as Hover | null, (p) => {
      const a = ctx.analysis(p.textDocument.uri);
      return a ? hover(a, p.position) : null;
    }),
  );
}
