// Runs a scenario: machine setup, then every statement in order (processes,
// folio declarations, injections, operations), evaluating each operation's
// expectations right after it. Bad input or a budget overrun ends the run with
// `error: { line, message }`; run() itself never throws.

import type { Scenario, Operation, MigratePagesInternal, Statement } from '../scenario/ast';
import { CONFIG_OPTIONS, isIn } from '../scenario/vocab';
import { MemState, FolioId, F, Kind, VMSTAT, VMSTAT_INDEX, Scalar } from './state';
import { Trace, RunStop, EV, eventName, eventId } from './trace';
import { Context, MigrateStats, MigrateResult, MIGRATE_SYNC, MR_SYSCALL, rcName } from './context';
import { Injections, addInject } from './inject';
import { getProfile, DEFAULT_PROFILE, profileNames, withArchConfig } from './profiles';
import { Setup, setupMachine, addrRange } from './setup';
import { evaluate, ExpectOutcome, OpFacts } from './expect';
import { invariantHook } from './invariants';
import { runSyscallOp } from './syscalls';
import { setGupUserMm } from './gup';

export interface RunOptions {
  /** kernel profile name; overrides the scenario's `kernel` line */
  profile?: string;
  /** check the model's invariants after every event (slow; on in tests) */
  invariants?: boolean;
  /** stop with an error after this many events (default 20,000,000) */
  maxEvents?: number;
  /** stop with an error after this many milliseconds of wall time */
  deadlineMs?: number;
  /** called every 65,536 events with the number of events so far (progress bars) */
  onProgress?: (events: number) => void;
}

/** What one folio ended as in an operation (for summaries and inlay hints). */
export interface FolioOutcome {
  folio: string;
  /** the last outcome event on it: MIGRATEPAGE_SUCCESS, EAGAIN, EBUSY, isolate_failed, ... */
  outcome: string;
  /** where its contents are now (-1 = freed) */
  node: number;
}

export interface OpResult {
  /** 0-based line of the operation */
  line: number;
  kind: Operation['kind'];
  /** return value (negative errno on failure) and its text (`-EIO`, `3`) */
  ret: number;
  retText: string;
  status?: (number | null)[];
  counts: Record<string, number>;
  /** struct migrate_pages_stats of the last internal migrate_pages() of the operation */
  stats?: MigrateStats;
  vmstatDelta: Record<string, number>;
  /** calls of try_to_unmap_flush() during the operation (parity compares them with a kprobe's count) */
  unmapFlushCalls: number;
  /** anon_vma references folio_get_anon_vma() took during the operation (parity compares them with a kretprobe's count) */
  anonVmaRefs: number;
  passes: number;
  folios: FolioOutcome[];
  /** events of the operation: [firstEvent, endEvent) */
  firstEvent: number;
  endEvent: number;
}

export interface RunResult {
  profile: string;
  trace: Trace;
  /** the final state (the live one; `trace.stateAt(i)` for earlier moments) */
  state: MemState;
  ops: OpResult[];
  expects: ExpectOutcome[];
  /** declared folio names */
  folios: Map<string, FolioId>;
  error?: { line: number; message: string };
}

const MODES: Record<string, number> = { MIGRATE_ASYNC: 0, MIGRATE_SYNC_LIGHT: 1, MIGRATE_SYNC: 2, MIGRATE_SYNC_NO_COPY: 3 };
const REASONS: Record<string, number> = { MR_COMPACTION: 0, MR_MEMORY_FAILURE: 1, MR_MEMORY_HOTPLUG: 2, MR_SYSCALL: 3, MR_MEMPOLICY_MBIND: 4, MR_NUMA_MISPLACED: 5, MR_CONTIG_RANGE: 6, MR_LONGTERM_PIN: 7, MR_DEMOTION: 8, MR_DAMON: 9 };

const EV_OP_DONE = eventId('op_done');
const EV_END = eventId('end');

const OP_KINDS = new Set(['migrate_pages_syscall', 'move_pages', 'mbind', 'pin', 'migrate_vma', 'numa_fault', 'migrate_pages_internal']);
function isOperation(s: Statement): s is Operation {
  return OP_KINDS.has(s.kind);
}

