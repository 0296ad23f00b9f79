// The symbol table: declarations, references, fork-inherited mappings, and
// the position lookups behind definition / references / rename.

import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { collectSymbols, lookup, parse, referencesOf, symbolAt, symbolsOnLine } from '../../scenario';

const TEXT = [
  'node 0 memory 1G', // 0
  'node 1 memory 1G', // 1
  'process app', // 2
  '  mmap heap anon private 2M', // 3
  '  touch heap[0..8K] write on node 1', // 4
  'process kid fork app', // 5
  '  mmap own anon private 4K', // 6
  'in kid', // 7
  '  touch heap write', // 8
  'folio A order 0 node 0 anon lru mapped app heap[0]', // 9
  'inject lock A held', // 10
  'migrate_pages [A] to node 1', // 11
  '  expect event EAGAIN on A', // 12
  '  expect page kid heap[0] on node 1', // 13
  'move_pages app pages heap[0], own[0]', // 14
].join('\n');

const table = collectSymbols(parse(TEXT).scenario);

test('declarations: processes, mappings scoped by process, folios, nodes', () => {
  const decls = table.decls.map((d) => `${d.kind}:${d.scope ?? ''}:${d.name}`).sort();
  assert.deepEqual(decls, ['folio::A', 'mapping:app:heap', 'mapping:kid:own', 'node::0', 'node::1', 'process::app', 'process::kid'].sort());
});

test('a fork child resolves its parent mapping names to the parent declaration', () => {
  const heap = lookup(table, 'mapping', 'heap', 'app')!;
  assert.equal(lookup(table, 'mapping', 'heap', 'kid'), heap);
  const lines = referencesOf(table, heap).map((r) => r.range.start.line).sort((a, b) => a - b);
  assert.deepEqual(lines, [4, 8, 9, 13, 14]);
});

test('a mapping of the child is not visible in the parent', () => {
  const own = table.refs.find((r) => r.name === 'own')!;
  assert.equal(own.scope, 'app');
  assert.equal(own.decl, undefined);
});

test('symbolAt finds the declaration from a reference and from the declaration itself', () => {
  const fromRef = symbolAt(table, { line: 12, character: 25 })!;
  assert.equal(fromRef.decl!.name, 'A');
  assert.equal(fromRef.decl!.range.start.line, 9);
  assert.ok(fromRef.ref);
  const fromDecl = symbolAt(table, { line: 9, character: 6 })!;
  assert.equal(fromDecl.decl, fromRef.decl);
  assert.equal(fromDecl.ref, undefined);
  assert.equal(symbolAt(table, { line: 9, character: 0 }), undefined, 'a keyword is not a symbol');
});

test('references of a folio list every use, with exact ranges for rename', () => {
  const a = lookup(table, 'folio', 'A')!;
  const refs = referencesOf(table, a).map((r) => [r.range.start.line, r.range.start.character, r.range.end.character]);
  assert.deepEqual(refs, [[10, 12, 13], [11, 15, 16], [12, 25, 26]]);
});

test('node references point at the node declaration', () => {
  const n1 = lookup(table, 'node', '1')!;
  assert.deepEqual(referencesOf(table, n1).map((r) => r.range.start.line), [4, 11, 13]);
});

test('an undeclared name is a reference without a declaration', () => {
  const t = collectSymbols(parse('in ghost\n').scenario);
  assert.equal(t.refs.length, 1);
  assert.equal(t.refs[0].decl, undefined);
});

test('a fork cycle does not hang the mapping lookup', () => {
  const t = collectSymbols(parse('process a fork b\nprocess b fork a\nin a\n  touch x write\n').scenario);
  assert.equal(lookup(t, 'mapping', 'x', 'a'), undefined);
});

test('symbolsOnLine lists what starts on a line, built only when first asked', () => {
  const fresh = collectSymbols(parse(TEXT).scenario);
  assert.equal(fresh.lazy.byLine, undefined, 'building the table must not build the position index');
  const line9 = symbolsOnLine(fresh, 9).map((x) => `${'stmt' in x ? 'decl' : 'ref'} ${x.kind} ${x.name}`);
  assert.deepEqual(line9.sort(), ['decl folio A', 'ref mapping heap', 'ref node 0', 'ref process app']);
  assert.deepEqual(symbolsOnLine(fresh, 1000), []);
  assert.deepEqual(symbolsOnLine(fresh, -1), []);
});
