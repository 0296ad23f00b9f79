// The outline of a huge document is built in steps: it equals the outline built in one go,
// and a cancellation that arrives between two steps stops it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CancellationTokenSource } from 'vscode-jsonrpc';
import { Analysis } from '../../server/analysis';
import { documentSymbols, documentSymbolsAsync } from '../../server/features/documentSymbols';
import { Cancelled } from '../../server/safe';

// 12,003 statements: three steps of 5,000
const HUGE = ['node 0 memory 1G', 'node 1 memory 1G', 'process app', '  mmap heap anon private 2M', ...Array.from({ length: 12_000 }, (_, i) => `folio F${i} order 0 node 0 anon lru`)].join('\n');

test('the outline built in steps equals the outline built in one go', async () => {
  const a = new Analysis('file:///huge.mig', 1, HUGE);
  const stepped = await documentSymbolsAsync(a, new CancellationTokenSource().token);
  assert.equal(stepped.length, 12_003);
  assert.deepEqual(stepped, documentSymbols(a));
});

test('an outline request cancelled between two steps stops with Cancelled', async () => {
  const a = new Analysis('file:///huge.mig', 1, HUGE);
  void a.parsed; // parsed already: the first step runs at once, the cancellation lands before the second
  const source = new CancellationTokenSource();
  const pending = documentSymbolsAsync(a, source.token);
  setImmediate(() => source.cancel());
  await assert.rejects(pending, (e: unknown) => e instanceof Cancelled);
});
