// User-level setup: what a test program does before it calls a migration path
// (mmap, page faults by touching, munmap, mprotect, mremap, mlock, set_mempolicy,
// fork), so that a scenario written this way can also run on a real kernel.
// The model follows the Debian kernels: THP "always" for anonymous memory unless
// the range is advised `nothp`; shmem and file mappings fault order-0 folios.

import type { Context } from './context';
import { Process, Vma, MemPolicy, Backing, F, Kind, Zone, NodeCol, Pte, FolioId, VMSTAT_INDEX, packPte, pteBits, pteFolio, pteSub, pteType, isMigrationType, PROT_READ, PROT_WRITE, PROT_EXEC } from './state';
import { RunStop, EV } from './trace';

/** Per-run bookkeeping of the user-level layer that is not kernel state (address allocation, page cache index). */
export class MmSetup {
  /** next free virtual address per process */
  private nextAddr = new Map<number, number>();
  /** page cache: `${mappingId}:${pageIndex}` → folio (follow `st.current` for migrations) */
  pageCache = new Map<string, FolioId>();
  private nextMappingId = 1;
  zeroFolio = -1;
  hugeZeroFolio = -1;
  private interleave = new Map<number, number>();

  constructor(private ctx: Context) {}

  newMappingId(): number {
    return this.nextMappingId++;
  }

  /** mapping id of a private file/shmem VMA → identity of the anon_vma its copy-on-write pages get (made on first use) */
  private cowAnonVma = new Map<number, number>();
  anonVmaOf(vma: Vma): number {
    if (vma.backing === 'anon') return vma.mappingId;
    let id = this.cowAnonVma.get(vma.mappingId);
    if (id === undefined) this.cowAnonVma.set(vma.mappingId, (id = this.newMappingId()));
    return id;
  }

  /** The shared zero page (and the huge zero page), created on first use. */
  zero(huge: boolean): FolioId {
    const st = this.ctx.st;
    if (huge) {
      if (this.hugeZeroFolio < 0) {
        this.hugeZeroFolio = st.newFolio({ kind: Kind.ZERO, order: st.pmdOrder, node: st.nodeIds()[0] ?? 0, zone: Zone.NORMAL, flags: F.UPTODATE | F.HUGE_ZERO, refcount: 1, mapping: 0 });
        st.setName(this.hugeZeroFolio, 'huge_zero_folio');
      }
      return this.hugeZeroFolio;
    }
    if (this.zeroFolio < 0) {
      this.zeroFolio = st.newFolio({ kind: Kind.ZERO, order: 0, node: st.nodeIds()[0] ?? 0, zone: Zone.NORMAL, flags: F.UPTODATE, refcount: 1, mapping: 0 });
      st.setName(this.zeroFolio, 'zero_page');
    }
    return this.zeroFolio;
  }

  /** get_unmapped_area(): addresses grow from 0x10000000 per process, aligned as asked. */
  placeMapping(p: Process, size: number, align: number, at: number | undefined, line: number): number {
    if (at !== undefined) {
      if (at % this.ctx.st.pageSize !== 0) throw new RunStop(`mmap at 0x${at.toString(16)}: not page aligned`, line);
      for (const v of p.vmas) if (at < v.end && at + size > v.start) throw new RunStop(`mmap at 0x${at.toString(16)}: overlaps mapping '${v.name}'`, line);
      return at;
    }
    let a = this.nextAddr.get(p.id) ?? 0x10000000;
    const al = Math.max(align, this.ctx.st.pageSize);
    a = Math.ceil(a / al) * al;
    this.nextAddr.set(p.id, a + size + this.ctx.st.pmdSize); // a guard gap so mappings never merge
    return a;
  }

  /** The node a new page goes to: `on node N`, else the VMA policy, the task policy, or the CPU's node. */
  pickNode(p: Process, vma: Vma, pageIndex: number, onNode: number | undefined): number[] {
    const st = this.ctx.st;
    const all = st.nodeIds();
    if (onNode !== undefined) return [onNode];
    const pol: MemPolicy = vma.policy ?? p.policy;
    const others = (first: number) => [first, ...all.filter((n) => n !== first)];
    switch (pol.mode) {
      case 1: // MPOL_PREFERRED
        return others(pol.nodes[0] ?? p.cpuNode);
      case 2: // MPOL_BIND
        return pol.nodes.includes(p.cpuNode) ? [p.cpuNode, ...pol.nodes.filter((n) => n !== p.cpuNode)] : pol.nodes.slice();
      case 3: // MPOL_INTERLEAVE
      case 6: {
        const k = this.interleave.get(p.id) ?? 0;
        this.interleave.set(p.id, k + 1);
        const n = pol.nodes[(k + pageIndex * 0) % pol.nodes.length];
        return others(n);
      }
      case 5: // MPOL_PREFERRED_MANY
        return [...pol.nodes, ...all.filter((n) => !pol.nodes.includes(n))];
      default:
        return others(p.cpuNode);
    }
  }
}

