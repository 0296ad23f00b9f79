// Shared pieces of the syscall layer (mempolicy.ts, migrate_syscalls.ts, gup.ts,
// migrate_device.ts, numa.ts): UAPI constants, credentials, node masks, address
// resolution of scenario AddrRefs, and the page-table lookups the syscalls do.
//
// The outcome every syscall-layer operation returns to the dispatcher (run.ts):
//   ret     the syscall's return value (negative errno on failure)
//   status  move_pages(2) status[]; `null` = never written by the kernel
//   counts  named scalars for `expect cpages|npages|pinned|passes|nr_failed N`

import type { AddrRef, NodeList, Target, Ident } from '../scenario/ast';
import { ERRNO } from './context';
import type { Context } from './context';
import { MemState, Process, Vma, FolioId, Pte, pteType, pteFolio, pteSub, Kind, F } from './state';
import { RunStop, eventId } from './trace';

export interface SyscallOutcome {
  ret: number;
  status?: (number | null)[];
  counts?: Record<string, number>;
}

// ---------------------------------------------------------------- include/uapi/linux/mempolicy.h

export const MPOL_DEFAULT = 0;
export const MPOL_PREFERRED = 1;
export const MPOL_BIND = 2;
export const MPOL_INTERLEAVE = 3;
export const MPOL_LOCAL = 4;
export const MPOL_PREFERRED_MANY = 5;
export const MPOL_WEIGHTED_INTERLEAVE = 6;
export const MPOL_MAX = 7;
export const MPOL_MODE_NAMES: Record<string, number> = {
  MPOL_DEFAULT, MPOL_PREFERRED, MPOL_BIND, MPOL_INTERLEAVE, MPOL_LOCAL, MPOL_PREFERRED_MANY, MPOL_WEIGHTED_INTERLEAVE,
};

export const MPOL_F_STATIC_NODES = 1 << 15;
export const MPOL_F_RELATIVE_NODES = 1 << 14;
export const MPOL_F_NUMA_BALANCING = 1 << 13;
export const MPOL_MODE_FLAGS = MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES | MPOL_F_NUMA_BALANCING;
export const MPOL_MODE_FLAG_NAMES: Record<string, number> = { MPOL_F_STATIC_NODES, MPOL_F_RELATIVE_NODES, MPOL_F_NUMA_BALANCING };

export const MPOL_MF_STRICT = 1 << 0;
export const MPOL_MF_MOVE = 1 << 1;
export const MPOL_MF_MOVE_ALL = 1 << 2;
export const MPOL_MF_LAZY = 1 << 3;
export const MPOL_MF_INTERNAL = 1 << 4;
export const MPOL_MF_DISCONTIG_OK = MPOL_MF_INTERNAL << 0;
export const MPOL_MF_INVERT = MPOL_MF_INTERNAL << 1;
export const MPOL_MF_WRLOCK = MPOL_MF_INTERNAL << 2;
export const MPOL_MF_VALID = MPOL_MF_STRICT | MPOL_MF_MOVE | MPOL_MF_MOVE_ALL;
export const MPOL_MF_NAMES: Record<string, number> = { MPOL_MF_STRICT, MPOL_MF_MOVE, MPOL_MF_MOVE_ALL, MPOL_MF_LAZY };

/** MAX_NUMNODES of the Debian kernels (CONFIG_NODES_SHIFT=10) */
export const MAX_NUMNODES = 1024;
export const NUMA_NO_NODE = -1;
export const PAGE_SIZE_BITS = 4096 * 8;

/** `-EINVAL` etc. */
export function err(name: keyof typeof ERRNO | string): number {
  const v = ERRNO[name];
  if (v === undefined) throw new Error(`unknown errno ${name}`);
  return -v;
}

// ---------------------------------------------------------------- syscall-layer profile switches kept here

