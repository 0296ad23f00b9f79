// The engine benchmarks' workload: what mbind(MPOL_MF_MOVE) does after its page-table
// walk, on N anon folios of node 0: isolate each, then one migrate_pages() to node 1.
// Its own module so that the stateAt bench can build the same trace without running
// the throughput bench (a bundle runs every module's main).

import { MemState, Kind, Zone, F, FolioId } from '../../engine/state';
import { Trace } from '../../engine/trace';
import { Context, MIGRATE_SYNC, MR_MEMPOLICY_MBIND } from '../../engine/context';
import { Injections } from '../../engine/inject';
import { getProfile } from '../../engine/profiles';

/** The model: N anon folios in the swap cache on node 0, isolated and migrated to node 1 (MR_MEMPOLICY_MBIND, SYNC). */
export function buildAndMigrate(n: number, profile = '6.12'): { trace: Trace; ms: number; setupMs: number; st: MemState } {
  const t0 = performance.now();
  const st = new MemState();
  const pages = n * 2 + 1024;
  st.setNodes([
    { id: 0, memoryPages: pages, movablePages: 0, cmaPages: 0, hugepages: 0 },
    { id: 1, memoryPages: pages, movablePages: 0, cmaPages: 0, hugepages: 0 },
  ]);
  const trace = new Trace(st);
  const ctx = new Context(st, getProfile(profile)!, trace, new Injections());
  const folios: FolioId[] = new Array(n);
  for (let i = 0; i < n; i++) {
    folios[i] = st.newFolio({ kind: Kind.ANON, order: 0, node: 0, zone: Zone.NORMAL, flags: F.LRU | F.UPTODATE | F.SWAPCACHE, refcount: 1, mapping: 1 });
  }
  st.setNodeCol(0, 0, st.nodeFree[0] - n);
  trace.resetBase();
  const t1 = performance.now();
  // what mbind(MPOL_MF_MOVE) does after its page-table walk: isolate, then migrate_pages()
  const list = st.newList('pagelist');
  for (let i = 0; i < n; i++) ctx.isolateLru(folios[i], list);
  const r = ctx.migrate_pages(list, { node: 1 }, MIGRATE_SYNC, MR_MEMPOLICY_MBIND);
  if (r.rc !== 0) throw new Error(`migrate_pages returned ${r.rc}`);
  st.freeList(list);
  const t2 = performance.now();
  return { trace, ms: t2 - t1, setupMs: t1 - t0, st };
}