function protOf(words: string[]): number {
  let prot = 0;
  for (const w of words) {
    if (w === 'read') prot |= PROT_READ;
    else if (w === 'write') prot |= PROT_WRITE;
    else if (w === 'exec') prot |= PROT_EXEC;
  }
  return prot;
}
export { protOf };

/** Allocates pages for a new user folio on the first node of `nodes` with room (ZONE_MOVABLE first, as GFP_HIGHUSER_MOVABLE does). */
function allocUserPages(ctx: Context, nodes: number[], order: number, line: number, what: string): { node: number; zone: number } {
  const st = ctx.st;
  const nr = 2 ** order;
  for (const n of nodes) {
    if (!st.hasNode(n)) throw new RunStop(`${what}: node ${n} does not exist`, line);
    if (st.nodeMovFree[n] >= nr) {
      st.setNodeCol(NodeCol.MOVABLE_FREE, n, st.nodeMovFree[n] - nr);
      return { node: n, zone: Zone.MOVABLE };
    }
    if (st.nodeFree[n] >= nr) {
      st.setNodeCol(NodeCol.FREE, n, st.nodeFree[n] - nr);
      return { node: n, zone: Zone.NORMAL };
    }
  }
  return { node: -1, zone: 0 };
}

// mm/mmap.c do_mmap() — the VMA only; pages come with touch
export function do_mmap(ctx: Context, mm: MmSetup, p: Process, v: { name: string; backing: Backing; shared: boolean; size: number; align: number; thp: Vma['thp']; at?: number; prot: number }, line: number): Process {
  const st = ctx.st;
  if (v.size <= 0 || v.size % st.pageSize !== 0) throw new RunStop(`mmap ${v.name}: size must be a positive multiple of the page size (${st.pageSize})`, line);
  if (v.backing === 'hugetlb' && v.size % st.pmdSize !== 0) throw new RunStop(`mmap ${v.name}: a hugetlb mapping must be a multiple of ${st.pmdSize / 1024 / 1024}M`, line);
  if (p.vmas.some((x) => x.name === v.name)) throw new RunStop(`mmap ${v.name}: process '${p.name}' already has a mapping with that name`, line);
  const align = v.backing === 'hugetlb' ? Math.max(v.align, st.pmdSize) : v.align;
  const start = mm.placeMapping(p, v.size, align, v.at, line);
  const vma: Vma = { name: v.name, start, end: start + v.size, backing: v.backing, shared: v.shared, prot: v.prot, locked: false, thp: v.thp, mappingId: mm.newMappingId(), pgoff: 0 };
  const np: Process = { ...p, vmas: [...p.vmas, vma].sort((a, b) => a.start - b.start) };
  st.setProcess(np);
  return np;
}

/** Whether a PMD-sized anonymous THP may be faulted at `pmdStart` (THP "always" unless nothp; whole PMD inside the VMA). */
function thpEligible(ctx: Context, vma: Vma, pmdStart: number): boolean {
  if (vma.backing !== 'anon' || vma.shared) return false;
  if (vma.thp === 'nothp') return false;
  return pmdStart >= vma.start && pmdStart + ctx.st.pmdSize <= vma.end;
}

