// A call frame that no event sees leaves nothing in the mutation log: frames are logged when
// an event first sees them (MemState.flushFrames, from Trace.emit), with their locals as they
// are then, so a frame popped before the next event writes no FRAME_PUSH, LOCAL_SET or
// FRAME_POP (the trace is only observed at events). What it changed outside itself stays, and
// every event still shows exactly the frames and locals the live engine had.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { F, Op, defineFn } from '../../engine/state';
import { EV } from '../../engine/trace';
import { sealedMachine, opsSince } from './sealed-machine';

const FN_OUTER = defineFn('elision_test_outer', ['x']);
const FN_INNER = defineFn('elision_test_inner', ['y']);

const machine = () => sealedMachine([{ id: 0, memoryPages: 1024, movablePages: 0, cmaPages: 0, hugepages: 0 }]);
const ops = opsSince;

test('a frame pushed and popped with no event between leaves no record', () => {
  const { st, trace } = machine();
  const before = trace.log.n;
  const d = st.pushFrame(FN_INNER);
  st.setLocal(d, 0, 5);
  st.popFrame();
  assert.equal(trace.log.n, before);
});

test('nested unseen frames go, the folio change made inside them stays', () => {
  const { st, trace, folio } = machine();
  const before = trace.log.n;
  const a = st.pushFrame(FN_OUTER);
  st.setLocal(a, 0, 1);
  const b = st.pushFrame(FN_INNER);
  st.setFlag(folio, F.LOCKED);
  st.setLocal(b, 0, 2);
  st.popFrame();
  st.setLocal(a, 0, 3);
  st.popFrame();
  assert.deepEqual(ops(trace, before), [Op.SET]);
  trace.emit(EV.retry_pass);
  const s = trace.stateAt(trace.n - 1);
  assert.ok(s.has(folio, F.LOCKED));
  assert.deepEqual(s.callStack(), []);
});

test('a frame with an event inside keeps its records, and the event shows it with its locals', () => {
  const { st, trace } = machine();
  const before = trace.log.n;
  const a = st.pushFrame(FN_OUTER);
  st.setLocal(a, 0, 7);
  trace.emit(EV.EAGAIN);
  const seen = trace.n - 1;
  const b = st.pushFrame(FN_INNER); // unseen: popped before the next event
  st.setLocal(b, 0, 9);
  st.popFrame();
  st.popFrame();
  assert.deepEqual(ops(trace, before), [Op.FRAME_PUSH, Op.LOCAL_SET, Op.FRAME_POP]);
  trace.emit(EV.retry_pass);
  assert.deepEqual(trace.stateAt(seen).callStack(), [{ fn: 'elision_test_outer', locals: { x: 7 } }]);
  assert.deepEqual(trace.stateAt(trace.n - 1).callStack(), []);
});
