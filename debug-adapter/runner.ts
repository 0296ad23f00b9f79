// Moving the cursor over the trace: step targets (next, stepIn, stepOut and
// their reverse) and the search for the first breakpoint hit between the
// cursor and a goal. Indexed breakpoints are found by binary search, so a jump
// across 10 million events costs microseconds; only data breakpoints (a value
// that may change at any event) scan, in slices that yield to the event loop so
// `pause` and `disconnect` always get through.
import { check, type Breakpoint, type EnvAt } from './breakpoints';
import { evaluate, show } from './expr';
import { nextIn, rankIn, type TraceIndex } from './trace-index';

export interface Goal {
  index: number;
  reason: string;
  description: string;
}

export interface Stop {
  index: number;
  reason: string;
  description: string;
  text?: string;
  hitBreakpointIds: number[];
}

export interface SearchHooks {
  envAt: EnvAt;
  /** a log point fired, or a condition could not be evaluated */
  log(text: string, category: 'console' | 'stderr'): void;
  /** describe an event (stop reasons) */
  describe(i: number): string;
  cancelled(): boolean;
}

/** Where `next` goes: the next event in the same frame or one of its callers. */
export function nextTarget(ix: TraceIndex, i: number, forward: boolean): number {
  const d = ix.depth[i];
  if (forward) {
    for (let j = i + 1; j < ix.n; j++) if (ix.depth[j] <= d) return j;
    return ix.n - 1;
  }
  for (let j = i - 1; j >= 0; j--) if (ix.depth[j] <= d) return j;
  return 0;
}

/** Where `stepOut` goes: the return (exit event) of the current function, else the first event in its caller. */
export function stepOutTarget(ix: TraceIndex, i: number): number {
  const d = ix.depth[i];
  if (d === 0) return ix.n - 1;
  const start = ix.frameStart(i, d - 1);
  for (let j = i + 1; j < ix.n; j++) {
    const dj = ix.depth[j];
    if (dj < d) return j;
    if (dj === d && ix.kind[j] === 2 && ix.frameStart(j, d - 1) === start) return j;
  }
  return ix.n - 1;
}

function has(a: Int32Array, i: number): boolean {
  const r = rankIn(a, i);
  return r > 0 && a[r - 1] === i;
}

/** events per backward data-breakpoint window */
const WINDOW = 512;

const REASON: Record<string, string> = { line: 'breakpoint', function: 'function breakpoint', exception: 'exception', data: 'data breakpoint' };

/**
 * From `from` (exclusive; -1 = before the first event) towards goal.index (inclusive),
 * the first event where a breakpoint stops, else the goal.
 */
export async function search(ix: TraceIndex, from: number, forward: boolean, goal: Goal, bps: Breakpoint[], hooks: SearchHooks): Promise<Stop> {
  const indexed = bps.filter((b) => b.kind !== 'data');
  const data = bps.filter((b) => b.kind === 'data');
  const onError = (m: string): void => hooks.log(m, 'stderr');
  const valueAt = (bp: Breakpoint, j: number): string => {
    if (j < 0) return '';
    const env = hooks.envAt(j);
    const r = evaluate(bp.expr!, env);
    return r.ok ? show(r.value, env) : `<${r.error}>`;
  };
  let cur = from;
  let work = 0;
  const pause = async (): Promise<boolean> => {
    await new Promise((r) => setImmediate(r));
    return hooks.cancelled();
  };
  while (true) {
    if ((forward && cur >= goal.index) || (!forward && cur <= goal.index)) return plain(goal);
    let best = goal.index;
    for (const bp of indexed) {
      const c = nextIn(bp.events, cur, forward);
      if (c >= 0 && (forward ? c < best : c > best)) best = c;
    }
    const hits: number[] = [];
    let dataText: string | undefined;
    if (data.length && forward) {
      // Scan event by event up to the next indexed candidate for a change of any watched value
      // (the engine's cursor moves forward one event at a time cheaply).
      const prev = data.map((bp) => valueAt(bp, cur));
      for (let j = cur + 1; j <= best; j++) {
        if (++work % 2000 === 0 && (await pause())) return pausedAt(j, hooks);
        let changed = false;
        for (let b = 0; b < data.length; b++) {
          const bp = data[b];
          const now = valueAt(bp, j);
          if (j === 0) {
            prev[b] = now; // no value before the first event to compare with
            continue;
          }
          if (now !== prev[b] && check(bp, j, hooks.envAt, onError).stop) {
            hits.push(bp.id);
            dataText = `${bp.expr} changed: ${prev[b] || '(nothing)'} → ${now}`;
            changed = true;
          }
          prev[b] = now;
        }
        if (changed) {
          best = j;
          break;
        }
      }
    } else if (data.length) {
      // Backwards, in windows read forwards: rebuilding the state one event back at a time would
      // restore a checkpoint per event; a window costs one restore and a forward replay.
      const low = Math.max(best, 1);
      let hi = cur - 1;
      scan: while (hi >= low) {
        const lo = Math.max(low, hi - WINDOW + 1);
        const vals: string[][] = [];
        for (let k = lo - 1; k <= hi; k++) vals.push(data.map((bp) => valueAt(bp, k)));
        for (let j = hi; j >= lo; j--) {
          const after = vals[j - lo + 1];
          const before = vals[j - lo];
          for (let b = 0; b < data.length; b++) {
            if (after[b] === before[b] || !check(data[b], j, hooks.envAt, onError).stop) continue;
            hits.push(data[b].id);
            dataText ??= `${data[b].expr} changed: ${before[b] || '(nothing)'} → ${after[b]}`;
          }
          if (hits.length) {
            best = j;
            break scan;
          }
        }
        hi = lo - 1;
        work += WINDOW;
        if (await pause()) return pausedAt(lo, hooks);
      }
    }
    let reasonKind: string | undefined = hits.length ? 'data' : undefined;
    for (const bp of indexed) {
      if (!has(bp.events, best)) continue;
      const r = check(bp, best, hooks.envAt, onError);
      if (r.stop) {
        hits.push(bp.id);
        reasonKind ??= bp.kind;
      } else if ('log' in r && r.log !== undefined) hooks.log(r.log + '\n', 'console');
    }
    if (hits.length) {
      const what = hooks.describe(best);
      const hit = bps.find((b) => b.id === hits[0])!;
      const kind = reasonKind ?? hit.kind;
      const description =
        kind === 'exception'
          ? what
          : kind === 'data'
            ? dataText!
            : kind === 'function'
              ? `Function breakpoint ${bps.find((b) => b.kind === 'function' && hits.includes(b.id))?.label ?? hit.label}: ${what}`
              : `Breakpoint at ${bps.find((b) => b.kind === 'line' && hits.includes(b.id))?.label ?? hit.label}: ${what}`;
      return { index: best, reason: REASON[kind], description, text: kind === 'exception' ? what : undefined, hitBreakpointIds: hits };
    }
    if (best === goal.index) return plain(goal);
    cur = best;
    if (++work % 200 === 0 && (await pause())) return pausedAt(cur, hooks);
  }
}

function plain(goal: Goal): Stop {
  return { index: goal.index, reason: goal.reason, description: goal.description, hitBreakpointIds: [] };
}

function pausedAt(i: number, hooks: SearchHooks): Stop {
  return { index: i, reason: 'pause', description: `Paused at ${hooks.describe(i)}`, hitBreakpointIds: [] };
}