// mm/memory.c handle_mm_fault() for every page of a range: the model of a test program touching memory
export function touch(ctx: Context, mm: MmSetup, p: Process, start: number, end: number, write: boolean, onNode: number | undefined, line: number): void {
  const st = ctx.st;
  const ps = st.pageSize;
  const per = st.pmdSize / ps;
  for (let addr = start; addr < end; ) {
    const vma = st.findVma(p, addr);
    if (!vma) throw new RunStop(`touch 0x${addr.toString(16)}: not mapped in process '${p.name}' (the program would get SIGSEGV)`, line);
    if (write && !(vma.prot & PROT_WRITE)) throw new RunStop(`touch ${vma.name} write: the mapping is not writable (SIGSEGV)`, line);
    if (!write && !(vma.prot & PROT_READ)) throw new RunStop(`touch ${vma.name} read: the mapping is not readable (SIGSEGV)`, line);
    const vpn = Math.floor(addr / ps);
    const pmdVpn = Math.floor(vpn / per) * per;
    const pmdStart = pmdVpn * ps;
    const pmdE = st.getPmd(p.id, pmdVpn);
    if (pmdE !== 0) {
      faultPmdMapped(ctx, mm, p, vma, pmdVpn, pmdE, write, onNode, line);
      addr = Math.min(end, pmdStart + st.pmdSize);
      continue;
    }
    if (vma.backing === 'hugetlb') {
      faultHugetlb(ctx, mm, p, vma, pmdVpn, onNode, write, line);
      addr = Math.min(end, pmdStart + st.pmdSize);
      continue;
    }
    const e = st.getPte(p.id, vpn);
    if (e === 0 && thpEligible(ctx, vma, pmdStart) && noPtesIn(ctx, p.id, pmdVpn, per)) {
      if (!write) {
        // a read fault of an untouched THP-eligible range maps the huge zero page
        const hz = mm.zero(true);
        st.setPmd(p.id, pmdVpn, packPte(hz, 0, Pte.PRESENT | Pte.YOUNG | Pte.ZERO_PFN));
      } else {
        const nodes = mm.pickNode(p, vma, vpn - vma.start / ps, onNode);
        const a = allocUserPages(ctx, nodes, st.pmdOrder, line, 'touch');
        if (a.node >= 0) {
          const f = newUserFolio(ctx, vma, a.node, a.zone, st.pmdOrder, true);
          st.setPmd(p.id, pmdVpn, packPte(f, 0, Pte.PRESENT | Pte.YOUNG | Pte.WRITE | Pte.DIRTY));
          st.addMapcount(f, 1);
          st.addRef(f, 1);
          addr = Math.min(end, pmdStart + st.pmdSize);
          continue;
        }
        // no room for a THP: fall back to order-0 pages below
      }
      if (!write) {
        addr = Math.min(end, pmdStart + st.pmdSize);
        continue;
      }
    }
    faultPte(ctx, mm, p, vma, vpn, e, write, onNode, line);
    addr += ps;
  }
}

function noPtesIn(ctx: Context, mmId: number, pmdVpn: number, per: number): boolean {
  for (let i = 0; i < per; i++) if (ctx.st.getPte(mmId, pmdVpn + i) !== 0) return false;
  return true;
}

/** A new folio for a user fault: anonymous, or a page-cache folio of the VMA's file/shmem object. */
function newUserFolio(ctx: Context, vma: Vma, node: number, zone: number, order: number, write: boolean): FolioId {
  const st = ctx.st;
  const anon = vma.backing === 'anon' && !vma.shared;
  const kind = anon ? Kind.ANON : vma.backing === 'file' ? Kind.FILE : vma.backing === 'hugetlb' ? Kind.HUGETLB : Kind.SHMEM;
  let flags: number = F.LRU | F.UPTODATE;
  if (anon) flags |= F.ANON_EXCLUSIVE | F.DIRTY;
  else if (write) flags |= F.DIRTY;
  if (vma.locked) flags |= F.MLOCKED | F.UNEVICTABLE;
  if (kind === Kind.HUGETLB) flags &= ~F.LRU;
  // a MAP_PRIVATE hugetlb page is anonymous: hugetlb_no_page() adds it to the anon rmap, not the page cache
  if (kind === Kind.HUGETLB && !vma.shared) flags |= F.HUGETLB_ANON;
  const nr = 2 ** order;
  const f = st.newFolio({ kind, order, node, zone, flags, refcount: anon ? 0 : nr, mapping: vma.mappingId });
  return f;
}

/** The anonymous copy a write to a private mapping makes (wp_page_copy(), do_cow_fault()): exclusive, dirty, on the VMA's anon_vma. */
function newCowFolio(ctx: Context, mm: MmSetup, vma: Vma, node: number, zone: number): FolioId {
  let flags: number = F.LRU | F.UPTODATE | F.ANON_EXCLUSIVE | F.DIRTY;
  if (vma.locked) flags |= F.MLOCKED | F.UNEVICTABLE;
  return ctx.st.newFolio({ kind: Kind.ANON, order: 0, node, zone, flags, refcount: 0, mapping: mm.anonVmaOf(vma) });
}

