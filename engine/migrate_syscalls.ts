// mm/migrate.c, the move_pages(2) part: kernel_move_pages, do_pages_move with its
// batching by target node and flush rule, add_folio_for_migration, and the query
// mode do_pages_stat.
//
// Version switches (engine/profiles.ts):
//   movePagesUnmappedErrno  'EFAULT' for 4.3–6.11 (follow_page with FOLL_DUMP: an anon
//       address with nothing mapped is -EFAULT), 'ENOENT' since v6.12 (folio_walk).
//   sharedTest              page_mapcount > 1 (≤6.7) / folio_likely_mapped_shared.
//   movePagesFollowsProtnone  false: follow_page() does not follow a PROT_NONE entry (seen on 6.1.192).

import type { MovePagesOp } from '../scenario/ast';
import { Context, MIGRATE_SYNC, MR_SYSCALL } from './context';
import { Process, Vma, FolioId, ListId, Kind, defineFn, Scalar } from './state';
import { RunStop } from './trace';
import {
  SyscallOutcome, SEV, err, MPOL_MF_MOVE, MPOL_MF_MOVE_ALL, MPOL_MF_NAMES, MAX_NUMNODES, capableSysNice, ptraceMayAccess,
  cpusetMems, nodeHasMemory, procNamed, targetProcess, resolveAddr, findVma, vmaMigratable, walkAddr, isZeroFolio,
  isZoneDevice, folioShared, type Walked,
} from './syscall_common';

const FN_kernel_move_pages = defineFn('kernel_move_pages', ['pid', 'nr_pages', 'flags', 'err']);
const FN_do_pages_move = defineFn('do_pages_move', ['i', 'start', 'current_node', 'err']);
const FN_move_pages_and_store_status = defineFn('move_pages_and_store_status', ['node', 'start', 'i', 'err']);
const FN_add_folio_for_migration = defineFn('add_folio_for_migration', ['addr', 'node', 'err']);
const FN_do_pages_stat = defineFn('do_pages_stat', ['nr_pages']);

/** status[] as user space sees it: null = never written (the caller's pre-initialised value stays) */
type Status = (number | null)[];

// mm/migrate.c store_status() — v6.1 … v6.12
function store_status(ctx: Context, status: Status, start: number, value: number, nr: number): void {
  for (let i = start; i < start + nr; i++) status[i] = value;
  ctx.trace.emit(SEV.store_status, -1, start, value);
}

// mm/migrate.c do_move_pages_to_node() — v6.1 … v6.12 (MIGRATE_SYNC, MR_SYSCALL, __GFP_THISNODE)
function do_move_pages_to_node(ctx: Context, pagelist: ListId, node: number): number {
  const r = ctx.migrate_pages(pagelist, { node, thisNode: true }, MIGRATE_SYNC, MR_SYSCALL);
  if (r.rc) ctx.putback_movable_pages(pagelist);
  return r.rc;
}

// mm/migrate.c __add_folio_for_migration() + add_folio_for_migration() — v6.12 (folio_walk); v6.1 add_page_for_migration() (follow_page FOLL_DUMP) by profile
function add_folio_for_migration(ctx: Context, mm: Process, addr: number, node: number, pagelist: ListId, migrateAll: boolean): number {
  const st = ctx.st;
  const d = ctx.trace.enter(FN_add_folio_for_migration);
  st.setLocal(d, 0, addr);
  st.setLocal(d, 1, node);
  const ret = (e: number, f: FolioId = -1): number => {
    st.setLocal(d, 2, e);
    ctx.trace.exit(e, f);
    return e;
  };
  const vma = findVma(mm, addr);
  if (!vma || !vmaMigratable(ctx, vma)) return ret(err('EFAULT'));
  const w = walkAddr(st, mm, addr);
  if (w.folio < 0 || !w.present) {
    // nothing mapped: folio_walk gives -ENOENT (6.12); follow_page(FOLL_DUMP) gave -EFAULT on an anonymous
    // VMA (no ->fault), -ENOENT on a file VMA or a non-none entry (swap) (4.3–6.11)
    if (w.entry !== 0 && ctx.profile.movePagesUnmappedErrno === 'EFAULT') return ret(err('ENOENT'));
    if (ctx.profile.movePagesUnmappedErrno === 'EFAULT' && vma.backing !== 'anon') return ret(err('ENOENT'));
    return ret(err(ctx.profile.movePagesUnmappedErrno));
  }
  const hidden = protnoneHidden(ctx, vma, w);
  if (hidden) return ret(hidden);
  const f = w.folio;
  if (isZeroFolio(st, f, w.entry)) return ret(err('EFAULT'), f);
  if (isZoneDevice(st, f)) return ret(err('ENOENT'), f);
  if (st.node(f) === node) return ret(0, f);
  if (folioShared(ctx, f) && !migrateAll) return ret(err('EACCES'), f);
  if (st.kind(f) === Kind.HUGETLB) {
    // ≤6.7 isolated only at the head page: a tail address kept -EACCES
    if (ctx.profile.sharedTest === 'mapcount' && w.sub !== 0) return ret(err('EACCES'), f);
    if (ctx.isolateForMigration(f, pagelist)) return ret(1, f);
    return ret(err('EBUSY'), f);
  }
  if (ctx.isolateLru(f, pagelist)) {
    ctx.trace.emit(SEV.queue_folio, f);
    return ret(1, f);
  }
  return ret(err('EBUSY'), f);
}

