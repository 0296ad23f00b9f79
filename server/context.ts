// "What may follow here": the completion context at a position, computed from
// the lexer tokens of the current line and the block the line sits in. The
// statement shapes below mirror the parser (scenario/parser.ts); a test checks
// that every completion they produce parses.

import { vocab as V, type DocCategory, type LexedLine, type Token } from '../scenario';

/** What a slot accepts: names from the document, or words from a fixed vocabulary. */
export type Slot =
  | { names: 'process' | 'mapping' | 'folio' | 'node' | 'newName' | 'profile' | 'number' }
  | { words: readonly string[]; category?: DocCategory };

interface StmtSpec {
  /** arguments in order, right after the keyword */
  positional: Slot[];
  /** keyword → the values it takes */
  options: Record<string, Slot[]>;
  /** bare words that may appear anywhere after the positionals */
  markers: readonly string[];
}

const proc: Slot = { names: 'process' };
const mapping: Slot = { names: 'mapping' };
const folio: Slot = { names: 'folio' };
const node: Slot = { names: 'node' };
const num: Slot = { names: 'number' };
const newName: Slot = { names: 'newName' };
const w = (...words: string[]): Slot => ({ words });
const NODE_KW = w('node');
/** After `event`, EAGAIN is the trace event, not the errno: the slot says which documentation applies. */
const EVENTS: Slot = { words: V.EVENTS, category: 'event' };

const FOLIO_FAULT_SPEC: StmtSpec = {
  positional: [folio],
  options: { passes: [num], with: [w('EAGAIN', 'EBUSY')], returns: [w('EAGAIN', 'EBUSY', '0')] },
  markers: ['held', 'fails', 'unreleasable'],
};

export const STATEMENTS: Record<string, StmtSpec> = {
  scenario: { positional: [], options: {}, markers: [] },
  kernel: { positional: [{ names: 'profile' }], options: {}, markers: [] },
  config: { positional: [w(...V.CONFIG_OPTIONS), w(...V.CONFIG_VALUES)], options: {}, markers: [] },
  pagesize: { positional: [num], options: {}, markers: [] },
  pmdsize: { positional: [num], options: {}, markers: [] },
  node: { positional: [num], options: { memory: [num], movable: [num], hugepages: [num], cma: [num] }, markers: [] },
  process: { positional: [newName], options: { user: [w(...V.USERS)], fork: [proc], cpu: [NODE_KW, node] }, markers: ['nice'] },
  in: { positional: [proc], options: {}, markers: [] },
  folio: {
    positional: [newName],
    options: { order: [num], node: [node], refs: [num], pins: [num], mapped: [proc, mapping, w(...V.MAP_LEVELS)] },
    markers: [...V.FOLIO_KINDS, ...V.FOLIO_FLAGS],
  },
  inject: { positional: [w(...V.INJECT_FAULTS)], options: {}, markers: [] },
  mmap: {
    positional: [newName, w(...V.BACKINGS), w(...V.SHARINGS), num],
    options: { align: [num], at: [num] },
    markers: [...V.THP_ADVICE, ...V.PROTS],
  },
  touch: { positional: [mapping], options: { on: [NODE_KW, node] }, markers: V.ACCESSES },
  munmap: { positional: [mapping], options: {}, markers: [] },
  mlock: { positional: [mapping], options: {}, markers: [] },
  mprotect: { positional: [mapping], options: {}, markers: V.PROTS },
  mremap: { positional: [mapping], options: { as: [newName], at: [num] }, markers: [] },
  policy: { positional: [w(...V.MPOL_MODES)], options: { nodes: [node] }, markers: [] },
  migrate_pages: { positional: [proc], options: { from: [node], to: [node], by: [proc], maxnode: [num] }, markers: [] },
  move_pages: { positional: [proc], options: { pages: [mapping], nodes: [node], flags: [w(...V.MPOL_MF_FLAGS)], by: [proc] }, markers: [] },
  mbind: { positional: [proc, mapping, w(...V.MPOL_MODES)], options: { nodes: [node], flags: [w(...V.MPOL_MF_FLAGS)], by: [proc] }, markers: [] },
  pin: { positional: [proc, mapping, w(...V.PIN_KINDS)], options: { retries: [num], by: [proc] }, markers: [] },
  migrate_vma: { positional: [proc, mapping], options: { select: [w(...V.VMA_SELECT)], fault_page: [mapping], by: [proc] }, markers: [] },
  numa_fault: { positional: [proc, mapping], options: { to: [NODE_KW, node] }, markers: [] },
};

