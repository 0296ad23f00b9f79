// Semantic checks over a parsed scenario. Two kinds of finding:
//   errors   — the scenario cannot run (an unknown name, a size that does not
//              fit, a word the kernel has no meaning for);
//   warnings — the scenario runs, but a syscall gets an argument the kernel
//              rejects; the message says what the kernel will return, because
//              scenarios pass bad arguments on purpose to test errnos.
// Every diagnostic has a stable code; quick fixes read data.suggestion.
// One pass over the tree with map lookups: linear in the scenario size.

import type * as A from './ast';
import { collectSymbols, collectSymbolsSteps, lookup, namesOf, nodeName, type SymbolTable } from './symbols';
import { collectSymbolsIncremental, derivedFrom } from './symbols-incremental';
import { DEFAULT_PROFILE, PROFILE_NAMES, isProfile } from './profiles';
import { sameRange } from './range';
import { editDistance, nearest } from './suggest';
import * as V from './vocab';
import { inChunks, runSteps, type Steps } from './steps';

export interface CheckResult {
  diagnostics: A.Diagnostic[];
  /** true when the scenario uses only constructs a real kernel can run (header, machine, user setup, syscalls, pins, expectations) */
  realizable: boolean;
  /** the first line that makes the scenario model-only */
  modelOnly?: { range: A.Range; reason: string };
}

const MAX_NUMNODES = 1024n;
/** MAX_PAGE_ORDER (formerly MAX_ORDER - 1) on x86-64 with 4K pages */
const MAX_PAGE_ORDER = 10n;
/** Nodes a real-kernel run (QEMU, see reference/real-kernel-recipe.md) can provide. */
const REAL_MAX_NODE = 1n;
const REAL_MAX_MEMORY = 1n << 30n;
/** Names compared for a did-you-mean; beyond this a suggestion costs more than it helps. */
const MAX_SUGGESTION_CANDIDATES = 200;
/** Unknown names that get a did-you-mean; a file with thousands of them gets plain errors after that. */
const MAX_SUGGESTIONS = 500;

/** `8192` → `8K`: the largest binary suffix that divides exactly. */
export function formatSize(v: bigint): string {
  for (const [s, m] of [['T', 40n], ['G', 30n], ['M', 20n], ['K', 10n]] as const) {
    const unit = 1n << m;
    if (v !== 0n && v % unit === 0n) return `${v / unit}${s}`;
  }
  return String(v);
}

function isPow2(v: bigint): boolean {
  return v > 0n && (v & (v - 1n)) === 0n;
}

function roundUp(v: bigint, to: bigint): bigint {
  return ((v + to - 1n) / to) * to;
}

interface ProcInfo {
  stmt: A.ProcessStmt;
  privileged: boolean; // root or CAP_SYS_NICE
  uid: string;
}

interface MapInfo {
  size?: bigint;
  hugetlb: boolean;
}

/** A change a statement's check makes to the state that later statements read. */
type Effect =
  | { k: 'map'; proc: string; name: string; info: MapInfo }
  | { k: 'rooted'; name: string }
  | { k: 'node' }
  | { k: 'model'; range: A.Range; why: string };

function sameEffect(a: Effect, b: Effect): boolean {
  switch (a.k) {
    case 'map':
      return b.k === 'map' && a.proc === b.proc && a.name === b.name && a.info.size === b.info.size && a.info.hugetlb === b.info.hugetlb;
    case 'rooted':
      return b.k === 'rooted' && a.name === b.name;
    case 'node':
      return b.k === 'node';
    case 'model':
      return b.k === 'model' && a.why === b.why && sameRange(a.range, b.range);
  }
}

function sameEffects(a: readonly Effect[] | undefined, b: readonly Effect[] | undefined): boolean {
  if (!a || !b) return !a === !b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameEffect(a[i], b[i])) return false;
  return true;
}

interface CheckContext {
  profile: string;
  pageSize: bigint;
  pmdSize: bigint;
  nodes: ReadonlySet<string>;
  procs: ReadonlyMap<string, ProcInfo>;
}

/** What a check leaves for the next version's: per statement, its diagnostics and effects. */
interface CheckMemo {
  stmts: readonly A.Statement[];
  table: SymbolTable;
  /** diagnostics[first + diagEnd[i-1] .. first + diagEnd[i]) are statement i's */
  first: number;
  diagEnd: Int32Array;
  effects: (readonly Effect[] | undefined)[];
  diagnostics: A.Diagnostic[];
  context: CheckContext;
}
const memos = new WeakMap<CheckResult, CheckMemo>();

class Checker {
  diags: A.Diagnostic[] = [];
  table: SymbolTable;
  profile = DEFAULT_PROFILE;
  pageSize = 4096n;
  pmdSize = 2n << 20n;
  procs = new Map<string, ProcInfo>();
  /** process → mapping → size, for range checks (nested maps: no key string built per address) */
  maps = new Map<string, Map<string, MapInfo>>();
  nodes = new Set<string>();
  modelOnly?: { range: A.Range; reason: string };
  candidates = new Map<string, string[]>();
  suggested = 0;
  forkRooted = new Set<string>();

  constructor(readonly scenario: A.Scenario) {
    this.table = collectSymbols(scenario);
  }

  report(range: A.Range, severity: A.Severity, code: string, message: string, data?: A.Diagnostic['data']): void {
    this.diags.push({ range, severity, code, message, ...(data ? { data } : {}) });
  }
  error(range: A.Range, code: string, message: string, data?: A.Diagnostic['data']): void {
    this.report(range, 'error', code, message, data);
  }
  warn(range: A.Range, code: string, message: string, data?: A.Diagnostic['data']): void {
    this.report(range, 'warning', code, message, data);
  }

  markModelOnly(range: A.Range, why: string): void {
    if (this.modelOnly) return;
    this.setModelOnly(range, why);
    this.effect({ k: 'model', range, why });
  }

  /** The reason names the line as it is now: a replayed effect's statement may have moved (scenario/incremental.ts). */
  private setModelOnly(range: A.Range, why: string): void {
    this.modelOnly = { range, reason: `model-only: line ${range.start.line + 1} ${why}` };
  }

