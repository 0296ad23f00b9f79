// Parser behaviour a data file cannot say as clearly: exact ranges, recovery
// across lines, and every shipped example parsing without errors.

import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyze, parse, type MmapStmt, type MovePagesOp, type ProcessStmt, type TouchStmt } from '../../scenario';

const EXAMPLES = join(__dirname, '..', '..', 'examples');
export const exampleFiles = readdirSync(EXAMPLES).filter((f) => f.endsWith('.mig')).sort();

test('every example parses and checks with zero error diagnostics', () => {
  assert.ok(exampleFiles.length >= 10, 'the examples folder holds the seed scenarios');
  for (const f of exampleFiles) {
    const r = analyze(readFileSync(join(EXAMPLES, f), 'utf8'));
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    assert.deepEqual(errors.map((d) => `${f}:${d.range.start.line + 1} ${d.code} ${d.message}`), []);
  }
});

test('every example starts with a comment saying what it shows', () => {
  for (const f of exampleFiles) assert.match(readFileSync(join(EXAMPLES, f), 'utf8'), /^# \S/, f);
});

test('tokens carry exact LSP ranges: 0-based line, UTF-16 character', () => {
  const text = 'scenario "é ✓ 𝔸"\nprocess app\n  touch heap[0..8K] write\n';
  const r = parse(text);
  const p = r.scenario.statements[1] as ProcessStmt;
  const touch = p.body[0] as TouchStmt;
  assert.deepEqual(touch.target!.range, { start: { line: 2, character: 8 }, end: { line: 2, character: 19 } });
  assert.deepEqual(touch.target!.mapping!.range, { start: { line: 2, character: 8 }, end: { line: 2, character: 12 } });
  assert.deepEqual(touch.target!.end!.range, { start: { line: 2, character: 16 }, end: { line: 2, character: 18 } });
  assert.equal(touch.target!.end!.value, 8192n);
  // the astral character counts as two UTF-16 units, as LSP counts
  const s = r.scenario.statements[0];
  assert.equal(s.kind === 'scenario' && s.titleRange!.end.character, 17);
});

test('numbers are exact bigints with binary suffixes and hex', () => {
  const r = parse('node 0 memory 1G movable 0x10000000 hugepages 3\n');
  const n = r.scenario.statements[0];
  assert.equal(n.kind, 'node');
  if (n.kind !== 'node') return;
  assert.equal(n.memory!.value, 1n << 30n);
  assert.equal(n.movable!.value, 0x10000000n);
  assert.equal(n.hugepages!.value, 3n);
  assert.deepEqual(r.diagnostics, []);
});

test('two bad lines are both reported and the good lines between them are kept', () => {
  const r = parse('kernl 6.12\nnode 0 memory 1G\nnod 1 memory 1G\nnode 2 memory 1G\n');
  assert.deepEqual(r.diagnostics.map((d) => [d.code, d.range.start.line]), [['unknown-keyword', 0], ['unknown-keyword', 2]]);
  assert.deepEqual(r.scenario.statements.map((s) => s.kind), ['error', 'node', 'error', 'node']);
});

test('a bad line inside a process block does not lose the block', () => {
  const r = parse('process app\n  mmap heap anon private 2M\n  tuch heap write\n  touch heap write\n');
  const p = r.scenario.statements[0] as ProcessStmt;
  assert.deepEqual(p.body.map((b) => b.kind), ['mmap', 'error', 'touch']);
  assert.equal(p.range.end.line, 3, 'the block range covers its body');
  assert.equal(r.diagnostics.length, 1);
  assert.equal(r.diagnostics[0].data?.suggestion, 'touch');
});

test('a partial node keeps the fields it could read', () => {
  const r = parse('process app\n  mmap heap anon private 12Q thp\n');
  const m = (r.scenario.statements[0] as ProcessStmt).body[0] as MmapStmt;
  assert.equal(m.name!.text, 'heap');
  assert.equal(m.backing!.text, 'anon');
  assert.equal(m.size, undefined);
  assert.equal(m.thp!.text, 'thp');
  assert.deepEqual(r.diagnostics.map((d) => [d.code, d.range.start.character, d.range.end.character]), [['bad-number', 25, 28]]);
});

test('migrate_pages with `[` is the internal call, without it the syscall', () => {
  const r = parse('migrate_pages [A, B] to node 1 mode MIGRATE_ASYNC\nmigrate_pages app from 0-2 to 3\n');
  const [a, b] = r.scenario.statements;
  assert.equal(a.kind, 'migrate_pages_internal');
  assert.equal(b.kind, 'migrate_pages_syscall');
  if (b.kind === 'migrate_pages_syscall') assert.deepEqual(b.from!.nodes.map((n) => n.value), [0n, 1n, 2n]);
});

test('move_pages without nodes is query mode; nodes may be negative for ENODEV tests', () => {
  const r = parse('move_pages app pages heap[0], heap[4K]\nmove_pages app pages heap[0] nodes -1\n');
  const [q, m] = r.scenario.statements as MovePagesOp[];
  assert.equal(q.nodes, undefined);
  assert.equal(q.pages.length, 2);
  assert.deepEqual(m.nodes!.map((n) => n.value), [-1n]);
});

test('an operation range covers its expect lines; headRange only the operation line', () => {
  const r = parse('mbind app heap MPOL_BIND nodes 1\n  expect return 0\n  expect page app heap[0] on node 1\n');
  const op = r.scenario.statements[0];
  assert.equal(op.kind, 'mbind');
  if (op.kind !== 'mbind') return;
  assert.equal(op.expects.length, 2);
  assert.equal(op.headRange.end.line, 0);
  assert.equal(op.range.end.line, 2);
  assert.equal(op.addr!.mapping!.text, 'heap');
});

test('kernel profile names with dots and dashes are read as written', () => {
  const r = parse('kernel 6.3-rc1\n');
  const k = r.scenario.statements[0];
  assert.equal(k.kind === 'kernel' && k.profile!.text, '6.3-rc1');
});

test('comments are collected, including trailing ones', () => {
  const r = parse('# head\nnode 0 memory 1G  # tail\n');
  assert.deepEqual(r.scenario.comments.map((c) => [c.start.line, c.start.character]), [[0, 0], [1, 18]]);
});

test('CRLF and CR line endings give the same lines as LF', () => {
  const lf = parse('node 0 memory 1G\nnode 1 memory 1G\n');
  const crlf = parse('node 0 memory 1G\r\nnode 1 memory 1G\r\n');
  const cr = parse('node 0 memory 1G\rnode 1 memory 1G\r');
  assert.deepEqual(crlf.scenario, lf.scenario);
  assert.deepEqual(cr.scenario, lf.scenario);
});