/**
 * Version differences of the syscall layer that engine/profiles.ts does not carry,
 * keyed by profile name (the same names as PROFILES).
 *   gupLongtermFileWriteEfault  v6.5+ ("mm/gup: disallow FOLL_LONGTERM GUP-nonfast writing
 *       to file-backed mappings", check_vma_flags → writable_file_mapping_allowed): a
 *       writable long-term pin of a shared regular-file mapping is -EFAULT; shmem and
 *       hugetlbfs do not need dirty tracking and stay allowed.
 */
export interface SyscallProfile {
  gupLongtermFileWriteEfault: boolean;
  /**
   * Before Yang Shi's "mm: mempolicy: keep VMA walk if both MPOL_MF_STRICT and
   * MPOL_MF_MOVE are specified" (v6.6, Cc stable 4.9+, so in Debian's 6.1.y): an
   * unmovable folio under STRICT|MOVE* returned 1 from the pmd/hugetlb callback,
   * which stops walk_page_range, so later misplaced folios were not migrated.
   * After it: qp->has_unmovable is recorded and the walk goes on (pre-6.7 code only).
   */
  mbindStrictMoveStopsWalk: boolean;
}
const SYSCALL_PROFILES: Record<string, SyscallProfile> = {
  '6.12': { gupLongtermFileWriteEfault: true, mbindStrictMoveStopsWalk: false },
  '6.1': { gupLongtermFileWriteEfault: false, mbindStrictMoveStopsWalk: false },
  '6.3-rc1': { gupLongtermFileWriteEfault: false, mbindStrictMoveStopsWalk: true },
};
export function syscallProfile(ctx: Context): SyscallProfile {
  return SYSCALL_PROFILES[ctx.profile.name] ?? SYSCALL_PROFILES['6.12'];
}

// ---------------------------------------------------------------- events of the syscall layer

export const SEV = {
  syscall_enter: eventId('syscall_enter'),
  syscall_exit: eventId('syscall_exit'),
  queue_folio: eventId('queue_folio'),
  queue_skip: eventId('queue_skip'),
  queue_failed: eventId('queue_failed'),
  strict_fail: eventId('strict_fail'),
  migration_entry_seen: eventId('migration_entry_seen'),
  store_status: eventId('store_status'),
  flush_batch: eventId('flush_batch'),
  policy_applied: eventId('policy_applied'),
  gup_pin: eventId('gup_pin'),
  gup_unpin: eventId('gup_unpin'),
  gup_retry: eventId('gup_retry'),
  collect_longterm_unpinnable: eventId('collect_longterm_unpinnable'),
  migrate_longterm_unpinnable: eventId('migrate_longterm_unpinnable'),
  lru_add_drain_all: eventId('lru_add_drain_all'),
  migrate_vma_setup: eventId('migrate_vma_setup'),
  migrate_vma_collect: eventId('migrate_vma_collect'),
  migrate_vma_hole: eventId('migrate_vma_hole'),
  migrate_vma_skip: eventId('migrate_vma_skip'),
  migrate_vma_unmap: eventId('migrate_vma_unmap'),
  migrate_vma_restore: eventId('migrate_vma_restore'),
  migrate_vma_pages: eventId('migrate_vma_pages'),
  migrate_vma_finalize: eventId('migrate_vma_finalize'),
  pte_offset_map_lock_failed: eventId('pte_offset_map_lock_failed'),
  pmd_bad: eventId('pmd_bad'),
  numa_misplaced: eventId('numa_misplaced'),
};

// ---------------------------------------------------------------- credentials

export const UID_NOBODY = 65534;

/** capable(CAP_SYS_NICE): root, or a process declared `nice` */
export function capableSysNice(p: Process): boolean {
  return p.uid === 0 || p.capSysNice;
}

/** ptrace_may_access(task, PTRACE_MODE_READ_REALCREDS): same real uid, or CAP_SYS_PTRACE (root) */
export function ptraceMayAccess(caller: Process, target: Process): boolean {
  return caller.id === target.id || caller.uid === 0 || caller.uid === target.uid;
}

