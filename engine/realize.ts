// Compiles a realizable scenario into the action list that parity/runner/runner.c
// runs inside a QEMU guest (format: parity/runner/FORMAT.md). It reads the same
// syntax tree as the engine, so a scenario line and its real-kernel result stay
// tied by line number. A scenario the kernel cannot reproduce from userspace is
// refused with the line that makes it model-only.

import type * as A from '../scenario/ast';
import { check } from '../scenario/checker';

export interface RealizedOp {
  /** 0-based line of the operation */
  line: number;
  kind: A.Operation['kind'];
  /** calling process (`-`: the harness itself, as root) */
  caller: string;
  /** `expect page` lines of this operation, queried on the kernel right after it */
  pages: { line: number; proc: string }[];
}

export interface RealizedCase {
  /** the action list, one action per line */
  actions: string;
  ops: RealizedOp[];
  /** movablecore= for the boot (bytes; 0 = a plain boot): the scenario declares ZONE_MOVABLE */
  movableBytes: bigint;
}

export type RealizeResult = { ok: true; value: RealizedCase } | { ok: false; line: number; message: string };

/** The harness's own NUMA node on a real-kernel run (the runner's pages live there). */
export const HARNESS_NODE = 2;

const MPOL: Record<string, number> = {
  MPOL_DEFAULT: 0, MPOL_PREFERRED: 1, MPOL_BIND: 2, MPOL_INTERLEAVE: 3, MPOL_LOCAL: 4, MPOL_PREFERRED_MANY: 5, MPOL_WEIGHTED_INTERLEAVE: 6,
  MPOL_F_STATIC_NODES: 1 << 15, MPOL_F_RELATIVE_NODES: 1 << 14, MPOL_F_NUMA_BALANCING: 1 << 13,
};
const MF: Record<string, number> = { MPOL_MF_STRICT: 1, MPOL_MF_MOVE: 2, MPOL_MF_MOVE_ALL: 4, MPOL_MF_LAZY: 8 };
const PAGE = 4096n;
/** maxnode as libnuma passes it for a one-word mask: the kernel reads maxnode-1 bits */
const MAXNODE = 65;

class Refusal extends Error {
  constructor(readonly line: number, message: string) {
    super(message);
  }
}

interface MapInfo { size: bigint }

class Compiler {
  out: string[] = [];
  ops: RealizedOp[] = [];
  procs = new Map<string, Map<string, MapInfo>>();
  movable = 0n;
  pageSize = PAGE;

  emit(line: number, ...words: (string | number | bigint)[]): void {
    this.out.push(`${line + 1} ${words.join(' ')}`);
  }

  refuse(node: A.Node, why: string): never {
    throw new Refusal(node.range.start.line, `line ${node.range.start.line + 1}: ${why}`);
  }

  maps(proc: string, at: A.Node): Map<string, MapInfo> {
    const m = this.procs.get(proc);
    if (!m) this.refuse(at, `no process named '${proc}'`);
    return m;
  }

  node(n: A.NumberLit | undefined, at: A.Node): number {
    if (!n) this.refuse(at, 'a node number is missing');
    const v = Number(n.value);
    if (v === HARNESS_NODE) this.refuse(n, `node ${HARNESS_NODE} is the harness's own node on a real-kernel run; name nodes 0 and 1, or a node that does not exist (3 and up) for error cases`);
    return v;
  }

  mask(list: A.NodeList | undefined, at: A.Node): string {
    let m = 0n;
    for (const n of list?.nodes ?? []) {
      const v = this.node(n, at);
      if (v < 0 || v > 63) this.refuse(n, `node ${v} does not fit the runner's one-word node mask`);
      m |= 1n << BigInt(v);
    }
    return `0x${m.toString(16)}`;
  }

