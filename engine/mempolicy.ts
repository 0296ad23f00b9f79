// mm/mempolicy.c: mbind(2) and migrate_pages(2) — the page-table walk that
// queues misplaced folios (queue_pages_range), the policy split of VMAs, and the
// two syscalls around the internal migrate_pages().
//
// Version switches (engine/profiles.ts):
//   mempolicyCountsIsolationFailures  v6.7+ (Hugh Dickins, 1cb5d11a370f): qp->nr_failed
//       and qp->large, queue_pages_range returns a folio count that migrate_pages(2)
//       adds to its result. Before (6.1): the walk returns 1 (has_unmovable) only
//       under STRICT, and migrate_pages(2) ignores isolation failures.
//   mempolicyPteBatching              ≈v6.16+: an isolation failure adds `nr` PTEs.
//   mbindStrictMoveStopsWalk (syscall_common.ts)  v6.3-rc1: the return of 1 stops the walk;
//       6.1.y has Yang Shi's v6.6 stable fix (qp->has_unmovable, the walk goes on).
//   sharedTest                        which "is this folio shared" heuristic.

import type { MbindOp, MigratePagesSyscall } from '../scenario/ast';
import { Context, MIGRATE_SYNC, MR_MEMPOLICY_MBIND, MR_SYSCALL, DstSpec } from './context';
import { MemState, Process, Vma, FolioId, ListId, Kind, Pte, pteType, pteFolio, isMigrationType, defineFn, Scalar, MemPolicy } from './state';
import { RunStop } from './trace';
import { split_huge_pmd } from './mm';
import {
  SyscallOutcome, SEV, err, MPOL_DEFAULT, MPOL_PREFERRED, MPOL_BIND, MPOL_LOCAL, MPOL_PREFERRED_MANY,
  MPOL_MAX, MPOL_MODE_NAMES, MPOL_F_STATIC_NODES, MPOL_F_RELATIVE_NODES, MPOL_F_NUMA_BALANCING,
  MPOL_MODE_FLAG_NAMES, MPOL_MF_STRICT, MPOL_MF_MOVE, MPOL_MF_MOVE_ALL, MPOL_MF_NAMES, MPOL_MF_DISCONTIG_OK, MPOL_MF_INVERT,
  MPOL_MF_WRLOCK, MPOL_MF_VALID, MAX_NUMNODES, PAGE_SIZE_BITS, capableSysNice, ptraceMayAccess, cpusetMems, procNamed,
  targetProcess, resolveAddr, vmaMigratable, walkAddr, syscallProfile, isZeroFolio, isZoneDevice, folioShared, sortedNodes, pmdVpnOf,
} from './syscall_common';

const FN_do_mbind = defineFn('do_mbind', ['start', 'end', 'mode', 'flags', 'nr_failed', 'err']);
const FN_queue_pages_range = defineFn('queue_pages_range', ['start', 'end', 'flags', 'nr_failed', 'large']);
const FN_queue_folios_pte_range = defineFn('queue_folios_pte_range', ['addr', 'end', 'nr_failed']);
const FN_queue_folios_hugetlb = defineFn('queue_folios_hugetlb', ['addr', 'nr_failed']);
const FN_mbind_range = defineFn('mbind_range', ['start', 'end']);
const FN_kernel_migrate_pages = defineFn('kernel_migrate_pages', ['pid', 'maxnode', 'err']);
const FN_do_migrate_pages = defineFn('do_migrate_pages', ['source', 'dest', 'busy', 'err']);
const FN_migrate_to_node = defineFn('migrate_to_node', ['source', 'dest', 'nr_failed', 'err']);

/** The new policy of mpol_new(); `null` = MPOL_DEFAULT (no policy object). */
type NewPolicy = MemPolicy | null;

// mm/mempolicy.c mpol_new() — v6.1 … v6.12 (PREFERRED with an empty mask becomes LOCAL)
function mpol_new(mode: number, modeFlags: number, nodes: Set<number>): NewPolicy | number {
  if (mode === MPOL_DEFAULT) {
    if (nodes.size > 0) return err('EINVAL');
    return null;
  }
  if (nodes.size === 0) {
    if (mode === MPOL_PREFERRED) {
      if (modeFlags & (MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES)) return err('EINVAL');
      mode = MPOL_LOCAL;
    } else if (mode === MPOL_LOCAL) {
      // fine
    } else {
      return err('EINVAL');
    }
  } else if (mode === MPOL_LOCAL) {
    return err('EINVAL'); // MPOL_LOCAL takes no nodes
  }
  return { mode, nodes: sortedNodes(nodes), flags: modeFlags };
}

