// mm/migrate_device.c: migrate_vma_setup (collect + unmap), migrate_vma_pages and
// migrate_vma_finalize, driven the way the hmm selftests' dmirror driver does:
// setup, then a device-private destination for every entry still marked
// MIGRATE (holes included), then pages and finalize. The result a scenario checks
// is setup's return, npages and cpages (as the selftests do).
//
// Version switches (engine/profiles.ts):
//   migrateVmaPmdBadIsHole  v6.5+ (Hugh Dickins, seed 004): pte_offset_map_lock() may
//       fail → `goto again`; a bad PMD is cleared by it and becomes a hole. Before: a bad
//       PMD is an explicit skip, and pte_offset_map_lock() cannot fail.
// Not modelled: THP device migration (≈v6.19 MIGRATE_PFN_COMPOUND), device-coherent
// pages, PTE-mapped large folios (skipped as "still compound", as v6.1–v6.14 do).

import type { MigrateVmaOp } from '../scenario/ast';
import type { Context } from './context';
import { Process, Vma, FolioId, Kind, F, Pte, Zone, NodeCol, packPte, pteType, pteFolio, pteSub, pteBits, defineFn, PROT_WRITE } from './state';
import { EV, RunStop } from './trace';
import { split_folio_to_list } from './huge_memory';
import { remove_migration_ptes, try_to_migrate } from './rmap';
import { SyscallOutcome, SEV, err, procNamed, resolveAddr, findVma, isZeroFolio, pmdVpnOf } from './syscall_common';

export const MIGRATE_PFN_VALID = 1 << 0;
export const MIGRATE_PFN_MIGRATE = 1 << 1;
export const MIGRATE_PFN_WRITE = 1 << 3;
export const MIGRATE_PFN_SHIFT = 6;

export const MIGRATE_VMA_SELECT_SYSTEM = 1 << 0;
export const MIGRATE_VMA_SELECT_DEVICE_PRIVATE = 1 << 1;
export const MIGRATE_VMA_SELECT_DEVICE_COHERENT = 1 << 2;
const SELECT_NAMES: Record<string, number> = {
  system: MIGRATE_VMA_SELECT_SYSTEM,
  device_private: MIGRATE_VMA_SELECT_DEVICE_PRIVATE,
  device_coherent: MIGRATE_VMA_SELECT_DEVICE_COHERENT,
};

const FN_migrate_vma_setup = defineFn('migrate_vma_setup', ['start', 'end', 'npages', 'cpages']);
const FN_migrate_vma_collect_pmd = defineFn('migrate_vma_collect_pmd', ['addr', 'end', 'unmapped']);
const FN_migrate_device_unmap = defineFn('migrate_device_unmap', ['unmapped', 'restore']);
const FN_migrate_vma_pages = defineFn('migrate_vma_pages', ['npages']);
const FN_migrate_vma_finalize = defineFn('migrate_vma_finalize', ['npages']);

/** One src[] entry: the MIGRATE_PFN_* bits, the folio (-1 = no page) and where it was mapped. */
interface Entry {
  mpfn: number;
  folio: FolioId;
  vpn: number;
  dst: FolioId;
}

/** struct migrate_vma */
interface MigrateVma {
  proc: Process;
  vma: Vma;
  start: number;
  end: number;
  src: Entry[];
  cpages: number;
  npages: number;
  flags: number;
  faultFolio: FolioId;
}

function mpfnOf(st: Context['st'], f: FolioId, sub: number): number {
  return (st.pfn(f) + sub) * 2 ** MIGRATE_PFN_SHIFT + MIGRATE_PFN_VALID;
}

// mm/migrate_device.c migrate_vma_collect_skip() — v6.1 … v6.12
function migrate_vma_collect_skip(ctx: Context, m: MigrateVma, start: number, end: number): void {
  for (let a = start; a < end; a += ctx.st.pageSize) {
    m.src.push({ mpfn: 0, folio: -1, vpn: a / ctx.st.pageSize, dst: -1 });
    m.npages++;
  }
  ctx.trace.emit(SEV.migrate_vma_skip, -1, start, end);
}

