// The requests behind the client's code lenses: what a lens may offer
// (realizable or why not) and the parity request's answer when the scenario is
// model-only (refused before any kernel boots, so no QEMU is needed here).

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHarness, type Harness } from './harness';

const example = (name: string) => readFileSync(join(__dirname, '../../examples', name), 'utf8');
let h: Harness;
after(() => h?.close());

test('lensInfo: a realizable scenario may run on a real kernel, and its operations are listed', async () => {
  h = await startHarness();
  const uri = await h.open(example('mbind-strict-eio.mig'));
  const info = await h.request<{ scenarioLine: number; operations: number[]; realizable: { ok: boolean }; errors: boolean }>('migtrace/lensInfo', { uri });
  assert.deepEqual(info, { scenarioLine: 3, operations: [13, 17], realizable: { ok: true }, errors: false });
});

test('lensInfo: a scenario with errors offers no lenses, and says so', async () => {
  const uri = await h.open('scenario "x"\nnode 0 memory 1G\nmigrate_pages [Nope] to node 1\n');
  const info = await h.request<{ errors: boolean; realizable: { ok: boolean } }>('migtrace/lensInfo', { uri });
  assert.equal(info.errors, true);
  assert.equal(info.realizable.ok, false);
});

test('parity on a model-only scenario is refused with the line that makes it so, naming the file, not its temporary copy', async () => {
  const uri = await h.open(example('000-units-of-failure-6.12.mig'), 'units');
  const a = await h.request<{ status: string; reason: string; differences: unknown[]; text: string }>('migtrace/parity', { uri });
  assert.equal(a.status, 'refused');
  assert.equal(a.reason, 'model-only: line 15 declares a kernel-level folio');
  assert.deepEqual(a.differences, []);
  assert.match(a.text, /^units\.mig +refused: model-only: line 15/m);
  assert.doesNotMatch(a.text, /migtrace-parity-/);
});

test('migtrace/run on a text with errors answers an error naming the line', async () => {
  const uri = await h.open('scenario "x"\nnode 0 memory 1G\nmigrate_pages [Nope] to node 1\n', 'broken');
  await assert.rejects(h.request('migtrace/run', { uri }), /^.*broken\.mig:3: /);
});

test('a newer comparison supersedes an older one still waiting; the newest is answered', async () => {
  const uri = await h.open(example('000-units-of-failure-6.12.mig'), 'cmp');
  const first = h.request('migtrace/compare', { uri, a: '6.1', b: '6.12' });
  const second = h.request<{ differing: number[] }>('migtrace/compare', { uri, a: '6.1', b: '6.12' });
  await assert.rejects(first, /superseded by a newer comparison/);
  assert.deepEqual((await second).differing, [18, 19, 20, 21]);
});
