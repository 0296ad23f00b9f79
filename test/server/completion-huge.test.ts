// On a huge document completion must not parse and collect the whole text while the user waits:
// before any symbol table exists it offers the words that fit and says the list is incomplete.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Analysis, SYNC_SYMBOLS_MAX_LINES } from '../../server/analysis';
import { completion } from '../../server/features/completion';
import { REALIZABLE } from './fixtures';

function huge(): { text: string; line: number } {
  const lines = REALIZABLE.split('\n');
  const filler = Array.from({ length: SYNC_SYMBOLS_MAX_LINES + 10 }, (_, i) => `# filler ${i}`);
  // a `touch` with no target at the end of the first process block: names of mappings are wanted there
  const at = lines.findIndex((l) => /^\s+touch /.test(l));
  assert.ok(at > 0, 'the fixture has a touch line');
  const body = [...lines.slice(0, at + 1), '  touch ', ...lines.slice(at + 1), ...filler];
  return { text: body.join('\n'), line: at + 1 };
}

test('on a huge document with no symbol table yet, completion gives words at once and says it is incomplete; names once analysed', () => {
  const { text, line } = huge();
  const a = new Analysis('file:///huge.mig', 1, text);
  const first = completion(a, { line: 0, character: 0 });
  assert.equal(first.isIncomplete, true);
  assert.ok(first.items.some((i) => i.label === 'node'), 'statement words are offered');
  const names = completion(a, { line, character: '  touch '.length });
  assert.equal(names.isIncomplete, true);
  assert.equal(a.parseIfReady, undefined, 'nothing was parsed to answer');
  void a.checked;
  const after = completion(a, { line, character: '  touch '.length });
  assert.equal(after.isIncomplete, false);
  assert.ok(after.items.some((i) => i.label === 'heap'), JSON.stringify(after.items.map((i) => i.label)));
});

test('on a document of ordinary size completion builds the names it needs on demand', () => {
  const a = new Analysis('file:///small.mig', 1, REALIZABLE.replace(/^(\s+touch .*)$/m, '$1\n  touch '));
  const line = a.lineTexts.findIndex((l) => l === '  touch ');
  const r = completion(a, { line, character: '  touch '.length });
  assert.equal(r.isIncomplete, false);
  assert.ok(r.items.some((i) => i.label === 'heap'));
});
