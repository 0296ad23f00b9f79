// The one place that knows the engine's shapes: turns engine/trace.ts's Trace
// and engine/state.ts's MemState into the debugger's TraceView / StateView.
//
// The engine records per event only its depth; the function names of the stack
// are rebuilt here from the enter/exit events (one pass, stacks interned so the
// debugger compares them by reference).
// engine/context.ts and engine/migrate.ts import each other; loading migrate first
// lets context finish before migrate reads its constants (harmless once the cycle is gone).
import '../engine/migrate';
import {
  FLAG_NAMES,
  F,
  KIND_NAMES,
  PTE_TYPE_NAMES,
  Pte,
  VMSTAT,
  fnSchema,
  keyVpn,
  pteBits,
  pteFolio,
  pteSub,
  pteType,
  type MemState,
  type Process,
} from '../engine/state';
import { EV, eventName, knownEventNames, type Trace } from '../engine/trace';
import { Op } from '../engine/state';
import type { Operation, Scenario, UserStmt } from '../scenario';
import { run, type OpResult } from '../engine';
import type { EventKind, LoadedRun, FolioInfo, NodeInfo, PmdInfo, ProcessInfo, PteInfo, Scalar, StateView, TraceView } from './trace-view';

const STATS_FIELDS = ['nr_succeeded', 'nr_failed_pages', 'nr_thp_succeeded', 'nr_thp_failed', 'nr_thp_split', 'nr_split'];

/** exit events carry the return value in aux2; name it like the kernel would print it */
const ERRNO_NAME: Record<number, string> = {
  1: 'EPERM', 2: 'ENOENT', 3: 'ESRCH', 5: 'EIO', 7: 'E2BIG', 11: 'EAGAIN', 12: 'ENOMEM', 13: 'EACCES', 14: 'EFAULT', 16: 'EBUSY',
  17: 'EEXIST', 19: 'ENODEV', 22: 'EINVAL', 28: 'ENOSPC', 35: 'EDEADLOCK', 38: 'ENOSYS', 95: 'EOPNOTSUPP', 133: 'EHWPOISON',
};

export class EngineTraceView implements TraceView {
  readonly length: number;
  readonly eventNames: string[] = [];
  private readonly codeOf: Int32Array;
  private readonly stackId: Int32Array;
  private readonly fresh: Uint8Array;
  private readonly stacks: (readonly string[])[] = [];
  private readonly names: string[] = [];
  private readonly taskOfLine: (line: number) => string;
  /** operations in order, for the stats of an internal call that has returned */
  readonly ops: OpResult[];

