// The migtrace command line: run, check, diff and their errors, through main() with
// captured output, plus one real process to see exit codes and the absence of a
// progress bar when the output is piped.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/main';
import type { CliIo } from '../../cli/io';

const ROOT = join(__dirname, '..', '..');
const CORE = join(ROOT, 'test', 'scenarios', 'core');

function io(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (s) => stdout.push(s), err: (s) => stderr.push(s), tty: false };
}

const tmp = mkdtempSync(join(tmpdir(), 'migtrace-cli-'));
const GOOD = join(tmp, 'good.mig');
writeFileSync(
  GOOD,
  `scenario "good"
node 0 memory 64M
node 1 memory 64M
folio A order 0 node 0 anon lru
migrate_pages [A] to node 1 mode MIGRATE_ASYNC
  expect return 0
  expect folio A node 1
`,
);
const BAD_EXPECT = join(tmp, 'bad-expect.mig');
writeFileSync(
  BAD_EXPECT,
  `node 0 memory 64M
node 1 memory 64M
folio A order 0 node 0 anon lru locked
migrate_pages [A] to node 1 mode MIGRATE_ASYNC
  expect return 0
  expect event EAGAIN on A count 10
`,
);

test('run prints each operation with its return value and the expectations', async () => {
  const o = io();
  assert.equal(await main(['run', GOOD], o), 0);
  const text = o.stdout.join('\n');
  assert.match(text, /good\.mig:5: migrate_pages_internal → return 0/);
  assert.match(text, /good\.mig:6: ok: return 0/);
});

test('run --format ftrace prints the kernel tracepoint lines, without nr_split on 6.1', async () => {
  const a = io();
  assert.equal(await main(['run', GOOD, '--format', 'ftrace', '--kernel', '6.12'], a), 0);
  assert.match(a.stdout.join(''), /mm_migrate_pages: nr_succeeded=1 nr_failed=0 nr_thp_succeeded=0 nr_thp_failed=0 nr_thp_split=0 nr_split=0 mode=MIGRATE_ASYNC reason=syscall_or_cpuset/);
  const b = io();
  assert.equal(await main(['run', GOOD, '--format', 'ftrace', '--kernel', '6.1'], b), 0);
  assert.match(b.stdout.join(''), /nr_thp_split=0 mode=MIGRATE_ASYNC/);
  assert.doesNotMatch(b.stdout.join(''), /nr_split=/);
});

test('run --trace-out writes JSON when the file ends in .json', async () => {
  const out = join(tmp, 'trace.json');
  assert.equal(await main(['run', GOOD, '--trace-out', out], io()), 0);
  const j = JSON.parse(readFileSync(out, 'utf8')) as { events: { event: string }[]; profile: string };
  assert.equal(j.profile, '6.12');
  assert.ok(j.events.some((e) => e.event === 'MIGRATEPAGE_SUCCESS'));
});

test('check ends with the summary line and fails when an expectation fails', async () => {
  const ok = io();
  assert.equal(await main(['check', GOOD], ok), 0);
  assert.equal(ok.stdout[ok.stdout.length - 1], '2 passed, 0 failed');
  const bad = io();
  assert.equal(await main(['check', GOOD, BAD_EXPECT], bad), 1);
  assert.equal(bad.stdout[bad.stdout.length - 1], '3 passed, 1 failed');
  assert.ok(bad.stdout.some((l) => /bad-expect\.mig:5: FAILED: expected return 0, got return 1/.test(l)));
});

test('check runs a file under every profile of its # profiles: line', async () => {
  const o = io();
  assert.equal(await main(['check', join(CORE, 'lock-async-eagain.mig')], o), 0);
  const [p] = o.stdout[o.stdout.length - 1].split(' ');
  assert.equal(Number(p), 9 * 3);
});

test('diff reports the differences between two kernels and exits 1, 0 when they agree', async () => {
  const d = io();
  assert.equal(await main(['diff', '--kernel', '6.1', '--kernel', '6.12', join(CORE, 'writeback-sync-6.12.mig')], d), 1);
  assert.ok(d.stdout.some((l) => /events EBUSY: 6\.1 0 \| 6\.12 1/.test(l)));
  const same = io();
  assert.equal(await main(['diff', '--kernel', '6.12', '--kernel', '6.12', GOOD], same), 0);
});

test('bad input gives a clear error naming the file and line, and exit status 1 or 2', async () => {
  const f = join(tmp, 'bad-node.mig');
  writeFileSync(f, 'node 0 memory 1G\nfolio A order 0 node 5 anon\n');
  const a = io();
  assert.equal(await main(['run', f], a), 1);
  assert.match(a.stdout.join('\n'), /bad-node\.mig:2: error: folio A: node 5 does not exist/);
  const b = io();
  assert.equal(await main(['run', join(tmp, 'missing.mig')], b), 1);
  assert.match(b.stderr.join(''), /missing\.mig: cannot read: ENOENT/);
  const c = io();
  assert.equal(await main(['run', GOOD, '--kernel', '5.4'], c), 2);
  assert.match(c.stderr.join(''), /unknown kernel profile '5\.4'/);
  const d = io();
  assert.equal(await main(['frobnicate'], d), 2);
  const e = io();
  assert.equal(await main(['run', GOOD, '--format', 'xml'], e), 2);
});

test('the migtrace process exits with the check status and draws no progress bar when piped', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'cli', 'main.ts'), 'check', GOOD, BAD_EXPECT], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.equal(r.stdout.trim().split('\n').pop(), '3 passed, 1 failed');
  assert.doesNotMatch(r.stderr, /\r/);
});
