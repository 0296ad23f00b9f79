// The next version's symbol table from the previous one. An edit re-parses the
// segments whose text changed: their statements are new objects, every other
// statement is the previous version's own object, moved in place when lines were
// inserted or deleted above it (scenario/incremental.ts). When the changed
// statements declare exactly what they declared before (same names, kinds and
// scopes in the same order, same fork parent; the ranges may have moved), every
// reference elsewhere still resolves to the same name, so the table is the
// previous one with those statements' declarations swapped for their new objects
// and their references resolved again: native Map and array copies instead of a
// walk over the whole tree. Anything else (a name added, renamed or reordered, a
// statement added or removed) builds the table from scratch. Either way the result equals collectSymbols(scenario)
// (a property test compares them).

import type * as A from './ast';
import { cache, collectSymbols, key, layouts, lookup, TableBuilder, type SymbolDecl, type SymbolRef, type SymbolTable } from './symbols';

/**
 * Whether `table` was made by this module from `prev` (then both declare the same names at the
 * same places, and the checker may reuse prev's version's results). Kept as numbers: a table
 * holding its predecessor would keep every earlier version alive.
 */
export function derivedFrom(table: SymbolTable, prev: SymbolTable): boolean {
  const from = parentOf.get(table);
  return from !== undefined && from === ids.get(prev);
}
const parentOf = new WeakMap<SymbolTable, number>();
const ids = new WeakMap<SymbolTable, number>();
let nextId = 1;
function idOf(t: SymbolTable): number {
  let id = ids.get(t);
  if (id === undefined) ids.set(t, (id = nextId++));
  return id;
}

/** More changed statements than this: a rebuild is about as cheap and far simpler to trust. */
const MAX_CHANGED = 64;

/** The table of `scenario`, reusing `prev` (the previous version's table) where the edit allows. */
export function collectSymbolsIncremental(prev: SymbolTable | undefined, scenario: A.Scenario): SymbolTable {
  const known = cache.get(scenario);
  if (known) return known;
  const table = prev ? updated(prev, scenario) : undefined;
  if (!table) return collectSymbols(scenario);
  cache.set(scenario, table);
  return table;
}

/** The fork parent a statement sets (TableBuilder.statement), as one comparable string. */
function forkEffect(s: A.Statement): string | undefined {
  if (s.kind !== 'process' || !s.forkOf) return undefined;
  return `${s.name?.text ?? ''}\u0000${s.forkOf.text}`;
}

/** The same name declared: its range may differ (lines inserted inside the statement), which no other entry depends on. */
function sameDecl(a: SymbolDecl, b: SymbolDecl): boolean {
  return a.kind === b.kind && a.name === b.name && a.scope === b.scope;
}

function updated(prev: SymbolTable, scenario: A.Scenario): SymbolTable | undefined {
  const layout = layouts.get(prev);
  const stmts = scenario.statements;
  if (!layout || layout.stmts.length !== stmts.length) return undefined;
  const changed: number[] = [];
  for (let i = 0; i < stmts.length; i++) {
    if (stmts[i] === layout.stmts[i]) continue;
    if (changed.length === MAX_CHANGED) return undefined;
    changed.push(i);
  }

  // The changed statements' declarations and references, from a builder of their own.
  const b = new TableBuilder();
  const refsOfChanged: SymbolRef[][] = [];
  const replaced = new Map<SymbolDecl, SymbolDecl>();
  const decls = prev.decls.slice();
  for (const i of changed) {
    if (forkEffect(stmts[i]) !== forkEffect(layout.stmts[i])) return undefined;
    const d0 = b.table.decls.length;
    const r0 = b.pending.length;
    b.statement(stmts[i]);
    const from = i === 0 ? 0 : layout.declEnd[i - 1];
    if (b.table.decls.length - d0 !== layout.declEnd[i] - from) return undefined;
    for (let k = 0; k < layout.declEnd[i] - from; k++) {
      const old = prev.decls[from + k];
      const now = b.table.decls[d0 + k];
      if (!sameDecl(old, now)) return undefined;
      decls[from + k] = now;
      replaced.set(old, now);
    }
    refsOfChanged.push(b.pending.slice(r0));
  }

  // Declarations: the lists that held a replaced declaration are copied (the previous table stays as it was).
  const declsIn = { ...prev.declsIn };
  const byKey = replaced.size > 0 ? new Map(prev.byKey) : prev.byKey;
  const copied = new Set<unknown>();
  const own = <T extends object>(x: T, copy: (x: T) => T): T => {
    if (copied.has(x)) return x;
    const c = copy(x);
    copied.add(c);
    return c;
  };
  for (const [old, now] of replaced) {
    const inKind = (declsIn[old.kind] = own(declsIn[old.kind], (m) => new Map(m)));
    const sc = old.scope ?? '';
    const inScope = own(inKind.get(sc)!, (m) => new Map(m));
    inKind.set(sc, inScope);
    const list = own(inScope.get(old.name)!, (l) => l.slice());
    list[list.indexOf(old)] = now;
    inScope.set(old.name, list);
    byKey.set(key(old.kind, old.name, old.scope), list);
  }
  const table: SymbolTable = { decls, refs: [], byKey, forkParent: prev.forkParent, declsIn, lazy: {}, names: prev.names };

  // References in statement order: the previous ones (pointed at the new declaration objects), the changed statements' resolved anew.
  const refs = table.refs;
  const refEnd = new Int32Array(stmts.length);
  let at = 0;
  let shift = 0;
  const copyRefs = (to: number): void => {
    for (; at < to; at++) {
      const r = prev.refs[at];
      const now = r.decl && replaced.get(r.decl);
      refs.push(now ? { kind: r.kind, name: r.name, range: r.range, scope: r.scope, decl: now } : r);
    }
  };
  let c = 0;
  for (let i = 0; i < stmts.length; i++) {
    if (c < changed.length && changed[c] === i) {
      copyRefs(i === 0 ? 0 : layout.refEnd[i - 1]);
      const fresh = refsOfChanged[c++];
      for (const r of fresh) {
        const d = lookup(table, r.kind, r.name, r.scope);
        if (d) r.decl = d;
        refs.push(r);
      }
      at = layout.refEnd[i];
      shift += fresh.length - (layout.refEnd[i] - (i === 0 ? 0 : layout.refEnd[i - 1]));
    }
    refEnd[i] = layout.refEnd[i] + shift;
  }
  copyRefs(prev.refs.length);
  layouts.set(table, { stmts, declEnd: layout.declEnd, refEnd });
  parentOf.set(table, idOf(prev));
  return table;
}