  constructor(
    private readonly t: Trace,
    opts: { taskOfLine?: (line: number) => string; ops?: OpResult[] } = {},
  ) {
    this.ops = opts.ops ?? [];
    const n = (this.length = t.n);
    this.taskOfLine = opts.taskOfLine ?? (() => 'scenario');
    // Dense event codes (the engine's ids are global across runs).
    const dense = new Map<number, number>();
    this.codeOf = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const ty = t.type[i];
      let c = dense.get(ty);
      if (c === undefined) {
        c = this.eventNames.length;
        dense.set(ty, c);
        this.eventNames.push(eventName(ty));
      }
      this.codeOf[i] = c;
    }
    // Function stacks from the FRAME_PUSH/FRAME_POP records of the mutation log: exact even for
    // frames the engine pushes without an enter event. Interned by their function ids.
    this.stackId = new Int32Array(n);
    this.fresh = new Uint8Array(n).fill(255);
    const intern = new Map<string, number>();
    const internStack = (fns: number[]): number => {
      const key = fns.join(',');
      let id = intern.get(key);
      if (id === undefined) {
        id = this.stacks.length;
        this.stacks.push(Object.freeze(fns.map((f) => fnSchema(f)?.name ?? `fn${f}`)));
        intern.set(key, id);
      }
      return id;
    };
    const log = t.log;
    const cur: number[] = [];
    let curId = internStack(cur);
    let applied = 0;
    for (let i = 0; i < n; i++) {
      const upto = t.mut[i];
      let lowest = 255;
      let changed = false;
      for (let k = applied; k < upto; k++) {
        const op = log.opAt(k);
        if (op === Op.FRAME_PUSH) {
          lowest = Math.min(lowest, cur.length);
          cur.push(log.aAt(k));
          changed = true;
        } else if (op === Op.FRAME_POP) {
          cur.pop();
          lowest = Math.min(lowest, cur.length);
          changed = true;
        }
      }
      applied = upto;
      if (changed) curId = internStack(cur);
      this.stackId[i] = curId;
      // frames at or above `lowest` were (re)entered since the previous event, unless only pops happened
      if (changed && lowest < cur.length) this.fresh[i] = lowest;
    }
  }

  eventCode(i: number): number {
    return this.codeOf[i];
  }
  kind(i: number): EventKind {
    const ty = this.t.type[i];
    return ty === EV.enter ? 'entry' : ty === EV.exit ? 'exit' : 'event';
  }
  folioOf(i: number): number {
    return this.t.folio[i];
  }
  folioName(id: number): string {
    let s = this.names[id];
    if (s === undefined) {
      s = this.t.state.names.get(id) ?? `folio#${id}`;
      this.names[id] = s;
    }
    return s;
  }
  pass(i: number): number {
    return this.t.pass_[i];
  }
  line(i: number): number {
    return this.t.line_[i];
  }
  stack(i: number): readonly string[] {
    return this.stacks[this.stackId[i]];
  }
  freshFrom(i: number): number {
    return this.fresh[i];
  }
  task(i: number): string {
    return this.taskOfLine(this.t.line_[i]);
  }
  detail(i: number): string {
    const ty = this.t.type[i];
    if (ty === EV.exit) {
      const rc = this.t.aux2[i];
      return `rc=${rc < 0 && ERRNO_NAME[-rc] ? `-${ERRNO_NAME[-rc]}` : rc}`;
    }
    if (ty === EV.enter) return '';
    const a = this.t.aux[i];
    const b = this.t.aux2[i];
    const name = eventName(ty);
    // errno events carry their own rc, retry_pass its pass number: nothing to add
    if (ERRNO_NAME[-a] === name || ty === EV.retry_pass) return '';
    if (name === 'alloc_dst') return `on node ${a}`;
    if (ty === EV.set_migration_pte || ty === EV.remove_migration_pte || ty === EV.set_migration_pmd || ty === EV.remove_migration_pmd)
      return `addr=0x${a.toString(16)} pte=0x${b.toString(16)}`;
    return a || b ? `aux=${a}${b ? ` aux2=${b}` : ''}` : '';
  }
  stateAt(i: number): StateView {
    return new EngineStateView(this.t, i, this);
  }
}

/** A lazy view of the state after event i; re-positions the engine's shared cursor only when someone else moved it. */
class EngineStateView implements StateView {
  private st: MemState | null = null;
  private lists: Map<string, number> | null = null;
  private frames: { fn: string; locals: Record<string, number> }[] | null = null;

  constructor(
    private readonly t: Trace,
    private readonly i: number,
    private readonly tv: EngineTraceView,
  ) {}

  private s(): MemState {
    if (!this.st || this.t.lastEventIndex !== this.i) this.st = this.t.stateAt(this.i);
    return this.st;
  }

