// The trace store: Trace.stateAt(i) after random jumps (forward, backward, far, near)
// rebuilds exactly the state a straight replay of the mutation log reaches at event i,
// and the last event's state is the live final state.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '../../scenario';
import { run } from '../../engine';
import { stateDigest } from '../../engine/digest';

const CORE = join(__dirname, '..', 'scenarios', 'core');

function runFile(name: string, profile?: string) {
  const r = run(parse(readFileSync(join(CORE, name), 'utf8')).scenario, { profile });
  assert.equal(r.error, undefined, r.error?.message);
  return r;
}

/** a small deterministic PRNG so a failure can be replayed */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

for (const [file, profile] of [['batch-600.mig', '6.12'], ['seed-batched-unmap.mig', '6.1'], ['extra-ref-file-move-eagain.mig', '6.12'], ['seed-edeadlock-6.3-rc1.mig', '6.3-rc1']] as const) {
  test(`stateAt after random jumps equals a straight replay (${file}, ${profile})`, () => {
    const r = runFile(file, profile);
    const t = r.trace;
    t.checkpointEvery = 17; // many checkpoints, so jumps cross them
    const next = rng(t.n);
    const order: number[] = [];
    for (let k = 0; k < 300; k++) order.push(Math.floor(next() * t.n));
    order.push(t.n - 1, 0, t.n - 1, Math.floor(t.n / 2), Math.floor(t.n / 2) + 1, Math.floor(t.n / 2) - 1);
    // the reference: one straight replay of the log, stopping at each sampled event in order
    const straight = t.initialState();
    const want = new Map<number, string>();
    let applied = 0;
    for (const i of [...new Set(order)].sort((a, b) => a - b)) {
      straight.replay(t.log, applied, t.mut[i]);
      applied = t.mut[i];
      want.set(i, stateDigest(straight));
    }
    assert.equal(want.get(t.n - 1), stateDigest(r.state), 'a straight replay of the whole log reaches the live final state');
    for (const i of order) assert.equal(stateDigest(t.stateAt(i)), want.get(i), `state at event ${i} of ${t.n}`);
    assert.ok(t.checkpointCount() >= 2, `the trace used ${t.checkpointCount()} checkpoints`);
  });
}

test('stateAt(-1) is the state before the first event and out-of-range indexes are refused', () => {
  const r = runFile('freed-under-us.mig');
  assert.equal(stateDigest(r.trace.stateAt(-1)), stateDigest(r.trace.initialState()));
  assert.throws(() => r.trace.stateAt(r.trace.n), RangeError);
  assert.throws(() => r.trace.stateAt(-2), RangeError);
});

test('the state at an event carries the call stack with its locals', () => {
  const r = runFile('lock-async-eagain.mig', '6.12');
  const t = r.trace;
  // the exit event of migrate_pages_batch: its frame is still on the stack
  let at = -1;
  for (let i = 0; i < t.n; i++) if (t.event(i).name === 'exit' && t.event(i).depth === 2) at = i;
  assert.ok(at > 0);
  const stack = t.stateAt(at).callStack();
  assert.deepEqual(stack.map((f) => f.fn), ['migrate_pages', 'migrate_pages_batch']);
  assert.equal(stack[1].locals.retry, 1);
  assert.equal(stack[1].locals.nr_failed, 1);
  assert.equal(stack[1].locals.rc, 1);
  assert.equal(stack[0].locals['stats.nr_failed_pages'], 1);
  let lastEagain = -1;
  for (let i = 0; i < t.n; i++) if (t.event(i).name === 'EAGAIN') lastEagain = i;
  assert.equal(t.stateAt(lastEagain).callStack()[1].locals.pass, 9);
});

for (const [profile, want] of [['6.12', 512], ['6.3-rc1', 513]] as const) {
  test(`migrate_pages' nr_pages in the first batch of 600 folios is ${want} on ${profile}, as its cut loop counts`, () => {
    // ≥ v6.3: `nr_pages >= batch` stops at the 512th folio; v6.3-rc1: `nr_pages > NR_MAX_BATCHED_MIGRATION`
    // stops after counting the 513th, which list_cut_before leaves on `from`
    const r = runFile('batch-600.mig', profile);
    const t = r.trace;
    let first = -1;
    for (let i = 0; i < t.n && first < 0; i++) if (t.event(i).name === 'MIGRATEPAGE_SUCCESS') first = i;
    const top = t.stateAt(first).callStack()[0];
    assert.equal(top.fn, 'migrate_pages');
    assert.equal(top.locals.nr_pages, want);
  });
}

test('events take 32 bytes each in the store', () => {
  const r = runFile('batch-600.mig');
  assert.equal(r.trace.eventBytes(), r.trace.n * 32);
  assert.ok(r.trace.log.bytes() / r.trace.log.n < 14, 'mutation records stay near 13 bytes');
});