// mm/mempolicy.c strictly_unmovable() — v6.7+ (the same test is implicit in 6.1's `else break`)
function strictly_unmovable(flags: number): boolean {
  return (flags & (MPOL_MF_STRICT | MPOL_MF_MOVE | MPOL_MF_MOVE_ALL)) === MPOL_MF_STRICT;
}

/**
 * Sum of qp->nr_failed over the walks of the current syscall, reported as
 * `expect nr_failed N` (the kernel folds it into the return value; the model
 * keeps it apart so a scenario can tell isolation failures from migration ones).
 */
let walkNrFailed = 0;

/** struct queue_pages */
interface QueuePages {
  pagelist: ListId;
  flags: number;
  nmask: Set<number>;
  start: number;
  end: number;
  first: Vma | null;
  /** qp->large (v6.7+): the last large folio seen */
  large: FolioId;
  /** qp->nr_failed (v6.7+) */
  nr_failed: number;
  /** qp->has_unmovable (6.1.y with Yang Shi's fix, v6.6): STRICT|MOVE* met an unmovable folio, walk on */
  has_unmovable: boolean;
  proc: Process;
  depth: number;
}

// mm/mempolicy.c queue_folio_required() — v6.1 (queue_pages_required) … v6.12
function queue_folio_required(st: MemState, f: FolioId, qp: QueuePages): boolean {
  return qp.nmask.has(st.node(f)) === !(qp.flags & MPOL_MF_INVERT);
}

/** Result of a pmd_entry / hugetlb_entry callback: 0 continues the walk; anything else stops it. */
type WalkRc = number;

/** Pre-6.7 "there is an unmovable folio": return 1 (stops the walk) or record qp->has_unmovable (walk on). */
function unmovable(ctx: Context, qp: QueuePages): WalkRc {
  if (syscallProfile(ctx).mbindStrictMoveStopsWalk) return 1;
  qp.has_unmovable = true;
  return 0;
}

// mm/mempolicy.c queue_folios_pmd() — v6.7+ counts qp->nr_failed; v6.1 queue_pages_pmd() returns 1 / -EIO
function queue_folios_pmd(ctx: Context, qp: QueuePages, v: Vma, pmd: number): WalkRc {
  const st = ctx.st;
  const modern = ctx.profile.mempolicyCountsIsolationFailures;
  const t = pteType(pmd);
  if (isMigrationType(t)) {
    ctx.trace.emit(SEV.migration_entry_seen, pteFolio(pmd));
    if (!modern) return err('EIO');
    qp.nr_failed++;
    return 0;
  }
  if (t !== Pte.PRESENT) return 0;
  const f = pteFolio(pmd);
  if (isZeroFolio(st, f, pmd)) return 0; // ACTION_CONTINUE: the huge zero page is skipped
  if (!queue_folio_required(st, f, qp)) {
    ctx.trace.emit(SEV.queue_skip, f);
    return 0;
  }
  const flags = qp.flags;
  if (!modern) {
    if (!(flags & (MPOL_MF_MOVE | MPOL_MF_MOVE_ALL))) return err('EIO');
    if (!vmaMigratable(ctx, v) || !migrate_folio_add(ctx, f, qp.pagelist, flags)) return unmovable(ctx, qp);
    return 0;
  }
  if (!(flags & (MPOL_MF_MOVE | MPOL_MF_MOVE_ALL)) || !vmaMigratable(ctx, v) || !migrate_folio_add(ctx, f, qp.pagelist, flags)) {
    qp.nr_failed++;
    ctx.trace.emit(SEV.queue_failed, f, qp.nr_failed);
  }
  return 0;
}