function faultPte(ctx: Context, mm: MmSetup, p: Process, vma: Vma, vpn: number, e: number, write: boolean, onNode: number | undefined, line: number): void {
  const st = ctx.st;
  const ps = st.pageSize;
  const t = pteType(e);
  if (t === Pte.PRESENT) {
    const f = pteFolio(e);
    let bits = pteBits(e) | Pte.YOUNG;
    if (write) {
      if (bits & Pte.ZERO_PFN) {
        st.setPte(p.id, vpn, 0);
        return faultPte(ctx, mm, p, vma, vpn, 0, write, onNode, line);
      }
      if (!(bits & Pte.WRITE)) {
        const anonPrivate = vma.backing === 'anon' && !vma.shared;
        if (anonPrivate && (st.mapcount(f) > 1 || !st.has(f, F.ANON_EXCLUSIVE))) {
          cowBreak(ctx, mm, p, vma, vpn, e, onNode, line);
          return;
        }
        // a page-cache page written through a MAP_PRIVATE mapping: the write goes to an anon copy
        if (!vma.shared && st.kind(f) !== Kind.ANON && st.kind(f) !== Kind.KSM) {
          cowBreak(ctx, mm, p, vma, vpn, e, onNode, line);
          return;
        }
        if (anonPrivate) st.setFlag(f, F.ANON_EXCLUSIVE);
      }
      bits |= Pte.WRITE | Pte.DIRTY;
      if (vma.backing !== 'anon' || vma.shared) st.setFlag(f, F.DIRTY);
    }
    if (bits !== pteBits(e)) st.setPte(p.id, vpn, packPte(f, pteSub(e), bits));
    return;
  }
  if (isMigrationType(t)) throw new RunStop(`touch: page at 0x${(vpn * ps).toString(16)} is under migration (a real program would wait in migration_entry_wait)`, line);
  if (t !== Pte.NONE) throw new RunStop(`touch: page at 0x${(vpn * ps).toString(16)} is not present (swap/device entries are not faulted by the model)`, line);
  const anonPrivate = vma.backing === 'anon' && !vma.shared;
  if (anonPrivate && !write) {
    st.setPte(p.id, vpn, packPte(mm.zero(false), 0, Pte.PRESENT | Pte.YOUNG | Pte.ZERO_PFN));
    return;
  }
  const index = (vpn * ps - vma.start + vma.pgoff + (vma.fileBase ?? 0)) / ps;
  let f = -1;
  if (!anonPrivate) {
    const cached = mm.pageCache.get(`${vma.mappingId}:${index}`);
    if (cached !== undefined) {
      const c = st.current(cached);
      if (!st.has(c, F.FREED)) f = c;
    }
  }
  const cow = write && !vma.shared && !anonPrivate; // do_cow_fault(): a private mapping of a file written
  if (f < 0) {
    const nodes = mm.pickNode(p, vma, index, onNode);
    const a = allocUserPages(ctx, nodes, 0, line, 'touch');
    if (a.node < 0) throw new RunStop(`touch: out of memory on node(s) ${nodes.join(',')}`, line);
    f = newUserFolio(ctx, vma, a.node, a.zone, 0, write && !cow);
    if (!anonPrivate) mm.pageCache.set(`${vma.mappingId}:${index}`, f);
  } else if (write && !cow) st.setFlag(f, F.DIRTY);
  if (cow) {
    // __do_fault() read the page-cache page (it stays in the cache, unmapped); the PTE maps an anon copy
    const nodes = mm.pickNode(p, vma, index, onNode);
    const a = allocUserPages(ctx, nodes, 0, line, 'touch');
    if (a.node < 0) throw new RunStop(`touch: out of memory for a copy-on-write page on node(s) ${nodes.join(',')}`, line);
    f = newCowFolio(ctx, mm, vma, a.node, a.zone);
  }
  const writable = write || (vma.shared && (vma.prot & PROT_WRITE) !== 0 && vma.backing !== 'file');
  const bits = Pte.PRESENT | Pte.YOUNG | (writable ? Pte.WRITE : 0) | (write ? Pte.DIRTY : 0);
  st.setPte(p.id, vpn, packPte(f, 0, bits));
  st.addMapcount(f, 1);
  st.addRef(f, 1);
  if (vma.locked) st.setFlag(f, F.MLOCKED | F.UNEVICTABLE);
}

/**
 * do_wp_page() → wp_page_copy(): a private anon page mapped more than once, or a page-cache page
 * written through a MAP_PRIVATE mapping, is replaced by an anonymous copy of its own.
 */
function cowBreak(ctx: Context, mm: MmSetup, p: Process, vma: Vma, vpn: number, e: number, onNode: number | undefined, line: number): void {
  const st = ctx.st;
  const old = pteFolio(e);
  const nodes = mm.pickNode(p, vma, vpn, onNode);
  const a = allocUserPages(ctx, nodes, 0, line, 'touch');
  if (a.node < 0) throw new RunStop('touch: out of memory for a copy-on-write page', line);
  const f = newCowFolio(ctx, mm, vma, a.node, a.zone);
  st.setPte(p.id, vpn, packPte(f, 0, Pte.PRESENT | Pte.YOUNG | Pte.WRITE | Pte.DIRTY));
  st.addMapcount(f, 1);
  st.addRef(f, 1);
  zapOne(ctx, old);
}

/** Drops one mapping of a folio; the last reference frees it. */
function zapOne(ctx: Context, f: FolioId): void {
  const st = ctx.st;
  if (st.kind(f) === Kind.ZERO) return;
  st.addMapcount(f, -1);
  ctx.folio_put(f);
}

