// Evaluates the `expect` lines of an operation against what the engine did.

import type { Expect, Range } from '../scenario/ast';
import { ERRNO, rcName } from './context';
import type { MigrateStats } from './context';
import { MemState, FolioId, F, Pte, pteType, pteFolio, pteBits, VMSTAT_INDEX } from './state';
import { Trace, eventName } from './trace';
import { addrRange } from './setup';

export interface ExpectOutcome {
  range: Range;
  ok: boolean;
  expected: string;
  actual: string;
  message: string;
}

/** What an operation produced, as the expectations see it. */
export interface OpFacts {
  ret: number;
  status?: (number | null)[];
  counts: Record<string, number>;
  stats?: MigrateStats;
  vmstatDelta: Record<string, number>;
  /** events of this operation: [first, end) */
  firstEvent: number;
  endEvent: number;
  /** folios on ret_folios when the (last) internal migrate_pages() returned */
  retFolios: Set<FolioId>;
  /** folios left on `from` (after the splice, before putback) */
  fromFolios: Set<FolioId>;
}

export interface ExpectEnv {
  st: MemState;
  trace: Trace;
  folioByName: (name: string) => FolioId | undefined;
}

function errnoOf(word: string): number | undefined {
  const w = word.replace(/^-/, '');
  return ERRNO[w] !== undefined ? -ERRNO[w] : undefined;
}

/** A folio and everything its contents became: migration destinations and split pieces. */
function lineage(st: MemState, f: FolioId): Set<FolioId> {
  const next = new Map<FolioId, FolioId[]>();
  const link = (a: FolioId, b: FolioId) => {
    const l = next.get(a);
    if (l) l.push(b);
    else next.set(a, [b]);
  };
  for (let g = 0; g < st.nFolios; g++) {
    if (st.parent(g) !== -1) link(st.parent(g), g);
    if (st.succ(g) !== -1) link(g, st.succ(g));
  }
  const out = new Set<FolioId>([f]);
  const todo = [f];
  while (todo.length) {
    for (const g of next.get(todo.pop()!) ?? []) {
      if (!out.has(g)) {
        out.add(g);
        todo.push(g);
      }
    }
  }
  return out;
}

