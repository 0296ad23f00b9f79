// mm/migrate.c — the internal migrate_pages() and the functions it calls, named
// and ordered as in the kernel. Version differences are profile switches
// (engine/profiles.ts); the line above each function names what it models.
//
// Return codes follow the kernel: 0 = MIGRATEPAGE_SUCCESS, 1 = MIGRATEPAGE_UNMAP,
// negative = -errno. Every outcome emits an event named after it on the folio.

import type { Context, DstSpec, MigrateResult } from './context';
import { isolatedCounter } from './context';
import { MigrateStats, STATS_FIELDS, ERRNO as ERRNO_, ERRNO_NAME, MIGRATE_ASYNC as MIGRATE_ASYNC_, MIGRATE_SYNC as MIGRATE_SYNC_, MIGRATE_SYNC_LIGHT as MIGRATE_SYNC_LIGHT_, MIGRATE_SYNC_NO_COPY as MIGRATE_SYNC_NO_COPY_, MIGRATEPAGE_SUCCESS as MIGRATEPAGE_SUCCESS_, MIGRATEPAGE_UNMAP as MIGRATEPAGE_UNMAP_, MR_MEMORY_FAILURE as MR_MEMORY_FAILURE_, MR_NUMA_MISPLACED as MR_NUMA_MISPLACED_, MR_LONGTERM_PIN as MR_LONGTERM_PIN_ } from './constants';
import { F as F_, Kind as Kind_, Col as Col_, FolioId, ListId, VMSTAT_INDEX as VMSTAT_INDEX_, defineFn } from './state';
import { EV as EV_, RunStop, eventId } from './trace';
import { alloc_migration_target } from './alloc';
import { try_to_migrate, try_to_unmap_flush, remove_migration_ptes, TTU_BATCH_FLUSH, folio_get_anon_vma, put_anon_vma } from './rmap';
import { try_split_folio } from './huge_memory';

// local aliases: imported objects are read through module getters under tsx; hot loops read these
const Col = Col_;
const ERRNO = ERRNO_;
const EV = EV_;
const F = F_;
const Kind = Kind_;
const VMSTAT_INDEX = VMSTAT_INDEX_;
const MIGRATE_ASYNC = MIGRATE_ASYNC_;
const MIGRATE_SYNC = MIGRATE_SYNC_;
const MIGRATE_SYNC_LIGHT = MIGRATE_SYNC_LIGHT_;
const MIGRATE_SYNC_NO_COPY = MIGRATE_SYNC_NO_COPY_;
const MIGRATEPAGE_SUCCESS = MIGRATEPAGE_SUCCESS_;
const MIGRATEPAGE_UNMAP = MIGRATEPAGE_UNMAP_;
const MR_MEMORY_FAILURE = MR_MEMORY_FAILURE_;
const MR_NUMA_MISPLACED = MR_NUMA_MISPLACED_;
const MR_LONGTERM_PIN = MR_LONGTERM_PIN_;

const EAGAIN = -ERRNO.EAGAIN;
const EBUSY = -ERRNO.EBUSY;
const ENOMEM = -ERRNO.ENOMEM;
const EDEADLOCK = -ERRNO.EDEADLOCK;
const EHWPOISON = -ERRNO.EHWPOISON;

const STATS_LOCALS = STATS_FIELDS.map((f) => `stats.${f}`);
const FN_migrate_pages = defineFn('migrate_pages', ['rc', 'rc_gather', 'nr_pages', 'mode', 'reason', ...STATS_LOCALS]);
const FN_migrate_hugetlbs = defineFn('migrate_hugetlbs', ['pass', 'retry', 'nr_failed', 'nr_retry_pages', 'rc']);
const FN_unmap_and_move_huge_page = defineFn('unmap_and_move_huge_page', ['rc', 'force', 'page_was_mapped', 'dst', 'anon_vma']);
const FN_migrate_pages_sync = defineFn('migrate_pages_sync', ['rc', 'nr_failed', ...STATS_FIELDS.map((f) => `astats.${f}`)]);
const FN_migrate_pages_batch = defineFn('migrate_pages_batch', ['pass', 'retry', 'thp_retry', 'large_retry', 'nr_failed', 'nr_large_failed', 'nr_retry_pages', 'rc', 'rc_saved', 'nr_pass', 'mode', 'no_split_folio_counting', 'avoid_force_lock']);
const FN_migrate_folio_unmap = defineFn('migrate_folio_unmap', ['rc', 'page_was_mapped', 'anon_vma', 'locked', 'dst_locked', 'dst']);
const FN_migrate_folio_move = defineFn('migrate_folio_move', ['rc', 'page_was_mapped', 'anon_vma', 'dst']);
const FN_move_to_new_folio = defineFn('move_to_new_folio', ['rc', 'expected_count', 'refcount']);

// locals of migrate_pages_batch
const B_PASS = 0, B_RETRY = 1, B_THP_RETRY = 2, B_LARGE_RETRY = 3, B_NR_FAILED = 4, B_NR_LARGE_FAILED = 5, B_NR_RETRY_PAGES = 6, B_RC = 7, B_RC_SAVED = 8, B_NR_PASS = 9, B_MODE = 10, B_NOSPLITCOUNT = 11, B_AVOID = 12;

// dst->private record bits (__migrate_folio_record)
const PAGE_WAS_MAPPED = 1;
const PAGE_WAS_MLOCKED = 2;
const HAS_ANON_VMA = 4;

/** struct migrate_pages_stats, living in the locals of the frame that owns it. */
class Stats {
  v: MigrateStats = { nr_succeeded: 0, nr_failed_pages: 0, nr_thp_succeeded: 0, nr_thp_failed: 0, nr_thp_split: 0, nr_split: 0 };
  constructor(
    private ctx: Context,
    private depth: number,
    private base: number,
  ) {}
  add(field: keyof MigrateStats, d: number): void {
    if (d === 0) return;
    this.v[field] += d;
    this.ctx.st.setLocal(this.depth, this.base + STATS_FIELDS.indexOf(field), this.v[field]);
  }
}

/** emits the event named after a return code */
function emitRc(ctx: Context, rc: number, f: FolioId): void {
  if (rc === MIGRATEPAGE_SUCCESS) ctx.trace.emit(EV.MIGRATEPAGE_SUCCESS, f);
  else if (rc === MIGRATEPAGE_UNMAP) ctx.trace.emit(EV.MIGRATEPAGE_UNMAP, f);
  else ctx.trace.emit(eventId(ERRNO_NAME[-rc] ?? `E${-rc}`), f, rc);
}

