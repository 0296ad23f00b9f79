// The engine's worker thread runs at nice 10 on Linux, so that a long run does not
// take the CPU from the server's main thread (requests) and the editor.

import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { EngineRunner } from '../../server/engine-runner';

/** nice of each thread of this process (field 19 of /proc/self/task/TID/stat) */
function threadNices(): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    // the command name (field 2) may hold spaces: count fields after its closing parenthesis
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.set(Number(tid), Number(fields[16]));
  }
  return out;
}

test('the engine worker thread runs at nice 10 and the main thread keeps its priority', { skip: process.platform !== 'linux' }, async () => {
  const before = threadNices();
  const runner = new EngineRunner();
  try {
    const text = 'kernel 6.12\nnode 0 memory 1G\nnode 1 memory 1G\nprocess app\n  mmap heap anon private 64K\n  touch heap\nmbind app heap MPOL_BIND nodes 1 flags MPOL_MF_MOVE\n';
    await runner.submit('t', { kind: 'run', job: { text, defaultProfile: '6.12', deadlineMs: 5000, maxEvents: 100_000, file: 't.mig' } }, 30_000);
    const after = threadNices();
    const added = [...after].filter(([tid]) => !before.has(tid));
    assert.ok(added.some(([, nice]) => nice === 10), `a new thread at nice 10 (new threads: ${JSON.stringify(added)})`);
    assert.equal(after.get(process.pid), before.get(process.pid), 'the main thread is untouched');
  } finally {
    runner.dispose();
  }
});