// mm/mempolicy.c queue_folios_pte_range() — v6.1 (queue_pages_pte_range: has_unmovable, break → -EIO) … v6.12 (qp->large, nr_failed; PTE batching by profile)
function queue_folios_pte_range(ctx: Context, qp: QueuePages, v: Vma, addr: number, end: number): WalkRc {
  const st = ctx.st;
  const trace = ctx.trace;
  const modern = ctx.profile.mempolicyCountsIsolationFailures;
  const d = trace.enter(FN_queue_folios_pte_range);
  st.setLocal(d, 0, addr);
  st.setLocal(d, 1, end);
  const ps = st.pageSize;
  const flags = qp.flags;
  const pv = pmdVpnOf(st, Math.floor(addr / ps));
  const pmd = st.getPmd(qp.proc.id, pv);
  let rc: WalkRc = 0;
  if (pmd !== 0) {
    // pmd_trans_huge_lock() succeeded: a PMD mapping or a PMD migration entry
    rc = queue_folios_pmd(ctx, qp, v, pmd);
    if (modern && rc === 0 && qp.nr_failed && strictly_unmovable(flags)) rc = err('EIO');
    st.setLocal(d, 2, qp.nr_failed);
    trace.exit(rc);
    return rc;
  }
  let hasUnmovable = false; // pre-6.7
  let broke = false;
  const stops = syscallProfile(ctx).mbindStrictMoveStopsWalk;
  for (let a = addr; a < end; a += ps) {
    const e = st.getPte(qp.proc.id, Math.floor(a / ps));
    if (e === 0) continue; // pte_none
    const t = pteType(e);
    if (t !== Pte.PRESENT) {
      if (modern && isMigrationType(t)) {
        qp.nr_failed++;
        trace.emit(SEV.migration_entry_seen, pteFolio(e), qp.nr_failed);
      }
      continue;
    }
    const f = pteFolio(e);
    // vm_normal_folio() filters out the zero page; zone-device folios are skipped too
    if (isZeroFolio(st, f, e) || isZoneDevice(st, f)) continue;
    if (!queue_folio_required(st, f, qp)) continue;
    if (modern) {
      if (st.isLarge(f)) {
        if (f === qp.large) continue;
        qp.large = f;
      }
      if (!(flags & (MPOL_MF_MOVE | MPOL_MF_MOVE_ALL)) || !vmaMigratable(ctx, v) || !migrate_folio_add(ctx, f, qp.pagelist, flags)) {
        let nr = 1;
        if (ctx.profile.mempolicyPteBatching) {
          // folio_pte_batch(): consecutive PTEs of this folio within the range
          while (a + nr * ps < end && pteType(st.getPte(qp.proc.id, Math.floor((a + nr * ps) / ps))) === Pte.PRESENT && pteFolio(st.getPte(qp.proc.id, Math.floor((a + nr * ps) / ps))) === f) nr++;
        }
        qp.nr_failed += nr;
        trace.emit(SEV.queue_failed, f, qp.nr_failed);
        if (strictly_unmovable(flags)) {
          trace.emit(SEV.strict_fail, f);
          broke = true;
          break;
        }
      }
    } else {
      if (flags & (MPOL_MF_MOVE | MPOL_MF_MOVE_ALL)) {
        // MPOL_MF_STRICT must be specified if we get here (6.1 comment)
        if (!vmaMigratable(ctx, v)) {
          hasUnmovable = true;
          if (stops) break;
        }
        if (!migrate_folio_add(ctx, f, qp.pagelist, flags)) hasUnmovable = true;
      } else {
        trace.emit(SEV.strict_fail, f);
        broke = true;
        break;
      }
    }
  }
  if (modern) rc = qp.nr_failed && strictly_unmovable(flags) ? err('EIO') : 0;
  else if (hasUnmovable && stops) rc = 1;
  else {
    if (hasUnmovable) qp.has_unmovable = true;
    rc = broke ? err('EIO') : 0;
  }
  st.setLocal(d, 2, qp.nr_failed);
  trace.exit(rc);
  return rc;
}

// mm/mempolicy.c queue_folios_hugetlb() — v6.1 (queue_pages_hugetlb: -EIO for STRICT alone, 1 on failure) … v6.12 (nr_failed, shared folio skipped uncounted)
function queue_folios_hugetlb(ctx: Context, qp: QueuePages, v: Vma, addr: number): WalkRc {
  const st = ctx.st;
  const trace = ctx.trace;
  const modern = ctx.profile.mempolicyCountsIsolationFailures;
  const d = trace.enter(FN_queue_folios_hugetlb);
  st.setLocal(d, 0, addr);
  const flags = qp.flags;
  const w = walkAddr(st, qp.proc, addr);
  const done = (rc: WalkRc): WalkRc => {
    st.setLocal(d, 1, qp.nr_failed);
    trace.exit(rc);
    return rc;
  };
  if (w.entry === 0) return done(0);
  if (!w.present) {
    if (modern && isMigrationType(pteType(w.entry))) qp.nr_failed++;
    return done(modern && qp.nr_failed && strictly_unmovable(flags) ? err('EIO') : 0);
  }
  const f = w.folio;
  if (!queue_folio_required(st, f, qp)) return done(0);
  if (!modern) {
    if ((flags & MPOL_MF_VALID) === MPOL_MF_STRICT) return done(err('EIO'));
    if (!vmaMigratable(ctx, v)) return done(unmovable(ctx, qp));
    if (flags & MPOL_MF_MOVE_ALL || (flags & MPOL_MF_MOVE && !folioShared(ctx, f))) {
      if (!ctx.isolateForMigration(f, qp.pagelist) && flags & MPOL_MF_STRICT) return done(unmovable(ctx, qp));
    }
    return done(0);
  }
  if (!(flags & (MPOL_MF_MOVE | MPOL_MF_MOVE_ALL)) || !vmaMigratable(ctx, v)) {
    qp.nr_failed++;
    trace.emit(SEV.queue_failed, f, qp.nr_failed);
  } else if (flags & MPOL_MF_MOVE_ALL || !folioShared(ctx, f)) {
    if (!ctx.isolateForMigration(f, qp.pagelist)) {
      qp.nr_failed++;
      trace.emit(SEV.queue_failed, f, qp.nr_failed);
    } else trace.emit(SEV.queue_folio, f);
  } else trace.emit(SEV.queue_skip, f);
  return done(qp.nr_failed && strictly_unmovable(flags) ? err('EIO') : 0);
}