// mm/gup.c follow_page_pte() / follow_pmd_mask() pte_protnone check — v6.2–v6.5 and Debian's 6.1.192 (by profile)
// A PROT_NONE PTE gives no page (NULL: -ENOENT); a PROT_NONE PMD goes to no_page_table(), which with FOLL_DUMP is
// -EFAULT in a VMA without ->fault (anon), else NULL (-ENOENT). hugetlb is looked up before the check. Returns 0 when
// the page is visible.
function protnoneHidden(ctx: Context, vma: Vma, w: Walked): number {
  if (ctx.profile.movePagesFollowsProtnone || vma.prot !== 0 || vma.backing === 'hugetlb') return 0;
  if (w.huge) return vma.backing === 'anon' ? err('EFAULT') : err('ENOENT');
  return err('ENOENT');
}

// mm/migrate.c move_pages_and_store_status() — v6.1 … v6.12 (on failure: status unwritten, err += nr_pages - i)
function move_pages_and_store_status(ctx: Context, node: number, pagelist: ListId, status: Status, start: number, i: number, nrPages: number): number {
  const st = ctx.st;
  if (st.listEmpty(pagelist)) return 0;
  const d = ctx.trace.enter(FN_move_pages_and_store_status);
  st.setLocal(d, 0, node);
  st.setLocal(d, 1, start);
  st.setLocal(d, 2, i);
  ctx.trace.emit(SEV.flush_batch, -1, start, i);
  let e = do_move_pages_to_node(ctx, pagelist, node);
  if (e) {
    // a positive err counts failed folios; the entries not yet tried are added, as non-migrated pages
    if (e > 0) e += nrPages - i;
    st.setLocal(d, 3, e);
    ctx.trace.exit(e);
    return e;
  }
  store_status(ctx, status, start, node, i - start);
  ctx.trace.exit(0);
  return 0;
}

// mm/migrate.c do_pages_move() — v6.1 … v6.12
function do_pages_move(ctx: Context, mm: Process, taskNodes: Set<number>, addrs: number[], nodes: number[], status: Status, flags: number): number {
  const st = ctx.st;
  const trace = ctx.trace;
  const d = trace.enter(FN_do_pages_move);
  const nr = addrs.length;
  const pagelist = st.newList('pagelist');
  st.setScalar(Scalar.LRU_CACHE_DISABLED, st.scalars[Scalar.LRU_CACHE_DISABLED] + 1);
  let currentNode = -1;
  let start = 0;
  let e = 0;
  let i = 0;
  let flushAtEnd = true;
  for (i = start = 0; i < nr; i++) {
    st.setLocal(d, 0, i);
    const node = nodes[i];
    if (node < 0 || node >= MAX_NUMNODES || !nodeHasMemory(st, node)) {
      e = err('ENODEV');
      break;
    }
    if (!taskNodes.has(node)) {
      e = err('EACCES');
      break;
    }
    if (currentNode === -1) {
      currentNode = node;
      start = i;
    } else if (node !== currentNode) {
      e = move_pages_and_store_status(ctx, currentNode, pagelist, status, start, i, nr);
      if (e) {
        flushAtEnd = false;
        break;
      }
      start = i;
      currentNode = node;
    }
    st.setLocal(d, 1, start);
    st.setLocal(d, 2, currentNode);
    e = add_folio_for_migration(ctx, st.procs[mm.id], addrs[i], currentNode, pagelist, (flags & MPOL_MF_MOVE_ALL) !== 0);
    if (e > 0) continue; // queued for migration
    if (e === err('EEXIST')) e = err('EFAULT'); // the man page has no -EEXIST
    // already on the target node (0): store the node, otherwise the error
    store_status(ctx, status, i, e || currentNode, 1);
    e = move_pages_and_store_status(ctx, currentNode, pagelist, status, start, i, nr);
    if (e) {
      if (e > 0) e--; // page i already has its status
      flushAtEnd = false;
      break;
    }
    currentNode = -1;
  }
  if (flushAtEnd) {
    // out_flush: make sure we do not overwrite an existing error
    const e1 = move_pages_and_store_status(ctx, currentNode, pagelist, status, start, i, nr);
    if (e >= 0) e = e1;
  }
  st.setScalar(Scalar.LRU_CACHE_DISABLED, st.scalars[Scalar.LRU_CACHE_DISABLED] - 1);
  if (!st.listEmpty(pagelist)) ctx.putback_movable_pages(pagelist);
  st.freeList(pagelist);
  st.setLocal(d, 3, e);
  trace.exit(e);
  return e;
}