  folioCount(): number {
    return this.s().nFolios;
  }
  folio(id: number): FolioInfo {
    const s = this.s();
    const fl = s.flags(id);
    const flags: string[] = [];
    for (const [bit, name] of FLAG_NAMES) if (fl & bit) flags.push(name);
    return {
      id,
      name: this.tv.folioName(id),
      pfn: s.pfn(id),
      order: s.order(id),
      node: s.node(id),
      kind: KIND_NAMES[s.kind(id)] ?? String(s.kind(id)),
      flags,
      refcount: s.refcount(id),
      mapcount: s.mapcount(id),
      pins: s.pins(id),
      place: this.place(s, id),
      mapped: s.rmapOf(id).map((r) => mappedAt(s, r.mm, r.vpn, r.pmd)),
    };
  }
  private place(s: MemState, id: number): string {
    const l = s.list(id);
    if (l !== 0) return this.listLabel(l);
    const fl = s.flags(id);
    if (fl & F.FREED) return 'freed';
    if (fl & F.DST) return 'dst (not yet live)';
    if (fl & F.LRU) return 'lru';
    if (fl & F.ISOLATED) return 'isolated';
    return 'none';
  }
  folioId(name: string): number | undefined {
    const s = this.s();
    for (const [id, n] of s.names) if (n === name) return id;
    const m = /^folio#(\d+)$/.exec(name);
    if (m && Number(m[1]) < s.nFolios) return Number(m[1]);
    return undefined;
  }
  /** Live lists by name; when two live lists share a name (nested calls) the newest keeps it, older ones get `name#id`. */
  private listMap(): Map<string, number> {
    if (!this.lists) {
      const s = this.s();
      const m = new Map<string, number>();
      for (let l = s.lists.length - 1; l >= 1; l--) {
        const L = s.lists.at(l);
        if (!L.live) continue;
        m.set(m.has(L.name) ? `${L.name}#${l}` : L.name, l);
      }
      this.lists = new Map([...m].sort((a, b) => a[1] - b[1]));
    }
    return this.lists;
  }
  private listLabel(l: number): string {
    for (const [name, id] of this.listMap()) if (id === l) return name;
    return this.s().listName(l);
  }
  listNames(): readonly string[] {
    return [...this.listMap().keys()];
  }
  listSize(name: string): number {
    const l = this.listMap().get(name);
    return l === undefined ? 0 : this.s().listCount(l);
  }
  listSlice(name: string, start: number, end: number): number[] {
    const l = this.listMap().get(name);
    if (l === undefined) return [];
    // walk the list_head chain: a page deep into a long list costs its position, never a copy of the list
    const s = this.s();
    const out: number[] = [];
    let k = 0;
    for (let f = s.lists.at(l).head; f !== -1 && k < end; f = s.next(f), k++) if (k >= start) out.push(f);
    return out;
  }
  processes(): ProcessInfo[] {
    const s = this.s();
    const pagesPerPmd = s.pmdSize / s.pageSize;
    // group page-table entries by mm and PMD once
    const byMm = new Map<number, Map<number, { pmd?: number; ptes: [number, number][] }>>();
    const slot = (mm: number, pmdVpn: number): { pmd?: number; ptes: [number, number][] } => {
      let m = byMm.get(mm);
      if (!m) byMm.set(mm, (m = new Map()));
      let e = m.get(pmdVpn);
      if (!e) m.set(pmdVpn, (e = { ptes: [] }));
      return e;
    };
    for (const [key, e] of s.ptes) {
      const vpn = keyVpn(key);
      slot(Math.floor(key / 2 ** 36), vpn - (vpn % pagesPerPmd)).ptes.push([vpn, e]);
    }
    for (const [key, e] of s.pmds) slot(Math.floor(key / 2 ** 36), keyVpn(key)).pmd = e;
    return s.procs.filter(Boolean).map((p: Process) => ({
      name: p.name,
      vmas: p.vmas.map((v) => {
        const pmds: PmdInfo[] = [];
        const m = byMm.get(p.id);
        if (m) {
          const lo = v.start / s.pageSize;
          const hi = v.end / s.pageSize;
          for (const [pmdVpn, e] of [...m].sort((a, b) => a[0] - b[0])) {
            if (pmdVpn + pagesPerPmd <= lo || pmdVpn >= hi) continue;
            const ptes = e.ptes
              .filter(([vpn]) => vpn >= lo && vpn < hi)
              .sort((a, b) => a[0] - b[0])
              .map(([vpn, ent]) => entryInfo(s, vpn * s.pageSize, ent, this.tv));
            const head = e.pmd !== undefined && e.pmd !== 0 ? entryInfo(s, pmdVpn * s.pageSize, e.pmd, this.tv) : undefined;
            pmds.push(head ? { ...head, state: head.state === 'present' ? 'huge' : head.state, ptes } : { addr: pmdVpn * s.pageSize, state: ptes.length ? 'table' : 'none', bits: [], ptes });
          }
        }
        const prot = [v.prot & 1 ? 'r' : '-', v.prot & 2 ? 'w' : '-', v.prot & 4 ? 'x' : '-'].join('');
        return { name: v.name, start: v.start, end: v.end, desc: `${v.backing} ${v.shared ? 'shared' : 'private'} ${prot}${v.locked ? ' locked' : ''}`, pmds };
      }),
    }));
  }
  nodes(): NodeInfo[] {
    const s = this.s();
    return s.nodeSpecs.map((n) => {
      const free = (s.nodeFree[n.id] ?? 0) + (s.nodeMovFree[n.id] ?? 0);
      return { id: n.id, total: n.memoryPages, free, used: n.memoryPages - free };
    });
  }
  stats(): Record<string, number> {
    // struct migrate_pages_stats lives in migrate_pages()'s frame: show the innermost frame that has it
    const stack = this.callStack();
    const out: Record<string, number> = Object.fromEntries(STATS_FIELDS.map((f) => [f, 0]));
    for (let d = stack.length - 1; d >= 0; d--) {
      const l = stack[d].locals;
      if (STATS_FIELDS.some((f) => f in l)) {
        for (const f of STATS_FIELDS) if (f in l) out[f] = l[f];
        return out;
      }
    }
    // no call in progress keeps them: the stats of the last operation that has finished by now
    for (let k = this.tv.ops.length - 1; k >= 0; k--) {
      const op = this.tv.ops[k];
      if (op.endEvent <= this.i + 1 && op.stats) {
        for (const f of STATS_FIELDS) out[f] = (op.stats as unknown as Record<string, number>)[f] ?? 0;
        break;
      }
    }
    return out;
  }
  vmstat(): Record<string, number> {
    const s = this.s();
    return Object.fromEntries(VMSTAT.map((name, k) => [name, s.vmstat[k]]));
  }
  private callStack(): { fn: string; locals: Record<string, number> }[] {
    if (!this.frames) this.frames = this.s().callStack();
    return this.frames;
  }
  locals(depth: number): Record<string, Scalar> {
    return this.callStack()[depth]?.locals ?? {};
  }
}

