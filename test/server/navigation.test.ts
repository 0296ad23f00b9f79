import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { DocumentHighlight, Location, Range, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { startHarness, type Harness } from './harness';
import { MODEL_ONLY, REALIZABLE } from './fixtures';

let h: Harness;
let uri: string;
before(async () => {
  h = await startHarness();
  uri = await h.open(REALIZABLE);
});
after(async () => {
  await h.close();
});

const r = (line: number, start: number, end: number): Range => ({ start: { line, character: start }, end: { line, character: end } });
const pos = (line: number, character: number) => ({ textDocument: { uri }, position: { line, character } });
const byPosition = (a: Range, b: Range) => a.start.line - b.start.line || a.start.character - b.start.character;

// In REALIZABLE: `heap` is declared on line 9 (chars 7-11) and used on lines 10, 11, 15 and 17;
// `app` is declared on line 8 (8-11) and used on lines 13, 15 and 17.
const HEAP_DECL = r(9, 7, 11);
const HEAP_REFS = [r(10, 8, 12), r(11, 11, 15), r(15, 18, 22), r(17, 10, 14)];
const APP_DECL = r(8, 8, 11);
const APP_REFS = [r(13, 14, 17), r(15, 14, 17), r(17, 6, 9)];

test('go to definition from a use of a mapping lands on its mmap name', async () => {
  const locs = await h.request<Location[]>('textDocument/definition', pos(15, 19));
  assert.deepEqual(locs, [{ uri, range: HEAP_DECL }]);
});

test('go to definition from a process argument lands on the process name', async () => {
  const locs = await h.request<Location[]>('textDocument/definition', pos(17, 7));
  assert.deepEqual(locs, [{ uri, range: APP_DECL }]);
});

test('go to definition on a keyword finds nothing', async () => {
  assert.deepEqual(await h.request<Location[]>('textDocument/definition', pos(17, 2)), []);
});

test('find references lists every use, with or without the declaration', async () => {
  const withDecl = await h.request<Location[]>('textDocument/references', { ...pos(9, 8), context: { includeDeclaration: true } });
  assert.deepEqual(withDecl.map((l) => l.range).sort(byPosition), [HEAP_DECL, ...HEAP_REFS]);
  const without = await h.request<Location[]>('textDocument/references', { ...pos(11, 12), context: { includeDeclaration: false } });
  assert.deepEqual(without.map((l) => l.range).sort(byPosition), HEAP_REFS);
});

test('document highlights mark the declaration as a write and the uses as reads', async () => {
  const hl = await h.request<DocumentHighlight[]>('textDocument/documentHighlight', pos(13, 15));
  assert.deepEqual(hl.filter((x) => x.kind === 3).map((x) => x.range), [APP_DECL]);
  assert.deepEqual(hl.filter((x) => x.kind === 2).map((x) => x.range).sort(byPosition), APP_REFS);
});

test('rename of a mapping edits exactly its declaration and its uses', async () => {
  const edit = await h.request<WorkspaceEdit>('textDocument/rename', { ...pos(10, 9), newName: 'buf' });
  const edits = edit.changes![uri];
  assert.deepEqual(edits.map((e) => e.range).sort(byPosition), [HEAP_DECL, ...HEAP_REFS]);
  assert.ok(edits.every((e) => e.newText === 'buf'));
});

test('prepareRename on a name returns its range and the current name', async () => {
  const res = await h.request<{ range: Range; placeholder: string }>('textDocument/prepareRename', pos(8, 9));
  assert.deepEqual(res, { range: APP_DECL, placeholder: 'app' });
});

test('prepareRename refuses a keyword and says why', async () => {
  await assert.rejects(h.request('textDocument/prepareRename', pos(17, 2)), (err: Error) => {
    assert.match(err.message, /'mbind' is part of the scenario language/);
    return true;
  });
  await assert.rejects(h.request('textDocument/prepareRename', pos(17, 30)), /MPOL_BIND' is part of the scenario language/);
});

test('rename refuses a keyword as the new name and a name already taken', async () => {
  await assert.rejects(h.request('textDocument/rename', { ...pos(9, 8), newName: 'anon' }), /word of the scenario language/);
  await assert.rejects(h.request('textDocument/rename', { ...pos(9, 8), newName: '2heap' }), /not a name/);
  const u = await h.open('scenario "t"\nkernel 6.12\nfolio A order 0 node 0 anon lru\nfolio B order 0 node 0 anon lru\n');
  await assert.rejects(h.request('textDocument/rename', { textDocument: { uri: u }, position: { line: 2, character: 6 }, newName: 'B' }), /folio named 'B' already exists/);
});

test('rename of a folio in a model-only scenario renames its uses in injections and expectations', async () => {
  const u = await h.open(MODEL_ONLY);
  const edit = await h.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri: u }, position: { line: 7, character: 6 }, newName: 'Busy' });
  const lines = edit.changes![u].map((e) => e.range.start.line).sort((a, b) => a - b);
  assert.deepEqual(lines, [7, 9, 12, 14]);
});