type ConfigOption = (typeof CONFIG_OPTIONS)[number];

/** The scenario's `config OPTION y|n` lines. */
function archConfig(sc: Scenario): Map<ConfigOption, boolean> | { error: { line: number; message: string } } {
  const m = new Map<ConfigOption, boolean>();
  for (const s of sc.statements) {
    if (s.kind !== 'config') continue;
    const line = s.range.start.line;
    if (!s.option || !isIn(CONFIG_OPTIONS, s.option.text)) return { error: { line, message: `config: unknown option '${s.option?.text ?? ''}' (known: ${CONFIG_OPTIONS.join(', ')})` } };
    if (s.value?.text !== 'y' && s.value?.text !== 'n') return { error: { line, message: `config ${s.option.text}: the value is y or n` } };
    m.set(s.option.text as ConfigOption, s.value.text === 'y');
  }
  return m;
}

/** Picks the profile: the caller's, else the scenario's `kernel` line, else the newest. */
function chooseProfile(sc: Scenario, override: string | undefined): { name: string } | { error: { line: number; message: string } } {
  const k = sc.statements.find((s) => s.kind === 'kernel');
  const line = k ? k.range.start.line : 0;
  const want = override ?? (k && k.kind === 'kernel' ? k.profile?.text : undefined) ?? DEFAULT_PROFILE;
  const p = getProfile(want);
  if (!p) return { error: { line: override ? 0 : line, message: `unknown kernel profile '${want}' (known: ${profileNames().join(', ')})` } };
  return { name: p.name };
}

export function run(scenario: Scenario, opts: RunOptions = {}): RunResult {
  const st = new MemState();
  const trace = new Trace(st);
  const chosen = chooseProfile(scenario, opts.profile);
  const profileName = 'name' in chosen ? chosen.name : DEFAULT_PROFILE;
  const config = archConfig(scenario);
  const profile = withArchConfig(getProfile(profileName)!, config instanceof Map ? config : new Map());
  const ctx = new Context(st, profile, trace, new Injections());
  const result: RunResult = { profile: profile.name, trace, state: st, ops: [], expects: [], folios: new Map() };
  if ('error' in chosen) {
    result.error = chosen.error;
    return result;
  }
  if (!(config instanceof Map)) {
    result.error = config.error;
    return result;
  }
  const maxEvents = opts.maxEvents ?? 20_000_000;
  const deadline = opts.deadlineMs !== undefined ? Date.now() + opts.deadlineMs : Infinity;
  let currentOp: Operation['kind'] | null = null;
  const check = opts.invariants
    ? invariantHook(trace, () => currentOp === 'migrate_vma', (v) => {
        throw new RunStop(v.message, trace.line);
      })
    : null;
  trace.onEvent = (i: number) => {
    if (i >= maxEvents) throw new RunStop(`the run exceeded its budget of ${maxEvents} events`, trace.line);
    if ((i & 1023) === 0 && Date.now() > deadline) throw new RunStop(`the run exceeded its time budget of ${opts.deadlineMs} ms`, trace.line);
    if ((i & 0xffff) === 0 && i > 0 && opts.onProgress) opts.onProgress(i);
    if (check) check(i);
  };

  try {
    setupMachine(st, scenario);
    trace.resetBase();
    const setup = new Setup(ctx);
    setGupUserMm(ctx, setup.mm); // GUP faults pages in through the user-level layer
    result.folios = setup.folios;
    for (const s of scenario.statements) {
      const line = s.range.start.line;
      trace.line = line;
      switch (s.kind) {
        case 'scenario':
        case 'kernel':
        case 'config':
        case 'defaults':
        case 'node':
        case 'error':
          break;
        case 'process':
          setup.process(s);
          break;
        case 'in':
          setup.body(s.process?.text ?? '', s.body);
          if (!s.process) throw new RunStop('in: which process?', line);
          break;
        case 'folio':
          setup.folio(s);
          break;
        case 'inject': {
          const e = addInject(ctx.inject, s, (n) => setup.folios.get(n), (x) => {
            const p = x.process ? st.procByName(x.process.text) : undefined;
            if (!p || !x.at) return undefined;
            return { proc: p.name, addr: addrRange(st, p, x.at, line).start };
          });
          if (e) throw new RunStop(e.message, e.line);
          const released = s.fault?.text === 'release' && s.folio ? setup.folios.get(s.folio.text) : undefined;
          if (released !== undefined && st.kind(released) !== Kind.MOVABLE) throw new RunStop(`inject release: ${s.folio!.text} is not a movable_ops page (folio kind movable); only a driver releases its pages`, line);
          break;
        }
        default:
          if (isOperation(s)) {
            currentOp = s.kind;
            const r = runOperation(ctx, setup, s);
            currentOp = null;
            // the state after the operation (putback and list frees come after its last event)
            trace.emit(EV_OP_DONE, -1, r.op.ret);
            r.op.endEvent = trace.n;
            r.facts.endEvent = trace.n;
            result.ops.push(r.op);
            for (const e of s.expects) {
              const o = evaluate({ st, trace, folioByName: (n) => setup.folios.get(n) }, e, r.facts);
              if (o) result.expects.push(o);
            }
          }
      }
    }
    if (trace.n === 0 || trace.log.n > trace.mut[trace.n - 1]) trace.emit(EV_END);
  } catch (err) {
    if (err instanceof RunStop) result.error = { line: err.line, message: err.message };
    else result.error = { line: trace.line, message: `internal error of the model: ${err instanceof Error ? err.message : String(err)}` };
  } finally {
    trace.onEvent = null;
  }
  return result;
}

