// The long fuzz run of the language server: the same property test CI runs
// (test/unit/fuzz-server.test.ts, 10,000 documents), with 100,000 documents by
// default. Reports documents per second; fails when the test fails.
//
//   FUZZ_DOCS=100000 node --import tsx bench/lsp-fuzz.ts      (npm run bench:fuzz)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { machineLine, writeResult } from './lib/report';

const ROOT = resolve(__dirname, '..');
const TEST = join('test', 'unit', 'fuzz-server.test.ts');
const docs = Number(process.env.FUZZ_DOCS ?? 100_000);

if (!Number.isInteger(docs) || docs < 1) {
  console.error(`lsp-fuzz: FUZZ_DOCS="${process.env.FUZZ_DOCS}" is not a number of documents`);
  process.exit(2);
}
if (!existsSync(join(ROOT, TEST))) {
  console.log(`lsp-fuzz: skipped, ${TEST} does not exist yet`);
  process.exit(0);
}
console.log(`Fuzzing the language server with ${docs.toLocaleString('en-US')} documents (${machineLine()})`);
const t0 = performance.now();
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-timeout=0', TEST], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, FUZZ_DOCS: String(docs) },
});
const seconds = (performance.now() - t0) / 1000;
const ok = r.status === 0;
console.log(`${ok ? 'passed' : 'FAILED'}: ${docs.toLocaleString('en-US')} documents in ${seconds.toFixed(0)} s (${(docs / seconds).toFixed(0)} documents/s)`);
console.log(`wrote ${writeResult('lsp-fuzz', { docs, seconds, passed: ok })}`);
process.exitCode = ok ? 0 : 1;