// mm/migrate_device.c migrate_vma_collect_hole() — v6.1 … v6.12 (only an anonymous VMA may have its holes populated)
function migrate_vma_collect_hole(ctx: Context, m: MigrateVma, start: number, end: number): void {
  if (m.vma.backing !== 'anon' || m.vma.shared) {
    migrate_vma_collect_skip(ctx, m, start, end);
    return;
  }
  for (let a = start; a < end; a += ctx.st.pageSize) {
    m.src.push({ mpfn: MIGRATE_PFN_MIGRATE, folio: -1, vpn: a / ctx.st.pageSize, dst: -1 });
    m.npages++;
    m.cpages++;
  }
  ctx.trace.emit(SEV.migrate_vma_hole, -1, start, end);
}

/** Is the whole PMD range free of entries (pmd_none: no huge entry and no page table)? */
function pmdNone(ctx: Context, m: MigrateVma, pv: number): boolean {
  const st = ctx.st;
  if (st.getPmd(m.proc.id, pv) !== 0) return false;
  const per = st.pmdSize / st.pageSize;
  for (let v = pv; v < pv + per; v++) if (st.getPte(m.proc.id, v) !== 0) return false;
  return true;
}

function takeBadPmd(ctx: Context, m: MigrateVma, pv: number): boolean {
  const st = ctx.st;
  const i = ctx.inject.badPmd.findIndex((b) => b.proc === m.proc.name && pmdVpnOf(st, Math.floor(b.addr / st.pageSize)) === pv);
  if (i < 0) return false;
  ctx.inject.badPmd.splice(i, 1);
  return true;
}

function takePteMapLockFailure(ctx: Context, m: MigrateVma, addr: number, end: number): boolean {
  const i = ctx.inject.pteMapLockOnce.findIndex((x) => (x.proc === undefined || x.proc === m.proc.name) && (x.addr === undefined || (x.addr >= addr && x.addr < end)));
  if (i < 0) return false;
  ctx.inject.pteMapLockOnce.splice(i, 1);
  return true;
}