  // ------------------------------------------------------------ effects (for the next version's check)

  /** what the statement being checked changed in the state later statements read (checkIncremental) */
  private fx: Effect[] | undefined;

  effect(e: Effect): void {
    (this.fx ??= []).push(e);
  }

  /** Re-applies a statement's recorded effects, as if it had been checked again. */
  replay(effects: readonly Effect[]): void {
    for (const e of effects) {
      if (e.k === 'map') this.putMap(e.proc, e.name, e.info);
      else if (e.k === 'rooted') this.forkRooted.add(e.name);
      else if (e.k === 'node') this.sawNode = true;
      else this.setModelOnly(e.range, e.why);
    }
  }

  /** A word from a fixed list; an unknown one is an error with the nearest spelling. */
  vocab(w: A.Word | undefined, list: readonly string[], code: string, what: string): boolean {
    if (!w) return false;
    if (V.isIn(list, w.text)) return true;
    const s = nearest(w.text, list);
    this.error(w.range, code, `unknown ${what} '${w.text}'${s ? `; did you mean '${s}'?` : ''}`, s ? { suggestion: s } : undefined);
    return false;
  }

  // ------------------------------------------------------------ names

  checkNames(): void {
    for (const [, decls] of this.table.byKey) {
      if (decls.length < 2) continue;
      const first = decls[0];
      for (const d of decls.slice(1)) {
        const where = d.kind === 'mapping' ? ` in process ${d.scope}` : '';
        this.error(d.range, 'duplicate-name', `${d.kind} ${d.name}${where} is already declared on line ${first.range.start.line + 1}`);
      }
    }
    for (const r of this.table.refs) {
      if (r.decl || r.kind === 'node') continue; // nodes are checked where they are used, with the kernel's errno
      // A mapping of an unknown process: the process name already has its diagnostic.
      if (r.kind === 'mapping' && (r.scope === undefined || !lookup(this.table, 'process', r.scope))) continue;
      const ck = `${r.kind}:${r.scope ?? ''}`;
      let candidates = this.candidates.get(ck);
      if (!candidates) {
        // Computed once per kind and scope, and bounded, so many unknown names stay linear.
        candidates = namesOf(this.table, r.kind, r.scope).slice(0, MAX_SUGGESTION_CANDIDATES);
        this.candidates.set(ck, candidates);
      }
      const s = this.suggested++ < MAX_SUGGESTIONS ? nearest(r.name, candidates) : undefined;
      const where = r.kind === 'mapping' ? (r.scope !== undefined ? ` in process ${r.scope}` : '') : '';
      this.error(r.range, 'unknown-name', `no ${r.kind} named '${r.name}'${where}${s ? `; did you mean '${s}'?` : ''}`, s ? { suggestion: s } : undefined);
    }
  }

  // ------------------------------------------------------------ helpers

  nodeDeclared(n: A.NumberLit): boolean {
    return this.nodes.has(nodeName(n.value));
  }

  /** A node used by the scenario's own setup or expectations: it must exist. */
  requireNode(n: A.NumberLit | undefined): void {
    if (!n || this.nodeDeclared(n)) return;
    this.error(n.range, 'unknown-node', `node ${n.text} is not declared (declare it with \`node ${n.text} memory 1G\`)`);
  }

  mapInfo(process: string | undefined, a: A.AddrRef | undefined): MapInfo | undefined {
    if (!a?.mapping || process === undefined) return undefined;
    const d = lookup(this.table, 'mapping', a.mapping.text, process);
    if (!d) return undefined;
    return this.maps.get(d.scope ?? '')?.get(d.name);
  }

  /**
   * Check an address against its mapping. For user setup a bad range is an error;
   * for a syscall it is a warning naming the kernel's answer (`kernelSays`).
   */
  checkAddr(process: string | undefined, a: A.AddrRef | undefined, kernelSays?: string): void {
    if (!a) return;
    const report = (code: string, msg: string, data?: A.Diagnostic['data']): void => {
      if (kernelSays) this.warn(a.range, code, `${kernelSays}: ${msg}`, data);
      else this.error(a.range, code, msg, data);
    };
    if (a.end && a.start && a.end.value <= a.start.value) {
      report('empty-range', `the range [${a.start.text}..${a.end.text}) is empty`);
      return;
    }
    const m = this.mapInfo(process, a);
    if (!m || m.size === undefined) return;
    const name = a.mapping!.text;
    if (a.start && a.start.value >= m.size) {
      report('out-of-range', `offset ${a.start.text} is outside mapping ${name} (${formatSize(m.size)})`);
    } else if (a.end && a.end.value > m.size) {
      report('out-of-range', `the range ends at ${a.end.text}, beyond mapping ${name} (${formatSize(m.size)})`, { suggestion: formatSize(m.size) });
    }
  }

  /** A syscall range that must start page aligned (mbind, munmap, mprotect, migrate_vma). */
  checkAligned(a: A.AddrRef | undefined, syscall: string, hugetlb = false): void {
    if (!a?.start) return;
    const unit = hugetlb ? this.pmdSize : this.pageSize;
    if (a.start.value % unit !== 0n) {
      this.warn(a.start.range, 'unaligned-start', `${syscall} returns EINVAL: start is not ${hugetlb ? 'huge-page' : 'page'} aligned`, {
        suggestion: formatSize((a.start.value / unit) * unit) || '0',
      });
    }
  }

  callerPrivileged(caller: string | undefined): boolean {
    if (caller === undefined) return true;
    return this.procs.get(caller)?.privileged ?? true;
  }

  // ------------------------------------------------------------ statements

