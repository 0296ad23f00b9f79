// mm/gup.c, FOLL_LONGTERM: pin, check that every folio may stay pinned for a long
// time, and if not, unpin everything, migrate the offenders out of ZONE_MOVABLE /
// CMA (MR_LONGTERM_PIN) and pin again. Also the plain get_user_pages() reference
// that vmsplice takes (`pin ... ref`).
//
// Return contract of check_and_migrate_movable_pages (seed 003, J. Hubbard's comment):
//   0        all pinnable, pins kept
//   -EAGAIN  migrated (or tried to): everything unpinned, the caller re-pins
//   other    failure (-ENOMEM, -EBUSY): everything unpinned, the caller gives up
//
// Version switches (engine/profiles.ts):
//   gupNothingIsolated  'collected' (original code, and again after the June 2025 revert):
//       anything unpinnable found → migrate path → -EAGAIN even if nothing could be
//       isolated, so the caller loops; 'list_empty' (v6.14, 1aaf8c122918): return 0.
// Not modelled: the drain rule. Every profile traces one lru_add_drain_all() the first time a collected folio
// is off the LRU (the ≤6.16 rule). Debian's 6.1.176 and 6.12.95 carry the stable backport that drains
// (local, then all CPUs) when folio_ref_count != expected + 1 instead (docs/kernel-findings.md); only the
// lru_add_drain_all event would differ, since per-CPU LRU batches are not modelled.
// The optional `retries N` of the `pin` operation models the seed thread's
// PINNABLE_MIGRATE_MAX / PINNABLE_ISOLATE_MAX bound (Pavel Tatashin, v4 08/10,
// never merged in that form): after N rounds that still ask to re-pin, give up
// with -EBUSY and nothing pinned. Without it the model stops a livelock after
// GUP_LIVELOCK_ROUNDS rounds with an error (the kernel would spin forever).

import type { PinOp } from '../scenario/ast';
import { Context, MIGRATE_SYNC, MR_LONGTERM_PIN } from './context';
import { Process, Vma, FolioId, ListId, Kind, F, Col, Zone, defineFn, PROT_WRITE } from './state';
import { RunStop } from './trace';
import { MmSetup, touch } from './mm';
import { SyscallOutcome, SEV, err, procNamed, resolveAddr, findVma, walkAddr, isZeroFolio, syscallProfile } from './syscall_common';

const FN_gup_longterm_locked = defineFn('__gup_longterm_locked', ['nr_pages', 'rc', 'round']);
const FN_check_and_migrate = defineFn('check_and_migrate_movable_folios', ['nr_pages', 'collected']);
const FN_collect = defineFn('collect_longterm_unpinnable_folios', ['collected', 'drained']);
const FN_migrate_longterm = defineFn('migrate_longterm_unpinnable_folios', ['ret']);
const FN_get_user_pages = defineFn('__get_user_pages_locked', ['nr_pages', 'pinned']);

const GUP_LIVELOCK_ROUNDS = 1000;

/**
 * The user-level layer of a run (page cache index, zero page) that GUP's fault-in
 * needs; run() registers it with `setGupUserMm(ctx, setup.mm)`. Without it, `pin`
 * of an unpopulated page stops the run with a message.
 */
const userMm = new WeakMap<Context, MmSetup>();
export function setGupUserMm(ctx: Context, mm: MmSetup): void {
  userMm.set(ctx, mm);
}

// include/linux/mm.h folio_is_longterm_pinnable() — v6.1 (is_longterm_pinnable_page) … v6.12
function folio_is_longterm_pinnable(ctx: Context, f: FolioId, entry: number): boolean {
  const st = ctx.st;
  if (st.has(f, F.CMA)) return false; // CMA or ISOLATE pageblock
  if (isZeroFolio(st, f, entry)) return true; // the shared zero page is always fine
  // device-coherent and FS-DAX folios are not modelled
  return st.zone(f) !== Zone.MOVABLE;
}

/** One GUP reference per page: FOLL_PIN (pins + ref) or FOLL_GET (ref only). */
interface Pinned {
  folio: FolioId;
  entry: number;
}

