// Signature help: the line form of the statement under the cursor (DOCS
// `syntax`), with its parameters and the one the cursor is on.
//
// A parameter is either positional (`mbind PROCESS ADDR MODE`) or introduced
// by a keyword (`nodes NODES`); which one the cursor is on is worked out from
// the arguments already written, grouped as completion groups them.

import type { ParameterInformation, Position, SignatureHelp, SignatureInformation } from 'vscode-languageserver';
import { lookupDoc, type DocEntry } from '../../scenario';
import type { Analysis } from '../analysis';
import { groupItems } from '../context';
import { guard } from '../safe';
import type { ServerContext } from '../serverContext';

interface Shape {
  signature: SignatureInformation;
  /** parameter index of each positional argument, in order */
  positional: number[];
  /** keyword → index of the parameter it introduces */
  keyed: Map<string, number>;
  /** every lower-case word of the syntax: markers and keywords, never arguments */
  literals: Set<string>;
}

/** The word before `index` in `syntax`, without brackets and bars. */
function wordBefore(syntax: string, index: number): string {
  const m = /([A-Za-z_][A-Za-z0-9_]*)[\s[\]|]*$/.exec(syntax.slice(0, index));
  return m ? m[1] : '';
}

function shapeOf(d: DocEntry, syntax: string): Shape {
  const params = d.params ?? [];
  const parameters: ParameterInformation[] = [];
  const positional: number[] = [];
  const keyed = new Map<string, number>();
  const literals = new Set(syntax.match(/\b[a-z_][a-z0-9_]*\b/g) ?? []);
  const head = syntax.split(/\s+/)[0];
  for (const p of params) {
    let at = syntax.indexOf(p.label);
    if (at < 0) continue;
    parameters.push({ label: p.label, documentation: p.doc });
    let first = true;
    while (at >= 0) {
      const before = wordBefore(syntax, at);
      if (/^[a-z_][a-z0-9_]*$/.test(before) && before !== head && !(d.category === 'expectation' && before === d.name)) keyed.set(before, parameters.length - 1);
      else if (first) positional.push(parameters.length - 1);
      first = false;
      at = syntax.indexOf(p.label, at + p.label.length);
    }
  }
  return { signature: { label: syntax, documentation: { kind: 'markdown', value: d.doc }, parameters }, positional, keyed, literals };
}

/** The DOCS entry whose syntax describes this line: the statement keyword, or for `expect` the kind of expectation. */
function entryFor(words: string[]): DocEntry | undefined {
  const kw = words[0];
  if (kw === 'expect') {
    const kind = words[1] === 'no' ? 'event' : words[1];
    return kind ? lookupDoc(kind, 'expectation') : undefined;
  }
  const d = lookupDoc(kw);
  return d && (d.category === 'keyword' || d.category === 'statement' || d.category === 'operation') ? d : undefined;
}

export function signatureHelp(a: Analysis, pos: Position): SignatureHelp | null {
  const l = a.line(pos.line);
  if (!l || l.tokens.length === 0 || l.tokens[0].kind !== 'word') return null;
  if (l.comment && pos.character > l.comment.start.character) return null;
  const toks = l.tokens.filter((t) => t.start < pos.character);
  if (toks.length === 0 || (toks.length === 1 && toks[0].end >= pos.character)) return null;
  const d = entryFor(l.tokens.map((t) => t.text));
  if (!d?.syntax || !d.params?.length) return null;

  // migrate_pages has two forms, separated by `|` with spaces around it in DOCS.
  const forms = d.syntax.split(/\s{2,}\|\s{2,}/);
  const internal = d.name === 'migrate_pages' && l.tokens[1]?.text === '[';
  const activeSignature = forms.length > 1 && internal ? 1 : 0;
  const shapes = forms.map((f) => shapeOf(d, f));
  const shape = shapes[activeSignature];

  // Walk the arguments before the cursor; the last one decides the active parameter.
  const items = groupItems(toks);
  let nextPositional = 0;
  let active = -1;
  let awaiting: number | undefined;
  for (let i = 1; i < items.length; i++) {
    const first = items[i].tokens[0];
    if (first.kind === 'word' && shape.keyed.has(first.text)) {
      awaiting = shape.keyed.get(first.text);
      active = awaiting!;
      continue;
    }
    if (first.kind === 'word' && shape.literals.has(first.text)) continue;
    if (awaiting !== undefined) {
      active = awaiting;
      awaiting = undefined;
      continue;
    }
    if (nextPositional < shape.positional.length) active = shape.positional[nextPositional++];
  }
  const lastTok = toks[toks.length - 1];
  const typingFresh = lastTok.end < pos.character; // a space after the last argument: the next one is about to start
  if (typingFresh && awaiting === undefined && nextPositional < shape.positional.length) {
    const lastItem = items[items.length - 1];
    const lastWasKeyword = lastItem.tokens[0].kind === 'word' && shape.keyed.has(lastItem.tokens[0].text);
    if (!lastWasKeyword) active = shape.positional[nextPositional];
  }
  if (active < 0) active = shape.positional[0] ?? 0;
  return { signatures: shapes.map((s) => s.signature), activeSignature, activeParameter: active };
}

export function registerSignatureHelp(ctx: ServerContext): void {
  ctx.connection.onSignatureHelp(
    guard(ctx.log, 'signatureHelp', null as SignatureHelp | null, (p) => {
      const a = ctx.analysis(p.textDocument.uri);
      return a ? signatureHelp(a, p.position) : null;
    }),
  );
}