  /** The checks, pausing after every `every` statements of the main pass (checkSteps). */
  *steps(every: number): Steps<CheckResult> {
    const stmts = this.scenario.statements;
    // Header first: the profile decides some checks below.
    let kernel: A.KernelStmt | undefined;
    let scenarioStmt: A.ScenarioStmt | undefined;
    const configs = new Map<string, A.ConfigStmt>();
    for (const s of stmts) {
      if (s.kind === 'config' && s.option) {
        const before = configs.get(s.option.text);
        if (before) this.error(s.range, 'duplicate-config', `${s.option.text} is already set on line ${before.range.start.line + 1}`);
        else configs.set(s.option.text, s);
      } else if (s.kind === 'kernel') {
        if (kernel) this.error(s.range, 'duplicate-kernel', `the kernel profile is already chosen on line ${kernel.range.start.line + 1}`);
        else kernel = s;
      } else if (s.kind === 'scenario') {
        if (scenarioStmt) this.warn(s.range, 'duplicate-scenario', `the scenario title is already given on line ${scenarioStmt.range.start.line + 1}`);
        else scenarioStmt = s;
      } else if (s.kind === 'defaults' && s.value) {
        this.checkDefaults(s);
      }
    }
    if (kernel?.profile) {
      if (isProfile(kernel.profile.text)) this.profile = kernel.profile.text;
      else {
        const s = nearestProfile(kernel.profile.text);
        this.error(kernel.profile.range, 'unknown-profile', `no kernel profile '${kernel.profile.text}'; did you mean '${s}'? (profiles: ${PROFILE_NAMES.join(', ')})`, { suggestion: s });
      }
    } else if (!kernel) {
      const at = scenarioStmt ? scenarioStmt.range.end.line + 1 : 0;
      this.report({ start: { line: at, character: 0 }, end: { line: at, character: 0 } }, 'information', 'missing-kernel', `no \`kernel\` line: the scenario runs on the newest profile, ${DEFAULT_PROFILE}`, {
        suggestion: `kernel ${DEFAULT_PROFILE}`,
        line: at,
      });
    }

    // Declarations that later statements check against.
    for (const s of stmts) {
      if (s.kind === 'node' && s.id) this.nodes.add(nodeName(s.id.value));
      if (s.kind === 'process' && s.name) {
        const u = s.user;
        const uid = u ? u.text : 'root';
        const privileged = uid === 'root' || uid === '0' || !!s.capSysNice;
        if (!this.procs.has(s.name.text)) this.procs.set(s.name.text, { stmt: s, privileged, uid });
      }
    }
    this.checkNames();

    // The main pass, where statement order matters. With the previous version's memo, a statement
    // that is the same object as before, reached in the same state, gives what it gave then.
    const prev = this.prev && this.sameContext(this.prev) ? this.prev : undefined;
    const first = this.diags.length;
    const diagEnd = new Int32Array(stmts.length);
    const effects: (readonly Effect[] | undefined)[] = new Array(stmts.length);
    /** whether the state (maps, roots, sawNode, modelOnly) may differ from the previous version's at this statement */
    let diverged = !prev;
    yield* inChunks(stmts.length, every, (from, to) => {
      for (let i = from; i < to; i++) {
        const s = stmts[i];
        if (!diverged && s === prev!.stmts[i]) {
          const p = prev!;
          const lo = p.first + (i === 0 ? 0 : p.diagEnd[i - 1]);
          const hi = p.first + p.diagEnd[i];
          for (let k = lo; k < hi; k++) this.diags.push(p.diagnostics[k]);
          const fx = p.effects[i];
          if (fx) this.replay(fx);
          effects[i] = fx;
        } else {
          this.fx = undefined;
          this.checkStatement(s);
          effects[i] = this.fx;
          if (!diverged && !sameEffects(this.fx, prev!.effects[i])) diverged = true;
        }
        diagEnd[i] = this.diags.length - first;
      }
    });
    const result: CheckResult = { diagnostics: this.diags, realizable: !this.modelOnly, ...(this.modelOnly ? { modelOnly: this.modelOnly } : {}) };
    memos.set(result, { stmts, table: this.table, first, diagEnd, effects, diagnostics: this.diags, context: this.context() });
    return result;
  }

  /** The previous version's memo, when the caller has one (checkSteps). */
  prev?: CheckMemo;

  /** What every statement's check reads besides the statement and the ordered state. */
  context(): CheckContext {
    return { profile: this.profile, pageSize: this.pageSize, pmdSize: this.pmdSize, nodes: this.nodes, procs: this.procs };
  }

  /** Whether per-statement results of `prev` hold here: same global context, and a table made from prev's (same declarations). */
  sameContext(prev: CheckMemo): boolean {
    if (prev.stmts.length !== this.scenario.statements.length || !derivedFrom(this.table, prev.table)) return false;
    const a = prev.context;
    const b = this.context();
    if (a.profile !== b.profile || a.pageSize !== b.pageSize || a.pmdSize !== b.pmdSize) return false;
    if (a.nodes.size !== b.nodes.size || a.procs.size !== b.procs.size) return false;
    for (const n of b.nodes) if (!a.nodes.has(n)) return false;
    for (const [name, p] of b.procs) {
      const q = a.procs.get(name);
      if (!q || q.uid !== p.uid || q.privileged !== p.privileged) return false;
    }
    return true;
  }

  /** whether a node was declared above the statement being checked */
  sawNode = false;

  checkStatement(s: A.Statement): void {
    switch (s.kind) {
      case 'node':
        if (!this.sawNode) this.effect({ k: 'node' });
        this.sawNode = true;
        this.checkNode(s);
        break;
      case 'process':
        this.checkProcess(s);
        for (const u of s.body) this.checkUser(u, s.name?.text);
        break;
      case 'in':
        for (const u of s.body) this.checkUser(u, s.process?.text);
        break;
      case 'folio':
        this.markModelOnly(s.range, 'declares a kernel-level folio');
        this.checkFolio(s);
        break;
      case 'inject':
        this.markModelOnly(s.range, 'injects a fault');
        this.checkInject(s);
        break;
      case 'config':
        this.checkConfig(s);
        break;
      case 'scenario':
      case 'kernel':
      case 'defaults':
      case 'error':
        break;
      default:
        if (!this.sawNode) this.error(s.headRange, 'no-node', `\`${s.kind.replace(/_(syscall|internal)$/, '')}\` runs before any node is declared: declare the machine first (node 0 memory 1G)`);
        this.checkOperation(s);
    }
  }