export function evaluate(env: ExpectEnv, e: Expect, facts: OpFacts): ExpectOutcome | undefined {
  const { st, trace } = env;
  const line = e.range.start.line;
  const res = (ok: boolean, expected: string, actual: string, message?: string): ExpectOutcome => ({
    range: e.range,
    ok,
    expected,
    actual,
    message: ok ? `ok: ${expected}` : message ?? `expected ${expected}, got ${actual}`,
  });
  const folio = (name: string | undefined): FolioId => {
    if (!name) throw new Error('which folio?');
    const f = env.folioByName(name);
    if (f === undefined) throw new Error(`no folio named '${name}' is declared`);
    return f;
  };
  try {
    switch (e.kind) {
      case 'error':
        return undefined;
      case 'expect_return': {
        let want: number;
        if (e.errno) {
          const v = errnoOf(e.errno.text);
          if (v === undefined) throw new Error(`unknown errno '${e.errno.text}'`);
          want = v;
        } else if (e.value) want = Number(e.value.value);
        else throw new Error('expect return: which value?');
        return res(facts.ret === want, `return ${rcName(want)}`, `return ${rcName(facts.ret)}`);
      }
      case 'expect_status': {
        if (!facts.status) return res(false, 'a status array', 'this operation has no status[]', 'expect status: only move_pages has a status array');
        const want = e.entries.map((s) => (s.unwritten ? null : s.errno ? errnoOf(s.errno.text) ?? NaN : Number(s.node?.value ?? NaN)));
        const fmt = (a: (number | null)[]) => `[${a.map((v) => (v === null ? 'unwritten' : v < 0 ? rcName(v) : String(v))).join(', ')}]`;
        const ok = want.length === facts.status.length && want.every((v, i) => v === facts.status![i]);
        return res(ok, `status ${fmt(want)}`, `status ${fmt(facts.status)}`);
      }
      case 'expect_page': {
        const p = st.procByName(e.process?.text ?? '');
        if (!p) throw new Error(`no process named '${e.process?.text ?? ''}'`);
        const r = addrRange(st, p, e.at, line);
        const vpn = r.start / st.pageSize;
        const per = st.pmdSize / st.pageSize;
        const pmd = st.getPmd(p.id, Math.floor(vpn / per) * per);
        const ent = pmd !== 0 ? pmd : st.getPte(p.id, vpn);
        const present = ent !== 0 && pteType(ent) === Pte.PRESENT;
        const where = !present ? (ent !== 0 ? `not present (${pteType(ent) >= 2 && pteType(ent) <= 4 ? 'migration entry' : 'swap/device entry'})` : 'unmapped') : pteBits(ent) & Pte.ZERO_PFN ? 'the zero page' : `on node ${st.node(pteFolio(ent))}`;
        if (e.unmapped) return res(!present, 'unmapped', where);
        const want = Number(e.node?.value ?? NaN);
        return res(present && !(pteBits(ent) & Pte.ZERO_PFN) && st.node(pteFolio(ent)) === want, `on node ${want}`, where);
      }
      case 'expect_vmstat': {
        const c = e.counter?.text ?? '';
        if (VMSTAT_INDEX[c] === undefined) throw new Error(`unknown vmstat counter '${c}'`);
        const want = Number(e.value?.value ?? NaN);
        const got = facts.vmstatDelta[c] ?? 0;
        return res(got === want, `${c} ${want}`, `${c} ${got}`);
      }
      case 'expect_stats': {
        const fld = (e.field?.text ?? '') as keyof MigrateStats;
        if (!facts.stats) return res(false, `stats ${fld}`, 'no internal migrate_pages() call in this operation');
        if (!(fld in facts.stats)) throw new Error(`unknown stats field '${fld}'`);
        const want = Number(e.value?.value ?? NaN);
        return res(facts.stats[fld] === want, `${fld} ${want}`, `${fld} ${facts.stats[fld]}`);
      }
      case 'expect_event': {
        const name = e.event?.text ?? '';
        const fset = e.folio ? lineage(st, folio(e.folio.text)) : undefined;
        const pass = e.pass !== undefined ? Number(e.pass.value) : undefined;
        let count = 0;
        for (let i = facts.firstEvent; i < facts.endEvent; i++) {
          if (eventName(trace.type[i]) !== name) continue;
          if (fset && !fset.has(trace.folio[i])) continue;
          if (pass !== undefined && trace.pass_[i] !== pass) continue;
          count++;
        }
        const desc = `${name}${e.folio ? ` on ${e.folio.text}` : ''}${pass !== undefined ? ` in pass ${pass}` : ''}`;
        if (e.negated) return res(count === 0, `no event ${desc}`, `${count} event(s) ${desc}`);
        if (e.count !== undefined) {
          const want = Number(e.count.value);
          return res(count === want, `${want} event(s) ${desc}`, `${count}`);
        }
        return res(count > 0, `event ${desc}`, 'none');
      }
      case 'expect_folio': {
        const f0 = folio(e.folio?.text);
        const name = e.folio?.text ?? '';
        if (e.node !== undefined) {
          const cur = st.current(f0);
          const want = Number(e.node.value);
          const got = st.has(cur, F.FREED) ? 'freed' : `node ${st.node(cur)}`;
          return res(!st.has(cur, F.FREED) && st.node(cur) === want, `${name} on node ${want}`, got);
        }
        const where = e.where?.text ?? '';
        let ok: boolean;
        const describe = (): string => {
          const cur = st.current(f0);
          if (st.has(f0, F.FREED)) return cur !== f0 ? `migrated (now ${st.folioName(cur)} on node ${st.node(cur)}), source freed` : 'freed';
          if (facts.retFolios.has(f0)) return 'on ret_folios';
          if (facts.fromFolios.has(f0)) return 'left on from';
          if (st.list(f0) !== 0) return `on ${st.listName(st.list(f0))}`;
          return st.has(f0, F.LRU) ? 'on the LRU' : 'off every list';
        };
        const hadEvent = (ev: string) => {
          for (let i = facts.firstEvent; i < facts.endEvent; i++) if (trace.folio[i] === f0 && eventName(trace.type[i]) === ev) return true;
          return false;
        };
        switch (where) {
          case 'freed':
            ok = st.has(f0, F.FREED);
            break;
          case 'ret_folios':
            ok = facts.retFolios.has(f0);
            break;
          case 'from':
            ok = facts.fromFolios.has(f0) || facts.retFolios.has(f0);
            break;
          case 'lru':
            ok = !st.has(f0, F.FREED) && st.has(f0, F.LRU);
            break;
          case 'split_folios':
            ok = hadEvent('split');
            break;
          case 'unmap_folios':
          case 'dst_folios':
            ok = hadEvent('MIGRATEPAGE_UNMAP');
            break;
          default:
            throw new Error(`expect folio: unknown place '${where}' (from, ret_folios, unmap_folios, dst_folios, split_folios, freed, lru)`);
        }
        const actual = describe();
        return res(ok, `${name} ${where === 'freed' || where === 'lru' ? '' : 'on '}${where}`.replace('  ', ' '), actual);
      }
      case 'expect_count': {
        const what = e.what?.text ?? '';
        const want = Number(e.value?.value ?? NaN);
        const got = facts.counts[what];
        if (got === undefined) return res(false, `${what} ${want}`, `this operation has no '${what}'`);
        return res(got === want, `${what} ${want}`, `${what} ${got}`);
      }
    }
  } catch (err) {
    const m = err instanceof Error ? err.message : String(err);
    return { range: e.range, ok: false, expected: '', actual: '', message: m };
  }
  return undefined;
}
