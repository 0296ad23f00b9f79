// The symbol table and the check of a new version, built from the previous
// version's, must be invisible: after any sequence of edits they equal a table
// and a check computed from scratch. And an edit inside one line must really
// reuse: the untouched statements keep their diagnostics (the same objects).

import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import fc from 'fast-check';
import { check, checkIncremental, collectSymbols, collectSymbolsIncremental, parse, parseIncremental, type CheckResult, type IncrementalParse, type SymbolTable } from '../../scenario';
import { derivedFrom } from '../../scenario/symbols-incremental';
import { assertOverEdits } from './edit-sequences';

/** Words an edit swaps in: names, sizes, nodes, flags, kernel profiles (so that declarations, effects and context change too). */
const WORDS = ['heap', 'buf', 'app', 'T', 'U', '0', '1', '2', '4K', '64K', '2M', '4M', 'MPOL_MF_MOVE', 'MPOL_MF_STRICT', 'MPOL_BIND', '6.1', '6.12', 'hugetlb', 'fork', 'user', 'nobody', 'mmap', 'x', ' ', ''];

/** An edit inside one line (no line added or removed): what typing mostly is, and what the reuse is for. */
const inLine = fc.record({ line: fc.nat(), at: fc.nat(), del: fc.nat({ max: 8 }), ins: fc.oneof(fc.constantFrom(...WORDS), fc.string({ maxLength: 3 }).map((s) => s.replace(/[\r\n]/g, ''))) });
/** One whole word of a line replaced (a size, a name, a node, a flag): edits that keep the text valid and change what it means. */
const word = fc.record({ line: fc.nat(), word: fc.nat(), by: fc.constantFrom(...WORDS.filter((w) => w.trim() !== '')) });
/** Now and then an edit that adds or joins lines. */
const anywhere = fc.record({ at: fc.nat(), del: fc.nat({ max: 30 }), ins: fc.constantFrom('\n', '\n  ', 'process q\n', '\n  mmap m 8K\n', '\nnode 3 memory 1G\n') });

type Edit = { line: number; at: number; del: number; ins: string } | { at: number; del: number; ins: string } | { line: number; word: number; by: string };

function apply(text: string, e: Edit): string {
  if ('word' in e) {
    const lines = text.split('\n');
    const l = e.line % lines.length;
    const words = [...lines[l].matchAll(/[^\s[\]().,|]+/g)];
    if (words.length === 0) return text;
    const w = words[e.word % words.length];
    lines[l] = lines[l].slice(0, w.index) + e.by + lines[l].slice(w.index! + w[0].length);
    return lines.join('\n');
  }
  if ('line' in e) {
    const lines = text.split('\n');
    const l = e.line % lines.length;
    const s = lines[l];
    const at = e.at % (s.length + 1);
    lines[l] = s.slice(0, at) + e.ins + s.slice(Math.min(s.length, at + e.del));
    return lines.join('\n');
  }
  const at = text.length === 0 ? 0 : e.at % (text.length + 1);
  return text.slice(0, at) + e.ins + text.slice(at + e.del);
}

interface Version {
  parsed: IncrementalParse;
  table: SymbolTable;
  checked: CheckResult;
}

function next(prev: Version | undefined, text: string): Version {
  const parsed = parseIncremental(prev?.parsed, text);
  const table = collectSymbolsIncremental(prev?.table, parsed.scenario);
  const checked = checkIncremental(prev?.checked, parsed.scenario);
  return { parsed, table, checked };
}

function sameAsFromScratch(v: Version, text: string): void {
  const tree = parse(text).scenario;
  assert.deepEqual(v.table, collectSymbols(tree));
  assert.deepEqual(v.checked, check(tree));
  // every reference points at a declaration of this table, never at a previous version's
  const decls = new Set(v.table.decls);
  for (const r of v.table.refs) if (r.decl) assert.ok(decls.has(r.decl), `reference ${r.name} on line ${r.range.start.line + 1} points outside the table`);
}

test('the symbol table and check after random edits equal a table and check built from scratch', () => {
  assertOverEdits({
    edits: fc.array(fc.oneof({ weight: 5, arbitrary: word }, { weight: 3, arbitrary: inLine }, { weight: 1, arbitrary: anywhere }), { minLength: 1, maxLength: 10 }),
    apply,
    step: next,
    verify: sameAsFromScratch,
    numRuns: 400,
  });
});