  checkDefaults(s: A.DefaultsStmt): void {
    const v = s.value!;
    if (!isPow2(v.value)) {
      this.error(v.range, 'not-power-of-two', `${s.key.text} must be a power of two`);
      return;
    }
    if (s.key.text === 'pagesize') {
      if (v.value !== 4096n) this.error(v.range, 'unsupported-pagesize', 'the model supports 4K base pages only (x86-64)', { suggestion: '4K' });
      this.pageSize = v.value;
    } else {
      if (v.value !== 2n << 20n) this.error(v.range, 'unsupported-pmdsize', 'the model supports a 2M PMD only (x86-64 with 4K pages)', { suggestion: '2M' });
      this.pmdSize = v.value;
    }
  }

  checkNode(s: A.NodeStmt): void {
    if (s.id && s.id.value >= MAX_NUMNODES) this.error(s.id.range, 'node-out-of-range', `node ids go up to ${MAX_NUMNODES - 1n} (MAX_NUMNODES)`);
    if (!s.memory) {
      if (s.id) this.error(s.range, 'missing-memory', `node ${s.id.text} needs \`memory SIZE\``, { suggestion: 'memory 1G' });
      return;
    }
    const mem = s.memory.value;
    if (mem <= 0n) this.error(s.memory.range, 'bad-size', 'a node needs some memory');
    else if (mem % this.pageSize !== 0n) this.error(s.memory.range, 'misaligned', 'node memory must be a multiple of the page size', { suggestion: formatSize(roundUp(mem, this.pageSize)) });
    const zones = (s.movable?.value ?? 0n) + (s.cma?.value ?? 0n);
    if (zones > mem) this.error((s.movable ?? s.cma)!.range, 'zone-too-large', `movable and CMA areas (${formatSize(zones)}) do not fit in the node's ${formatSize(mem)}`);
    for (const z of [s.movable, s.cma]) {
      if (z && z.value % this.pageSize !== 0n) this.error(z.range, 'misaligned', 'zone sizes are page multiples', { suggestion: formatSize(roundUp(z.value, this.pageSize)) });
    }
    if (s.hugepages && s.hugepages.value * this.pmdSize > mem) this.error(s.hugepages.range, 'zone-too-large', `${s.hugepages.text} huge pages of 2M do not fit in ${formatSize(mem)}`);
    if (s.cma) this.markModelOnly(s.cma.range, 'declares a CMA area');
    if (s.id && s.id.value > REAL_MAX_NODE) this.markModelOnly(s.range, `declares node ${s.id.text} (a real-kernel run has nodes 0 and 1)`);
    else if (mem > REAL_MAX_MEMORY) this.markModelOnly(s.range, `gives node ${s.id?.text ?? '?'} more than 1G`);
  }

  checkProcess(s: A.ProcessStmt): void {
    const u = s.user;
    if (u && 'value' in u) {
      if (u.value < 0n || u.value >= 1n << 32n) this.error(u.range, 'bad-uid', 'a uid is a 32-bit unsigned number');
    } else if (u) this.vocab(u as A.Word, V.USERS, 'unknown-user', 'user (root, nobody or a uid)');
    if (s.forkOf && s.name && s.forkOf.text === s.name.text) this.error(s.forkOf.range, 'fork-self', 'a process cannot fork itself');
    else if (s.forkOf && s.name) {
      // A cycle through fork parents would make mapping lookups ambiguous.
      // Ancestors already known to end in a root stop the walk: linear over a long fork chain.
      const seen = new Set<string>([s.name.text]);
      let p: string | undefined = s.forkOf.text;
      while (p !== undefined && !this.forkRooted.has(p)) {
        if (seen.has(p)) {
          this.error(s.forkOf.range, 'fork-cycle', `fork cycle through process ${p}`);
          break;
        }
        seen.add(p);
        p = this.table.forkParent.get(p);
      }
      if (p === undefined || this.forkRooted.has(p)) {
        for (const x of seen) {
          if (this.forkRooted.has(x)) continue;
          this.forkRooted.add(x);
          this.effect({ k: 'rooted', name: x });
        }
      }
    }
    this.requireNode(s.cpuNode);
  }

  checkUser(u: A.UserStmt, proc: string | undefined): void {
    switch (u.kind) {
      case 'mmap':
        this.checkMmap(u, proc);
        break;
      case 'touch':
        this.checkAddr(proc, u.target);
        this.requireNode(u.onNode);
        break;
      case 'munmap':
        this.checkAddr(proc, u.target);
        this.checkAligned(u.target, 'munmap(2)', this.mapInfo(proc, u.target)?.hugetlb);
        break;
      case 'mprotect': {
        this.checkAddr(proc, u.target);
        this.checkAligned(u.target, 'mprotect(2)', this.mapInfo(proc, u.target)?.hugetlb);
        if (u.prot.length > 1 && u.prot.some((p) => p.text === 'none')) this.warn(u.range, 'prot-none-mixed', '`none` with other protections: none is ignored');
        break;
      }
      case 'mremap': {
        this.checkAddr(proc, u.target);
        this.checkAligned(u.target, 'mremap(2)', this.mapInfo(proc, u.target)?.hugetlb);
        const m = this.mapInfo(proc, u.target);
        if (u.newName && proc !== undefined) {
          let size = m?.size;
          if (u.target && !u.target.whole && u.target.start) size = (u.target.end?.value ?? u.target.start.value + this.pageSize) - u.target.start.value;
          this.setMap(proc, u.newName.text, { size, hugetlb: m?.hugetlb ?? false });
        }
        if (u.at && u.at.value % this.pageSize !== 0n) this.warn(u.at.range, 'unaligned-start', 'mremap(2) returns EINVAL: the new address is not page aligned');
        break;
      }
      case 'mlock':
        this.checkAddr(proc, u.target);
        break;
      case 'policy':
        this.checkPolicyMode(u.mode, u.modeFlags, u.nodes, 'set_mempolicy(2)', u.range);
        break;
      case 'error':
        break;
    }
  }