function faultPmdMapped(ctx: Context, mm: MmSetup, p: Process, vma: Vma, pmdVpn: number, e: number, write: boolean, onNode: number | undefined, line: number): void {
  const st = ctx.st;
  const f = pteFolio(e);
  if (pteType(e) !== Pte.PRESENT) throw new RunStop('touch: the huge page is under migration', line);
  if (!write) {
    if (!(pteBits(e) & Pte.YOUNG)) st.setPmd(p.id, pmdVpn, e + Pte.YOUNG);
    return;
  }
  const bits = pteBits(e);
  if (bits & Pte.ZERO_PFN) {
    // write to the huge zero page: a THP is allocated in its place
    st.setPmd(p.id, pmdVpn, 0);
    touch(ctx, mm, p, pmdVpn * st.pageSize, pmdVpn * st.pageSize + st.pmdSize, true, onNode, line);
    return;
  }
  if (bits & Pte.WRITE) {
    if (!(bits & Pte.DIRTY)) st.setPmd(p.id, pmdVpn, e + Pte.DIRTY);
    return;
  }
  if (st.kind(f) === Kind.ANON && (st.mapcount(f) > 1 || !st.has(f, F.ANON_EXCLUSIVE))) {
    // COW of a shared THP: split the PMD and copy the touched pages one by one
    split_huge_pmd(ctx, p.id, pmdVpn);
    return;
  }
  if (st.kind(f) === Kind.ANON) st.setFlag(f, F.ANON_EXCLUSIVE);
  st.setPmd(p.id, pmdVpn, packPte(f, 0, bits | Pte.WRITE | Pte.DIRTY | Pte.YOUNG));
}

function faultHugetlb(ctx: Context, mm: MmSetup, p: Process, vma: Vma, pmdVpn: number, onNode: number | undefined, write: boolean, line: number): void {
  const st = ctx.st;
  const index = (pmdVpn * st.pageSize - vma.start + vma.pgoff + (vma.fileBase ?? 0)) / st.pageSize;
  const key = `${vma.mappingId}:${index}`;
  let f = -1;
  const cached = mm.pageCache.get(key);
  if (cached !== undefined && !st.has(st.current(cached), F.FREED)) f = st.current(cached);
  if (f < 0) {
    const nodes = mm.pickNode(p, vma, index, onNode);
    let node = -1;
    for (const n of nodes) {
      if (st.hasNode(n) && st.nodeHugeFree[n] > 0) {
        node = n;
        break;
      }
    }
    if (node < 0) throw new RunStop(`touch ${vma.name}: no free huge page in the pool of node(s) ${nodes.join(',')} (the program would get SIGBUS)`, line);
    st.setNodeCol(NodeCol.HUGE_FREE, node, st.nodeHugeFree[node] - 1);
    f = newUserFolio(ctx, vma, node, Zone.NORMAL, st.pmdOrder, write);
    mm.pageCache.set(key, f);
  }
  st.setPmd(p.id, pmdVpn, packPte(f, 0, Pte.PRESENT | Pte.YOUNG | (vma.prot & PROT_WRITE && (write || vma.shared) ? Pte.WRITE : 0) | (write ? Pte.DIRTY : 0)));
  st.addMapcount(f, 1);
  st.addRef(f, 1);
}

// mm/huge_memory.c __split_huge_pmd() — the mapping only: a PMD becomes 512 PTEs of the same folio
export function split_huge_pmd(ctx: Context, mmId: number, pmdVpn: number): void {
  const st = ctx.st;
  const e = st.getPmd(mmId, pmdVpn);
  if (e === 0) return;
  const f = pteFolio(e);
  const bits = pteBits(e);
  const per = st.pmdSize / st.pageSize;
  st.setPmd(mmId, pmdVpn, 0);
  if (bits & Pte.ZERO_PFN) {
    // the huge zero page is replaced by PTEs of the small zero page
    return;
  }
  const present = pteType(e) === Pte.PRESENT;
  for (let i = 0; i < per; i++) st.setPte(mmId, pmdVpn + i, packPte(f, i, bits));
  if (present) {
    st.addMapcount(f, per - 1);
    st.addRef(f, per - 1);
  }
  st.vmstatAdd(VMSTAT_INDEX.thp_split_pmd, 1);
  ctx.trace.emit(EV.pmd_split, f, pmdVpn * st.pageSize);
}

/** Splits PMD mappings that straddle [start, end) so that PTE-level operations can act on part of them. */
function splitPmdsAtEdges(ctx: Context, p: Process, start: number, end: number): void {
  const st = ctx.st;
  const per = st.pmdSize / st.pageSize;
  for (const a of [start, end]) {
    const vpn = Math.floor(a / st.pageSize);
    const pv = Math.floor(vpn / per) * per;
    if (pv !== vpn && st.getPmd(p.id, pv) !== 0) split_huge_pmd(ctx, p.id, pv);
  }
}