function isMovableOps(ctx: Context, f: FolioId): boolean {
  return ctx.st.kind(f) === Kind.MOVABLE;
}

/** refcount as migration sees it at this pass: the real one plus injected transient references */
function refsNow(ctx: Context, f: FolioId): number {
  return ctx.st.refcount(f) + ctx.inject.extraRefsAt(f, ctx.trace.pass);
}

/** folio_mapping(): NULL for anon (not in swap cache) and KSM, else the address space */
function folio_mapping(ctx: Context, f: FolioId): number {
  const st = ctx.st;
  const k = st.kind(f);
  if ((k === Kind.ANON && !st.has(f, F.SWAPCACHE)) || k === Kind.KSM || k === Kind.MOVABLE) return 0;
  return st.mapping(f) || -1;
}

// mm/migrate.c folio_expected_refs() — v6.1 … v6.12
function folio_expected_refs(ctx: Context, mapping: number, f: FolioId): number {
  let refs = 1;
  if (!mapping) return refs;
  refs += ctx.st.nrPages(f);
  if (ctx.st.has(f, F.PRIVATE)) refs++;
  return refs;
}

/** folio_lock() when the lock is contended: the holder releases it at the end of its pass window. */
function wait_on_folio_lock(ctx: Context, f: FolioId): void {
  const end = ctx.inject.lockReleasePass(f, ctx.trace.pass);
  if (end === Infinity) {
    const line = ctx.inject.lockLine.get(f);
    throw new RunStop(`folio_lock(${ctx.st.folioName(f)}) would block forever: the lock is held for the whole operation${line !== undefined ? ` (inject on line ${line + 1})` : ''}; give it a pass range (passes a..b)`, ctx.trace.line);
  }
  ctx.trace.emit(EV.lock_wait, f, end);
}

// ---------------------------------------------------------------- folio migration core

// mm/migrate.c __folio_migrate_mapping() + folio_migrate_flags() — v6.1 … v6.12 (model of the page-cache switch)
function folio_migrate_mapping(ctx: Context, mapping: number, dst: FolioId, src: FolioId, expected: number): number {
  const st = ctx.st;
  if (refsNow(ctx, src) !== expected) return EAGAIN; // folio_ref_freeze() failed
  const nr = st.nrPages(src);
  if (mapping) {
    // the page-cache / swap-cache slots now point at dst: their references move with them
    st.addRef(dst, nr);
    st.addRef(src, -nr);
  }
  // folio_migrate_flags(): state bits follow the data
  // (HUGETLB_ANON: an anon folio's mapping pointer, anon bit and all, is copied to dst)
  const carry = st.flags(src) & (F.DIRTY | F.UPTODATE | F.ACTIVE | F.UNEVICTABLE | F.SWAPCACHE | F.PRIVATE | F.MLOCKED | F.HUGETLB_ANON);
  st.setFlags(dst, (st.flags(dst) | carry) >>> 0);
  st.setFlags(src, (st.flags(src) & ~(F.DIRTY | F.PRIVATE | F.SWAPCACHE | F.MLOCKED | F.DEFERRED_SPLIT)) >>> 0);
  st.setCol(Col.MAPPING, dst, st.mapping(src));
  return MIGRATEPAGE_SUCCESS;
}

// mm/migrate.c __migrate_folio() / migrate_folio() — v6.11 … v6.12 (profile mcCopy: ref check, folio_mc_copy, then mapping); ≤ v6.10: folio_migrate_mapping then folio_copy
function migrate_folio(ctx: Context, mapping: number, dst: FolioId, src: FolioId, mode: number): number {
  const expected = folio_expected_refs(ctx, mapping, src);
  ctx.st.setLocal(ctx.st.frames.length - 1, 1, expected);
  ctx.st.setLocal(ctx.st.frames.length - 1, 2, refsNow(ctx, src));
  if (ctx.profile.mcCopy) {
    if (refsNow(ctx, src) !== expected) return EAGAIN;
    if (ctx.inject.mce.has(src)) return EHWPOISON; // folio_mc_copy()
    return folio_migrate_mapping(ctx, mapping, dst, src, expected);
  }
  const rc = folio_migrate_mapping(ctx, mapping, dst, src, expected);
  if (rc !== MIGRATEPAGE_SUCCESS) return rc;
  if (ctx.inject.mce.has(src) && mode !== MIGRATE_SYNC_NO_COPY) {
    throw new RunStop(`machine check while copying ${ctx.st.folioName(src)}: kernel ${ctx.profile.name} copies with folio_copy() (no folio_mc_copy), so the fault is not recoverable here`, ctx.trace.line);
  }
  return rc;
}

// mm/migrate.c fallback_migrate_folio() + writeout() — v6.1 … v6.12 (no migrate_folio callback: the model's `file` folios with PG_private)
function fallback_migrate_folio(ctx: Context, mapping: number, dst: FolioId, src: FolioId, mode: number): number {
  const st = ctx.st;
  if (st.has(src, F.DIRTY)) {
    const syncish = mode === MIGRATE_SYNC || (ctx.profile.syncNoCopy && mode === MIGRATE_SYNC_NO_COPY);
    if (!syncish) return EBUSY;
    // writeout(): the write starts, migration cannot finish in this call: -EAGAIN
    st.clearFlag(src, F.DIRTY);
    ctx.trace.emit(eventId('writeout'), src);
    return EAGAIN;
  }
  // filemap_release_folio(): buffers that cannot be released block the move
  if (st.has(src, F.PRIVATE) && ctx.inject.privateUnreleasable.has(src)) return mode === MIGRATE_SYNC ? EAGAIN : EBUSY;
  if (st.has(src, F.PRIVATE)) detach_private(ctx, src);
  return migrate_folio(ctx, mapping, dst, src, mode);
}

/** filemap_release_folio() / try_to_free_buffers(): the buffers go and with them their folio reference */
function detach_private(ctx: Context, f: FolioId): void {
  ctx.st.clearFlag(f, F.PRIVATE);
  ctx.st.addRef(f, -1);
}

