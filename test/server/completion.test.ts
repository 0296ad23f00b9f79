import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionList } from 'vscode-languageserver-protocol';
import { cursor, startHarness, type Harness } from './harness';
import { analyze } from '../../scenario';
import { MODEL_ONLY, REALIZABLE } from './fixtures';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

/** Completion labels at the ‸ in `marked`. */
async function complete(marked: string): Promise<CompletionList> {
  const { text, position } = cursor(marked);
  const uri = await h.open(text);
  return h.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position });
}
async function labels(marked: string): Promise<string[]> {
  return (await complete(marked)).items.map((i) => i.label);
}

function includesAll(got: string[], want: string[]): void {
  for (const w of want) assert.ok(got.includes(w), `expected '${w}' in [${got.join(', ')}]`);
}
function excludesAll(got: string[], bad: string[]): void {
  for (const b of bad) assert.ok(!got.includes(b), `did not expect '${b}' in [${got.join(', ')}]`);
}

test('at the start of a top-level line: statement keywords, not process statements or expect', async () => {
  const got = await labels(`${REALIZABLE}\n‸`);
  includesAll(got, ['process', 'node', 'folio', 'inject', 'mbind', 'move_pages', 'migrate_pages', 'pin', 'migrate_vma']);
  excludesAll(got, ['mmap', 'touch', 'expect', 'MPOL_BIND']);
});

test('on an indented line in a process block: process statements only', async () => {
  const got = await labels(REALIZABLE.replace('  touch heap write', '  ‸\n  touch heap write'));
  includesAll(got, ['mmap', 'touch', 'munmap', 'mprotect', 'mremap', 'mlock', 'policy']);
  excludesAll(got, ['process', 'mbind', 'expect', 'kernel']);
});

test('on an indented line under an operation: expect', async () => {
  const got = await labels(REALIZABLE.replace('  expect return 0\n  expect page', '  expect return 0\n  ‸\n  expect page'));
  assert.ok(got.includes('expect'));
  excludesAll(got, ['mmap', 'process', 'mbind']);
});

test('after `mbind `: the declared processes, not mappings or keywords', async () => {
  const got = await labels(`${REALIZABLE}mbind ‸`);
  assert.deepEqual(got, ['app']);
});

test('after `mbind app `: the mappings of app', async () => {
  const got = await labels(`${REALIZABLE}mbind app ‸`);
  assert.deepEqual(got, ['heap']);
});

test('after the range of mbind: memory policy modes', async () => {
  const got = await labels(`${REALIZABLE}mbind app heap[0..4K] ‸`);
  includesAll(got, ['MPOL_BIND', 'MPOL_PREFERRED', 'MPOL_INTERLEAVE']);
  excludesAll(got, ['MPOL_MF_MOVE', 'MIGRATE_ASYNC', 'app']);
});

test('after `flags` and after `|`: the MPOL_MF_* flags only', async () => {
  const afterFlags = await labels(`${REALIZABLE}mbind app heap[0..4K] MPOL_BIND nodes 1 flags ‸`);
  assert.deepEqual(afterFlags.sort(), ['MPOL_MF_LAZY', 'MPOL_MF_MOVE', 'MPOL_MF_MOVE_ALL', 'MPOL_MF_STRICT']);
  const afterBar = await labels(`${REALIZABLE}mbind app heap[0..4K] MPOL_BIND nodes 1 flags MPOL_MF_MOVE|‸`);
  assert.deepEqual(afterBar.sort(), afterFlags.sort());
});

test('after the nodes of mbind: the remaining keyword arguments', async () => {
  const got = await labels(`${REALIZABLE}mbind app heap[0..4K] MPOL_BIND nodes 1 ‸`);
  includesAll(got, ['flags', 'by']);
  excludesAll(got, ['nodes', 'MPOL_BIND']);
});