// mm/mempolicy.c queue_pages_test_walk() — v6.1 … v6.12
function queue_pages_test_walk(ctx: Context, qp: QueuePages, v: Vma, next: Vma | undefined): number {
  const flags = qp.flags;
  if (!qp.first) {
    qp.first = v;
    if (!(flags & MPOL_MF_DISCONTIG_OK) && qp.start < v.start) return err('EFAULT'); // hole at head side of range
  }
  if (!(flags & MPOL_MF_DISCONTIG_OK) && v.end < qp.end && (!next || v.end < next.start)) return err('EFAULT'); // hole at middle or tail
  if (!vmaMigratable(ctx, v) && !(flags & MPOL_MF_STRICT)) return 1;
  if (flags & (MPOL_MF_STRICT | MPOL_MF_MOVE | MPOL_MF_MOVE_ALL)) return 0;
  return 1;
}

// mm/mempolicy.c queue_pages_range() — v6.1 (returns 0/1/-errno) … v6.12 (returns qp.nr_failed or -errno)
function queue_pages_range(ctx: Context, proc: Process, start: number, end: number, nmask: Set<number>, flags: number, pagelist: ListId): number {
  const st = ctx.st;
  const trace = ctx.trace;
  const d = trace.enter(FN_queue_pages_range);
  st.setLocal(d, 0, start);
  st.setLocal(d, 1, end);
  st.setLocal(d, 2, flags);
  const qp: QueuePages = { pagelist, flags, nmask, start, end, first: null, large: -1, nr_failed: 0, has_unmovable: false, proc, depth: d };
  const vmas = proc.vmas.filter((v) => v.end > start && v.start < end);
  let rc = 0;
  // walk_page_range(): test_walk per VMA, then pmd_entry per PMD range (or hugetlb_entry per huge page); a non-zero callback stops the walk
  outer: for (let i = 0; i < vmas.length; i++) {
    const v = vmas[i];
    const next = proc.vmas.find((x) => x.start >= v.end);
    const t = queue_pages_test_walk(ctx, qp, v, next);
    if (t > 0) continue;
    if (t < 0) {
      rc = t;
      break;
    }
    const lo = Math.max(start, v.start);
    const hi = Math.min(end, v.end);
    if (v.backing === 'hugetlb') {
      const hs = st.pmdSize;
      for (let a = Math.floor(lo / hs) * hs; a < hi; a += hs) {
        rc = queue_folios_hugetlb(ctx, qp, v, Math.max(a, v.start));
        if (rc !== 0) break outer;
      }
      continue;
    }
    const ps = st.pmdSize;
    for (let a = lo; a < hi; ) {
      const next = Math.min(hi, (Math.floor(a / ps) + 1) * ps);
      rc = queue_folios_pte_range(ctx, qp, v, a, next);
      if (rc !== 0) break outer;
      a = next;
    }
  }
  if (qp.has_unmovable) rc = 1;
  if (!qp.first) rc = err('EFAULT'); // whole range in hole
  const out = ctx.profile.mempolicyCountsIsolationFailures ? (rc ? rc : qp.nr_failed) : rc;
  st.setLocal(d, 3, qp.nr_failed);
  st.setLocal(d, 4, qp.large);
  walkNrFailed += qp.nr_failed;
  trace.exit(out);
  return out;
}