// mm/migrate.c move_to_new_folio() — v6.1 … v6.12
function move_to_new_folio(ctx: Context, dst: FolioId, src: FolioId, mode: number): number {
  const st = ctx.st;
  const d = ctx.trace.enter(FN_move_to_new_folio, src, true);
  let rc: number;
  let released = false;
  if (!isMovableOps(ctx, src)) {
    const mapping = folio_mapping(ctx, src);
    if (!mapping) rc = migrate_folio(ctx, mapping, dst, src, mode);
    else if (st.has(src, F.INACCESSIBLE)) rc = -ERRNO.EOPNOTSUPP; // mapping_inaccessible()
    else if (st.kind(src) === Kind.FILE && st.has(src, F.PRIVATE)) rc = fallback_migrate_folio(ctx, mapping, dst, src, mode);
    else rc = migrate_folio(ctx, mapping, dst, src, mode); // filemap / shmem / swap-cache / hugetlbfs migrate_folio
  } else {
    if (ctx.inject.release.has(src) && !st.has(src, F.MOVABLE_GONE)) {
      // `inject release`: the driver's __ClearPageMovable() and its put_page() happened after isolation
      st.setFlag(src, F.MOVABLE_GONE);
      st.addRef(src, -1);
    }
    if (st.has(src, F.MOVABLE_GONE)) {
      // !folio_test_movable(): the driver released the page after isolation, nothing to move
      st.clearFlag(src, F.ISOLATED);
      rc = MIGRATEPAGE_SUCCESS;
      released = true;
    } else {
      rc = ctx.inject.movableAnswer(src, ctx.trace.pass) ?? MIGRATEPAGE_SUCCESS; // mops->migrate_page()
      if (rc === MIGRATEPAGE_SUCCESS) {
        // the driver moves its reference from the old page to the new one (balloon, zsmalloc)
        st.setCol(Col.MAPPING, dst, st.mapping(src));
        st.addRef(dst, 1);
        st.addRef(src, -1);
      }
    }
  }
  if (rc === MIGRATEPAGE_SUCCESS) {
    if (isMovableOps(ctx, src)) st.clearFlag(src, F.ISOLATED);
    st.clearFlag(dst, F.DST);
    if (!released) st.setCol(Col.SUCC, src, dst); // a released page's contents went nowhere: dst is freed unused
  }
  st.setLocal(d, 0, rc);
  ctx.trace.exit(rc, src, true);
  return rc;
}

// mm/migrate.c migrate_folio_undo_src() — v6.3 … v6.12
function migrate_folio_undo_src(ctx: Context, src: FolioId, record: number, locked: boolean, ret: ListId | null): void {
  const st = ctx.st;
  if (record & PAGE_WAS_MAPPED) remove_migration_ptes(ctx, src, src);
  if (record & HAS_ANON_VMA) put_anon_vma(ctx, src);
  if (locked) st.clearFlag(src, F.LOCKED);
  if (ret !== null) st.listMoveTail(ret, src);
}

// mm/migrate.c migrate_folio_undo_dst() — v6.3 … v6.12
function migrate_folio_undo_dst(ctx: Context, dst: FolioId, locked: boolean): void {
  if (locked) ctx.st.clearFlag(dst, F.LOCKED);
  ctx.folio_put(dst); // put_new_folio == NULL in every caller we model
}

// mm/migrate.c migrate_folio_done() — v6.3 … v6.12
function migrate_folio_done(ctx: Context, src: FolioId, reason: number): void {
  const st = ctx.st;
  if (!isMovableOps(ctx, src)) st.vmstatAdd(isolatedCounter(st, src), -st.nrPages(src));
  if (reason !== MR_MEMORY_FAILURE) ctx.folio_put(src);
}

/** migration state kept per pass loop (the `force`/`avoid_force_lock` arguments of the older kernels) */
interface UnmapArgs {
  force: boolean;
  avoidForceLock: boolean;
}

/** migrate_folio_unmap's `struct folio **dstp`: the destination it allocated (an out-parameter, not an object per folio) */
interface DstOut {
  dst: FolioId;
}

// mm/migrate.c migrate_folio_unmap() — v6.3-rc1 … v6.12 (profile switches: forcePassThreshold, edeadlock, ttuBatchFlushAsyncOnly, syncNoCopy)
function migrate_folio_unmap(ctx: Context, spec: DstSpec, src: FolioId, mode: number, reason: number, ret: ListId, args: UnmapArgs, dstp: DstOut): number {
  const st = ctx.st;
  const p = ctx.profile;
  const d = ctx.trace.enter(FN_migrate_folio_unmap, src, true);
  // the folio was freed from under us (≤ v6.17)
  if (refsNow(ctx, src) === 1) {
    st.clearFlag(src, F.ACTIVE | F.UNEVICTABLE);
    st.listDel(src);
    migrate_folio_done(ctx, src, reason);
    return unmapDone(ctx, d, src, MIGRATEPAGE_SUCCESS, -1, dstp);
  }
  const dst = alloc_migration_target(ctx, src, spec);
  if (dst < 0) return unmapDone(ctx, d, src, ENOMEM, -1, dstp);
  st.setLocal(d, 5, dst);

  let rc = EAGAIN;
  let record = 0;
  let locked = false;
  let dstLocked = false;
  const pass = ctx.trace.pass;
  out: {
    if (ctx.inject.lockHeldAt(src, pass)) {
      // folio_trylock() failed
      if (mode === MIGRATE_ASYNC) break out;
      if (p.forcePassThreshold !== null && !args.force) break out;
      if (ctx.pfMemalloc) break out; // lock_page() is not safe for direct compaction
      if (mode === MIGRATE_SYNC_LIGHT && !st.has(src, F.UPTODATE)) break out;
      if (p.edeadlock && args.avoidForceLock) {
        rc = EDEADLOCK;
        break out;
      }
      wait_on_folio_lock(ctx, src);
    }
    st.setFlag(src, F.LOCKED);
    locked = true;
    st.setLocal(d, 3, 1);
    if (st.has(src, F.MLOCKED)) record |= PAGE_WAS_MLOCKED;

    if (st.has(src, F.WRITEBACK) || ctx.inject.writebackAt(src, pass)) {
      const syncish = mode === MIGRATE_SYNC || (p.syncNoCopy && mode === MIGRATE_SYNC_NO_COPY);
      if (!syncish) {
        rc = EBUSY;
        break out;
      }
      if (p.forcePassThreshold !== null && !args.force) break out; // ≤ v6.3: -EAGAIN until pass 3
      // folio_wait_writeback(): the write completes
      ctx.trace.emit(EV.writeback_wait, src);
      st.clearFlag(src, F.WRITEBACK);
      ctx.inject.writeback.delete(src);
    }

    // an unmapped anon folio (one in the swap cache, say) gets no reference: it may outlive its anon_vma
    if (st.kind(src) === Kind.ANON && folio_get_anon_vma(ctx, src)) {
      record |= HAS_ANON_VMA;
      st.setLocal(d, 2, 1);
    }

    if (ctx.inject.dstLockHeldAt(src, pass)) break out; // folio_trylock(dst) failed
    st.setFlag(dst, F.LOCKED);
    dstLocked = true;
    st.setLocal(d, 4, 1);

    if (isMovableOps(ctx, src)) {
      st.setCol(Col.RECORD, dst, record);
      return unmapDone(ctx, d, src, MIGRATEPAGE_UNMAP, dst, dstp);
    }

    if (!st.mapping(src) && st.kind(src) !== Kind.ANON && st.kind(src) !== Kind.KSM) {
      // an orphaned page-cache folio: try to free its buffers, then retry
      if (st.has(src, F.PRIVATE)) {
        if (!ctx.inject.privateUnreleasable.has(src)) detach_private(ctx, src);
        break out;
      }
    } else if (st.mapcount(src) > 0) {
      const batch = !p.unmapMoveEachFolio && (mode === MIGRATE_ASYNC || !p.ttuBatchFlushAsyncOnly);
      try_to_migrate(ctx, src, batch ? TTU_BATCH_FLUSH : 0);
      record |= PAGE_WAS_MAPPED;
      st.setLocal(d, 1, 1);
    }

    if (st.mapcount(src) === 0) {
      st.setCol(Col.RECORD, dst, record);
      return unmapDone(ctx, d, src, MIGRATEPAGE_UNMAP, dst, dstp);
    }
  }
  // out: a folio that was not unmapped goes back to the right list unless we retry
  const retList = rc === EAGAIN || rc === EDEADLOCK ? null : ret;
  migrate_folio_undo_src(ctx, src, record, locked, retList);
  migrate_folio_undo_dst(ctx, dst, dstLocked);
  return unmapDone(ctx, d, src, rc, -1, dstp);
}

