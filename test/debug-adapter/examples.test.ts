// Every example (each grew from one of the seed threads in ../shared/seeds) and a
// sample of the engine's scenario tests under the debugger: it starts, runs to
// the end, goes back to the start, and each stop names what happened. Page
// tables show present and migration entries on a realizable scenario.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { EXAMPLES, ROOT, evalText, ex, launch, move, scope, startClient, topFrame } from './helpers';

const examples = readdirSync(EXAMPLES).filter((f) => f.endsWith('.mig')).sort();
const syscalls = path.join(ROOT, 'test', 'scenarios', 'syscalls');
const sample = readdirSync(syscalls).filter((f) => f.endsWith('.mig')).sort().filter((_, k) => k % 4 === 0);

for (const file of [...examples.map((f) => path.join(EXAMPLES, f)), ...sample.map((f) => path.join(syscalls, f))]) {
  test(`${path.relative(ROOT, file)}: starts, runs to the end and back, every stop described`, async () => {
    const { dc, output } = await startClient();
    try {
      const first = await launch(dc, { program: file });
      assert.equal(first.body.reason, 'entry');
      const frames = await topFrame(dc);
      assert.ok(frames.length >= 1 && frames.every((f) => f.source?.path === file && f.line >= 1));
      const end = await move(dc, () => dc.continueRequest({ threadId: 1 }));
      assert.match(end.body.description ?? '', /^End of the trace \(event \d+\): \S/);
      const last = Number(await evalText(dc, 'index'));
      assert.match(output.join(''), new RegExp(`${last + 1 === 1 ? '1 event' : `${(last + 1).toLocaleString('en-US')} events`}`));
      const back = await move(dc, () => dc.reverseContinueRequest({ threadId: 1 }));
      assert.equal(back.body.reason, 'entry');
      assert.equal(await evalText(dc, 'index'), '0');
      // a step in each direction from the middle
      await move(dc, () => dc.gotoRequest({ threadId: 1, targetId: Math.floor(last / 2) + 1 }));
      const fwd = await move(dc, () => dc.nextRequest({ threadId: 1 }));
      assert.ok((fwd.body.description ?? '').length > 0);
      const bwd = await move(dc, () => dc.stepBackRequest({ threadId: 1 }));
      assert.ok((bwd.body.description ?? '').length > 0);
    } finally {
      await dc.stop();
    }
  });
}

test('page tables: process → VMA → PMD → PTE, with migration entries while folios are unmapped', async () => {
  const { dc } = await startClient();
  try {
    await launch(dc, { program: ex('thp-split-by-mprotect.mig'), setup: () => dc.setExceptionBreakpointsRequest({ filters: ['mm_migrate_pages_start', 'MIGRATEPAGE_UNMAP'] }) });
    await move(dc, () => dc.continueRequest({ threadId: 1 }));
    let tables = await scope(dc, 1, 'Page tables');
    const app = tables.find((v) => v.name === 'app')!;
    assert.ok(app, 'the process is listed');
    let vmas = (await dc.variablesRequest({ variablesReference: app.variablesReference })).body.variables;
    // mprotect of the first 4K split the VMA in two: a read-only 4K piece and the rest
    assert.deepEqual(
      vmas.map((v) => v.name.replace(/0x[0-9a-f]+/g, 'X')),
      ['heap X-X', 'heap X-X'],
    );
    assert.match(vmas[0].value, /^anon private r--, 4K, 1 PMD, 1 PTE$/);
    assert.match(vmas[1].value, /^anon private rw-, 2044K, 1 PMD, 511 PTEs$/);
    const heap = vmas[1];
    let pmds = (await dc.variablesRequest({ variablesReference: heap.variablesReference })).body.variables;
    assert.equal(pmds.length, 1);
    assert.match(pmds[0].value, /^table: 511 PTEs \(511 present\)$/, 'mprotect split the PMD mapping into PTEs');
    let ptes = (await dc.variablesRequest({ variablesReference: pmds[0].variablesReference, start: 0, count: 2 })).body.variables;
    assert.match(ptes[0].value, /^present pfn 0x[0-9a-f]+ \(\S+\)/);
    // at the unmap, every PTE of the THP is a migration entry
    await move(dc, () => dc.continueRequest({ threadId: 1 }));
    tables = await scope(dc, 1, 'Page tables');
    vmas = (await dc.variablesRequest({ variablesReference: tables.find((v) => v.name === 'app')!.variablesReference })).body.variables;
    pmds = (await dc.variablesRequest({ variablesReference: vmas[1].variablesReference })).body.variables;
    assert.match(pmds[0].value, /^table: 511 PTEs \(0 present, 511 migration\)$/);
    ptes = (await dc.variablesRequest({ variablesReference: pmds[0].variablesReference, start: 0, count: 3 })).body.variables;
    assert.match(ptes[0].value, /^migration_(read|read_exclusive|write) pfn 0x[0-9a-f]+/);
    assert.match(ptes[0].name, /^PTE 0x[0-9a-f]+$/);
  } finally {
    await dc.stop();
  }
});

test('hover on a mapping or process name shows what the page tables hold for it', async () => {
  const { dc } = await startClient();
  try {
    await launch(dc, { program: ex('thp-split-by-mprotect.mig'), setup: () => dc.setExceptionBreakpointsRequest({ filters: ['MIGRATEPAGE_UNMAP'] }) });
    await move(dc, () => dc.continueRequest({ threadId: 1 }));
    const heap = await dc.evaluateRequest({ expression: 'heap', context: 'hover' });
    const pieces = (await dc.variablesRequest({ variablesReference: heap.body.variablesReference })).body.variables;
    assert.equal(pieces.length, 2);
    assert.match(pieces[1].value, /^anon private rw-: 0 present PTEs, 511 migration entries$/);
    assert.match((await dc.evaluateRequest({ expression: 'app', context: 'hover' })).body.result, /heap 0x/);
  } finally {
    await dc.stop();
  }
});

test('a run that stops early (here: its event budget) can still be debugged up to where it stopped', async () => {
  const { dc, output } = await startClient();
  try {
    const initialized = dc.waitForEvent('initialized', 30000);
    const first = dc.waitForEvent('stopped', 30000);
    const launched = dc.launch({ program: ex('001-batch-sync-6.12.mig'), stopOnEntry: true, maxEvents: 20 });
    await initialized;
    await dc.setExceptionBreakpointsRequest({ filters: ['run_stopped'] });
    await dc.configurationDoneRequest();
    await launched;
    await first;
    assert.match(output.join(''), /001-batch-sync-6\.12\.mig:14: the run stopped: .*budget of 20 events/);
    const s = await move(dc, () => dc.continueRequest({ threadId: 1 }));
    assert.equal(s.body.reason, 'exception');
    assert.match(s.body.description ?? '', /^The run stopped here \(line 14\): .*budget of 20 events/);
    const last = Number(await evalText(dc, 'index'));
    assert.ok(last >= 19 && last <= 20, `the last recorded event (${last})`);
    assert.match(await evalText(dc, 'events 1', 'repl'), new RegExp(`^> #${last} .*\n?$`, 'm'));
    const back = await move(dc, () => dc.stepBackRequest({ threadId: 1 }));
    assert.ok(Number(await evalText(dc, 'index')) < last, back.body.description);
  } finally {
    await dc.stop();
  }
});
