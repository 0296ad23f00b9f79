// mm/rmap.c: installing and removing migration entries. The rmap walk is
// MemState.rmapOf (every page-table slot that references the folio).

import type { Context } from './context';
import {F as F_, Kind as Kind_, Pte as Pte_, Col, FolioId, Scalar as Scalar_, packPte, pteBits, pteSub, pteType, isMigrationType, PROT_WRITE} from './state';
import {EV as EV_} from './trace';

// local aliases: imported objects are read through module getters under tsx; hot loops read these
const EV = EV_;
const F = F_;
const Kind = Kind_;
const Pte = Pte_;
const Scalar = Scalar_;

// mm/rmap.c folio_get_anon_vma() — v6.1 … v6.12: a reference on an anon folio's anon_vma, or NULL (false)
// when the folio is not mapped (`if (!folio_mapped(folio)) goto out`): its anon_vma may be gone already
export function folio_get_anon_vma(ctx: Context, f: FolioId): boolean {
  const st = ctx.st;
  if (st.mapcount(f) === 0) return false;
  st.setCol(Col.ANON_VMA_REF, f, st.anonVmaRef(f) + 1);
  // parity counts the same non-NULL returns on a real kernel (a kretprobe on folio_get_anon_vma)
  st.setScalar(Scalar.ANON_VMA_REFS, st.scalars[Scalar.ANON_VMA_REFS] + 1);
  return true;
}

// include/linux/rmap.h put_anon_vma() — v6.1 … v6.12
export function put_anon_vma(ctx: Context, f: FolioId): void {
  ctx.st.setCol(Col.ANON_VMA_REF, f, ctx.st.anonVmaRef(f) - 1);
}

/** `flags` of try_to_migrate: TTU_BATCH_FLUSH defers the TLB flush to try_to_unmap_flush(). */
export const TTU_BATCH_FLUSH = 1;

// mm/rmap.c try_to_migrate() — v6.1 … v6.12 (TTU_BATCH_FLUSH allowed since v6.3)
export function try_to_migrate(ctx: Context, f: FolioId, flags: number): void {
  const st = ctx.st;
  const k = st.kind(f);
  if (k === Kind.ZERO) return; // device-private folios are walked: their entries become migration entries too
  // PageAnonExclusive is read before the walk: each entry records it in its type
  const exclusive = k === Kind.ANON && st.has(f, F.ANON_EXCLUSIVE);
  for (const m of st.rmapOf(f)) {
    if (!try_to_migrate_one(ctx, f, m.mm, m.vpn, m.pmd, exclusive, flags)) break;
    if (st.mapcount(f) === 0) break; // rwc.done = folio_not_mapped
  }
}

// mm/rmap.c try_to_migrate_one() — v6.1 … v6.12 (PTE path and set_pmd_migration_entry)
function try_to_migrate_one(ctx: Context, f: FolioId, mm: number, vpn: number, pmd: boolean, exclusive: boolean, flags: number): boolean {
  const st = ctx.st;
  const e = pmd ? st.getPmd(mm, vpn) : st.getPte(mm, vpn);
  const t = pteType(e);
  if (!pmd && (t === Pte.DEVICE_PRIVATE_READ || t === Pte.DEVICE_PRIVATE_WRITE)) {
    // folio_is_device_private(): the pfn goes into a migration entry of the same write permission; the CPU
    // never mapped the page, so there is no TLB entry to flush
    const type = t === Pte.DEVICE_PRIVATE_WRITE ? Pte.MIGRATION_WRITE : exclusive ? Pte.MIGRATION_READ_EXCLUSIVE : Pte.MIGRATION_READ;
    const entry = packPte(f, pteSub(e), type);
    if (exclusive) st.clearFlag(f, F.ANON_EXCLUSIVE);
    st.setPte(mm, vpn, entry);
    st.addMapcount(f, -1);
    st.addRef(f, -1);
    ctx.trace.emit(EV.set_migration_pte, f, vpn * st.pageSize, entry);
    return true;
  }
  if (t !== Pte.PRESENT) return true;
  const bits = pteBits(e);
  // folio_try_share_anon_rmap(): a pinned exclusive page cannot be shared, so the
  // entry is restored and the walk stops with the folio still mapped
  if (exclusive && st.pins(f) > 0) return false;
  if (bits & Pte.DIRTY) st.setFlag(f, F.DIRTY);
  const type = bits & Pte.WRITE ? Pte.MIGRATION_WRITE : exclusive ? Pte.MIGRATION_READ_EXCLUSIVE : Pte.MIGRATION_READ;
  const nb = type | (bits & (Pte.YOUNG | Pte.DIRTY | Pte.SOFT_DIRTY | Pte.UFFD_WP));
  const entry = packPte(f, pteSub(e), nb);
  if (exclusive) st.clearFlag(f, F.ANON_EXCLUSIVE);
  if (pmd) st.setPmd(mm, vpn, entry);
  else st.setPte(mm, vpn, entry);
  st.addMapcount(f, -1);
  st.addRef(f, -1);
  if (!pmd && flags & TTU_BATCH_FLUSH) st.setScalar(Scalar.TLB_PENDING, st.scalars[Scalar.TLB_PENDING] + 1);
  else st.setScalar(Scalar.TLB_FLUSHES, st.scalars[Scalar.TLB_FLUSHES] + 1);
  ctx.trace.emit(pmd ? EV.set_migration_pmd : EV.set_migration_pte, f, vpn * st.pageSize, entry);
  return true;
}

