// Turns the setup statements of a scenario into state: the machine (page sizes,
// nodes), processes and their user-level statements, and model-only folio
// declarations. Operations are run by run.ts.

import type { Scenario, ProcessStmt, UserStmt, FolioStmt, AddrRef, NumberLit } from '../scenario/ast';
import type { Context } from './context';
import { MemState, NodeSpec, Process, F, Kind, Zone, NodeCol, Pte, FolioId, VMSTAT_INDEX, packPte, PROT_READ, PROT_WRITE, Backing } from './state';
import { RunStop } from './trace';
import { MmSetup, do_mmap, touch, do_munmap, do_mprotect, do_mremap, do_mlock, do_fork, set_mempolicy, protOf } from './mm';
import { isolatedCounter } from './context';

const MPOL: Record<string, number> = { MPOL_DEFAULT: 0, MPOL_PREFERRED: 1, MPOL_BIND: 2, MPOL_INTERLEAVE: 3, MPOL_LOCAL: 4, MPOL_PREFERRED_MANY: 5, MPOL_WEIGHTED_INTERLEAVE: 6 };
const MPOL_F: Record<string, number> = { MPOL_F_STATIC_NODES: 1 << 15, MPOL_F_RELATIVE_NODES: 1 << 14, MPOL_F_NUMA_BALANCING: 1 << 13 };

function n(v: NumberLit | undefined): number | undefined {
  return v === undefined ? undefined : Number(v.value);
}

/** Page sizes and nodes. A scenario without `node` lines gets one node 0 of 1G. */
export function setupMachine(st: MemState, sc: Scenario): void {
  for (const s of sc.statements) {
    if (s.kind !== 'defaults' || s.value === undefined) continue;
    const line = s.range.start.line;
    const v = Number(s.value.value);
    if (v <= 0 || (v & (v - 1)) !== 0) throw new RunStop(`${s.key.text} must be a power of two`, line);
    if (s.key.text === 'pagesize') st.pageSize = v;
    else if (s.key.text === 'pmdsize') st.pmdSize = v;
  }
  if (st.pmdSize <= st.pageSize) throw new RunStop('pmdsize must be larger than pagesize', 0);
  const specs: NodeSpec[] = [];
  for (const s of sc.statements) {
    if (s.kind !== 'node') continue;
    const line = s.range.start.line;
    const id = n(s.id);
    if (id === undefined) throw new RunStop('node: which node id?', line);
    if (id < 0 || id > 63) throw new RunStop(`node ${id}: the model supports nodes 0..63`, line);
    if (specs.some((x) => x.id === id)) throw new RunStop(`node ${id} is declared twice`, line);
    const mem = n(s.memory) ?? 1024 * 1024 * 1024;
    const pages = Math.floor(mem / st.pageSize);
    const movable = Math.floor((n(s.movable) ?? 0) / st.pageSize);
    const cma = Math.floor((n(s.cma) ?? 0) / st.pageSize);
    const huge = n(s.hugepages) ?? 0;
    if (movable + cma + huge * (st.pmdSize / st.pageSize) > pages) throw new RunStop(`node ${id}: movable, cma and hugepages do not fit in its memory`, line);
    specs.push({ id, memoryPages: pages, movablePages: movable, cmaPages: cma, hugepages: huge });
  }
  if (specs.length === 0) specs.push({ id: 0, memoryPages: (1024 * 1024 * 1024) / st.pageSize, movablePages: 0, cmaPages: 0, hugepages: 0 });
  st.setNodes(specs);
}