// mm/migrate_device.c migrate_vma_collect_pmd() — v6.1 (pmd_bad → skip) … v6.12 (pte_offset_map_lock failure → goto again; bad PMD → hole)
function migrate_vma_collect_pmd(ctx: Context, m: MigrateVma, start: number, end: number): void {
  const st = ctx.st;
  const trace = ctx.trace;
  const ps = st.pageSize;
  const mm = m.proc.id;
  const pv = pmdVpnOf(st, start / ps);
  const d = trace.enter(FN_migrate_vma_collect_pmd);
  st.setLocal(d, 0, start);
  st.setLocal(d, 1, end);
  const leave = (): void => trace.exit(0);
  let badCleared = false;
  for (let guard = 0; guard < 64; guard++) {
    // again:
    if (badCleared || pmdNone(ctx, m, pv)) {
      migrate_vma_collect_hole(ctx, m, start, end);
      return leave();
    }
    const pmd = st.getPmd(mm, pv);
    if (pmd !== 0 && pteType(pmd) === Pte.PRESENT) {
      const f = pteFolio(pmd);
      if (isZeroFolio(st, f, pmd)) {
        // split_huge_pmd(): the huge zero PMD becomes PTEs of the zero page
        const per = st.pmdSize / ps;
        st.setPmd(mm, pv, 0);
        for (let i = 0; i < per; i++) st.setPte(mm, pv + i, packPte(f, i, Pte.PRESENT | Pte.ZERO_PFN));
        trace.emit(EV.pmd_split, f, pv * ps);
        continue;
      }
      st.addRef(f, 1); // folio_get
      if (f === m.faultFolio || st.has(f, F.LOCKED)) {
        ctx.folio_put(f);
        migrate_vma_collect_skip(ctx, m, start, end);
        return leave();
      }
      st.setFlag(f, F.LOCKED);
      const rc = split_folio_to_list(ctx, f, null);
      st.clearFlag(f, F.LOCKED);
      ctx.folio_put(f);
      if (rc) {
        // the skip after an unsuccessful split must stay: it avoids an endless loop (seed 004)
        migrate_vma_collect_skip(ctx, m, start, end);
        return leave();
      }
      continue;
    }
    if (takeBadPmd(ctx, m, pv)) {
      trace.emit(SEV.pmd_bad, -1, pv * ps);
      if (!ctx.profile.migrateVmaPmdBadIsHole) {
        migrate_vma_collect_skip(ctx, m, start, end);
        return leave();
      }
      // pte_offset_map_lock() clears the bad PMD and fails; `goto again` then sees pmd_none
      trace.emit(SEV.pte_offset_map_lock_failed, -1, start);
      badCleared = true;
      continue;
    }
    if (ctx.profile.migrateVmaPmdBadIsHole && takePteMapLockFailure(ctx, m, start, end)) {
      trace.emit(SEV.pte_offset_map_lock_failed, -1, start);
      continue; // goto again
    }
    break;
  }
  let unmapped = 0;
  for (let a = start; a < end; a += ps) {
    const vpn = a / ps;
    const e = st.getPte(mm, vpn);
    const t = pteType(e);
    const entry: Entry = { mpfn: 0, folio: -1, vpn, dst: -1 };
    m.src.push(entry);
    m.npages++;
    if (e === 0) {
      if (m.vma.backing === 'anon' && !m.vma.shared) {
        entry.mpfn = MIGRATE_PFN_MIGRATE;
        m.cpages++;
      }
      continue;
    }
    let f: FolioId;
    let mpfn: number;
    if (t !== Pte.PRESENT) {
      if (t !== Pte.DEVICE_PRIVATE_READ && t !== Pte.DEVICE_PRIVATE_WRITE) continue; // swap, migration entries
      if (!(m.flags & MIGRATE_VMA_SELECT_DEVICE_PRIVATE)) continue; // the model has one device: the owner always matches
      f = pteFolio(e);
      mpfn = mpfnOf(st, f, pteSub(e)) | MIGRATE_PFN_MIGRATE;
      if (t === Pte.DEVICE_PRIVATE_WRITE) mpfn |= MIGRATE_PFN_WRITE;
    } else {
      f = pteFolio(e);
      if (isZeroFolio(st, f, e)) {
        if (m.flags & MIGRATE_VMA_SELECT_SYSTEM) {
          entry.mpfn = MIGRATE_PFN_MIGRATE;
          m.cpages++;
        }
        continue;
      }
      if (!(m.flags & MIGRATE_VMA_SELECT_SYSTEM)) continue;
      mpfn = mpfnOf(st, f, pteSub(e)) | MIGRATE_PFN_MIGRATE;
      if (pteBits(e) & Pte.WRITE) mpfn |= MIGRATE_PFN_WRITE;
    }
    if (st.isLarge(f)) continue; // still compound: skipped
    st.addRef(f, 1); // folio_get
    if (f !== m.faultFolio && (st.has(f, F.LOCKED) || ctx.inject.lockHeldAt(f, 0))) {
      ctx.folio_put(f);
      continue;
    }
    if (f !== m.faultFolio) st.setFlag(f, F.LOCKED);
    const anonExclusive = st.kind(f) === Kind.ANON && st.has(f, F.ANON_EXCLUSIVE);
    if (anonExclusive && st.pins(f) > 0) {
      // folio_try_share_anon_rmap() fails on a pinned page: restore the PTE, unlock, put
      if (f !== m.faultFolio) st.clearFlag(f, F.LOCKED);
      ctx.folio_put(f);
      trace.emit(SEV.migrate_vma_restore, f, a);
      continue;
    }
    const bits = pteBits(e);
    if (t === Pte.PRESENT) {
      if (bits & Pte.DIRTY) st.setFlag(f, F.DIRTY);
      const type = mpfn & MIGRATE_PFN_WRITE ? Pte.MIGRATION_WRITE : anonExclusive ? Pte.MIGRATION_READ_EXCLUSIVE : Pte.MIGRATION_READ;
      if (anonExclusive) st.clearFlag(f, F.ANON_EXCLUSIVE);
      st.setPte(mm, vpn, packPte(f, pteSub(e), type | (bits & (Pte.YOUNG | Pte.DIRTY | Pte.SOFT_DIRTY | Pte.UFFD_WP))));
    } else {
      st.setPte(mm, vpn, packPte(f, pteSub(e), t === Pte.DEVICE_PRIVATE_WRITE ? Pte.MIGRATION_WRITE : Pte.MIGRATION_READ));
    }
    st.addMapcount(f, -1); // folio_remove_rmap_pte
    ctx.folio_put(f);
    trace.emit(EV.set_migration_pte, f, a, st.getPte(mm, vpn));
    entry.mpfn = mpfn;
    entry.folio = f;
    m.cpages++;
    unmapped++;
  }
  if (unmapped) trace.emit(EV.tlb_flush, -1, unmapped);
  st.setLocal(d, 2, unmapped);
  leave();
}