/** the common exit of migrate_folio_unmap (a plain function: no closure per folio) */
function unmapDone(ctx: Context, d: number, src: FolioId, rc: number, dst: FolioId, dstp: DstOut): number {
  ctx.st.setLocal(d, 0, rc);
  ctx.trace.exit(rc, src, true);
  dstp.dst = dst;
  return rc;
}

// mm/migrate.c migrate_folio_move() — v6.3-rc1 … v6.12
function migrate_folio_move(ctx: Context, src: FolioId, dst: FolioId, mode: number, reason: number, ret: ListId): number {
  const st = ctx.st;
  const d = ctx.trace.enter(FN_migrate_folio_move, src, true);
  st.setLocal(d, 3, dst);
  // __migrate_folio_extract()
  const record = st.record(dst);
  st.setCol(Col.RECORD, dst, 0);
  st.setLocal(d, 1, record & PAGE_WAS_MAPPED ? 1 : 0);
  st.setLocal(d, 2, record & HAS_ANON_VMA ? 1 : 0);
  const prev = st.prev(dst);
  const dstList = st.list(dst);
  st.listDel(dst);

  const rc = move_to_new_folio(ctx, dst, src, mode);
  if (rc === MIGRATEPAGE_SUCCESS) {
    if (!isMovableOps(ctx, src)) {
      st.setFlag(dst, F.LRU); // folio_add_lru()
      if (record & PAGE_WAS_MAPPED) remove_migration_ptes(ctx, src, dst);
    }
    // out_unlock_both
    st.clearFlag(dst, F.LOCKED);
    ctx.folio_put(dst);
    st.listDel(src);
    if (record & HAS_ANON_VMA) put_anon_vma(ctx, src);
    st.clearFlag(src, F.LOCKED);
    migrate_folio_done(ctx, src, reason);
    return moveDone(ctx, d, src, rc);
  }
  if (rc === EAGAIN) {
    // list_add(&dst->lru, prev): back where it was, still recorded
    st.listInsertAfter(dstList, dst, prev);
    st.setCol(Col.RECORD, dst, record);
    return moveDone(ctx, d, src, rc);
  }
  migrate_folio_undo_src(ctx, src, record, true, ret);
  migrate_folio_undo_dst(ctx, dst, true);
  return moveDone(ctx, d, src, rc);
}

/**
 * Debian 6.1.19x: the move straight after the unmap. Its migrate_folio_move() undoes a failed move
 * at once (remove_migration_ptes(src, src), unlock, put dst); -EAGAIN leaves src on `from` for the
 * next pass, other errors put it on `ret`.
 */
function moveThisFolio(ctx: Context, src: FolioId, dst: FolioId, mode: number, reason: number, ret: ListId, dstFolios: ListId): number {
  const st = ctx.st;
  st.listAddTail(dstFolios, dst);
  const rc = migrate_folio_move(ctx, src, dst, mode, reason, ret);
  if (rc === EAGAIN) {
    const record = st.record(dst);
    st.setCol(Col.RECORD, dst, 0);
    migrate_folio_undo_src(ctx, src, record, true, null);
    st.listDel(dst);
    migrate_folio_undo_dst(ctx, dst, true);
  }
  return rc;
}

/** the common exit of migrate_folio_move */
function moveDone(ctx: Context, d: number, src: FolioId, r: number): number {
  ctx.st.setLocal(d, 0, r);
  ctx.trace.exit(r, src, true);
  return r;
}

// ---------------------------------------------------------------- hugetlb

