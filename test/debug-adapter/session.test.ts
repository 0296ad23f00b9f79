// The trace debugger through a real DAP client (DebugClient) against the
// standalone adapter, on test/debug-adapter/data/contended.mig: B's lock is held
// for passes 0..5, so B gets EAGAIN in passes 0-5 while A and C migrate.
// Lines (1-based): 1-2 comments, 9 folio A, 10 folio B, 11 blank, 12 folio C,
// 15 the migrate_pages operation, 16 its expect line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { DATA, evalText, launch, move, scope, snapshot, startClient, topFrame } from './helpers';

const PROGRAM = path.join(DATA, 'contended.mig');
const source = { path: PROGRAM };

async function session<T>(fn: (dc: DebugClient, output: string[]) => Promise<T>): Promise<T> {
  const { dc, output } = await startClient();
  try {
    return await fn(dc, output);
  } finally {
    await dc.stop();
  }
}
const index = async (dc: DebugClient): Promise<number> => Number(await evalText(dc, 'index'));
const cont = (dc: DebugClient): Promise<DebugProtocol.StoppedEvent> => move(dc, () => dc.continueRequest({ threadId: 1 }));
const goto = (dc: DebugClient, i: number): Promise<DebugProtocol.StoppedEvent> => move(dc, () => dc.gotoRequest({ threadId: 1, targetId: i + 1 }));

test('stop on entry: the task running the operation is a thread, the stack is the kernel call stack at the operation line', () =>
  session(async (dc) => {
    const s = await launch(dc, { program: PROGRAM });
    assert.equal(s.body.reason, 'entry');
    const threads = (await dc.threadsRequest()).body.threads;
    assert.deepEqual(
      threads.map((t) => t.name),
      ['task kernel'],
    );
    const frames = await topFrame(dc);
    assert.equal(frames[0].name, 'migrate_pages');
    assert.equal(frames[0].line, 15);
    assert.equal(frames[0].source?.path, PROGRAM);
  }));

test('an EAGAIN event breakpoint with the condition pass >= 3 stops on B in pass 3, then 4; reverse finds none before', () =>
  session(async (dc) => {
    await launch(dc, { program: PROGRAM, setup: () => dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: 'EAGAIN', condition: 'pass >= 3' }] }) });
    let s = await cont(dc);
    assert.equal(s.body.reason, 'exception');
    assert.equal(s.body.description, 'EAGAIN on folio B in pass 3');
    assert.equal(await evalText(dc, 'pass'), '3');
    assert.equal(await evalText(dc, 'folio == B'), 'true');
    const info = await dc.exceptionInfoRequest({ threadId: 1 });
    assert.equal(info.body.exceptionId, 'EAGAIN');
    // the call stack at that event: migrate_pages → migrate_pages_batch
    assert.deepEqual(
      (await topFrame(dc)).map((f) => f.name),
      ['migrate_pages_batch', 'migrate_pages'],
    );
    s = await cont(dc);
    assert.equal(s.body.description, 'EAGAIN on folio B in pass 4');
    s = await move(dc, () => dc.reverseContinueRequest({ threadId: 1 }));
    assert.equal(s.body.description, 'EAGAIN on folio B in pass 3');
    s = await move(dc, () => dc.reverseContinueRequest({ threadId: 1 }));
    assert.equal(s.body.reason, 'entry', 'no EAGAIN with pass >= 3 before pass 3: back to the first event');
    assert.equal(await index(dc), 0);
  }));

test('a condition naming the folio: pass >= 1 && folio == B; and one that never holds runs to the end', () =>
  session(async (dc) => {
    await launch(dc, { program: PROGRAM, setup: () => dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: 'EAGAIN', condition: 'pass >= 1 && folio == B' }, { filterId: 'MIGRATEPAGE_UNMAP', condition: 'folio == C && pass > 0' }] }) });
    const s = await cont(dc);
    assert.equal(s.body.description, 'EAGAIN on folio B in pass 1');
  }));

test('the Lists scope shows the kernel lists with their folios in order: A, B, C in from at the start; B on the batch list at its EAGAIN', () =>
  session(async (dc) => {
    await launch(dc, { program: PROGRAM, setup: () => dc.setExceptionBreakpointsRequest({ filters: ['mm_migrate_pages_start', 'EAGAIN'] }) });
    await cont(dc);
    let lists = await scope(dc, 1, 'Lists');
    const from = lists.find((v) => v.name === 'from')!;
    assert.ok(from, `lists: ${lists.map((v) => v.name).join(', ')}`);
    assert.match(from.value, /^from \[A, B, C\] \(3\)$/);
    const items = (await dc.variablesRequest({ variablesReference: from.variablesReference })).body.variables;
    assert.deepEqual(
      items.map((v) => [v.name, v.value.split(' ')[0]]),
      [['[0]', 'A'], ['[1]', 'B'], ['[2]', 'C']],
    );
    await cont(dc); // EAGAIN on B in pass 0
    lists = await scope(dc, 1, 'Lists');
    const holding = lists.filter((v) => /\bB\b/.test(v.value)).map((v) => v.name);
    assert.equal(holding.length, 1, 'B is on exactly one list');
    assert.equal(await evalText(dc, `B in ${holding[0]}`), 'true');
    assert.match(await evalText(dc, 'B.place'), new RegExp(holding[0]));
    assert.match(lists.find((v) => v.name === 'unmap_folios')!.value, /\[A\]/);
  }));

