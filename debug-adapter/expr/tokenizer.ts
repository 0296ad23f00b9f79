// Tokens of the debugger's expression language (conditions, watch, hover, evaluate).
// Positions are 0-based character offsets so that errors can point at the culprit.

export type TokenType = 'num' | 'str' | 'name' | 'op' | 'end';

export interface Token {
  type: TokenType;
  text: string;
  value?: number | string;
  pos: number;
}

export class ExprError extends Error {
  constructor(
    message: string,
    readonly pos: number,
  ) {
    super(message);
  }
}

// Longest operators first so that `<=` is not read as `<` `=`.
const OPERATORS = ['&&', '||', '==', '!=', '<=', '>=', '<', '>', '!', '(', ')', '[', ']', '.', ',', '+', '-', '*', '/', '%'];

const SUFFIX: Record<string, number> = { K: 1024, k: 1024, M: 1024 * 1024, G: 1024 * 1024 * 1024 };

function isNameStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === '$';
}

function isNameChar(c: string): boolean {
  return isNameStart(c) || (c >= '0' && c <= '9') || c === '#';
}

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const start = i;
    if (c >= '0' && c <= '9') {
      if (c === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X')) {
        i += 2;
        while (i < text.length && /[0-9a-fA-F_]/.test(text[i])) i++;
        const digits = text.slice(start + 2, i).replace(/_/g, '');
        if (!digits) throw new ExprError(`bad hex number '${text.slice(start, i)}'`, start);
        out.push({ type: 'num', text: text.slice(start, i), value: parseInt(digits, 16), pos: start });
      } else {
        while (i < text.length && /[0-9_]/.test(text[i])) i++;
        let value = Number(text.slice(start, i).replace(/_/g, ''));
        if (i < text.length && SUFFIX[text[i]] !== undefined && !isNameChar(text[i + 1] ?? ' ')) value *= SUFFIX[text[i++]];
        if (i < text.length && isNameChar(text[i])) throw new ExprError(`bad number '${text.slice(start, i + 1)}'`, start);
        out.push({ type: 'num', text: text.slice(start, i), value, pos: start });
      }
      continue;
    }
    if (isNameStart(c)) {
      while (i < text.length && isNameChar(text[i])) i++;
      out.push({ type: 'name', text: text.slice(start, i), pos: start });
      continue;
    }
    if (c === '"' || c === "'") {
      i++;
      while (i < text.length && text[i] !== c) i++;
      if (i >= text.length) throw new ExprError('unterminated string', start);
      out.push({ type: 'str', text: text.slice(start, i + 1), value: text.slice(start + 1, i), pos: start });
      i++;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (!op) throw new ExprError(`unexpected character '${c}'`, start);
    out.push({ type: 'op', text: op, pos: start });
    i += op.length;
  }
  out.push({ type: 'end', text: '', pos: text.length });
  return out;
}
