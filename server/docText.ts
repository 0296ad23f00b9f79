// Markdown for a word of the language, from the scenario layer's DOCS table:
// the same text in hover, completion documentation and signature help.

import { lookupDoc, lookupDocs, type DocCategory, type DocEntry } from '../scenario';

const CATEGORY_LABEL: Record<DocCategory, string> = {
  keyword: 'statement',
  statement: 'process statement',
  operation: 'operation',
  expectation: 'expectation',
  option: 'option',
  value: 'value',
  'folio-kind': 'folio kind',
  'folio-flag': 'folio flag',
  fault: 'injected fault',
  'mpol-mode': 'memory policy mode',
  'mpol-mode-flag': 'memory policy mode flag',
  'mpol-flag': 'mbind/move_pages flag',
  'migrate-mode': 'enum migrate_mode',
  reason: 'enum migrate_reason',
  errno: 'errno',
  event: 'trace event',
  vmstat: 'vmstat counter',
  stats: 'struct migrate_pages_stats field',
  place: 'folio list',
  'pfn-flag': 'migrate_vma pfn flag',
  profile: 'kernel profile',
};

/** One line for completion's detail column: what kind of word it is, and its kernel value. */
export function docDetail(word: string, category?: DocCategory): string | undefined {
  const d = lookupDoc(word, category);
  if (!d) return undefined;
  if (d.syntax) return d.syntax;
  const label = CATEGORY_LABEL[d.category] ?? d.category;
  return d.value !== undefined ? `${label} = ${d.value}` : label;
}

export function entryMarkdown(d: DocEntry): string {
  const head = [`**${d.name}**`, `*${CATEGORY_LABEL[d.category] ?? d.category}*`];
  if (d.value !== undefined) head.push(`value \`${d.value}\``);
  if (d.trace) head.push(`trace \`${d.trace}\``);
  const out = [head.join(' · ')];
  if (d.syntax) out.push('```migscenario\n' + d.syntax + '\n```');
  out.push(d.doc);
  const versions = Object.entries(d.versions ?? {});
  if (versions.length) out.push(versions.map(([v, text]) => `- **${v}**: ${text}`).join('\n'));
  return out.join('\n\n');
}

/** Markdown for a word: its entry in the given category if any, else its first entry. */
export function docMarkdown(word: string, category?: DocCategory): string | undefined {
  const d = lookupDoc(word, category);
  return d ? entryMarkdown(d) : undefined;
}

/** Every entry of a word (`anon` is a backing and a folio kind), the preferred category first. */
export function allDocs(word: string, prefer?: DocCategory): DocEntry[] {
  const list = [...lookupDocs(word)];
  if (prefer) list.sort((a, b) => Number(b.category === prefer) - Number(a.category === prefer));
  return list;
}