  checkMmap(s: A.MmapStmt, proc: string | undefined): void {
    const hugetlb = s.backing?.text === 'hugetlb';
    if (s.size) {
      const unit = hugetlb ? this.pmdSize : this.pageSize;
      if (s.size.value <= 0n) this.error(s.size.range, 'bad-size', 'a mapping needs a size above 0');
      else if (s.size.value % unit !== 0n) {
        this.error(s.size.range, 'misaligned', hugetlb ? 'a hugetlb mapping is a multiple of the 2M huge page size' : 'a mapping size is a multiple of the page size (4K)', {
          suggestion: formatSize(roundUp(s.size.value, unit)),
        });
      }
    }
    if (s.align) {
      if (!isPow2(s.align.value)) this.error(s.align.range, 'not-power-of-two', 'an alignment is a power of two', { suggestion: formatSize(1n << BigInt(s.align.value.toString(2).length)) });
      else if (s.align.value < this.pageSize) this.error(s.align.range, 'bad-align', 'an alignment below the page size means nothing', { suggestion: '4K' });
    }
    if (s.at && s.at.value % this.pageSize !== 0n) this.error(s.at.range, 'misaligned', 'a fixed mapping address is page aligned', { suggestion: `0x${roundUp(s.at.value, this.pageSize).toString(16)}` });
    if (hugetlb && s.thp) this.warn(s.thp.range, 'thp-on-hugetlb', 'THP advice does nothing on a hugetlb mapping (madvise(MADV_HUGEPAGE) returns EINVAL)');
    if (s.prot.length > 1 && s.prot.some((p) => p.text === 'none')) this.warn(s.range, 'prot-none-mixed', '`none` with other protections: none is ignored');
    if (s.name && proc !== undefined && !this.maps.get(proc)?.has(s.name.text)) this.setMap(proc, s.name.text, { size: s.size?.value, hugetlb });
  }

  setMap(proc: string, name: string, info: MapInfo): void {
    this.effect({ k: 'map', proc, name, info });
    this.putMap(proc, name, info);
  }

  private putMap(proc: string, name: string, info: MapInfo): void {
    let inProc = this.maps.get(proc);
    if (!inProc) this.maps.set(proc, (inProc = new Map()));
    inProc.set(name, info);
  }

  checkPolicyMode(mode: A.Word | undefined, modeFlags: A.Word[] | undefined, nodes: A.NodeList | undefined, syscall: string, range: A.Range): void {
    if (!mode) return;
    if (!this.vocab(mode, V.MPOL_MODES, 'unknown-mode', 'memory policy mode')) return;
    for (const f of modeFlags ?? []) this.vocab(f, V.MPOL_MODE_FLAGS, 'unknown-flag', 'mode flag');
    const m = mode.text;
    if (m === 'MPOL_WEIGHTED_INTERLEAVE' && this.profile !== '6.12') this.warn(mode.range, 'mode-not-in-profile', `${syscall} returns EINVAL: MPOL_WEIGHTED_INTERLEAVE exists from v6.9, not in ${this.profile}`);
    const hasNodes = !!nodes && nodes.nodes.length > 0;
    if ((m === 'MPOL_DEFAULT' || m === 'MPOL_LOCAL') && hasNodes) this.warn(nodes!.range, 'policy-nodes', `${syscall} returns EINVAL: ${m} takes no nodes`);
    if (['MPOL_BIND', 'MPOL_INTERLEAVE', 'MPOL_PREFERRED_MANY', 'MPOL_WEIGHTED_INTERLEAVE'].includes(m) && !hasNodes) this.warn(range, 'policy-nodes', `${syscall} returns EINVAL: ${m} needs a non-empty node mask`);
    if (hasNodes) {
      const bad = nodes!.nodes.filter((n) => !this.nodeDeclared(n));
      if (bad.length === nodes!.nodes.length) this.warn(nodes!.range, 'unknown-node', `${syscall} returns EINVAL: none of the nodes has memory (not declared)`);
      else for (const n of bad) this.warn(n.range, 'unknown-node', `node ${n.text} is not declared: the kernel drops it from the mask (no memory)`);
    }
  }

  checkFolio(s: A.FolioStmt): void {
    if (!s.folioKind && s.name) this.error(s.name.range, 'missing-argument', `folio ${s.name.text} needs a kind (${V.FOLIO_KINDS.join(', ')})`, { suggestion: 'anon' });
    if (!s.node && s.name) this.error(s.name.range, 'missing-argument', `folio ${s.name.text} needs \`node N\``);
    this.requireNode(s.node);
    if (s.order) {
      const kind = s.folioKind?.text;
      const pmdOrder = BigInt(this.pmdSize.toString(2).length - this.pageSize.toString(2).length);
      if (s.order.value < 0n || s.order.value > MAX_PAGE_ORDER) this.error(s.order.range, 'order-too-large', `order ${s.order.text} is beyond MAX_PAGE_ORDER (${MAX_PAGE_ORDER}) for 4K pages`);
      else if (kind !== 'hugetlb' && s.order.value > pmdOrder) this.error(s.order.range, 'order-too-large', `a ${kind ?? ''} large folio is at most PMD order (${pmdOrder}); only hugetlb folios are larger`.replace('a  ', 'a '));
      else if (kind === 'hugetlb' && s.order.value !== pmdOrder) this.error(s.order.range, 'bad-order', `a hugetlb folio here is a 2M huge page: order ${pmdOrder}`, { suggestion: String(pmdOrder) });
      else if ((kind === 'zero' || kind === 'ksm' || kind === 'device_private' || kind === 'movable') && s.order.value !== 0n && kind !== 'zero') this.error(s.order.range, 'bad-order', `a ${kind} folio is order 0`, { suggestion: '0' });
      for (const m of s.mapped) {
        if (m.level?.text === 'pmd' && s.order.value !== pmdOrder) this.error(m.level.range, 'bad-mapping', `only a folio of order ${pmdOrder} can be PMD-mapped`);
        const info = this.mapInfo(m.process?.text, m.at);
        const bytes = this.pageSize << s.order.value;
        if (info?.size !== undefined && s.order.value <= MAX_PAGE_ORDER && bytes > info.size) {
          this.error(s.order.range, 'order-too-large', `an order-${s.order.text} folio (${formatSize(bytes)}) does not fit in mapping ${m.at!.mapping!.text} (${formatSize(info.size)})`);
        }
      }
    }
    const flags = new Set(s.flags.map((f) => f.text));
    if (flags.has('uptodate') && flags.has('notuptodate')) this.error(s.range, 'flag-conflict', 'a folio is either uptodate or notuptodate');
    if (flags.has('lru') && flags.has('isolated')) this.error(s.range, 'flag-conflict', 'an isolated folio is off the LRU: drop `lru` or `isolated`');
    if (s.refs && s.refs.value < 1n) this.error(s.refs.range, 'bad-count', 'a live folio holds at least one reference');
    if (s.pins && s.refs && s.pins.value > s.refs.value) this.error(s.pins.range, 'bad-count', 'each pin also holds a reference: pins cannot exceed refs');
    for (const m of s.mapped) {
      this.checkAddr(m.process?.text, m.at);
      if (m.at && m.at.mapping === undefined && !m.at.start) this.error(m.range, 'missing-argument', 'mapped needs an address');
    }
  }

