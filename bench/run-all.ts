// Runs every benchmark under bench/ one after another (never in parallel: they
// would measure each other), prints their figures as they come, then a summary.
// A benchmark that fails or overruns its time is reported and the rest still run.
//
//   npm run bench                      all of them
//   npm run bench -- lsp parse         only those whose file name contains a word
//   npm run bench -- --list            what would run, in order
//   BENCH_TIMEOUT_S=1200               per-benchmark limit (default 20 min)
//   BENCH_FUZZ=1                       also the long fuzz run (lsp-fuzz.ts)
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { machineLine, table, writeResult } from './lib/report';

const BENCH = __dirname;
const TIMEOUT_S = Number(process.env.BENCH_TIMEOUT_S ?? 1200);
const LIST_ONLY = process.argv.includes('--list');
const filters = process.argv.slice(2).filter((a) => a !== '--list');

// Order: the fast, self-contained ones first; the ones that start a browser last.
const ORDER = ['parse-', 'lsp-latency', 'lsp-responsiveness', 'engine-', 'debugger-', 'parity', 'vsix-size', 'activation', 'lsp-fuzz'];
const rank = (f: string): number => {
  const i = ORDER.findIndex((p) => f.startsWith(p));
  return i < 0 ? ORDER.length - 1 : i;
};

function benchmarks(): string[] {
  return readdirSync(BENCH)
    .filter((f) => f.endsWith('.ts') && f !== 'run-all.ts' && !/(^|-)lib\.ts$/.test(f))
    .filter((f) => f !== 'lsp-fuzz.ts' || process.env.BENCH_FUZZ === '1')
    .filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)))
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

function run(file: string): Promise<{ status: string; seconds: number }> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', join(BENCH, file)], { stdio: 'inherit', cwd: join(BENCH, '..') });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
    }, TIMEOUT_S * 1000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const seconds = (performance.now() - t0) / 1000;
      resolve({ status: timedOut ? `timed out after ${TIMEOUT_S} s` : code === 0 ? 'ok' : `failed (${signal ?? `exit ${code}`})`, seconds });
    });
  });
}

async function main(): Promise<void> {
  const files = benchmarks();
  if (LIST_ONLY) {
    console.log(files.join('\n'));
    return;
  }
  console.log(`Benchmarks: ${files.join(', ')}\n${machineLine()}`);
  const summary: { benchmark: string; status: string; seconds: number }[] = [];
  for (const f of files) {
    console.log(`\n=== ${f} ${'='.repeat(Math.max(0, 70 - f.length))}`);
    summary.push({ benchmark: f, ...(await run(f)) });
  }
  console.log('\n' + table(['benchmark', 'result', 'time (s)'], summary.map((s) => [s.benchmark, s.status, s.seconds.toFixed(0)])));
  console.log('figures: bench/out/*.json');
  writeResult('run-all', { summary });
  if (summary.some((s) => s.status !== 'ok')) process.exitCode = 1;
}

void main();
