// The event trace: columnar typed arrays, 32 bytes per event, plus the packed
// mutation log of MemState. `stateAt(i)` rebuilds the full state (folios, lists,
// page tables, call frames with locals, stats, vmstat) as it was right after
// event i, from the nearest checkpoint and a short replay of the log.
//
// How engine code emits events:
//   trace.emit(EV.EAGAIN, folio)                      an outcome on a folio
//   trace.emit(EV.set_migration_pte, folio, addr, pte) aux/aux2 carry numbers
//   const d = trace.enter(FN_migrate_folio_unmap)     function entry (pushes a frame)
//   trace.exit(rc)                                     function exit (pops it)
// `trace.pass` and `trace.line` are the current pass and scenario line; set them
// before emitting. Other helpers register their own event names with `eventId`.

import { growTo } from './grow';
import { MemState, MutationLog, Snapshot, FnSchema } from './state';

// ---------------------------------------------------------------- event names

/** jumps made once after the checkpoint build, to warm the jump path (Trace.warmJumps) */
const WARM_JUMPS = 8;

const eventNames: string[] = [];
const eventIds = new Map<string, number>();

/** The id of an event name, registering it on first use. */
export function eventId(name: string): number {
  let id = eventIds.get(name);
  if (id === undefined) {
    id = eventNames.length;
    eventNames.push(name);
    eventIds.set(name, id);
  }
  return id;
}
export function eventName(id: number): string {
  return eventNames[id] ?? `event${id}`;
}
export function knownEventNames(): string[] {
  return eventNames.slice();
}

/** The core events (scenario `expect event NAME` uses these names). */
export const EV = {
  enter: eventId('enter'),
  exit: eventId('exit'),
  mm_migrate_pages_start: eventId('mm_migrate_pages_start'),
  mm_migrate_pages: eventId('mm_migrate_pages'),
  MIGRATEPAGE_UNMAP: eventId('MIGRATEPAGE_UNMAP'),
  MIGRATEPAGE_SUCCESS: eventId('MIGRATEPAGE_SUCCESS'),
  EAGAIN: eventId('EAGAIN'),
  EBUSY: eventId('EBUSY'),
  ENOMEM: eventId('ENOMEM'),
  EDEADLOCK: eventId('EDEADLOCK'),
  ENOSYS: eventId('ENOSYS'),
  EOPNOTSUPP: eventId('EOPNOTSUPP'),
  EHWPOISON: eventId('EHWPOISON'),
  EIO: eventId('EIO'),
  EINVAL: eventId('EINVAL'),
  isolate_failed: eventId('isolate_failed'),
  split: eventId('split'),
  split_failed: eventId('split_failed'),
  retry_pass: eventId('retry_pass'),
  tlb_flush: eventId('tlb_flush'),
  set_migration_pte: eventId('set_migration_pte'),
  remove_migration_pte: eventId('remove_migration_pte'),
  set_migration_pmd: eventId('set_migration_pmd'),
  remove_migration_pmd: eventId('remove_migration_pmd'),
  undo: eventId('undo'),
  putback: eventId('putback'),
  freed: eventId('freed'),
  lock_wait: eventId('lock_wait'),
  writeback_wait: eventId('writeback_wait'),
  alloc_dst: eventId('alloc_dst'),
  pmd_split: eventId('pmd_split'),
};

// ---------------------------------------------------------------- errors that stop a run

