// Hand-written, line-at-a-time lexer. The language is line-oriented, so each
// line is lexed on its own: an error never spills into the next line, and the
// whole document is lexed in one linear pass. Positions are LSP-style (0-based
// line, UTF-16 character), which is what JavaScript string indices already are.

import type { Position, Range } from './ast';

export type TokenKind = 'word' | 'number' | 'string' | 'punct' | 'bad';

export interface Token {
  kind: TokenKind;
  text: string;
  line: number;
  start: number; // character offset of the first char
  end: number; // exclusive
  /** numbers: exact value; undefined when the literal is malformed */
  value?: bigint;
  /** why the token is bad (bad chars, unterminated string, malformed number) */
  error?: string;
  /** whitespace precedes this token on its line */
  spaceBefore: boolean;
  /** a number literal beyond 64 bits */
  tooLarge?: boolean;
}

export interface LexedLine {
  line: number;
  text: string;
  /** number of leading whitespace characters */
  indent: number;
  tokens: Token[];
  comment?: Range;
}

/** Literals longer than this are certainly beyond 64 bits; their value is clamped to 2^64 so BigInt stays linear. */
const MAX_DIGITS = 40;
const TOO_BIG = 1n << 64n;

const SUFFIX: Record<string, bigint> = { K: 1n << 10n, M: 1n << 20n, G: 1n << 30n, T: 1n << 40n };

/** Split like LSP does: \r\n, \n and \r all end a line. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

function isWordStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
function isWordChar(c: number): boolean {
  return isWordStart(c) || (c >= 48 && c <= 57);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 11 || c === 12;
}

/** Value of a number literal (`4096`, `4K`, `0x1000`), or an error message. */
export function numberValue(text: string): { value?: bigint; error?: string; tooLarge?: boolean } {
  let m = /^0[xX]([0-9a-fA-F]+)$/.exec(text);
  let value: bigint | undefined;
  if (m) value = m[1].length > MAX_DIGITS ? TOO_BIG : BigInt(text);
  else if ((m = /^([0-9]+)([KMGT]?)$/.exec(text))) {
    const base = m[1].length > MAX_DIGITS ? TOO_BIG : BigInt(m[1]);
    value = m[2] ? base * SUFFIX[m[2]] : base;
  }
  if (value !== undefined) {
    // Every quantity of the language is a 64-bit kernel value; larger literals cannot be meant.
    if (value >= TOO_BIG) return { error: `${text.length > 30 ? text.slice(0, 30) + '…' : text} does not fit in 64 bits`, tooLarge: true };
    return { value };
  }
  if (/^[0-9]+[kmgt]$/.test(text)) {
    return { error: `bad number '${text}': size suffixes are upper case (K, M, G, T)` };
  }
  if (/^[0-9]+[KMGT]i?B$/i.test(text)) {
    return { error: `bad number '${text}': write sizes as ${text.replace(/i?B$/i, '').toUpperCase()} (binary K, M, G, T)` };
  }
  return { error: `bad number '${text}': expected decimal, hex (0x...) or a size with K, M, G or T` };
}

export function lexLine(text: string, line: number): LexedLine {
  const tokens: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n && isSpace(text.charCodeAt(i))) i++;
  const indent = i;
  let comment: Range | undefined;
  let sawSpace = false;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      sawSpace = true;
      continue;
    }
    const start = i;
    const spaceBefore = sawSpace;
    sawSpace = false;
    if (c === 35 /* # */) {
      comment = { start: position(line, i), end: position(line, n) };
      break;
    }
    if (isWordStart(c)) {
      while (i < n && isWordChar(text.charCodeAt(i))) i++;
      tokens.push({ kind: 'word', text: text.slice(start, i), line, start, end: i, spaceBefore });
      continue;
    }
    if (isDigit(c)) {
      while (i < n && isWordChar(text.charCodeAt(i))) i++;
      const t = text.slice(start, i);
      const v = numberValue(t);
      tokens.push({ kind: 'number', text: t, line, start, end: i, value: v.value, error: v.error, spaceBefore, ...(v.tooLarge ? { tooLarge: true } : {}) });
      continue;
    }
    if (c === 34 /* " */) {
      i++;
      let closed = false;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \ */ && i + 1 < n) {
          i += 2;
          continue;
        }
        i++;
        if (d === 34) {
          closed = true;
          break;
        }
      }
      const t = text.slice(start, i);
      tokens.push({ kind: closed ? 'string' : 'bad', text: t, line, start, end: i, spaceBefore, error: closed ? undefined : 'unterminated string: add the closing "' });
      continue;
    }
    if (c === 46 /* . */ && text.charCodeAt(i + 1) === 46) {
      i += 2;
      tokens.push({ kind: 'punct', text: '..', line, start, end: i, spaceBefore });
      continue;
    }
    if ('[],|-+.():'.includes(text[i])) {
      i++;
      tokens.push({ kind: 'punct', text: text[i - 1], line, start, end: i, spaceBefore });
      continue;
    }
    // Anything else (non-ASCII, stray symbols): one bad token per run, so that
    // a line of garbage gives one diagnostic, not one per character.
    while (i < n) {
      const d = text.charCodeAt(i);
      if (isSpace(d) || isWordChar(d) || d === 35 || d === 34 || '[],|-+.():'.includes(text[i])) break;
      i++;
    }
    const t = text.slice(start, i);
    tokens.push({ kind: 'bad', text: t, line, start, end: i, spaceBefore, error: `unexpected character${t.length > 1 ? 's' : ''} '${t.length > 20 ? t.slice(0, 20) + '…' : t}'` });
  }
  return { line, text, indent, tokens, comment };
}

export function lex(text: string): LexedLine[] {
  return splitLines(text).map((t, i) => lexLine(t, i));
}

/** Unquote a string token's text (`"a \"b\""` → `a "b"`). */
export function unquote(text: string): string {
  return text.slice(1, -1).replace(/\\(.)/g, '$1');
}

export function tokenRange(t: Token): Range {
  return { start: position(t.line, t.start), end: position(t.line, t.end) };
}

/**
 * Every position the parser puts in a tree is made here, so that a segment's can be gathered
 * while it is parsed (scenario/incremental.ts moves them in place when lines above are inserted
 * or deleted). Outside collectPositions nothing is gathered.
 */
export function position(line: number, character: number): Position {
  const p = { line, character };
  if (sink) sink.push(p);
  return p;
}
let sink: Position[] | undefined;

/** Runs fn, returning what it returned and every position made meanwhile (each once, however shared). */
export function collectPositions<T>(fn: () => T): { value: T; positions: Position[] } {
  const outer = sink;
  const positions: Position[] = [];
  sink = positions;
  try {
    return { value: fn(), positions };
  } finally {
    sink = outer;
  }
}
