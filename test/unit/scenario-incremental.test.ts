// Incremental parsing must be invisible: after any sequence of edits, the tree and
// diagnostics equal a full parse of the same text, and an edit inside one line
// re-parses only the segment around it.

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

test('lines inserted above re-parse the segments that moved, and the previous tree stays untouched', () => {
  const text = examples[0];
  const first = parseIncremental(undefined, text);
  const before = structuredClone(first.scenario);
  const moved = parseIncremental(first, '\n\n' + text);
  sameAsFull(moved, '\n\n' + text);
  assert.equal(moved.reparsedLines, text.split('\n').length + 2);
  assert.deepEqual(first.scenario, before);
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
