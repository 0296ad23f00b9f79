// 1,000 random request sequences (steps both ways, continue, goto, restartFrame,
// breakpoints of every kind with good and bad conditions, evaluate, events,
// disconnect) against one standalone adapter process in server mode, with
// fast-check (seeded; a failure prints the seed and a shrunk sequence).
// Properties: nothing crashes or hangs (every request is answered, every move
// stops), and going forward, back, and forward again to the same events shows
// identical variables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import fc from 'fast-check';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { DATA, EXAMPLES, startServer } from './helpers';

const PROGRAMS = [path.join(DATA, 'contended.mig'), path.join(EXAMPLES, '001-contended-lock-enomem.mig'), path.join(EXAMPLES, 'thp-split-by-mprotect.mig')];
const FILTERS = ['EAGAIN', 'MIGRATEPAGE_UNMAP', 'MIGRATEPAGE_SUCCESS', 'ENOMEM', 'retry_pass', 'tlb_flush', 'split', 'set_migration_pte'];
const FUNCTIONS = ['migrate_pages_batch', 'migrate_folio_unmap', 'migrate_folio_move', 'move_to_new_folio', 'try_to_migrate', 'nosuch'];
const EXPRESSIONS = ['pass', 'pass >= 1 && folio == B', 'count(from)', 'B.refcount', 'A.node', 'stats.nr_succeeded', 'vmstat.pgmigrate_success', 'folio', 'B in folios', 'nr_failed', 'pas >', '((', 'count(B)', 'nodes[1].free', '"x" == event', ''];
const DATA_IDS = ['B.refcount', 'A.node', 'pass', 'stats.nr_succeeded', 'nosuch.field'];

type Action =
  | { k: 'stepIn' | 'next' | 'stepOut' | 'stepBack' | 'continue' | 'reverseContinue' | 'disconnect' | 'restartFrame' | 'events' | 'roundTrip' }
  | { k: 'goto'; at: number }
  | { k: 'exception'; filter: string; cond?: string }
  | { k: 'function'; name: string; hit?: string }
  | { k: 'line'; line: number; cond?: string; log?: string }
  | { k: 'data'; id: string }
  | { k: 'clear' }
  | { k: 'evaluate'; expr: string; context: string };

const condition = fc.option(fc.constantFrom(...EXPRESSIONS), { nil: undefined });
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<Action>({ k: 'stepIn' }, { k: 'next' }, { k: 'stepOut' }, { k: 'stepBack' }, { k: 'continue' }, { k: 'reverseContinue' }, { k: 'restartFrame' }) },
  { weight: 1, arbitrary: fc.constant<Action>({ k: 'disconnect' }) },
  { weight: 1, arbitrary: fc.constant<Action>({ k: 'events' }) },
  { weight: 1, arbitrary: fc.constant<Action>({ k: 'roundTrip' }) },
  { weight: 1, arbitrary: fc.constant<Action>({ k: 'clear' }) },
  { weight: 2, arbitrary: fc.integer({ min: -5, max: 2000 }).map<Action>((at) => ({ k: 'goto', at })) },
  { weight: 2, arbitrary: fc.record({ filter: fc.constantFrom(...FILTERS), cond: condition }).map<Action>((r) => ({ k: 'exception', ...r })) },
  { weight: 1, arbitrary: fc.record({ name: fc.constantFrom(...FUNCTIONS), hit: fc.option(fc.constantFrom('1', '2', '>= 2', '% 2', 'x'), { nil: undefined }) }).map<Action>((r) => ({ k: 'function', ...r })) },
  { weight: 1, arbitrary: fc.record({ line: fc.integer({ min: 0, max: 25 }), cond: condition, log: fc.option(fc.constant('at {event}'), { nil: undefined }) }).map<Action>((r) => ({ k: 'line', ...r })) },
  { weight: 1, arbitrary: fc.constantFrom(...DATA_IDS).map<Action>((id) => ({ k: 'data', id })) },
  { weight: 2, arbitrary: fc.record({ expr: fc.constantFrom(...EXPRESSIONS), context: fc.constantFrom('watch', 'hover', 'repl') }).map<Action>((r) => ({ k: 'evaluate', ...r })) },
);

/** What the Variables view shows at the top frame (lists and folios expanded one level). */
async function view(dc: DebugClient): Promise<unknown> {
  const frames = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
  const out: unknown[] = [frames.map((f) => `${f.name}:${f.line}`)];
  const scopes = (await dc.scopesRequest({ frameId: frames[0].id })).body.scopes;
  for (const s of scopes) {
    if (s.name === 'Page tables') continue;
    const vars = (await dc.variablesRequest({ variablesReference: s.variablesReference, start: 0, count: 30 })).body.variables;
    for (const v of vars) {
      out.push([s.name, v.name, v.value]);
      if (v.variablesReference && (s.name === 'Lists' || s.name === 'Stats'))
        for (const c of (await dc.variablesRequest({ variablesReference: v.variablesReference, start: 0, count: 30 })).body.variables) out.push([v.name, c.name, c.value]);
    }
  }
  return out;
}

