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

test('inlay hints give the operation result, each folio fate and a ✓ per passing expect (units of failure, 6.12)', async () => {
  const h = await harness();
  const uri = await h.open(example('000-units-of-failure-6.12.mig'));
  assert.deepEqual(labels(await hints(h, uri)), [
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