/** cpuset_mems_allowed(): no cpusets in the model, so every node with memory */
export function cpusetMems(st: MemState): Set<number> {
  return new Set(st.nodeIds().filter((n) => (st.nodeSpecs.find((s) => s.id === n)?.memoryPages ?? 0) > 0));
}

/** node_state(node, N_MEMORY) */
export function nodeHasMemory(st: MemState, n: number): boolean {
  return st.hasNode(n) && (st.nodeSpecs.find((s) => s.id === n)?.memoryPages ?? 0) > 0;
}

// ---------------------------------------------------------------- scenario values

export function num(n: { value: bigint } | undefined, line: number, what: string): number {
  if (!n) throw new RunStop(`${what} is missing`, line);
  return Number(n.value);
}

export function nodeListSet(l: NodeList | undefined): Set<number> {
  const s = new Set<number>();
  if (l) for (const n of l.nodes) s.add(Number(n.value));
  return s;
}

/** Looks a declared process up by name; a missing one stops the run with the line. */
export function procNamed(st: MemState, id: Ident | undefined, line: number): Process {
  if (!id) throw new RunStop('which process?', line);
  const p = st.procByName(id.text);
  if (!p) throw new RunStop(`no process named '${id.text}' is declared`, line);
  return p;
}

/**
 * A syscall's target: a declared process, or a raw pid. `undefined` = no such
 * task (ESRCH). pid 0 is the caller itself.
 */
export function targetProcess(st: MemState, t: Target | undefined, caller: Process | undefined, line: number): Process | undefined {
  if (!t) throw new RunStop('which process?', line);
  if (t.process) return procNamed(st, t.process, line);
  const pid = Number(t.pid?.value ?? -1n);
  if (pid === 0) return caller;
  return st.procs.find((p) => p && p.id === pid && pid !== 0);
}

/** Base address of a named mapping of a process: where `name[0]` is, even after part of it was unmapped. */
export function mappingBase(p: Process, name: string): number | undefined {
  let base: number | undefined;
  for (const v of p.vmas) {
    if (v.name !== name) continue;
    const b = v.backing === 'anon' || v.backing === 'hugetlb' ? v.start - v.pgoff : v.start - v.pgoff;
    if (base === undefined || b < base) base = b;
  }
  return base;
}

/** End of a named mapping (the highest end of its VMAs). */
function mappingEnd(p: Process, name: string): number | undefined {
  let end: number | undefined;
  for (const v of p.vmas) if (v.name === name && (end === undefined || v.end > end)) end = v.end;
  return end;
}

/**
 * Resolves `heap`, `heap[8K]`, `heap[0..4K]` or a raw `0x1000` to byte addresses
 * [start, end). A single page gives one page. The mapping's own base is used, so
 * offsets stay meaningful after munmap/mprotect split it.
 */
export function resolveAddr(st: MemState, p: Process, ref: AddrRef | undefined, line: number): { start: number; end: number } {
  if (!ref) throw new RunStop('which address?', line);
  const ps = st.pageSize;
  if (!ref.mapping) {
    const a = Number(ref.start?.value ?? 0n);
    const e = ref.end !== undefined ? Number(ref.end.value) : a + ps;
    return { start: a, end: e };
  }
  const name = ref.mapping.text;
  const base = mappingBase(p, name) ?? lostMappings.get(`${p.id}:${name}`);
  if (base === undefined) throw new RunStop(`process '${p.name}' has no mapping named '${name}'`, line);
  if (ref.whole) {
    const end = mappingEnd(p, name) ?? base;
    return { start: base, end };
  }
  const s = base + Number(ref.start?.value ?? 0n);
  const e = ref.end !== undefined ? base + Number(ref.end.value) : s + ps;
  return { start: s, end: e };
}

/** Mappings that were wholly unmapped keep their last base here, so raw offsets still resolve (to a hole). */
const lostMappings = new Map<string, number>();
export function rememberMapping(p: Process, name: string, base: number): void {
  lostMappings.set(`${p.id}:${name}`, base);
}

export function findVma(p: Process, addr: number): Vma | undefined {
  for (const v of p.vmas) if (addr >= v.start && addr < v.end) return v;
  return undefined;
}