// mm/mempolicy.c mbind_range() + vma_replace_policy() — v6.1 … v6.12 (split at start/end; merging is not modelled)
function mbind_range(ctx: Context, proc: Process, start: number, end: number, pol: NewPolicy): void {
  const st = ctx.st;
  const d = ctx.trace.enter(FN_mbind_range);
  st.setLocal(d, 0, start);
  st.setLocal(d, 1, end);
  // vma_adjust_trans_huge(): a PMD mapping across a split point becomes PTEs first
  for (const cut of [start, end]) {
    const pv = pmdVpnOf(st, Math.floor(cut / st.pageSize));
    if (cut % st.pmdSize !== 0 && pteType(st.getPmd(proc.id, pv)) === Pte.PRESENT) split_huge_pmd(ctx, proc.id, pv);
  }
  const out: Vma[] = [];
  let changed = false;
  const same = (a: MemPolicy | undefined, b: NewPolicy): boolean =>
    (!a && !b) || (!!a && !!b && a.mode === b.mode && a.flags === b.flags && a.nodes.join() === b.nodes.join());
  for (const v of proc.vmas) {
    if (v.end <= start || v.start >= end || same(v.policy, pol)) {
      out.push(v);
      continue;
    }
    changed = true;
    const lo = Math.max(start, v.start);
    const hi = Math.min(end, v.end);
    const piece = (s: number, e: number, policy: MemPolicy | undefined): Vma => ({ ...v, start: s, end: e, pgoff: v.pgoff + (s - v.start), policy });
    if (v.start < lo) out.push(piece(v.start, lo, v.policy));
    out.push(piece(lo, hi, pol ?? undefined));
    if (hi < v.end) out.push(piece(hi, v.end, v.policy));
  }
  if (changed) {
    st.setProcess({ ...proc, vmas: out });
    ctx.trace.emit(SEV.policy_applied, -1, start, end);
  }
  ctx.trace.exit(0);
}

// mm/mempolicy.c migrate_folio_add() — v6.1 (migrate_page_add: failure counts only under STRICT) … v6.12
function migrate_folio_add(ctx: Context, f: FolioId, list: ListId, flags: number): boolean {
  // Avoid migrating a folio that is shared with others (MOVE_ALL overrides); skipping counts as success.
  if (flags & MPOL_MF_MOVE_ALL || !folioShared(ctx, f)) {
    const ok = ctx.st.kind(f) === Kind.HUGETLB ? ctx.isolateForMigration(f, list) : ctx.isolateLru(f, list);
    if (ok) {
      ctx.trace.emit(SEV.queue_folio, f);
      return true;
    }
    // 6.1: a failed isolation only matters (-EIO → has_unmovable) when STRICT is set
    if (!ctx.profile.mempolicyCountsIsolationFailures && !(flags & MPOL_MF_STRICT)) return true;
    return false;
  }
  ctx.trace.emit(SEV.queue_skip, f);
  return true;
}

// mm/mempolicy.c migrate_to_node() — v6.1 (nr_failed of the walk ignored) … v6.12 (err += nr_failed)
function migrate_to_node(ctx: Context, proc: Process, source: number, dest: number, flags: number): number {
  const st = ctx.st;
  const d = ctx.trace.enter(FN_migrate_to_node);
  st.setLocal(d, 0, source);
  st.setLocal(d, 1, dest);
  const first = proc.vmas[0];
  if (!first) {
    ctx.trace.exit(0);
    return 0;
  }
  const pagelist = st.newList('pagelist');
  // the whole address space from the first VMA to TASK_SIZE, with DISCONTIG_OK: cannot fail with -EFAULT
  const taskSize = 2 ** 47;
  const q = queue_pages_range(ctx, proc, first.start, taskSize, new Set([source]), flags | MPOL_MF_DISCONTIG_OK, pagelist);
  const modern = ctx.profile.mempolicyCountsIsolationFailures;
  const nr_failed = modern ? q : 0;
  let e = 0;
  if (modern && q < 0) e = q;
  else if (!st.listEmpty(pagelist)) {
    const r = ctx.migrate_pages(pagelist, { node: dest, thisNode: true }, MIGRATE_SYNC, MR_SYSCALL);
    e = r.rc;
    if (e) ctx.putback_movable_pages(pagelist);
  }
  if (e >= 0) e += nr_failed;
  st.freeList(pagelist);
  st.setLocal(d, 2, nr_failed);
  st.setLocal(d, 3, e);
  ctx.trace.exit(e);
  return e;
}

