// What an operation receives: the state, the kernel profile, the trace, the
// scenario line being run, the injected faults, and the entry point into the
// internal migrate_pages().
//
// How the syscall layer uses it (engine/mempolicy.ts, migrate_syscalls.ts, ...):
//
//   export function do_mbind(ctx: Context, op: MbindOp): OpOutcome {
//     const d = ctx.trace.enter(FN_do_mbind);           // frame + `enter` event
//     const pagelist = ctx.st.newList('pagelist');      // LIST_HEAD(pagelist)
//     ... isolate folios: ctx.isolateLru(folio, pagelist) ...
//     const r = ctx.migrate_pages(pagelist, { node: 1 }, MIGRATE_SYNC, MR_MEMPOLICY_MBIND);
//     if (r.rc !== 0) ctx.putback_movable_pages(pagelist);
//     ctx.st.freeList(pagelist);
//     ctx.trace.exit(err);
//   }
//
// `migrate_pages` is exactly the kernel's internal function: the caller isolates
// the folios onto the list first (refcount +1, off the LRU, NR_ISOLATED_* +nr) and
// puts back whatever is left when it returns non-zero.

import {MemState, FolioId, ListId, F as F_, Kind as Kind_, VMSTAT_INDEX as VMSTAT_INDEX_} from './state';
import { Profile } from './profiles';
import {Trace, EV as EV_} from './trace';
import type { Injections } from './inject';
import { migrate_pages as migratePagesImpl } from './migrate';

// the enums, errnos and stats names live in constants.ts (no import cycle with migrate.ts)
export * from './constants';
import {MigrateStats} from './constants';

// local aliases: imported objects are read through module getters under tsx; hot loops read these
const EV = EV_;
const F = F_;
const Kind = Kind_;
const VMSTAT_INDEX = VMSTAT_INDEX_;

/**
 * Where destination folios come from (get_new_folio + private).
 *   node: target node; -1 = NUMA_NO_NODE (alloc_migration_target: the source folio's node)
 *   thisNode: __GFP_THISNODE (no fallback to other nodes) — move_pages/migrate_pages(2)
 *   pinnable: PF_MEMALLOC_PIN — never ZONE_MOVABLE nor CMA (FOLL_LONGTERM migration)
 *   pick: per-folio node choice (mbind's alloc_migration_target_by_mpol, interleave)
 */
export interface DstSpec {
  node: number;
  thisNode?: boolean;
  pinnable?: boolean;
  pick?: (src: FolioId) => number;
}

export interface MigrateResult {
  /** the return value: folios not migrated, or -ENOMEM */
  rc: number;
  /** *ret_succeeded: base pages */
  nrSucceeded: number;
  stats: MigrateStats;
  /** number of passes the call used (the highest pass index seen + 1) */
  passes: number;
  /** folios that were on ret_folios when it was spliced back to `from` (at most 10000) */
  retFolios: FolioId[];
}

// ---------------------------------------------------------------- the context

export class Context {
  /** pass index of the deepest pass loop (for injections), see docs in inject.ts */
  constructor(
    public readonly st: MemState,
    public readonly profile: Profile,
    public readonly trace: Trace,
    public readonly inject: Injections,
  ) {}

  /** 0-based line of the scenario statement being run (events carry it) */
  get line(): number {
    return this.trace.line;
  }
  set line(l: number) {
    this.trace.line = l;
  }

  /** the last internal migrate_pages() result of the current operation (for `expect stats`) */
  lastMigrate: MigrateResult | null = null;
  /** passes used by the operation so far */
  passesUsed = 0;
  /** current->flags & PF_MEMALLOC: the migrating task is in direct compaction or reclaim */
  pfMemalloc = false;

  /** The kernel's internal migrate_pages(from, get_new_folio, put_new_folio, private, mode, reason, &nr_succeeded). */
  migrate_pages(from: ListId, dst: DstSpec, mode: number, reason: number): MigrateResult {
    this.trace.reserve(2 * this.st.listCount(from)); // an outcome and an unmap (or isolate) event per folio at least
    const r = migratePagesImpl(this, from, dst, mode, reason);
    this.lastMigrate = r;
    this.passesUsed = Math.max(this.passesUsed, r.passes);
    return r;
  }

  // ------------------------------------------------------------ helpers shared by the callers of migrate_pages