/** Cuts the VMAs of `p` so that [start, end) is covered by whole VMAs; returns the new process object. */
function splitVmas(p: Process, start: number, end: number): Process {
  const out: Vma[] = [];
  for (const v of p.vmas) {
    if (v.end <= start || v.start >= end) {
      out.push(v);
      continue;
    }
    const cuts = [v.start, Math.max(v.start, start), Math.min(v.end, end), v.end].filter((x, i, a) => i === 0 || x !== a[i - 1]);
    for (let i = 0; i + 1 < cuts.length; i++) out.push({ ...v, start: cuts[i], end: cuts[i + 1], pgoff: v.pgoff + (cuts[i] - v.start) });
  }
  return { ...p, vmas: out.sort((a, b) => a.start - b.start) };
}

// mm/mmap.c do_vmi_munmap(): zap the range; a partially unmapped anon THP goes on the deferred-split queue
export function do_munmap(ctx: Context, p: Process, start: number, end: number, line: number): Process {
  const st = ctx.st;
  const ps = st.pageSize;
  const per = st.pmdSize / ps;
  if (!p.vmas.some((v) => v.start < end && v.end > start)) throw new RunStop('munmap: nothing is mapped there', line);
  splitPmdsAtEdges(ctx, p, start, end);
  for (let vpn = start / ps; vpn < end / ps; vpn++) {
    if (vpn % per === 0 && vpn + per <= end / ps) {
      const e = st.getPmd(p.id, vpn);
      if (e !== 0) {
        st.setPmd(p.id, vpn, 0);
        if (pteType(e) === Pte.PRESENT) zapOne(ctx, pteFolio(e));
        vpn += per - 1;
        continue;
      }
    }
    const e = st.getPte(p.id, vpn);
    if (e === 0) continue;
    st.setPte(p.id, vpn, 0);
    if (pteType(e) !== Pte.PRESENT) continue;
    const f = pteFolio(e);
    zapOne(ctx, f);
    if (st.kind(f) === Kind.ANON && st.order(f) > 1 && st.mapcount(f) > 0 && !st.has(f, F.DEFERRED_SPLIT)) {
      st.setFlag(f, F.DEFERRED_SPLIT); // deferred_split_folio(): partially mapped
      st.vmstatAdd(VMSTAT_INDEX.thp_deferred_split_page, 1);
    }
  }
  const cut = splitVmas(p, start, end);
  const np: Process = { ...cut, vmas: cut.vmas.filter((v) => v.end <= start || v.start >= end) };
  st.setProcess(np);
  return np;
}

// mm/mprotect.c do_mprotect_pkey(): new protections; write permission is removed from the entries when it goes
export function do_mprotect(ctx: Context, p: Process, start: number, end: number, prot: number, line: number): Process {
  const st = ctx.st;
  const ps = st.pageSize;
  if (!p.vmas.some((v) => v.start < end && v.end > start)) throw new RunStop('mprotect: nothing is mapped there', line);
  splitPmdsAtEdges(ctx, p, start, end);
  if (!(prot & PROT_WRITE)) {
    const per = st.pmdSize / ps;
    for (let vpn = start / ps; vpn < end / ps; vpn++) {
      if (vpn % per === 0) {
        const pe = st.getPmd(p.id, vpn);
        if (pe !== 0) {
          if (pteType(pe) === Pte.PRESENT && pteBits(pe) & Pte.WRITE) st.setPmd(p.id, vpn, pe - Pte.WRITE);
          vpn += per - 1;
          continue;
        }
      }
      const e = st.getPte(p.id, vpn);
      if (e !== 0 && pteType(e) === Pte.PRESENT && pteBits(e) & Pte.WRITE) st.setPte(p.id, vpn, e - Pte.WRITE);
    }
  }
  const cut = splitVmas(p, start, end);
  const np: Process = { ...cut, vmas: cut.vmas.map((v) => (v.start >= start && v.end <= end ? { ...v, prot } : v)) };
  st.setProcess(np);
  return np;
}

