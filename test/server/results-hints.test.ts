// Engine results in the editor, over the same JSON-RPC a client speaks: inlay
// hints after operation, folio and expect lines; failed expectations and run
// errors as diagnostics; the budget hint; runs abandoned when the text changes.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InlayHint } from 'vscode-languageserver-protocol';
import { startHarness, type Harness } from './harness';

const example = (name: string) => readFileSync(join(__dirname, '../../examples', name), 'utf8');
const harnesses: Harness[] = [];
after(async () => {
  for (const h of harnesses) await h.close();
});
async function harness(engine = {}): Promise<Harness> {
  const h = await startHarness({ engine: { debounceMs: 10, ...engine } });
  harnesses.push(h);
  return h;
}
async function hints(h: Harness, uri: string): Promise<InlayHint[]> {
  return h.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 10_000, character: 0 } } });
}
/** `line: label` (1-based lines), in the order the server sent them, sorted by line. */
function labels(hs: InlayHint[]): string[] {
  return hs.map((x) => `${x.position.line + 1}: ${String(x.label)}`).sort((a, b) => parseInt(a) - parseInt(b));
}
/** The engine's diagnostics, once published (they follow the syntax ones when the run ends). */
async function engineDiagnostics(h: Harness, uri: string) {
  await h.diagnostics(uri);
  for (let i = 0; i < 100; i++) {
    const d = h.lastDiagnostics(uri)?.diagnostics.filter((x) => x.source === 'migtrace engine') ?? [];
    if (d.length) return d;
    await new Promise((r) => setTimeout(r, 50));
  }
  return [];
}
const lineOf = (text: string, re: RegExp) => text.split('\n').findIndex((l) => re.test(l));

test('the server announces inlay hints', async () => {
  const h = await harness();
  assert.equal(h.init.capabilities.inlayHintProvider, true);
});

test('inlay hints give the operation result, each folio fate, where each mapping\'s pages are and a ✓ per passing expect (units of failure, 6.12)', async () => {
  const h = await harness();
  const uri = await h.open(example('000-units-of-failure-6.12.mig'));
  assert.deepEqual(labels(await hints(h, uri)), [
    '12: now 512 pages: 512 on node 0',
    '13: now 4 pages: 1 on node 1 · 3 not present',
    '15: isolate_failed',
    '16: migrated to node 1',
    '19: → 1 · 1 folio failed (isolate_failed) · 1 succeeded',
    '20: ✓',
    '21: ✓',
    '22: ✓',
    '23: ✓',
    '24: ✓',
    '25: ✓',
  ]);
});

test('on 6.1 the same THP fails once per PTE, and the hint says so', async () => {
  const h = await harness();
  const uri = await h.open(example('000-units-of-failure-6.1.mig'));
  const ls = labels(await hints(h, uri));
  assert.ok(ls.includes('18: → 0 · 1 folio failed (isolate_failed ×512) · 1 succeeded'), ls.join('\n'));
  assert.ok(ls.some((l) => /^\d+: isolate_failed ×512$/.test(l)), ls.join('\n'));
});

test('a folio that fails after a split names its errors and the list it ended on', async () => {
  const h = await harness();
  const text = example('001-contended-lock-enomem.mig');
  const uri = await h.open(text);
  const ls = labels(await hints(h, uri));
  const op = lineOf(text, /^migrate_pages /) + 1;
  assert.ok(ls.includes(`${op}: → -ENOMEM · 2 folios failed (EAGAIN, ENOMEM ×2) · 1 succeeded · 1 page failed · 2 passes · 1 split`), ls.join('\n'));
  assert.ok(ls.includes(`${lineOf(text, /^folio C /) + 1}: split into 512 · ENOMEM → from`), ls.join('\n'));
  assert.ok(ls.includes(`${lineOf(text, /^folio B /) + 1}: EAGAIN, ENOMEM → from`), ls.join('\n'));
});

test('hints sit at the end of their line', async () => {
  const h = await harness();
  const text = example('mbind-strict-eio.mig');
  const uri = await h.open(text);
  const hs = await hints(h, uri);
  const lines = text.split('\n');
  const op = hs.find((x) => String(x.label) === '→ -EIO · nr_failed 1');
  assert.ok(op, labels(hs).join('\n'));
  assert.equal(op.position.character, lines[op.position.line].trimEnd().length);
  assert.match(lines[op.position.line], /^mbind .*MPOL_MF_STRICT$/);
});

test('a failed expect is an Error diagnostic on its line with expected and actual; the passing ones are not', async () => {
  const h = await harness();
  const text = example('000-units-of-failure-6.12.mig').replace('expect return 1 ', 'expect return 2 ').replace('expect folio S node 1', 'expect folio S node 0');
  const uri = await h.open(text);
  await hints(h, uri); // the run is done once hints are answered
  const eng = (await engineDiagnostics(h, uri)).filter((x) => x.source === 'migtrace engine').sort((a, b) => a.range.start.line - b.range.start.line);
  assert.deepEqual(
    eng.map((x) => [x.range.start.line, x.severity, x.message]),
    [
      [lineOf(text, /expect return 2/), 1, 'expected return 2, actual return 1 (kernel 6.12)'],
      [lineOf(text, /expect folio S node 0/), 1, 'expected S on node 0, actual node 1 (kernel 6.12)'],
    ],
  );
  const ticks = (await hints(h, uri)).filter((x) => x.label === '✓').length;
  assert.equal(ticks, 4);
});

