// Jumps across a whole trace of ~10,000,000 events: goto between the first and
// last events, and reverseContinue from the end to a breakpoint on the first
// event, each timed from the request to the stopped event. Goal: p99 ≤ 20 ms.
//   node --import tsx bench/debugger-jump.ts [folios=1000000] [jumps=100]   (BENCH_ADAPTER_HEAP_MB: the adapter's heap, 8192)
import { performance } from 'node:perf_hooks';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { ensureBuilt, ADAPTER, ROOT } from '../test/debug-adapter/helpers';
import { launchStopped, manyFolios, timedMove, writeScenario } from './debugger-lib';
import { ms, summarize } from './lib/stats';
import { machineLine, table, writeResult } from './lib/report';

async function main(): Promise<void> {
  const folios = Number(process.argv[2] ?? 1_000_000);
  const jumps = Number(process.argv[3] ?? 100);
  ensureBuilt();
  const program = writeScenario(`debugger-jump-${folios}.mig`, manyFolios(folios));
  const dc = new DebugClient('node', ADAPTER, 'migtrace', { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: `--max-old-space-size=${process.env.BENCH_ADAPTER_HEAP_MB ?? 8192}` } }, true);
  await dc.start();
  const t0 = performance.now();
  await launchStopped(dc, program);
  const launchMs = performance.now() - t0;
  await timedMove(dc, () => dc.continueRequest({ threadId: 1 }));
  const lastIndex = Number((await dc.evaluateRequest({ expression: 'index', context: 'watch' })).body.result);

  const gotos: number[] = [];
  const shown: number[] = [];
  for (let k = 0; k < jumps; k++) {
    // alternate ends, with a little spread so that no two jumps land on the same event
    const target = k % 2 === 0 ? k : lastIndex - k;
    const t1 = performance.now();
    gotos.push((await timedMove(dc, () => dc.gotoRequest({ threadId: 1, targetId: target + 1 }))).ms);
    // and what the editor asks next: the state at the new event (engine stateAt across the trace)
    const frames = (await dc.stackTraceRequest({ threadId: 1, startFrame: 0, levels: 20 })).body.stackFrames;
    const scopes = (await dc.scopesRequest({ frameId: frames[0]?.id ?? 1 })).body.scopes;
    await dc.variablesRequest({ variablesReference: scopes.find((x) => x.name === 'Lists')!.variablesReference });
    shown.push(performance.now() - t1);
  }
  // reverseContinue from the end to the first event's breakpoint (mm_migrate_pages_start or the first entry)
  await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'migrate_pages' }] });
  const reverse: number[] = [];
  for (let k = 0; k < jumps; k++) {
    await timedMove(dc, () => dc.gotoRequest({ threadId: 1, targetId: lastIndex - k + 1 }));
    reverse.push((await timedMove(dc, () => dc.reverseContinueRequest({ threadId: 1 }))).ms);
  }
  const landed = (await dc.evaluateRequest({ expression: 'index', context: 'watch' })).body.result;
  await dc.stop();

  const g = summarize(gotos);
  const v = summarize(shown);
  const r = summarize(reverse);
  console.log(`debugger jumps — ${(lastIndex + 1).toLocaleString('en-US')} events (${folios.toLocaleString('en-US')} folios); ${machineLine()}`);
  console.log(`launch (parse + engine run + indexes) ${ms(launchMs)} ms; reverseContinue lands on event ${landed}`);
  console.log(
    table(
      ['jump (request → stopped)', 'n', 'median ms', 'p99 ms', 'max ms'],
      [
        ['goto first ↔ last event', String(g.n), ms(g.median), ms(g.p99), ms(g.max)],
        ['goto + stackTrace + scopes + variables(Lists) at the new event', String(v.n), ms(v.median), ms(v.p99), ms(v.max)],
        ['reverseContinue last → first (function breakpoint)', String(r.n), ms(r.median), ms(r.p99), ms(r.max)],
      ],
    ),
  );
  console.log(`goal p99 ≤ 20 ms: goto ${g.p99 <= 20 ? 'met' : 'NOT met'}, goto with the new state shown ${v.p99 <= 20 ? 'met' : 'NOT met'}, reverseContinue ${r.p99 <= 20 ? 'met' : 'NOT met'}`);
  writeResult('debugger-jump', { events: lastIndex + 1, folios, launchMs, goto: g, gotoShown: v, reverseContinue: r });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
