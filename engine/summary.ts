// Short, exact summaries of what an operation did and how each declared folio
// fared, in kernel terms. One place for them so that the editor's inlay hints,
// the debugger and the CLI can say the same thing about the same run.

import type { RunResult, OpResult } from './run';
import { eventName } from './trace';
import { F, Pte, pteBits, pteFolio, pteType, type FolioId } from './state';

/** Events that end one try of a folio (an outcome of migrate_folio_unmap/move or isolation). */
const FAILURES = new Set(['EAGAIN', 'EBUSY', 'ENOMEM', 'EDEADLOCK', 'ENOSYS', 'EOPNOTSUPP', 'EHWPOISON', 'EIO', 'EINVAL', 'isolate_failed', 'split_failed']);

/** How one declared folio (and the pieces it was split into) fared in one operation. */
export interface FolioFate {
  folio: string;
  id: FolioId;
  /** failures by event name, over the folio and its split pieces, in first-seen order */
  failures: [string, number][];
  /** pieces (or the folio itself) that reached MIGRATEPAGE_SUCCESS */
  migrated: number;
  /** number of pieces when the operation split it (split event aux) */
  splitInto?: number;
  /** list the folio sat on before it was put back (ret_folios, from, ...), when it failed */
  list?: string;
  /** node holding its contents now; -1 when freed; -2 when its pieces are on several nodes */
  node: number;
}

/** The declared folio a folio descends from by splitting, or -1. */
function rootOf(st: RunResult['state'], declared: Set<FolioId>, f: FolioId): FolioId {
  let g = f;
  for (let i = 0; i < 64 && g >= 0; i++) {
    if (declared.has(g)) return g;
    g = st.parent(g);
  }
  return -1;
}

/** At most this many failed folios get their list looked up (each costs a state rebuild). */
const LIST_LOOKUPS = 64;

/** How each declared folio touched by the operation fared, in declaration order. */
export function folioFates(r: RunResult, op: OpResult): FolioFate[] {
  const st = r.state;
  const t = r.trace;
  const declared = new Map<FolioId, string>();
  for (const [name, id] of r.folios) declared.set(id, name);
  const ids = new Set(declared.keys());
  interface Acc {
    failures: Map<string, number>;
    migrated: number;
    splitInto?: number;
    pieces: Set<FolioId>;
    lastFailure: number;
    putback: number;
  }
  const acc = new Map<FolioId, Acc>();
  const end = Math.min(op.endEvent, t.n);
  for (let i = op.firstEvent; i < end; i++) {
    const f = t.folio[i];
    if (f < 0) continue;
    const name = eventName(t.type[i]);
    const isFailure = FAILURES.has(name);
    if (!isFailure && name !== 'MIGRATEPAGE_SUCCESS' && name !== 'split' && name !== 'putback') continue;
    const root = rootOf(st, ids, f);
    if (root < 0) continue;
    let a = acc.get(root);
    if (!a) acc.set(root, (a = { failures: new Map(), migrated: 0, pieces: new Set(), lastFailure: -1, putback: -1 }));
    a.pieces.add(f);
    if (isFailure) {
      a.failures.set(name, (a.failures.get(name) ?? 0) + 1);
      a.lastFailure = i;
    } else if (name === 'MIGRATEPAGE_SUCCESS') a.migrated++;
    else if (name === 'split' && f === root && a.splitInto === undefined) a.splitInto = t.aux[i];
    else if (name === 'putback' && a.putback < 0 && i > a.lastFailure) a.putback = i;
  }
  const out: FolioFate[] = [];
  let lookups = 0;
  for (const [id, name] of declared) {
    const a = acc.get(id);
    if (!a) continue;
    const fate: FolioFate = { folio: name, id, failures: [...a.failures], migrated: a.migrated, splitInto: a.splitInto, node: nodeOf(r, id, a.pieces) };
    if (a.lastFailure >= 0 && a.migrated === 0 && lookups++ < LIST_LOOKUPS) {
      // the list it ended on: the state right before it was put back, else at its last failure
      const at = a.putback > 0 ? a.putback - 1 : a.lastFailure;
      const s = t.stateAt(at);
      const f = t.folio[a.lastFailure];
      if (s.list(f) !== 0) fate.list = s.listName(s.list(f));
    }
    out.push(fate);
  }
  return out;
}

function nodeOf(r: RunResult, id: FolioId, pieces: Set<FolioId>): number {
  const st = r.state;
  const where = (f: FolioId): number => {
    const c = st.current(f);
    return st.has(c, F.FREED) ? -1 : st.node(c);
  };
  const live = [...pieces].filter((f) => f !== id || pieces.size === 1);
  const nodes = new Set((live.length ? live : [id]).map(where));
  return nodes.size === 1 ? [...nodes][0] : -2;
}