  /** An address reference as the runner reads it (PROC:MAP+OFF or a raw number) and its length. */
  addr(proc: string | undefined, ref: A.AddrRef | undefined, at: A.Node): { ref: string; len: bigint } {
    if (!ref) this.refuse(at, 'an address is missing');
    if (!ref.mapping) {
      const a = ref.start?.value ?? 0n;
      const len = ref.end ? ref.end.value - a : this.pageSize;
      return { ref: `0x${a.toString(16)}`, len };
    }
    if (proc === undefined) this.refuse(at, 'which process?');
    const m = this.maps(proc, at).get(ref.mapping.text);
    if (!m) this.refuse(ref.mapping, `process '${proc}' has no mapping named '${ref.mapping.text}'`);
    if (ref.whole) return { ref: `${proc}:${ref.mapping.text}+0`, len: m.size };
    const s = ref.start?.value ?? 0n;
    const len = ref.end ? ref.end.value - s : this.pageSize;
    return { ref: `${proc}:${ref.mapping.text}+${s}`, len };
  }

  prot(words: A.Word[]): string {
    if (words.length === 0) return 'rw';
    if (words.some((w) => w.text === 'none')) return 'none';
    return words.map((w) => w.text[0]).join('');
  }

  flags(f: A.FlagSet | undefined): number {
    if (!f) return 0;
    if (f.raw) return Number(f.raw.value);
    return f.flags.reduce((acc, w) => acc | (MF[w.text] ?? 0), 0);
  }

  mode(w: A.Word | undefined, raw: A.NumberLit | undefined, at: A.Node): number {
    if (raw) return Number(raw.value);
    if (!w) this.refuse(at, 'a policy mode is missing');
    const v = w.text.split('|').reduce((acc, p) => acc | (MPOL[p] ?? NaN), 0);
    if (Number.isNaN(v)) this.refuse(w, `unknown policy mode '${w.text}'`);
    return v;
  }

  uid(u: A.Word | A.NumberLit | undefined): number {
    if (!u) return 0;
    if ('value' in u) return Number(u.value);
    return u.text === 'nobody' ? 65534 : 0;
  }

  process(s: A.ProcessStmt): void {
    const name = s.name?.text;
    if (!name) this.refuse(s, 'a process needs a name');
    if (!/^[A-Za-z_][\w.-]*$/.test(name)) this.refuse(s, `process name '${name}' cannot be passed to the runner`);
    const uid = this.uid(s.user);
    const nice = s.capSysNice ? 1 : 0;
    const cpu = s.cpuNode ? this.node(s.cpuNode, s) : 0;
    if (s.forkOf) {
      const parent = this.maps(s.forkOf.text, s.forkOf);
      this.procs.set(name, new Map([...parent].map(([k, v]) => [k, { ...v }])));
      this.emit(s.range.start.line, 'fork', name, s.forkOf.text, uid, nice, cpu);
    } else {
      this.procs.set(name, new Map());
      this.emit(s.range.start.line, 'proc', name, uid, nice, cpu);
    }
    this.body(name, s.body);
  }

  body(proc: string, body: A.UserStmt[]): void {
    for (const u of body) this.user(proc, u);
  }