// mm/migrate.c do_pages_stat_array() / do_pages_stat() — v6.12 (folio_walk FW_ZEROPAGE); v6.1 follow_page(FOLL_DUMP) by profile
function do_pages_stat(ctx: Context, mm: Process, addrs: number[], status: Status): number {
  const st = ctx.st;
  const d = ctx.trace.enter(FN_do_pages_stat);
  st.setLocal(d, 0, addrs.length);
  addrs.forEach((addr, i) => {
    const vma = findVma(mm, addr);
    let v: number;
    if (!vma) v = err('EFAULT');
    else {
      const w = walkAddr(st, mm, addr);
      const hidden = w.folio >= 0 && w.present ? protnoneHidden(ctx, vma, w) : 0;
      if (hidden) v = hidden;
      else if (w.folio >= 0 && w.present) {
        if (isZeroFolio(st, w.folio, w.entry)) v = err('EFAULT');
        else if (isZoneDevice(st, w.folio)) v = err('ENOENT');
        else v = st.node(w.folio);
      } else if (ctx.profile.movePagesUnmappedErrno === 'EFAULT' && w.entry === 0 && vma.backing === 'anon') v = err('EFAULT');
      else v = err('ENOENT');
    }
    store_status(ctx, status, i, v, 1);
  });
  ctx.trace.exit(0);
  return 0;
}

/** move_pages(2) as a scenario operation; no `nodes` = query mode. */
// mm/migrate.c kernel_move_pages() + find_mm_struct() — v6.1 … v6.12
export function kernel_move_pages(ctx: Context, op: MovePagesOp): SyscallOutcome {
  const st = ctx.st;
  const trace = ctx.trace;
  const line = op.range.start.line;
  const caller = op.by ? procNamed(st, op.by, line) : op.target?.process ? procNamed(st, op.target.process, line) : undefined;
  if (!caller) throw new RunStop('move_pages with a raw pid needs `by <process>` (the calling task)', line);
  let flags = 0;
  if (op.flags?.raw) flags = Number(BigInt.asUintN(32, op.flags.raw.value));
  else for (const w of op.flags?.flags ?? []) {
    const b = MPOL_MF_NAMES[w.text];
    if (b === undefined) throw new RunStop(`unknown flag ${w.text}`, line);
    flags |= b;
  }
  const nr = op.pages.length;
  if (op.nodes && op.nodes.length !== nr) throw new RunStop(`move_pages: ${nr} pages but ${op.nodes.length} nodes`, line);
  const status: Status = new Array(nr).fill(null);
  const d = trace.enter(FN_kernel_move_pages);
  st.setLocal(d, 1, nr);
  st.setLocal(d, 2, flags);
  trace.emit(SEV.syscall_enter, -1, nr, flags);
  const finish = (e: number): SyscallOutcome => {
    st.setLocal(d, 3, e);
    trace.emit(SEV.syscall_exit, -1, e);
    trace.exit(e);
    return { ret: e, status };
  };
  if (flags & ~(MPOL_MF_MOVE | MPOL_MF_MOVE_ALL)) return finish(err('EINVAL'));
  if (flags & MPOL_MF_MOVE_ALL && !capableSysNice(caller)) return finish(err('EPERM'));
  // find_mm_struct()
  const task = targetProcess(st, op.target, caller, line);
  if (!task) return finish(err('ESRCH'));
  st.setLocal(d, 0, task.id);
  if (!ptraceMayAccess(caller, task)) return finish(err('EPERM'));
  const taskNodes = cpusetMems(st);
  // the addresses are resolved in the target's address space (a raw number is used as is)
  const addrs = op.pages.map((p) => resolveAddr(st, task, p, line).start);
  if (op.nodes) {
    const nodes = op.nodes.map((n) => Number(n.value));
    return finish(do_pages_move(ctx, task, taskNodes, addrs, nodes, status, flags));
  }
  return finish(do_pages_stat(ctx, task, addrs, status));
}