// mm/mremap.c move_vma(): the range moves to a new VMA; PMDs move whole when both ends are PMD aligned
export function do_mremap(ctx: Context, mm: MmSetup, p: Process, start: number, end: number, newName: string, at: number | undefined, line: number): Process {
  const st = ctx.st;
  const ps = st.pageSize;
  const per = st.pmdSize / ps;
  const src = p.vmas.filter((v) => v.start < end && v.end > start);
  if (src.length !== 1 || src[0].start > start || src[0].end < end) throw new RunStop('mremap: the range must lie inside one mapping', line);
  const old = src[0];
  const size = end - start;
  const dest = mm.placeMapping(p, size, start % st.pmdSize === 0 ? st.pmdSize : ps, at, line);
  const aligned = start % st.pmdSize === 0 && dest % st.pmdSize === 0;
  if (!aligned) splitPmdsAtEdges(ctx, p, start, end);
  for (let vpn = start / ps; vpn < end / ps; vpn++) {
    const nv = vpn - start / ps + dest / ps;
    if (vpn % per === 0) {
      const pe = st.getPmd(p.id, vpn);
      if (pe !== 0) {
        if (aligned && vpn + per <= end / ps) {
          st.setPmd(p.id, vpn, 0);
          st.setPmd(p.id, nv, pe);
          vpn += per - 1;
          continue;
        }
        split_huge_pmd(ctx, p.id, vpn);
      }
    }
    const e = st.getPte(p.id, vpn);
    if (e === 0) continue;
    st.setPte(p.id, vpn, 0);
    st.setPte(p.id, nv, e);
  }
  const cut = splitVmas(p, start, end);
  // the moved part is a mapping of its own name (offset 0 at its start) over the same file pages
  const moved: Vma = { ...old, name: newName, start: dest, end: dest + size, pgoff: 0, fileBase: (old.fileBase ?? 0) + old.pgoff + (start - old.start) };
  const np: Process = { ...cut, vmas: [...cut.vmas.filter((v) => v.end <= start || v.start >= end), moved].sort((a, b) => a.start - b.start) };
  st.setProcess(np);
  return np;
}

// mm/mlock.c do_mlock(): VM_LOCKED on the range and populate it (mlocked, unevictable folios)
export function do_mlock(ctx: Context, mm: MmSetup, p: Process, start: number, end: number, line: number): Process {
  const st = ctx.st;
  if (!p.vmas.some((v) => v.start < end && v.end > start)) throw new RunStop('mlock: nothing is mapped there', line);
  const cut = splitVmas(p, start, end);
  const np: Process = { ...cut, vmas: cut.vmas.map((v) => (v.start >= start && v.end <= end ? { ...v, locked: true } : v)) };
  st.setProcess(np);
  for (const v of np.vmas) {
    if (v.end <= start || v.start >= end) continue;
    const write = (v.prot & PROT_WRITE) !== 0 && !v.shared;
    if (v.prot & (PROT_READ | PROT_WRITE)) touch(ctx, mm, np, v.start, v.end, write, undefined, line);
  }
  for (const f of foliosIn(ctx, np, start, end)) st.setFlag(f, F.MLOCKED | F.UNEVICTABLE);
  return np;
}

/** Distinct folios mapped in [start, end) of a process (present entries). */
export function foliosIn(ctx: Context, p: Process, start: number, end: number): FolioId[] {
  const st = ctx.st;
  const ps = st.pageSize;
  const per = st.pmdSize / ps;
  const seen = new Set<FolioId>();
  for (let vpn = start / ps; vpn < end / ps; vpn++) {
    const pv = Math.floor(vpn / per) * per;
    const pe = st.getPmd(p.id, pv);
    const e = pe !== 0 ? pe : st.getPte(p.id, vpn);
    if (e !== 0 && pteType(e) === Pte.PRESENT && !(pteBits(e) & Pte.ZERO_PFN)) seen.add(pteFolio(e));
  }
  return [...seen];
}

// kernel/fork.c dup_mmap() + copy_page_range(): private anon becomes shared (write-protected, not exclusive); pinned pages are copied
export function do_fork(ctx: Context, mm: MmSetup, parent: Process, child: Process, line: number): Process {
  const st = ctx.st;
  const vmas: Vma[] = parent.vmas.map((v) => ({ ...v }));
  let np: Process = { ...child, vmas };
  st.setProcess(np);
  const per = st.pmdSize / st.pageSize;
  const writeProtect = (v: Vma) => v.backing === 'anon' && !v.shared;
  for (const v of parent.vmas) {
    if (!vma_needs_copy(ctx, parent, v)) continue;
    for (let vpn = v.start / st.pageSize; vpn < v.end / st.pageSize; vpn++) {
      if (vpn % per === 0) {
        const pe = st.getPmd(parent.id, vpn);
        if (pe !== 0) {
          forkEntry(ctx, mm, parent, np, v, vpn, pe, true, writeProtect(v), line);
          vpn += per - 1;
          continue;
        }
      }
      const e = st.getPte(parent.id, vpn);
      if (e !== 0) forkEntry(ctx, mm, parent, np, v, vpn, e, false, writeProtect(v), line);
    }
  }
  np = st.procs[np.id];
  return np;
}

