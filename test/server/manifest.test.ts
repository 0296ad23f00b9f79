// The manifest's contributions agree with the code that serves them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, PROFILE_NAMES } from '../../scenario';
import { SEMANTIC_LEGEND } from '../../server/features/semanticTokens';
import { profileInText, profileLabel } from '../../client/profile';

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const contributes = pkg.contributes;

// The token types VS Code knows without a declaration.
const STANDARD_TYPES = new Set([
  'namespace', 'class', 'enum', 'interface', 'struct', 'typeParameter', 'type', 'parameter', 'variable', 'property',
  'enumMember', 'decorator', 'event', 'function', 'method', 'macro', 'label', 'comment', 'string', 'keyword', 'number',
  'regexp', 'operator',
]);
const STANDARD_MODIFIERS = new Set(['declaration', 'definition', 'readonly', 'static', 'deprecated', 'abstract', 'async', 'modification', 'documentation', 'defaultLibrary']);

test('every custom semantic token type and modifier the server uses is declared, with a TextMate fallback', () => {
  const declared = new Set(contributes.semanticTokenTypes.map((t: { id: string }) => t.id));
  const custom = SEMANTIC_LEGEND.tokenTypes.filter((t) => !STANDARD_TYPES.has(t));
  assert.deepEqual(custom.filter((t) => !declared.has(t)), []);
  assert.deepEqual([...declared].filter((t) => !SEMANTIC_LEGEND.tokenTypes.includes(t as string)), [], 'no declared type goes unused');
  const scopes = contributes.semanticTokenScopes.find((s: { language: string }) => s.language === 'migscenario').scopes;
  assert.deepEqual(custom.filter((t) => !scopes[t]), []);
  const mods = new Set(contributes.semanticTokenModifiers.map((t: { id: string }) => t.id));
  assert.deepEqual(SEMANTIC_LEGEND.tokenModifiers.filter((m) => !STANDARD_MODIFIERS.has(m) && !mods.has(m)), []);
});

test('the default-profile setting offers exactly the scenario layer\'s profiles', () => {
  const setting = contributes.configuration.properties['migtrace.kernel.defaultProfile'];
  assert.deepEqual(setting.enum, [...PROFILE_NAMES]);
  assert.equal(setting.enumDescriptions.length, PROFILE_NAMES.length);
  assert.ok(PROFILE_NAMES.includes(setting.default));
});

test('the language, grammar, snippets and configuration files exist and are valid JSON', () => {
  const lang = contributes.languages.find((l: { id: string }) => l.id === 'migscenario');
  assert.deepEqual(lang.extensions, ['.mig']);
  for (const p of [lang.configuration, contributes.grammars[0].path, contributes.snippets[0].path]) {
    assert.ok(existsSync(join(root, p)), p);
    JSON.parse(readFileSync(join(root, p), 'utf8'));
  }
  const conf = JSON.parse(readFileSync(join(root, lang.configuration), 'utf8'));
  assert.equal(conf.comments.lineComment, '#');
  assert.ok(new RegExp(conf.indentationRules.increaseIndentPattern).test('process app user nobody'));
  assert.ok(new RegExp(conf.indentationRules.increaseIndentPattern).test('mbind app heap[0..2M] MPOL_BIND nodes 1'));
  assert.ok(!new RegExp(conf.indentationRules.increaseIndentPattern).test('node 0 memory 1G'));
  assert.ok(new RegExp(conf.wordPattern).exec('MPOL_MF_STRICT')![0] === 'MPOL_MF_STRICT');
  assert.ok(pkg.activationEvents.includes('onLanguage:migscenario'));
  assert.ok(pkg.capabilities.untrustedWorkspaces.supported === 'limited');
});

test('the status bar command is contributed and is the one the client registers', () => {
  assert.ok(contributes.commands.some((c: { command: string }) => c.command === 'migtrace.pickKernelProfile'));
  assert.match(readFileSync(join(root, 'client', 'statusBar.ts'), 'utf8'), /PICK_PROFILE_COMMAND = 'migtrace\.pickKernelProfile'/);
});

/** A snippet body with every placeholder replaced by its default (first choice for `${1|a,b|}`). */
function expand(body: string): string {
  let prev = '';
  let s = body;
  while (s !== prev) {
    prev = s;
    s = s
      .replace(/\$\{\d+\|([^,|}]*)[^}]*\|\}/g, '$1')
      .replace(/\$\{\d+:([^${}]*)\}/g, '$1')
      .replace(/\$\d+/g, '');
  }
  return s;
}

test('every snippet, with its defaults, is a scenario without syntax errors', () => {
  const snippets = JSON.parse(readFileSync(join(root, 'snippets', 'migscenario.json'), 'utf8')) as Record<string, { body: string[] }>;
  const machine = 'scenario "s"\nkernel 6.12\nnode 0 memory 1G\nnode 1 memory 1G\n';
  const header = `${machine}process app\n  mmap heap anon private 2M\n`;
  for (const [name, s] of Object.entries(snippets)) {
    const text = expand(s.body.join('\n'));
    const full = text.startsWith('scenario') ? text : text.startsWith('process') ? machine + text : header + text;
    const syntax = analyze(full).diagnostics.filter((d) => d.severity === 'error' && !/^expect|mismatch/.test(d.code));
    assert.deepEqual(syntax.map((d) => `${d.code}: ${d.message}`), [], `${name}:\n${full}`);
  }
});

test('the status bar prefers the file\'s kernel line and says so', () => {
  assert.equal(profileInText('# c\nscenario "x"\nkernel 6.3-rc1  # old\n'), '6.3-rc1');
  assert.equal(profileInText('scenario "x"\n'), undefined);
  assert.deepEqual(profileLabel('6.12', undefined).text, '$(chip) Linux 6.12');
  const l = profileLabel('6.12', '6.1');
  assert.equal(l.text, '$(chip) Linux 6.1');
  assert.match(l.tooltip, /default for scenarios without one is 6\.12/);
});
