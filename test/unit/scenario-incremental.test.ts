// Incremental parsing must be invisible: after any sequence of edits, the tree and
// diagnostics equal a full parse of the same text, an edit inside one line
// re-parses only the segment around it, and segments that only moved are not
// parsed again.

import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import fc from 'fast-check';
import { check, checkSteps, collectSymbols, collectSymbolsSteps, parse, parseIncremental, parseIncrementalSteps, type IncrementalParse } from '../../scenario';
import { assertOverEdits, examples } from './edit-sequences';


/** Fragments that change how lines group: indentation, comments, a stray expect, block heads, line breaks. */
const FRAGMENTS = ['\n', '\n  ', '  ', '\t', '#', 'expect ', '\n  expect return 0', '\nprocess q\n', 'in app\n', '\r\n', 'x', '[', ']', '"', '\n\n', 'mbind app heap MPOL_BIND nodes 1\n'];

const edit = fc.record({
  at: fc.nat(),
  del: fc.nat({ max: 40 }),
  ins: fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 6 })),
});

function apply(text: string, e: { at: number; del: number; ins: string }): string {
  const at = text.length === 0 ? 0 : e.at % (text.length + 1);
  return text.slice(0, at) + e.ins + text.slice(at + e.del);
}

function sameAsFull(inc: IncrementalParse, text: string): void {
  const full = parse(text);
  assert.deepEqual(inc.scenario, full.scenario);
  assert.deepEqual(inc.diagnostics, full.diagnostics);
}

test('incremental parse after random edits equals a full parse of the same text', () => {
  assertOverEdits({ edits: fc.array(edit, { minLength: 1, maxLength: 8 }), apply, step: (prev: IncrementalParse | undefined, text) => parseIncremental(prev, text), verify: sameAsFull, numRuns: 300 });
});

test('lines inserted above move the segments below in place instead of parsing them again', () => {
  const text = examples[0];
  const first = parseIncremental(undefined, text);
  const kept = first.scenario.statements;
  const moved = parseIncremental(first, '\n\n' + text);
  sameAsFull(moved, '\n\n' + text);
  // The blank lines join the first segment (the comment lines above the first statement): only it is parsed again.
  const lines = text.split('\n').length;
  assert.ok(moved.reparsedLines > 2 && moved.reparsedLines < 10, `re-parsed ${moved.reparsedLines} lines`);
  assert.equal(moved.movedLines, lines - (moved.reparsedLines - 2));
  assert.deepEqual(moved.scenario.statements.map((s) => kept.indexOf(s)), kept.map((_, i) => i), 'the same statement objects');
});

test('Enter inside a segment re-parses that segment alone and moves the ones below', () => {
  const big = examples.join('\n');
  const first = parseIncremental(undefined, big);
  const mid = big.indexOf('\n', big.length >> 1);
  const edited = big.slice(0, mid) + '\n' + big.slice(mid);
  const second = parseIncremental(first, edited);
  sameAsFull(second, edited);
  assert.ok(second.reparsedLines > 0 && second.reparsedLines < 30, `re-parsed ${second.reparsedLines} lines`);
  assert.ok(second.movedLines > big.split('\n').length / 3, `moved ${second.movedLines} lines`);
});

test('a parse from an older version than the newest still equals a full parse (moved trees are put back)', () => {
  // The server drops older versions, but a parse abandoned half-way or a version skipped must not
  // leave a reused tree at the wrong lines: each tree knows where its positions are now.
  const branch = fc.record({ a: fc.array(edit, { minLength: 1, maxLength: 4 }), b: fc.array(edit, { minLength: 1, maxLength: 4 }) });
  fc.assert(
    fc.property(fc.constantFrom(...examples), branch, (start, { a, b }) => {
      const base = parseIncremental(undefined, start);
      const ta = a.reduce(apply, start);
      sameAsFull(parseIncremental(base, ta), ta);
      const tb = b.reduce(apply, start);
      sameAsFull(parseIncremental(base, tb), tb);
      sameAsFull(parseIncremental(base, start), start);
    }),
    { numRuns: 200 },
  );
});