/** Resolves `heap`, `heap[8K]`, `heap[0..4K]` in a process to [start, end). */
export function addrRange(st: MemState, p: Process, ref: AddrRef | undefined, line: number): { start: number; end: number } {
  if (!ref) throw new RunStop('which address?', line);
  if (!ref.mapping) {
    const a = Number(ref.start?.value ?? 0n);
    return { start: a, end: ref.end !== undefined ? Number(ref.end.value) : a + st.pageSize };
  }
  const name = ref.mapping.text;
  const vmas = p.vmas.filter((v) => v.name === name);
  if (vmas.length === 0) throw new RunStop(`process '${p.name}' has no mapping named '${name}'`, line);
  const base = Math.min(...vmas.map((v) => v.start - v.pgoff));
  const end = Math.max(...vmas.map((v) => v.end));
  if (ref.whole) return { start: base, end };
  const s = base + Number(ref.start?.value ?? 0n);
  const e = ref.end !== undefined ? base + Number(ref.end.value) : s + st.pageSize;
  if (s % st.pageSize !== 0 || e % st.pageSize !== 0) throw new RunStop(`${name}[…]: offsets must be page aligned`, line);
  if (e <= s) throw new RunStop(`${name}[…]: the range is empty`, line);
  return { start: s, end: e };
}

export class Setup {
  readonly mm: MmSetup;
  /** declared folio names → ids */
  readonly folios = new Map<string, FolioId>();
  /** the line each folio was declared on */
  readonly folioLines = new Map<FolioId, number>();

  constructor(private ctx: Context) {
    this.mm = new MmSetup(ctx);
  }

  proc(name: string | undefined, line: number): Process {
    if (!name) throw new RunStop('which process?', line);
    const p = this.ctx.st.procByName(name);
    if (!p) throw new RunStop(`no process named '${name}' is declared`, line);
    return p;
  }

  /** `process app [user …] [nice] [fork parent] [cpu node N]` and its block */
  process(s: ProcessStmt): void {
    const st = this.ctx.st;
    const line = s.range.start.line;
    const name = s.name?.text;
    if (!name) throw new RunStop('process: which name?', line);
    if (st.procByName(name)) throw new RunStop(`process '${name}' is declared twice`, line);
    let uid = 0;
    if (s.user) {
      if ('value' in s.user) uid = Number(s.user.value);
      else if (s.user.text === 'nobody') uid = 65534;
      else if (s.user.text !== 'root') throw new RunStop(`process ${name}: unknown user '${s.user.text}' (root, nobody or a uid)`, line);
    }
    const cpuNode = n(s.cpuNode) ?? 0;
    if (!st.hasNode(cpuNode)) throw new RunStop(`process ${name}: node ${cpuNode} does not exist`, line);
    const id = Math.max(0, ...st.procs.filter(Boolean).map((p) => p.id)) + 1;
    const base: Process = { id, name, uid, capSysNice: s.capSysNice !== undefined, cpuNode, policy: { mode: 0, nodes: [], flags: 0 }, vmas: [] };
    st.setProcess(base);
    if (s.forkOf) {
      const parent = this.proc(s.forkOf.text, line);
      do_fork(this.ctx, this.mm, parent, { ...base, policy: parent.policy }, line);
    }
    this.body(name, s.body);
  }