  user(proc: string, u: A.UserStmt): void {
    const line = u.range.start.line;
    switch (u.kind) {
      case 'error':
        this.refuse(u, `the line does not parse: ${u.message}`);
      // falls through (refuse never returns)
      case 'mmap': {
        const name = u.name?.text;
        if (!name || !u.size) this.refuse(u, 'mmap needs a name and a size');
        if (!/^[A-Za-z_][\w.-]*$/.test(name)) this.refuse(u, `mapping name '${name}' cannot be passed to the runner`);
        const backing = u.backing?.text ?? 'anon';
        const sharing = u.sharing?.text ?? 'private';
        this.maps(proc, u).set(name, { size: u.size.value });
        this.emit(line, 'mmap', proc, name, backing, sharing, u.size.value, u.align?.value ?? 0n, u.thp?.text ?? '-', u.at ? `0x${u.at.value.toString(16)}` : '-', this.prot(u.prot));
        return;
      }
      case 'touch': {
        const a = this.addr(proc, u.target, u);
        this.emit(line, 'touch', proc, a.ref, a.len, u.access?.text ?? 'write', u.onNode ? this.node(u.onNode, u) : '-');
        return;
      }
      case 'munmap':
      case 'mlock': {
        const a = this.addr(proc, u.target, u);
        this.emit(line, u.kind, proc, a.ref, a.len);
        return;
      }
      case 'mprotect': {
        const a = this.addr(proc, u.target, u);
        this.emit(line, 'mprotect', proc, a.ref, a.len, this.prot(u.prot));
        return;
      }
      case 'mremap': {
        const a = this.addr(proc, u.target, u);
        const nn = u.newName?.text;
        if (!nn) this.refuse(u, 'mremap needs a name for the moved part (as NAME)');
        this.maps(proc, u).set(nn, { size: a.len });
        this.emit(line, 'mremap', proc, a.ref, a.len, nn, u.at ? `0x${u.at.value.toString(16)}` : '-');
        return;
      }
      case 'policy': {
        this.emit(line, 'policy', proc, this.mode(u.mode, undefined, u), this.mask(u.nodes, u));
        return;
      }
    }
  }

  target(t: A.Target | undefined, at: A.Node): string {
    if (!t) this.refuse(at, 'which process?');
    if (t.process) {
      this.maps(t.process.text, t.process);
      return t.process.text;
    }
    if (t.pid) return `pid:${t.pid.value}`;
    this.refuse(at, 'which process?');
  }

  operation(op: A.Operation): void {
    const line = op.range.start.line;
    const head = { range: op.headRange };
    let caller = op.by?.text;
    if (caller !== undefined) this.maps(caller, op.by!);
    switch (op.kind) {
      case 'migrate_pages_syscall': {
        const target = this.target(op.target, head);
        caller ??= op.target?.process?.text ?? '-';
        this.emit(line, 'op', 'migrate_pages', caller, target, op.maxnode ? op.maxnode.value : MAXNODE, this.mask(op.from, head), this.mask(op.to, head));
        break;
      }
      case 'move_pages': {
        const target = this.target(op.target, head);
        caller ??= op.target?.process?.text ?? '-';
        const proc = op.target?.process?.text;
        const addrs = op.pages.map((p) => this.addr(proc, p, p).ref);
        if (addrs.length === 0) this.refuse(head, 'move_pages needs at least one page');
        const nodes = op.nodes ? op.nodes.map((n) => this.node(n, head)).join(',') : '-';
        this.emit(line, 'op', 'move_pages', caller, target, this.flags(op.flags), addrs.join(','), nodes);
        break;
      }
      case 'mbind': {
        const proc = op.process?.text;
        if (!proc) this.refuse(head, 'mbind: which process?');
        caller ??= proc;
        if (caller !== proc) this.refuse(op.by!, 'mbind acts on the calling process: `by` another process cannot be run');
        const a = this.addr(proc, op.addr, head);
        const modeFlags = (op.modeFlags ?? []).reduce((acc, w) => acc | (MPOL[w.text] ?? 0), 0);
        this.emit(line, 'op', 'mbind', caller, a.ref, a.len, this.mode(op.mode, op.modeRaw, head) | modeFlags, MAXNODE, this.mask(op.nodes, head), this.flags(op.flags));
        break;
      }
      case 'pin': {
        const proc = op.process?.text;
        if (!proc) this.refuse(head, 'pin: which process?');
        if (op.retries) this.refuse(op.retries, 'a retry bound on FOLL_LONGTERM migration is a proposal from the seed thread; no released kernel has it (model-only)');
        caller ??= proc;
        if (caller !== proc) this.refuse(op.by!, 'a pin is taken by the process that owns the memory: `by` another process cannot be run');
        const a = this.addr(proc, op.addr, head);
        this.emit(line, 'op', 'pin', caller, a.ref, a.len, op.pinKind?.text ?? 'longterm');
        break;
      }
      case 'migrate_vma':
        this.refuse(head, 'migrate_vma needs a device driver (TEST_HMM), which the real kernels here lack (model-only)');
      // falls through
      case 'numa_fault':
        this.refuse(head, 'a NUMA-hinting fault cannot be triggered on demand from userspace (model-only)');
      // falls through
      case 'migrate_pages_internal':
        this.refuse(head, 'the internal migrate_pages() on a hand-built folio list is model-only');
    }
    const pages: RealizedOp['pages'] = [];
    for (const e of op.expects) {
      if (e.kind !== 'expect_page') continue;
      const proc = e.process?.text;
      if (!proc) this.refuse(e, 'expect page: which process?');
      const a = this.addr(proc, e.at, e);
      this.emit(e.range.start.line, 'page', line + 1, proc, a.ref, 1);
      pages.push({ line: e.range.start.line, proc });
    }
    this.ops.push({ line, kind: op.kind, caller: caller ?? '-', pages });
  }

