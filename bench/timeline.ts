// The trace timeline for 10,000 folios × 10 passes: building the cell model
// from the trace, the message the webview receives (base64 typed arrays, its
// JSON size) and decoding it plus the cells of the first screen, as the webview
// does. Peer in the same run: one bare loop over the same events reading the
// columns the model reads (the floor for anything built from the trace).
// Goal: model + message + first screen ≤ 200 ms, message ≤ 1 MB.
//
//   node --import tsx bench/timeline.ts   (BENCH_FOLIOS=10000, BENCH_REPEAT=7)

import { parse } from '../scenario';
import { run } from '../engine';
import { buildTimelineModel } from '../client/timeline/model';
import { toWire } from '../client/timeline/wire';
import { summarize, ms } from './lib/stats';
import { table, machineLine, writeResult } from './lib/report';

const N = Number(process.env.BENCH_FOLIOS ?? 10_000);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 7);
const SCREEN_ROWS = 40;

/** N folios with an extra reference for ten passes: every one of 6.12's 3 async + 7 sync passes fails them with -EAGAIN in the move phase. */
export function scenarioText(n: number): string {
  const names = Array.from({ length: n }, (_, i) => `F${i}`);
  const lines = ['scenario "timeline bench"', 'kernel 6.12', 'node 0 memory 4G', 'node 1 memory 4G'];
  for (const f of names) lines.push(`folio ${f} order 0 node 0 anon lru`);
  for (const f of names) lines.push(`inject ref ${f} +1 passes 0..9`);
  lines.push(`migrate_pages [${names.join(', ')}] to node 1 mode MIGRATE_SYNC`);
  return lines.join('\n') + '\n';
}

function time<T>(f: () => T): [T, number] {
  const t = performance.now();
  const v = f();
  return [v, performance.now() - t];
}

/** What the webview does on the model message: decode the arrays and compute the first screen's cells. */
function firstScreen(json: string): number {
  const w = JSON.parse(json) as ReturnType<typeof toWire>;
  const cells = Buffer.from(w.cells, 'base64');
  const flags = Buffer.from(w.flags, 'base64');
  let filled = 0;
  const nCols = w.columns.length;
  for (let r = 0; r < Math.min(SCREEN_ROWS, w.rows); r++)
    for (let c = 0; c < nCols; c++) {
      const k = r * nCols + c;
      const label = `${w.labels[r]}, ${w.columns[c]}: ${w.outcomes[cells[k]] || 'nothing'}${flags[k] & 1 ? ', split' : ''}`;
      if (cells[k] && label) filled++;
    }
  return filled;
}

function main(): void {
  console.log(`timeline: ${N.toLocaleString('en')} folios, ${machineLine()}`);
  const sc = parse(scenarioText(N)).scenario;
  const [r, runMs] = time(() => run(sc, {}));
  if (r.error) throw new Error(`the bench scenario stopped: line ${r.error.line + 1}: ${r.error.message}`);
  const t = r.trace;
  const build: number[] = [];
  const wire: number[] = [];
  const screen: number[] = [];
  const peer: number[] = [];
  let bytes = 0;
  let model = buildTimelineModel(r);
  for (let k = 0; k < REPEAT; k++) {
    const [m, b] = time(() => buildTimelineModel(r));
    model = m;
    build.push(b);
    const [json, wms] = time(() => JSON.stringify(toWire(m, 'bench', 'reveal')));
    bytes = json.length;
    wire.push(wms);
    const [filled, sms] = time(() => firstScreen(json));
    if (filled === 0) throw new Error('the first screen is empty');
    screen.push(sms);
    const [, pms] = time(() => {
      let acc = 0;
      for (let i = 0; i < t.n; i++) if (t.folio[i] >= 0) acc += t.type[i] + t.pass_[i];
      return acc;
    });
    peer.push(pms);
  }
  const b = summarize(build);
  const w = summarize(wire);
  const s = summarize(screen);
  const p = summarize(peer);
  const total = b.median + w.median + s.median;
  let nonEmpty = 0;
  for (const c of model.cells) if (c) nonEmpty++;
  console.log(
    table(
      ['measure', 'value', 'goal', ''],
      [
        ['events in the trace', t.n.toLocaleString('en'), '', ''],
        ['rows × columns', `${model.rows.toLocaleString('en')} × ${model.columns.length}`, '10,000 × 20', ''],
        ['non-empty cells', nonEmpty.toLocaleString('en'), '', ''],
        ['engine run (once, not part of the figure)', `${ms(runMs)} ms`, '', ''],
        ['model build, median', `${ms(b.median)} ms`, '', ''],
        ['webview message (toWire + JSON), median', `${ms(w.median)} ms`, '', ''],
        ['message size', `${(bytes / 1024).toFixed(0)} KB`, '≤ 1024 KB', bytes <= 1024 * 1024 ? 'met' : 'MISSED'],
        [`decode + first screen (${SCREEN_ROWS} rows), median`, `${ms(s.median)} ms`, '', ''],
        ['model + message + first screen', `${ms(total)} ms`, '≤ 200 ms', total <= 200 ? 'met' : 'MISSED'],
        ['bare loop over the events, median', `${ms(p.median)} ms`, '(peer)', ''],
      ],
    ),
  );
  const file = writeResult('timeline', { folios: N, events: t.n, rows: model.rows, columns: model.columns.length, nonEmpty, runMs, build: b, wire: w, screen: s, peer: p, bytes, totalMs: total });
  console.log(`figures written to ${file}`);
}

main();
