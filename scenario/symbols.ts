// Names declared in a scenario (processes, mappings, folios, nodes) and every
// place they are used. Definition, references, rename, highlight and the
// checker's unknown/duplicate-name checks all read this one table; the engine
// uses it to resolve a mapping name in a process (fork children included).

import type * as A from './ast';
import { contains } from './range';
import { inChunks, runSteps, type Steps } from './steps';

export type SymbolKind = 'process' | 'mapping' | 'folio' | 'node';

export interface SymbolDecl {
  kind: SymbolKind;
  name: string;
  /** the name's own range (what rename replaces) */
  range: Range;
  /** mappings: the process that declared it */
  scope?: string;
  /** the declaring statement (ProcessStmt, MmapStmt, MremapStmt, FolioStmt, NodeStmt) */
  stmt: A.Node;
}

export interface SymbolRef {
  kind: SymbolKind;
  name: string;
  range: Range;
  /** mappings: the process the reference is resolved in */
  scope?: string;
  /** undefined when the name is not declared */
  decl?: SymbolDecl;
}

type Range = A.Range;

export interface SymbolTable {
  decls: SymbolDecl[];
  refs: SymbolRef[];
  /** `kind:scope:name` → declarations (more than one = duplicate) */
  byKey: Map<string, SymbolDecl[]>;
  /** process name → its fork parent's name */
  forkParent: Map<string, string>;
  /** kind → scope ('' outside a process) → name → declarations: lookup without building a string key per reference */
  declsIn: Record<SymbolKind, Map<string, Map<string, SymbolDecl[]>>>;
  /**
   * Position indexes, built on first use by symbolsOnLine / symbolAt / referencesOf: diagnostics
   * never need them, and building them was a third of the table's cost on every keystroke.
   */
  lazy: { byLine?: ((SymbolDecl | SymbolRef)[] | undefined)[]; refsOf?: Map<SymbolDecl, SymbolRef[]> };
  /** `kind:scope` → the names declared there, in order */
  names: Map<string, string[]>;
}

const MAX_FORK_DEPTH = 64;

export function key(kind: SymbolKind, name: string, scope?: string): string {
  return `${kind}:${scope ?? ''}:${name}`;
}

function declared(table: SymbolTable, kind: SymbolKind, name: string, scope: string): SymbolDecl | undefined {
  return table.declsIn[kind].get(scope)?.get(name)?.[0];
}

/** The first declaration of a name (a mapping is looked up in the process, then its fork ancestors). */
export function lookup(table: SymbolTable, kind: SymbolKind, name: string, scope?: string): SymbolDecl | undefined {
  if (kind !== 'mapping') return declared(table, kind, name, '');
  if (scope === undefined) return undefined;
  const own = declared(table, kind, name, scope);
  if (own) return own;
  // Walk up the fork parents; the set guards against a fork cycle (reported by the checker).
  const seen = new Set<string>([scope]);
  let proc = table.forkParent.get(scope);
  // Bounded: a fork chain deeper than this is not a scenario anyone writes, and the bound
  // keeps a pathological file linear.
  while (proc !== undefined && !seen.has(proc) && seen.size < MAX_FORK_DEPTH) {
    seen.add(proc);
    const d = declared(table, kind, name, proc);
    if (d) return d;
    proc = table.forkParent.get(proc);
  }
  return undefined;
}

/** Names of a kind visible in a scope (for suggestions and completion). */
export function namesOf(table: SymbolTable, kind: SymbolKind, scope?: string): string[] {
  if (kind !== 'mapping') return [...(table.names.get(`${kind}:`) ?? [])];
  const out = new Set<string>();
  const seen = new Set<string>();
  let proc: string | undefined = scope;
  while (proc !== undefined && !seen.has(proc) && seen.size < MAX_FORK_DEPTH) {
    seen.add(proc);
    for (const n of table.names.get(`${kind}:${proc}`) ?? []) out.add(n);
    proc = table.forkParent.get(proc);
  }
  return [...out];
}

// A tree is not changed after parsing, so its table is computed once and shared by
// the checker, the engine and every language-server request on the same version.
export const cache = new WeakMap<A.Scenario, SymbolTable>();

/**
 * Where each statement's declarations and references sit in a table (statement i owns
 * decls [declEnd[i-1], declEnd[i]) and refs [refEnd[i-1], refEnd[i])), so that the next
 * version's table can replace only the statements that changed (symbols-incremental.ts).
 */
export interface TableLayout {
  stmts: readonly A.Statement[];
  declEnd: Int32Array;
  refEnd: Int32Array;
}
export const layouts = new WeakMap<SymbolTable, TableLayout>();

export function collectSymbols(scenario: A.Scenario): SymbolTable {
  return runSteps(collectSymbolsSteps(scenario, Infinity));
}

/**
 * collectSymbols in steps: pauses after every `every` statements (and references) so that the
 * language server can yield to its event loop on a huge document. The table is cached only
 * once complete; a dropped generator leaves nothing behind.
 */
