// list_cut_before (MemState.listCutBefore): migrate_pages() cuts its batch off `from` with one
// list operation, as the kernel does. The folios before the entry move in order to the tail of
// the destination, the rest stay, and a replay of the one log record rebuilds the same lists.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemState, Kind, Zone, F, FolioId, ListId } from '../../engine/state';
import { Trace } from '../../engine/trace';
import { stateDigest } from '../../engine/digest';

function setup(n: number) {
  const st = new MemState();
  st.setNodes([{ id: 0, memoryPages: 4 * n, movablePages: 0, cmaPages: 0, hugepages: 0 }]);
  const trace = new Trace(st);
  const fs: FolioId[] = [];
  for (let i = 0; i < n; i++) fs.push(st.newFolio({ kind: Kind.ANON, order: 0, node: 0, zone: Zone.NORMAL, flags: F.LRU, refcount: 1, mapping: 0 }));
  trace.resetBase();
  const from = st.newList('from');
  const folios = st.newList('folios');
  for (const f of fs) st.listAddTail(from, f);
  return { st, trace, fs, from, folios };
}

/** the list's folios walked both ways: a broken prev link shows as a difference */
function walk(st: MemState, l: ListId): { fwd: FolioId[]; back: FolioId[] } {
  const fwd = st.listItems(l);
  const back: FolioId[] = [];
  for (let f = fwd.length ? fwd[fwd.length - 1] : -1; f !== -1; f = st.prev(f)) back.unshift(f);
  return { fwd, back };
}

function replayed(trace: Trace): MemState {
  const s = trace.initialState();
  s.replay(trace.log, 0, trace.log.n);
  return s;
}

test('list_cut_before moves the folios before the entry, in order, to the tail of the destination', () => {
  const { st, trace, fs, from, folios } = setup(6);
  st.listMoveTail(folios, fs[5]); // a destination that is not empty
  st.listCutBefore(folios, from, fs[3]);
  assert.deepEqual(walk(st, folios), { fwd: [fs[5], fs[0], fs[1], fs[2]], back: [fs[5], fs[0], fs[1], fs[2]] });
  assert.deepEqual(walk(st, from), { fwd: [fs[3], fs[4]], back: [fs[3], fs[4]] });
  assert.equal(st.listCount(folios), 4);
  assert.equal(st.listCount(from), 2);
  for (const f of [fs[0], fs[1], fs[2]]) assert.equal(st.list(f), folios);
  assert.equal(st.list(fs[3]), from);
  assert.equal(stateDigest(replayed(trace)), stateDigest(st), 'a replay of the log rebuilds the same lists');
});

test('list_cut_before at the first folio moves nothing, and at no entry moves every folio', () => {
  const { st, trace, fs, from, folios } = setup(4);
  st.listCutBefore(folios, from, fs[0]);
  assert.equal(st.listCount(folios), 0);
  assert.equal(st.listCount(from), 4);
  st.listCutBefore(folios, from, -1);
  assert.deepEqual(walk(st, folios).fwd, fs);
  assert.equal(st.listCount(from), 0);
  assert.equal(st.listFirst(from), -1);
  assert.equal(stateDigest(replayed(trace)), stateDigest(st));
});

test('list_cut_before refuses an entry that is not on the source list', () => {
  const { st, fs, from, folios } = setup(3);
  st.listMoveTail(folios, fs[2]);
  assert.throws(() => st.listCutBefore(folios, from, fs[2]), /list_cut_before: folio .* is not on from/);
});
