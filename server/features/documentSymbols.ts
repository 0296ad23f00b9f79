// The outline: the header, nodes, processes with their mappings, folios,
// injected faults, and operations with their expectations.

import { SymbolKind, type CancellationToken, type DocumentSymbol, type Range } from 'vscode-languageserver';
import type * as A from '../../scenario';
import type { Analysis } from '../analysis';
import { checkCancelled, guard, inChunksCancellable } from '../safe';
import type { ServerContext } from '../serverContext';

/** The source text of a range on one line, squeezed: the outline's detail column (raw lines: lexing them all cost most of a 10 MB outline). */
function textOf(a: Analysis, r: Range): string {
  const line = a.lineTexts[r.start.line] ?? '';
  const end = r.end.line === r.start.line ? r.end.character : line.length;
  return line.slice(r.start.character, end).replace(/\s+/g, ' ').trim();
}

function sym(name: string, kind: SymbolKind, range: Range, selectionRange: Range, detail?: string, children?: DocumentSymbol[]): DocumentSymbol {
  const s: DocumentSymbol = { name: name || '?', kind, range, selectionRange };
  if (detail) s.detail = detail;
  if (children && children.length) s.children = children;
  return s;
}

function mappingSymbols(a: Analysis, body: A.UserStmt[]): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  for (const u of body) {
    if (u.kind === 'mmap' && u.name) out.push(sym(u.name.text, SymbolKind.Variable, u.range, u.name.range, textOf(a, u.range).replace(/^mmap\s+\S+\s*/, '')));
    if (u.kind === 'mremap' && u.newName) out.push(sym(u.newName.text, SymbolKind.Variable, u.range, u.newName.range, textOf(a, u.range)));
  }
  return out;
}

const OPERATION_NAME: Record<A.Operation['kind'], string> = {
  migrate_pages_syscall: 'migrate_pages(2)',
  migrate_pages_internal: 'migrate_pages()',
  move_pages: 'move_pages(2)',
  mbind: 'mbind(2)',
  pin: 'pin',
  migrate_vma: 'migrate_vma',
  numa_fault: 'numa_fault',
};

export function documentSymbols(a: Analysis): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  const stmts = a.parsed.scenario.statements;
  outline(a, stmts, 0, stmts.length, out);
  return out;
}

/** Statements per step of documentSymbolsAsync: a few milliseconds of work. */
const CHUNK_STATEMENTS = 5000;

/**
 * The outline in steps that yield to the event loop (the stepped parse, then every
 * CHUNK_STATEMENTS statements), so that a cancelled request on a huge document stops within a step.
 */
export async function documentSymbolsAsync(a: Analysis, token: CancellationToken): Promise<DocumentSymbol[]> {
  const parsed = await a.parsedAsync(() => token.isCancellationRequested);
  checkCancelled(token);
  if (!parsed) {
    a.assertCurrent();
    return [];
  }
  const stmts = parsed.scenario.statements;
  const out: DocumentSymbol[] = [];
  await inChunksCancellable(stmts.length, CHUNK_STATEMENTS, token, (from, to) => {
    a.assertCurrent(); // the document may have changed during the pause
    outline(a, stmts, from, to, out);
  });
  return out;
}

function outline(a: Analysis, stmts: readonly A.Statement[], from: number, to: number, out: DocumentSymbol[]): void {
  for (let i = from; i < to; i++) {
    const s = stmts[i];
    switch (s.kind) {
      case 'scenario':
        out.push(sym(s.title ?? 'scenario', SymbolKind.File, s.range, s.titleRange ?? s.range, 'scenario'));
        break;
      case 'kernel':
        out.push(sym(`kernel ${s.profile?.text ?? ''}`.trim(), SymbolKind.Constant, s.range, s.profile?.range ?? s.range));
        break;
      case 'defaults':
        out.push(sym(`${s.key.text} ${s.value?.text ?? ''}`.trim(), SymbolKind.Constant, s.range, s.range));
        break;
      case 'config':
        out.push(sym(`config ${s.option?.text ?? ''} ${s.value?.text ?? ''}`.trim(), SymbolKind.Constant, s.range, s.option?.range ?? s.range));
        break;
      case 'node':
        out.push(sym(`node ${s.id?.text ?? '?'}`, SymbolKind.Struct, s.range, s.id?.range ?? s.range, textOf(a, s.range).replace(/^node\s+\S+\s*/, '')));
        break;
      case 'process':
        out.push(sym(s.name?.text ?? 'process', SymbolKind.Class, s.range, s.name?.range ?? s.range, textOf(a, s.range).replace(/^process\s+\S+\s*/, '') || 'process', mappingSymbols(a, s.body)));
        break;
      case 'in':
        out.push(sym(`in ${s.process?.text ?? '?'}`, SymbolKind.Namespace, s.range, s.process?.range ?? s.range, undefined, mappingSymbols(a, s.body)));
        break;
      case 'folio':
        out.push(sym(s.name?.text ?? 'folio', SymbolKind.Object, s.range, s.name?.range ?? s.range, textOf(a, s.range).replace(/^folio\s+\S+\s*/, '')));
        break;
      case 'inject':
        out.push(sym(textOf(a, s.range), SymbolKind.Event, s.range, s.range));
        break;
      case 'error':
        break;
      default: {
        const expects = s.expects
          .filter((e) => e.kind !== 'error')
          .map((e) => sym(textOf(a, e.range).replace(/^expect\s+/, ''), SymbolKind.Property, e.range, e.range));
        out.push(sym(OPERATION_NAME[s.kind], SymbolKind.Function, s.range, s.headRange, textOf(a, s.headRange).replace(/^\S+\s*/, ''), expects));
      }
    }
  }
}

export function registerDocumentSymbols(ctx: ServerContext): void {
  ctx.connection.onDocumentSymbol(
    guard(ctx.log, 'documentSymbol', [] as DocumentSymbol[], async (p, token) => {
      const a = ctx.analysis(p.textDocument.uri);
      return a ? await documentSymbolsAsync(a, token) : [];
    }),
  );
}