const times = (n: number) => (n > 1 ? ` ×${n}` : '');
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** `EAGAIN ×10 → ret_folios`, `migrated to node 1`, `split into 512 · 512 migrated to node 1`. */
export function folioFateText(f: FolioFate): string {
  const parts: string[] = [];
  if (f.splitInto !== undefined) parts.push(`split into ${f.splitInto}`);
  const fails = f.failures.map(([n, c]) => `${n}${times(c)}`).join(', ');
  if (f.migrated > 0) {
    if (fails) parts.push(fails);
    const dest = f.node >= 0 ? ` to node ${f.node}` : f.node === -1 ? ' (now freed)' : '';
    parts.push(f.splitInto !== undefined ? `${f.migrated} migrated${dest}` : `migrated${dest}`);
  } else if (fails) {
    parts.push(f.list ? `${fails} → ${f.list}` : fails);
  }
  if (parts.length === 0) parts.push(f.node >= 0 ? `stays on node ${f.node}` : 'freed');
  return parts.join(' · ');
}

/** `→ -EIO · 1 folio failed (EAGAIN ×10) · 3 succeeded · 10 passes · 1 split`. */
export function opSummaryText(r: RunResult, op: OpResult, fates: FolioFate[] = folioFates(r, op)): string {
  const parts = [`→ ${op.retText}`];
  if (op.counts.nr_failed !== undefined && op.kind !== 'migrate_pages_internal' && op.counts.nr_failed !== op.ret) parts.push(`nr_failed ${op.counts.nr_failed}`);
  const failed = fates.filter((f) => f.migrated === 0 && f.failures.length > 0);
  if (failed.length) {
    const sum = new Map<string, number>();
    for (const f of failed) for (const [n, c] of f.failures) sum.set(n, (sum.get(n) ?? 0) + c);
    parts.push(`${plural(failed.length, 'folio')} failed (${[...sum].map(([n, c]) => `${n}${times(c)}`).join(', ')})`);
  }
  const ok = op.vmstatDelta.pgmigrate_success ?? op.stats?.nr_succeeded ?? 0;
  if (ok) parts.push(`${ok} succeeded`);
  const pagesFailed = op.vmstatDelta.pgmigrate_fail ?? 0;
  if (pagesFailed) parts.push(`${plural(pagesFailed, 'page')} failed`);
  if (op.passes > 1) parts.push(`${op.passes} passes`);
  let splits = 0;
  const t = r.trace;
  for (let i = op.firstEvent; i < Math.min(op.endEvent, t.n); i++) if (eventName(t.type[i]) === 'split') splits++;
  if (splits) parts.push(plural(splits, 'split'));
  for (const k of ['pinned', 'cpages'] as const) if (op.counts[k] !== undefined) parts.push(`${k} ${op.counts[k]}`);
  return parts.join(' · ');
}

/** At most this many page table entries are read for one mapping's summary. */
const MAPPING_PAGES = 1 << 18;

/**
 * Where the pages of a process's mapping are now: pages per node, and those
 * not present (unmapped, migration or swap entries). Undefined when the process
 * or mapping does not exist or is too large to walk in an editor's time.
 */
export function mappingPages(st: RunResult['state'], process: string, mapping: string): { nodes: Map<number, number>; notPresent: number } | undefined {
  const p = st.procByName(process);
  if (!p) return undefined;
  const vmas = p.vmas.filter((v) => v.name === mapping);
  if (vmas.length === 0) return undefined;
  const pages = vmas.reduce((n, v) => n + (v.end - v.start) / st.pageSize, 0);
  if (pages > MAPPING_PAGES) return undefined;
  const per = st.pmdSize / st.pageSize;
  const nodes = new Map<number, number>();
  let notPresent = 0;
  for (const v of vmas) {
    for (let vpn = v.start / st.pageSize; vpn < v.end / st.pageSize; vpn++) {
      const pmd = st.getPmd(p.id, Math.floor(vpn / per) * per);
      const ent = pmd !== 0 ? pmd : st.getPte(p.id, vpn);
      if (ent === 0 || pteType(ent) !== Pte.PRESENT || pteBits(ent) & Pte.ZERO_PFN) notPresent++;
      else {
        const n = st.node(pteFolio(ent));
        nodes.set(n, (nodes.get(n) ?? 0) + 1);
      }
    }
  }
  return { nodes, notPresent };
}

/** `16 pages on node 1`, `8 on node 0 · 8 on node 1 · 4 not present`. */
export function mappingPagesText(m: { nodes: Map<number, number>; notPresent: number }): string {
  const parts = [...m.nodes].sort((a, b) => a[0] - b[0]).map(([n, c]) => `${c} on node ${n}`);
  if (m.notPresent) parts.push(`${m.notPresent} not present`);
  if (parts.length === 0) return 'no pages';
  const total = [...m.nodes.values()].reduce((a, b) => a + b, 0) + m.notPresent;
  parts[0] = `${plural(total, 'page')}: ${parts[0]}`;
  return parts.join(' · ');
}
