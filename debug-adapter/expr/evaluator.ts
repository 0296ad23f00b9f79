// Evaluates a parsed expression against an environment (the state at one event).
// Errors are returned, never thrown out: a bad watch or condition must not break the session.
import { vocab } from '../../scenario';
import type { FolioInfo, Scalar } from '../trace-view';
import { Expr, parseExpr } from './parser';
import { ExprError } from './tokenizer';

export interface FolioRef {
  t: 'folio';
  id: number;
}
/** A kernel list, read lazily: a list of 100,000 folios is never copied to show its first few. */
export interface ListRef {
  t: 'list';
  name: string;
  size: number;
  /** folio ids at positions [start, end) */
  slice(start: number, end: number): ArrayLike<number>;
}

/** A ListRef over an array already in hand. */
export function listOf(name: string, ids: ArrayLike<number>): ListRef {
  return { t: 'list', name, size: ids.length, slice: (a, b) => Array.prototype.slice.call(ids, a, b) as number[] };
}
export interface ObjRef {
  t: 'obj';
  name: string;
  fields: Record<string, Value>;
}
export interface ArrRef {
  t: 'arr';
  name: string;
  items: Value[];
}
export type Value = Scalar | null | FolioRef | ListRef | ObjRef | ArrRef;

/** What names mean at one event; built by env.ts from a StateView. */
export interface Env {
  /** a name, or undefined when unknown */
  lookup(name: string): Value | undefined;
  folio(id: number): FolioInfo;
  /** just the name of a folio (cheaper than folio(id) when listing) */
  folioName?(id: number): string;
  /** every name the user could have meant, for "did you mean" */
  names(): string[];
}

export type EvalResult = { ok: true; value: Value } | { ok: false; error: string };

const cache = new Map<string, Expr | ExprError>();

/** Parses once per distinct text: conditions are evaluated at millions of events. */
export function compile(text: string): Expr | ExprError {
  let c = cache.get(text);
  if (!c) {
    try {
      c = parseExpr(text);
    } catch (e) {
      c = e instanceof ExprError ? e : new ExprError(String(e), 0);
    }
    if (cache.size > 10_000) cache.clear();
    cache.set(text, c);
  }
  return c;
}

/** Syntax check only; undefined when fine. */
export function syntaxError(text: string): string | undefined {
  const c = compile(text);
  return c instanceof ExprError ? `${c.message} (at column ${c.pos + 1})` : undefined;
}

export function evaluate(text: string, env: Env): EvalResult {
  const c = compile(text);
  if (c instanceof ExprError) return { ok: false, error: `${c.message} (at column ${c.pos + 1})` };
  try {
    return { ok: true, value: ev(c, env) };
  } catch (e) {
    if (e instanceof ExprError) return { ok: false, error: e.message };
    return { ok: false, error: `cannot evaluate '${text}': ${e instanceof Error ? e.message : String(e)}` };
  }
}

export function truthy(v: Value): boolean {
  if (v === null || v === false || v === 0 || v === '') return false;
  if (typeof v === 'object' && v.t === 'list') return v.size > 0;
  return true;
}

/** Folio flags of the language plus those only the engine sets (active, freed, ...). */
const FLAG_WORDS = new Set<string>([
  ...vocab.FOLIO_FLAGS,
  'anon_exclusive', 'active', 'unevictable', 'swapcache', 'hwpoison', 'freed', 'cma', 'dst', 'movable_gone', 'huge_zero',
]);

const FOLIO_FIELDS = ['name', 'pfn', 'order', 'node', 'kind', 'flags', 'refcount', 'mapcount', 'pins', 'place', 'mapped', 'id', 'nr_pages'];

function folioField(f: FolioInfo, field: string): Value {
  switch (field) {
    case 'flags':
      return f.flags.join(' ');
    case 'mapped':
      return f.mapped.join(', ');
    case 'nr_pages':
      return 2 ** f.order;
    case 'refs':
    case 'ref':
      return f.refcount;
  }
  if (FOLIO_FIELDS.includes(field)) return (f as unknown as Record<string, Scalar>)[field];
  // `B.locked`, `B.lru`: a flag test reads better than `flags` string matching.
  if (FLAG_WORDS.has(field)) return f.flags.includes(field);
  throw new ExprError(`a folio has no field '${field}' (fields: ${FOLIO_FIELDS.join(', ')}, or a flag such as locked)`, 0);
}

