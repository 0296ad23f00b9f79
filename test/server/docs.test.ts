import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionList, Hover, MarkupContent, SignatureHelp, TextEdit } from 'vscode-languageserver-protocol';
import { cursor, startHarness, type Harness } from './harness';
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

const hoverText = (hv: Hover | null): string => (hv ? (hv.contents as MarkupContent).value : '');

test('hover on MPOL_MF_STRICT gives the kernel text and its value', async () => {
  const hv = await h.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 17, character: 62 } });
  const text = hoverText(hv);
  assert.match(text, /\*\*MPOL_MF_STRICT\*\*/);
  assert.match(text, /value `1`/);
  assert.match(text, /EIO/);
  assert.deepEqual(hv.range, { start: { line: 17, character: 59 }, end: { line: 17, character: 73 } });
});

test('hover on an operation shows its syntax and how kernel versions differ', async () => {
  const text = hoverText(await h.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 17, character: 2 } }));
  assert.match(text, /do_mbind\(\)/);
  assert.match(text, /```migscenario\nmbind PROCESS ADDR/);
  assert.match(text, /- \*\*6\.1\*\*: Pre-v6\.7 queue_pages_range\(\)/);
});

test('hover on a declared name says what it is and shows its declaration line', async () => {
  const text = hoverText(await h.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 15, character: 19 } }));
  assert.match(text, /\*\*mapping\*\* `heap` of process `app`/);
  assert.match(text, /Declared on line 10:/);
  assert.match(text, /mmap heap anon private 2M align 2M thp/);
});

test('hover on EAGAIN after `event` shows the trace event first, and the errno too', async () => {
  const u = await h.open(MODEL_ONLY);
  const text = hoverText(await h.request<Hover>('textDocument/hover', { textDocument: { uri: u }, position: { line: 14, character: 17 } }));
  const event = text.indexOf('*trace event*');
  const errno = text.indexOf('*errno*');
  assert.ok(event >= 0 && errno > event, text);
});

test('hover on the kernel profile covers the whole profile name', async () => {
  const u = await h.open('scenario "x"\nkernel 6.3-rc1\n');
  const hv = await h.request<Hover>('textDocument/hover', { textDocument: { uri: u }, position: { line: 1, character: 9 } });
  assert.match(hoverText(hv), /EDEADLOCK/);
  assert.deepEqual(hv.range, { start: { line: 1, character: 7 }, end: { line: 1, character: 14 } });
});

test('hover on a comment or blank space shows nothing', async () => {
  assert.equal(await h.request('textDocument/hover', { textDocument: { uri }, position: { line: 6, character: 5 } }), null);
  assert.equal(await h.request('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 0 } }), null);
});

test('completion items carry their documentation', async () => {
  const { text, position } = cursor(`${REALIZABLE}mbind app heap[0..4K] MPOL_BIND nodes 1 flags ‸`);
  const u = await h.open(text);
  const list = await h.request<CompletionList>('textDocument/completion', { textDocument: { uri: u }, position });
  const strict = list.items.find((i) => i.label === 'MPOL_MF_STRICT')!;
  assert.match((strict.documentation as MarkupContent).value, /EIO/);
  assert.equal(strict.detail, 'mbind/move_pages flag = 1');
});

async function signature(marked: string): Promise<SignatureHelp | null> {
  const { text, position } = cursor(marked);
  const u = await h.open(text);
  return h.request<SignatureHelp | null>('textDocument/signatureHelp', { textDocument: { uri: u }, position });
}
const activeLabel = (s: SignatureHelp | null): string => String(s!.signatures[s!.activeSignature ?? 0].parameters![s!.activeParameter ?? 0].label);

test('signature help for mbind follows the cursor from parameter to parameter', async () => {
  const first = await signature(`${REALIZABLE}mbind ‸`);
  assert.match(first!.signatures[0].label, /^mbind PROCESS ADDR MODE/);
  assert.equal(activeLabel(first), 'PROCESS');
  assert.equal(activeLabel(await signature(`${REALIZABLE}mbind app ‸`)), 'ADDR');
  assert.equal(activeLabel(await signature(`${REALIZABLE}mbind app heap[0..4K] ‸`)), 'MODE');
  assert.equal(activeLabel(await signature(`${REALIZABLE}mbind app heap[0..4K] MPOL_BIND nodes ‸`)), 'NODES');
  assert.equal(activeLabel(await signature(`${REALIZABLE}mbind app heap[0..4K] MPOL_BIND nodes 1 flags MPOL_MF_MO‸`)), 'FLAGS');
});

test('signature help for migrate_pages picks the internal form after `[`', async () => {
  const base = MODEL_ONLY.replace(/migrate_pages[\s\S]*$/, '');
  const s = await signature(`${base}migrate_pages [A, B] to node 1 mode ‸`);
  assert.equal(s!.signatures.length, 2);
  assert.equal(s!.activeSignature, 1);
  assert.equal(activeLabel(s), 'MODE');
  const syscall = await signature(`${REALIZABLE}migrate_pages app from ‸`);
  assert.equal(syscall!.activeSignature, 0);
  assert.equal(activeLabel(syscall), 'NODES');
});

test('no signature help on a keyword being typed or in a comment', async () => {
  assert.equal(await signature(`${REALIZABLE}mbi‸`), null);
  assert.equal(await signature(`${REALIZABLE}mbind app # ‸`), null);
});

test('formatting returns one edit to the canonical layout, and nothing for formatted text', async () => {
  const messy = 'scenario   "x"\nkernel 6.12\n\n\n\nprocess app\n    mmap heap anon private 2M\n';
  const u = await h.open(messy);
  const edits = await h.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri: u }, options: { tabSize: 2, insertSpaces: true } });
  assert.equal(edits.length, 1);
  const formatted = edits[0].newText;
  assert.equal(formatted, 'scenario "x"\nkernel 6.12\n\nprocess app\n  mmap heap anon private 2M\n');
  const again = await h.open(formatted);
  assert.deepEqual(await h.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri: again }, options: { tabSize: 2, insertSpaces: true } }), []);
});