// mm/migrate.c unmap_and_move_huge_page() — v6.1 … v6.12 (force = pass > 2 in every version)
function unmap_and_move_huge_page(ctx: Context, spec: DstSpec, src: FolioId, force: boolean, mode: number, ret: ListId): number {
  const st = ctx.st;
  const d = ctx.trace.enter(FN_unmap_and_move_huge_page, src);
  st.setLocal(d, 1, force ? 1 : 0);
  const finish = (rc: number) => {
    st.setLocal(d, 0, rc);
    ctx.trace.exit(rc, src);
    return rc;
  };
  if (refsNow(ctx, src) === 1) {
    // freed from under us: folio_putback_active_hugetlb()
    st.listDel(src);
    st.clearFlag(src, F.ISOLATED);
    ctx.folio_put(src);
    return finish(MIGRATEPAGE_SUCCESS);
  }
  const dst = alloc_migration_target(ctx, src, spec);
  if (dst < 0) return finish(ENOMEM);
  st.setLocal(d, 3, dst);
  let rc = EAGAIN;
  const syncish = mode === MIGRATE_SYNC || (ctx.profile.syncNoCopy && mode === MIGRATE_SYNC_NO_COPY);
  body: {
    if (ctx.inject.lockHeldAt(src, ctx.trace.pass)) {
      if (!force || !syncish) break body;
      wait_on_folio_lock(ctx, src);
    }
    st.setFlag(src, F.LOCKED);
    if (!st.mapping(src)) {
      rc = EBUSY; // hugetlb_folio_subpool() && !folio_mapping(): being freed
      st.clearFlag(src, F.LOCKED);
      break body;
    }
    const anonVma = st.has(src, F.HUGETLB_ANON) && folio_get_anon_vma(ctx, src);
    if (anonVma) st.setLocal(d, 4, 1);
    if (ctx.inject.dstLockHeldAt(src, ctx.trace.pass)) {
      if (anonVma) put_anon_vma(ctx, src); // put_anon
      st.clearFlag(src, F.LOCKED);
      break body;
    }
    let wasMapped = false;
    if (st.mapcount(src) > 0) {
      try_to_migrate(ctx, src, 0);
      wasMapped = true;
      st.setLocal(d, 2, 1);
    }
    if (st.mapcount(src) === 0) rc = move_to_new_folio(ctx, dst, src, mode);
    if (wasMapped) remove_migration_ptes(ctx, src, rc === MIGRATEPAGE_SUCCESS ? dst : src);
    if (anonVma) put_anon_vma(ctx, src); // put_anon
    st.clearFlag(src, F.LOCKED);
  }
  if (rc === MIGRATEPAGE_SUCCESS) {
    // move_hugetlb_state(); the source goes back to the (now free) pool via putback
    st.listDel(src);
    st.clearFlag(src, F.ISOLATED);
    ctx.folio_put(src);
    // hugetlb folios live on the hstate's active list, never on the LRU (mm.ts faults them without F.LRU)
    st.clearFlag(dst, F.DST);
    ctx.folio_put(dst);
  } else {
    if (rc !== EAGAIN) st.listMoveTail(ret, src);
    ctx.folio_put(dst);
  }
  return finish(rc);
}

// mm/migrate.c migrate_hugetlbs() — v6.3 … v6.12
function migrate_hugetlbs(ctx: Context, from: ListId, spec: DstSpec, mode: number, stats: Stats, ret: ListId): number {
  const st = ctx.st;
  let anyHugetlb = false;
  for (let f = st.listFirst(from); f !== -1 && !anyHugetlb; f = st.next(f)) anyHugetlb = st.kind(f) === Kind.HUGETLB;
  if (!anyHugetlb) return 0;
  const d = ctx.trace.enter(FN_migrate_hugetlbs);
  let retry = 1;
  let nrFailed = 0;
  let nrRetryPages = 0;
  const savedPass = ctx.trace.pass;
  for (let pass = 0; pass < ctx.profile.maxRetry && retry; pass++) {
    retry = 0;
    nrRetryPages = 0;
    ctx.trace.pass = pass;
    st.setLocal(d, 0, pass);
    if (pass > 0) ctx.trace.emit(EV.retry_pass, -1, pass);
    for (const f of st.listItems(from)) {
      if (st.kind(f) !== Kind.HUGETLB) continue;
      const nr = st.nrPages(f);
      if (!ctx.profile.hugepageMigrationSupported || st.order(f) !== st.pmdOrder) {
        // !hugepage_migration_supported(): CONFIG_ARCH_ENABLE_HUGEPAGE_MIGRATION is off (or, in the model, not 2M)
        nrFailed++;
        stats.add('nr_failed_pages', nr);
        st.listMoveTail(ret, f);
        ctx.trace.emit(EV.ENOSYS, f);
        continue;
      }
      const rc = unmap_and_move_huge_page(ctx, spec, f, pass > 2, mode, ret);
      emitRc(ctx, rc, f);
      if (rc === ENOMEM) {
        stats.add('nr_failed_pages', nr + nrRetryPages);
        ctx.trace.pass = savedPass;
        ctx.trace.exit(ENOMEM);
        return ENOMEM;
      } else if (rc === EAGAIN) {
        retry++;
        nrRetryPages += nr;
      } else if (rc === MIGRATEPAGE_SUCCESS) {
        stats.add('nr_succeeded', nr);
      } else {
        nrFailed++;
        stats.add('nr_failed_pages', nr);
      }
      st.setLocal(d, 1, retry);
      st.setLocal(d, 2, nrFailed);
      st.setLocal(d, 3, nrRetryPages);
    }
  }
  nrFailed += retry;
  stats.add('nr_failed_pages', nrRetryPages);
  ctx.trace.pass = savedPass;
  st.setLocal(d, 4, nrFailed);
  ctx.trace.exit(nrFailed);
  return nrFailed;
}

// ---------------------------------------------------------------- the batch

interface BatchArgs {
  from: ListId;
  spec: DstSpec;
  mode: number;
  reason: number;
  ret: ListId;
  /** split_folios of migrate_pages(); null for the split-pieces pass (v6.4+) or when the batch keeps its own (v6.3) */
  split: ListId | null;
  stats: Stats;
  nrPass: number;
  /** pass number of this call's pass 0 in the operation's numbering (3 for the sync phase of 3+7) */
  passBase: number;
}