  checkConfig(s: A.ConfigStmt): void {
    if (!this.vocab(s.option, V.CONFIG_OPTIONS, 'unknown-config', 'config option')) return;
    const name = s.option!.text;
    if (!s.value) return;
    this.vocab(s.value, V.CONFIG_VALUES, 'unknown-config-value', 'config value (y or n)');
    if (s.value.text === 'n') this.markModelOnly(s.range, `turns off CONFIG_${name} (x86-64 kernels enable it)`);
  }

  checkInject(s: A.InjectStmt): void {
    const f = s.fault?.text;
    if (!f) return;
    if (s.passes?.from && s.passes.to && s.passes.to.value < s.passes.from.value) this.error(s.passes.range, 'empty-range', `passes ${s.passes.from.text}..${s.passes.to.text} is empty`);
    if (s.passes?.to && s.passes.to.value >= 10n) this.warn(s.passes.range, 'passes-beyond-retry', 'migrate_pages() makes at most 10 passes (NR_MAX_MIGRATE_PAGES_RETRY): later passes never happen');
    if (f === 'movable' || f === 'split') {
      if (!s.result) {
        if (f === 'movable') this.error(s.range, 'missing-argument', '`inject movable` needs `returns EAGAIN|EBUSY|0`');
      } else if (s.result.text !== '0') this.vocab(s.result, ['EAGAIN', 'EBUSY', 'ENOMEM'], 'unknown-errno', 'result');
    }
    if (f === 'ref' && !s.amount) this.error(s.range, 'missing-argument', '`inject ref` needs an amount (+1 or -1)');
    if (f === 'alloc' && !s.allocMode && !s.allocNode) this.error(s.range, 'missing-argument', '`inject alloc fails` needs `always`, `after K` or `on node N`', { suggestion: 'always' });
    this.requireNode(s.allocNode);
    if ((f === 'pmd' || f === 'pte_offset_map_lock') && s.at) this.checkAddr(s.process?.text, s.at);
    if (f === 'mce' && this.profile !== '6.12') this.warn(s.range, 'fault-not-in-profile', `a machine check during the copy is recovered (folio_mc_copy, -EHWPOISON) from v6.11; ${this.profile} copies with folio_copy and would crash`);
  }

  // ------------------------------------------------------------ operations

  checkOperation(s: A.Operation): void {
    switch (s.kind) {
      case 'migrate_pages_syscall':
        this.checkMigratePagesSyscall(s);
        break;
      case 'move_pages':
        this.checkMovePages(s);
        break;
      case 'mbind':
        this.checkMbind(s);
        break;
      case 'pin':
        this.vocab(s.pinKind, V.PIN_KINDS, 'unknown-word', 'pin kind');
        this.checkAddr(s.process?.text, s.addr, 'pin_user_pages() returns -EFAULT');
        break;
      case 'migrate_vma':
        this.markModelOnly(s.headRange, 'runs migrate_vma (a device driver path)');
        for (const w of s.select) this.vocab(w, V.VMA_SELECT, 'unknown-word', 'migrate_vma selection');
        this.checkAddr(s.process?.text, s.addr, 'migrate_vma_setup() returns -EINVAL');
        this.checkAligned(s.addr, 'migrate_vma_setup()');
        if (s.faultPage) {
          this.checkAddr(s.process?.text, s.faultPage);
          const a = s.addr;
          const fp = s.faultPage.start?.value;
          if (a?.start && fp !== undefined && (fp < a.start.value || (a.end && fp >= a.end.value))) this.warn(s.faultPage.range, 'out-of-range', 'the fault page is outside the migrated range: migrate_vma_setup() returns -EINVAL');
        }
        break;
      case 'numa_fault':
        this.markModelOnly(s.headRange, 'runs a NUMA-hinting fault');
        this.checkAddr(s.process?.text, s.at);
        this.requireNode(s.node);
        break;
      case 'migrate_pages_internal':
        this.markModelOnly(s.headRange, 'calls the internal migrate_pages() on a hand-built list');
        this.checkInternal(s);
        break;
    }
    for (const e of s.expects) this.checkExpect(e, s);
  }

  checkMigratePagesSyscall(s: A.MigratePagesSyscall): void {
    const caller = s.by?.text ?? s.target?.process?.text;
    this.checkTarget(s.target, 'migrate_pages(2)');
    for (const l of [s.from, s.to]) {
      for (const n of l?.nodes ?? []) {
        if (n.value >= MAX_NUMNODES) this.warn(n.range, 'node-out-of-range', `migrate_pages(2) returns EINVAL: node ${n.text} is beyond MAX_NUMNODES`);
      }
    }
    if (s.to && s.to.nodes.length > 0 && s.to.nodes.every((n) => !this.nodeDeclared(n))) {
      this.warn(s.to.range, 'unknown-node', "migrate_pages(2) returns EINVAL: no node of `to` has memory (none is declared)");
    }
    if (s.maxnode && s.maxnode.value > this.pageSize * 8n) this.warn(s.maxnode.range, 'bad-maxnode', `migrate_pages(2) returns EINVAL: maxnode is above PAGE_SIZE*8 (${this.pageSize * 8n})`);
    this.checkPtrace(caller, s.target, 'migrate_pages(2)');
  }

  checkTarget(t: A.Target | undefined, syscall: string): void {
    if (t?.pid && t.pid.value !== 0n) this.warn(t.range, 'no-such-pid', `${syscall} returns ESRCH: pid ${t.pid.text} is not a process of the scenario`);
  }

