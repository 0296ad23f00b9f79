// One debugger step round trip on a scenario with 100,000 folios, as VS Code
// does it: next → stopped → stackTrace → scopes → variables of the Lists scope.
// In the same run, with the same client and adapter: the round trip of a no-op
// request (threads), the floor of any DAP exchange. Goal: step ≤ 5 ms median and ≤ 2× the floor.
//   node --import tsx bench/debugger-step.ts [folios=100000] [steps=300]
import { performance } from 'node:perf_hooks';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { ensureBuilt, ADAPTER, ROOT } from '../test/debug-adapter/helpers';
import { launchStopped, manyFolios, timedMove, writeScenario } from './debugger-lib';
import { ms, summarize } from './lib/stats';
import { machineLine, table, writeResult } from './lib/report';

async function main(): Promise<void> {
  const folios = Number(process.argv[2] ?? 100_000);
  const steps = Number(process.argv[3] ?? 300);
  ensureBuilt();
  const program = writeScenario(`debugger-step-${folios}.mig`, manyFolios(folios));
  const dc = new DebugClient('node', ADAPTER, 'migtrace', { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=8192' } }, true);
  await dc.start();
  const t0 = performance.now();
  // Stop where the lists are full: the first migrate_folio_move, when every unmapped folio waits on unmap_folios.
  await launchStopped(dc, program, () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'migrate_folio_move' }] }));
  const launchMs = performance.now() - t0;
  await timedMove(dc, () => dc.continueRequest({ threadId: 1 }));
  await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
  const sizesBefore = await dc.evaluateRequest({ expression: 'count(unmap_folios)', context: 'watch' }).then(
    (r) => r.body.result,
    (e: Error) => e.message,
  );
  // warm-up: the engine builds its checkpoints on the first stateAt, the JIT settles
  for (let k = 0; k < 20; k++) await timedMove(dc, () => dc.nextRequest({ threadId: 1 }));

  const step: number[] = [];
  const floor: number[] = [];
  const floor4: number[] = [];
  let listVars = 0;
  for (let k = 0; k < steps; k++) {
    // the floor first, so both see the same adapter state and warmth
    const f0 = performance.now();
    await dc.threadsRequest();
    floor.push(performance.now() - f0);
    // the same number of sequential round trips as a step (4 requests), each a no-op
    const g0 = performance.now();
    for (let r = 0; r < 4; r++) await dc.threadsRequest();
    floor4.push(performance.now() - g0);

    const s0 = performance.now();
    const { stop } = await timedMove(dc, () => dc.nextRequest({ threadId: 1 }));
    const frames = (await dc.stackTraceRequest({ threadId: stop.body.threadId ?? 1, startFrame: 0, levels: 20 })).body.stackFrames;
    const scopes = (await dc.scopesRequest({ frameId: frames[0]?.id ?? 1 })).body.scopes;
    const lists = scopes.find((s) => s.name === 'Lists')!;
    listVars = (await dc.variablesRequest({ variablesReference: lists.variablesReference })).body.variables.length;
    step.push(performance.now() - s0);
  }
  const where = await dc.evaluateRequest({ expression: 'index', context: 'watch' });
  const sizes = await dc.evaluateRequest({ expression: 'count(unmap_folios)', context: 'watch' }).then(
    (r) => r.body.result,
    (e: Error) => e.message,
  );
  await dc.stop();

  const s = summarize(step);
  const f = summarize(floor);
  const f4 = summarize(floor4);
  console.log(`debugger step round trip — ${folios.toLocaleString('en-US')} folios, ${steps} steps; ${machineLine()}`);
  console.log(`launch (parse + engine run + indexes) ${ms(launchMs)} ms; last stop at event ${where.body.result}; ${listVars} lists shown; folios on unmap_folios: ${sizesBefore} at the first step, ${sizes} at the last`);
  console.log(
    table(
      ['round trip', 'median ms', 'p99 ms', 'min ms', 'max ms'],
      [
        ['step: next → stopped → stackTrace → scopes → variables(Lists)', ms(s.median), ms(s.p99), ms(s.min), ms(s.max)],
        ['floor: threads (one no-op request)', ms(f.median), ms(f.p99), ms(f.min), ms(f.max)],
        ['floor ×4: four sequential no-op requests', ms(f4.median), ms(f4.p99), ms(f4.min), ms(f4.max)],
      ],
    ),
  );
  console.log(
    `step / floor (median): ${(s.median / f.median).toFixed(2)}× one request, ${(s.median / f4.median).toFixed(2)}× four requests   ` +
      `goals: median ≤ 5 ms ${s.median <= 5 ? 'met' : 'NOT met'}, ≤ 2× floor ${s.median <= 2 * f.median ? 'met' : 'NOT met'} (one request) / ${s.median <= 2 * f4.median ? 'met' : 'NOT met'} (four)`,
  );
  writeResult('debugger-step', { folios, steps, launchMs, step: s, floor: f, floor4: f4 });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