// mm/migrate.c migrate_pages_batch() — v6.3-rc1 … v6.12 (profile switches: largeFailedSeparate, splitPiecesInBatch, edeadlock, forcePassThreshold, deferredSplitPreSplit, nrSplit)
function migrate_pages_batch(ctx: Context, a: BatchArgs): number {
  const st = ctx.st;
  const p = ctx.profile;
  const { from, spec, reason, ret, stats } = a;
  let mode = a.mode;
  const d = ctx.trace.enter(FN_migrate_pages_batch);
  const L = (slot: number, v: number) => st.setLocal(d, slot, v);
  L(B_NR_PASS, a.nrPass);
  L(B_MODE, mode);
  const unmapFolios = st.newList('unmap_folios');
  const dstFolios = st.newList('dst_folios');
  // v6.3: split pieces are re-migrated inside the batch, from its own list
  const ownSplit = p.splitPiecesInBatch ? st.newList('split_folios') : null;
  const splitList = ownSplit ?? a.split;
  const nosplit = reason === MR_NUMA_MISPLACED;
  const sep = p.largeFailedSeparate;
  let noSplitCounting = false;
  let nrFailed = 0;
  let nrLargeFailed = 0;
  let retry = 1;
  let largeRetry = 1;
  let thpRetry = 1;
  let nrRetryPages = 0;
  let rc = 0;
  let rcSaved = 0;
  const savedPass = ctx.trace.pass;

  // ≤ v6.4 counts large folios apart (nr_large_failed / large_retry), and v6.3 does not count
  // the split pieces it re-migrates (no_split_folio_counting); v6.5+ shares retry / nr_failed
  const countRetry = (isLarge: boolean, isThp: number, nr: number) => {
    if (sep) {
      if (isLarge) {
        largeRetry++;
        thpRetry += isThp;
      } else if (!noSplitCounting) retry++;
    } else {
      retry++;
      thpRetry += isThp;
    }
    nrRetryPages += nr;
    L(B_RETRY, retry);
    L(B_LARGE_RETRY, largeRetry);
    L(B_THP_RETRY, thpRetry);
    L(B_NR_RETRY_PAGES, nrRetryPages);
  };
  const countFail = (isLarge: boolean, isThp: number, nr: number) => {
    if (sep) {
      if (isLarge) {
        nrLargeFailed++;
        stats.add('nr_thp_failed', isThp);
      } else if (!noSplitCounting) nrFailed++;
    } else {
      nrFailed++;
      stats.add('nr_thp_failed', isThp);
    }
    stats.add('nr_failed_pages', nr);
    L(B_NR_FAILED, nrFailed);
    L(B_NR_LARGE_FAILED, nrLargeFailed);
  };
  const countSuccess = (isThp: number, nr: number) => {
    stats.add('nr_succeeded', nr);
    stats.add('nr_thp_succeeded', isThp);
  };

  for (;;) {
    // retry: (v6.3-rc1 / v6.3 restart point)
    rcSaved = 0;
    retry = 1;
    const args: UnmapArgs = { force: false, avoidForceLock: false };
    const dstp: DstOut = { dst: -1 };
    L(B_AVOID, 0);
    let gotoOut = false;
    unmapPhase: {
      for (let pass = 0; pass < a.nrPass && (retry || (sep && largeRetry)); pass++) {
        retry = 0;
        largeRetry = 0;
        thpRetry = 0;
        nrRetryPages = 0;
        ctx.trace.pass = a.passBase + pass;
        args.force = p.forcePassThreshold !== null && pass > p.forcePassThreshold;
        L(B_PASS, pass);
        L(B_RETRY, 0);
        L(B_LARGE_RETRY, 0);
        L(B_THP_RETRY, 0);
        L(B_NR_RETRY_PAGES, 0);
        if (pass > 0) ctx.trace.emit(EV.retry_pass, -1, a.passBase + pass);
        let f = st.listFirst(from);
        while (f !== -1) {
          const next = st.next(f);
          const isLarge = st.isLarge(f);
          const isThp = isLarge && st.isPmdMappable(f) ? 1 : 0;
          const nr = st.nrPages(f);

          // ≈v6.10+: a partially mapped large folio on the deferred-split queue is split first
          if (p.deferredSplitPreSplit && splitList !== null && nr > 2 && st.has(f, F.DEFERRED_SPLIT)) {
            if (try_split_folio(ctx, f, splitList, mode) === 0) {
              nrFailed++;
              L(B_NR_FAILED, nrFailed);
              stats.add('nr_thp_failed', isThp);
              stats.add('nr_thp_split', isThp);
              stats.add('nr_split', 1);
              f = next;
              continue;
            }
          }

          if (!p.thpMigrationSupported && isThp) {
            if (sep) nrLargeFailed++;
            else nrFailed++;
            stats.add('nr_thp_failed', 1);
            if (splitList !== null && try_split_folio(ctx, f, splitList, mode) === 0) {
              stats.add('nr_thp_split', 1);
              if (p.nrSplit) stats.add('nr_split', 1);
              f = next;
              continue;
            }
            stats.add('nr_failed_pages', nr);
            st.listMoveTail(ret, f);
            ctx.trace.emit(EV.ENOSYS, f);
            f = next;
            continue;
          }

          rc = migrate_folio_unmap(ctx, spec, f, mode, reason, ret, args, dstp);
          if (p.unmapMoveEachFolio && rc === MIGRATEPAGE_UNMAP) {
            emitRc(ctx, rc, f);
            rc = moveThisFolio(ctx, f, dstp.dst, mode, reason, ret, dstFolios);
          }
          L(B_RC, rc);
          emitRc(ctx, rc, f);
          if (rc === ENOMEM) {
            let handled = false;
            if (sep) {
              if (isLarge) {
                nrLargeFailed++;
                stats.add('nr_thp_failed', isThp);
                if (!nosplit && splitList !== null) {
                  const sr = try_split_folio(ctx, f, splitList, mode);
                  if (sr === 0) {
                    stats.add('nr_thp_split', isThp);
                    handled = true;
                  } else if (reason === MR_LONGTERM_PIN && sr === EAGAIN) {
                    largeRetry++;
                    thpRetry += isThp;
                    nrRetryPages += nr;
                    nrLargeFailed--; // undo duplicated failure counting (seen in Debian 6.1.176)
                    stats.add('nr_thp_failed', -isThp);
                    handled = true;
                  }
                }
              } else if (!noSplitCounting) nrFailed++;
            } else {
              nrFailed++;
              stats.add('nr_thp_failed', isThp);
              if (isLarge && !nosplit && splitList !== null) {
                const sr = try_split_folio(ctx, f, splitList, mode);
                if (sr === 0) {
                  stats.add('nr_thp_split', isThp);
                  stats.add('nr_split', 1);
                  handled = true;
                } else if (reason === MR_LONGTERM_PIN && sr === EAGAIN) {
                  retry++;
                  thpRetry += isThp;
                  nrRetryPages += nr;
                  nrFailed--;
                  stats.add('nr_thp_failed', -isThp);
                  handled = true;
                }
              }
            }
            L(B_NR_FAILED, nrFailed);
            L(B_NR_LARGE_FAILED, nrLargeFailed);
            if (handled) {
              f = next;
              continue;
            }
            stats.add('nr_failed_pages', nr + nrRetryPages);
            stats.add('nr_thp_failed', thpRetry);
            if (sep) nrLargeFailed += largeRetry;
            if (ownSplit !== null) st.listSplice(ownSplit, ret, false);
            rcSaved = ENOMEM;
            L(B_RC_SAVED, rcSaved);
            if (st.listEmpty(unmapFolios)) gotoOut = true;
            break unmapPhase;
          } else if (rc === EDEADLOCK) {
            rcSaved = EDEADLOCK;
            L(B_RC_SAVED, rcSaved);
            break unmapPhase;
          } else if (rc === EAGAIN) {
            countRetry(isLarge, isThp, nr);
          } else if (rc === MIGRATEPAGE_SUCCESS) {
            countSuccess(isThp, nr);
          } else if (rc === MIGRATEPAGE_UNMAP) {
            args.avoidForceLock = true;
            L(B_AVOID, 1);
            st.listMoveTail(unmapFolios, f);
            st.listAddTail(dstFolios, dstp.dst);
          } else {
            countFail(isLarge, isThp, nr);
          }
          f = next;
        }
      }
      nrFailed += retry;
      if (sep) nrLargeFailed += largeRetry;
      stats.add('nr_thp_failed', thpRetry);
      stats.add('nr_failed_pages', nrRetryPages);
      L(B_NR_FAILED, nrFailed);
      L(B_NR_LARGE_FAILED, nrLargeFailed);
    }

    if (!gotoOut && p.unmapMoveEachFolio) {
      rc = rcSaved ? rcSaved : nrFailed + nrLargeFailed;
      L(B_RC, rc);
    } else if (!gotoOut) {
      // move:
      try_to_unmap_flush(ctx);
      retry = 1;
      largeRetry = 0;
      for (let pass = 0; pass < a.nrPass && (retry || (sep && largeRetry)); pass++) {
        retry = 0;
        largeRetry = 0;
        thpRetry = 0;
        nrRetryPages = 0;
        ctx.trace.pass = a.passBase + pass;
        L(B_PASS, pass);
        if (pass > 0) ctx.trace.emit(EV.retry_pass, -1, a.passBase + pass);
        let f = st.listFirst(unmapFolios);
        let dst = st.listFirst(dstFolios);
        while (f !== -1) {
          const next = st.next(f);
          const dnext = st.next(dst);
          const isLarge = st.isLarge(f);
          const isThp = isLarge && st.isPmdMappable(f) ? 1 : 0;
          const nr = st.nrPages(f);
          rc = migrate_folio_move(ctx, f, dst, mode, reason, ret);
          L(B_RC, rc);
          emitRc(ctx, rc, f);
          if (rc === EAGAIN) countRetry(isLarge, isThp, nr);
          else if (rc === MIGRATEPAGE_SUCCESS) countSuccess(isThp, nr);
          else countFail(isLarge, isThp, nr);
          f = next;
          dst = dnext;
        }
      }
      nrFailed += retry;
      if (sep) nrLargeFailed += largeRetry;
      stats.add('nr_thp_failed', thpRetry);
      stats.add('nr_failed_pages', nrRetryPages);
      rc = rcSaved ? rcSaved : nrFailed + nrLargeFailed;
      L(B_NR_FAILED, nrFailed);
      L(B_NR_LARGE_FAILED, nrLargeFailed);
      L(B_RC, rc);
    } else rc = rcSaved;

    // out: undo every folio still unmapped (move retries exhausted, or an abort)
    let f = st.listFirst(unmapFolios);
    let dst = st.listFirst(dstFolios);
    while (f !== -1) {
      const next = st.next(f);
      const dnext = st.next(dst);
      const record = st.record(dst);
      st.setCol(Col.RECORD, dst, 0);
      ctx.trace.emit(EV.undo, f);
      migrate_folio_undo_src(ctx, f, record, true, ret);
      st.listDel(dst);
      migrate_folio_undo_dst(ctx, dst, true);
      f = next;
      dst = dnext;
    }

    // v6.3: migrate the split pieces inside the batch, forced ASYNC, without failure counting
    if (ownSplit !== null && rc >= 0 && !st.listEmpty(ownSplit)) {
      st.listSplice(from, ret, false);
      st.listSplice(ownSplit, from, false);
      if (!p.splitPiecesKeepMode) mode = MIGRATE_ASYNC;
      L(B_MODE, mode);
      noSplitCounting = true;
      L(B_NOSPLITCOUNT, 1);
      continue;
    }
    // v6.3-rc1: every locked folio was moved and unlocked, so the batch restarts and may block now
    if (rc === EDEADLOCK) continue;
    break;
  }
  st.freeList(unmapFolios);
  st.freeList(dstFolios);
  if (ownSplit !== null) st.freeList(ownSplit);
  ctx.trace.pass = savedPass;
  L(B_RC, rc);
  ctx.trace.exit(rc);
  return rc;
}

