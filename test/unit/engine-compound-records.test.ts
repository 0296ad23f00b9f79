// Two hot steps of a big migration log one record each instead of four and two:
// folio_isolate_lru() (flags, a reference, list_add_tail, NR_ISOLATED_*) and the
// destination allocation (the folio and the node counter its pages leave). The
// isolation record changes flags and refcount relative to what they were, so a SET
// of those columns later in the same window must get a record of its own: were it
// folded into a SET from before the isolation, a replay would apply the isolation on
// top of the later value.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemState, Kind, Zone, F, Op, NodeCol, VMSTAT_INDEX } from '../../engine/state';
import { EV } from '../../engine/trace';
import { sealedMachine, opsSince } from './sealed-machine';

const machine = () =>
  sealedMachine(
    [
      { id: 0, memoryPages: 1024, movablePages: 0, cmaPages: 0, hugepages: 0 },
      { id: 1, memoryPages: 1024, movablePages: 64, cmaPages: 0, hugepages: 0 },
    ],
    2,
  );
const ops = opsSince;

function sameFolio(a: MemState, b: MemState, f: number): void {
  assert.equal(a.flags(f), b.flags(f), 'flags');
  assert.equal(a.refcount(f), b.refcount(f), 'refcount');
  assert.equal(a.list(f), b.list(f), 'list');
}

test('isolating a folio onto a list is one log record, replayed to the live state', () => {
  const { st, trace, folio } = machine();
  const list = st.newList('pagelist');
  const before = trace.log.n;
  st.isolateLru(list, folio, VMSTAT_INDEX.nr_isolated_anon);
  assert.deepEqual(ops(trace, before), [Op.ISOLATE_LRU]);
  trace.emit(EV.retry_pass);
  const s = trace.stateAt(trace.n - 1);
  sameFolio(s, st, folio);
  assert.equal(s.flags(folio), F.ISOLATED);
  assert.equal(s.refcount(folio), 2);
  assert.deepEqual(s.listItems(list), [folio]);
  assert.equal(s.vmstat[VMSTAT_INDEX.nr_isolated_anon], 4, 'an order-2 folio counts 4 pages');
});

test('a flags SET after the isolation in the same window is not folded into the one before it', () => {
  const { st, trace, folio } = machine();
  const list = st.newList('pagelist');
  st.setFlag(folio, F.DIRTY); // a SET before the isolation, in this window
  st.isolateLru(list, folio, VMSTAT_INDEX.nr_isolated_anon);
  st.setFlags(folio, F.LRU); // back on the LRU, not isolated: the isolation must not be re-applied on top
  st.addRef(folio, 5);
  trace.emit(EV.retry_pass);
  const s = trace.stateAt(trace.n - 1);
  sameFolio(s, st, folio);
  assert.equal(s.flags(folio), F.LRU);
  assert.equal(s.refcount(folio), 7);
});

test('a destination allocation takes its pages from the named node counter in the same record', () => {
  const { st, trace } = machine();
  const free0 = st.nodeFree[1];
  const mov0 = st.nodeMovFree[1];
  const before = trace.log.n;
  const a = st.allocFolio(Kind.ANON, 3, 1, Zone.NORMAL, F.DST, NodeCol.FREE);
  const b = st.allocFolio(Kind.ANON, 0, 1, Zone.MOVABLE, F.DST, NodeCol.MOVABLE_FREE);
  assert.deepEqual(ops(trace, before), [Op.FOLIO_ALLOC, Op.FOLIO_ALLOC]);
  assert.equal(st.nodeFree[1], free0 - 8);
  assert.equal(st.nodeMovFree[1], mov0 - 1);
  trace.emit(EV.retry_pass);
  const s = trace.stateAt(trace.n - 1);
  assert.equal(s.nodeFree[1], free0 - 8);
  assert.equal(s.nodeMovFree[1], mov0 - 1);
  assert.equal(s.node(a), 1);
  assert.equal(s.order(a), 3);
  assert.equal(s.zone(b), Zone.MOVABLE);
  const before1 = trace.stateAt(0);
  assert.equal(before1.nodeFree[1], free0, 'the state before the allocation still has the pages');
});