// mm/rmap.c try_to_unmap_flush() — v6.3 … v6.12: flush every TLB entry deferred by TTU_BATCH_FLUSH
export function try_to_unmap_flush(ctx: Context): void {
  const st = ctx.st;
  st.setScalar(Scalar.UNMAP_FLUSH_CALLS, st.scalars[Scalar.UNMAP_FLUSH_CALLS] + 1);
  const pending = st.scalars[Scalar.TLB_PENDING];
  if (pending === 0) return;
  st.setScalar(Scalar.TLB_PENDING, 0);
  st.setScalar(Scalar.TLB_FLUSHES, st.scalars[Scalar.TLB_FLUSHES] + 1);
  ctx.trace.emit(EV.tlb_flush, -1, pending);
}

// mm/migrate.c remove_migration_ptes() + remove_migration_pte() — v6.1 … v6.12
/** Replaces every migration entry of `src` by a present entry of `dst` (src === dst on undo). */
export function remove_migration_ptes(ctx: Context, src: FolioId, dst: FolioId): void {
  const st = ctx.st;
  const anon = st.kind(dst) === Kind.ANON;
  for (const m of st.rmapOf(src)) {
    const e = m.pmd ? st.getPmd(m.mm, m.vpn) : st.getPte(m.mm, m.vpn);
    const t = pteType(e);
    if (!isMigrationType(t)) continue;
    const bits = pteBits(e);
    const p = st.procs[m.mm];
    const vma = p ? st.findVma(p, m.vpn * st.pageSize) : undefined;
    let nb: number = Pte.PRESENT;
    if (bits & Pte.YOUNG) nb |= Pte.YOUNG;
    if (bits & Pte.DIRTY && st.has(dst, F.DIRTY)) nb |= Pte.DIRTY;
    if (bits & Pte.SOFT_DIRTY) nb |= Pte.SOFT_DIRTY;
    if (t === Pte.MIGRATION_WRITE && (!vma || vma.prot & PROT_WRITE)) nb |= Pte.WRITE;
    else if (bits & Pte.UFFD_WP) nb |= Pte.UFFD_WP;
    if (anon && (t === Pte.MIGRATION_WRITE || t === Pte.MIGRATION_READ_EXCLUSIVE)) st.setFlag(dst, F.ANON_EXCLUSIVE);
    const entry = packPte(dst, pteSub(e), nb);
    if (m.pmd) st.setPmd(m.mm, m.vpn, entry);
    else st.setPte(m.mm, m.vpn, entry);
    st.addMapcount(dst, 1);
    st.addRef(dst, 1);
    if (vma?.locked) st.setFlag(dst, F.MLOCKED);
    ctx.trace.emit(m.pmd ? EV.remove_migration_pmd : EV.remove_migration_pte, dst, m.vpn * st.pageSize, entry);
  }
}