test('a partial word is replaced: the edit covers what was typed', async () => {
  const list = await complete(`${REALIZABLE}mbind app heap[0..4K] MPOL_BIND nodes 1 flags MPOL_MF_ST‸`);
  const strict = list.items.find((i) => i.label === 'MPOL_MF_STRICT');
  assert.ok(strict?.textEdit && 'range' in strict.textEdit);
  const line = REALIZABLE.split('\n').length - 1;
  const col = 'mbind app heap[0..4K] MPOL_BIND nodes 1 flags '.length;
  assert.deepEqual(strict.textEdit.range, { start: { line, character: col }, end: { line, character: col + 'MPOL_MF_ST'.length } });
});

test('internal migrate_pages: folios in the list, then modes after `mode` and reasons after `reason`', async () => {
  const base = MODEL_ONLY.replace(/migrate_pages[\s\S]*$/, '');
  includesAll(await labels(`${base}migrate_pages [‸`), ['A', 'B', 'C']);
  includesAll(await labels(`${base}migrate_pages [A, ‸`), ['A', 'B', 'C']);
  const modes = await labels(`${base}migrate_pages [A, B] to node 1 mode ‸`);
  assert.deepEqual(modes.sort(), ['MIGRATE_ASYNC', 'MIGRATE_SYNC', 'MIGRATE_SYNC_LIGHT', 'MIGRATE_SYNC_NO_COPY']);
  const reasons = await labels(`${base}migrate_pages [A, B] to node 1 mode MIGRATE_ASYNC reason ‸`);
  includesAll(reasons, ['MR_COMPACTION', 'MR_SYSCALL', 'MR_LONGTERM_PIN', 'MR_NUMA_MISPLACED']);
  excludesAll(reasons, ['MIGRATE_ASYNC', 'A']);
});

test('after `expect`: the kinds of expectation; after `expect event`: events; after `on`: folios', async () => {
  const base = MODEL_ONLY.replace(/ {2}expect event MIGRATEPAGE_UNMAP on A[\s\S]*$/, '');
  const kinds = await labels(`${base}  expect ‸`);
  includesAll(kinds, ['return', 'status', 'page', 'vmstat', 'stats', 'event', 'folio']);
  const events = await labels(`${base}  expect event ‸`);
  includesAll(events, ['MIGRATEPAGE_UNMAP', 'EAGAIN', 'mm_migrate_pages_start']);
  excludesAll(events, ['MPOL_BIND', 'return']);
  assert.deepEqual((await labels(`${base}  expect event EAGAIN on ‸`)).sort(), ['A', 'B', 'C']);
  includesAll(await labels(`${base}  expect stats ‸`), ['nr_succeeded', 'nr_thp_split']);
});

test('after `expect return -E`: negative errnos, replacing the minus too', async () => {
  const list = await complete(`${REALIZABLE}  expect return -E‸`);
  const eagain = list.items.find((i) => i.label === '-EAGAIN');
  assert.ok(eagain, list.items.map((i) => i.label).join(','));
  assert.ok(eagain.textEdit && 'range' in eagain.textEdit);
  assert.equal(eagain.textEdit.range.start.character, '  expect return '.length);
});

test('after `kernel `: the profile names with their descriptions', async () => {
  const list = await complete('scenario "x"\nkernel ‸\n');
  assert.deepEqual(list.items.map((i) => i.label), ['6.1', '6.3-rc1', '6.12']);
  assert.match(String(list.items[2].documentation), /3 async \+ 7 sync/);
});

test('inside a comment or a string: nothing', async () => {
  assert.deepEqual(await labels(`${REALIZABLE}# mbind ‸`), []);
  assert.deepEqual(await labels('scenario "a ‸title"\n'), []);
});