// mm/gup.c check_vma_flags() — v6.1 … v6.12 (the FOLL_LONGTERM|FOLL_WRITE file rule from v6.5 by syscallProfile)
function check_vma_flags(ctx: Context, vma: Vma, longterm: boolean): number {
  // io_uring registers its buffers FOLL_WRITE|FOLL_LONGTERM
  if (!(vma.prot & PROT_WRITE)) return err('EFAULT');
  if (longterm && vma.backing === 'file' && vma.shared && syscallProfile(ctx).gupLongtermFileWriteEfault) return err('EFAULT');
  return 0;
}

// mm/gup.c __get_user_pages_locked() — v6.1 … v6.12 (pages must already be populated in the model)
function get_user_pages_locked(ctx: Context, p: Process, start: number, end: number, foll_pin: boolean, longterm: boolean, line: number): Pinned[] | number {
  const st = ctx.st;
  const d = ctx.trace.enter(FN_get_user_pages);
  const out: Pinned[] = [];
  for (let a = start; a < end; a += st.pageSize) {
    const vma = findVma(p, a);
    const bad = vma ? check_vma_flags(ctx, vma, longterm) : err('EFAULT');
    if (bad) {
      // GUP returns what it pinned so far, or the error for the first page
      if (out.length) break;
      ctx.trace.exit(bad);
      return bad;
    }
    let w = walkAddr(st, p, a);
    // faultin_page(): nothing mapped, or FOLL_WRITE on the zero page (unshare by COW)
    if (w.folio < 0 || !w.present || (longterm && isZeroFolio(st, w.folio, w.entry))) {
      const mm = userMm.get(ctx);
      if (!mm) throw new RunStop(`pin: ${p.name} has nothing mapped at 0x${a.toString(16)} — touch it first`, line);
      touch(ctx, mm, st.procs[p.id], a, a + st.pageSize, longterm, undefined, line);
      p = st.procs[p.id];
      w = walkAddr(st, p, a);
      if (w.folio < 0 || !w.present) return err('EFAULT');
    }
    const f = w.folio;
    st.addRef(f, 1);
    if (foll_pin) st.setCol(Col.PINS, f, st.pins(f) + 1);
    ctx.trace.emit(SEV.gup_pin, f, a, foll_pin ? 1 : 0);
    out.push({ folio: f, entry: w.entry });
  }
  st.setLocal(d, 0, (end - start) / st.pageSize);
  st.setLocal(d, 1, out.length);
  ctx.trace.exit(out.length);
  return out;
}

function unpin_user_page(ctx: Context, pg: Pinned): void {
  const st = ctx.st;
  st.setCol(Col.PINS, pg.folio, st.pins(pg.folio) - 1);
  ctx.trace.emit(SEV.gup_unpin, pg.folio);
  ctx.folio_put(pg.folio);
}

// mm/gup.c collect_longterm_unpinnable_folios() — v6.1 (collect_longterm_unpinnable_pages) … v6.12
function collect_longterm_unpinnable_folios(ctx: Context, list: ListId, pages: Pinned[]): number {
  const st = ctx.st;
  const d = ctx.trace.enter(FN_collect);
  let collected = 0;
  let drainAllow = true;
  let prev = -1;
  for (const pg of pages) {
    const f = pg.folio;
    if (f === prev) continue; // consecutive pages of one folio
    prev = f;
    if (folio_is_longterm_pinnable(ctx, f, pg.entry)) continue;
    collected++;
    st.setLocal(d, 0, collected);
    ctx.trace.emit(SEV.collect_longterm_unpinnable, f);
    if (st.list(f) !== 0) continue; // already collected through an earlier, non-consecutive page
    if (st.kind(f) === Kind.HUGETLB) {
      ctx.isolateForMigration(f, list);
      continue;
    }
    if (drainAllow && !st.has(f, F.LRU)) {
      // lru_add_drain_all(): the per-CPU batches are not modelled; the drain is traced
      ctx.trace.emit(SEV.lru_add_drain_all, f);
      st.setLocal(d, 1, 1);
      drainAllow = false;
    }
    if (ctx.isolateLru(f, list)) ctx.trace.emit(SEV.queue_folio, f);
  }
  ctx.trace.exit(collected);
  return collected;
}

