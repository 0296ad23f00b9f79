// The fuzz property of test/unit/fuzz-server.test.ts, run in a child process so
// that a hang or a crash of the (in-process) server becomes a clear test
// failure naming the document, instead of a stuck test run. Before each
// document it writes the text to FUZZ_CURRENT; the parent reads it when the
// child stalls or dies. Usage: node --import tsx test/server/fuzz-worker.ts DOCS [SEED]

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { startHarness } from './harness';
import { MODEL_ONLY, REALIZABLE } from './fixtures';

const root = join(__dirname, '..', '..');
const DOCS = Number(process.argv[2] ?? 10_000);
const SEED = process.argv[3] !== undefined ? Number(process.argv[3]) : undefined;
const CURRENT = process.env.FUZZ_CURRENT;

const examples = [
  REALIZABLE,
  MODEL_ONLY,
  ...readdirSync(join(root, 'examples'))
    .filter((f) => f.endsWith('.mig'))
    .map((f) => readFileSync(join(root, 'examples', f), 'utf8')),
];

// Pieces that matter to the lexer and parser: keywords, brackets, ranges, quotes, comments, odd whitespace and characters.
const PIECES = [
  'process', 'mmap', 'migrate_pages', 'mbind', 'expect', 'folio', 'inject', 'in', 'kernel', 'node', '[', ']', '..', ',', '|', '-',
  '+', '"', '#', '\n', '\r\n', '\r', '\t', '  ', ' ', '0x', '4K', '99999999999999999999999999', 'MPOL_MF_STRICT', 'EAGAIN', 'heap[',
  '\u00e9', '\ud83d\ude00', '\ud800', '\u0000', 'app', 'heap', 'A', 'on node 1', 'expect return -', 'kernel 6.1', '\u2028',
];

type Mutation = { at: number; del: number; insert: string };
const mutation = fc.record({
  at: fc.nat(),
  del: fc.nat({ max: 40 }),
  insert: fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 8 }), fc.constant('')),
});

function mutate(text: string, ms: Mutation[]): string {
  let t = text;
  for (const m of ms) {
    const at = t.length ? m.at % (t.length + 1) : 0;
    t = t.slice(0, at) + m.insert + t.slice(at + m.del);
  }
  return t;
}

const documentArb = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...examples), fc.array(mutation, { minLength: 1, maxLength: 6 })).map(([t, ms]) => mutate(t, ms)) },
  { weight: 2, arbitrary: fc.array(fc.constantFrom(...PIECES), { maxLength: 60 }).map((p) => p.join(' ')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')) },
);

const METHODS = [
  'completion', 'hover', 'definition', 'references', 'documentHighlight', 'prepareRename', 'rename', 'documentSymbol',
  'semanticTokens/full', 'semanticTokens/range', 'foldingRange', 'formatting', 'codeAction', 'signatureHelp',
] as const;
const requestArb = fc.record({ method: fc.constantFrom(...METHODS), line: fc.integer({ min: -1, max: 80 }), character: fc.integer({ min: -1, max: 120 }) });

function inside(d: PublishDiagnosticsParams['diagnostics'][number], lines: string[]): boolean {
  const ok = (p: { line: number; character: number }) => p.line >= 0 && p.line < lines.length && p.character >= 0 && p.character <= lines[p.line].length;
  const ordered = d.range.start.line < d.range.end.line || (d.range.start.line === d.range.end.line && d.range.start.character <= d.range.end.character);
  return ok(d.range.start) && ok(d.range.end) && ordered;
}

async function main(): Promise<void> {
  const h = await startHarness({ diagnosticsDelayMs: 0 });
  const uri = await h.open('');
  let version = 1;
  let requests = 0;
  try {
    await fc.assert(
      fc.asyncProperty(documentArb, fc.array(requestArb, { minLength: 1, maxLength: 4 }), async (text, reqs) => {
        version++;
        if (CURRENT) writeFileSync(CURRENT, JSON.stringify({ n: version - 1, text, reqs }));
        await h.change(uri, text);
        const textDocument = { uri };
        const answers = reqs.map(({ method, line, character }) => {
          const position = { line, character };
          const range = { start: { line: Math.max(0, line - 2), character: 0 }, end: position };
          const params: Record<string, unknown> = { textDocument, position };
          if (method === 'references') params.context = { includeDeclaration: true };
          if (method === 'rename') params.newName = 'renamed';
          if (method === 'semanticTokens/range' || method === 'codeAction') params.range = range;
          if (method === 'codeAction') params.context = { diagnostics: [] };
          if (method === 'formatting') params.options = { tabSize: 2, insertSpaces: true };
          requests++;
          return h.request(`textDocument/${method}`, params).then(
            () => 'answered',
            (err: { code?: number; message?: string }) => {
              // prepareRename/rename refuse with InvalidRequest/InvalidParams; anything else is a failure.
              assert.ok(method.includes('ename') && (err.code === -32600 || err.code === -32602), `${method} at ${line}:${character} failed: ${err.message}`);
              return 'refused';
            },
          );
        });
        await Promise.all(answers);
        const published = await h.diagnostics(uri, version, 10_000);
        const lines = text.split(/\r\n|\r|\n/);
        for (const d of published.diagnostics) assert.ok(inside(d, lines), `diagnostic outside the document: ${JSON.stringify(d.range)} (${d.message})`);
        assert.deepEqual(h.logs.filter((l) => /failed/.test(l)), []);
      }),
      { numRuns: DOCS, seed: SEED, endOnFailure: false },
    );
  } finally {
    await h.close();
  }
  console.log(`fuzz: ${DOCS} documents, ${requests} requests, all answered`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