// mm/migrate_device.c migrate_vma_collect() — v6.1 … v6.12 (walk_page_range over the VMA, MMU_NOTIFY_MIGRATE)
function migrate_vma_collect(ctx: Context, m: MigrateVma): void {
  const st = ctx.st;
  for (let a = m.start; a < m.end; ) {
    const next = Math.min(m.end, (Math.floor(a / st.pmdSize) + 1) * st.pmdSize);
    migrate_vma_collect_pmd(ctx, m, a, next);
    a = next;
  }
  m.end = m.start + m.npages * st.pageSize;
  ctx.trace.emit(SEV.migrate_vma_collect, -1, m.npages, m.cpages);
}

// mm/migrate_device.c migrate_vma_check_page() — v6.1 … v6.12
function migrate_vma_check_page(ctx: Context, f: FolioId, faultFolio: FolioId): boolean {
  const st = ctx.st;
  if (st.isLarge(f)) return false;
  let extra = 1; // the reference taken by isolation
  if (f === faultFolio) extra++;
  if (st.kind(f) === Kind.DEVICE_PRIVATE) extra++;
  if (st.kind(f) === Kind.FILE || st.kind(f) === Kind.SHMEM) extra += 1 + (st.has(f, F.PRIVATE) ? 1 : 0);
  const refs = st.refcount(f) + ctx.inject.extraRefsAt(f, 0);
  return refs - extra <= st.mapcount(f);
}

/** Puts a folio's migration entries back (remove_migration_ptes(folio, folio)). */
function restoreEntry(ctx: Context, m: MigrateVma, e: Entry): void {
  const st = ctx.st;
  const f = e.folio;
  if (st.kind(f) === Kind.DEVICE_PRIVATE) {
    const cur = st.getPte(m.proc.id, e.vpn);
    const t = pteType(cur);
    st.setPte(m.proc.id, e.vpn, packPte(f, pteSub(cur), t === Pte.MIGRATION_WRITE ? Pte.DEVICE_PRIVATE_WRITE : Pte.DEVICE_PRIVATE_READ));
    st.addMapcount(f, 1);
    st.addRef(f, 1);
  } else remove_migration_ptes(ctx, f, f);
  ctx.trace.emit(SEV.migrate_vma_restore, f, e.vpn * st.pageSize);
}

// mm/migrate_device.c migrate_device_unmap() — v6.1 … v6.12 (isolate, try_to_migrate, check refs, restore failures)
function migrate_device_unmap(ctx: Context, m: MigrateVma): number {
  const st = ctx.st;
  const d = ctx.trace.enter(FN_migrate_device_unmap);
  let unmapped = 0;
  let restore = 0;
  let allowDrain = true;
  for (const e of m.src) {
    const f = e.folio;
    if (f < 0) {
      if (e.mpfn & MIGRATE_PFN_MIGRATE) unmapped++;
      continue;
    }
    if (st.kind(f) !== Kind.DEVICE_PRIVATE) {
      if (!st.has(f, F.LRU) && allowDrain) {
        ctx.trace.emit(SEV.lru_add_drain_all, f);
        allowDrain = false;
      }
      if (ctx.inject.isolateFails(f) || !st.has(f, F.LRU)) {
        ctx.trace.emit(EV.isolate_failed, f);
        e.mpfn &= ~MIGRATE_PFN_MIGRATE;
        restore++;
        continue;
      }
      // folio_isolate_lru() takes a reference; the one collect took is dropped
      st.clearFlag(f, F.LRU);
      st.setFlag(f, F.ISOLATED);
    }
    if (st.mapcount(f) > 0) try_to_migrate(ctx, f, 0); // mapped in another mm too (fork, MAP_SHARED)
    if (st.mapcount(f) > 0 || !migrate_vma_check_page(ctx, f, m.faultFolio)) {
      if (st.kind(f) !== Kind.DEVICE_PRIVATE) {
        st.clearFlag(f, F.ISOLATED);
        st.setFlag(f, F.LRU); // folio_putback_lru
      }
      e.mpfn &= ~MIGRATE_PFN_MIGRATE;
      restore++;
      continue;
    }
    unmapped++;
  }
  for (const e of m.src) {
    if (e.folio < 0 || e.mpfn & MIGRATE_PFN_MIGRATE) continue;
    restoreEntry(ctx, m, e);
    if (e.folio !== m.faultFolio) st.clearFlag(e.folio, F.LOCKED);
    ctx.folio_put(e.folio);
    e.mpfn = 0;
    e.folio = -1;
  }
  st.setLocal(d, 0, unmapped);
  st.setLocal(d, 1, restore);
  ctx.trace.emit(SEV.migrate_vma_unmap, -1, unmapped, restore);
  ctx.trace.exit(unmapped);
  return unmapped;
}