function runOperation(ctx: Context, setup: Setup, op: Operation): { op: OpResult; facts: OpFacts } {
  const st = ctx.st;
  const trace = ctx.trace;
  const line = op.range.start.line;
  const before = st.vmstat.slice();
  const flushCallsBefore = st.scalars[Scalar.UNMAP_FLUSH_CALLS];
  const anonVmaRefsBefore = st.scalars[Scalar.ANON_VMA_REFS];
  const firstEvent = trace.n;
  ctx.lastMigrate = null;
  ctx.passesUsed = 0;
  trace.pass = -1;
  // alloc `after K` and pass windows are per operation
  let ret = 0;
  let status: (number | null)[] | undefined;
  let counts: Record<string, number> = {};
  let retFolios = new Set<FolioId>();
  let fromFolios = new Set<FolioId>();
  const touched: FolioId[] = [];
  if (op.kind === 'migrate_pages_internal') {
    const r = migrate_pages_internal(ctx, setup, op);
    ret = r.ret;
    retFolios = r.retFolios;
    fromFolios = r.fromFolios;
    touched.push(...r.folios);
    counts.nr_failed = ret >= 0 ? ret : 0;
  } else {
    const out = runSyscallOp(ctx, op);
    if (!out) throw new RunStop(`operation '${op.kind}' is not supported`, line);
    ret = out.ret;
    status = out.status;
    counts = { ...(out.counts ?? {}) };
  }
  if (counts.passes === undefined) counts.passes = ctx.passesUsed;
  const anonVmaRefs = st.scalars[Scalar.ANON_VMA_REFS] - anonVmaRefsBefore;
  counts.anon_vma_refs = anonVmaRefs;
  const vmstatDelta: Record<string, number> = {};
  VMSTAT.forEach((name, i) => {
    const d = st.vmstat[i] - before[i];
    if (d !== 0) vmstatDelta[name] = d;
  });
  const endEvent = trace.n;
  const folios = summarize(ctx, firstEvent, endEvent, touched);
  const stats = (ctx.lastMigrate as MigrateResult | null)?.stats;
  const unmapFlushCalls = st.scalars[Scalar.UNMAP_FLUSH_CALLS] - flushCallsBefore;
  const res: OpResult = { line, kind: op.kind, ret, retText: rcName(ret), status, counts, stats, vmstatDelta, unmapFlushCalls, anonVmaRefs, passes: ctx.passesUsed, folios, firstEvent, endEvent };
  return { op: res, facts: { ret, status, counts, stats, vmstatDelta, firstEvent, endEvent, retFolios, fromFolios } };
}

