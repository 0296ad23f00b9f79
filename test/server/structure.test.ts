import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { DocumentSymbol, FoldingRange, SemanticTokens, InitializeResult } from 'vscode-languageserver-protocol';
import { startHarness, type Harness } from './harness';
import { MODEL_ONLY, REALIZABLE } from './fixtures';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

test('the outline shows processes with their mappings and operations with their expectations', async () => {
  const uri = await h.open(REALIZABLE);
  const syms = await h.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
  const shape = syms.map((s) => [s.name, (s.children ?? []).map((c) => c.name)]);
  assert.deepEqual(shape, [
    ['migrate_pages(2) and a THP split by mprotect', []],
    ['kernel 6.12', []],
    ['node 0', []],
    ['node 1', []],
    ['app', ['heap']],
    ['migrate_pages(2)', ['return 0', 'page app heap[8K] on node 1']],
    ['mbind(2)', ['return 0']],
  ]);
  const app = syms[4];
  assert.equal(app.kind, 5 /* Class */);
  assert.deepEqual(app.range, { start: { line: 8, character: 0 }, end: { line: 11, character: 27 } });
  assert.deepEqual(app.selectionRange, { start: { line: 8, character: 8 }, end: { line: 8, character: 11 } });
  assert.equal(app.children![0].detail, 'anon private 2M align 2M thp');
});

test('the outline of a model-only scenario lists folios, injections and the internal call', async () => {
  const uri = await h.open(MODEL_ONLY);
  const syms = await h.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
  const names = syms.map((s) => s.name);
  assert.deepEqual(names.slice(4), ['A', 'B', 'C', 'inject lock B held passes 0..4', 'inject alloc node 1 fails after 2', 'migrate_pages()']);
  assert.equal(syms[syms.length - 1].children!.length, 5);
});

test('folding ranges cover the process block, each operation with its expects, and comment runs', async () => {
  const uri = await h.open(REALIZABLE);
  const ranges = await h.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri } });
  assert.deepEqual(
    ranges.map((r) => [r.startLine, r.endLine, r.kind ?? 'region']),
    [
      [6, 7, 'comment'],
      [8, 11, 'region'],
      [13, 15, 'region'],
      [17, 18, 'region'],
    ],
  );
});

/** Decodes LSP's relative token encoding into absolute tokens with type and modifier names. */
function decode(tokens: SemanticTokens, init: InitializeResult) {
  const legend = init.capabilities.semanticTokensProvider!.legend;
  const out: { line: number; char: number; length: number; type: string; mods: string[] }[] = [];
  let line = 0;
  let char = 0;
  for (let i = 0; i < tokens.data.length; i += 5) {
    const [dl, dc, length, type, mods] = tokens.data.slice(i, i + 5);
    line += dl;
    char = dl === 0 ? char + dc : dc;
    out.push({ line, char, length, type: legend.tokenTypes[type], mods: legend.tokenModifiers.filter((_, b) => mods & (1 << b)) });
  }
  return out;
}

test('semantic tokens decode to the expected types at known positions', async () => {
  const uri = await h.open(REALIZABLE);
  const toks = decode(await h.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri } }), h.init);
  const at = (line: number, char: number) => toks.find((t) => t.line === line && t.char === char);
  assert.deepEqual(at(1, 7), { line: 1, char: 7, length: 4, type: 'profile', mods: [] }); // 6.12
  assert.equal(at(8, 0)?.type, 'keyword'); // process
  assert.deepEqual(at(8, 8), { line: 8, char: 8, length: 3, type: 'process', mods: ['declaration'] }); // app
  assert.deepEqual(at(9, 7), { line: 9, char: 7, length: 4, type: 'mapping', mods: ['declaration'] }); // heap
  assert.deepEqual(at(10, 8), { line: 10, char: 8, length: 4, type: 'mapping', mods: [] });
  assert.equal(at(10, 39)?.type, 'comment');
  assert.equal(at(13, 0)?.type, 'operation'); // migrate_pages
  assert.equal(at(17, 22)?.type, 'policy'); // MPOL_BIND
  assert.deepEqual(at(17, 46), { line: 17, char: 46, length: 12, type: 'flag', mods: [] }); // MPOL_MF_MOVE
  assert.equal(at(17, 58)?.type, 'operator'); // |
  assert.equal(at(17, 59)?.type, 'flag'); // MPOL_MF_STRICT
  assert.equal(at(0, 9)?.type, 'string');
  assert.equal(at(14, 16)?.type, 'number');
});

test('semantic tokens mark model-only lines and the internal call\'s modes, reasons and events', async () => {
  const uri = await h.open(MODEL_ONLY);
  const toks = decode(await h.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri } }), h.init);
  const at = (line: number, char: number) => toks.find((t) => t.line === line && t.char === char);
  assert.deepEqual(at(6, 6), { line: 6, char: 6, length: 1, type: 'folio', mods: ['declaration', 'modelOnly'] });
  assert.deepEqual(at(12, 15), { line: 12, char: 15, length: 1, type: 'folio', mods: ['modelOnly'] });
  assert.equal(at(12, 39)?.type, 'migrateMode');
  assert.equal(at(12, 60)?.type, 'migrateReason');
  assert.equal(at(13, 15)?.type, 'event'); // MIGRATEPAGE_UNMAP
  assert.equal(at(14, 15)?.type, 'event'); // EAGAIN after `event` is the engine's event, not a return value
  assert.equal(at(16, 2)?.type, 'keyword');
  assert.equal(at(16, 15)?.type, 'counter'); // nr_thp_split
});

test('range semantic tokens return only the tokens of the range', async () => {
  const uri = await h.open(REALIZABLE);
  const toks = decode(
    await h.request<SemanticTokens>('textDocument/semanticTokens/range', { textDocument: { uri }, range: { start: { line: 9, character: 0 }, end: { line: 10, character: 0 } } }),
    h.init,
  );
  assert.ok(toks.length > 0);
  assert.ok(toks.every((t) => t.line === 9), JSON.stringify(toks));
  assert.deepEqual(toks[0], { line: 9, char: 2, length: 4, type: 'keyword', mods: [] });
});

test('an errno after `expect return -` is one errno token including the minus', async () => {
  const uri = await h.open(`${REALIZABLE}  expect return -EIO\n`);
  const toks = decode(await h.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri } }), h.init);
  const line = REALIZABLE.split('\n').length - 1;
  assert.deepEqual(toks.find((t) => t.line === line && t.char === 16), { line, char: 16, length: 4, type: 'errno', mods: [] });
});