function ev(e: Expr, env: Env): Value {
  switch (e.type) {
    case 'num':
      return e.value;
    case 'str':
      return e.value;
    case 'name': {
      const v = env.lookup(e.name);
      if (v !== undefined) return v;
      throw new ExprError(`unknown name '${e.name}'${suggest(e.name, env.names())}`, e.pos);
    }
    case 'member': {
      const o = ev(e.obj, env);
      return member(o, e.field, env);
    }
    case 'index': {
      const o = ev(e.obj, env);
      const i = ev(e.index, env);
      if (o !== null && typeof o === 'object') {
        if (o.t === 'list' || o.t === 'arr') {
          if (typeof i !== 'number' || !Number.isInteger(i)) throw new ExprError(`an index of ${o.name} must be a whole number`, e.pos);
          const n = o.t === 'list' ? o.size : o.items.length;
          if (i < 0 || i >= n) throw new ExprError(`index ${i} is outside ${o.name} (length ${n})`, e.pos);
          return o.t === 'list' ? { t: 'folio', id: o.slice(i, i + 1)[0] } : o.items[i];
        }
        if (o.t === 'obj' && (typeof i === 'string' || typeof i === 'number')) return member(o, String(i), env);
      }
      throw new ExprError(`${show(o, env)} cannot be indexed`, e.pos);
    }
    case 'call':
      return call(e.fn, e.args.map((a) => ev(a, env)), env, e.pos);
    case 'unary': {
      const v = ev(e.arg, env);
      if (e.op === '!') return !truthy(v);
      if (typeof v !== 'number') throw new ExprError(`'-' needs a number, not ${show(v, env)}`, e.pos);
      return -v;
    }
    case 'binary': {
      if (e.op === '&&') return truthy(ev(e.left, env)) ? truthy(ev(e.right, env)) : false;
      if (e.op === '||') return truthy(ev(e.left, env)) ? true : truthy(ev(e.right, env));
      const l = ev(e.left, env);
      const r = ev(e.right, env);
      switch (e.op) {
        case '==':
          return equal(l, r, env);
        case '!=':
          return !equal(l, r, env);
        case 'in':
          return contains(r, l, env, e.pos);
      }
      if (typeof l !== 'number' || typeof r !== 'number')
        throw new ExprError(`'${e.op}' needs numbers, not ${show(l, env)} and ${show(r, env)}`, e.pos);
      switch (e.op) {
        case '<':
          return l < r;
        case '<=':
          return l <= r;
        case '>':
          return l > r;
        case '>=':
          return l >= r;
        case '+':
          return l + r;
        case '-':
          return l - r;
        case '*':
          return l * r;
        case '/':
          if (r === 0) throw new ExprError('division by zero', e.pos);
          return Math.trunc(l / r);
        case '%':
          if (r === 0) throw new ExprError('division by zero', e.pos);
          return l % r;
      }
      throw new ExprError(`unknown operator '${e.op}'`, e.pos);
    }
  }
}

function member(o: Value, field: string, env: Env): Value {
  if (o !== null && typeof o === 'object') {
    if (o.t === 'folio') return folioField(env.folio(o.id), field);
    if (o.t === 'list') {
      if (field === 'length' || field === 'count') return o.size;
      throw new ExprError(`a list has only 'length' (or use count(${o.name}))`, 0);
    }
    if (o.t === 'arr' && (field === 'length' || field === 'count')) return o.items.length;
    if (o.t === 'obj') {
      const v = o.fields[field];
      if (v === undefined) throw new ExprError(`${o.name} has no field '${field}'${suggest(field, Object.keys(o.fields))}`, 0);
      return v;
    }
  }
  throw new ExprError(`${show(o, env)} has no field '${field}'`, 0);
}

