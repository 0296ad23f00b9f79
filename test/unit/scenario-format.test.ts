// The formatter: canonical layout, idempotent, never changes the tree, never
// drops text.

import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { format, parse } from '../../scenario';

const EXAMPLES = join(__dirname, '..', '..', 'examples');
const DATA = join(__dirname, 'data', 'parser');

function strip(x: unknown): unknown {
  if (typeof x === 'bigint') return x.toString();
  if (Array.isArray(x)) return x.map(strip);
  if (x && typeof x === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) if (!/range$/i.test(k) && k !== 'comments') out[k] = strip(v);
    return out;
  }
  return x;
}

const files = [
  ...readdirSync(EXAMPLES).filter((f) => f.endsWith('.mig')).map((f) => join(EXAMPLES, f)),
  ...readdirSync(DATA).filter((f) => f.endsWith('.mig')).map((f) => join(DATA, f)),
];

for (const f of files) {
  test(`format is idempotent and keeps the tree of ${f.split('/').slice(-2).join('/')}`, () => {
    const text = readFileSync(f, 'utf8');
    const once = format(text);
    assert.equal(format(once), once);
    assert.deepEqual(strip(parse(once).scenario), strip(parse(text).scenario));
    assert.equal(parse(once).scenario.comments.length, parse(text).scenario.comments.length);
    assert.deepEqual(
      parse(once).diagnostics.map((d) => d.code),
      parse(text).diagnostics.map((d) => d.code),
    );
  });
}

test('format writes two-space blocks, single spaces, glued addresses and flag sets', () => {
  const text = 'process   app\n\t\tmmap heap  anon private 2M\n    touch heap [ 0 .. 8K ]  write\n\n\n\nmove_pages app pages heap[0] , heap[4K] flags MPOL_MF_MOVE | MPOL_MF_MOVE_ALL\n      expect status [ 1 , -ENOENT ]   # why\n';
  assert.equal(
    format(text),
    'process app\n  mmap heap anon private 2M\n  touch heap[0..8K] write\n\nmove_pages app pages heap[0], heap[4K] flags MPOL_MF_MOVE|MPOL_MF_MOVE_ALL\n  expect status [1, -ENOENT]  # why\n',
  );
});

test('a line that fails to parse is kept verbatim apart from its indentation', () => {
  const text = 'node 0 memory 1G\n      bogus   line   here  # keep\nprocess app\n        mmap heap   anon privat 2M\n';
  const out = format(text);
  assert.equal(out, 'node 0 memory 1G\n  bogus   line   here  # keep\nprocess app\n  mmap heap   anon privat 2M\n');
});

test('a list after a keyword keeps its space; leading blank lines go, one final newline stays', () => {
  assert.equal(format('\n\nmigrate_pages [A,B] to node 1\n  expect status [1]\n\n'), 'migrate_pages [A, B] to node 1\n  expect status [1]\n');
});