test('stepBack restores the previous state exactly (every scope, expanded)', () =>
  session(async (dc) => {
    await launch(dc, { program: PROGRAM, setup: () => dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: 'EAGAIN', condition: 'pass == 2' }] }) });
    await cont(dc);
    const at = await index(dc);
    const before = await snapshot(dc);
    await move(dc, () => dc.stepInRequest({ threadId: 1 }));
    assert.equal(await index(dc), at + 1);
    const after = await snapshot(dc);
    assert.notDeepEqual(after, before, 'the step changed something (retry_pass starts pass 3)');
    const s = await move(dc, () => dc.stepBackRequest({ threadId: 1 }));
    // the EAGAIN breakpoint sits on that event, so the stop names it
    assert.ok(['step', 'exception'].includes(s.body.reason), s.body.reason);
    assert.equal(await index(dc), at);
    assert.deepEqual(await snapshot(dc), before);
  }));

test('next stays in the frame, stepIn enters calls, stepOut stops at the return', () =>
  session(async (dc) => {
    await launch(dc, { program: PROGRAM, setup: () => dc.setExceptionBreakpointsRequest({ filters: ['retry_pass'] }) });
    await cont(dc); // retry_pass in pass 1, in migrate_pages_batch
    const at = await index(dc);
    assert.equal((await topFrame(dc))[0].name, 'migrate_pages_batch');
    let s = await move(dc, () => dc.stepInRequest({ threadId: 1 }));
    assert.equal(await index(dc), at + 1);
    assert.equal((await topFrame(dc))[0].name, 'migrate_folio_unmap', 'stepIn enters the unmap call');
    assert.match(s.body.description ?? '', /on folio B'? in pass 1/);
    s = await move(dc, () => dc.stepOutRequest({ threadId: 1 }));
    if ((await topFrame(dc))[0].name === 'migrate_folio_unmap') {
      // the engine recorded an exit event for this call: stepOut stops on it
      assert.match(s.body.description ?? '', /migrate_folio_unmap returned rc=-EAGAIN on folio B/);
      s = await move(dc, () => dc.nextRequest({ threadId: 1 }));
    }
    assert.equal(s.body.description, 'EAGAIN on folio B in pass 1', 'out of the unmap call, back in the batch');
    assert.equal((await topFrame(dc))[0].name, 'migrate_pages_batch');
    // next from the batch level never stops inside a callee
    const here = await index(dc);
    await move(dc, () => dc.nextRequest({ threadId: 1 }));
    await move(dc, () => dc.nextRequest({ threadId: 1 }));
    assert.ok((await index(dc)) > here + 1, 'skipped over the unmap call');
    assert.equal((await topFrame(dc))[0].name, 'migrate_pages_batch');
  }));

test('function breakpoints stop on entry, with hit counts; log points print instead of stopping', () =>
  session(async (dc, output) => {
    let bps: DebugProtocol.Breakpoint[] = [];
    await launch(dc, {
      program: PROGRAM,
      setup: async () => {
        bps = (await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'migrate_folio_move', hitCondition: '2' }, { name: 'no_such_function' }] })).body.breakpoints;
        // a log point on folio A's declaration: every event of A prints, none stops
        await dc.setBreakpointsRequest({ source, breakpoints: [{ line: 9, logMessage: '{event} on {folio.name} refcount {folio.refcount}' }] });
      },
    });
    assert.deepEqual(
      bps.map((b) => b.verified),
      [true, false],
    );
    assert.match(bps[1].message ?? '', /No event of this run happens inside no_such_function/);
    const s = await cont(dc);
    assert.equal(s.body.reason, 'function breakpoint');
    assert.match(s.body.description ?? '', /^Function breakpoint migrate_folio_move: .* on folio C\b/);
    assert.equal((await topFrame(dc))[0].name, 'migrate_folio_move');
    assert.equal(await evalText(dc, 'folio == C'), 'true', 'the second migrate_folio_move is C (the first is A)');
    const log = output.join('');
    assert.match(log, /^MIGRATEPAGE_UNMAP on A refcount \d+$/m);
    assert.match(log, /^MIGRATEPAGE_SUCCESS on A refcount \d+$/m);
    const end = await cont(dc);
    assert.match(end.body.description ?? '', /End of the trace/);
  }));