/** Thrown inside the engine to stop a run; run() turns it into `{ error: { line, message } }`. */
export class RunStop extends Error {
  constructor(
    message: string,
    public line: number,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------- the trace

interface Checkpoint {
  event: number; // state right after this event (-1 = before the first)
  mut: number; // log length at that point
  snap: Snapshot;
}

export class Trace {
  /** number of events */
  n = 0;
  // 2 + 1 + 1 + 4 + 4 + 4 + 8 + 8 = 32 bytes per event
  type = new Uint16Array(1 << 12);
  pass_ = new Int8Array(1 << 12);
  depth = new Uint8Array(1 << 12);
  folio = new Int32Array(1 << 12);
  line_ = new Int32Array(1 << 12);
  mut = new Int32Array(1 << 12);
  aux = new Float64Array(1 << 12);
  aux2 = new Float64Array(1 << 12);

  /** current pass (set by the pass loops) and scenario line (set per statement) */
  pass = -1;
  line = 0;

  readonly log: MutationLog;
  private initial: Snapshot;
  private checkpoints: Checkpoint[] | null = null;
  private cursor: MemState | null = null;
  private cursorEvent = -2;
  private cursorMut = -1;

  /** payloads of rare events (the stats of mm_migrate_pages, ...), by event index */
  notes = new Map<number, unknown>();

  /** called after every event (invariant checks, budget checks) */
  onEvent: ((i: number) => void) | null = null;

  constructor(public readonly state: MemState) {
    if (!state.log) throw new Error('Trace needs a logging MemState');
    this.log = state.log;
    this.log.coalesce = true;
    this.initial = state.snapshot();
  }

  /**
   * Re-takes the initial snapshot; call once the machine (nodes, page sizes, bulk
   * setup) is built and before the first event. Mutations logged so far are folded
   * into that snapshot and dropped from the log.
   */
  resetBase(): void {
    if (this.n !== 0) throw new Error('resetBase after events');
    this.log.clear();
    this.initial = this.state.snapshot();
  }

  /**
   * Room for `extra` more events without regrowing: a caller that knows a big run is
   * coming (two events at least per folio of a migration) saves the doubling's copies,
   * which on a million folios are as much memory to fault in as the final columns.
   */
  reserve(extra: number): void {
    if (this.n + extra > this.type.length) this.grow(this.n + extra);
  }

  private grow(m: number): void {
    this.type = growTo(this.type, m);
    this.pass_ = growTo(this.pass_, m);
    this.depth = growTo(this.depth, m);
    this.folio = growTo(this.folio, m);
    this.line_ = growTo(this.line_, m);
    this.mut = growTo(this.mut, m);
    this.aux = growTo(this.aux, m);
    this.aux2 = growTo(this.aux2, m);
  }

  emit(type: number, folio = -1, aux = 0, aux2 = 0): number {
    const i = this.n;
    if (i === this.type.length) this.grow(i + 1);
    this.state.flushFrames(); // the frames this event sees, before its log position is taken
    this.type[i] = type;
    this.pass_[i] = this.pass;
    this.depth[i] = this.state.frames.length;
    this.folio[i] = folio;
    this.line_[i] = this.line;
    this.mut[i] = this.log.n;
    this.log.sealed = this.log.n;
    this.aux[i] = aux;
    this.aux2[i] = aux2;
    this.n = i + 1;
    this.checkpoints = null;
    if (this.onEvent) this.onEvent(i);
    return i;
  }

  /** An event with a payload object (kept in a side table; use for rare events only). */
  emitNote(type: number, folio: number, aux: number, aux2: number, note: unknown): number {
    this.notes.set(this.n, note);
    return this.emit(type, folio, aux, aux2);
  }

  /**
   * Function entry: pushes a frame for `fn` and records an `enter` event. Returns the
   * frame depth. `quiet` pushes the frame without an event: the per-folio steps of a
   * big migration (their outcome events carry the folio, and the frame with its
   * locals is still there for the debugger at every event inside them).
   */
  enter(fn: FnSchema, folio = -1, quiet = false): number {
    const d = this.state.pushFrame(fn);
    if (!quiet) this.emit(EV.enter, folio, fn.id);
    return d;
  }
  /** Function exit with its return value; pops the frame (no event when entered quietly). */
  exit(rc = 0, folio = -1, quiet = false): void {
    const fn = this.state.frames[this.state.frames.length - 1];
    if (!quiet) this.emit(EV.exit, folio, fn, rc);
    this.state.popFrame();
  }

  bytesPerEvent(): number {
    return 32;
  }
  eventBytes(): number {
    return this.n * 32;
  }
  /** bytes of the initial snapshot and the checkpoints built so far (chunks they share counted once) */
  checkpointBytes(): number {
    let b = this.initial.bytes;
    for (const cp of this.checkpoints ?? []) if (cp.event >= 0) b += cp.snap.bytes;
    return b;
  }
  /** events + mutation log + checkpoints built so far */
  totalBytes(): number {
    return this.eventBytes() + this.log.bytes() + this.checkpointBytes();
  }

  // ------------------------------------------------------------ stateAt

  /** least number of log records between two checkpoints (tests lower it to exercise many checkpoints) */
  checkpointEvery = 1 << 16;

  /** most log records between two checkpoints: a jump then replays at most a few milliseconds */
  checkpointMax = 1 << 17;

  /**
   * Checkpoint spacing in log records: at least `checkpointEvery`, more when the last
   * checkpoint copied much (so checkpoints cost about what the log does), but never
   * more than `checkpointMax` (one big copy, such as the first checkpoint after a
   * bulk setup, must not leave a long stretch of the trace without checkpoints).
   */
  private interval(copiedBytes: number): number {
    return Math.max(this.checkpointEvery, Math.min(this.checkpointMax, Math.ceil(copiedBytes / 13)));
  }

  /** A fresh state as it was before the first event (for straight replays in tests and tools). */
  initialState(): MemState {
    const s = this.state.cloneConfig();
    s.restore(this.initial);
    return s;
  }

  /** number of checkpoints built so far (0 until the first stateAt) */
  checkpointCount(): number {
    return this.checkpoints?.length ?? 0;
  }

  /** Builds the checkpoints by one replay of the log (done lazily, on the first stateAt). */
  private buildCheckpoints(): Checkpoint[] {
    const s = this.state.cloneConfig();
    s.restore(this.initial);
    const cps: Checkpoint[] = [{ event: -1, mut: 0, snap: this.initial }];
    let last = 0;
    let applied = 0;
    let every = this.interval(0);
    for (let i = 0; i < this.n; i++) {
      const m = this.mut[i];
      if (m - last >= every) {
        s.replay(this.log, applied, m);
        applied = m;
        const snap = s.snapshot();
        cps.push({ event: i, mut: m, snap });
        every = this.interval(snap.bytes);
        last = m;
      }
    }
    return cps;
  }

  /**
   * A few jumps across the trace right after the checkpoints are built, so that the user's
   * first jumps run optimized code. The replay code is optimized during the build, on a state
   * that never restores twice; a jump's first restore takes paths the build never did (a
   * spare chunk reused), and the JIT threw the optimized code away there and compiled it
   * again while the first jumps ran slowly (measured on 10 M events: 5-13 ms for the first ten
   * jumps, 1-3 ms for later ones). Costs a few milliseconds, once, after a build of seconds.
   */
  private warmJumps(): void {
    const cps = this.checkpoints!;
    if (cps.length < 4) return;
    for (let k = 0; k < WARM_JUMPS; k++) {
      // a whole span between two checkpoints: long enough for the JIT to optimize the replay again
      const next = cps[1 + Math.floor(((cps.length - 2) * (k + 0.5)) / WARM_JUMPS)];
      this.stateAt(next.event - 1);
    }
  }

  /**
   * The full state right after event `i` (i = -1: before the first event).
   * Returns a shared MemState that stays valid until the next call; copy what you keep.
   */
  stateAt(i: number): MemState {
    if (i < -1 || i >= this.n) throw new RangeError(`stateAt(${i}): the trace has ${this.n} events`);
    if (!this.checkpoints) {
      this.checkpoints = this.buildCheckpoints();
      this.cursor = null;
      this.warmJumps();
    }
    const target = i < 0 ? 0 : this.mut[i];
    if (!this.cursor) {
      this.cursor = this.state.cloneConfig();
      this.cursorMut = -1;
    }
    const cps = this.checkpoints;
    // nearest checkpoint at or before the target (binary search on mut)
    let lo = 0;
    let hi = cps.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (cps[mid].mut <= target) lo = mid;
      else hi = mid - 1;
    }
    const cp = cps[lo];
    // replay forward from where the cursor already is when that is closer than the checkpoint
    if (!(this.cursorMut >= cp.mut && this.cursorMut <= target)) {
      this.cursor.restore(cp.snap);
      this.cursorMut = cp.mut;
    }
    this.cursor.replay(this.log, this.cursorMut, target);
    this.cursorMut = target;
    this.cursorEvent = i;
    return this.cursor;
  }

  /** Event i as a plain object (for the debugger, JSON export and tests). */
  event(i: number): TraceEvent {
    return {
      seq: i,
      name: eventName(this.type[i]),
      folio: this.folio[i],
      pass: this.pass_[i],
      depth: this.depth[i],
      line: this.line_[i],
      aux: this.aux[i],
      aux2: this.aux2[i],
    };
  }
  get lastEventIndex(): number {
    return this.cursorEvent;
  }
}

export interface TraceEvent {
  seq: number;
  name: string;
  folio: number; // -1 when the event concerns no folio
  pass: number; // -1 outside a pass loop
  depth: number; // call depth (frames) when emitted
  line: number; // 0-based scenario line
  aux: number;
  aux2: number;
}