test('statement templates use the document\'s own names', async () => {
  const list = await complete(`${REALIZABLE}‸`);
  const mbind = list.items.find((i) => i.kind === 15 && i.label.startsWith('mbind'));
  assert.ok(mbind?.textEdit, 'an mbind template is offered');
  assert.match(mbind.textEdit.newText, /^mbind \$\{1:app\} \$\{2:heap\}\[0\.\./);
  assert.equal(mbind.insertTextFormat, 2);
});

test('in a process block, touch offers the block\'s mappings', async () => {
  const got = await labels(REALIZABLE.replace('  touch heap write', '  touch ‸\n  touch heap write'));
  assert.deepEqual(got, ['heap']);
});

test('after a comma in move_pages pages: the mappings of the target process', async () => {
  assert.deepEqual(await labels(`${REALIZABLE}move_pages app pages heap[0], ‸`), ['heap']);
});

test('every statement template, with its defaults, parses without errors in the document', async () => {
  const list = await complete(`${MODEL_ONLY}\n${REALIZABLE.replace(/^scenario.*\nkernel.*\n\nnode 0 memory 1G\nnode 1 memory 1G\n/, '')}‸`);
  const snippets = list.items.filter((i) => i.kind === 15);
  assert.ok(snippets.length >= 6);
  for (const s of snippets) {
    let body = (s.textEdit as { newText: string }).newText;
    for (let prev = ''; prev !== body; ) {
      prev = body;
      body = body.replace(/\$\{\d+\|([^,|}]*)[^}]*\|\}/g, '$1').replace(/\$\{\d+:([^${}]*)\}/g, '$1');
    }
    const doc = `${MODEL_ONLY}\n${REALIZABLE.replace(/^scenario.*\nkernel.*\n\nnode 0 memory 1G\nnode 1 memory 1G\n/, '')}${body.replace(/^process app/, 'process app2')}\n`;
    const errors = analyze(doc).diagnostics.filter((d) => d.severity === 'error');
    assert.deepEqual(errors.map((d) => `${d.code}: ${d.message}`), [], `${s.label}:\n${body}`);
  }
});

test('after `on node` the declared node ids; after `user` the users', async () => {
  const got = await labels(REALIZABLE.replace('  touch heap write on node 0', '  touch heap write on node ‸'));
  assert.deepEqual(got, ['0', '1']);
  assert.deepEqual((await labels(`${REALIZABLE}process other user ‸`)).sort(), ['nobody', 'root']);
});

test('right after a keystroke, names come from the last analysed version and say which; once analysed, from the new one', async () => {
  const h2 = await startHarness({ diagnosticsDelayMs: 60_000 });
  try {
    const { text, position } = cursor(REALIZABLE.replace('  touch heap write', '  touch heap write\n  touch ‸'));
    const uri = await h2.open(text);
    await h2.diagnostics(uri, 1, 20_000);
    const first = await h2.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position });
    assert.ok(first.items.some((i) => i.label === 'heap'));
    assert.ok(first.items.every((i) => (i.data as { symbolsVersion?: number }).symbolsVersion === 1));
    // Rename the mapping; the change is debounced (a burst), so version 2 is not analysed yet.
    await h2.change(uri, text.replace('mmap heap', 'mmap arena'));
    const stale = await h2.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position });
    const heap = stale.items.find((i) => i.label === 'heap');
    assert.ok(heap, 'the previous version still offers its names');
    assert.equal((heap.data as { symbolsVersion: number }).symbolsVersion, 1, 'and says they are from version 1');
    // A hover needs version 2's symbols and builds them; completion then offers version 2's names.
    await h2.request('textDocument/hover', { textDocument: { uri }, position: { line: 11, character: 8 } });
    const fresh = await h2.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position });
    const arena = fresh.items.find((i) => i.label === 'arena');
    assert.ok(arena, JSON.stringify(fresh.items.map((i) => i.label)));
    assert.equal((arena.data as { symbolsVersion: number }).symbolsVersion, 2);
    assert.ok(!fresh.items.some((i) => i.label === 'heap'));
  } finally {
    await h2.close();
  }
});