// mm/migrate_device.c migrate_vma_setup() — v6.1 … v6.12 (-EINVAL checks, collect, unmap when cpages > 0)
function migrate_vma_setup(ctx: Context, m: MigrateVma | null, nrPages: number, faultOk: boolean): number {
  if (!m || m.vma.backing === 'hugetlb' || m.vma.special) return err('EINVAL');
  if (nrPages <= 0) return err('EINVAL');
  if (m.start < m.vma.start || m.start >= m.vma.end) return err('EINVAL');
  if (m.end <= m.vma.start || m.end > m.vma.end) return err('EINVAL');
  if (!faultOk) return err('EINVAL');
  const st = ctx.st;
  const d = ctx.trace.enter(FN_migrate_vma_setup);
  ctx.trace.emit(SEV.migrate_vma_setup, -1, m.start, m.end);
  st.setLocal(d, 0, m.start);
  st.setLocal(d, 1, m.end);
  migrate_vma_collect(ctx, m);
  if (m.cpages) m.cpages = migrate_device_unmap(ctx, m);
  st.setLocal(d, 2, m.npages);
  st.setLocal(d, 3, m.cpages);
  ctx.trace.exit(0);
  return 0;
}

/**
 * The dmirror driver's allocation: towards the device (SELECT_SYSTEM) a locked
 * device-private page for every entry still to migrate, holes included; back to
 * system memory (SELECT_DEVICE_PRIVATE alone, as its fault handler does) a locked
 * anonymous page on the task's node.
 */
function driver_alloc_dst(ctx: Context, m: MigrateVma): void {
  const st = ctx.st;
  const toDevice = (m.flags & MIGRATE_VMA_SELECT_SYSTEM) !== 0 || !(m.flags & MIGRATE_VMA_SELECT_DEVICE_PRIVATE);
  for (const e of m.src) {
    if (!(e.mpfn & MIGRATE_PFN_MIGRATE)) continue;
    if (toDevice) {
      const node = e.folio >= 0 ? st.node(e.folio) : m.proc.cpuNode;
      e.dst = st.newFolio({ kind: Kind.DEVICE_PRIVATE, order: 0, node, zone: 0, flags: F.LOCKED | F.UPTODATE, refcount: 1, mapping: 0 });
    } else {
      const node = [m.proc.cpuNode, ...st.nodeIds()].find((n) => st.hasNode(n) && (st.nodeMovFree[n] > 0 || st.nodeFree[n] > 0));
      if (node === undefined) continue; // no memory: the entry is not migrated
      const movable = st.nodeMovFree[node] > 0;
      if (movable) st.setNodeCol(NodeCol.MOVABLE_FREE, node, st.nodeMovFree[node] - 1);
      else st.setNodeCol(NodeCol.FREE, node, st.nodeFree[node] - 1);
      e.dst = st.newFolio({ kind: Kind.ANON, order: 0, node, zone: movable ? Zone.MOVABLE : Zone.NORMAL, flags: F.LOCKED | F.UPTODATE, refcount: 1, mapping: m.vma.mappingId });
    }
    ctx.trace.emit(EV.alloc_dst, e.dst, e.vpn * st.pageSize);
  }
}