  /**
   * folio_isolate_lru(): take the folio off the LRU with a reference and put it on `list`
   * (NR_ISOLATED_ANON/FILE += nr). Returns false (no change) when it is not on the LRU
   * or an `inject isolate X fails` applies.
   */
  isolateLru(f: FolioId, list: ListId): boolean {
    const st = this.st;
    if (this.inject.isolateFails(f) || !st.has(f, F.LRU) || st.has(f, F.FREED)) {
      this.trace.emit(EV.isolate_failed, f);
      return false;
    }
    st.isolateLru(list, f, isolatedCounter(st, f));
    return true;
  }

  /**
   * isolate_movable_page() for non-LRU movable folios, isolate_hugetlb() for hugetlb;
   * the generic "isolate for migration" used by callers that accept any movable folio.
   */
  isolateForMigration(f: FolioId, list: ListId): boolean {
    const st = this.st;
    const k = st.kind(f);
    if (k === Kind.MOVABLE || k === Kind.HUGETLB) {
      if (this.inject.isolateFails(f) || st.has(f, F.ISOLATED) || st.has(f, F.FREED)) {
        this.trace.emit(EV.isolate_failed, f);
        return false;
      }
      st.setFlag(f, F.ISOLATED);
      st.addRef(f, 1);
      st.listAddTail(list, f);
      return true;
    }
    return this.isolateLru(f, list);
  }

  /** putback_movable_pages(): every folio left on `list` goes back to the LRU / owner / hugetlb active list. */
  putback_movable_pages(list: ListId): void {
    const st = this.st;
    for (const f of st.listItems(list)) this.putbackOne(f);
  }

  /** folio_putback_lru() / putback_movable_folio(): one folio back, dropping the isolation reference. */
  putbackOne(f: FolioId): void {
    const st = this.st;
    st.listDel(f);
    this.trace.emit(EV.putback, f);
    st.clearFlag(f, F.ISOLATED);
    const k = st.kind(f);
    if (k !== Kind.MOVABLE && k !== Kind.HUGETLB) {
      st.vmstatAdd(isolatedCounter(st, f), -st.nrPages(f));
      st.setFlag(f, F.LRU);
    }
    this.folio_put(f);
  }

  /** folio_put(): drop a reference; the last one frees the folio (back to the node's free pages). */
  folio_put(f: FolioId): void {
    const st = this.st;
    st.addRef(f, -1);
    if (st.refcount(f) === 0) this.freeFolio(f);
  }

  /** Returns a folio's pages to its node (buddy or hugetlb pool). */
  freeFolio(f: FolioId): void {
    const st = this.st;
    if (st.has(f, F.FREED)) return;
    st.listDel(f);
    st.setFlags(f, (st.flags(f) & (F.CMA | F.HUGE_ZERO | F.HUGETLB_TEMPORARY)) | F.FREED);
    if (st.names.has(f)) this.trace.emit(EV.freed, f); // named folios only: big runs stay small
    releasePages(st, f);
  }
}

/** NR_ISOLATED_ANON or NR_ISOLATED_FILE for a folio. */
export function isolatedCounter(st: MemState, f: FolioId): number {
  const k = st.kind(f);
  return k === Kind.ANON || k === Kind.KSM || (k === Kind.SHMEM && st.has(f, F.SWAPCACHE)) ? VMSTAT_INDEX.nr_isolated_anon : VMSTAT_INDEX.nr_isolated_file;
}

/** Gives a folio's pages back to its node's free counts. */
export function releasePages(st: MemState, f: FolioId): void {
  const n = st.node(f);
  const nr = st.nrPages(f);
  if (st.kind(f) === Kind.HUGETLB && st.order(f) === st.pmdOrder && !st.has(f, F.HUGETLB_TEMPORARY)) {
    st.setNodeCol(3, n, st.nodeHugeFree[n] + 1);
    return;
  }
  // the zero page is never freed; device-private pages are device memory, not the node's
  if (st.kind(f) === Kind.ZERO || st.kind(f) === Kind.DEVICE_PRIVATE) return;
  if (st.zone(f) === 1) st.setNodeCol(1, n, st.nodeMovFree[n] + nr);
  else {
    st.setNodeCol(0, n, st.nodeFree[n] + nr);
    if (st.has(f, F.CMA)) st.setNodeCol(2, n, st.nodeCmaFree[n] + nr);
  }
}
