// Parses move the trees they share with the previous version to their own lines
// (scenario/incremental.ts), so a version the user has edited since must not
// parse again, and a request still running on it ends with Superseded
// (answered ContentModified) rather than reading trees at another version's lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CancellationTokenSource } from 'vscode-jsonrpc';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisCache, Analysis, Superseded } from '../../server/analysis';
import { documentSymbols, documentSymbolsAsync } from '../../server/features/documentSymbols';
import { parse } from '../../scenario';

// 12,003 statements: three steps of the outline
const HUGE = ['node 0 memory 1G', 'node 1 memory 1G', 'process app', '  mmap heap anon private 2M', ...Array.from({ length: 12_000 }, (_, i) => `folio F${i} order 0 node 0 anon lru`)].join('\n');
const URI = 'file:///huge.mig';
const doc = (version: number, text: string): TextDocument => TextDocument.create(URI, 'migscenario', version, text);

test('a version replaced by a newer one does not parse any more', async () => {
  const cache = new AnalysisCache();
  const v1 = cache.get(doc(1, HUGE));
  const v2 = cache.get(doc(2, '\n' + HUGE));
  assert.ok(v1.superseded && !v2.superseded);
  assert.throws(() => v1.parsed, Superseded);
  assert.equal(await v1.parsedAsync(), undefined);
  assert.deepEqual(v2.parsed.scenario, parse('\n' + HUGE).scenario);
});

test('an outline still running when Enter is pressed ends with Superseded, and the new version is at its own lines', async () => {
  const cache = new AnalysisCache();
  const v1 = cache.get(doc(1, HUGE));
  void v1.parsed; // the first step of the outline runs at once; the edit lands before the second
  const pending = documentSymbolsAsync(v1, new CancellationTokenSource().token);
  const edited = '\n\n' + HUGE;
  const v2 = cache.get(doc(2, edited));
  assert.equal(v2.parsed.movedLines, HUGE.split('\n').length, 'every segment of the old text was moved, not parsed');
  await assert.rejects(pending, (e: unknown) => e instanceof Superseded);
  assert.deepEqual(v2.parsed.scenario, parse(edited).scenario);
  assert.deepEqual(documentSymbols(v2), documentSymbols(new Analysis('file:///fresh.mig', 1, edited)));
});