test('line breakpoints: an operation stops where it starts, a folio declaration at every event of that folio, other lines move with a reason', () =>
  session(async (dc) => {
    let bps: DebugProtocol.Breakpoint[] = [];
    await launch(dc, {
      program: PROGRAM,
      stopOnEntry: false,
      setup: async () => {
        bps = (await dc.setBreakpointsRequest({ source, breakpoints: [{ line: 15 }, { line: 10 }, { line: 11 }, { line: 1 }, { line: 16 }] })).body.breakpoints;
      },
    }).then((s) => {
      assert.equal(s.body.reason, 'breakpoint');
      assert.match(s.body.description ?? '', /Breakpoint at line 15/);
    });
    assert.equal(await index(dc), 0, 'the operation starts at the first event');
    assert.deepEqual(
      bps.map((b) => [b.verified, b.line]),
      [[true, 15], [true, 10], [false, 12], [false, 9], [false, 15]],
    );
    assert.match(bps[2].message ?? '', /Line 11 is blank: stops at line 12 instead/);
    assert.match(bps[3].message ?? '', /Line 1 is a comment/);
    assert.match(bps[4].message ?? '', /Line 16 is an expectation/);
    // only the folio B breakpoint now: every stop concerns B
    await dc.setBreakpointsRequest({ source, breakpoints: [{ line: 10 }] });
    for (let k = 0; k < 4; k++) {
      const s = await cont(dc);
      assert.equal(s.body.reason, 'breakpoint');
      assert.equal(await evalText(dc, 'folio == B'), 'true');
    }
  }));

test('a data breakpoint on a folio field stops where the value changes, forwards and backwards', () =>
  session(async (dc) => {
    await launch(dc, { program: PROGRAM });
    const info = await dc.dataBreakpointInfoRequest({ name: 'B.refcount' });
    assert.equal(info.body.dataId, 'B.refcount');
    const was = await evalText(dc, 'B.refcount');
    assert.equal(info.body.description, `B.refcount (now ${was})`);
    await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: 'B.refcount' }] });
    const s = await cont(dc);
    assert.equal(s.body.reason, 'data breakpoint');
    const now = await evalText(dc, 'B.refcount');
    assert.notEqual(now, was);
    assert.equal(s.body.description, `B.refcount changed: ${was} → ${now}`);
    // the event before did not change it yet
    const changedAt = await index(dc);
    await goto(dc, changedAt - 1);
    assert.equal(await evalText(dc, 'B.refcount'), was);
    await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: 'B.node' }] });
    // B itself never leaves node 0 (its contents go to a new folio on node 1): no stop, the end
    const end = await cont(dc);
    assert.match(end.body.description ?? '', /End of the trace/);
    await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: 'B.refcount' }] });
    let back = await move(dc, () => dc.reverseContinueRequest({ threadId: 1 }));
    assert.equal(back.body.reason, 'data breakpoint');
    while ((await index(dc)) > changedAt) back = await move(dc, () => dc.reverseContinueRequest({ threadId: 1 }));
    assert.equal(await index(dc), changedAt, 'backwards, the same change is found again');
    // a local, named through the Variables view
    await goto(dc, 2);
    const locals = (await dc.scopesRequest({ frameId: 2 })).body.scopes.find((x) => x.name.startsWith('Locals'))!;
    const li = await dc.dataBreakpointInfoRequest({ variablesReference: locals.variablesReference, name: 'pass', frameId: 2 });
    assert.equal(li.body.dataId, 'pass');
    await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: 'pass' }] });
    const p = await cont(dc);
    assert.match(p.body.description ?? '', /^pass changed: 0 → 1$/);
    // a list is not a value
    const bad = await dc.dataBreakpointInfoRequest({ name: 'from' });
    assert.equal(bad.body.dataId, null);
  }));

