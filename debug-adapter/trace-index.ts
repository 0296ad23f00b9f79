// Indexes over a trace, built once per session, so that stepping, breakpoints
// and jumps never scan millions of events one by one through the TraceView.
//   depth/kind    per event (typed arrays): `next`, `stepOut` scan bytes, not objects
//   frame starts  the event where each frame of the stack was entered (restartFrame, frame lines)
//   by name / line / folio / function entry: sorted event numbers, found by binary search
import type { TraceView } from './trace-view';

const KIND_CODE = { event: 0, entry: 1, exit: 2 } as const;

export class TraceIndex {
  readonly n: number;
  readonly depth: Uint8Array;
  readonly kind: Uint8Array;
  /** first depth (0-based) whose frame is new at this event; = depth when none is new */
  private readonly newFrom: Uint8Array;
  /** event where the innermost frame of this event was entered */
  private readonly innerStart: Int32Array;
  private byName = new Map<number, Int32Array>();
  private byLine: Map<number, Int32Array> | null = null;
  private byFolio: Map<number, Int32Array> | null = null;
  private byFnEntry: Map<string, Int32Array> | null = null;
  readonly functions = new Set<string>();
  readonly tasks: string[] = [];

  constructor(readonly trace: TraceView) {
    const n = (this.n = trace.length);
    this.depth = new Uint8Array(n);
    this.kind = new Uint8Array(n);
    this.newFrom = new Uint8Array(n);
    this.innerStart = new Int32Array(n);
    const fnEntries = new Map<string, number[]>();
    const taskSet = new Set<string>();
    let prev: readonly string[] = [];
    let prevTask = '';
    for (let i = 0; i < n; i++) {
      const s = trace.stack(i);
      const k = KIND_CODE[trace.kind(i)];
      this.depth[i] = s.length;
      this.kind[i] = k;
      let p = 0;
      if (s === prev) p = s.length;
      else {
        const m = Math.min(s.length, prev.length);
        while (p < m && s[p] === prev[p]) p++;
      }
      // An entry event always opens a new innermost frame, even when the previous call
      // of the same function left an identical stack behind.
      if (k === KIND_CODE.entry && s.length > 0 && p >= s.length) p = s.length - 1;
      if (trace.freshFrom) p = Math.min(p, trace.freshFrom(i));
      if (i === 0) p = 0;
      this.newFrom[i] = p;
      for (let d = p; d < s.length; d++) {
        let a = fnEntries.get(s[d]);
        if (!a) {
          a = [];
          fnEntries.set(s[d], a);
          this.functions.add(s[d]);
        }
        a.push(i);
      }
      this.innerStart[i] = p < s.length || s.length === 0 ? i : this.frameStart(i - 1, s.length - 1);
      prev = s;
      const t = trace.task(i);
      if (t !== prevTask && !taskSet.has(t)) {
        taskSet.add(t);
        this.tasks.push(t);
      }
      prevTask = t;
    }
    this.byFnEntry = new Map([...fnEntries].map(([f, a]) => [f, Int32Array.from(a)]));
  }

  /** The event where the frame at `d` (0 = outermost) of event `i` was entered. */
  frameStart(i: number, d: number): number {
    let j = i;
    while (true) {
      if (this.newFrom[j] <= d) return j;
      const s = this.innerStart[j];
      if (this.newFrom[s] <= d || s === 0) return s;
      j = s - 1;
    }
  }

  /** Sorted events with a given event code. */
  eventsNamed(code: number): Int32Array {
    let a = this.byName.get(code);
    if (!a) {
      const t = this.trace;
      let c = 0;
      for (let i = 0; i < this.n; i++) if (t.eventCode(i) === code) c++;
      a = new Int32Array(c);
      c = 0;
      for (let i = 0; i < this.n; i++) if (t.eventCode(i) === code) a[c++] = i;
      this.byName.set(code, a);
    }
    return a;
  }

  eventsOfLine(line: number): Int32Array {
    if (!this.byLine) this.byLine = this.group((i) => this.trace.line(i));
    return this.byLine.get(line) ?? EMPTY;
  }

  eventsOfFolio(folio: number): Int32Array {
    if (!this.byFolio) this.byFolio = this.group((i) => this.trace.folioOf(i));
    return this.byFolio.get(folio) ?? EMPTY;
  }

  entriesOf(fn: string): Int32Array {
    return this.byFnEntry?.get(fn) ?? EMPTY;
  }

  private group(key: (i: number) => number): Map<number, Int32Array> {
    const counts = new Map<number, number>();
    const keys = new Int32Array(this.n);
    for (let i = 0; i < this.n; i++) {
      const k = key(i);
      keys[i] = k;
      if (k >= 0) counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    const out = new Map<number, Int32Array>();
    const fill = new Map<number, number>();
    for (const [k, c] of counts) {
      out.set(k, new Int32Array(c));
      fill.set(k, 0);
    }
    for (let i = 0; i < this.n; i++) {
      const k = keys[i];
      if (k < 0) continue;
      const f = fill.get(k)!;
      out.get(k)![f] = i;
      fill.set(k, f + 1);
    }
    return out;
  }
}

const EMPTY = new Int32Array(0);

/** First element > i (forward) or last element < i (backward) of a sorted array; -1 if none. */
export function nextIn(a: Int32Array, i: number, forward: boolean): number {
  let lo = 0;
  let hi = a.length;
  if (forward) {
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (a[mid] <= i) lo = mid + 1;
      else hi = mid;
    }
    return lo < a.length ? a[lo] : -1;
  }
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < i) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? a[lo - 1] : -1;
}

/** Number of elements ≤ i. */
export function rankIn(a: Int32Array, i: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] <= i) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
