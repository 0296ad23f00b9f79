// A precedence-climbing parser for the expression language:
//   or := and ('||' and)*        and := cmp ('&&' cmp)*
//   cmp := sum (('=='|'!='|'<'|'<='|'>'|'>='|'in') sum)?
//   sum := prod (('+'|'-') prod)*  prod := unary (('*'|'/'|'%') unary)*
//   unary := ('!'|'-') unary | postfix    postfix := primary ('.' name | '[' or ']' | '(' args ')')*
import { ExprError, Token, tokenize } from './tokenizer';

export type Expr =
  | { type: 'num'; value: number; pos: number }
  | { type: 'str'; value: string; pos: number }
  | { type: 'name'; name: string; pos: number }
  | { type: 'member'; obj: Expr; field: string; pos: number }
  | { type: 'index'; obj: Expr; index: Expr; pos: number }
  | { type: 'call'; fn: string; args: Expr[]; pos: number }
  | { type: 'unary'; op: string; arg: Expr; pos: number }
  | { type: 'binary'; op: string; left: Expr; right: Expr; pos: number };

const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=']);

export function parseExpr(text: string): Expr {
  const toks = tokenize(text);
  let k = 0;
  const peek = (): Token => toks[k];
  const isOp = (op: string): boolean => peek().type === 'op' && peek().text === op;
  const expectOp = (op: string): void => {
    if (!isOp(op)) throw new ExprError(`expected '${op}' but found ${describe(peek())}`, peek().pos);
    k++;
  };

  function or(): Expr {
    let left = and();
    while (isOp('||')) {
      const pos = toks[k++].pos;
      left = { type: 'binary', op: '||', left, right: and(), pos };
    }
    return left;
  }
  function and(): Expr {
    let left = cmp();
    while (isOp('&&')) {
      const pos = toks[k++].pos;
      left = { type: 'binary', op: '&&', left, right: cmp(), pos };
    }
    return left;
  }
  function cmp(): Expr {
    const left = sum();
    const t = peek();
    if ((t.type === 'op' && COMPARISONS.has(t.text)) || (t.type === 'name' && t.text === 'in')) {
      k++;
      return { type: 'binary', op: t.text, left, right: sum(), pos: t.pos };
    }
    return left;
  }
  function sum(): Expr {
    let left = prod();
    while (isOp('+') || isOp('-')) {
      const t = toks[k++];
      left = { type: 'binary', op: t.text, left, right: prod(), pos: t.pos };
    }
    return left;
  }
  function prod(): Expr {
    let left = unary();
    while (isOp('*') || isOp('/') || isOp('%')) {
      const t = toks[k++];
      left = { type: 'binary', op: t.text, left, right: unary(), pos: t.pos };
    }
    return left;
  }
  function unary(): Expr {
    if (isOp('!') || isOp('-')) {
      const t = toks[k++];
      return { type: 'unary', op: t.text, arg: unary(), pos: t.pos };
    }
    return postfix();
  }
  function postfix(): Expr {
    let e = primary();
    while (true) {
      if (isOp('.')) {
        k++;
        const t = peek();
        if (t.type !== 'name' && t.type !== 'num') throw new ExprError(`expected a field name after '.' but found ${describe(t)}`, t.pos);
        k++;
        e = { type: 'member', obj: e, field: t.text, pos: t.pos };
      } else if (isOp('[')) {
        const pos = toks[k++].pos;
        const index = or();
        expectOp(']');
        e = { type: 'index', obj: e, index, pos };
      } else if (isOp('(')) {
        if (e.type !== 'name') throw new ExprError('only named functions can be called, e.g. count(from)', peek().pos);
        k++;
        const args: Expr[] = [];
        if (!isOp(')')) {
          args.push(or());
          while (isOp(',')) {
            k++;
            args.push(or());
          }
        }
        expectOp(')');
        e = { type: 'call', fn: e.name, args, pos: e.pos };
      } else return e;
    }
  }
  function primary(): Expr {
    const t = peek();
    if (t.type === 'num') {
      k++;
      return { type: 'num', value: t.value as number, pos: t.pos };
    }
    if (t.type === 'str') {
      k++;
      return { type: 'str', value: t.value as string, pos: t.pos };
    }
    if (t.type === 'name') {
      k++;
      return { type: 'name', name: t.text, pos: t.pos };
    }
    if (isOp('(')) {
      k++;
      const e = or();
      expectOp(')');
      return e;
    }
    throw new ExprError(`expected a value but found ${describe(t)}`, t.pos);
  }

  const e = or();
  if (peek().type !== 'end') throw new ExprError(`unexpected ${describe(peek())} after the expression`, peek().pos);
  return e;
}

function describe(t: Token): string {
  return t.type === 'end' ? 'the end of the expression' : `'${t.text}'`;
}
