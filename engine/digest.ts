// A fingerprint of the whole model state (folio columns, lists, page tables, call
// frames and locals, node counters, vmstat). Two states with the same digest are
// the same for every view the debugger offers; tests use it to compare a state
// rebuilt by Trace.stateAt with one reached by a straight replay.

import { MemState } from './state';

export function stateDigest(st: MemState): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  const mix = (v: number) => {
    const x = Number.isInteger(v) && Math.abs(v) < 2 ** 31 ? v | 0 : Math.floor(v / 2 ** 31) ^ (v % 2 ** 31);
    h1 = Math.imul(h1 ^ x, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ (x >>> 16) ^ (x << 5), 0x5bd1e995) >>> 0;
  };
  mix(st.nFolios);
  for (let f = 0; f < st.nFolios; f++) {
    mix(st.flags(f)); mix(st.refcount(f)); mix(st.mapcount(f)); mix(st.pins(f)); mix(st.node(f)); mix(st.pfn(f)); mix(st.order(f));
    mix(st.zone(f)); mix(st.kind(f)); mix(st.mapping(f)); mix(st.record(f)); mix(st.parent(f)); mix(st.anonVmaRef(f)); mix(st.succ(f));
    mix(st.list(f)); mix(st.prev(f)); mix(st.next(f));
  }
  for (const l of st.lists) {
    mix(l.head); mix(l.tail); mix(l.count); mix(l.live ? 1 : 0);
  }
  for (const m of [st.ptes, st.pmds]) {
    const keys = [...m.keys()].sort((a, b) => a - b);
    mix(keys.length);
    for (const k of keys) {
      mix(k); mix(m.get(k)!);
    }
  }
  for (const a of [st.nodeFree, st.nodeMovFree, st.nodeCmaFree, st.nodeHugeFree]) for (const v of a) mix(v);
  mix(st.frames.length);
  for (const fn of st.frames) mix(fn);
  for (let i = 0; i < st.localsTop; i++) mix(st.locals[i]);
  for (const v of st.vmstat) mix(v);
  for (const v of st.scalars) mix(v);
  mix(st.procs.length);
  for (const p of st.procs) if (p) { mix(p.id); mix(p.vmas.length); for (const v of p.vmas) { mix(v.start); mix(v.end); mix(v.prot); } }
  return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}