function mappedAt(s: MemState, mm: number, vpn: number, pmd: boolean): string {
  const p = s.procs.find((x) => x && x.id === mm);
  const addr = vpn * s.pageSize;
  const v = p?.vmas.find((x) => addr >= x.start && addr < x.end);
  const where = v ? `${v.name}[0x${(addr - v.start).toString(16)}]` : `0x${addr.toString(16)}`;
  return `${p?.name ?? `mm${mm}`} ${where} ${pmd ? 'pmd' : 'pte'}`;
}

function entryInfo(s: MemState, addr: number, e: number, tv: EngineTraceView): PteInfo {
  const type = pteType(e);
  const bits = pteBits(e);
  const f = pteFolio(e);
  const names: string[] = [];
  if (bits & Pte.WRITE) names.push('write');
  if (bits & Pte.YOUNG) names.push('young');
  if (bits & Pte.DIRTY) names.push('dirty');
  if (bits & Pte.SOFT_DIRTY) names.push('soft_dirty');
  if (bits & Pte.UFFD_WP) names.push('uffd_wp');
  if (bits & Pte.ZERO_PFN) names.push('zero_pfn');
  const state = type === Pte.NONE && e === 0 ? 'none' : (PTE_TYPE_NAMES[type] ?? `type${type}`);
  if (state === 'none') return { addr, state, bits: [] };
  return { addr, state, pfn: s.pfn(f) + pteSub(e), folio: tv.folioName(f), bits: names };
}