  /** user-level statements of a process block (or an `in` block) */
  body(procName: string, body: UserStmt[]): void {
    const ctx = this.ctx;
    const st = ctx.st;
    for (const u of body) {
      const line = u.range.start.line;
      ctx.trace.line = line;
      const p = this.proc(procName, line);
      switch (u.kind) {
        case 'mmap': {
          const name = u.name?.text;
          if (!name) throw new RunStop('mmap: which name?', line);
          const size = n(u.size);
          if (size === undefined) throw new RunStop(`mmap ${name}: which size?`, line);
          const backing = (u.backing?.text ?? 'anon') as Backing;
          const prot = u.prot.length ? protOf(u.prot.map((w) => w.text)) : PROT_READ | PROT_WRITE;
          do_mmap(ctx, this.mm, p, { name, backing, shared: u.sharing?.text === 'shared', size, align: n(u.align) ?? st.pageSize, thp: (u.thp?.text as 'thp' | 'nothp' | undefined) ?? 'default', at: n(u.at), prot }, line);
          break;
        }
        case 'touch': {
          const r = addrRange(st, p, u.target, line);
          const node = n(u.onNode);
          if (node !== undefined && !st.hasNode(node)) throw new RunStop(`touch: node ${node} does not exist`, line);
          touch(ctx, this.mm, p, r.start, r.end, u.access?.text === 'write', node, line);
          break;
        }
        case 'munmap': {
          const r = addrRange(st, p, u.target, line);
          do_munmap(ctx, p, r.start, r.end, line);
          break;
        }
        case 'mprotect': {
          const r = addrRange(st, p, u.target, line);
          do_mprotect(ctx, p, r.start, r.end, protOf(u.prot.map((w) => w.text)), line);
          break;
        }
        case 'mremap': {
          const r = addrRange(st, p, u.target, line);
          const nn = u.newName?.text;
          if (!nn) throw new RunStop('mremap: `as <new name>` is missing', line);
          do_mremap(ctx, this.mm, p, r.start, r.end, nn, n(u.at), line);
          break;
        }
        case 'mlock': {
          const r = addrRange(st, p, u.target, line);
          do_mlock(ctx, this.mm, p, r.start, r.end, line);
          break;
        }
        case 'policy': {
          const mode = u.mode ? MPOL[u.mode.text] : 0;
          if (mode === undefined) throw new RunStop(`policy: unknown mode '${u.mode?.text}'`, line);
          const nodes = (u.nodes?.nodes ?? []).map((x) => Number(x.value));
          for (const x of nodes) if (!st.hasNode(x)) throw new RunStop(`policy: node ${x} does not exist`, line);
          let flags = 0;
          for (const w of u.modeFlags ?? []) flags |= MPOL_F[w.text] ?? 0;
          set_mempolicy(ctx, p, { mode, nodes, flags });
          break;
        }
        case 'error':
          break;
      }
    }
  }