/** node_remap(): the k-th set node of `from` maps to the (k mod |to|)-th set node of `to`. */
function node_remap(s: number, from: number[], to: number[]): number {
  const k = from.indexOf(s);
  if (k < 0 || to.length === 0) return s;
  return to[k % to.length];
}

// mm/mempolicy.c do_migrate_pages() — v6.1 … v6.12 (pair selection, busy sum, min(total, INT_MAX))
function do_migrate_pages(ctx: Context, proc: Process, from: Set<number>, to: Set<number>, flags: number): number {
  const st = ctx.st;
  const d = ctx.trace.enter(FN_do_migrate_pages);
  st.setScalar(Scalar.LRU_CACHE_DISABLED, st.scalars[Scalar.LRU_CACHE_DISABLED] + 1);
  const fromL = sortedNodes(from);
  const toL = sortedNodes(to);
  const tmp = new Set(from);
  let busy = 0;
  let e = 0;
  while (tmp.size > 0) {
    let source = -1;
    let dest = 0;
    for (const s of sortedNodes(tmp)) {
      // cannot preserve the relative layout when the sizes differ: skip a source that is also a destination
      if (fromL.length !== toL.length && to.has(s)) continue;
      const dd = node_remap(s, fromL, toL);
      if (s === dd) continue;
      source = s;
      dest = dd;
      if (!tmp.has(dest)) break; // dest not in remaining from nodes
    }
    if (source === -1) break;
    tmp.delete(source);
    st.setLocal(d, 0, source);
    st.setLocal(d, 1, dest);
    e = migrate_to_node(ctx, proc, source, dest, flags);
    if (e > 0) busy += e;
    st.setLocal(d, 2, busy);
    if (e < 0) break;
  }
  st.setScalar(Scalar.LRU_CACHE_DISABLED, st.scalars[Scalar.LRU_CACHE_DISABLED] - 1);
  const rc = e < 0 ? e : Math.min(busy, 2 ** 31 - 1);
  st.setLocal(d, 3, rc);
  ctx.trace.exit(rc);
  return rc;
}

// mm/mempolicy.c alloc_migration_target_by_mpol() — v6.7+ (new_page() in 6.1: the same node choice for the modes modelled)
function alloc_migration_target_by_mpol(st: MemState, proc: Process, pol: NewPolicy, ilxBase: Vma | undefined): DstSpec {
  const local = proc.cpuNode;
  if (!pol || pol.mode === MPOL_LOCAL || pol.mode === MPOL_DEFAULT) return { node: local };
  const nodes = pol.nodes;
  if (pol.mode === MPOL_PREFERRED) return { node: nodes[0] };
  if (pol.mode === MPOL_BIND || pol.mode === MPOL_PREFERRED_MANY) {
    const n = nodes.includes(local) ? local : nodes[0];
    return { node: n };
  }
  // interleave: the node of the folio's interleave index within the VMA
  const pick = (src: FolioId): number => {
    const r = st.rmapOf(src).find((x) => x.mm === proc.id);
    if (!r || !ilxBase) return nodes[0];
    const base = (ilxBase.start - ilxBase.pgoff) / st.pageSize;
    const ilx = Math.floor((r.vpn - base) / st.nrPages(src));
    return nodes[((ilx % nodes.length) + nodes.length) % nodes.length];
  };
  return { node: nodes[0], pick };
}

function parseFlags(op: { flags?: { flags: { text: string }[]; raw?: { value: bigint } } }, names: Record<string, number>, line: number): number {
  if (!op.flags) return 0;
  if (op.flags.raw) return Number(BigInt.asUintN(32, op.flags.raw.value));
  let v = 0;
  for (const w of op.flags.flags) {
    const b = names[w.text];
    if (b === undefined) throw new RunStop(`unknown flag ${w.text}`, line);
    v |= b;
  }
  return v;
}

