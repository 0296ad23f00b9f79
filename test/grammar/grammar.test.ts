// The TextMate grammar: hand-written assertion files (test/grammar/cases),
// snapshots of copies of the examples (test/grammar/snapshots, checked with
// vscode-tmgrammar-snap), and a vocabulary check: every flag, mode, reason,
// errno, event, counter and keyword of the language gets its scope.
//
// After an intended grammar change: UPDATE_SNAPSHOTS=1 node --import tsx --test test/grammar/grammar.test.ts

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createRegistry } from 'vscode-tmgrammar-test/dist/common/index';
import { collectSymbols, parse, vocab as V } from '../../scenario';

const root = join(__dirname, '..', '..');
const grammarPath = join(root, 'syntaxes', 'migscenario.tmLanguage.json');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
const LANGUAGE_WORDS = new Set<string>(Object.values(V).flatMap((v) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [])));

test('the hand-written grammar assertion files pass', () => {
  const r = spawnSync(bin('vscode-tmgrammar-test'), ['-g', grammarPath, join(root, 'test', 'grammar', 'cases', '*.mig')], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /run successfuly/);
});

// The snapshots are of copies of the examples (test/grammar/snapshots/*.mig), so that editing an
// example's comments does not break them; the next test checks the current examples themselves.
test('the snapshotted examples tokenize exactly as their committed snapshots', () => {
  const snapDir = join(root, 'test', 'grammar', 'snapshots');
  const update = process.env.UPDATE_SNAPSHOTS === '1';
  if (update) {
    for (const f of readdirSync(snapDir)) rmSync(join(snapDir, f));
    for (const f of readdirSync(join(root, 'examples')).filter((x) => x.endsWith('.mig'))) copyFileSync(join(root, 'examples', f), join(snapDir, f));
  }
  const cases = readdirSync(snapDir).filter((f) => f.endsWith('.mig'));
  assert.ok(cases.length > 0, 'snapshotted examples exist');
  // Without a .snap the tool would write one and pass: a missing snapshot is a failure here.
  if (!update) assert.deepEqual(cases.filter((f) => !existsSync(join(snapDir, `${f}.snap`))), [], 'every snapshotted example has its .snap');
  const args = ['-g', grammarPath, ...(update ? ['-u'] : []), join(snapDir, '*.mig')];
  const r = spawnSync(bin('vscode-tmgrammar-snap'), args, { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, `grammar snapshots differ (if the change is intended: UPDATE_SNAPSHOTS=1):\n${r.stdout}${r.stderr}`);
  assert.ok(cases.every((f) => existsSync(join(snapDir, `${f}.snap`))));
});

test('in every current example, only declared names are scoped as names, and no word of the language is', async () => {
  const files = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.mig'));
  assert.ok(files.length > 0);
  const wrong: string[] = [];
  let names = 0;
  for (const f of files) {
    const text = readFileSync(join(root, 'examples', f), 'utf8');
    const declared = new Set(collectSymbols(parse(text).scenario).decls.map((d) => d.name));
    const lines = text.split(/\r\n|\r|\n/);
    const toks = await tokenize(lines);
    toks.forEach((line, i) => {
      for (const [word, scope] of line) {
        if (scope.startsWith('variable.other.name')) names++;
        if (scope.startsWith('variable.other.name') && !declared.has(word)) wrong.push(`${f}:${i + 1}: '${word}' is scoped as a name but not declared`);
        if (!scope.startsWith('comment') && !scope.startsWith('string') && /^[A-Za-z_]\w*$/.test(word) && LANGUAGE_WORDS.has(word) && scope.startsWith('variable.other.name')) {
          wrong.push(`${f}:${i + 1}: '${word}' is a word of the language scoped as a name`);
        }
      }
    });
  }
  assert.deepEqual(wrong, []);
  assert.ok(names > 20, `names were seen (${names})`);
});

/** Scopes of each token of `line`, as [text, innermost scope] pairs. */
async function tokenize(lines: string[]): Promise<[string, string][][]> {
  const registry = createRegistry([{ scopeName: 'source.migscenario', path: grammarPath, language: 'migscenario' } as never]);
  const grammar = await registry.loadGrammar('source.migscenario');
  assert.ok(grammar);
  let stack = null;
  const out: [string, string][][] = [];
  for (const line of lines) {
    const r = grammar.tokenizeLine(line, stack);
    stack = r.ruleStack;
    out.push(r.tokens.map((tk) => [line.slice(tk.startIndex, tk.endIndex), tk.scopes[tk.scopes.length - 1]]));
  }
  return out;
}

async function scopeOf(cases: { line: string; word: string }[]): Promise<Map<string, string>> {
  const toks = await tokenize(cases.map((c) => c.line));
  const m = new Map<string, string>();
  cases.forEach((c, i) => {
    const hit = toks[i].find(([text]) => text === c.word || text === `-${c.word}`);
    m.set(`${c.line}|${c.word}`, hit ? hit[1] : '(not a token)');
  });
  return m;
}

async function expectScopes(cases: { line: string; word: string }[], want: RegExp): Promise<void> {
  const scopes = await scopeOf(cases);
  const wrong = [...scopes].filter(([, s]) => !want.test(s)).map(([k, s]) => `${k} → ${s}`);
  assert.deepEqual(wrong, []);
}

test('every flag, policy mode, migrate mode and reason of the language has its scope', async () => {
  await expectScopes([...V.MPOL_MF_FLAGS, ...V.MPOL_MODE_FLAGS, ...V.MIGRATE_PFN_FLAGS].map((f) => ({ line: `mbind app heap MPOL_BIND flags ${f}`, word: f })), /^constant\.language\.flag\./);
  await expectScopes(V.MPOL_MODES.map((m) => ({ line: `  policy ${m} nodes 1`, word: m })), /^constant\.language\.policy\./);
  await expectScopes(V.MIGRATE_MODES.map((m) => ({ line: `migrate_pages [A] to node 1 mode ${m}`, word: m })), /^constant\.language\.mode\./);
  await expectScopes(V.MIGRATE_REASONS.map((m) => ({ line: `migrate_pages [A] to node 1 reason ${m}`, word: m })), /^constant\.language\.reason\./);
});

test('every errno, event and counter has its scope', async () => {
  await expectScopes(V.ERRNOS.map((e) => ({ line: `  expect return -${e}`, word: e })), /^constant\.language\.errno\./);
  await expectScopes(V.EVENTS.map((e) => ({ line: `  expect event ${e} on A`, word: e })), /^support\.constant\.event\./);
  await expectScopes([...V.VMSTAT_COUNTERS].map((c) => ({ line: `  expect vmstat ${c} 1`, word: c })), /^support\.variable\.counter\./);
  await expectScopes([...V.STATS_FIELDS].map((c) => ({ line: `  expect stats ${c} 1`, word: c })), /^support\.variable\.counter\./);
});

test('every statement keyword and option word is a keyword, and a plain name is a name', async () => {
  await expectScopes(V.TOP_KEYWORDS.map((k) => ({ line: `${k} x`, word: k })), /^(keyword|storage\.type)\./);
  await expectScopes(V.USER_KEYWORDS.map((k) => ({ line: `  ${k} x`, word: k })), /^(keyword|storage\.type)\./);
  const options = [...V.OPTION_WORDS, ...V.BACKINGS, ...V.SHARINGS, ...V.FOLIO_FLAGS, ...V.FOLIO_KINDS, ...V.INJECT_FAULTS, ...V.PIN_KINDS];
  await expectScopes(options.map((o) => ({ line: `folio A order 0 ${o} 1`, word: o })), /^keyword\./);
  await expectScopes([{ line: 'touch heap write', word: 'heap' }], /^variable\.other\.name\./);
});
