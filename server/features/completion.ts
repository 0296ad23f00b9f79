// Context-aware completion: only what may follow at the cursor (see context.ts),
// with each word's documentation, names from the document in scope, and
// statement templates that already use the document's own names.

import {
  CompletionItemKind,
  InsertTextFormat,
  type CompletionItem,
  type CompletionList,
  type Position,
  type Range,
} from 'vscode-languageserver';
import { namesOf, vocab as V, PROFILES, type DocCategory, type SymbolTable } from '../../scenario';
import type { Analysis } from '../analysis';
import { completionContext, type Block, type Slot } from '../context';
import { docDetail, docMarkdown } from '../docText';
import { guard } from '../safe';
import type { ServerContext } from '../serverContext';
import { classifyWord } from './semanticTokens';

const KIND_OF_TYPE: Record<string, CompletionItemKind> = {
  flag: CompletionItemKind.EnumMember,
  policy: CompletionItemKind.EnumMember,
  migrateMode: CompletionItemKind.EnumMember,
  migrateReason: CompletionItemKind.EnumMember,
  errno: CompletionItemKind.EnumMember,
  event: CompletionItemKind.Event,
  counter: CompletionItemKind.Field,
  keyword: CompletionItemKind.Keyword,
};

const CATEGORY_OF_TYPE: Record<string, DocCategory> = {
  flag: 'mpol-flag',
  policy: 'mpol-mode',
  migrateMode: 'migrate-mode',
  migrateReason: 'reason',
  errno: 'errno',
  event: 'event',
};

function wordItem(word: string, range: Range, sortPrefix: string, category?: DocCategory): CompletionItem {
  const lookup = word.replace(/^-/, '');
  const type = category === 'event' ? 'event' : (classifyWord(lookup, undefined) ?? (V.isIn(V.EVENTS, lookup) ? 'event' : 'keyword'));
  const docCategory = category ?? CATEGORY_OF_TYPE[type];
  const item: CompletionItem = {
    label: word,
    kind: /^-?\d+$/.test(word) ? CompletionItemKind.Value : (KIND_OF_TYPE[type] ?? CompletionItemKind.Keyword),
    textEdit: { range, newText: word },
    sortText: sortPrefix + word,
  };
  const detail = docDetail(lookup, docCategory);
  if (detail) item.detail = detail;
  const md = docMarkdown(lookup, docCategory);
  if (md) item.documentation = { kind: 'markdown', value: md };
  return item;
}

function nameItems(t: SymbolTable, slot: Slot & { names: string }, process: string | undefined, range: Range): CompletionItem[] {
  const make = (label: string, kind: CompletionItemKind, detail: string): CompletionItem => ({ label, kind, detail, textEdit: { range, newText: label }, sortText: `0${label}` });
  switch (slot.names) {
    case 'process':
      return namesOf(t, 'process').map((n) => make(n, CompletionItemKind.Class, 'process'));
    case 'mapping':
      return namesOf(t, 'mapping', process).map((n) => make(n, CompletionItemKind.Variable, process ? `mapping of ${process}` : 'mapping'));
    case 'folio':
      return namesOf(t, 'folio').map((n) => make(n, CompletionItemKind.Variable, 'folio'));
    case 'node':
      return namesOf(t, 'node').map((n) => make(n, CompletionItemKind.Value, 'NUMA node'));
    case 'profile':
      return PROFILES.map((p) => ({ ...make(p.name, CompletionItemKind.EnumMember, 'kernel profile'), documentation: p.description }));
    default:
      return [];
  }
}