test('evaluate, hover and the events command in the Debug Console; bad expressions answer with a message', () =>
  session(async (dc) => {
    await launch(dc, { program: PROGRAM, setup: () => dc.setExceptionBreakpointsRequest({ filters: ['EAGAIN'] }) });
    await cont(dc);
    assert.match(await evalText(dc, 'B', 'hover'), /^B \(pfn 0x[0-9a-f]+, order 0, node 0, ref \d+, map \d+, on \w+\)$/);
    assert.equal(await evalText(dc, 'count(unmap_folios)', 'repl'), '1');
    assert.equal(await evalText(dc, 'stats.nr_succeeded', 'repl'), '0');
    const hover = await dc.evaluateRequest({ expression: 'B', context: 'hover' });
    const fields = (await dc.variablesRequest({ variablesReference: hover.body.variablesReference })).body.variables.map((v) => v.name);
    assert.deepEqual(fields, ['name', 'pfn', 'order', 'node', 'kind', 'flags', 'refcount', 'mapcount', 'pins', 'place', 'mapped']);
    await assert.rejects(dc.evaluateRequest({ expression: 'pas >= 3', context: 'repl' }), /unknown name 'pas' — did you mean 'pass'\?/);
    await assert.rejects(dc.evaluateRequest({ expression: 'B.refcount >', context: 'watch' }), /expected a value/);
    const ev = await evalText(dc, 'events 2', 'repl');
    const lines = ev.split('\n');
    assert.equal(lines.length, 5);
    assert.match(lines[2], /^> #\d+ {2}line 15 {2}migrate_pages_batch {2}EAGAIN on folio B in pass 0$/);
    assert.match(await evalText(dc, 'events 1 MIGRATEPAGE_SUCCESS', 'repl'), /MIGRATEPAGE_SUCCESS on folio A/);
  }));

test('goto targets list the events of a line; goto jumps there; restartFrame returns to a frame entry', () =>
  session(async (dc) => {
    await launch(dc, { program: PROGRAM });
    const targets = (await dc.gotoTargetsRequest({ source, line: 10 })).body.targets;
    assert.ok(targets.length >= 8, `every event of B: ${targets.length}`);
    assert.ok(targets.every((t) => /folio B/.test(t.label)));
    const t = targets[5];
    const s = await move(dc, () => dc.gotoRequest({ threadId: 1, targetId: t.id }));
    assert.equal(s.body.reason, 'goto');
    assert.equal(await index(dc), t.id - 1);
    // inside migrate_folio_unmap (B's destination freed after EAGAIN): restart its frame, then the outermost
    await goto(dc, 0);
    await dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: 'freed', condition: 'function == "migrate_folio_unmap"' }] });
    await cont(dc);
    const inside = await index(dc);
    const frames = await topFrame(dc);
    assert.equal(frames[0].name, 'migrate_folio_unmap');
    let r = await move(dc, () => dc.restartFrameRequest({ frameId: frames[0].id }));
    assert.equal(r.body.reason, 'restart');
    assert.match(r.body.description ?? '', /^Back at the entry of migrate_folio_unmap: /);
    const entry = await index(dc);
    assert.ok(entry < inside, `entry ${entry} before ${inside}`);
    assert.equal((await topFrame(dc))[0].name, 'migrate_folio_unmap');
    assert.notEqual((await topFrame(dc)).length, 0);
    // the event before the entry is outside that call
    await goto(dc, entry - 1);
    assert.notEqual((await topFrame(dc))[0].name, 'migrate_folio_unmap');
    await goto(dc, inside);
    r = await move(dc, () => dc.restartFrameRequest({ frameId: frames[frames.length - 1].id }));
    assert.equal(await index(dc), 0);
  }));

test('variables are read-only; folios show every field; values changed since the last stop are marked', () =>
  session(async (dc) => {
    await launch(dc, { program: PROGRAM, setup: () => dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: 'EAGAIN', condition: 'pass >= 2' }] }) });
    await cont(dc);
    let locals = await scope(dc, 2, 'Locals');
    assert.equal(locals.find((v) => v.name === 'pass')!.value, '2');
    await assert.rejects(dc.setVariableRequest({ variablesReference: 1000, name: 'pass', value: '1' }), /read-only/);
    await cont(dc);
    locals = await scope(dc, 2, 'Locals');
    const pass = locals.find((v) => v.name === 'pass')!;
    assert.equal(pass.value, '3');
    assert.ok(pass.presentationHint?.attributes?.includes('changed'));
    const mode = locals.find((v) => v.name === 'mode')!;
    assert.ok(!mode.presentationHint?.attributes?.includes('changed'));
    assert.ok(locals.every((v) => v.presentationHint?.attributes?.includes('readOnly')));
    const folios = (await dc.scopesRequest({ frameId: 1 })).body.scopes.find((s) => s.name === 'Folios')!;
    assert.ok((folios.indexedVariables ?? 0) >= 3);
    const page = (await dc.variablesRequest({ variablesReference: folios.variablesReference, filter: 'indexed', start: 1, count: 1 })).body.variables;
    assert.equal(page.length, 1);
    assert.match(page[0].name, /^B/);
    const nodes = await scope(dc, 1, 'Nodes');
    assert.match(nodes[0].value, /^free \d+, used \d+ of 16384 pages$/);
    const stats = await scope(dc, 1, 'Stats');
    assert.deepEqual(
      stats.map((v) => v.name),
      ['migrate_pages_stats', 'vmstat'],
    );
  }));
