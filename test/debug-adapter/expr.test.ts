// The expression language shared by conditions, watch, hover and the Debug Console.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, listOf, parseExpr, show, tokenize, type Env, type Value } from '../../debug-adapter/expr';
import type { FolioInfo } from '../../debug-adapter/trace-view';

function folio(id: number, name: string, over: Partial<FolioInfo> = {}): FolioInfo {
  return { id, name, pfn: 0x1000 + id, order: 0, node: 0, kind: 'anon', flags: ['lru'], refcount: 2, mapcount: 1, pins: 0, place: 'from', mapped: [], ...over };
}

const folios = [folio(0, 'A'), folio(1, 'B', { refcount: 3, node: 1, flags: ['locked', 'lru'] }), folio(2, 'C', { order: 9 })];
const names: Record<string, Value> = {
  pass: 3,
  nr_failed: 1,
  folio: { t: 'folio', id: 1 },
  event: 'EAGAIN',
  A: { t: 'folio', id: 0 },
  B: { t: 'folio', id: 1 },
  C: { t: 'folio', id: 2 },
  from: listOf('from', [0, 1]),
  ret_folios: listOf('ret_folios', []),
  stats: { t: 'obj', name: 'stats', fields: { nr_succeeded: 512, nr_failed_pages: 1 } },
  none: null,
};
const env: Env = {
  lookup: (n) => (n in names ? names[n] : /^[A-Z][A-Z0-9_]+$/.test(n) ? n : undefined),
  folio: (id) => folios[id],
  names: () => Object.keys(names),
};

function value(text: string): Value {
  const r = evaluate(text, env);
  if (!r.ok) assert.fail(`${text}: ${r.error}`);
  return r.value;
}
function error(text: string): string {
  const r = evaluate(text, env);
  assert.equal(r.ok, false, `${text} should not evaluate`);
  return (r as { error: string }).error;
}

test('folio fields read the folio at the event: B.refcount, B.node, a flag as a field', () => {
  assert.equal(value('B.refcount'), 3);
  assert.equal(value('B.node'), 1);
  assert.equal(value('B.locked'), true);
  assert.equal(value('A.locked'), false);
  assert.equal(value('C.nr_pages'), 512);
});

test('counters, locals and stats fields compare with numbers', () => {
  assert.equal(value('pass >= 3'), true);
  assert.equal(value('pass > 3'), false);
  assert.equal(value('stats.nr_succeeded == 512'), true);
  assert.equal(value('nr_failed + 1 == 2'), true);
});

test('&&, || and ! combine conditions with short-circuit', () => {
  assert.equal(value('pass >= 3 && folio == B'), true);
  assert.equal(value('pass >= 4 && folio == B'), false);
  assert.equal(value('pass >= 4 || folio == B'), true);
  assert.equal(value('!(folio == A)'), true);
  // the right side is not evaluated when the left decides, so an unknown name there is no error
  assert.equal(value('pass < 0 && nosuch > 1'), false);
});

test('count(list), list membership and indexing', () => {
  assert.equal(value('count(from)'), 2);
  assert.equal(value('count(ret_folios) == 0'), true);
  assert.equal(value('B in from'), true);
  assert.equal(value('C in from'), false);
  assert.equal(show(value('from[1]'), env), show({ t: 'folio', id: 1 }, env));
  assert.equal(value('from.length'), 2);
});

test('folio == B compares identity; event names compare as words', () => {
  assert.equal(value('folio == B'), true);
  assert.equal(value('folio != A'), true);
  assert.equal(value('folio == "B"'), true);
  assert.equal(value('event == EAGAIN'), true);
  assert.equal(value('event == EBUSY'), false);
  assert.equal(value('none == B'), false);
});

test('numbers take hex and K/M suffixes', () => {
  assert.equal(value('0x10 == 16'), true);
  assert.equal(value('4K'), 4096);
  assert.equal(value('2M / 4K'), 512);
});

test('bad expressions give an error message naming the problem, never an exception', () => {
  assert.match(error('pass >='), /expected a value/);
  assert.match(error('pass >= 3 &&'), /expected a value/);
  assert.match(error('B.nosuchfield'), /no field|has no/);
  assert.match(error('pas >= 3'), /unknown name 'pas'.*did you mean 'pass'/);
  assert.match(error('count(B)'), /count\(\) needs a list/);
  assert.match(error('from < 3'), /needs numbers/);
  assert.match(error('"unterminated'), /unterminated string/);
  assert.match(error('pass @ 3'), /unexpected character '@'/);
  assert.match(error('1 / 0'), /division by zero/);
  assert.match(error('from[7]'), /outside from/);
  assert.match(error('nosuchfn(from)'), /unknown function/);
  assert.match(error('(pass'), /expected '\)'/);
  assert.match(error('pass 3'), /unexpected '3'/);
});

test('random garbage never throws', () => {
  const alphabet = ['pass', 'B', '.', '(', ')', '[', ']', '&&', '||', '!', '==', '<', '3', 'count', ',', '"x"', 'from', ' ', '@', '0x', '4K', 'in', '-'];
  let seed = 42;
  const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  for (let k = 0; k < 5000; k++) {
    let text = '';
    for (let j = rnd(10); j >= 0; j--) text += alphabet[rnd(alphabet.length)];
    const r = evaluate(text, env);
    assert.ok(r.ok || typeof r.error === 'string');
  }
});

test('tokens and the tree keep positions for messages', () => {
  assert.deepEqual(
    tokenize('B.refcount>=2').map((t) => [t.type, t.text, t.pos]),
    [['name', 'B', 0], ['op', '.', 1], ['name', 'refcount', 2], ['op', '>=', 10], ['num', '2', 12], ['end', '', 13]],
  );
  const e = parseExpr('a || b && c');
  assert.equal(e.type, 'binary');
  assert.equal((e as { op: string }).op, '||');
});