/** `migrate_pages [A, B]`: the internal call on a hand-built folio list. */
const MIGRATE_PAGES_INTERNAL: StmtSpec = {
  positional: [folio],
  options: { to: [NODE_KW, node], mode: [w(...V.MIGRATE_MODES)], reason: [w(...V.MIGRATE_REASONS)] },
  markers: ['memalloc'],
};

const INJECT_SPECS: Record<string, StmtSpec> = {
  lock: FOLIO_FAULT_SPEC,
  dst_lock: FOLIO_FAULT_SPEC,
  ref: FOLIO_FAULT_SPEC,
  writeback: FOLIO_FAULT_SPEC,
  split: FOLIO_FAULT_SPEC,
  isolate: FOLIO_FAULT_SPEC,
  movable: FOLIO_FAULT_SPEC,
  mce: FOLIO_FAULT_SPEC,
  private: FOLIO_FAULT_SPEC,
  release: FOLIO_FAULT_SPEC,
  alloc: { positional: [w('fails')], options: { after: [num], on: [NODE_KW, node] }, markers: ['always'] },
  pte_offset_map_lock: { positional: [w('fails')], options: { at: [proc, mapping] }, markers: ['once'] },
  pmd: { positional: [proc, mapping], options: {}, markers: ['bad'] },
};

const EXPECT_SPECS: Record<string, StmtSpec> = {
  return: { positional: [w('0', ...V.ERRNOS.map((e) => `-${e}`))], options: {}, markers: [] },
  status: { positional: [], options: {}, markers: [] },
  page: { positional: [proc, mapping], options: { on: [NODE_KW, node] }, markers: ['unmapped'] },
  vmstat: { positional: [w(...V.VMSTAT_COUNTERS), num], options: {}, markers: [] },
  stats: { positional: [w(...V.STATS_FIELDS), num], options: {}, markers: [] },
  event: { positional: [EVENTS], options: { on: [folio], pass: [num], count: [num] }, markers: [] },
  no: { positional: [w('event'), EVENTS], options: { on: [folio], pass: [num], count: [num] }, markers: [] },
  folio: { positional: [folio], options: { on: [w(...V.FOLIO_PLACES)], node: [node] }, markers: [] },
};
for (const c of V.COUNT_NAMES) EXPECT_SPECS[c] = { positional: [num], options: {}, markers: [] };

export type Block = 'top' | 'user' | 'expect';

export type CompletionContext =
  /** nothing sensible to offer (inside a comment or string, or after a complete statement) */
  | { kind: 'none' }
  /** a statement keyword starts here */
  | { kind: 'statement'; block: Block; process?: string; replace: Span }
  /** inside a statement: these slots are acceptable next */
  | { kind: 'args'; keyword: string; slots: Slot[]; process?: string; replace: Span };

/** Character span on the cursor's line that a completion replaces (the partial word typed so far). */
export interface Span {
  line: number;
  start: number;
  end: number;
}

/** Lines by number, lexed on demand: the context needs only the cursor's line and the block above it. */
export type LineAt = (line: number) => LexedLine | undefined;