// mm/migrate_device.c migrate_vma_pages() / __migrate_device_pages() — v6.1 … v6.12 (no data copy: the driver copies)
function migrate_vma_pages(ctx: Context, m: MigrateVma): void {
  const st = ctx.st;
  const d = ctx.trace.enter(FN_migrate_vma_pages);
  st.setLocal(d, 0, m.npages);
  const writable = (m.vma.prot & PROT_WRITE) !== 0;
  for (const e of m.src) {
    if (e.dst < 0) {
      e.mpfn &= ~MIGRATE_PFN_MIGRATE;
      continue;
    }
    if (e.folio < 0) {
      if (!(e.mpfn & MIGRATE_PFN_MIGRATE)) continue;
      // migrate_vma_insert_page(): anonymous VMA, the PTE must be none (or the zero pfn)
      const cur = st.getPte(m.proc.id, e.vpn);
      const ok = m.vma.backing === 'anon' && !m.vma.shared && (cur === 0 || (pteType(cur) === Pte.PRESENT && (cur & Pte.ZERO_PFN) !== 0));
      if (!ok) {
        e.mpfn &= ~MIGRATE_PFN_MIGRATE;
        continue;
      }
      const device = st.kind(e.dst) === Kind.DEVICE_PRIVATE;
      const bits = device ? (writable ? Pte.DEVICE_PRIVATE_WRITE : Pte.DEVICE_PRIVATE_READ) : Pte.PRESENT | Pte.YOUNG | (writable ? Pte.WRITE | Pte.DIRTY : 0);
      st.setPte(m.proc.id, e.vpn, packPte(e.dst, 0, bits));
      st.addMapcount(e.dst, 1);
      st.addRef(e.dst, 1);
      st.setFlag(e.dst, F.ANON_EXCLUSIVE);
      if (!device) st.setFlag(e.dst, F.LRU); // folio_add_lru_vma()
      continue;
    }
    const src = e.folio;
    // device-private destination: only anonymous memory without a mapping may go
    if (st.kind(src) !== Kind.ANON && st.kind(src) !== Kind.DEVICE_PRIVATE) {
      e.mpfn &= ~MIGRATE_PFN_MIGRATE;
      continue;
    }
    // folio_migrate_mapping(NULL, dst, src, extra): only the isolation reference may remain
    const expected = 1 + (src === m.faultFolio ? 1 : 0);
    if (st.refcount(src) + ctx.inject.extraRefsAt(src, 0) !== expected) {
      e.mpfn &= ~MIGRATE_PFN_MIGRATE;
      continue;
    }
    st.setFlags(e.dst, st.flags(e.dst) | (st.flags(src) & (F.DIRTY | F.UPTODATE))); // folio_migrate_flags
  }
  ctx.trace.emit(SEV.migrate_vma_pages, -1);
  ctx.trace.exit(0);
}

// mm/migrate_device.c migrate_vma_finalize() / migrate_device_finalize() — v6.1 … v6.12
function migrate_vma_finalize(ctx: Context, m: MigrateVma): void {
  const st = ctx.st;
  const d = ctx.trace.enter(FN_migrate_vma_finalize);
  st.setLocal(d, 0, m.npages);
  for (const e of m.src) {
    const src = e.folio;
    if (src < 0) {
      if (e.dst >= 0) {
        st.clearFlag(e.dst, F.LOCKED);
        ctx.folio_put(e.dst);
      }
      continue;
    }
    let dst = e.dst;
    if (!(e.mpfn & MIGRATE_PFN_MIGRATE) || dst < 0) {
      if (dst >= 0) {
        st.clearFlag(dst, F.LOCKED);
        ctx.folio_put(dst);
      }
      dst = src;
    }
    if (dst === src) restoreEntry(ctx, m, e);
    else if (st.kind(dst) !== Kind.DEVICE_PRIVATE) {
      st.setFlag(dst, F.LRU); // folio_add_lru()
      remove_migration_ptes(ctx, src, dst);
    } else {
      // remove_migration_ptes(src, dst) with a device-private dst: every migration entry becomes a device-private entry
      for (const r of st.rmapOf(src)) {
        const cur = r.pmd ? 0 : st.getPte(r.mm, r.vpn);
        const t = pteType(cur);
        if (t !== Pte.MIGRATION_WRITE && t !== Pte.MIGRATION_READ && t !== Pte.MIGRATION_READ_EXCLUSIVE) continue;
        st.setPte(r.mm, r.vpn, packPte(dst, 0, t === Pte.MIGRATION_WRITE ? Pte.DEVICE_PRIVATE_WRITE : Pte.DEVICE_PRIVATE_READ));
        st.addMapcount(dst, 1);
        st.addRef(dst, 1);
        ctx.trace.emit(EV.remove_migration_pte, dst, r.vpn * st.pageSize);
      }
      if (st.kind(src) === Kind.ANON) st.setFlag(dst, F.ANON_EXCLUSIVE);
    }
    if (src !== m.faultFolio) st.clearFlag(src, F.LOCKED);
    if (dst === src) {
      st.clearFlag(src, F.ISOLATED);
      if (st.kind(src) !== Kind.DEVICE_PRIVATE) st.setFlag(src, F.LRU);
    }
    ctx.folio_put(src);
    if (dst !== src) {
      st.clearFlag(dst, F.LOCKED);
      ctx.folio_put(dst);
    }
  }
  ctx.trace.emit(SEV.migrate_vma_finalize, -1);
  ctx.trace.exit(0);
}