// mm/memory.c vma_needs_copy() (6.1, 6.12): page tables are copied only for PFNMAP/MIXEDMAP or a VMA with an anon_vma
// (uffd-wp is not modelled); the child faults the rest in. The model keeps no anon_vma pointer, so one is taken to
// exist in a private VMA that maps an anonymous folio, a private hugetlb page (hugetlb_no_page prepares it) or a page
// it wrote (the kernel's COW copy); a private VMA whose only anon pages were all unmapped again is not copied.
function vma_needs_copy(ctx: Context, parent: Process, v: Vma): boolean {
  if (v.special) return true;
  if (v.shared) return false;
  const st = ctx.st;
  const per = st.pmdSize / st.pageSize;
  for (let vpn = v.start / st.pageSize; vpn < v.end / st.pageSize; vpn++) {
    const pe = vpn % per === 0 ? st.getPmd(parent.id, vpn) : 0;
    const e = pe !== 0 ? pe : st.getPte(parent.id, vpn);
    if (pe !== 0) vpn += per - 1;
    if (e === 0) continue;
    // a device-private entry replaced an anonymous page (migrate_vma works on private anon memory only)
    if (pteType(e) === Pte.DEVICE_PRIVATE_READ || pteType(e) === Pte.DEVICE_PRIVATE_WRITE) return true;
    if (pteType(e) !== Pte.PRESENT || pteBits(e) & Pte.ZERO_PFN) continue;
    const k = st.kind(pteFolio(e));
    if (k === Kind.ANON || k === Kind.KSM || k === Kind.HUGETLB || pteBits(e) & Pte.DIRTY) return true;
  }
  return false;
}

function forkEntry(ctx: Context, mm: MmSetup, parent: Process, child: Process, v: Vma, vpn: number, e: number, pmd: boolean, wp: boolean, line: number): void {
  const st = ctx.st;
  const t = pteType(e);
  const set = (mmId: number, entry: number) => (pmd ? st.setPmd(mmId, vpn, entry) : st.setPte(mmId, vpn, entry));
  if (!pmd && (t === Pte.DEVICE_PRIVATE_READ || t === Pte.DEVICE_PRIVATE_WRITE)) {
    copy_nonpresent_pte_device_private(ctx, parent, child, vpn, e, wp);
    return;
  }
  if (t !== Pte.PRESENT) return; // scenarios make no swap entries; migration entries live only inside a call
  const f = pteFolio(e);
  const bits = pteBits(e);
  if (bits & Pte.ZERO_PFN) {
    set(child.id, e);
    return;
  }
  if (wp && st.pins(f) > 0 && st.has(f, F.ANON_EXCLUSIVE)) {
    // page_needs_cow_for_dma(): the child gets its own copy at fork time
    const nodes = [st.node(f)];
    const a = allocUserPages(ctx, nodes, st.order(f), line, 'fork');
    if (a.node < 0) throw new RunStop('fork: out of memory copying a pinned page', line);
    const c = newUserFolio(ctx, v, a.node, a.zone, st.order(f), true);
    set(child.id, packPte(c, pteSub(e), bits));
    st.addMapcount(c, 1);
    st.addRef(c, 1);
    return;
  }
  const nb = wp ? bits & ~Pte.WRITE : bits;
  if (wp) {
    set(parent.id, packPte(f, pteSub(e), nb));
    st.clearFlag(f, F.ANON_EXCLUSIVE);
  }
  set(child.id, packPte(f, pteSub(e), nb));
  st.addMapcount(f, 1);
  st.addRef(f, 1);
  void mm;
}

// mm/memory.c copy_nonpresent_pte(), device-private branch — v6.1 … v6.12: the child maps the device page too
// (a reference, a mapcount, AnonExclusive dropped: it cannot be pinned, so the dup never fails), and a writable
// entry in a COW mapping becomes readable in both, so the next CPU write faults and migrates it back
function copy_nonpresent_pte_device_private(ctx: Context, parent: Process, child: Process, vpn: number, e: number, cow: boolean): void {
  const st = ctx.st;
  const f = pteFolio(e);
  let entry = e;
  if (pteType(e) === Pte.DEVICE_PRIVATE_WRITE && cow) {
    entry = packPte(f, pteSub(e), (pteBits(e) & ~Pte.TYPE_MASK & ~Pte.WRITE) | Pte.DEVICE_PRIVATE_READ);
    st.setPte(parent.id, vpn, entry);
  }
  st.clearFlag(f, F.ANON_EXCLUSIVE);
  st.setPte(child.id, vpn, entry);
  st.addMapcount(f, 1);
  st.addRef(f, 1);
}

/** set_mempolicy(2) */
export function set_mempolicy(ctx: Context, p: Process, policy: MemPolicy): Process {
  const np: Process = { ...p, policy };
  ctx.st.setProcess(np);
  return np;
}