  run(sc: A.Scenario, name: string): RealizedCase {
    this.out.push(`0 case ${name.replace(/[^\w.-]+/g, '_')}`);
    for (const s of sc.statements) {
      switch (s.kind) {
        case 'scenario':
        case 'kernel':
          break;
        case 'defaults':
          if (s.key.text === 'pagesize' && s.value && s.value.value !== PAGE) this.refuse(s, 'real x86-64 kernels have 4K pages');
          if (s.key.text === 'pmdsize' && s.value && s.value.value !== 2n << 20n) this.refuse(s, 'real x86-64 kernels have 2M PMDs');
          break;
        case 'node': {
          const id = this.node(s.id, s);
          if (id > 1) this.refuse(s, `a real-kernel run has nodes 0 and 1, not ${id}`);
          if (s.hugepages) this.emit(s.range.start.line, 'hugepages', id, s.hugepages.value);
          if (s.movable) this.movable += s.movable.value;
          if (s.cma) this.refuse(s.cma, 'CMA areas cannot be declared on a real kernel here (model-only)');
          break;
        }
        case 'process':
          this.process(s);
          break;
        case 'in':
          if (!s.process) this.refuse(s, 'in: which process?');
          this.maps(s.process.text, s.process);
          this.body(s.process.text, s.body);
          break;
        case 'config':
          if (s.value?.text !== 'y') this.refuse(s, `the real x86-64 kernels enable CONFIG_${s.option?.text ?? '?'}`);
          break;
        case 'folio':
          this.refuse(s, 'a folio built directly is kernel-level state (model-only)');
        // falls through
        case 'inject':
          this.refuse(s, 'fault injection is model-only');
        // falls through
        case 'error':
          this.refuse(s, `the line does not parse: ${s.message}`);
        // falls through
        default:
          this.operation(s);
      }
    }
    return { actions: this.out.join('\n') + '\n', ops: this.ops, movableBytes: this.movable };
  }
}

/**
 * The action list for a scenario, or the line that keeps it model-only.
 * `name` labels the case in the runner's output (a file name, say).
 */
export function realize(scenario: A.Scenario, name: string): RealizeResult {
  const checked = check(scenario);
  if (checked.modelOnly) return { ok: false, line: checked.modelOnly.range.start.line, message: checked.modelOnly.reason };
  const errors = checked.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) return { ok: false, line: errors[0].range.start.line, message: `line ${errors[0].range.start.line + 1}: ${errors[0].message}` };
  try {
    return { ok: true, value: new Compiler().run(scenario, name) };
  } catch (e) {
    if (e instanceof Refusal) return { ok: false, line: e.line, message: e.message };
    throw e;
  }
}