  /** ptrace_may_access(PTRACE_MODE_READ_REALCREDS): another user's process needs CAP_SYS_PTRACE (root). */
  checkPtrace(caller: string | undefined, t: A.Target | undefined, syscall: string): void {
    const target = t?.process?.text;
    if (!caller || !target || caller === target) return;
    const c = this.procs.get(caller);
    const p = this.procs.get(target);
    if (c && p && c.uid !== p.uid && !(c.uid === 'root' || c.uid === '0')) this.warn(t!.range, 'eperm', `${syscall} returns EPERM: ${caller} (user ${c.uid}) may not access ${target} (user ${p.uid})`);
  }

  checkMoveFlags(flags: A.FlagSet | undefined, syscall: string, valid: readonly string[]): string[] {
    const set: string[] = [];
    if (!flags) return set;
    for (const f of flags.flags) if (this.vocab(f, V.MPOL_MF_FLAGS, 'unknown-flag', 'flag')) set.push(f.text);
    const invalid = set.filter((f) => !valid.includes(f));
    if (flags.raw) {
      const validMask = valid.reduce((m, f) => m | ({ MPOL_MF_STRICT: 1n, MPOL_MF_MOVE: 2n, MPOL_MF_MOVE_ALL: 4n } as Record<string, bigint>)[f], 0n);
      if ((flags.raw.value & ~validMask) !== 0n) invalid.push(flags.raw.text);
      if (flags.raw.value & 4n) set.push('MPOL_MF_MOVE_ALL');
    }
    if (invalid.length) {
      const what = syscall === 'move_pages(2)' ? 'only MPOL_MF_MOVE and MPOL_MF_MOVE_ALL are valid' : 'only MPOL_MF_STRICT, MPOL_MF_MOVE and MPOL_MF_MOVE_ALL are valid';
      this.warn(flags.range, 'invalid-flags', `${syscall} returns EINVAL: ${what} (${invalid.join(', ')})`);
    }
    return set;
  }

  checkMovePages(s: A.MovePagesOp): void {
    const caller = s.by?.text ?? s.target?.process?.text;
    this.checkTarget(s.target, 'move_pages(2)');
    const flags = this.checkMoveFlags(s.flags, 'move_pages(2)', ['MPOL_MF_MOVE', 'MPOL_MF_MOVE_ALL']);
    if (flags.includes('MPOL_MF_MOVE_ALL') && !this.callerPrivileged(caller)) this.warn(s.flags!.range, 'eperm', `move_pages(2) returns EPERM: MPOL_MF_MOVE_ALL needs CAP_SYS_NICE, and ${caller} has it not`);
    this.checkPtrace(caller, s.target, 'move_pages(2)');
    for (const a of s.pages) this.checkAddr(s.target?.process?.text, a, 'move_pages(2) reports -EFAULT for this page');
    if (s.nodes) {
      if (s.nodes.length !== s.pages.length) this.error(s.nodes[0]?.range ?? s.headRange, 'count-mismatch', `move_pages(2) takes one node per page: ${s.pages.length} pages, ${s.nodes.length} nodes`);
      for (const n of s.nodes) {
        if (n.value < 0n || n.value >= MAX_NUMNODES || !this.nodeDeclared(n)) this.warn(n.range, 'unknown-node', `move_pages(2) returns ENODEV: node ${n.text} ${n.value < 0n || n.value >= MAX_NUMNODES ? 'is out of range' : 'has no memory (not declared)'}`);
      }
    }
  }

  checkMbind(s: A.MbindOp): void {
    const proc = s.process?.text;
    const flags = this.checkMoveFlags(s.flags, 'mbind(2)', ['MPOL_MF_STRICT', 'MPOL_MF_MOVE', 'MPOL_MF_MOVE_ALL']);
    if (flags.includes('MPOL_MF_MOVE_ALL') && !this.callerPrivileged(proc)) this.warn(s.flags!.range, 'eperm', `mbind(2) returns EPERM: MPOL_MF_MOVE_ALL needs CAP_SYS_NICE, and ${proc} has it not`);
    const m = this.mapInfo(proc, s.addr);
    this.checkAligned(s.addr, 'mbind(2)');
    this.checkAddr(proc, s.addr, 'mbind(2) returns EFAULT');
    if (s.modeRaw) {
      if (s.modeRaw.value < 0n || s.modeRaw.value > 6n) this.warn(s.modeRaw.range, 'unknown-mode', `mbind(2) returns EINVAL: mode ${s.modeRaw.text} is beyond MPOL_MAX`);
    } else this.checkPolicyMode(s.mode, s.modeFlags, s.nodes, 'mbind(2)', s.headRange);
    if (m?.hugetlb && s.addr?.start && s.addr.start.value % this.pmdSize !== 0n && s.addr.start.value % this.pageSize === 0n) {
      this.warn(s.addr.range, 'unaligned-start', 'mbind(2) returns EINVAL: a hugetlb range starts on a huge page boundary');
    }
  }

  checkInternal(s: A.MigratePagesInternal): void {
    if (s.folios.length === 0) this.warn(s.headRange, 'empty-list', 'migrate_pages() on an empty list returns 0 at once');
    this.requireNode(s.node);
    if (!s.node) this.error(s.headRange, 'missing-argument', 'the internal migrate_pages needs `to node N`');
    if (this.vocab(s.mode, V.MIGRATE_MODES, 'unknown-mode', 'migrate mode') && s.mode!.text === 'MIGRATE_SYNC_NO_COPY' && this.profile === '6.12') {
      this.error(s.mode!.range, 'mode-not-in-profile', 'MIGRATE_SYNC_NO_COPY was removed in v6.11; it does not exist in 6.12', { suggestion: 'MIGRATE_SYNC' });
    }
    if (this.vocab(s.reason, V.MIGRATE_REASONS, 'unknown-reason', 'migrate reason') && s.reason!.text === 'MR_DAMON' && this.profile !== '6.12') {
      this.error(s.reason!.range, 'reason-not-in-profile', `MR_DAMON exists from v6.11, not in ${this.profile}`);
    }
    const seen = new Set<string>();
    for (const f of s.folios) {
      if (seen.has(f.text)) this.error(f.range, 'duplicate-name', `folio ${f.text} is on the list twice (a folio has one lru list_head)`);
      seen.add(f.text);
    }
  }