// mm/migrate.c migrate_pages_sync() — v6.4 … v6.12 (profile syncCountsNrSplit: astats.nr_split from ≈v6.10, nr_thp_split before)
function migrate_pages_sync(ctx: Context, from: ListId, spec: DstSpec, mode: number, reason: number, ret: ListId, split: ListId, stats: Stats): number {
  const st = ctx.st;
  const p = ctx.profile;
  const d = ctx.trace.enter(FN_migrate_pages_sync);
  const astats = new Stats(ctx, d, 2);
  const folios = st.newList('folios');
  const finish = (rc: number) => {
    st.freeList(folios);
    st.setLocal(d, 0, rc);
    ctx.trace.exit(rc);
    return rc;
  };
  let rc = migrate_pages_batch(ctx, { from, spec, mode: MIGRATE_ASYNC, reason, ret: folios, split, stats: astats, nrPass: p.asyncRetry, passBase: 0 });
  stats.add('nr_succeeded', astats.v.nr_succeeded);
  stats.add('nr_thp_succeeded', astats.v.nr_thp_succeeded);
  stats.add('nr_thp_split', astats.v.nr_thp_split);
  stats.add('nr_split', astats.v.nr_split);
  if (rc < 0) {
    stats.add('nr_failed_pages', astats.v.nr_failed_pages);
    stats.add('nr_thp_failed', astats.v.nr_thp_failed);
    st.listSplice(folios, ret, false);
    return finish(rc);
  }
  stats.add('nr_thp_failed', astats.v.nr_thp_split);
  let nrFailed = p.syncCountsNrSplit ? astats.v.nr_split : astats.v.nr_thp_split;
  st.setLocal(d, 1, nrFailed);
  // fall back to migrating every failed folio one by one, synchronously
  st.listSplice(folios, from, false);
  while (!st.listEmpty(from)) {
    const f = st.listFirst(from);
    st.listDel(f);
    st.listAddHead(folios, f);
    rc = migrate_pages_batch(ctx, { from: folios, spec, mode, reason, ret, split, stats, nrPass: p.syncRetry, passBase: p.asyncRetry });
    st.listSplice(folios, ret, false);
    if (rc < 0) return finish(rc);
    nrFailed += rc;
    st.setLocal(d, 1, nrFailed);
  }
  return finish(nrFailed);
}