/** The process whose names are in scope: the enclosing `process`/`in` block, or the statement's own process argument. */
function blockOf(lineAt: LineAt, line: number): { block: Block; process?: string; opKeyword?: string } {
  for (let l = line - 1; l >= 0; l--) {
    const ll = lineAt(l);
    if (!ll || ll.tokens.length === 0) continue;
    if (ll.indent > 0) continue;
    const first = ll.tokens[0];
    if (first.text === 'process' || first.text === 'in') {
      const name = ll.tokens[1]?.kind === 'word' ? ll.tokens[1].text : undefined;
      return { block: 'user', process: name };
    }
    if (V.isIn(V.OPERATION_KEYWORDS, first.text)) return { block: 'expect', opKeyword: first.text };
    return { block: 'top' };
  }
  return { block: 'top' };
}

export interface Item {
  tokens: Token[];
}

/** Groups tokens into arguments: `heap[0..8K]`, `0-2,5`, `MPOL_MF_MOVE|MPOL_MF_STRICT`, `[A, B]` are one item each. */
export function groupItems(tokens: Token[]): Item[] {
  const items: Item[] = [];
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const prev = tokens[i - 1];
    const joins =
      items.length > 0 &&
      (depth > 0 ||
        (t.kind === 'punct' && t.text !== '[') ||
        (t.kind === 'punct' && t.text === '[' && !t.spaceBefore) ||
        (prev?.kind === 'punct' && prev.text !== ']' && prev.text !== '+'));
    if (joins) items[items.length - 1].tokens.push(t);
    else items.push({ tokens: [t] });
    if (t.kind === 'punct' && t.text === '[') depth++;
    if (t.kind === 'punct' && t.text === ']' && depth > 0) depth--;
  }
  return items;
}

function specFor(keyword: string, items: Item[]): { spec: StmtSpec; skip: number } | undefined {
  if (keyword === 'migrate_pages' && items[1]?.tokens[0]?.text === '[') return { spec: MIGRATE_PAGES_INTERNAL, skip: 1 };
  if (keyword === 'inject') {
    const fault = items[1]?.tokens[0]?.text;
    if (fault === undefined) return { spec: STATEMENTS.inject, skip: 1 };
    const s = INJECT_SPECS[fault];
    return s ? { spec: s, skip: 2 } : undefined;
  }
  if (keyword === 'expect') {
    const kind = items[1]?.tokens[0]?.text;
    if (kind === undefined) return { spec: { positional: [w(...V.EXPECT_KINDS)], options: {}, markers: [] }, skip: 1 };
    const s = EXPECT_SPECS[kind];
    return s ? { spec: s, skip: 2 } : undefined;
  }
  const s = STATEMENTS[keyword];
  return s ? { spec: s, skip: 1 } : undefined;
}

/** The slots acceptable after `items` (the arguments already written). */
function nextSlots(spec: StmtSpec, items: Item[], skip: number): { slots: Slot[]; process?: string } {
  let pos = 0;
  let pending: Slot[] = [];
  let process: string | undefined;
  const used = new Set<string>();
  for (let i = skip; i < items.length; i++) {
    const first = items[i].tokens[0];
    if (pending.length > 0) {
      if ('names' in pending[0] && pending[0].names === 'process') process = first.text;
      pending = pending.slice(1);
      continue;
    }
    if (first.kind === 'word' && Object.prototype.hasOwnProperty.call(spec.options, first.text) && !used.has(first.text)) {
      used.add(first.text);
      pending = spec.options[first.text];
      continue;
    }
    if (pos < spec.positional.length) {
      const slot = spec.positional[pos];
      if ('names' in slot && slot.names === 'process') process = first.text;
      pos++;
    }
  }
  if (pending.length > 0) return { slots: [pending[0]], process };
  const slots: Slot[] = [];
  if (pos < spec.positional.length) slots.push(spec.positional[pos]);
  else {
    const opts = Object.keys(spec.options).filter((o) => !used.has(o));
    if (opts.length || spec.markers.length) slots.push(w(...opts, ...spec.markers));
  }
  return { slots, process };
}

