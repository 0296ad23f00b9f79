// Where try_to_unmap_flush() runs, which a scenario's `expect event` cannot order: on 6.12
// a split's unmap_folio() flushes the batch's deferred entries before the split itself,
// and every call counts (the parity harness compares the count with a kprobe's).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '../../scenario';
import { run } from '../../engine';
import { EV } from '../../engine/trace';

const file = join(__dirname, '..', 'scenarios', 'core', 'split-flushes-batch-6.12.mig');

function eventsOf(profile: string) {
  const r = run(parse(readFileSync(file, 'utf8')).scenario, { profile });
  assert.equal(r.error, undefined, r.error?.message);
  const names: string[] = [];
  for (let i = 0; i < r.trace.n; i++) {
    if (r.trace.type[i] === EV.tlb_flush) names.push(`tlb_flush:${r.trace.aux[i]}`);
    else if (r.trace.type[i] === EV.split) names.push('split');
  }
  return { names, calls: r.ops[0].unmapFlushCalls };
}

test('6.12: the split of a deferred-split THP flushes the small folio unmapped before it', () => {
  const { names, calls } = eventsOf('6.12');
  // S's one deferred entry is flushed by the split; the split pieces' batch flushes all 512
  assert.deepEqual(names, ['tlb_flush:1', 'split', 'tlb_flush:512']);
  assert.equal(calls, 3); // split, move phase (nothing pending), split pieces' move phase
});

test('6.3-rc1: no pre-split, so no split flush; one flush per batch (cut before T)', () => {
  const { names, calls } = eventsOf('6.3-rc1');
  assert.deepEqual(names, ['tlb_flush:1', 'tlb_flush:512']);
  assert.equal(calls, 2);
});