// mm/mempolicy.c do_mbind() — v6.1 (EIO when the walk returned 1 under STRICT) … v6.12 (nr_failed | migrate_pages(), EIO under STRICT)
function do_mbind(ctx: Context, proc: Process, start: number, len: number, mode: number, modeFlags: number, nmask: Set<number>, flags: number): number {
  const st = ctx.st;
  const trace = ctx.trace;
  const d = trace.enter(FN_do_mbind);
  st.setLocal(d, 0, start);
  st.setLocal(d, 2, mode);
  st.setLocal(d, 3, flags);
  const ret = (e: number): number => {
    st.setLocal(d, 5, e);
    trace.exit(e);
    return e;
  };
  if (flags & ~MPOL_MF_VALID) return ret(err('EINVAL'));
  if (flags & MPOL_MF_MOVE_ALL && !capableSysNice(proc)) return ret(err('EPERM'));
  if (start % st.pageSize) return ret(err('EINVAL'));
  if (mode === MPOL_DEFAULT) flags &= ~MPOL_MF_STRICT;
  len = Math.ceil(len / st.pageSize) * st.pageSize;
  const end = start + len;
  st.setLocal(d, 1, end);
  if (end < start) return ret(err('EINVAL'));
  if (end === start) return ret(0);
  const pol = mpol_new(mode, modeFlags, nmask);
  if (typeof pol === 'number') return ret(pol);
  if (!pol) flags |= MPOL_MF_DISCONTIG_OK; // the default policy may span discontiguous ranges
  const moving = (flags & (MPOL_MF_MOVE | MPOL_MF_MOVE_ALL)) !== 0;
  if (moving) st.setScalar(Scalar.LRU_CACHE_DISABLED, st.scalars[Scalar.LRU_CACHE_DISABLED] + 1);
  const done = (e: number): number => {
    if (moving) st.setScalar(Scalar.LRU_CACHE_DISABLED, st.scalars[Scalar.LRU_CACHE_DISABLED] - 1);
    return ret(e);
  };
  // mpol_set_nodemask(): the mask is intersected with the cpuset's mems and N_MEMORY
  if (pol && pol.nodes.length > 0) {
    const allowed = cpusetMems(st);
    const nodes = pol.nodes.filter((n) => allowed.has(n));
    if (nodes.length === 0) return done(err('EINVAL'));
    pol.nodes = nodes;
  }
  const pagelist = st.newList('pagelist');
  const modern = ctx.profile.mempolicyCountsIsolationFailures;
  let e = 0;
  let nr_failed = queue_pages_range(ctx, proc, start, end, pol ? new Set(pol.nodes) : new Set(), flags | MPOL_MF_INVERT | MPOL_MF_WRLOCK, pagelist);
  const walkRet = nr_failed;
  if (nr_failed < 0) {
    e = nr_failed;
    nr_failed = 0;
  } else {
    const before = st.procs[proc.id];
    mbind_range(ctx, before, start, end, pol);
  }
  st.setLocal(d, 4, nr_failed);
  if (!e && !st.listEmpty(pagelist)) {
    const cur = st.procs[proc.id];
    const vma = cur.vmas.find((v) => v.end > start && v.start < end);
    const r = ctx.migrate_pages(pagelist, alloc_migration_target_by_mpol(st, cur, pol, vma), MIGRATE_SYNC, MR_MEMPOLICY_MBIND);
    if (modern) nr_failed |= r.rc;
    else nr_failed = r.rc;
    st.setLocal(d, 4, nr_failed);
  }
  if (modern) {
    if (nr_failed && flags & MPOL_MF_STRICT) e = err('EIO');
  } else if (!e && (walkRet > 0 || nr_failed) && flags & MPOL_MF_STRICT) e = err('EIO');
  if (e === err('EIO')) trace.emit(SEV.strict_fail, -1, nr_failed);
  if (!st.listEmpty(pagelist)) ctx.putback_movable_pages(pagelist);
  st.freeList(pagelist);
  return done(e);
}

/**
 * get_nodes(): the mask the user passed, cut to maxnode-1 bits. `maxnode` is the
 * raw unsigned value; undefined = large enough for every node named.
 */
// mm/mempolicy.c get_nodes() — v6.1 … v6.12
function get_nodes(nodes: Set<number>, maxnode: bigint | undefined): Set<number> | number {
  if (maxnode === undefined) return nodes;
  const m = BigInt.asUintN(64, maxnode - 1n);
  if (maxnode === 0n || m === 0n) return new Set();
  if (m > BigInt(PAGE_SIZE_BITS)) return err('EINVAL');
  const out = new Set<number>();
  for (const n of nodes) if (BigInt(n) < m) out.add(n);
  for (const n of out) if (n >= MAX_NUMNODES) return err('EINVAL');
  return out;
}

// mm/mempolicy.c sanitize_mpol_flags() — v6.1 … v6.12
function sanitize_mpol_flags(mode: number, modeFlags: number): number {
  if (mode >>> 0 >= MPOL_MAX) return err('EINVAL');
  if (modeFlags & MPOL_F_STATIC_NODES && modeFlags & MPOL_F_RELATIVE_NODES) return err('EINVAL');
  if (modeFlags & MPOL_F_NUMA_BALANCING && mode !== MPOL_BIND) return err('EINVAL');
  return 0;
}

