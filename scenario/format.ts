// The canonical layout of a scenario: two-space indentation in blocks, single
// spaces between tokens (none inside `heap[0..4K]`, around `|`, before `,`),
// comments kept, runs of blank lines collapsed to one. Tokens themselves are
// never changed, so the tree is the same before and after; a line the parser
// could not read is kept verbatim apart from its indentation.

import { lexLine, splitLines, type Token } from './lexer';
import { parse } from './parser';

const INDENT = '  ';
/** Two spaces before a trailing comment keep it apart from the statement. */
const COMMENT_GAP = '  ';

function gap(a: Token, b: Token, next: Token | undefined): string {
  if (b.kind === 'punct' && (b.text === ',' || b.text === ']' || b.text === '..' || b.text === '|')) return '';
  if (a.kind === 'punct' && (a.text === '[' || a.text === '..' || a.text === '|')) return '';
  if (a.kind === 'punct' && a.text === ',') return ' ';
  // `heap [8K]` is an address: glue it. `migrate_pages [A]` and `status [1]` are lists: keep the space.
  if (b.kind === 'punct' && b.text === '[' && a.kind === 'word' && a.text !== 'status' && next?.kind === 'number') return '';
  return b.spaceBefore ? ' ' : '';
}

function trimLayoutEnd(s: string): string {
  return s.replace(/[ \t\v\f]+$/, '');
}

export function format(text: string): string {
  const lines = splitLines(text);
  const bad = new Set<number>();
  for (const d of parse(text).diagnostics) {
    for (let l = d.range.start.line; l <= d.range.end.line; l++) bad.add(l);
  }
  const out: string[] = [];
  let blank = false;
  for (let ln = 0; ln < lines.length; ln++) {
    const lx = lexLine(lines[ln], ln);
    if (lx.tokens.length === 0 && !lx.comment) {
      blank = out.length > 0;
      continue;
    }
    if (blank) out.push('');
    blank = false;
    const indent = lx.indent > 0 ? INDENT : '';
    if (bad.has(ln)) {
      // Only the lexer's own whitespace is layout; anything else (a no-break space) is text to keep.
      out.push(indent + trimLayoutEnd(lx.text.slice(lx.indent)));
      continue;
    }
    let body = '';
    lx.tokens.forEach((t, i) => {
      body += (i === 0 ? '' : gap(lx.tokens[i - 1], t, lx.tokens[i + 1])) + t.text;
    });
    const comment = lx.comment ? trimLayoutEnd(lx.text.slice(lx.comment.start.character)) : '';
    out.push(indent + body + (comment ? (body ? COMMENT_GAP : '') + comment : ''));
  }
  return out.length ? out.join('\n') + '\n' : '';
}
