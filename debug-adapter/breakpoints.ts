// Every kind of breakpoint as one thing: a sorted array of candidate events
// (line, function, event class) or a watched expression (data), plus the
// condition, hit count and log message the user gave. Hit counts are positions
// in the trace (the Nth hit since the first event), so they mean the same thing
// when running backwards.
import { evaluate, show, syntaxError, truthy, type Env } from './expr';

export type BpKind = 'line' | 'function' | 'exception' | 'data';

export interface Breakpoint {
  id: number;
  kind: BpKind;
  /** what it is, for stop descriptions: `line 12`, `migrate_folio_unmap`, `EAGAIN`, `B.refcount` */
  label: string;
  /** sorted candidate events (all but data breakpoints) */
  events: Int32Array;
  /** data breakpoints: the watched expression */
  expr?: string;
  condition?: string;
  hitCondition?: { op: '==' | '>=' | '>' | '%'; n: number };
  logMessage?: string;
  /** condition result per candidate event, filled as they are evaluated */
  condCache: Map<number, boolean>;
}

let nextId = 1;

export function makeBreakpoint(
  kind: BpKind,
  label: string,
  events: Int32Array,
  opts: { condition?: string; hitCondition?: string; logMessage?: string; expr?: string },
): { bp: Breakpoint; error?: string } {
  const bp: Breakpoint = { id: nextId++, kind, label, events, condCache: new Map() };
  let error: string | undefined;
  if (opts.condition?.trim()) {
    bp.condition = opts.condition.trim();
    const e = syntaxError(bp.condition);
    if (e) error = `condition: ${e}`;
  }
  if (opts.hitCondition?.trim()) {
    const h = parseHitCondition(opts.hitCondition);
    if (typeof h === 'string') error = h;
    else bp.hitCondition = h;
  }
  if (opts.logMessage) bp.logMessage = opts.logMessage;
  if (opts.expr) bp.expr = opts.expr;
  return { bp, error };
}

/** `5` (the 5th hit), `>= 5`, `> 5`, `== 5`, `% 5` (every 5th hit). */
export function parseHitCondition(text: string): { op: '==' | '>=' | '>' | '%'; n: number } | string {
  const m = /^\s*(==|>=|>|%)?\s*(\d+)\s*$/.exec(text);
  if (!m) return `hit count '${text}' is not understood: use 5, == 5, >= 5, > 5 or % 5`;
  const op = (m[1] ?? '==') as '==' | '>=' | '>' | '%';
  const n = Number(m[2]);
  if (op === '%' && n === 0) return 'hit count % 0 would divide by zero';
  return { op, n };
}

export type EnvAt = (i: number) => Env;

/** Result of a breakpoint at one of its candidate events. */
export type Check = { stop: true } | { stop: false; log?: string } | { stop: false };

/** Does the condition hold at event i? A condition that cannot be evaluated stops (and says why) rather than hiding a hit. */
export function conditionAt(bp: Breakpoint, i: number, envAt: EnvAt, onError: (msg: string) => void): boolean {
  if (!bp.condition) return true;
  const c = bp.condCache.get(i);
  if (c !== undefined) return c;
  const r = evaluate(bp.condition, envAt(i));
  let ok: boolean;
  if (r.ok) ok = truthy(r.value);
  else {
    onError(`breakpoint ${bp.label}: condition '${bp.condition}' at event ${i}: ${r.error}`);
    ok = true;
  }
  bp.condCache.set(i, ok);
  return ok;
}

/** The number of hits of bp up to and including event i (1-based position of i among the hits). */
function hitNumber(bp: Breakpoint, i: number, envAt: EnvAt, onError: (msg: string) => void): number {
  let n = 0;
  for (let k = 0; k < bp.events.length && bp.events[k] <= i; k++) if (conditionAt(bp, bp.events[k], envAt, onError)) n++;
  return n;
}

export function check(bp: Breakpoint, i: number, envAt: EnvAt, onError: (msg: string) => void): Check {
  if (!conditionAt(bp, i, envAt, onError)) return { stop: false };
  if (bp.hitCondition) {
    const n = hitNumber(bp, i, envAt, onError);
    const h = bp.hitCondition;
    const ok = h.op === '==' ? n === h.n : h.op === '>=' ? n >= h.n : h.op === '>' ? n > h.n : n % h.n === 0;
    if (!ok) return { stop: false };
  }
  if (bp.logMessage !== undefined) return { stop: false, log: interpolate(bp.logMessage, envAt(i)) };
  return { stop: true };
}

/** `{expr}` in a log message is replaced by the value (or the error) of expr. */
export function interpolate(message: string, env: Env): string {
  return message.replace(/\{([^{}]+)\}/g, (_, e: string) => {
    const r = evaluate(e, env);
    return r.ok ? show(r.value, env) : `<${r.error}>`;
  });
}
