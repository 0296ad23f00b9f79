// Trace.stateAt(i) at random events of a big trace (the debugger's jumps): the
// one-time checkpoint build, then median and p99 per jump, against the naive peer
// in the same run (a straight replay of the log from the start to the event).
// Goal: p99 ≤ 10 ms on a 10,000,000-event trace.
//
//   node --expose-gc --max-old-space-size=12000 --import tsx bench/engine-stateat.ts   (BENCH_FOLIOS=1000000, BENCH_JUMPS=200)

import { buildAndMigrate } from './lib/mbind-workload';
import { summarize, ms } from './lib/stats';
import { table, machineLine, writeResult } from './lib/report';

const N = Number(process.env.BENCH_FOLIOS ?? 1_000_000);
const JUMPS = Number(process.env.BENCH_JUMPS ?? 200);

function main(): void {
  console.log(`engine-stateat: trace of an mbind-like migration of ${N.toLocaleString('en')} folios, ${machineLine()}`);
  const { trace } = buildAndMigrate(N);
  let seed = 12345;
  const rnd = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  const t0 = performance.now();
  trace.stateAt(0); // builds the checkpoints (one replay of the log)
  const buildMs = performance.now() - t0;
  const jumps: number[] = [];
  for (let k = 0; k < JUMPS; k++) {
    const i = Math.floor(rnd() * trace.n);
    const t = performance.now();
    const s = trace.stateAt(i);
    if (s.nFolios < 0) throw new Error('unreachable');
    jumps.push(performance.now() - t);
  }
  // the naive peer: replay from the very start to a random event, a few times
  const naive: number[] = [];
  for (let k = 0; k < 5; k++) {
    const i = Math.floor(rnd() * trace.n);
    const t = performance.now();
    const s = trace.initialState();
    s.replay(trace.log, 0, trace.mut[i]);
    naive.push(performance.now() - t);
  }
  const j = summarize(jumps);
  const nv = summarize(naive);
  console.log(
    table(
      ['measure', 'value', 'goal', ''],
      [
        ['events in the trace', trace.n.toLocaleString('en'), '10,000,000', trace.n >= 10_000_000 ? '' : 'smaller trace'],
        ['mutation records', trace.log.n.toLocaleString('en'), '', ''],
        ['checkpoints', String(trace.checkpointCount()), '', ''],
        ['event store, bytes per event', (trace.eventBytes() / trace.n).toFixed(1), '≤ 32', trace.eventBytes() / trace.n <= 32 ? 'met' : 'MISSED'],
        ['mutation log, bytes per event', (trace.log.bytes() / trace.n).toFixed(1), '(reported)', ''],
        ['snapshots (initial + checkpoints), bytes per event', (trace.checkpointBytes() / trace.n).toFixed(1), '(reported)', ''],
        ['whole trace, bytes per event', (trace.totalBytes() / trace.n).toFixed(1), '(reported)', ''],
        ['checkpoint build (once)', `${ms(buildMs)} ms`, '', ''],
        ['stateAt median', `${ms(j.median)} ms`, '', ''],
        ['stateAt p99', `${ms(j.p99)} ms`, '≤ 10 ms', j.p99 <= 10 ? 'met' : 'MISSED'],
        ['naive replay from the start, median', `${ms(nv.median)} ms`, '(peer)', ''],
      ],
    ),
  );
  const file = writeResult('engine-stateat', { folios: N, events: trace.n, records: trace.log.n, checkpoints: trace.checkpointCount(), eventBytes: trace.eventBytes() / trace.n, logBytes: trace.log.bytes() / trace.n, snapshotBytes: trace.checkpointBytes() / trace.n, totalBytes: trace.totalBytes() / trace.n, buildMs, jumps: j, naive: nv });
  console.log(`figures written to ${file}`);
}

main();
