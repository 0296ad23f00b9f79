// mm/huge_memory.c: splitting a large folio into order-0 folios (the part of
// split_huge_page_to_list_to_order() that migration depends on).

import type { Context } from './context';
import { ERRNO } from './constants';
import { F, Kind, Col, Pte, FolioId, ListId, VMSTAT_INDEX, packPte, pteBits, pteSub, pteType, pteFolio } from './state';
import { EV } from './trace';
import { try_to_unmap_flush, folio_get_anon_vma, put_anon_vma } from './rmap';

// mm/huge_memory.c can_split_folio() — v6.1 … v6.12: only the mappings, the page cache and the caller may hold references
function can_split_folio(ctx: Context, f: FolioId): boolean {
  const st = ctx.st;
  const nr = st.nrPages(f);
  const anon = st.kind(f) === Kind.ANON;
  const extra = anon && !st.has(f, F.SWAPCACHE) ? 0 : nr;
  const refs = st.refcount(f) + ctx.inject.extraRefsAt(f, ctx.trace.pass);
  return st.mapcount(f) + extra === refs - 1;
}

// mm/huge_memory.c split_huge_page_to_list_to_order(new_order = 0) — v6.1 … v6.12
/**
 * Splits `f` into order-0 folios. The head keeps id `f`; the tails are new folios
 * that go to the tail of `list` (the caller isolated the head), each with an
 * isolation reference. PMD mappings become PTE mappings of the pieces.
 * Returns 0 or -EAGAIN / -EBUSY (or the injected errno).
 */
export function split_folio_to_list(ctx: Context, f: FolioId, list: ListId | null): number {
  const st = ctx.st;
  const injected = ctx.inject.splitFails.get(f);
  if (injected !== undefined) {
    ctx.trace.emit(EV.split_failed, f, -injected);
    return -injected;
  }
  const k = st.kind(f);
  if (k === Kind.HUGETLB || k === Kind.ZERO || k === Kind.MOVABLE || k === Kind.DEVICE_PRIVATE || st.order(f) === 0) {
    ctx.trace.emit(EV.split_failed, f, -ERRNO.EBUSY);
    return -ERRNO.EBUSY;
  }
  // an anon folio's anon_vma is held (and write-locked) across the split; a folio no longer mapped
  // has none to take (folio_get_anon_vma() returns NULL), and the split fails
  const anon = k === Kind.ANON;
  if (anon && !folio_get_anon_vma(ctx, f)) {
    ctx.trace.emit(EV.split_failed, f, -ERRNO.EBUSY);
    return -ERRNO.EBUSY;
  }
  if (!can_split_folio(ctx, f)) {
    if (anon) put_anon_vma(ctx, f);
    ctx.trace.emit(EV.split_failed, f, -ERRNO.EAGAIN);
    return -ERRNO.EAGAIN;
  }
  // unmap_folio(): the mappings are replaced by the pieces' below; what matters to the
  // caller is its closing flush, which also flushes the batch's deferred entries
  if (ctx.profile.splitUnmapFlushes) try_to_unmap_flush(ctx);
  const nr = st.nrPages(f);
  const wasPmdMappable = st.isPmdMappable(f);
  const pagecache = k !== Kind.ANON || st.has(f, F.SWAPCACHE);
  const keep = st.flags(f) & (F.DIRTY | F.UPTODATE | F.ANON_EXCLUSIVE | F.SWAPCACHE | F.ACTIVE | F.MLOCKED | F.UNEVICTABLE | F.CMA | F.LOCKED | F.ISOLATED | F.LRU);
  const parentName = st.names.get(f);
  const entries = st.rmapOf(f);
  const pieces: FolioId[] = [f];
  for (let i = 1; i < nr; i++) {
    const t = st.newFolio({ kind: k, order: 0, node: st.node(f), zone: st.zone(f), flags: keep & ~F.LOCKED, refcount: pagecache ? 1 : 0, mapping: st.mapping(f), parent: f, pfn: st.pfn(f) + i });
    if (parentName !== undefined) st.setName(t, `${parentName}.${i}`);
    pieces.push(t);
  }
  // the head: order 0, off the deferred-split queue; references held for the tails move to them
  st.setCol(Col.ORDER, f, 0);
  st.clearFlag(f, F.DEFERRED_SPLIT);
  let headRefs = st.refcount(f) - st.mapcount(f) - (pagecache ? nr : 0);
  if (pagecache) headRefs += 1;
  st.setCol(Col.MAPCOUNT, f, 0);
  st.setCol(Col.REFCOUNT, f, headRefs);
  // remap: every entry of the big folio now references its piece (a PMD becomes 512 PTEs)
  const pmdSplits: number[] = [];
  for (const m of entries) {
    const e = m.pmd ? st.getPmd(m.mm, m.vpn) : st.getPte(m.mm, m.vpn);
    if (pteFolio(e) !== f) continue;
    const bits = pteBits(e);
    if (m.pmd) {
      st.setPmd(m.mm, m.vpn, 0);
      for (let i = 0; i < nr; i++) {
        st.setPte(m.mm, m.vpn + i, packPte(pieces[i], 0, bits));
        if (pteType(e) === Pte.PRESENT) {
          st.addMapcount(pieces[i], 1);
          st.addRef(pieces[i], 1);
        }
      }
      st.vmstatAdd(VMSTAT_INDEX.thp_split_pmd, 1);
      pmdSplits.push(m.vpn * st.pageSize); // traced once every entry is remapped: the state between is inconsistent
    } else {
      const i = pteSub(e);
      st.setPte(m.mm, m.vpn, packPte(pieces[i], 0, bits));
      if (pteType(e) === Pte.PRESENT) {
        st.addMapcount(pieces[i], 1);
        st.addRef(pieces[i], 1);
      }
    }
  }
  // lru_add_page_tail(): with a list, each tail is isolated like the head (one more reference)
  for (let i = 1; i < nr; i++) {
    const t = pieces[i];
    if (list !== null && st.has(f, F.ISOLATED)) {
      st.addRef(t, 1);
      st.listAddTail(list, t);
    } else if (st.refcount(t) === 0) {
      ctx.freeFolio(t); // an unmapped anon subpage is freed by the split
    }
  }
  if (anon) put_anon_vma(ctx, f);
  if (wasPmdMappable) st.vmstatAdd(VMSTAT_INDEX.thp_split_page, 1);
  for (const addr of pmdSplits) ctx.trace.emit(EV.pmd_split, f, addr);
  ctx.trace.emit(EV.split, f, nr);
  return 0;
}

// mm/migrate.c try_split_folio() — v6.1 … v6.12 (profile: folio_trylock in MIGRATE_ASYNC from ≈v6.10)
export function try_split_folio(ctx: Context, f: FolioId, splitList: ListId, mode: number): number {
  const st = ctx.st;
  const held = ctx.inject.lockHeldAt(f, ctx.trace.pass);
  if (held && mode === 0 && ctx.profile.splitTrylockAsync) return -ERRNO.EAGAIN;
  // otherwise folio_lock() waits for the holder; the split itself does not depend on who held it
  const rc = split_folio_to_list(ctx, f, splitList);
  if (rc === 0) st.listMoveTail(splitList, f);
  return rc;
}
