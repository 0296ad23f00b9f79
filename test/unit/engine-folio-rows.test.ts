// Folio rows are shared copy-on-write between a state and its snapshots (engine/folio-rows.ts):
// a write after a snapshot must never show through the snapshot or another state restored from it,
// across chunk boundaries, and a trace of several chunks rebuilds exactly what a straight replay does.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemState, Kind, Zone, F } from '../../engine/state';
import { ROWS } from '../../engine/folio-rows';
import { Trace } from '../../engine/trace';
import { Context, MIGRATE_SYNC, MR_MEMPOLICY_MBIND } from '../../engine/context';
import { Injections } from '../../engine/inject';
import { getProfile } from '../../engine/profiles';
import { stateDigest } from '../../engine/digest';

function stateWith(n: number): MemState {
  const st = new MemState(null);
  st.setNodes([
    { id: 0, memoryPages: 4 * n, movablePages: 0, cmaPages: 0, hugepages: 0 },
    { id: 1, memoryPages: 4 * n, movablePages: 0, cmaPages: 0, hugepages: 0 },
  ]);
  for (let i = 0; i < n; i++) st.newFolio({ kind: Kind.ANON, order: 0, node: 0, zone: Zone.NORMAL, flags: F.LRU, refcount: 1, mapping: 1 });
  return st;
}

test('a write after a snapshot does not show through the snapshot, in any chunk', () => {
  const n = 3 * ROWS + 5;
  const st = stateWith(n);
  const l = st.newList('pagelist');
  const snap = st.snapshot();
  const before = stateDigest(st);
  for (const f of [0, ROWS - 1, ROWS, 2 * ROWS + 1, n - 1]) {
    st.addRef(f, 2);
    st.listAddTail(l, f);
  }
  st.newFolio({ kind: Kind.FILE, order: 0, node: 1, zone: Zone.NORMAL, flags: 0, refcount: 1, mapping: 2 });
  assert.equal(st.refcount(ROWS), 3);
  assert.equal(st.listCount(l), 5);
  const back = st.cloneConfig();
  back.restore(snap);
  assert.equal(stateDigest(back), before);
  assert.equal(back.refcount(ROWS), 1);
  assert.equal(back.list(2 * ROWS + 1), 0);
  assert.equal(back.nFolios, n);
});

test('two states restored from one snapshot write without seeing each other', () => {
  const st = stateWith(2 * ROWS + 1);
  const snap = st.snapshot();
  const a = st.cloneConfig();
  const b = st.cloneConfig();
  a.restore(snap);
  b.restore(snap);
  a.setFlag(ROWS + 7, F.LOCKED);
  b.addRef(ROWS + 7, 5);
  assert.equal(a.has(ROWS + 7, F.LOCKED), true);
  assert.equal(b.has(ROWS + 7, F.LOCKED), false);
  assert.equal(a.refcount(ROWS + 7), 1);
  assert.equal(b.refcount(ROWS + 7), 6);
  assert.equal(st.has(ROWS + 7, F.LOCKED), false);
  assert.equal(st.refcount(ROWS + 7), 1);
  // a state that snapshots again shares with the new snapshot, and still copies on its next write
  const snap2 = a.snapshot();
  a.clearFlag(ROWS + 7, F.LOCKED);
  const c = st.cloneConfig();
  c.restore(snap2);
  assert.equal(c.has(ROWS + 7, F.LOCKED), true);
});

test('stateAt over a migration of several chunks of folios equals a straight replay at every sampled event', () => {
  const n = 3 * ROWS + 100;
  const st = new MemState();
  st.setNodes([
    { id: 0, memoryPages: 4 * n, movablePages: 0, cmaPages: 0, hugepages: 0 },
    { id: 1, memoryPages: 4 * n, movablePages: 0, cmaPages: 0, hugepages: 0 },
  ]);
  const trace = new Trace(st);
  const ctx = new Context(st, getProfile('6.12')!, trace, new Injections());
  const folios: number[] = [];
  for (let i = 0; i < n; i++) folios.push(st.newFolio({ kind: Kind.ANON, order: 0, node: 0, zone: Zone.NORMAL, flags: F.LRU | F.UPTODATE | F.SWAPCACHE, refcount: 1, mapping: 1 }));
  trace.resetBase();
  const list = st.newList('pagelist');
  for (const f of folios) ctx.isolateLru(f, list);
  assert.equal(ctx.migrate_pages(list, { node: 1 }, MIGRATE_SYNC, MR_MEMPOLICY_MBIND).rc, 0);
  st.freeList(list);
  trace.checkpointEvery = 997;
  trace.checkpointMax = 4096;
  const sample = [trace.n - 1, 0, Math.floor(trace.n / 2), 7, trace.n - 2, Math.floor(trace.n / 3), Math.floor((2 * trace.n) / 3), 1];
  const got = new Map<number, string>();
  for (const i of sample) got.set(i, stateDigest(trace.stateAt(i)));
  assert.ok(trace.checkpointCount() > 10, `only ${trace.checkpointCount()} checkpoints`);
  const straight = trace.initialState();
  let at = 0;
  for (const i of [...sample].sort((x, y) => x - y)) {
    straight.replay(trace.log, at, trace.mut[i]);
    at = trace.mut[i];
    assert.equal(got.get(i), stateDigest(straight), `event ${i}`);
  }
  // and the rest of the log reaches the live state, whose chunks the trace's initial snapshot shared
  straight.replay(trace.log, at, trace.log.n);
  assert.equal(stateDigest(straight), stateDigest(st));
});

test('list heads written after a snapshot (add, delete, splice, free) do not show through it or a sibling restore', () => {
  const st = stateWith(8);
  const from = st.newList('pagelist');
  const ret = st.newList('ret_folios');
  for (const f of [0, 1, 2]) st.listAddTail(from, f);
  const snap = st.snapshot();
  st.listDel(1);
  st.listAddTail(ret, 5);
  st.listSplice(from, ret, true);
  st.freeList(from);
  assert.deepEqual(st.listItems(ret), [0, 2, 5]);
  assert.equal(st.listCount(from), 0);
  const back = st.cloneConfig();
  back.restore(snap);
  assert.deepEqual(back.listItems(from), [0, 1, 2]);
  assert.equal(back.listCount(from), 3);
  assert.deepEqual(back.listItems(ret), []);
  // a sibling restored from the same snapshot keeps its own list heads too
  const other = st.cloneConfig();
  other.restore(snap);
  back.listAddHead(from, 6);
  assert.deepEqual(back.listItems(from), [6, 0, 1, 2]);
  assert.deepEqual(other.listItems(from), [0, 1, 2]);
  assert.equal(other.listFirst(from), 0);
});