/** Setting up 512 GB of touched pages takes the engine well over ten seconds. */
const HUGE = `scenario "huge"
kernel 6.12
node 0 memory 1024G
node 1 memory 1024G
process app
  mmap heap anon private 512G
  touch heap write on node 0
migrate_pages app from 0 to 1
  expect return 0
`;

test('a scenario too big for the budget says so in one hint, without an error diagnostic, and the server keeps answering', async () => {
  const h = await harness({ deadlineMs: 300 });
  const uri = await h.open(HUGE);
  const t0 = Date.now();
  const pending = hints(h, uri);
  // the server answers other requests while the engine runs
  const symbols = await h.request<unknown[]>('textDocument/documentSymbol', { textDocument: { uri } });
  assert.ok(symbols.length > 0);
  assert.ok(Date.now() - t0 < 1500, `documentSymbol waited ${Date.now() - t0} ms for the engine`);
  const hs = await pending;
  assert.equal(hs.length, 1, labels(hs).join('\n'));
  assert.match(String(hs[0].label), /^⏱ stopped here: the scenario needs more than the editor's budget \(0\.3 s, 5,000,000 events\)/);
  assert.equal(hs[0].position.line, 7);
  assert.ok(Date.now() - t0 < 8000, `the budget hint took ${Date.now() - t0} ms`);
  await h.diagnostics(uri);
  assert.deepEqual(h.lastDiagnostics(uri)?.diagnostics.filter((d) => d.source === 'migtrace engine'), []);
});

test('a change during a run abandons it: the hints are for the latest text only', async () => {
  const h = await harness({ deadlineMs: 60_000 });
  const uri = await h.open(HUGE);
  const stale = hints(h, uri);
  await new Promise((r) => setTimeout(r, 300));
  const t0 = Date.now();
  await h.change(uri, example('mbind-strict-eio.mig'));
  assert.deepEqual(await stale, []);
  const ls = labels(await hints(h, uri));
  // the huge run would hold a single worker for more than ten seconds had it not been ended
  assert.ok(Date.now() - t0 < 8000, `hints for the new text took ${Date.now() - t0} ms`);
  assert.deepEqual(ls, ['11: now 16 pages: 16 on node 1', '14: → -EIO · nr_failed 1', '15: ✓', '16: ✓', '18: → 0 · 16 succeeded', '19: ✓', '20: ✓']);
});

test('an engine error is an Error diagnostic on the line the engine names', async () => {
  const h = await harness();
  const text = `scenario "a lock held for good"
node 0 memory 1G
node 1 memory 1G
folio A order 0 node 0 anon lru
inject lock A held
migrate_pages [A] to node 1 mode MIGRATE_SYNC
`;
  const uri = await h.open(text);
  await hints(h, uri);
  const d = await engineDiagnostics(h, uri);
  assert.equal(d.length, 1, JSON.stringify(d));
  assert.equal(d[0].range.start.line, 5);
  assert.match(d[0].message, /^the engine stopped here \(kernel 6\.12\): folio_lock\(A\) would block forever/);
});

test('the settings choose the default profile (a change re-runs under the new one) and turn the hints off', async () => {
  const h = await harness();
  let settings: unknown[] = ['6.1', true];
  h.client.onRequest('workspace/configuration', () => settings);
  const noKernel = example('000-units-of-failure-6.12.mig').replace(/^kernel 6\.12\n/m, '');
  const uri = await h.open(noKernel);
  const ls = labels(await hints(h, uri));
  assert.ok(ls.some((l) => /: → 0 · 1 folio failed \(isolate_failed ×512\) · 1 succeeded$/.test(l)), ls.join('\n'));
  settings = ['6.12', true];
  await h.client.sendNotification('workspace/didChangeConfiguration', { settings: {} });
  const now = labels(await hints(h, uri));
  assert.ok(now.some((l) => /: → 1 · 1 folio failed \(isolate_failed\) · 1 succeeded$/.test(l)), now.join('\n'));
  settings = ['6.12', false];
  await h.client.sendNotification('workspace/didChangeConfiguration', { settings: {} });
  assert.deepEqual(await hints(h, uri), []);
});

test('migtrace/run answers the `migtrace run` text and migtrace/compare the differences between 6.1 and 6.12', async () => {
  const h = await harness();
  const uri = await h.open(example('000-units-of-failure-6.12.mig'), 'units');
  const r = await h.request<{ text: string }>('migtrace/run', { uri });
  assert.match(r.text, /^units\.mig: kernel 6\.12, \d+ events\nunits\.mig:19: migrate_pages_syscall → return 1/);
  const c = await h.request<{ lines: string[]; differing: number[]; text: string }>('migtrace/compare', { uri, a: '6.1', b: '6.12' });
  assert.ok(c.lines.includes('units.mig:19: return: 6.1 "0" | 6.12 "1"'), c.text);
  assert.deepEqual(c.differing, [18, 19, 20, 21]); // the operation and the three expectations that hold on 6.12 only
  const info = await h.request<{ operations: number[]; realizable: { ok: boolean; reason?: string } }>('migtrace/lensInfo', { uri });
  assert.deepEqual(info.operations, [18]);
  assert.equal(info.realizable.ok, false);
  assert.match(info.realizable.reason ?? '', /model-only/);
});