test('after lines are inserted above, an expanded node list still gives one reference, as from scratch', () => {
  const text = 'node 0 memory 1G\nnode 1 memory 1G\nprocess app\n  mmap heap anon private 64K\nmbind app heap MPOL_BIND nodes 0-1 flags MPOL_MF_MOVE\n';
  const moved = parseIncremental(parseIncremental(undefined, text), '\n' + text);
  const refs = (t: ReturnType<typeof collectSymbols>) => t.refs.filter((r) => r.kind === 'node' && r.range.start.line === 5).length;
  assert.equal(refs(collectSymbols(moved.scenario)), 1);
  assert.equal(refs(collectSymbols(parse('\n' + text).scenario)), 1);
});

test('an edit on one line keeps every statement of the other segments as the same object', () => {
  const big = examples.join('\n');
  const first = parseIncremental(undefined, big);
  const at = big.indexOf('flags MPOL_MF_MOVE') + 'flags '.length; // in a statement, not a comment
  const second = parseIncremental(first, big.slice(0, at) + 'MPOL_MF_MOVX' + big.slice(at + 'MPOL_MF_MOVE'.length));
  const kept = second.scenario.statements.filter((s) => first.scenario.statements.includes(s)).length;
  assert.equal(kept, first.scenario.statements.length - 1);
});

test('an edit inside one line re-parses only the segment that holds it', () => {
  const big = examples.join('\n');
  const first = parseIncremental(undefined, big);
  const total = big.split('\n').length;
  assert.equal(first.reparsedLines, total);
  const at = big.indexOf('MPOL_MF_MOVE');
  assert.ok(at > 0, 'the examples use MPOL_MF_MOVE');
  const edited = big.slice(0, at) + 'MPOL_MF_MOVX' + big.slice(at + 'MPOL_MF_MOVE'.length);
  const second = parseIncremental(first, edited);
  sameAsFull(second, edited);
  assert.ok(second.reparsedLines > 0 && second.reparsedLines < 20, `re-parsed ${second.reparsedLines} of ${total} lines`);
});

test('the parse in steps pauses on a long document and ends with the same result as the parse in one go', () => {
  const big = examples.join('\n');
  const steps = parseIncrementalSteps(undefined, big, 50);
  let pauses = 0;
  let r = steps.next();
  while (!r.done) {
    pauses++;
    r = steps.next();
  }
  assert.ok(pauses >= Math.floor(big.split('\n').length / 50) - 1, `paused ${pauses} times`);
  sameAsFull(r.value, big);
});

test('the check in steps pauses on a long document and gives exactly the check in one go, its symbol table included', () => {
  const big = examples.join('\n');
  const once = check(parse(big).scenario, big);
  const tree = parse(big).scenario;
  const steps = checkSteps(tree, 20);
  let pauses = 0;
  let r = steps.next();
  while (!r.done) {
    pauses++;
    r = steps.next();
  }
  // the symbol table pauses over statements and references, the checks over statements
  assert.ok(pauses >= Math.floor((2 * tree.statements.length) / 20) - 2, `paused ${pauses} times over ${tree.statements.length} statements`);
  assert.deepEqual(r.value, once);
  assert.deepEqual(collectSymbols(tree).byKey, collectSymbols(parse(big).scenario).byKey);
});

test('a symbol table built in steps and dropped half way leaves nothing cached', () => {
  const big = examples.join('\n');
  const tree = parse(big).scenario;
  const steps = collectSymbolsSteps(tree, 5);
  steps.next();
  steps.next();
  steps.return(undefined as never);
  const table = collectSymbols(tree);
  assert.equal(table.decls.length, collectSymbols(parse(big).scenario).decls.length);
  assert.equal(collectSymbols(tree), table, 'and the complete table is cached once built');
});