  /** `folio A order 0 node 0 anon [flags] [refs N] [pins N] [mapped …]` — a model-only folio */
  folio(s: FolioStmt): void {
    const ctx = this.ctx;
    const st = ctx.st;
    const line = s.range.start.line;
    const name = s.name?.text;
    if (!name) throw new RunStop('folio: which name?', line);
    if (this.folios.has(name)) throw new RunStop(`folio '${name}' is declared twice`, line);
    const order = n(s.order) ?? 0;
    const node = n(s.node) ?? 0;
    if (!st.hasNode(node)) throw new RunStop(`folio ${name}: node ${node} does not exist`, line);
    const kindName = s.folioKind?.text ?? 'anon';
    const kindMap: Record<string, number> = { anon: Kind.ANON, file: Kind.FILE, shmem: Kind.SHMEM, hugetlb: Kind.HUGETLB, zero: Kind.ZERO, ksm: Kind.KSM, movable: Kind.MOVABLE, device_private: Kind.DEVICE_PRIVATE };
    const kind = kindMap[kindName];
    if (kind === undefined) throw new RunStop(`folio ${name}: unknown kind '${kindName}'`, line);
    if (order < 0 || order > 18) throw new RunStop(`folio ${name}: order ${order} is out of range (0..18)`, line);
    if (kind === Kind.HUGETLB && order !== st.pmdOrder) throw new RunStop(`folio ${name}: a hugetlb folio has order ${st.pmdOrder} (2M) in the model`, line);
    if ((kind === Kind.KSM || kind === Kind.MOVABLE) && order !== 0) throw new RunStop(`folio ${name}: ${kindName} folios are order 0`, line);
    const nr = 2 ** order;
    const words = new Set(s.flags.map((w) => w.text));

    // memory for it
    let zone: number = Zone.NORMAL;
    if (kind === Kind.HUGETLB) {
      if (st.nodeHugeFree[node] < 1) throw new RunStop(`folio ${name}: node ${node} has no free huge page (declare \`hugepages N\` on the node)`, line);
      st.setNodeCol(NodeCol.HUGE_FREE, node, st.nodeHugeFree[node] - 1);
    } else if (kind !== Kind.ZERO) {
      if (st.nodeMovFree[node] >= nr && kind !== Kind.MOVABLE && kind !== Kind.DEVICE_PRIVATE) {
        zone = Zone.MOVABLE;
        st.setNodeCol(NodeCol.MOVABLE_FREE, node, st.nodeMovFree[node] - nr);
      } else if (st.nodeFree[node] >= nr) st.setNodeCol(NodeCol.FREE, node, st.nodeFree[node] - nr);
      else throw new RunStop(`folio ${name}: node ${node} has no room for ${nr} page(s)`, line);
    }

    let flags = 0;
    if (!words.has('notuptodate')) flags |= F.UPTODATE;
    if (words.has('lru')) flags |= F.LRU;
    if (words.has('dirty')) flags |= F.DIRTY;
    if (words.has('writeback')) flags |= F.WRITEBACK;
    if (words.has('mlocked')) flags |= F.MLOCKED | F.UNEVICTABLE;
    if (words.has('deferred_split')) flags |= F.DEFERRED_SPLIT;
    if (words.has('private')) flags |= F.PRIVATE;
    if (words.has('inaccessible')) {
      if (kind !== Kind.FILE && kind !== Kind.SHMEM) throw new RunStop(`folio ${name}: only file or shmem folios belong to an inaccessible address space (guest_memfd)`, line);
      if (!ctx.profile.inaccessibleMappings) throw new RunStop(`folio ${name}: inaccessible address spaces (guest_memfd, AS_UNMOVABLE) exist from v6.8; kernel ${ctx.profile.name} has none`, line);
      flags |= F.INACCESSIBLE;
    }
    if (words.has('exclusive')) flags |= F.ANON_EXCLUSIVE;
    if (words.has('locked')) flags |= F.LOCKED;
    if (words.has('isolated')) flags = (flags | F.ISOLATED) & ~F.LRU;
    if (kind === Kind.HUGETLB || kind === Kind.MOVABLE || kind === Kind.ZERO || kind === Kind.DEVICE_PRIVATE) flags &= ~F.LRU;
    const anonLike = kind === Kind.ANON || kind === Kind.KSM;
    // an anonymous folio that no page table maps can only be alive in the swap cache
    if (anonLike && s.mapped.length === 0 && kind !== Kind.KSM) flags |= F.SWAPCACHE;
    const truncated = words.has('truncated');
    if (truncated && kind !== Kind.HUGETLB) throw new RunStop(`folio ${name}: \`truncated\` is for hugetlb folios (the subpool check of unmap_and_move_huge_page)`, line);
    if (truncated && s.mapped.length > 0) throw new RunStop(`folio ${name}: a truncated folio is no longer mapped`, line);
    const mappingId = this.mm.newMappingId();
    const f = st.newFolio({ kind, order, node, zone, flags, refcount: 0, mapping: kind === Kind.ZERO || kind === Kind.DEVICE_PRIVATE || truncated ? 0 : mappingId });
    st.setName(f, name);
    this.folios.set(name, f);
    this.folioLines.set(f, line);

    // page-table entries
    let exclusiveDefault = anonLike && kind === Kind.ANON;
    for (const m of s.mapped) {
      const p = this.proc(m.process?.text, line);
      const r = addrRange(st, p, m.at, line);
      const pmd = m.level?.text === 'pmd';
      const vma = st.findVma(p, r.start);
      if (!vma) throw new RunStop(`folio ${name}: 0x${r.start.toString(16)} is not mapped in '${p.name}'`, line);
      const writable = (vma.prot & PROT_WRITE) !== 0;
      const bits = Pte.PRESENT | Pte.YOUNG | (flags & F.DIRTY ? Pte.DIRTY : 0);
      if (pmd) {
        if (order !== st.pmdOrder) throw new RunStop(`folio ${name}: only a folio of order ${st.pmdOrder} can be mapped by a PMD`, line);
        if (r.start % st.pmdSize !== 0 || r.start + st.pmdSize > vma.end) throw new RunStop(`folio ${name}: a PMD mapping needs a ${st.pmdSize / 1048576}M-aligned address with the whole PMD inside the mapping`, line);
        const vpn = r.start / st.pageSize;
        if (st.getPmd(p.id, vpn) !== 0) throw new RunStop(`folio ${name}: that PMD is already mapped`, line);
        for (let i = 0; i < nr; i++) if (st.getPte(p.id, vpn + i) !== 0) throw new RunStop(`folio ${name}: PTEs are already mapped inside that PMD`, line);
        st.setPmd(p.id, vpn, packPte(f, 0, bits | (writable ? Pte.WRITE : 0)));
        st.addMapcount(f, 1);
      } else {
        const count = m.at?.end !== undefined || m.at?.whole ? Math.min(nr, (r.end - r.start) / st.pageSize) : nr;
        for (let i = 0; i < count; i++) {
          const a = r.start + i * st.pageSize;
          const v2 = st.findVma(p, a);
          if (!v2) throw new RunStop(`folio ${name}: page ${i} (0x${a.toString(16)}) falls outside the mappings of '${p.name}'`, line);
          const vpn = a / st.pageSize;
          const per = st.pmdSize / st.pageSize;
          if (st.getPte(p.id, vpn) !== 0 || st.getPmd(p.id, Math.floor(vpn / per) * per) !== 0) throw new RunStop(`folio ${name}: 0x${a.toString(16)} is already mapped`, line);
          st.setPte(p.id, vpn, packPte(f, i, bits | (writable ? Pte.WRITE : 0)));
          st.addMapcount(f, 1);
        }
      }
      if (vma.shared || s.mapped.length > 1) exclusiveDefault = false;
    }
    if (exclusiveDefault && s.mapped.length > 0) st.setFlag(f, F.ANON_EXCLUSIVE);
    if (st.has(f, F.ANON_EXCLUSIVE) && kind !== Kind.ANON) throw new RunStop(`folio ${name}: only anon folios can be exclusive`, line);

    // references: one per mapping entry, the page/swap cache, private data, pins, isolation, a driver's
    const pins = n(s.pins) ?? 0;
    if (pins < 0) throw new RunStop(`folio ${name}: pins must be ≥ 0`, line);
    if (pins) st.setCol(3 /* Col.PINS */, f, pins);
    const pageCache = kind === Kind.FILE || kind === Kind.SHMEM || (kind === Kind.HUGETLB && !truncated) || st.has(f, F.SWAPCACHE);
    const derived = st.mapcount(f) + (pageCache ? nr : 0) + (flags & F.PRIVATE ? 1 : 0) + pins + (kind === Kind.MOVABLE ? 1 : 0) + (flags & F.ISOLATED ? 1 : 0);
    const refs = n(s.refs) ?? derived;
    if (refs < st.mapcount(f) + pins) throw new RunStop(`folio ${name}: refs ${refs} is less than its mappings (${st.mapcount(f)}) plus pins (${pins})`, line);
    st.setCol(1 /* Col.REFCOUNT */, f, refs);
    if (flags & F.ISOLATED && kind !== Kind.MOVABLE && kind !== Kind.HUGETLB) st.vmstatAdd(isolatedCounter(st, f), nr);
    if (flags & F.DEFERRED_SPLIT) st.vmstatAdd(VMSTAT_INDEX.thp_deferred_split_page, 1);
    // a folio declared locked is held by someone else for the whole run
    if (words.has('locked')) {
      const w = { from: 0, to: Infinity };
      const a = ctx.inject.lockHeld.get(f);
      if (a) a.push(w);
      else ctx.inject.lockHeld.set(f, [w]);
      ctx.inject.lockLine.set(f, line);
    }
  }
}