/** Folios mapped by a process's VMA before the first event or after the last (a mapping breakpoint's folios). */
export function mappingFolios(t: Trace, processName: string, vmaName: string): number[] {
  const out = new Set<number>();
  for (const i of [-1, t.n - 1]) {
    if (i >= t.n) continue;
    const s = t.stateAt(i);
    const p = s.procs.find((x) => x && x.name === processName);
    const v = p?.vmas.find((x) => x.name === vmaName);
    if (!p || !v) continue;
    for (const map of [s.ptes, s.pmds])
      for (const [key, e] of map) {
        if (Math.floor(key / 2 ** 36) !== p.id || e === 0) continue;
        const addr = keyVpn(key) * s.pageSize;
        if (addr >= v.start && addr < v.end) out.add(pteFolio(e));
      }
  }
  return [...out].sort((a, b) => a - b);
}

/** Every event name the engine can emit (its modules register them when loaded), without enter/exit. */
export function engineEventNames(): string[] {
  return knownEventNames().filter((n) => n !== 'enter' && n !== 'exit');
}

/** Declared folio name → id, as the engine named them. */
export function folioIdByName(t: Trace, name: string): number | undefined {
  for (const [id, n] of t.state.names) if (n === name) return id;
  return undefined;
}

// ---------------------------------------------------------------- running the engine

/**
 * Runs the engine on a parsed scenario and wraps the result for the session.
 * Only an unknown profile refuses to start; any other stop of the run (an
 * invariant violation, a budget) keeps the events recorded up to it, so the
 * user can look at how the model got there.
 */
export function runForDebugger(scenario: Scenario, text: string, opts: { profile: string; invariants: boolean; maxEvents?: number }): LoadedRun | { failed: string } {
  const r = run(scenario, { profile: opts.profile, invariants: opts.invariants, maxEvents: opts.maxEvents, deadlineMs: 300_000 });
  if (r.error && r.trace.n === 0 && /unknown kernel profile/.test(r.error.message)) return { failed: r.error.message };
  const taskByLine = new Map<number, string>();
  const declarations: LoadedRun['declarations'] = [];
  const operationLines: number[] = [];
  const userBlock = (proc: string, body: UserStmt[]): void => {
    for (const u of body) {
      taskByLine.set(u.range.start.line, proc);
      if (u.kind === 'mmap' && u.name) declarations.push({ name: u.name.text, line: u.range.start.line, kind: 'mapping', folios: mappingFolios(r.trace, proc, u.name.text) });
    }
  };
  for (const s of scenario.statements) {
    const line = s.range.start.line;
    if (s.kind === 'process' && s.name) userBlock(s.name.text, s.body);
    else if (s.kind === 'in' && s.process) userBlock(s.process.text, s.body);
    else if (s.kind === 'folio' && s.name) {
      const id = r.folios.get(s.name.text);
      if (id !== undefined) declarations.push({ name: s.name.text, line, kind: 'folio', folios: [id] });
    } else if ('headRange' in s) {
      operationLines.push(s.headRange.start.line);
      taskByLine.set(line, taskOf(s));
    }
  }
  const trace = new EngineTraceView(r.trace, { taskOfLine: (l) => taskByLine.get(l) ?? 'kernel', ops: r.ops });
  return {
    trace,
    profile: r.profile,
    lines: text.split(/\r?\n/),
    operationLines,
    declarations,
    error: r.error,
    expects: r.expects.map((e) => ({ line: e.range.start.line, ok: e.ok, message: e.message })),
  };
}

/** The simulated task that runs an operation: `by` when given, else the process it names; internal calls run in a kernel thread. */
function taskOf(op: Operation): string {
  if (op.by) return op.by.text;
  switch (op.kind) {
    case 'migrate_pages_syscall':
    case 'move_pages':
      return op.target?.process?.text ?? (op.target?.pid ? `pid ${op.target.pid.text}` : 'kernel');
    case 'mbind':
    case 'pin':
    case 'migrate_vma':
    case 'numa_fault':
      return op.process?.text ?? 'kernel';
    case 'migrate_pages_internal':
      return 'kernel';
  }
}