  // ------------------------------------------------------------ expectations

  checkExpect(e: A.Expect, op: A.Operation): void {
    const opName = op.kind === 'migrate_pages_syscall' ? 'migrate_pages(2)' : op.kind === 'migrate_pages_internal' ? 'migrate_pages()' : op.kind === 'move_pages' ? 'move_pages(2)' : op.kind === 'mbind' ? 'mbind(2)' : op.kind;
    const misfit = (why: string): void => this.error(e.range, 'expect-mismatch', why);
    switch (e.kind) {
      case 'expect_return':
        if (e.errno) this.vocab(e.errno, V.ERRNOS, 'unknown-errno', 'errno');
        if (op.kind === 'mbind' && e.value && e.value.value > 0n) misfit('mbind(2) returns only 0 or an errno, never a count');
        if ((op.kind === 'move_pages' || op.kind === 'migrate_pages_syscall') && e.value && e.value.value < 0n) this.warn(e.value.range, 'raw-errno', 'a syscall error is written as -ERRNO (e.g. -EINVAL)', { suggestion: errnoName(-e.value.value) });
        break;
      case 'expect_status':
        if (op.kind !== 'move_pages') {
          misfit(`\`expect status\` checks move_pages(2)'s status array; ${opName} has none`);
          break;
        }
        for (const en of e.entries) if (en.errno) this.vocab(en.errno, V.ERRNOS, 'unknown-errno', 'errno');
        if (e.entries.length !== op.pages.length) this.error(e.range, 'count-mismatch', `the status array has one entry per page: ${op.pages.length} pages, ${e.entries.length} entries`);
        break;
      case 'expect_page':
        this.checkAddr(e.process?.text, e.at);
        this.requireNode(e.node);
        break;
      case 'expect_vmstat':
        this.vocab(e.counter, V.VMSTAT_COUNTERS, 'unknown-counter', 'vmstat counter');
        break;
      case 'expect_stats':
        if (this.vocab(e.field, V.STATS_FIELDS, 'unknown-field', 'stats field') && e.field!.text === 'nr_split' && this.profile !== '6.12') {
          this.error(e.field!.range, 'field-not-in-profile', `struct migrate_pages_stats has no nr_split before ≈v6.10 (profile ${this.profile})`, { suggestion: 'nr_thp_split' });
        }
        break;
      case 'expect_event':
        if (this.vocab(e.event, V.EVENTS, 'unknown-event', 'event')) {
          const ev = e.event!.text;
          if (ev === 'EDEADLOCK' && !e.negated && this.profile !== '6.3-rc1') this.warn(e.event!.range, 'event-not-in-profile', `-EDEADLOCK comes only from the v6.3-rc1 batching code; profile ${this.profile} never produces it`);
        }
        break;
      case 'expect_folio':
        if (e.where) this.vocab(e.where, V.FOLIO_PLACES, 'unknown-place', 'place');
        this.requireNode(e.node);
        break;
      case 'expect_count': {
        const w = e.what?.text;
        if ((w === 'cpages' || w === 'npages') && op.kind !== 'migrate_vma') misfit(`\`expect ${w}\` is a field of struct migrate_vma; ${opName} has none`);
        if (w === 'pinned' && op.kind !== 'pin') misfit(`\`expect pinned\` counts pages pinned by \`pin\`; ${opName} pins nothing`);
        break;
      }
      case 'error':
        break;
    }
  }
}

function errnoName(v: bigint): string | undefined {
  for (const [k, n] of Object.entries(V.ERRNO_VALUES)) if (BigInt(n) === v) return `-${k}`;
  return undefined;
}

/** The nearest profile: one the name is a prefix of (`6.3` → `6.3-rc1`), else the closest version number (`6.13` → `6.12`), else by spelling. */
function nearestProfile(name: string): string {
  const prefixed = PROFILE_NAMES.find((p) => p.startsWith(name));
  if (prefixed) return prefixed;
  const num = (v: string): number | undefined => {
    const m = /^(\d+)\.(\d+)/.exec(v);
    return m ? Number(m[1]) * 1000 + Number(m[2]) : undefined;
  };
  const n = num(name);
  let best = PROFILE_NAMES[PROFILE_NAMES.length - 1];
  let bestD = Infinity;
  for (const p of PROFILE_NAMES) {
    const pn = num(p)!;
    const d = n !== undefined ? Math.abs(pn - n) : editDistance(name, p);
    if (d <= bestD) {
      bestD = d;
      best = p;
    }
  }
  return best;
}

/** Check a parsed scenario. `text` is not needed (the tree carries every range); it is accepted so callers may pass what they have. */
export function check(scenario: A.Scenario, _text?: string): CheckResult {
  return runSteps(checkSteps(scenario, Infinity));
}

/**
 * check, reusing the previous version's result (`prev`, a check of the text before the edit)
 * for every statement the edit did not touch and whose context is unchanged. Gives exactly
 * check(scenario)'s result (a property test compares them).
 */
export function checkIncremental(prev: CheckResult | undefined, scenario: A.Scenario): CheckResult {
  return runSteps(checkSteps(scenario, Infinity, prev));
}

/**
 * check in steps: the symbol table and the main pass pause after every `every` statements, so
 * that the language server can answer requests between them on a huge document. Run to the end,
 * it gives exactly check()'s result.
 */
export function* checkSteps(scenario: A.Scenario, every: number, prev?: CheckResult): Steps<CheckResult> {
  try {
    const memo = prev && memos.get(prev);
    if (memo) collectSymbolsIncremental(memo.table, scenario);
    else yield* collectSymbolsSteps(scenario, every);
    const checker = new Checker(scenario);
    checker.prev = memo;
    return yield* checker.steps(every);
  } catch (e) {
    // A checker bug must not take the language server down; say so on line 1.
    return {
      diagnostics: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: 'error', code: 'internal-error', message: `internal checker error: ${(e as Error).message}` }],
      realizable: false,
    };
  }
}
