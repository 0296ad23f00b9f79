import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeAction, Diagnostic, Range } from 'vscode-languageserver-protocol';
import { startHarness, type Harness } from './harness';
import { REALIZABLE } from './fixtures';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

async function actionsFor(text: string, code: string): Promise<{ uri: string; diag: Diagnostic; actions: CodeAction[] }> {
  const uri = await h.open(text);
  const pub = await h.diagnostics(uri);
  const diag = pub.diagnostics.find((d) => d.code === code);
  assert.ok(diag, `a ${code} diagnostic in ${JSON.stringify(pub.diagnostics)}`);
  const actions = await h.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: diag.range, context: { diagnostics: [diag] } });
  return { uri, diag, actions };
}

function apply(text: string, range: Range, newText: string): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return text.slice(0, offset(range.start)) + newText + text.slice(offset(range.end));
}

test('a misspelt flag gets a quick fix that replaces exactly the flag', async () => {
  const text = REALIZABLE.replace('MPOL_MF_STRICT', 'MPOL_MF_STRCT');
  const { uri, diag, actions } = await actionsFor(text, 'unknown-flag');
  assert.equal(actions.length, 1);
  const a = actions[0];
  assert.equal(a.kind, 'quickfix');
  assert.equal(a.title, "Change 'MPOL_MF_STRCT' to 'MPOL_MF_STRICT'");
  assert.deepEqual(a.diagnostics, [diag]);
  const edits = a.edit!.changes![uri];
  assert.deepEqual(edits, [{ range: diag.range, newText: 'MPOL_MF_STRICT' }]);
  assert.equal(apply(text, edits[0].range, edits[0].newText), REALIZABLE);
});

test('a misspelt errno and a misspelt keyword are fixed the same way', async () => {
  const errno = await actionsFor(`${REALIZABLE}  expect return -EINVL\n`, 'unknown-errno');
  assert.equal(errno.actions[0].edit!.changes![errno.uri][0].newText, 'EINVAL');
  const kw = await actionsFor(REALIZABLE.replace('mbind app', 'mbnd app'), 'unknown-keyword');
  assert.equal(kw.actions[0].edit!.changes![kw.uri][0].newText, 'mbind');
});

test('a missing kernel line gets a quick fix inserting it after the title', async () => {
  const text = REALIZABLE.replace('kernel 6.12\n', '');
  const { uri, actions } = await actionsFor(text, 'missing-kernel');
  const e = actions[0].edit!.changes![uri][0];
  assert.equal(apply(text, e.range, e.newText).split('\n').slice(0, 2).join('\n'), 'scenario "migrate_pages(2) and a THP split by mprotect"\nkernel 6.12');
});

test('a misaligned size gets a quick fix with the aligned size', async () => {
  const text = REALIZABLE.replace('node 1 memory 1G', 'node 1 memory 1000');
  const { uri, diag, actions } = await actionsFor(text, 'misaligned');
  assert.deepEqual(actions[0].edit!.changes![uri], [{ range: diag.range, newText: '4K' }]);
});

test('a diagnostic without a suggestion offers no action, and a clean range none at all', async () => {
  const text = REALIZABLE.replace('touch heap write', 'touch zzzzzzzzzz write');
  const { actions } = await actionsFor(text, 'unknown-name');
  assert.deepEqual(actions, []);
  const uri = await h.open(REALIZABLE);
  const none = await h.request<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri },
    range: { start: { line: 9, character: 0 }, end: { line: 9, character: 5 } },
    context: { diagnostics: [] },
  });
  assert.deepEqual(none, []);
});
