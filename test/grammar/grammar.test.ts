// The TextMate grammar: hand-written assertion files (test/grammar/cases),
// snapshots of every example (test/grammar/snapshots, checked with
// vscode-tmgrammar-snap), and a vocabulary check: every flag, mode, reason,
// errno, event, counter and keyword of the language gets its scope.
//
// After an intended grammar change: UPDATE_SNAPSHOTS=1 node --import tsx --test test/grammar/grammar.test.ts

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegistry } from 'vscode-tmgrammar-test/dist/common/index';
import { vocab as V } from '../../scenario';

const root = join(__dirname, '..', '..');
const grammarPath = join(root, 'syntaxes', 'migscenario.tmLanguage.json');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);

test('the hand-written grammar assertion files pass', () => {
  const r = spawnSync(bin('vscode-tmgrammar-test'), ['-g', grammarPath, join(root, 'test', 'grammar', 'cases', '*.mig')], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /run successfuly/);
});

test('every example tokenizes as its committed snapshot', (t) => {
  const examples = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.mig'));
  assert.ok(examples.length > 0, 'examples/*.mig exist');
  const snapDir = join(root, 'test', 'grammar', 'snapshots');
  const work = mkdtempSync(join(tmpdir(), 'migtrace-snap-'));
  const update = process.env.UPDATE_SNAPSHOTS === '1';
  try {
    const missing: string[] = [];
    for (const f of examples) {
      copyFileSync(join(root, 'examples', f), join(work, f));
      if (existsSync(join(snapDir, `${f}.snap`))) copyFileSync(join(snapDir, `${f}.snap`), join(work, `${f}.snap`));
      else missing.push(f);
    }
    const args = ['-g', grammarPath, ...(update ? ['-u'] : []), join(work, '*.mig')];
    const r = spawnSync(bin('vscode-tmgrammar-snap'), args, { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, `grammar snapshots differ (if the change is intended: UPDATE_SNAPSHOTS=1):\n${r.stdout}${r.stderr}`);
    if (update) {
      for (const f of examples) copyFileSync(join(work, `${f}.snap`), join(snapDir, `${f}.snap`));
    } else if (missing.length) {
      // An example added after the snapshots were taken is still tokenized above; it gets a snapshot on the next update.
      t.diagnostic(`no committed snapshot yet for ${missing.join(', ')} (UPDATE_SNAPSHOTS=1 adds them)`);
    }
    assert.ok(examples.length - missing.length > 0 || update, 'at least one example is checked against a snapshot');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
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