async function index(dc: DebugClient): Promise<number> {
  return Number((await dc.evaluateRequest({ expression: 'index', context: 'watch' })).body.result);
}

/** A move: either refused with an error response (no stop follows) or answered by exactly one stop. */
async function moveOrRefuse(dc: DebugClient, send: () => Promise<unknown>): Promise<DebugProtocol.StoppedEvent | null> {
  const stopped = dc.waitForEvent('stopped', 15000) as Promise<DebugProtocol.StoppedEvent>;
  try {
    await send();
  } catch {
    stopped.catch(() => undefined);
    return null;
  }
  const s = await stopped;
  assert.ok(s.body.description && s.body.description.length > 0, 'every stop says what happened');
  return s;
}

async function ignoreError(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch {
    // an error response is an answer: only a missing answer (timeout) or a crash fails
  }
}

test('1,000 random request sequences: no crash, no hang; forward, back and forward again show identical variables', { timeout: 1_200_000 }, async () => {
  const { port, proc } = await startServer();
  let exited: number | null = null;
  proc.on('exit', (c) => (exited = c ?? -1));
  let checkedTrips = 0;
  try {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PROGRAMS), fc.array(action, { minLength: 1, maxLength: 8 }), async (program, actions) => {
        const dc = new DebugClient('node', 'unused', 'migtrace');
        await dc.start(port);
        try {
          const initialized = dc.waitForEvent('initialized', 30000);
          const first = dc.waitForEvent('stopped', 30000);
          const launched = dc.launch({ program, stopOnEntry: true, invariants: false });
          await initialized;
          await dc.configurationDoneRequest();
          await launched;
          await first;
          for (const a of actions) {
            switch (a.k) {
              case 'disconnect':
                await dc.disconnectRequest({});
                return;
              case 'stepIn':
              case 'next':
              case 'stepOut':
              case 'stepBack':
              case 'continue':
              case 'reverseContinue': {
                const send = { stepIn: () => dc.stepInRequest({ threadId: 1 }), next: () => dc.nextRequest({ threadId: 1 }), stepOut: () => dc.stepOutRequest({ threadId: 1 }), stepBack: () => dc.stepBackRequest({ threadId: 1 }), continue: () => dc.continueRequest({ threadId: 1 }), reverseContinue: () => dc.reverseContinueRequest({ threadId: 1 }) }[a.k];
                assert.ok(await moveOrRefuse(dc, send), `${a.k} is always possible when stopped`);
                break;
              }
              case 'restartFrame': {
                const frames = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
                await moveOrRefuse(dc, () => dc.restartFrameRequest({ frameId: frames[frames.length - 1].id }));
                break;
              }
              case 'goto':
                await moveOrRefuse(dc, () => dc.gotoRequest({ threadId: 1, targetId: a.at }));
                break;
              case 'exception':
                await ignoreError(dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: a.filter, condition: a.cond }] }));
                break;
              case 'function':
                await ignoreError(dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: a.name, hitCondition: a.hit }] }));
                break;
              case 'line':
                await ignoreError(dc.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: a.line, condition: a.cond, logMessage: a.log }] }));
                break;
              case 'data':
                await ignoreError(dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: a.id }] }));
                break;
              case 'clear':
                await dc.setExceptionBreakpointsRequest({ filters: [] });
                await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
                await dc.setBreakpointsRequest({ source: { path: program }, breakpoints: [] });
                await dc.setDataBreakpointsRequest({ breakpoints: [] });
                break;
              case 'evaluate':
                await ignoreError(dc.evaluateRequest({ expression: a.expr, context: a.context }));
                break;
              case 'events':
                assert.match((await dc.evaluateRequest({ expression: 'events 3', context: 'repl' })).body.result, /^[ >] #\d+/);
                break;
              case 'roundTrip': {
                // forward, back, forward again by goto: the same events show the same variables
                const x = await index(dc);
                const vx = await view(dc);
                const y = x + 7;
                if (!(await moveOrRefuse(dc, () => dc.gotoRequest({ threadId: 1, targetId: y + 1 })))) break;
                const vy = await view(dc);
                await moveOrRefuse(dc, () => dc.gotoRequest({ threadId: 1, targetId: x + 1 }));
                assert.deepEqual(await view(dc), vx, `back at event ${x}`);
                await moveOrRefuse(dc, () => dc.gotoRequest({ threadId: 1, targetId: y + 1 }));
                assert.deepEqual(await view(dc), vy, `forward again at event ${y}`);
                checkedTrips++;
                break;
              }
            }
          }
          // still answering after the sequence
          await dc.threadsRequest();
        } finally {
          await dc.stop();
        }
      }),
      { numRuns: Number(process.env.MIGTRACE_RUNS ?? 1000), seed: Number(process.env.MIGTRACE_SEED ?? 20261122), endOnFailure: true },
    );
  } finally {
    proc.kill();
  }
  assert.equal(exited, null, 'the adapter process is still alive after 1,000 sessions');
  assert.ok(checkedTrips > (Number(process.env.MIGTRACE_RUNS ?? 1000) >= 1000 ? 50 : 0), `forward/back/forward was checked ${checkedTrips} times`);
});