const OUTCOME_EVENTS = new Set(['MIGRATEPAGE_SUCCESS', 'MIGRATEPAGE_UNMAP', 'EAGAIN', 'EBUSY', 'ENOMEM', 'EDEADLOCK', 'ENOSYS', 'EOPNOTSUPP', 'EHWPOISON', 'isolate_failed', 'split', 'putback']);

/** The last outcome of each folio that had one (at most 1000 folios). */
function summarize(ctx: Context, first: number, end: number, extra: FolioId[]): FolioOutcome[] {
  const st = ctx.st;
  const trace = ctx.trace;
  const last = new Map<FolioId, string>();
  for (const f of extra) last.set(f, 'untried');
  for (let i = first; i < end && last.size <= 1000; i++) {
    const f = trace.folio[i];
    if (f < 0) continue;
    const name = eventName(trace.type[i]);
    if (!OUTCOME_EVENTS.has(name)) continue;
    if (name === 'putback' && last.has(f)) continue;
    last.set(f, name);
  }
  const out: FolioOutcome[] = [];
  for (const [f, outcome] of last) {
    const cur = st.current(f);
    out.push({ folio: st.folioName(f), outcome, node: st.has(cur, F.FREED) ? -1 : st.node(cur) });
  }
  return out;
}

// The scenario's internal `migrate_pages [A, B] to node N [mode M] [reason R]`: the caller
// isolates the folios (as compaction or a syscall would), calls migrate_pages(), and puts
// back what is left when the result is not 0.
function migrate_pages_internal(ctx: Context, setup: Setup, op: MigratePagesInternal): { ret: number; retFolios: Set<FolioId>; fromFolios: Set<FolioId>; folios: FolioId[] } {
  const st = ctx.st;
  const line = op.range.start.line;
  if (op.node === undefined) throw new RunStop('migrate_pages: `to node N` is missing', line);
  const node = Number(op.node.value);
  if (!st.hasNode(node)) throw new RunStop(`migrate_pages: node ${node} does not exist`, line);
  const mode = op.mode ? MODES[op.mode.text] : MIGRATE_SYNC;
  if (mode === undefined) throw new RunStop(`migrate_pages: unknown mode '${op.mode?.text}'`, line);
  const reason = op.reason ? REASONS[op.reason.text] : MR_SYSCALL;
  if (reason === undefined) throw new RunStop(`migrate_pages: unknown reason '${op.reason?.text}'`, line);
  if (reason === 9 && !ctx.profile.mrDamon) throw new RunStop(`MR_DAMON does not exist in kernel ${ctx.profile.name}`, line);
  const from = st.newList('from');
  const folios: FolioId[] = [];
  for (const id of op.folios) {
    const f0 = setup.folios.get(id.text);
    if (f0 === undefined) throw new RunStop(`migrate_pages: no folio named '${id.text}' is declared`, line);
    const f = st.current(f0);
    if (st.has(f, F.FREED)) throw new RunStop(`migrate_pages: folio '${id.text}' was freed earlier`, line);
    if (st.list(f) !== 0) throw new RunStop(`migrate_pages: folio '${id.text}' is listed twice`, line);
    folios.push(f);
    if (st.has(f, F.ISOLATED) && st.kind(f) !== Kind.MOVABLE) st.listAddTail(from, f); // already isolated by the caller
    else ctx.isolateForMigration(f, from);
  }
  ctx.pfMemalloc = op.memalloc !== undefined;
  const r = ctx.migrate_pages(from, { node, thisNode: true }, mode, reason);
  ctx.pfMemalloc = false;
  const retFolios = new Set(r.retFolios);
  const fromFolios = new Set(st.listItems(from).filter((f) => !retFolios.has(f)));
  if (r.rc !== 0) ctx.putback_movable_pages(from);
  else if (!st.listEmpty(from)) ctx.putback_movable_pages(from);
  st.freeList(from);
  void EV;
  void VMSTAT_INDEX;
  return { ret: r.rc, retFolios, fromFolios, folios };
}
