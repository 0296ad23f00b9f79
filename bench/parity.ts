// Benchmark of the real-kernel parity harness: wall time for one scenario on
// both kernels and for the whole parity suite (test/parity/*.mig), boots
// included. Goal: one scenario on both kernels within 30 s on a 2-core machine.
//   node --import tsx bench/parity.ts [--runs N] [--single-only]
// Prints a table and writes bench/out/parity.json.

import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runParity } from '../parity/index';

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] ?? 1) || 1;
const singleOnly = args.includes('--single-only');
const dir = join(__dirname, '..', 'test', 'parity');
const suite = readdirSync(dir).filter((f) => f.endsWith('.mig')).sort().map((f) => join(dir, f));
const single = join(dir, 'mp-batching-node-changes.mig');

interface Row { what: string; scenarios: number; seconds: number[]; boots: number; retries: number; ok: boolean; why: string[] }

async function measure(what: string, files: string[]): Promise<Row> {
  const row: Row = { what, scenarios: files.length, seconds: [], boots: 0, retries: 0, ok: true, why: [] };
  for (let i = 0; i < runs; i++) {
    const t0 = Date.now();
    const r = await runParity(files, { onProgress: (p) => p.phase === 'boot' && /attempt/.test(p.message) && row.why.push(p.message) });
    row.seconds.push((Date.now() - t0) / 1000);
    row.boots += r.kernels.reduce((a, k) => a + k.attempts, 0);
    row.retries += r.kernels.reduce((a, k) => a + k.attempts - 1, 0);
    row.ok &&= r.kernels.every((k) => k.ok);
  }
  return row;
}

(async () => {
  const rows = [await measure('one scenario, 6.1 + 6.12', [single])];
  if (!singleOnly) rows.push(await measure(`parity suite (${suite.length} scenarios), 6.1 + 6.12`, suite));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log('| run | scenarios | median s | all runs s | boots (retries) | goal |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) {
    const goal = r.scenarios === 1 ? (median(r.seconds) <= 30 ? '≤ 30 s: met' : '≤ 30 s: MISSED') : '—';
    console.log(`| ${r.what} | ${r.scenarios} | ${median(r.seconds).toFixed(1)} | ${r.seconds.map((s) => s.toFixed(1)).join(', ')} | ${r.boots} (${r.retries}) | ${goal} |`);
  }
  for (const r of rows) for (const w of r.why) console.log(`retry: ${w}`);
  mkdirSync(join(__dirname, 'out'), { recursive: true });
  writeFileSync(join(__dirname, 'out', 'parity.json'), JSON.stringify({ date: new Date().toISOString(), rows }, null, 2));
})();
