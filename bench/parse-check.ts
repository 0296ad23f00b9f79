// Parse + check time of the scenario language (scenario/index.ts) on generated
// scenarios of 100, 1,000 and 10,000 lines and a 10 MB file, median and p99,
// and the growth exponent between sizes (1 = linear; a quadratic step shows as 2).
//
//   node --expose-gc --import tsx bench/parse-check.ts
//   BENCH_SCALE=0.2  fewer samples (for a quick look)
import { performance } from 'node:perf_hooks';
import { check, parse } from '../scenario';
import { genScenario } from './lib/gen-scenario';
import { growthExponent, ms, summarize, type Summary } from './lib/stats';
import { machineLine, table, writeResult } from './lib/report';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const MB = 1024 * 1024;

interface Size {
  label: string;
  opts: { lines?: number; bytes?: number };
  warmup: number;
  samples: number;
}

const SIZES: Size[] = [
  { label: '100 lines', opts: { lines: 100 }, warmup: 50, samples: 300 },
  { label: '1,000 lines', opts: { lines: 1_000 }, warmup: 20, samples: 100 },
  { label: '10,000 lines', opts: { lines: 10_000 }, warmup: 5, samples: 40 },
  { label: '10 MB', opts: { bytes: 10 * MB }, warmup: 1, samples: 7 },
];

interface SizeResult {
  label: string;
  lines: number;
  bytes: number;
  diagnostics: number;
  parse: Summary;
  check: Summary;
  total: Summary;
  /** CPU time of this process for parse+check: unlike wall time, it does not grow when other work takes the cores */
  cpu: Summary;
  /** microseconds per line at the median */
  usPerLine: number;
  heapMB: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

function runSize(s: Size): SizeResult {
  const g = genScenario(s.opts);
  const parseT: number[] = [];
  const checkT: number[] = [];
  const totalT: number[] = [];
  const cpuT: number[] = [];
  const samples = Math.max(3, Math.round(s.samples * SCALE));
  let diagnostics = 0;
  let heapMB = 0;
  for (let i = 0; i < s.warmup + samples; i++) {
    gc?.(); // a collection left over from the previous sample must not land in this one
    const before = process.memoryUsage().heapUsed;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const parsed = parse(g.text);
    const t1 = performance.now();
    const checked = check(parsed.scenario, g.text);
    const t2 = performance.now();
    const c1 = process.cpuUsage(c0);
    heapMB = Math.max(heapMB, (process.memoryUsage().heapUsed - before) / MB);
    diagnostics = parsed.diagnostics.length + checked.diagnostics.length;
    if (i < s.warmup) continue;
    parseT.push(t1 - t0);
    checkT.push(t2 - t1);
    totalT.push(t2 - t0);
    cpuT.push((c1.user + c1.system) / 1000);
  }
  const total = summarize(totalT);
  return {
    label: s.label,
    lines: g.lines,
    bytes: g.bytes,
    diagnostics,
    parse: summarize(parseT),
    check: summarize(checkT),
    total,
    cpu: summarize(cpuT),
    usPerLine: (total.median * 1000) / g.lines,
    heapMB,
  };
}

function main(): void {
  console.log(`Parse + check (scenario/index.ts), generated scenarios, ${machineLine()}${gc ? '' : ' (run with --expose-gc for steadier figures)'}`);
  const results: SizeResult[] = [];
  for (const s of SIZES) {
    const r = runSize(s);
    results.push(r);
    if (r.diagnostics > 0) console.log(`  warning: the ${s.label} scenario has ${r.diagnostics} diagnostics; the generator should produce a clean scenario`);
  }
  console.log(
    '\n' +
      table(
        ['size', 'lines', 'parse median / p99', 'check median / p99', 'parse+check median / p99', 'CPU time median / p99', 'µs/line', 'heap after (MB)'],
        results.map((r) => [
          r.label,
          r.lines.toLocaleString('en-US'),
          `${ms(r.parse.median)} / ${ms(r.parse.p99)} ms`,
          `${ms(r.check.median)} / ${ms(r.check.p99)} ms`,
          `${ms(r.total.median)} / ${ms(r.total.p99)} ms`,
          `${ms(r.cpu.median)} / ${ms(r.cpu.p99)} ms`,
          r.usPerLine.toFixed(2),
          r.heapMB.toFixed(0),
        ]),
      ),
  );
  // below ~1,000 lines fixed costs dominate; the growth that matters is from there up
  const big = results.filter((r) => r.lines >= 1_000);
  // CPU time, not wall time: on a busy machine the wall time of the long runs is inflated more
  const exponent = growthExponent(big.map((r) => ({ size: r.lines, time: r.cpu.median })));
  const linear = exponent < 1.2;
  console.log(`\ngrowth from 1,000 lines to 10 MB: CPU time ∝ lines^${exponent.toFixed(2)} (${linear ? 'linear' : 'NOT linear: a step grows faster than the input'})`);
  console.log('cancellation: scenario/ parse() and check() take no cancellation token (they are synchronous and linear); the server checks its token between steps, see lsp-responsiveness.');
  const file = writeResult('parse-check', { scale: SCALE, results, growthExponent: exponent, linear });
  console.log(`wrote ${file}`);
}

main();
