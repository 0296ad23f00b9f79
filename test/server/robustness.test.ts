import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CancellationTokenSource } from 'vscode-jsonrpc';
import type { CompletionList, DocumentSymbol, Hover, Location } from 'vscode-languageserver-protocol';
import { startHarness, type Harness } from './harness';
import { REALIZABLE } from './fixtures';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

test('a request sent during rapid changes is answered against the latest text', async () => {
  const uri = await h.open(REALIZABLE);
  // Notifications and the request go out back to back, without waiting for anything.
  const sends: Promise<void>[] = [];
  for (let i = 0; i < 20; i++) {
    sends.push(h.client.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 + i },
      contentChanges: [{ text: REALIZABLE.replace(/\bapp\b/g, `proc${i}`) }],
    }));
  }
  const outline = h.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
  await Promise.all(sends);
  const names = (await outline).map((s) => s.name);
  assert.ok(names.includes('proc19'), names.join(','));
  assert.ok(!names.some((n) => n === 'app' || n === 'proc18'));
});

test('incremental edits are applied in order', async () => {
  const uri = await h.open(REALIZABLE);
  // Rename `app` on line 8 by two range edits: delete it, then type the new name.
  await h.client.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: 2 },
    contentChanges: [
      { range: { start: { line: 8, character: 8 }, end: { line: 8, character: 11 } }, text: '' },
      { range: { start: { line: 8, character: 8 }, end: { line: 8, character: 8 } }, text: 'worker' },
    ],
  });
  const outline = await h.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
  assert.ok(outline.some((s) => s.name === 'worker'));
});

test('a cancelled request is answered with RequestCancelled', async () => {
  const uri = await h.open(REALIZABLE);
  const source = new CancellationTokenSource();
  const pending = h.client.sendRequest('textDocument/semanticTokens/full', { textDocument: { uri } }, source.token);
  source.cancel();
  await assert.rejects(pending, (err: { code?: number }) => err.code === -32800);
});

test('requests about unknown documents and impossible positions get empty answers, not errors', async () => {
  const ghost = { textDocument: { uri: 'file:///nowhere.mig' }, position: { line: 3, character: 4 } };
  assert.deepEqual(await h.request<Location[]>('textDocument/definition', ghost), []);
  assert.equal(await h.request<Hover | null>('textDocument/hover', ghost), null);
  const uri = await h.open(REALIZABLE);
  const far = { textDocument: { uri }, position: { line: 9999, character: 9999 } };
  assert.deepEqual(await h.request<Location[]>('textDocument/references', { ...far, context: { includeDeclaration: true } }), []);
  assert.deepEqual((await h.request<CompletionList>('textDocument/completion', far)).items, []);
  const neg = { textDocument: { uri }, position: { line: -1, character: -5 } };
  assert.deepEqual(await h.request<Location[]>('textDocument/definition', neg), []);
  assert.deepEqual(h.logs.filter((l) => /failed/.test(l)), [], 'no handler failed');
});

test('notifications about documents that were never opened change nothing and break nothing', async () => {
  const ghost = 'file:///never-opened.mig';
  await h.client.sendNotification('textDocument/didChange', { textDocument: { uri: ghost, version: 7 }, contentChanges: [{ text: 'process x\n' }] });
  await h.client.sendNotification('textDocument/didClose', { textDocument: { uri: ghost } });
  assert.deepEqual(await h.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: ghost } }), []);
  const uri = await h.open(REALIZABLE);
  await h.client.sendNotification('textDocument/didClose', { textDocument: { uri } });
  assert.deepEqual(await h.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } }), [], 'a closed document is forgotten');
  const again = await h.open(REALIZABLE, 'reopened');
  assert.ok((await h.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: again } })).length > 0);
  assert.deepEqual(h.logs.filter((l) => /failed/.test(l)), []);
});