/** `migrate_vma app heap[0..64K] [select system|device_private|device_coherent] [fault_page heap[4K]]` */
export function migrate_vma(ctx: Context, op: MigrateVmaOp): SyscallOutcome {
  const st = ctx.st;
  const line = op.range.start.line;
  const proc = procNamed(st, op.process, line);
  const { start, end } = resolveAddr(st, proc, op.addr, line);
  let flags = 0;
  for (const w of op.select) {
    const b = SELECT_NAMES[w.text];
    if (b === undefined) throw new RunStop(`migrate_vma: unknown selection ${w.text}`, line);
    flags |= b;
  }
  if (flags === 0) flags = MIGRATE_VMA_SELECT_SYSTEM;
  ctx.trace.emit(SEV.syscall_enter, -1, start, end - start);
  // the driver looks the VMA up at start (dmirror: vma_lookup; no VMA is -EINVAL)
  const vma = findVma(proc, start);
  let faultFolio = -1;
  let faultOk = true;
  if (op.faultPage) {
    const fa = resolveAddr(st, proc, op.faultPage, line).start;
    const e = st.getPte(proc.id, Math.floor(fa / st.pageSize));
    const t = pteType(e);
    faultFolio = t === Pte.DEVICE_PRIVATE_READ || t === Pte.DEVICE_PRIVATE_WRITE ? pteFolio(e) : -1;
    // the fault page must be device-private and locked by the caller (do_swap_page): in the model only the former can hold
    faultOk = faultFolio >= 0;
    if (faultOk) {
      // do_swap_page() holds the device page locked and with a reference while the driver migrates it
      st.setFlag(faultFolio, F.LOCKED);
      st.addRef(faultFolio, 1);
    }
  }
  const nrPages = Math.floor((end - start) / st.pageSize);
  const m: MigrateVma | null = vma ? { proc, vma, start: start - (start % st.pageSize), end: end - (end % st.pageSize), src: [], cpages: 0, npages: 0, flags, faultFolio } : null;
  const rc = migrate_vma_setup(ctx, m, nrPages, faultOk);
  if (rc === 0 && m) {
    const cpages = m.cpages;
    const npages = m.npages;
    driver_alloc_dst(ctx, m);
    migrate_vma_pages(ctx, m);
    migrate_vma_finalize(ctx, m);
    if (faultFolio >= 0) {
      st.clearFlag(faultFolio, F.LOCKED);
      ctx.folio_put(faultFolio);
    }
    ctx.trace.emit(SEV.syscall_exit, -1, 0);
    return { ret: 0, counts: { cpages, npages } };
  }
  if (faultFolio >= 0) {
    st.clearFlag(faultFolio, F.LOCKED);
    ctx.folio_put(faultFolio);
  }
  ctx.trace.emit(SEV.syscall_exit, -1, rc);
  return { ret: rc, counts: { cpages: 0, npages: 0 } };
}
