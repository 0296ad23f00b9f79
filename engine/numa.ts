// mm/migrate.c, the NUMA-balancing path: a hinting fault on a misplaced folio
// migrates it with MIGRATE_ASYNC / MR_NUMA_MISPLACED (so a large folio is never
// split on -ENOMEM), allocating on the target node without reclaim.
//
// Version switch (engine/profiles.ts):
//   numaPrepare  v6.11+: migrate_misplaced_folio_prepare() (-EACCES / -EAGAIN / 0) and
//       migrate_misplaced_folio() returning 0 or -EAGAIN. Before (6.1):
//       migrate_misplaced_page() returns 1 (migrated) or 0; the model reports those as
//       0 and -EAGAIN so one scenario reads the same on every profile.

import type { NumaFaultOp } from '../scenario/ast';
import { Context, MIGRATE_ASYNC, MR_NUMA_MISPLACED } from './context';
import { FolioId, Kind, F, Vma, VMSTAT_INDEX, PROT_EXEC, defineFn } from './state';
import { RunStop } from './trace';
import { SyscallOutcome, SEV, err, procNamed, resolveAddr, findVma, walkAddr, isZeroFolio, folioShared, num } from './syscall_common';

const FN_do_numa_page = defineFn('do_numa_page', ['addr', 'target_nid', 'rc']);
const FN_migrate_misplaced_folio_prepare = defineFn('migrate_misplaced_folio_prepare', ['node', 'rc']);
const FN_migrate_misplaced_folio = defineFn('migrate_misplaced_folio', ['node', 'nr_remaining', 'nr_succeeded']);

// mm/migrate.c migrate_balanced_pgdat() — v6.1 … v6.12 (the high watermark is not modelled: free pages must cover the folio)
function migrate_balanced_pgdat(ctx: Context, node: number, nrPages: number): boolean {
  const st = ctx.st;
  return (st.nodeFree[node] ?? 0) + (st.nodeMovFree[node] ?? 0) > nrPages;
}

// mm/migrate.c migrate_misplaced_folio_prepare() — v6.11+; v6.1 the checks of migrate_misplaced_page() + numamigrate_isolate_page()
function migrate_misplaced_folio_prepare(ctx: Context, f: FolioId, vma: Vma, node: number, list: number): number {
  const st = ctx.st;
  const d = ctx.trace.enter(FN_migrate_misplaced_folio_prepare, f);
  st.setLocal(d, 0, node);
  const ret = (e: number): number => {
    st.setLocal(d, 1, e);
    ctx.trace.exit(e, f);
    return e;
  };
  if (st.kind(f) === Kind.FILE) {
    // shared executable file folios stay; dirty ones cannot move in MIGRATE_ASYNC on every filesystem
    if (vma.prot & PROT_EXEC && folioShared(ctx, f)) return ret(err('EACCES'));
    if (st.has(f, F.DIRTY)) return ret(err('EAGAIN'));
  }
  if (!migrate_balanced_pgdat(ctx, node, st.nrPages(f))) return ret(err('EAGAIN'));
  if (!ctx.isolateLru(f, list)) return ret(err('EAGAIN'));
  return ret(0);
}

// mm/migrate.c migrate_misplaced_folio() — v6.11+ (0 / -EAGAIN); v6.1 migrate_misplaced_page() (1 / 0)
function migrate_misplaced_folio(ctx: Context, list: number, node: number): number {
  const st = ctx.st;
  const d = ctx.trace.enter(FN_migrate_misplaced_folio);
  st.setLocal(d, 0, node);
  const r = ctx.migrate_pages(list, { node, thisNode: true }, MIGRATE_ASYNC, MR_NUMA_MISPLACED);
  if (r.rc && !st.listEmpty(list)) ctx.putback_movable_pages(list);
  st.vmstatAdd(VMSTAT_INDEX.numa_pages_migrated, r.nrSucceeded);
  st.setLocal(d, 1, r.rc);
  st.setLocal(d, 2, r.nrSucceeded);
  const rc = r.rc ? err('EAGAIN') : 0;
  ctx.trace.exit(rc);
  return rc;
}

/** `numa_fault app heap[0] to node 1`: a NUMA-hinting fault on the folio mapped there, which wants it on node 1. */
// mm/memory.c do_numa_page() — v6.1 … v6.12 (the migrate part; the PROT_NONE hinting PTE itself is not modelled)
export function do_numa_page(ctx: Context, op: NumaFaultOp): SyscallOutcome {
  const st = ctx.st;
  const line = op.range.start.line;
  const proc = procNamed(st, op.process, line);
  const { start } = resolveAddr(st, proc, op.at, line);
  const node = num(op.node, line, 'numa_fault: the target node');
  if (!st.hasNode(node)) throw new RunStop(`numa_fault: node ${node} is not declared`, line);
  const vma = findVma(proc, start);
  const w = walkAddr(st, proc, start);
  if (!vma || w.folio < 0 || !w.present || isZeroFolio(st, w.folio, w.entry)) {
    throw new RunStop(`numa_fault: ${proc.name} has no folio mapped at 0x${start.toString(16)} (a hinting fault needs a present page)`, line);
  }
  const f = w.folio;
  const d = ctx.trace.enter(FN_do_numa_page, f);
  st.setLocal(d, 0, start);
  st.setLocal(d, 1, node);
  ctx.trace.emit(SEV.numa_misplaced, f, st.node(f), node);
  let rc = 0;
  if (st.node(f) !== node) {
    const list = st.newList('migratepages');
    rc = migrate_misplaced_folio_prepare(ctx, f, vma, node, list);
    if (rc === 0) rc = migrate_misplaced_folio(ctx, list, node);
    else if (!ctx.profile.numaPrepare) rc = err('EAGAIN'); // 6.1 only says "not migrated"
    st.freeList(list);
  }
  st.setLocal(d, 2, rc);
  ctx.trace.exit(rc, f);
  return { ret: rc };
}
