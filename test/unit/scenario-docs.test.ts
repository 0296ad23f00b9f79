// The documentation table is complete (every fixed-vocabulary word the parser
// accepts has an entry) and docs/language.md is generated from it.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { DOCS, PROFILES, DEFAULT_PROFILE, lookupDoc, lookupDocs, vocab } from '../../scenario';
import { LANGUAGE_DOC_PATH, renderLanguageDoc } from '../../scripts/gen-language-doc';

test('every word of every vocabulary has a DOCS entry', () => {
  const missing: string[] = [];
  for (const [list, words] of Object.entries(vocab)) {
    if (!Array.isArray(words)) continue;
    for (const w of words) if (!lookupDoc(w)) missing.push(`${list}: ${w}`);
  }
  assert.deepEqual(missing, []);
});

test('words in the specific categories completion offers have an entry of that category', () => {
  const want: [readonly string[], string][] = [
    [vocab.MPOL_MF_FLAGS, 'mpol-flag'],
    [vocab.MPOL_MODES, 'mpol-mode'],
    [vocab.MPOL_MODE_FLAGS, 'mpol-mode-flag'],
    [vocab.MIGRATE_MODES, 'migrate-mode'],
    [vocab.MIGRATE_REASONS, 'reason'],
    [vocab.ERRNOS, 'errno'],
    [vocab.EVENTS, 'event'],
    [vocab.VMSTAT_COUNTERS, 'vmstat'],
    [vocab.STATS_FIELDS, 'stats'],
    [vocab.FOLIO_PLACES, 'place'],
    [vocab.INJECT_FAULTS, 'fault'],
    [vocab.FOLIO_FLAGS, 'folio-flag'],
    [vocab.MIGRATE_PFN_FLAGS, 'pfn-flag'],
    [vocab.TOP_KEYWORDS, 'keyword|operation'],
    [vocab.USER_KEYWORDS, 'statement'],
  ];
  for (const [words, cat] of want) {
    for (const w of words) {
      assert.ok(lookupDocs(w).some((d) => cat.split('|').includes(d.category)), `${w} has no ${cat} entry`);
    }
  }
});

test('every reason documents its trace string and every errno its value', () => {
  for (const d of DOCS.filter((x) => x.category === 'reason')) assert.ok(d.trace, d.name);
  for (const d of DOCS.filter((x) => x.category === 'errno')) assert.match(d.value ?? '', /^-\d+$/, d.name);
});

test('keywords and operations give a syntax line with labelled parameters for signature help', () => {
  for (const d of DOCS.filter((x) => x.category === 'keyword' || x.category === 'operation' || x.category === 'statement')) {
    assert.ok(d.syntax, `${d.name} has no syntax`);
    for (const p of d.params ?? []) assert.ok(d.syntax!.includes(p.label), `${d.name}: label ${p.label} not in ${d.syntax}`);
  }
});

test('no two entries share a name and a category', () => {
  const seen = new Set<string>();
  for (const d of DOCS) {
    const k = `${d.category}:${d.name}`;
    assert.ok(!seen.has(k), `duplicate ${k}`);
    seen.add(k);
  }
});

test('lookupDoc prefers the asked category for words in several', () => {
  assert.equal(lookupDoc('EAGAIN', 'event')!.category, 'event');
  assert.equal(lookupDoc('EAGAIN', 'errno')!.category, 'errno');
  assert.equal(lookupDoc('no-such-word'), undefined);
});

test('the profile list names the default and has a profile doc per profile', () => {
  assert.ok(PROFILES.some((p) => p.name === DEFAULT_PROFILE));
  for (const p of PROFILES) assert.equal(lookupDoc(p.name, 'profile')?.category, 'profile');
});

test('docs/language.md is up to date (regenerate: npx tsx scripts/gen-language-doc.ts)', () => {
  assert.equal(readFileSync(LANGUAGE_DOC_PATH, 'utf8'), renderLanguageDoc());
});
