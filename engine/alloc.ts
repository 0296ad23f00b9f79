// Destination allocation for migration: the get_new_folio callbacks
// (alloc_migration_target and friends) over the model's per-node free counts.

import type { Context, DstSpec } from './context';
import {F as F_, Kind as Kind_, Zone as Zone_, NodeCol as NodeCol_, FolioId} from './state';
import {EV as EV_} from './trace';

// local aliases: imported objects are read through module getters under tsx; hot loops read these
const EV = EV_;
const F = F_;
const Kind = Kind_;
const NodeCol = NodeCol_;
const Zone = Zone_;

// mm/migrate.c alloc_migration_target() — v6.1 … v6.12 (with __GFP_THISNODE and PF_MEMALLOC_PIN as DstSpec switches)
/** Returns the new locked-free destination folio (refcount 1), or -1 when the allocation fails. */
export function alloc_migration_target(ctx: Context, src: FolioId, spec: DstSpec): FolioId {
  const st = ctx.st;
  let nid = spec.pick ? spec.pick(src) : spec.node;
  if (nid < 0) nid = st.node(src);
  if (ctx.inject.allocFails(nid)) return -1;
  const order = st.order(src);
  const nr = 2 ** order;
  // the preferred node first; other nodes only without __GFP_THISNODE and only when it is full
  const ids = st.nodeSpecs;
  for (let k = -1; k < (spec.thisNode ? 0 : ids.length); k++) {
    const n = k < 0 ? nid : ids[k].id;
    if (k >= 0 && n === nid) continue;
    if (n < 0 || n >= st.nodeFree.length || (k < 0 && !st.hasNode(n))) continue;
    let zone: number = Zone.NORMAL;
    let extra = 0;
    let charge: number;
    if (st.kind(src) === Kind.HUGETLB) {
      if (order !== st.pmdOrder) continue;
      if (st.nodeHugeFree[n] >= 1) charge = NodeCol.HUGE_FREE;
      else if (st.nodeFree[n] >= nr) {
        // alloc_migrate_hugetlb_folio(): a temporary huge page from the buddy allocator (seen on 6.1 and 6.12)
        charge = NodeCol.FREE;
        extra = F.HUGETLB_TEMPORARY;
      } else continue;
    } else {
      // GFP_HIGHUSER_MOVABLE prefers ZONE_MOVABLE; a long-term pin must avoid it (and CMA)
      const normalFree = spec.pinnable ? st.nodeFree[n] - st.nodeCmaFree[n] : st.nodeFree[n];
      if (!spec.pinnable && st.nodeMovFree[n] >= nr) {
        zone = Zone.MOVABLE;
        charge = NodeCol.MOVABLE_FREE;
      } else if (normalFree >= nr) {
        charge = NodeCol.FREE;
      } else continue;
    }
    // the pages leave the node's free count in the same log record as the folio
    const dst = st.allocFolio(st.kind(src), order, n, zone, F.DST | extra, charge);
    const name = st.names.get(src);
    if (name !== undefined) {
      st.setName(dst, `${name}'`);
      ctx.trace.emit(EV.alloc_dst, dst, n); // only for named folios: the hot path of big runs stays small
    }
    return dst;
  }
  return -1;
}