// mm/migrate.c migrate_pages() — v6.3-rc1 … v6.12 (profile switches: migratePagesSync, batchOnlyAsync, batchCutInclusive, splitPiecesInBatch, fromEmptyReturnsZero, nrSplit)
export function migrate_pages(ctx: Context, from: ListId, spec: DstSpec, mode: number, reason: number): MigrateResult {
  const st = ctx.st;
  const p = ctx.profile;
  if (mode === MIGRATE_SYNC_NO_COPY && !p.syncNoCopy) throw new RunStop(`MIGRATE_SYNC_NO_COPY does not exist in kernel ${p.name}`, ctx.trace.line);
  const d = ctx.trace.enter(FN_migrate_pages);
  st.setLocal(d, 3, mode);
  st.setLocal(d, 4, reason);
  ctx.trace.emit(EV.mm_migrate_pages_start, -1, mode, reason);
  const stats = new Stats(ctx, d, 5);
  const folios = st.newList('folios');
  const retFolios = st.newList('ret_folios');
  const splitFolios = st.newList('split_folios');
  let maxPass = 0;
  const passWatch = () => {
    maxPass = Math.max(maxPass, ctx.trace.pass + 1);
  };
  const savedHook = ctx.trace.onEvent;
  ctx.trace.onEvent = (i) => {
    passWatch();
    if (savedHook) savedHook(i);
  };

  let rc = 0;
  let retIds: FolioId[] = [];
  let rcGather = 0;
  try {
    rcGather = migrate_hugetlbs(ctx, from, spec, mode, stats, retFolios);
    st.setLocal(d, 1, rcGather);
    if (rcGather >= 0) {
      const batch = p.batchOnlyAsync && mode !== MIGRATE_ASYNC ? 1 : p.batchPages;
      for (;;) {
        // again:
        let nrPages = 0;
        let f = st.listFirst(from);
        let taken = 0;
        let cut = false;
        while (f !== -1) {
          const next = st.next(f);
          if (st.kind(f) === Kind.HUGETLB) {
            st.listMoveTail(retFolios, f); // retried hugetlb folios stay failed
            f = next;
            continue;
          }
          const nr = st.nrPages(f);
          if (p.batchCutInclusive) {
            nrPages += nr;
            taken++;
            if (nrPages >= batch) {
              // list_cut_before(&folios, from, &folio2->lru): this folio is in the batch
              cut = true;
              f = next;
              break;
            }
          } else {
            // v6.3-rc1: `nr_pages > batch` cuts before the crossing folio, whose pages nr_pages
            // counts all the same (never an empty batch here)
            if (nrPages + nr > batch && taken > 0) {
              nrPages += nr;
              cut = true;
              break;
            }
            nrPages += nr;
            taken++;
          }
          f = next;
        }
        if (cut) st.listCutBefore(folios, from, f);
        else st.listSplice(from, folios, false); // list_splice_init(from, &folios)
        st.setLocal(d, 2, nrPages);
        if (mode === MIGRATE_ASYNC || !p.migratePagesSync) {
          rc = migrate_pages_batch(ctx, { from: folios, spec, mode, reason, ret: retFolios, split: p.splitPiecesInBatch ? null : splitFolios, stats, nrPass: p.maxRetry, passBase: 0 });
        } else {
          rc = migrate_pages_sync(ctx, folios, spec, mode, reason, retFolios, splitFolios, stats);
        }
        st.setLocal(d, 0, rc);
        st.listSplice(folios, retFolios, false);
        if (rc < 0) {
          rcGather = rc;
          st.listSplice(splitFolios, retFolios, false);
          break;
        }
        if (!st.listEmpty(splitFolios)) {
          // failures are not counted: the split parent already counted as one
          const saved = ctx.trace.pass;
          migrate_pages_batch(ctx, { from: splitFolios, spec, mode: MIGRATE_ASYNC, reason, ret: retFolios, split: null, stats, nrPass: 1, passBase: 0 });
          ctx.trace.pass = saved;
          st.listSplice(splitFolios, retFolios, false);
        }
        rcGather += rc;
        st.setLocal(d, 1, rcGather);
        if (st.listEmpty(from)) break;
      }
    }
    // out:
    retIds = st.listCount(retFolios) <= 10000 ? st.listItems(retFolios) : [];
    st.listSplice(retFolios, from, true);
    if (p.fromEmptyReturnsZero && st.listEmpty(from)) rcGather = 0;
    st.setLocal(d, 1, rcGather);
    st.vmstatAdd(VMSTAT_INDEX.pgmigrate_success, stats.v.nr_succeeded);
    st.vmstatAdd(VMSTAT_INDEX.pgmigrate_fail, stats.v.nr_failed_pages);
    st.vmstatAdd(VMSTAT_INDEX.thp_migration_success, stats.v.nr_thp_succeeded);
    st.vmstatAdd(VMSTAT_INDEX.thp_migration_fail, stats.v.nr_thp_failed);
    st.vmstatAdd(VMSTAT_INDEX.thp_migration_split, stats.v.nr_thp_split);
    ctx.trace.emitNote(EV.mm_migrate_pages, -1, mode, reason, { ...stats.v });
    st.freeList(folios);
    st.freeList(retFolios);
    st.freeList(splitFolios);
    ctx.trace.exit(rcGather);
  } finally {
    ctx.trace.onEvent = savedHook;
  }
  return { rc: rcGather, nrSucceeded: stats.v.nr_succeeded, stats: { ...stats.v }, passes: maxPass, retFolios: retIds };
}