// include/linux/mempolicy.h vma_migratable() — v6.1 … v6.12: not VM_IO|VM_PFNMAP, and hugetlb only with
// CONFIG_ARCH_ENABLE_HUGEPAGE_MIGRATION (DAX and low-zone files are not modelled)
export function vmaMigratable(ctx: Context, v: Vma): boolean {
  if (v.special) return false;
  return v.backing !== 'hugetlb' || ctx.profile.hugepageMigrationSupported;
}

export function vmaIsAnonymous(v: Vma): boolean {
  return v.backing === 'anon' && !v.shared;
}

// ---------------------------------------------------------------- page-table lookups

export interface Walked {
  /** the PMD entry covering the address (0 = none / not huge) */
  pmd: number;
  /** the PTE (0 = none); for a PMD mapping, the PMD entry itself */
  entry: number;
  /** folio mapped there (present or migration/device entry), -1 = none */
  folio: FolioId;
  sub: number;
  present: boolean;
  huge: boolean;
}

export function pmdVpnOf(st: MemState, vpn: number): number {
  const per = st.pmdSize / st.pageSize;
  return Math.floor(vpn / per) * per;
}

/** Reads the page tables of `p` at `addr` (follow_page / folio_walk without side effects). */
export function walkAddr(st: MemState, p: Process, addr: number): Walked {
  const vpn = Math.floor(addr / st.pageSize);
  const pv = pmdVpnOf(st, vpn);
  const pmd = st.getPmd(p.id, pv);
  if (pmd !== 0) {
    const t = pteType(pmd);
    const f = t === Pte.SWAP ? -1 : pteFolio(pmd);
    return { pmd, entry: pmd, folio: f, sub: pteSub(pmd) + (vpn - pv), present: t === Pte.PRESENT, huge: true };
  }
  const e = st.getPte(p.id, vpn);
  if (e === 0) return { pmd: 0, entry: 0, folio: -1, sub: 0, present: false, huge: false };
  const t = pteType(e);
  return { pmd: 0, entry: e, folio: t === Pte.SWAP ? -1 : pteFolio(e), sub: pteSub(e), present: t === Pte.PRESENT, huge: false };
}

/** is_zero_folio / is_huge_zero_folio */
export function isZeroFolio(st: MemState, f: FolioId, entry: number): boolean {
  return (entry & Pte.ZERO_PFN) !== 0 || st.kind(f) === Kind.ZERO || st.has(f, F.HUGE_ZERO);
}

export function isZoneDevice(st: MemState, f: FolioId): boolean {
  return st.kind(f) === Kind.DEVICE_PRIVATE;
}

/** Number of distinct mms mapping a folio (the model's mapcount-of-processes). */
export function mappedMms(st: MemState, f: FolioId): number {
  const s = new Set<number>();
  for (const r of st.rmapOf(f)) s.add(r.mm);
  return s.size;
}

/**
 * The sharing test of migrate_folio_add / add_folio_for_migration, per profile:
 *   'mapcount'              ≤6.7: page_mapcount(page) > 1
 *   'likely_mapped_shared'  6.8–6.14: folio_likely_mapped_shared()
 *   'maybe_mapped_shared'   6.15+: folio_maybe_mapped_shared()
 * For a small folio (and a hugetlb folio, whose mapcount counts whole mappings)
 * all three are "mapcount > 1" — a KSM page merged within one process is shared.
 * For other large folios the model answers "mapped by more than one mm": the three
 * heuristics differ only for partially mapped large folios (see docs/kernel-findings.md).
 */
export function folioShared(ctx: Context, f: FolioId): boolean {
  const st = ctx.st;
  if (!st.isLarge(f) || st.kind(f) === Kind.HUGETLB) return st.mapcount(f) > 1;
  return mappedMms(st, f) > 1;
}

/** Nodes of a mask in ascending order. */
export function sortedNodes(s: Set<number>): number[] {
  return [...s].sort((a, b) => a - b);
}