test('an edit of a flag keeps every other statement: the table is made from the previous one and their diagnostics are the same objects', () => {
  // 50 processes, each with an mbind past the end of its mapping (a warning per mbind)
  const lines = ['kernel 6.12', 'node 0 memory 1G', 'node 1 memory 1G'];
  for (let i = 0; i < 50; i++) lines.push(`process p${i}`, `  mmap m${i} anon private 64K`, `mbind p${i} m${i}[0..128K] MPOL_BIND nodes 1 flags MPOL_MF_MOVE`, '  expect return 0');
  const big = lines.join('\n');
  const v1 = next(undefined, big);
  assert.equal(v1.checked.diagnostics.filter((d) => d.code === 'out-of-range').length, 50);
  const at = big.lastIndexOf('MPOL_MF_MOVE');
  const edited = big.slice(0, at) + 'MPOL_MF_MOVX' + big.slice(at + 'MPOL_MF_MOVE'.length);
  const v2 = next(v1, edited);
  sameAsFromScratch(v2, edited);
  assert.ok(derivedFrom(v2.table, v1.table), 'the table was updated, not rebuilt');
  const line = big.slice(0, at).split('\n').length - 1;
  const before = v1.checked.diagnostics.filter((d) => d.range.start.line !== line);
  assert.equal(before.length, 49);
  assert.ok(before.every((d) => v2.checked.diagnostics.includes(d)), 'every diagnostic of another line is the previous object');
  assert.ok(v2.checked.diagnostics.some((d) => d.code === 'unknown-flag' && d.range.start.line === line), 'and the edited line has its new diagnostic');
});

test('a mapping that grows takes the out-of-range warning off a later, untouched mbind', () => {
  const text = (size: string): string => ['kernel 6.12', 'node 0 memory 1G', 'node 1 memory 1G', 'process app', `  mmap heap anon private ${size}`, 'mbind app heap[0..256K] MPOL_BIND nodes 1 flags MPOL_MF_MOVE', '  expect return 0', ''].join('\n');
  const v1 = next(undefined, text('64K'));
  assert.ok(v1.checked.diagnostics.some((d) => d.code === 'out-of-range' && d.range.start.line === 5), 'the small mapping is too small for the mbind');
  const v2 = next(v1, text('512K'));
  sameAsFromScratch(v2, text('512K'));
  assert.ok(derivedFrom(v2.table, v1.table), 'the declarations did not change');
  assert.ok(!v2.checked.diagnostics.some((d) => d.code === 'out-of-range'), 'the mbind was checked again against the new size');
});

test('renaming a declaration builds the table anew, and the old name becomes unknown', () => {
  const text = (name: string): string => ['node 0 memory 1G', 'process app', `  mmap ${name} anon private 64K`, 'mbind app heap[0..64K] MPOL_BIND nodes 0 flags MPOL_MF_MOVE', ''].join('\n');
  const v1 = next(undefined, text('heap'));
  const v2 = next(v1, text('heaq'));
  sameAsFromScratch(v2, text('heaq'));
  assert.ok(!derivedFrom(v2.table, v1.table));
  assert.ok(v2.checked.diagnostics.some((d) => d.code === 'unknown-name' && d.message.includes("'heap'")));
});

test('changing the kernel profile re-checks every statement under the new profile', () => {
  const text = (k: string): string => [`kernel ${k}`, 'node 0 memory 1G', 'node 1 memory 1G', 'folio A order 0 node 0 anon lru', 'migrate_pages [A] to node 1 mode MIGRATE_SYNC_NO_COPY reason MR_SYSCALL', ''].join('\n');
  const v1 = next(undefined, text('6.1'));
  const v2 = next(v1, text('6.12'));
  sameAsFromScratch(v2, text('6.12'));
  assert.ok(!v1.checked.diagnostics.some((d) => d.code === 'mode-not-in-profile'));
  assert.ok(v2.checked.diagnostics.some((d) => d.code === 'mode-not-in-profile' && d.range.start.line === 4), 'MIGRATE_SYNC_NO_COPY is gone in 6.12');
});

test('Enter in the middle keeps the table and the diagnostics of the statements below, at their new lines', () => {
  const lines = ['kernel 6.12', 'node 0 memory 1G', 'node 1 memory 1G'];
  for (let i = 0; i < 50; i++) lines.push(`process p${i}`, `  mmap m${i} anon private 64K`, `mbind p${i} m${i}[0..128K] MPOL_BIND nodes 1 flags MPOL_MF_MOVE`, '  expect return 0');
  lines.push('folio F order 0 node 0 anon lru', 'migrate_pages [F] to node 1 mode MIGRATE_SYNC reason MR_SYSCALL');
  const big = lines.join('\n');
  const v1 = next(undefined, big);
  const folioLine = lines.indexOf('folio F order 0 node 0 anon lru');
  assert.equal(v1.checked.modelOnly?.reason, `model-only: line ${folioLine + 1} declares a kernel-level folio`);
  const below = v1.checked.diagnostics.filter((d) => d.range.start.line > 100);
  // Enter at the end of line 100 (inside a process block): lines 101.. move down by one.
  const at = big.split('\n').slice(0, 101).join('\n').length;
  const edited = big.slice(0, at) + '\n' + big.slice(at);
  const v2 = next(v1, edited);
  sameAsFromScratch(v2, edited);
  assert.ok(derivedFrom(v2.table, v1.table), 'the table was updated, not rebuilt');
  assert.ok(below.length > 0 && below.every((d) => v2.checked.diagnostics.includes(d)), 'the diagnostics below are the previous objects');
  assert.equal(v2.checked.modelOnly?.reason, `model-only: line ${folioLine + 2} declares a kernel-level folio`, 'the model-only line is the one it moved to');
});
