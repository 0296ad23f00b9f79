// Fuzzing the language server through the protocol: mutated examples and random
// text, each followed by a random mix of requests at random positions (inside
// and outside the text). The server must answer every request, never log a
// handler failure, and publish only diagnostics whose ranges lie inside the
// document. FUZZ_DOCS sets the number of documents (default 10,000), FUZZ_SEED
// replays a run.
//
// The property runs in a child process (test/server/fuzz-worker.ts, with the
// server in-process there): when a document makes the server hang or run out of
// memory, this test fails within seconds and shows that document.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const DOCS = Number(process.env.FUZZ_DOCS ?? 10_000);
/** No progress for this long means the server is stuck on the current document. */
const STALL_MS = 20_000;

test(`the server survives ${DOCS} fuzzed documents and answers every request`, { timeout: 900_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'migtrace-fuzz-'));
  const current = join(dir, 'current.json');
  const args = ['--max-old-space-size=1024', '--import', 'tsx', join(root, 'test', 'server', 'fuzz-worker.ts'), String(DOCS)];
  if (process.env.FUZZ_SEED) args.push(process.env.FUZZ_SEED);
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, FUZZ_CURRENT: current }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  let stalled = false;
  const watchdog = setInterval(() => {
    const last = existsSync(current) ? statSync(current).mtimeMs : 0;
    if (last && Date.now() - last > STALL_MS) {
      stalled = true;
      child.kill('SIGKILL');
    }
  }, 1000);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearInterval(watchdog);
  try {
    const doc = existsSync(current) ? readFileSync(current, 'utf8') : '(none)';
    const tail = out.split('\n').filter((l) => !/^\s*\d+: 0x/.test(l)).slice(-30).join('\n');
    if (stalled) assert.fail(`the server made no progress for ${STALL_MS / 1000} s on this document (a hang):\n${doc}`);
    assert.equal(code, 0, `the fuzz run failed (exit ${code}); last document:\n${doc}\n${tail}`);
    assert.match(out, new RegExp(`fuzz: ${DOCS} documents`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