/** mbind(2) as a scenario operation: `mbind app heap[0..2M] MPOL_BIND nodes 1 flags MPOL_MF_MOVE`. */
// mm/mempolicy.c kernel_mbind() — v6.1 … v6.12
export function kernel_mbind(ctx: Context, op: MbindOp): SyscallOutcome {
  const st = ctx.st;
  const line = op.range.start.line;
  const proc = procNamed(st, op.process, line);
  const { start, end } = resolveAddr(st, proc, op.addr, line);
  let mode: number;
  if (op.modeRaw) mode = Number(BigInt.asIntN(32, op.modeRaw.value));
  else if (op.mode && MPOL_MODE_NAMES[op.mode.text] !== undefined) mode = MPOL_MODE_NAMES[op.mode.text];
  else if (op.mode && /^-?\d+$/.test(op.mode.text)) mode = Number(op.mode.text);
  else throw new RunStop(`mbind: unknown mode ${op.mode?.text ?? '(none)'}`, line);
  let modeFlags = 0;
  for (const w of op.modeFlags ?? []) {
    const b = MPOL_MODE_FLAG_NAMES[w.text];
    if (b === undefined) throw new RunStop(`unknown mode flag ${w.text}`, line);
    modeFlags |= b;
  }
  const flags = parseFlags(op, MPOL_MF_NAMES, line);
  ctx.trace.emit(SEV.syscall_enter, -1, start, flags);
  walkNrFailed = 0;
  let rc = sanitize_mpol_flags(mode, modeFlags);
  if (rc === 0) {
    const nodes = get_nodes(nodeSet(op.nodes), undefined);
    rc = typeof nodes === 'number' ? nodes : do_mbind(ctx, proc, start, end - start, mode, modeFlags, nodes, flags);
  }
  ctx.trace.emit(SEV.syscall_exit, -1, rc);
  return { ret: rc, counts: { nr_failed: walkNrFailed } };
}

function nodeSet(l: MbindOp['nodes']): Set<number> {
  const s = new Set<number>();
  if (l) for (const n of l.nodes) s.add(Number(n.value));
  return s;
}

/** migrate_pages(2) as a scenario operation: `migrate_pages app from 0 to 1 [maxnode N] [by other]`. */
// mm/mempolicy.c kernel_migrate_pages() — v6.1 … v6.12
export function kernel_migrate_pages(ctx: Context, op: MigratePagesSyscall): SyscallOutcome {
  const st = ctx.st;
  const trace = ctx.trace;
  const line = op.range.start.line;
  const caller = op.by ? procNamed(st, op.by, line) : op.target?.process ? procNamed(st, op.target.process, line) : undefined;
  if (!caller) throw new RunStop('migrate_pages with a raw pid needs `by <process>` (the calling task)', line);
  const d = trace.enter(FN_kernel_migrate_pages);
  trace.emit(SEV.syscall_enter, -1, Number(op.target?.pid?.value ?? -1n));
  walkNrFailed = 0;
  const finish = (e: number): SyscallOutcome => {
    st.setLocal(d, 2, e);
    trace.emit(SEV.syscall_exit, -1, e);
    trace.exit(e);
    return { ret: e, counts: { nr_failed: walkNrFailed } };
  };
  const maxnode = op.maxnode?.value;
  if (maxnode !== undefined) st.setLocal(d, 1, Number(BigInt.asIntN(64, maxnode)));
  const oldN = get_nodes(nodeSet(op.from), maxnode);
  if (typeof oldN === 'number') return finish(oldN);
  const newN = get_nodes(nodeSet(op.to), maxnode);
  if (typeof newN === 'number') return finish(newN);
  const task = targetProcess(st, op.target, caller, line);
  if (!task) return finish(err('ESRCH'));
  st.setLocal(d, 0, task.id);
  if (!ptraceMayAccess(caller, task)) return finish(err('EPERM'));
  const taskNodes = cpusetMems(st);
  const subset = [...newN].every((n) => taskNodes.has(n));
  if (!subset && !capableSysNice(caller)) return finish(err('EPERM'));
  const callerNodes = cpusetMems(st);
  for (const n of [...newN]) if (!callerNodes.has(n)) newN.delete(n);
  if (newN.size === 0) return finish(err('EINVAL'));
  const rc = do_migrate_pages(ctx, st.procs[task.id], oldN, newN, capableSysNice(caller) ? MPOL_MF_MOVE_ALL : MPOL_MF_MOVE);
  return finish(rc);
}

