// The engine's throughput: an mbind-like migration of N order-0 folios (default
// 1,000,000) with the full trace (events + mutation log), against a bare loop in
// the same run that only moves folio ids between arrays and appends one 32-byte
// record per event. Goals: ≤ 1 s, ≤ 32 B per event, ratio to the bare loop ≤ 5×.
//
//   node --expose-gc --import tsx bench/engine-mbind.ts      (BENCH_FOLIOS=1000000)

import { buildAndMigrate } from './lib/mbind-workload';
import { table, machineLine, writeResult } from './lib/report';

const N = Number(process.env.BENCH_FOLIOS ?? 1_000_000);

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** The peer: the same number of folio moves and event records, nothing else. */
function bareLoop(n: number, events: number): number {
  const t1 = performance.now();
  const from = new Int32Array(n);
  for (let i = 0; i < n; i++) from[i] = i;
  const to = new Int32Array(n);
  const perFolio = Math.max(1, Math.round(events / n));
  const recType = new Uint16Array(events + perFolio);
  const recFolio = new Int32Array(events + perFolio);
  const recAux = new Float64Array(events + perFolio);
  const recAux2 = new Float64Array(events + perFolio);
  const recMeta = new Int32Array((events + perFolio) * 2);
  let e = 0;
  for (let i = 0; i < n; i++) {
    const f = from[i];
    to[i] = f + n;
    for (let k = 0; k < perFolio; k++) {
      recType[e] = k;
      recFolio[e] = f;
      recAux[e] = i;
      recAux2[e] = k;
      recMeta[2 * e] = e;
      recMeta[2 * e + 1] = 0;
      e++;
    }
  }
  if (to[n - 1] !== n - 1 + n) throw new Error('bare loop did not run');
  return performance.now() - t1;
}

function main(): void {
  console.log(`engine-mbind: ${N.toLocaleString('en')} order-0 folios, ${machineLine()}`);
  gc();
  const rss0 = process.memoryUsage();
  let peakRss = rss0.rss;
  const timer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 5);
  const runs: number[] = [];
  let last: ReturnType<typeof buildAndMigrate> | undefined;
  for (let k = 0; k < 3; k++) {
    last = undefined;
    gc();
    last = buildAndMigrate(N);
    runs.push(last.ms);
  }
  clearInterval(timer);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const { trace } = last!;
  const events = trace.n;
  const bare: number[] = [];
  for (let k = 0; k < 3; k++) bare.push(bareLoop(N, events));
  const best = Math.min(...runs);
  const bareBest = Math.min(...bare);
  const eventBytes = trace.eventBytes() / events;
  const totalBytes = trace.totalBytes() / events;
  const rows = [
    ['wall time (best of 3)', `${best.toFixed(0)} ms`, '≤ 1000 ms', best <= 1000 ? 'met' : 'MISSED'],
    ['events', events.toLocaleString('en'), '', ''],
    ['events per second', Math.round(events / (best / 1000)).toLocaleString('en'), '', ''],
    ['event store, bytes per event', eventBytes.toFixed(1), '≤ 32', eventBytes <= 32 ? 'met' : 'MISSED'],
    ['events + mutation log + initial snapshot, bytes per event', totalBytes.toFixed(1), '(reported)', ''],
    ['mutation records', trace.log.n.toLocaleString('en'), '', ''],
    ['bare loop (same run, best of 3)', `${bareBest.toFixed(0)} ms`, '', ''],
    ['ratio engine / bare loop', `${(best / bareBest).toFixed(1)}×`, '≤ 5×', best / bareBest <= 5 ? 'met' : 'MISSED'],
    ['peak RSS', `${(peakRss / 1048576).toFixed(0)} MB`, '', ''],
  ];
  console.log(table(['measure', 'value', 'goal', ''], rows));
  const file = writeResult('engine-mbind', { folios: N, runsMs: runs, bareMs: bare, events, eventBytes, totalBytes, mutationRecords: trace.log.n, peakRssMB: peakRss / 1048576 });
  console.log(`figures written to ${file}`);
}

main();