/** The value slot for a flag set after `|`, a list after `,`, or a folio list after `[`. */
function listSlot(keyword: string, items: Item[], last: Token, inBracket: boolean): Slot | undefined {
  const item = items[items.length - 1];
  const head = item?.tokens[0];
  if (inBracket) return keyword === 'migrate_pages' && items[1]?.tokens[0]?.text === '[' && items.length === 2 ? folio : undefined;
  if (last.text === '|') {
    if (head && /^MPOL_MF_/.test(head.text)) return w(...V.MPOL_MF_FLAGS);
    if (head && /^MPOL_/.test(head.text)) return w(...V.MPOL_MODE_FLAGS);
    if (head && V.isIn(V.VMA_SELECT, head.text)) return w(...V.VMA_SELECT);
    return undefined;
  }
  if (last.text === ',' && head?.kind === 'word' && keyword === 'move_pages') return mapping;
  return undefined;
}

export function completionContext(lines: LexedLine[] | LineAt, line: number, character: number): CompletionContext {
  const lineAt: LineAt = typeof lines === 'function' ? lines : (n) => lines[n];
  const ll = lineAt(line);
  if (!ll) return { kind: 'none' };
  if (ll.comment && character > ll.comment.start.character) return { kind: 'none' };
  // Tokens wholly before the cursor; a word or number touching the cursor is the partial being typed.
  const before = ll.tokens.filter((t) => t.end <= character);
  const inside = ll.tokens.find((t) => t.start < character && character < t.end);
  if (inside && (inside.kind === 'string' || inside.kind === 'bad')) return { kind: 'none' };
  let partial: Token | undefined = inside;
  if (!partial) {
    const last = before[before.length - 1];
    if (last && last.end === character && (last.kind === 'word' || last.kind === 'number')) partial = last;
  }
  if (partial && partial.kind === 'string') return { kind: 'none' };
  const prior = partial ? before.filter((t) => t !== partial && t.end <= partial!.start) : before;
  // `-EAGAIN` after `return`: the minus is part of what is being typed.
  let replaceStart = partial ? partial.start : character;
  const lastPrior = prior[prior.length - 1];
  if (lastPrior?.text === '-' && lastPrior.end === replaceStart && partial?.kind === 'word') {
    prior.pop();
    replaceStart = lastPrior.start;
  }
  const replace: Span = { line, start: replaceStart, end: partial && partial.end > character ? partial.end : character };
  const where = blockOf(lineAt, line);
  const indented = ll.indent > 0 && (prior.length > 0 ? prior[0].start > 0 : true);

  if (prior.length === 0) {
    const block: Block = indented ? (where.block === 'top' ? 'top' : where.block) : 'top';
    return { kind: 'statement', block, process: block === 'user' ? where.process : undefined, replace };
  }
  if (prior.some((t) => t.kind === 'string' && t.end <= replace.start && prior[0].text === 'scenario')) return { kind: 'none' };
  const keyword = prior[0].text;
  const items = groupItems(prior);
  const last = prior[prior.length - 1];
  const blockProcess = indented && where.block === 'user' ? where.process : undefined;

  // Right after a list separator (`|`, `,`) or inside an open bracket, the list's element comes next.
  let depth = 0;
  for (const t of prior) {
    if (t.text === '[') depth++;
    else if (t.text === ']' && depth > 0) depth--;
  }
  const found = specFor(keyword, items);
  const next = found ? nextSlots(found.spec, items, found.skip) : undefined;
  if ((last.kind === 'punct' && (last.text === '|' || last.text === ',' || last.text === '[')) || depth > 0) {
    const s = listSlot(keyword, items, last, depth > 0);
    return s ? { kind: 'args', keyword, slots: [s], process: next?.process ?? blockProcess, replace } : { kind: 'none' };
  }
  if (!next || next.slots.length === 0) return { kind: 'none' };
  return { kind: 'args', keyword, slots: next.slots, process: next.process ?? blockProcess, replace };
}