export function* collectSymbolsSteps(scenario: A.Scenario, every: number): Steps<SymbolTable> {
  let table = cache.get(scenario);
  if (!table) {
    table = yield* buildTable(scenario, every);
    // Another caller may have finished the same tree while this one was paused: keep one table.
    const other = cache.get(scenario);
    if (other) return other;
    cache.set(scenario, table);
  }
  return table;
}

function* buildTable(scenario: A.Scenario, every: number): Steps<SymbolTable> {
  const b = new TableBuilder();
  const stmts = scenario.statements;
  const declEnd = new Int32Array(stmts.length);
  const refEnd = new Int32Array(stmts.length);
  yield* inChunks(stmts.length, every, (from, to) => {
    for (let i = from; i < to; i++) {
      b.statement(stmts[i]);
      declEnd[i] = b.table.decls.length;
      refEnd[i] = b.pending.length;
    }
  });
  // Resolve after all declarations are known: a scenario may use a name before declaring it
  // (the checker reports that), and fork children see mappings declared later in the parent.
  const pending = b.pending;
  yield* inChunks(pending.length, every, (from, to) => b.resolve(from, to));
  layouts.set(b.table, { stmts, declEnd, refEnd });
  return b.table;
}

/** The table's one walk over the statements, as methods (monomorphic, outside any generator: the hot path of every keystroke). */
export class TableBuilder {
  readonly table: SymbolTable = {
    decls: [],
    refs: [],
    byKey: new Map(),
    forkParent: new Map(),
    lazy: {},
    declsIn: { process: new Map(), mapping: new Map(), folio: new Map(), node: new Map() },
    names: new Map(),
  };
  /** references in the order met, resolved once every declaration is known */
  readonly pending: SymbolRef[] = [];

  declare(kind: SymbolKind, name: string, range: Range, stmt: A.Node, scope?: string): void {
    const d: SymbolDecl = { kind, name, range, stmt, scope };
    const table = this.table;
    table.decls.push(d);
    const inKind = table.declsIn[kind];
    const sc = scope ?? '';
    let inScope = inKind.get(sc);
    if (!inScope) inKind.set(sc, (inScope = new Map()));
    const list = inScope.get(name);
    if (list) list.push(d);
    else {
      const decls = [d];
      inScope.set(name, decls);
      table.byKey.set(key(kind, name, scope), decls);
      const nk = `${kind}:${sc}`;
      const names = table.names.get(nk);
      if (names) names.push(name);
      else table.names.set(nk, [name]);
    }
  }

  ref(kind: SymbolKind, name: string, range: Range, scope?: string): void {
    // Every field set at once: one object shape for all references.
    this.pending.push({ kind, name, range, scope, decl: undefined });
  }
  refIdent(kind: SymbolKind, id: A.Ident | undefined, scope?: string): void {
    if (id) this.ref(kind, id.text, id.range, scope);
  }
  refAddr(a: A.AddrRef | undefined, process: string | undefined): void {
    if (a?.mapping) this.ref('mapping', a.mapping.text, a.mapping.range, process);
  }
  refNode(n: A.NumberLit | undefined): void {
    if (n) this.ref('node', nodeName(n.value), n.range);
  }
  refNodes(l: A.NodeList | undefined): void {
    if (!l) return;
    let last: A.Range | undefined;
    for (const n of l.nodes) {
      // An expanded `0-2` gives several nodes with the same range; one reference each is enough.
      if (last === n.range) continue;
      last = n.range;
      this.refNode(n);
    }
  }

  userStmt(s: A.UserStmt, proc: string | undefined): void {
    switch (s.kind) {
      case 'mmap':
        if (s.name && proc !== undefined) this.declare('mapping', s.name.text, s.name.range, s, proc);
        break;
      case 'touch':
        this.refAddr(s.target, proc);
        this.refNode(s.onNode);
        break;
      case 'munmap':
      case 'mlock':
      case 'mprotect':
        this.refAddr(s.target, proc);
        break;
      case 'mremap':
        this.refAddr(s.target, proc);
        if (s.newName && proc !== undefined) this.declare('mapping', s.newName.text, s.newName.range, s, proc);
        break;
      case 'policy':
        this.refNodes(s.nodes);
        break;
    }
  }

  expect(e: A.Expect): void {
    switch (e.kind) {
      case 'expect_page':
        this.refIdent('process', e.process);
        this.refAddr(e.at, e.process?.text);
        this.refNode(e.node);
        break;
      case 'expect_status':
        // Status entries are node ids the kernel reports, possibly undeclared on purpose; not references.
        break;
      case 'expect_event':
        this.refIdent('folio', e.folio);
        break;
      case 'expect_folio':
        this.refIdent('folio', e.folio);
        this.refNode(e.node);
        break;
    }
  }

