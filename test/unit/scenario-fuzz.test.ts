// Property tests: any input — random bytes, random Unicode, mutated examples —
// parses, checks and formats without an exception; every diagnostic range lies
// inside the document; formatting is idempotent and only ever changes whitespace.

import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { analyze, format, splitLines, type Diagnostic } from '../../scenario';

const EXAMPLES = join(__dirname, '..', '..', 'examples');
const examples = readdirSync(EXAMPLES)
  .filter((f) => f.endsWith('.mig'))
  .map((f) => readFileSync(join(EXAMPLES, f), 'utf8'));

function checkDocument(text: string): void {
  const r = analyze(text);
  const lines = splitLines(text);
  for (const d of r.diagnostics) assertInside(d, lines);
  assert.ok(!r.diagnostics.some((d) => d.code === 'internal-error'), 'the checker threw');
  const once = format(text);
  assert.equal(format(once), once, 'format is idempotent');
  // Layout whitespace only: a no-break space or other Unicode space is text and must survive.
  const layout = /[ \t\v\f\r\n]+/g;
  assert.equal(once.replace(layout, ''), text.replace(layout, ''), 'format changes only layout whitespace');
}

function assertInside(d: Diagnostic, lines: string[]): void {
  const { start, end } = d.range;
  const ok =
    start.line >= 0 &&
    end.line < lines.length &&
    (start.line < end.line || (start.line === end.line && start.character <= end.character)) &&
    start.character >= 0 &&
    end.character <= lines[end.line].length &&
    start.character <= lines[start.line].length;
  assert.ok(ok, `${d.code} range ${JSON.stringify(d.range)} is outside the document`);
}

/** Insert, delete or replace a few characters of an example. */
const mutated = fc
  .tuple(
    fc.constantFrom(...examples),
    fc.array(fc.tuple(fc.nat(), fc.nat(8), fc.string({ unit: 'grapheme-ascii', maxLength: 6 })), { minLength: 1, maxLength: 6 }),
  )
  .map(([text, edits]) => {
    let t = text;
    for (const [at, del, ins] of edits) {
      const i = at % (t.length + 1);
      t = t.slice(0, i) + ins + t.slice(i + del);
    }
    return t;
  });

/** Lines built from the language's own words in random order: deep into the statement parsers. */
const WORDS = ['node', 'process', 'mmap', 'touch', 'migrate_pages', 'move_pages', 'mbind', 'pin', 'folio', 'inject', 'expect', 'return', 'status', 'event', 'heap', 'heap[0..4K]', 'heap[', '[', ']', ',', '..', '|', '-', '+', '0', '1', '2M', '0x10', 'from', 'to', 'nodes', 'flags', 'MPOL_MF_MOVE', 'anon', 'private', 'order', 'A', '"t"', '#c', 'passes', 'on', 'at', 'fails', 'lock'];
const wordSoup = fc
  .array(fc.tuple(fc.boolean(), fc.array(fc.constantFrom(...WORDS), { maxLength: 10 })), { maxLength: 30 })
  .map((ls) => ls.map(([ind, ws]) => (ind ? '  ' : '') + ws.join(' ')).join('\n'));

test('a lone no-break space survives formatting (found by the random-bytes property)', () => {
  checkDocument('\u00a0');
  assert.equal(format('  \u00a0x\u00a0 \n'), '  \u00a0x\u00a0\n');
});

test('random bytes never throw and give diagnostics inside the document', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => checkDocument(Buffer.from(bytes).toString('latin1'))),
    { numRuns: 300 },
  );
});

test('random Unicode (surrogates, line separators) never throws', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), checkDocument), { numRuns: 300 });
});

test('mutated examples never throw and give diagnostics inside the document', () => {
  fc.assert(fc.property(mutated, checkDocument), { numRuns: 300 });
});

test('random sequences of the language own words never throw', () => {
  fc.assert(fc.property(wordSoup, checkDocument), { numRuns: 400 });
});