function call(fn: string, args: Value[], env: Env, pos: number): Value {
  const one = (): Value => {
    if (args.length !== 1) throw new ExprError(`${fn}() takes one argument`, pos);
    return args[0];
  };
  switch (fn) {
    case 'count':
    case 'len': {
      const a = one();
      if (a !== null && typeof a === 'object') {
        if (a.t === 'list') return a.size;
        if (a.t === 'arr') return a.items.length;
        if (a.t === 'obj') return Object.keys(a.fields).length;
      }
      throw new ExprError(`${fn}() needs a list such as from or ret_folios, not ${show(a, env)}`, pos);
    }
    case 'nr_pages': {
      const a = one();
      if (a !== null && typeof a === 'object' && a.t === 'folio') return 2 ** env.folio(a.id).order;
      if (a !== null && typeof a === 'object' && a.t === 'list') {
        let n = 0;
        const ids = a.slice(0, a.size);
        for (let i = 0; i < ids.length; i++) n += 2 ** env.folio(ids[i]).order;
        return n;
      }
      throw new ExprError(`nr_pages() needs a folio or a list, not ${show(a, env)}`, pos);
    }
  }
  throw new ExprError(`unknown function '${fn}' (known: count, nr_pages)`, pos);
}

function equal(l: Value, r: Value, env: Env): boolean {
  if (l !== null && typeof l === 'object' && l.t === 'folio') {
    if (r !== null && typeof r === 'object' && r.t === 'folio') return l.id === r.id;
    if (typeof r === 'string') return env.folio(l.id).name === r;
    return false;
  }
  if (r !== null && typeof r === 'object' && r.t === 'folio') return equal(r, l, env);
  if (l !== null && typeof l === 'object' && l.t === 'list' && r !== null && typeof r === 'object' && r.t === 'list') return l.name === r.name;
  if (typeof l === 'object' && l !== null) return false;
  if (typeof r === 'object' && r !== null) return false;
  return l === r;
}

function contains(container: Value, item: Value, env: Env, pos: number): boolean {
  if (container !== null && typeof container === 'object' && container.t === 'list') {
    if (item === null) return false;
    let id: number | undefined;
    if (typeof item === 'object' && item.t === 'folio') id = item.id;
    else throw new ExprError(`'in' needs a folio on the left, not ${show(item, env)}`, pos);
    const ids = container.slice(0, container.size);
    for (let i = 0; i < ids.length; i++) if (ids[i] === id) return true;
    return false;
  }
  if (typeof container === 'string' && typeof item === 'string') return container.split(/[\s,]+/).includes(item);
  throw new ExprError(`'in' needs a list on the right, such as from or ret_folios, not ${show(container, env)}`, pos);
}

/** Short text of a value, for messages, hover and the Variables view. */
export function show(v: Value, env: Env): string {
  if (v === null) return 'none';
  if (typeof v === 'string') return v;
  if (typeof v !== 'object') return String(v);
  switch (v.t) {
    case 'folio': {
      const f = env.folio(v.id);
      return `${f.name} (pfn 0x${f.pfn.toString(16)}, order ${f.order}, node ${f.node}, ref ${f.refcount}, map ${f.mapcount}, on ${f.place})`;
    }
    case 'list': {
      const n = v.size;
      const shown: string[] = [];
      const head = v.slice(0, Math.min(n, 8));
      for (let i = 0; i < head.length; i++) shown.push(env.folioName ? env.folioName(head[i]) : env.folio(head[i]).name);
      return `${v.name} [${shown.join(', ')}${n > 8 ? ', …' : ''}] (${n})`;
    }
    case 'obj':
      return `{${Object.entries(v.fields)
        .slice(0, 8)
        .map(([k, x]) => `${k}: ${typeof x === 'object' && x !== null ? '…' : String(x)}`)
        .join(', ')}${Object.keys(v.fields).length > 8 ? ', …' : ''}}`;
    case 'arr':
      return `${v.name} (${v.items.length})`;
  }
}

function suggest(name: string, names: string[]): string {
  let best: string | undefined;
  let bestD = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const n of names) {
    const d = distance(name, n, bestD);
    if (d < bestD) {
      bestD = d;
      best = n;
    }
  }
  return best ? ` — did you mean '${best}'?` : '';
}

function distance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) >= cap) return cap;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}