  statement(s: A.Statement): void {
    switch (s.kind) {
      case 'node':
        if (s.id) this.declare('node', nodeName(s.id.value), s.id.range, s);
        break;
      case 'process': {
        const name = s.name?.text;
        if (s.name) this.declare('process', s.name.text, s.name.range, s);
        if (s.forkOf) {
          this.refIdent('process', s.forkOf);
          if (name !== undefined && name !== s.forkOf.text) this.table.forkParent.set(name, s.forkOf.text);
        }
        this.refNode(s.cpuNode);
        for (const u of s.body) this.userStmt(u, name);
        break;
      }
      case 'in':
        this.refIdent('process', s.process);
        for (const u of s.body) this.userStmt(u, s.process?.text);
        break;
      case 'folio':
        if (s.name) this.declare('folio', s.name.text, s.name.range, s);
        this.refNode(s.node);
        for (const m of s.mapped) {
          this.refIdent('process', m.process);
          this.refAddr(m.at, m.process?.text);
        }
        break;
      case 'inject':
        this.refIdent('folio', s.folio);
        this.refIdent('process', s.process);
        this.refAddr(s.at, s.process?.text);
        this.refNode(s.allocNode);
        break;
      case 'migrate_pages_syscall':
        this.refIdent('process', s.target?.process);
        this.refNodes(s.from);
        this.refNodes(s.to);
        break;
      case 'move_pages':
        this.refIdent('process', s.target?.process);
        for (const a of s.pages) this.refAddr(a, s.target?.process?.text);
        for (const n of s.nodes ?? []) if (n.value >= 0n) this.refNode(n);
        break;
      case 'mbind':
        this.refIdent('process', s.process);
        this.refAddr(s.addr, s.process?.text);
        this.refNodes(s.nodes);
        break;
      case 'pin':
        this.refIdent('process', s.process);
        this.refAddr(s.addr, s.process?.text);
        break;
      case 'migrate_vma':
        this.refIdent('process', s.process);
        this.refAddr(s.addr, s.process?.text);
        this.refAddr(s.faultPage, s.process?.text);
        break;
      case 'numa_fault':
        this.refIdent('process', s.process);
        this.refAddr(s.at, s.process?.text);
        this.refNode(s.node);
        break;
      case 'migrate_pages_internal':
        for (const f of s.folios) this.refIdent('folio', f);
        this.refNode(s.node);
        break;
    }
    if ('expects' in s) {
      this.refIdent('process', s.by);
      for (const e of s.expects) this.expect(e);
    }
  }

  resolve(from: number, to: number): void {
    const table = this.table;
    for (let i = from; i < to; i++) {
      const r = this.pending[i];
      const d = lookup(table, r.kind, r.name, r.scope);
      if (d) r.decl = d;
      table.refs.push(r);
    }
  }
}

/** Decimal names of small node ids, made once: String(bigint) on every reference showed in profiles. */
const NODE_NAMES: string[] = Array.from({ length: 1024 }, (_, i) => String(i));

/** A node id as the table names it (decimal). */
export function nodeName(v: bigint): string {
  return v >= 0n && v < 1024n ? NODE_NAMES[Number(v)] : String(v);
}

/** The declarations and references that start on a line (an array with holes: cheaper than a Map of numbers). */
export function symbolsOnLine(table: SymbolTable, line: number): readonly (SymbolDecl | SymbolRef)[] {
  return (table.lazy.byLine ??= indexByLine(table))[line] ?? [];
}

function indexByLine(table: SymbolTable): ((SymbolDecl | SymbolRef)[] | undefined)[] {
  const byLine: ((SymbolDecl | SymbolRef)[] | undefined)[] = [];
  const index = (x: SymbolDecl | SymbolRef): void => {
    const l = x.range.start.line;
    const list = byLine[l];
    if (list) list.push(x);
    else {
      // Fill the gap with holes explicitly: writing far past the end would turn the array into a dictionary.
      while (byLine.length < l) byLine.push(undefined);
      byLine[l] = [x];
    }
  };
  for (const d of table.decls) index(d);
  for (const r of table.refs) index(r);
  return byLine;
}

export interface SymbolHit {
  /** the declaration the position names (undefined for a reference to an undeclared name) */
  decl?: SymbolDecl;
  /** the reference under the position, when it is not the declaration itself */
  ref?: SymbolRef;
  range: Range;
}

/** The symbol at a position (a declaration or a reference), or undefined. */
export function symbolAt(table: SymbolTable, position: A.Position): SymbolHit | undefined {
  const list = symbolsOnLine(table, position.line);
  for (const x of list) {
    if (!contains(x.range, position)) continue;
    if ('stmt' in x) return { decl: x, range: x.range };
    return { decl: x.decl, ref: x, range: x.range };
  }
  return undefined;
}

/** Every reference to a declaration (the declaration itself not included). */
export function referencesOf(table: SymbolTable, decl: SymbolDecl): SymbolRef[] {
  if (!table.lazy.refsOf) {
    const refsOf = new Map<SymbolDecl, SymbolRef[]>();
    for (const r of table.refs) {
      if (!r.decl) continue;
      const list = refsOf.get(r.decl);
      if (list) list.push(r);
      else refsOf.set(r.decl, [r]);
    }
    table.lazy.refsOf = refsOf;
  }
  return table.lazy.refsOf.get(decl) ?? [];
}
