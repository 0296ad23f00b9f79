// Invariants of the memory model, checked after every event when enabled (tests
// turn them on; the CLI and benchmarks leave them off for speed). A violation
// stops the run with a report naming the event.

import { MemState, F, Kind, Pte, pteType, pteFolio, isMigrationType, fnSchema } from './state';
import { eventName, Trace } from './trace';

export interface Violation {
  event: number;
  message: string;
}

/** Returns the first broken invariant of the state, or undefined. */
export function checkState(st: MemState, opts: { insideMigration: boolean }): string | undefined {
  const n = st.nFolios;
  // lists: linkage and counts agree with each folio's `list` column
  const counted = new Map<number, number>();
  for (let l = 1; l < st.lists.length; l++) {
    const L = st.lists.at(l);
    let c = 0;
    let prev = -1;
    for (let f = L.head; f !== -1; f = st.next(f)) {
      if (st.list(f) !== l) return `folio ${st.folioName(f)} is linked into ${L.name} but says it is on ${st.listName(st.list(f))}`;
      if (st.prev(f) !== prev) return `list ${L.name} is broken at ${st.folioName(f)}`;
      prev = f;
      if (++c > n) return `list ${L.name} loops`;
    }
    if (c !== L.count) return `list ${L.name} holds ${c} folios but counts ${L.count}`;
    if (L.tail !== prev) return `list ${L.name}: tail is wrong`;
    if (!L.live && c !== 0) return `list ${L.name} was freed with ${c} folio(s) still on it`;
    counted.set(l, c);
  }
  for (let f = 0; f < n; f++) {
    const fl = st.flags(f);
    // exactly one place: freed, on one list, or live outside the lists (LRU / mapped / held)
    if (fl & F.FREED) {
      if (st.list(f) !== 0) return `freed folio ${st.folioName(f)} is still on ${st.listName(st.list(f))}`;
      if (st.rmapCount(f) !== 0) return `a page-table entry points at freed folio ${st.folioName(f)}`;
      if (st.refcount(f) !== 0 && st.kind(f) !== Kind.ZERO) return `freed folio ${st.folioName(f)} has refcount ${st.refcount(f)}`;
      continue;
    }
    if (fl & F.LRU && st.list(f) !== 0) return `folio ${st.folioName(f)} is on the LRU and on ${st.listName(st.list(f))}`;
    if (fl & F.LRU && fl & F.ISOLATED) return `folio ${st.folioName(f)} is both on the LRU and isolated`;
    if (st.kind(f) === Kind.ZERO) continue;
    if (st.refcount(f) < st.mapcount(f) + st.pins(f)) return `folio ${st.folioName(f)}: refcount ${st.refcount(f)} < mapcount ${st.mapcount(f)} + pins ${st.pins(f)}`;
    if (st.refcount(f) < 0 || st.mapcount(f) < 0) return `folio ${st.folioName(f)}: negative count`;
  }
  // page tables: entries reference live folios; migration entries only inside a migration call
  let mapped = 0;
  for (const map of [st.ptes, st.pmds]) {
    for (const e of map.values()) {
      const t = pteType(e);
      if (t === Pte.SWAP) continue;
      const f = pteFolio(e);
      if (f >= n) return `a page-table entry points at folio #${f}, which does not exist`;
      if (st.flags(f) & F.FREED) return `a page-table entry points at freed folio ${st.folioName(f)}`;
      if (isMigrationType(t) && !opts.insideMigration) return `a migration entry of ${st.folioName(f)} outlived the call that installed it`;
      if (t === Pte.PRESENT) mapped++;
    }
  }
  void mapped;
  // node free counts stay within the node's memory
  for (const s of st.nodeSpecs) {
    const free = st.nodeFree[s.id] + st.nodeMovFree[s.id];
    if (free < 0 || st.nodeHugeFree[s.id] < 0) return `node ${s.id}: negative free count`;
    if (free > s.memoryPages) return `node ${s.id}: more free pages (${free}) than memory (${s.memoryPages})`;
  }
  return undefined;
}

/** Checks the per-folio counts of the state against mapcount/page-table reality (slower; used by property tests). */
export function checkMapcounts(st: MemState): string | undefined {
  const seen = new Map<number, number>();
  for (const map of [st.ptes, st.pmds]) {
    for (const e of map.values()) {
      // a device-private entry maps its folio too (folio_add_anon_rmap in migrate_vma_insert_page / remove_migration_pte)
      const t = pteType(e);
      if (t !== Pte.PRESENT && t !== Pte.DEVICE_PRIVATE_READ && t !== Pte.DEVICE_PRIVATE_WRITE) continue;
      const f = pteFolio(e);
      if (st.kind(f) === Kind.ZERO) continue;
      seen.set(f, (seen.get(f) ?? 0) + 1);
    }
  }
  for (let f = 0; f < st.nFolios; f++) {
    if (st.kind(f) === Kind.ZERO || st.flags(f) & F.FREED) continue;
    const m = seen.get(f) ?? 0;
    if (m !== st.mapcount(f)) return `folio ${st.folioName(f)}: mapcount ${st.mapcount(f)} but ${m} present entries map it`;
  }
  return undefined;
}

/** Is any migration function on the call stack (so migration entries may exist)? */
export function insideMigration(st: MemState): boolean {
  for (const fn of st.frames) {
    const name = fnSchema(fn).name;
    if (name === 'migrate_pages' || name === 'migrate_vma' || name === 'migrate_vma_setup' || name.startsWith('migrate_device') || name === 'split_huge_page') return true;
  }
  return false;
}

/**
 * An onEvent hook that checks the invariants after every event and calls onViolation
 * (which throws) at the first violation. `migrationOp` says whether the running
 * operation keeps migration entries across calls (migrate_vma: setup … finalize).
 */
export function invariantHook(trace: Trace, migrationOp: () => boolean, onViolation: (v: Violation) => never): (i: number) => void {
  const st = trace.state;
  return (i: number) => {
    const msg = checkState(st, { insideMigration: migrationOp() || insideMigration(st) }) ?? checkMapcounts(st);
    if (msg) onViolation({ event: i, message: `invariant broken after event #${i} (${eventName(trace.type[i])}): ${msg}` });
  };
}