/** Whole-statement templates, filled with the document's first process and its first mapping. */
function templates(t: SymbolTable, block: Block, process: string | undefined, range: Range): CompletionItem[] {
  const procs = namesOf(t, 'process');
  const p = process ?? procs[0] ?? 'app';
  const m = namesOf(t, 'mapping', p)[0] ?? 'heap';
  const folios = namesOf(t, 'folio');
  const shapes: [string, string, string][] =
    block === 'top'
      ? [
          ['mbind … MPOL_MF_MOVE|MPOL_MF_STRICT', `mbind \${1:${p}} \${2:${m}}[0..\${3:2M}] \${4|${V.MPOL_MODES.join(',')}|} nodes \${5:1} flags MPOL_MF_MOVE|MPOL_MF_STRICT\n  expect return \${6:0}`, 'mbind(2) moving the pages of a range'],
          ['move_pages … (query)', `move_pages \${1:${p}} pages \${2:${m}}[0], \${2:${m}}[4K]\n  expect status [\${3:0}, \${4:0}]`, 'move_pages(2) without nodes: where is each page?'],
          ['move_pages … nodes … (move)', `move_pages \${1:${p}} pages \${2:${m}}[0] nodes \${3:1} flags MPOL_MF_MOVE\n  expect status [\${3:1}]`, 'move_pages(2) moving pages'],
          ['migrate_pages … from … to …', `migrate_pages \${1:${p}} from \${2:0} to \${3:1}\n  expect return \${4:0}`, 'migrate_pages(2) of a whole process'],
          ['migrate_pages [folios] to node …', `migrate_pages [\${1:${folios.join(', ') || 'A'}}] to node \${2:1} mode \${3|${V.MIGRATE_MODES.join(',')}|} reason \${4|${V.MIGRATE_REASONS.join(',')}|}\n  expect return \${5:0}`, 'the internal migrate_pages() on a folio list (model-only)'],
          ['pin … longterm', `pin \${1:${p}} \${2:${m}}[0..\${3:8K}] longterm\n  expect return \${4:0}`, 'a FOLL_LONGTERM pin (io_uring fixed buffers)'],
          ['migrate_vma …', `migrate_vma \${1:${p}} \${2:${m}}[0..\${3:64K}] select \${4|${V.VMA_SELECT.join(',')}|}`, 'migrate_vma_setup/pages/finalize over a range'],
          ['process … with mmap and touch', `process \${1:app}\n  mmap \${2:heap} \${3|${V.BACKINGS.join(',')}|} \${4|${V.SHARINGS.join(',')}|} \${5:2M}\n  touch \${2:heap} write on node \${6:0}`, 'a process with a mapping faulted in on a node'],
        ]
      : block === 'user'
        ? [
            ['mmap … anon private', `mmap \${1:heap} \${2|${V.BACKINGS.join(',')}|} \${3|${V.SHARINGS.join(',')}|} \${4:2M}`, 'map memory'],
            ['touch … write on node', `touch \${1:${m}} \${2|write,read|} on node \${3:0}`, 'fault pages in'],
          ]
        : [];
  return shapes.map(([label, body, detail]) => ({
    label,
    kind: CompletionItemKind.Snippet,
    detail,
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: { range, newText: body },
    sortText: `9${label}`,
    filterText: label.split(' ')[0],
  }));
}

/**
 * Completion at a position. The context comes from the cursor's line and its block only; names come
 * from the newest symbol table already built (possibly an earlier version's, named in `data.symbolsVersion`
 * of name items), so a keystroke never waits for the whole new version to be analysed. A huge document
 * whose first analysis is still running has no table yet: its list holds the words and says it is incomplete.
 */
export function completion(a: Analysis, pos: Position): CompletionList {
  const ctx = completionContext((n) => a.line(n), pos.line, pos.character);
  if (ctx.kind === 'none') return { isIncomplete: false, items: [] };
  const range: Range = { start: { line: ctx.replace.line, character: ctx.replace.start }, end: { line: ctx.replace.line, character: ctx.replace.end } };
  const items: CompletionItem[] = [];
  if (ctx.kind === 'statement') {
    const words = ctx.block === 'top' ? V.TOP_KEYWORDS : ctx.block === 'user' ? V.USER_KEYWORDS : ['expect'];
    for (const w of words) items.push(wordItem(w, range, '1'));
    const names = a.namesSymbolsNow;
    if (names) items.push(...templates(names.symbols, ctx.block, ctx.process, range));
    // No table yet (a huge document's first analysis): words now, and the editor asks again as the user types.
    return { isIncomplete: !names, items };
  }
  let incomplete = false;
  const seen = new Set<string>();
  for (const slot of ctx.slots) {
    let made: CompletionItem[];
    if ('names' in slot) {
      const names = a.namesSymbolsNow;
      if (!names) {
        incomplete = true;
        continue;
      }
      made = nameItems(names.symbols, slot, ctx.process, range).map((it) => ({ ...it, data: { symbolsVersion: names.version } }));
    } else made = slot.words.map((w) => wordItem(w, range, '1', slot.category));
    for (const it of made) {
      if (seen.has(it.label)) continue;
      seen.add(it.label);
      items.push(it);
    }
  }
  return { isIncomplete: incomplete, items };
}

export function registerCompletion(ctx: ServerContext): void {
  const empty: CompletionList = { isIncomplete: false, items: [] };
  ctx.connection.onCompletion(
    guard(ctx.log, 'completion', empty, (p) => {
      const a = ctx.analysis(p.textDocument.uri);
      return a ? completion(a, p.position) : empty;
    }),
  );
}