// mm/gup.c migrate_longterm_unpinnable_folios() — v6.1 … v6.12 (all pins dropped; any migrate_pages() failure is -ENOMEM)
function migrate_longterm_unpinnable_folios(ctx: Context, list: ListId, pages: Pinned[]): number {
  const st = ctx.st;
  const d = ctx.trace.enter(FN_migrate_longterm);
  for (const pg of pages) unpin_user_page(ctx, pg);
  pages.length = 0;
  let ret = err('EAGAIN');
  if (!st.listEmpty(list)) {
    ctx.trace.emit(SEV.migrate_longterm_unpinnable, -1, st.listCount(list));
    // alloc_migration_target with NUMA_NO_NODE (the source's node) under PF_MEMALLOC_PIN: no ZONE_MOVABLE, no CMA
    const r = ctx.migrate_pages(list, { node: -1, pinnable: true }, MIGRATE_SYNC, MR_LONGTERM_PIN);
    if (r.rc) ret = err('ENOMEM');
  }
  if (!st.listEmpty(list)) ctx.putback_movable_pages(list);
  st.setLocal(d, 0, ret);
  ctx.trace.exit(ret);
  return ret;
}

// mm/gup.c check_and_migrate_movable_folios() — v6.1 (check_and_migrate_movable_pages) … v6.12; empty-list variant v6.14 by profile
function check_and_migrate_movable_pages(ctx: Context, pages: Pinned[]): number {
  const st = ctx.st;
  const d = ctx.trace.enter(FN_check_and_migrate);
  st.setLocal(d, 0, pages.length);
  const list = st.newList('movable_folio_list');
  const collected = collect_longterm_unpinnable_folios(ctx, list, pages);
  st.setLocal(d, 1, collected);
  let rc: number;
  if (ctx.profile.gupNothingIsolated === 'list_empty' ? st.listEmpty(list) : collected === 0) rc = 0;
  else rc = migrate_longterm_unpinnable_folios(ctx, list, pages);
  st.freeList(list);
  ctx.trace.exit(rc);
  return rc;
}

/** `pin app heap[0..8K] longterm [retries N]` (io_uring fixed buffers) or `pin app heap[0] ref` (vmsplice). */
// mm/gup.c __gup_longterm_locked() — v6.1 … v6.12 (memalloc_pin_save, pin / check loop while -EAGAIN)
export function pin_user_pages(ctx: Context, op: PinOp): SyscallOutcome {
  const st = ctx.st;
  const trace = ctx.trace;
  const line = op.range.start.line;
  const p = procNamed(st, op.process, line);
  const { start, end } = resolveAddr(st, p, op.addr, line);
  const kind = op.pinKind?.text ?? 'longterm';
  if (kind !== 'longterm' && kind !== 'ref') throw new RunStop(`pin: expected longterm or ref, got ${kind}`, line);
  const retries = op.retries ? Number(op.retries.value) : undefined;
  trace.emit(SEV.syscall_enter, -1, start, end - start);
  if (kind === 'ref') {
    const r = get_user_pages_locked(ctx, p, start, end, false, false, line);
    const ret = typeof r === 'number' ? r : r.length;
    trace.emit(SEV.syscall_exit, -1, ret);
    return { ret, counts: { pinned: typeof r === 'number' ? 0 : r.length, passes: 1 } };
  }
  const d = trace.enter(FN_gup_longterm_locked);
  st.setLocal(d, 0, (end - start) / st.pageSize);
  let rc = 0;
  let round = 0;
  let pages: Pinned[] = [];
  for (;;) {
    round++;
    st.setLocal(d, 2, round);
    if (round > GUP_LIVELOCK_ROUNDS) {
      throw new RunStop(`pin: __gup_longterm_locked still retries after ${GUP_LIVELOCK_ROUNDS} rounds — the kernel would loop forever here (see 1aaf8c122918); bound it with \`retries N\``, line);
    }
    const r = get_user_pages_locked(ctx, st.procs[p.id], start, end, true, true, line);
    if (typeof r === 'number' || r.length === 0) {
      rc = typeof r === 'number' ? r : 0;
      pages = [];
      break;
    }
    pages = r;
    rc = check_and_migrate_movable_pages(ctx, pages);
    st.setLocal(d, 1, rc);
    if (rc !== err('EAGAIN')) break;
    trace.emit(SEV.gup_retry, -1, round);
    if (retries !== undefined && round >= retries) {
      rc = err('EBUSY');
      break;
    }
  }
  const pinned = rc === 0 ? pages.length : 0;
  const ret = rc === 0 ? pinned : rc;
  trace.exit(ret);
  trace.emit(SEV.syscall_exit, -1, ret);
  return { ret, counts: { pinned, passes: round } };
}
