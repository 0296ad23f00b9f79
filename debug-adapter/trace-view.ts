// What the debugger needs from a recorded trace, and nothing more.
// Every other module of debug-adapter/ sees only these interfaces; the
// engine's own shapes are known by engine-view.ts alone, so a change in the
// engine touches one file here.

export type Scalar = number | string | boolean;

/** One folio as the Folios scope and the expression language show it. */
export interface FolioInfo {
  id: number;
  name: string; // declared name, or `folio#<id>` for folios the kernel made (split pieces, destinations)
  pfn: number;
  order: number;
  node: number;
  kind: string;
  flags: string[];
  refcount: number;
  mapcount: number;
  pins: number;
  /** where the folio is now: a kernel list name, `lru`, `freed`, `isolated`, ... */
  place: string;
  /** `app heap[0x1000] pte`, one per mapping */
  mapped: string[];
}

export interface PteInfo {
  addr: number;
  /** present | migration | none | swap | device_private */
  state: string;
  pfn?: number;
  folio?: string;
  /** `write`, `young`, `dirty`, `soft_dirty`, and for migration entries the type: `migration_write`... */
  bits: string[];
}

export interface PmdInfo {
  addr: number;
  /** table | huge | migration | none | bad */
  state: string;
  pfn?: number;
  folio?: string;
  bits: string[];
  ptes: PteInfo[];
}

export interface VmaInfo {
  name: string;
  start: number;
  end: number;
  desc: string; // backing, sharing, prot
  pmds: PmdInfo[];
}

export interface ProcessInfo {
  name: string;
  vmas: VmaInfo[];
}

export interface NodeInfo {
  id: number;
  total: number; // pages
  free: number;
  used: number;
}

/** The full state at one event. Built lazily: a 100,000-folio state must not cost 100,000 objects per stop. */
export interface StateView {
  folioCount(): number;
  folio(id: number): FolioInfo;
  folioId(name: string): number | undefined;
  listNames(): readonly string[];
  /** number of folios on a kernel list */
  listSize(name: string): number;
  /** folio ids at positions [start, end) of a kernel list, in list order */
  listSlice(name: string, start: number, end: number): ArrayLike<number>;
  processes(): ProcessInfo[];
  nodes(): NodeInfo[];
  /** struct migrate_pages_stats of the current (or last) internal call */
  stats(): Record<string, number>;
  vmstat(): Record<string, number>;
  /** locals of the frame at `depth` (0 = outermost) */
  locals(depth: number): Record<string, Scalar>;
}

export type EventKind = 'entry' | 'exit' | 'event';

/**
 * A recorded run, event by event. Events are numbered 0..length-1. The
 * per-event getters must be O(1): the debugger scans millions of them.
 */
export interface TraceView {
  readonly length: number;
  /** event names, indexed by eventCode() */
  readonly eventNames: readonly string[];
  eventCode(i: number): number;
  kind(i: number): EventKind;
  /** folio the event concerns, -1 for none */
  folioOf(i: number): number;
  /** name of a folio id (stable over the whole trace) */
  folioName(id: number): string;
  pass(i: number): number;
  /** scenario line (0-based) that caused the event */
  line(i: number): number;
  /** the kernel call stack, outermost first; the same array for equal stacks (interned) */
  stack(i: number): readonly string[];
  /**
   * Optional: the lowest stack depth whose frame was entered anew since the previous event
   * (255 or more: none). Lets two calls of the same function with no event in between count as
   * two invocations; without it, a new invocation is seen where the stack changes or on an entry event.
   */
  freshFrom?(i: number): number;
  /** the simulated task running the event (a process name) */
  task(i: number): string;
  /** a short free text such as `rc=-EAGAIN` */
  detail(i: number): string;
  stateAt(i: number): StateView;
}

/** A finished run as the debugger receives it. */
export interface LoadedRun {
  trace: TraceView;
  profile: string;
  /** the scenario's text, line by line (breakpoint messages say why a line cannot stop) */
  lines: string[];
  /** lines (0-based) where an operation starts */
  operationLines: number[];
  /** folio and mapping declarations: a breakpoint there stops at every event concerning these folios */
  declarations: { name: string; line: number; kind: 'folio' | 'mapping'; folios: number[] }[];
  /** a failure of the run itself (invariant violation, budget overrun), already recorded up to that point */
  error?: { line: number; message: string };
  /** expectation outcomes, for the Debug Console */
  expects: { line: number; ok: boolean; message: string }[];
}
