// The list table is shared copy-on-write between a state and its snapshots, by chunk of
// list records (engine/list-table.ts): a list made, filled or freed after a snapshot must
// never show through the snapshot or a state restored from it, in any chunk, and a state
// restored twice from one snapshot must see the same lists both times.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemState, Kind, Zone, F, ListId } from '../../engine/state';
import { stateDigest } from '../../engine/digest';

/** more lists than one chunk holds (1,024), so writes land in several chunks */
const LISTS = 2500;

function stateWithLists(): { st: MemState; lists: ListId[]; folios: number[] } {
  const st = new MemState(null);
  st.setNodes([{ id: 0, memoryPages: 1 << 16, movablePages: 0, cmaPages: 0, hugepages: 0 }]);
  const folios: number[] = [];
  const lists: ListId[] = [];
  for (let i = 0; i < LISTS; i++) {
    const f = st.newFolio({ kind: Kind.ANON, order: 0, node: 0, zone: Zone.NORMAL, flags: F.LRU, refcount: 1, mapping: 1 });
    const l = st.newList(`list${i}`);
    st.listAddTail(l, f);
    folios.push(f);
    lists.push(l);
  }
  return { st, lists, folios };
}

const shape = (st: MemState, l: ListId) => ({ count: st.listCount(l), first: st.listFirst(l), name: st.listName(l) });

test('lists changed after a snapshot, in every chunk, do not show through a state restored from it', () => {
  const { st, lists, folios } = stateWithLists();
  const snap = st.snapshot();
  const digest = stateDigest(st);
  const before = [lists[0], lists[1023], lists[1024], lists[LISTS - 1]].map((l) => shape(st, l));
  // empty lists of three chunks, move their folios onto one, free the emptied ones, make new lists
  const sink = st.newList('sink');
  for (const i of [0, 1023, 1024, LISTS - 1]) {
    st.listDel(folios[i]);
    st.listAddTail(sink, folios[i]);
    st.freeList(lists[i]);
  }
  for (let i = 0; i < 1500; i++) st.newList(`later${i}`);
  assert.equal(st.listCount(sink), 4);
  assert.notEqual(stateDigest(st), digest);

  const r = st.cloneConfig();
  r.restore(snap);
  assert.equal(stateDigest(r), digest, 'the restored state is the state at the snapshot');
  assert.equal(r.lists.length, LISTS + 1, 'lists made after the snapshot are not in it');
  assert.deepEqual([lists[0], lists[1023], lists[1024], lists[LISTS - 1]].map((l) => shape(r, l)), before);
});

test('a restored state that changes its lists leaves the snapshot and the original state alone', () => {
  const { st, lists, folios } = stateWithLists();
  const snap = st.snapshot();
  const digest = stateDigest(st);
  const r = st.cloneConfig();
  r.restore(snap);
  r.listDel(folios[2000]);
  r.listAddTail(lists[5], folios[2000]);
  r.freeList(lists[2000]);
  assert.equal(r.listCount(lists[5]), 2);
  assert.equal(st.listCount(lists[5]), 1, 'the original state keeps its own list');
  assert.equal(st.listCount(lists[2000]), 1);
  assert.equal(stateDigest(st), digest);
  const again = st.cloneConfig();
  again.restore(snap);
  assert.equal(stateDigest(again), digest, 'a second restore from the snapshot sees it unchanged');
  // and the first restored state can be restored again, dropping what it did
  r.restore(snap);
  assert.equal(stateDigest(r), digest);
});
