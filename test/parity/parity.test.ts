// The real-kernel parity suite: every scenario of test/parity/*.mig runs on Linux
// 6.1 and 6.12 in QEMU (one boot per kernel, one more per kernel for the
// movablecore= scenarios) and must match the engine field by field. If QEMU
// or the kernels cannot start, the test fails with the reason; it is never skipped.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { parse } from '../../scenario/index';
import { run } from '../../engine/index';
import { runParity, type ParityReport, type ScenarioOutcome } from '../../parity/index';
import { formatReport } from '../../cli/commands/parity';

const dir = __dirname;
const suite = readdirSync(dir).filter((f) => f.endsWith('.mig')).sort().map((f) => join(dir, f));
const pending = readdirSync(join(dir, 'pending')).filter((f) => f.endsWith('.mig')).sort().map((f) => join(dir, 'pending', f));

function explain(o: ScenarioOutcome): string {
  if (o.reason) return `${o.status}: ${o.reason}`;
  return o.differences.map((d) => `  line ${d.line + 1} ${d.field}: engine ${d.profile} ${d.engine} | kernel ${d.kernelLabel} ${d.kernel}`).join('\n');
}

// The expectations document what the kernels do; with the engine equal to the
// kernels field by field, they must hold in the engine under both profiles too.
test('every parity scenario’s expectations hold in the engine on profiles 6.1 and 6.12', () => {
  const bad: string[] = [];
  for (const file of suite)
    for (const profile of ['6.1', '6.12']) {
      const r = run(parse(readFileSync(file, 'utf8')).scenario, { profile });
      if (r.error) bad.push(`${file}:${r.error.line + 1} (${profile}): ${r.error.message}`);
      for (const e of r.expects) if (!e.ok) bad.push(`${file}:${e.range.start.line + 1} (${profile}): ${e.message}`);
    }
  assert.deepEqual(bad, []);
});

let report: ParityReport | undefined;
let failure: Error | undefined;

test('the parity suite boots Linux 6.1 and 6.12 in QEMU and runs every scenario', { timeout: 20 * 60_000 }, async () => {
  assert.ok(suite.length >= 10, `expected the parity scenarios in ${dir}`);
  try {
    report = await runParity([...suite, ...pending]);
  } catch (e) {
    failure = e as Error;
  }
  assert.equal(failure, undefined, `the harness could not run: ${failure?.message}`);
  for (const k of report!.kernels) assert.ok(k.ok, `kernel ${k.label} did not run after ${k.attempts} boots: ${k.error}`);
  for (const k of report!.kernels) {
    assert.ok(k.boot?.event, `kernel ${k.label}: the mm_migrate_pages tracepoint could not be enabled`);
    assert.ok(k.boot?.kprobe, `kernel ${k.label}: the migrate_pages kretprobe could not be set`);
    assert.ok(k.boot?.flushprobe, `kernel ${k.label}: the try_to_unmap_flush kprobe could not be set`);
    assert.ok(k.boot?.anonprobe, `kernel ${k.label}: the folio_get_anon_vma kretprobe could not be set`);
  }
  console.log(formatReport(report!));
});

for (const file of suite) {
  test(`${file.replace(/^.*\/test\//, 'test/')} matches the engine on every kernel`, () => {
    assert.ok(report, `the suite did not run: ${failure?.message ?? 'see the first test'}`);
    const o = report.scenarios.find((s) => s.file === file);
    assert.ok(o, 'no outcome');
    assert.equal(o.status, 'match', `${file}:\n${explain(o)}`);
  });
}

for (const file of pending) {
  test(`${file.replace(/^.*\/test\//, 'test/')} still differs from the engine (known; see pending/README.md)`, () => {
    assert.ok(report, `the suite did not run: ${failure?.message ?? 'see the first test'}`);
    const o = report.scenarios.find((s) => s.file === file);
    assert.ok(o, 'no outcome');
    assert.equal(o.status, 'differ', o.status === 'match' ? `${file} now matches: move it up into test/parity/` : `${file}: ${explain(o)}`);
  });
}
