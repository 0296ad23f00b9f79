// Kernel profiles: every behaviour of the migration code that changed between the
// kernel versions we model, as data. Engine code never tests a version number; it
// reads one of these switches (`ctx.profile.batchOnlyAsync`, ...). Adding a kernel
// means adding an object here, and a scenario picks it with `kernel <name>`.
//
// Sources: /work/shared/reference/kernel-migration-spec.md §1.4, §9, the seed
// thread of the batching series, and real-kernel-recipe.md for Debian's 6.1.19x.
// Choices we could not confirm from source are listed in docs/kernel-findings.md.

import type { CONFIG_OPTIONS } from '../scenario/vocab';

export interface Profile {
  /** the name used by `kernel <name>` */
  name: string;
  description: string;

  // ---------------------------------------------------------------- migrate_pages()
  /** NR_MAX_MIGRATE_PAGES_RETRY */
  maxRetry: number;
  /** v6.4+: migrate_pages_sync(): NR_MAX_MIGRATE_ASYNC_RETRY async passes, then per-folio sync passes */
  migratePagesSync: boolean;
  asyncRetry: number;
  syncRetry: number;
  /** v6.3 final: non-ASYNC batches hold one folio (batch only ASYNC) */
  batchOnlyAsync: boolean;
  /** REF: a batch ends at the folio that makes nr_pages >= NR_MAX_BATCHED_MIGRATION (included);
   *  v6.3-rc1/v6.3: `>` and cut before the crossing folio */
  batchCutInclusive: boolean;
  /** TTU_BATCH_FLUSH only for MIGRATE_ASYNC (v6.3 final+); v6.3-rc1 used it in every mode */
  ttuBatchFlushAsyncOnly: boolean;
  /** v6.3-rc1: avoid_force_lock / -EDEADLOCK restart of the batch */
  edeadlock: boolean;
  /** ≤ v6.3: migrate_folio_unmap(force = pass > 2); v6.4+ blocks as far as the mode allows (null) */
  forcePassThreshold: number | null;
  /** Debian 6.1.19x (the v6.3 series' preparatory patches only): migrate_pages_batch() calls
   *  migrate_folio_move() right after each folio's migrate_folio_unmap() — no unmap/move phases,
   *  no TTU_BATCH_FLUSH, and a failed move (-EAGAIN too) restores the PTEs and frees dst */
  unmapMoveEachFolio: boolean;
  /** Debian 6.1.19x: the split pieces' round inside migrate_pages_batch keeps the caller's mode */
  splitPiecesKeepMode: boolean;
  /** v6.3: split pieces re-migrated inside migrate_pages_batch (ASYNC, maxRetry passes, no_split_folio_counting);
   *  v6.4+: processed by migrate_pages() after the batch, 1 ASYNC pass */
  splitPiecesInBatch: boolean;
  /** ≤ v6.4: nr_large_failed / large_retry kept apart from nr_failed / retry */
  largeFailedSeparate: boolean;
  /** ≈v6.10+: stats.nr_split and the `nr_split=` field of the mm_migrate_pages tracepoint */
  nrSplit: boolean;
  /** ≈v6.10+: a large folio on the deferred-split queue is split before migration */
  deferredSplitPreSplit: boolean;
  /** ≈v6.10+: try_split_folio() uses folio_trylock in MIGRATE_ASYNC */
  splitTrylockAsync: boolean;
  /** v6.8+: unmap_folio() (the split's unmap) passes TTU_BATCH_FLUSH and ends with try_to_unmap_flush(),
   *  which also flushes whatever the migration batch had deferred so far */
  splitUnmapFlushes: boolean;
  /** migrate_pages_sync starts the failure count at astats.nr_split (v6.10+) or nr_thp_split (v6.4–6.9) */
  syncCountsNrSplit: boolean;
  /** ≈v6.11+: folio_mc_copy — a machine check during the copy fails with -EHWPOISON */
  mcCopy: boolean;
  /** MIGRATE_SYNC_NO_COPY exists (≤ v6.10) */
  syncNoCopy: boolean;
  /** MR_DAMON exists (v6.11+) */
  mrDamon: boolean;
  /** v6.18+: MIGRATEPAGE_UNMAP/SUCCESS removed; freed-folio check in the batch loop */
  freedCheckInBatch: boolean;
  /** v6.4+: migrate_pages() returns 0 when `from` ends empty (every split piece migrated) */
  fromEmptyReturnsZero: boolean;
  /** CONFIG_ARCH_ENABLE_THP_MIGRATION (x86_64: yes; a scenario's `config` line can turn it off) */
  thpMigrationSupported: boolean;
  /** CONFIG_ARCH_ENABLE_HUGEPAGE_MIGRATION: hugepage_migration_supported() and vma_migratable() for hugetlb (x86_64: yes) */
  hugepageMigrationSupported: boolean;
  /** NR_MAX_BATCHED_MIGRATION in base pages (HPAGE_PMD_NR) */
  batchPages: number;

  // ---------------------------------------------------------------- syscall layer (engine/mempolicy.ts etc.)
  /** v6.7+: queue_pages_range counts isolation failures (qp->nr_failed) and migrate_pages(2) adds them;
   *  before, `has_unmovable` / return-1 convention */
  mempolicyCountsIsolationFailures: boolean;
  /** ≈v6.16+: PTE-batched `nr_failed += nr` */
  mempolicyPteBatching: boolean;
  /** move_pages(2) status for an address with nothing mapped: -EFAULT (4.3–6.11) or -ENOENT (6.12+) */
  movePagesUnmappedErrno: 'EFAULT' | 'ENOENT';
  /** move_pages(2) finds a page behind a PROT_NONE (pte_protnone) entry: folio_walk / FOLL_HONOR_NUMA_FAULT-less
   *  follow_page (v6.6+) do; follow_page() with gup_can_follow_protnone() = FOLL_FORCE only (v6.2–v6.5, seen on
   *  Debian's 6.1.192) does not and reports no page */
  movePagesFollowsProtnone: boolean;
  /** folio sharing test used by migrate_folio_add / add_folio_for_migration */
  sharedTest: 'mapcount' | 'likely_mapped_shared' | 'maybe_mapped_shared';
  /** GUP: check_and_migrate_movable_pages when nothing could be isolated: 'collected' (retry) or 'list_empty' (v6.14 variant) */
  gupNothingIsolated: 'collected' | 'list_empty';
  /** migrate_vma: pte_offset_map_lock failure → goto again; bad PMD → hole (v6.5+) */
  migrateVmaPmdBadIsHole: boolean;
  /** NUMA hinting: migrate_misplaced_folio_prepare (6.11+) vs migrate_misplaced_page */
  numaPrepare: boolean;
  /** v6.8+: address spaces that must not migrate (guest_memfd: AS_UNMOVABLE, AS_INACCESSIBLE from v6.11);
   *  move_to_new_folio() returns -EOPNOTSUPP for their folios. Older kernels have no such address space */
  inaccessibleMappings: boolean;
}

const REF: Profile = {
  name: '6.12',
  description: 'v6.12 (the spec\'s REF): migrate_pages_sync 3+7, nr_split, deferred-split pre-split, folio_mc_copy',
  maxRetry: 10,
  migratePagesSync: true,
  asyncRetry: 3,
  syncRetry: 7,
  batchOnlyAsync: false,
  batchCutInclusive: true,
  ttuBatchFlushAsyncOnly: true,
  edeadlock: false,
  forcePassThreshold: null,
  splitPiecesInBatch: false,
  unmapMoveEachFolio: false,
  splitPiecesKeepMode: false,
  largeFailedSeparate: false,
  nrSplit: true,
  deferredSplitPreSplit: true,
  splitTrylockAsync: true,
  splitUnmapFlushes: true, // seen on Debian's 6.12: thp-partly-unmapped makes 3 try_to_unmap_flush() calls
  syncCountsNrSplit: true,
  mcCopy: true,
  syncNoCopy: false,
  mrDamon: true,
  freedCheckInBatch: false,
  fromEmptyReturnsZero: true,
  thpMigrationSupported: true,
  hugepageMigrationSupported: true,
  batchPages: 512,
  mempolicyCountsIsolationFailures: true,
  mempolicyPteBatching: false,
  movePagesUnmappedErrno: 'ENOENT',
  movePagesFollowsProtnone: true,
  sharedTest: 'likely_mapped_shared',
  gupNothingIsolated: 'collected',
  migrateVmaPmdBadIsHole: true,
  numaPrepare: true,
  inaccessibleMappings: true,
};

/** Debian 12's 6.1.19x, read from Debian's 6.1.176 source (mm/migrate.c): the v6.3 series' preparatory
 *  patches (migrate_hugetlbs, migrate_pages_batch with folio_unmap/folio_move) but not "batch _unmap and
 *  _move": each folio is unmapped and moved before the next one (docs/kernel-findings.md). */
const DEBIAN_6_1: Profile = {
  ...REF,
  name: '6.1',
  description: 'Debian 6.1.19x: migrate_pages_batch unmapping and moving one folio at a time (force = pass > 2, split pieces in the batch in the same mode), no nr_split, pre-6.7 mempolicy counting',
  migratePagesSync: false,
  batchOnlyAsync: false, // 6.1.176 migrate_pages(): NR_MAX_BATCHED_MIGRATION in every mode
  batchCutInclusive: false, // 6.1.176 migrate_pages(): `nr_pages > NR_MAX_BATCHED_MIGRATION`, list_cut_before
  ttuBatchFlushAsyncOnly: true, // unused: unmapMoveEachFolio calls try_to_migrate(src, 0)
  unmapMoveEachFolio: true,
  splitPiecesKeepMode: true,
  edeadlock: false,
  forcePassThreshold: 2,
  splitPiecesInBatch: true,
  largeFailedSeparate: true,
  nrSplit: false,
  deferredSplitPreSplit: false,
  splitTrylockAsync: false,
  splitUnmapFlushes: false, // "batch tlb flush when splitting a pte-mapped THP" is v6.8-rc1
  syncCountsNrSplit: false,
  mcCopy: false,
  syncNoCopy: true,
  mrDamon: false,
  fromEmptyReturnsZero: true, // 6.1.176 migrate_pages(): `if (list_empty(from)) rc_gather = 0;`
  mempolicyCountsIsolationFailures: false,
  movePagesUnmappedErrno: 'EFAULT',
  movePagesFollowsProtnone: false, // seen on 6.1.192 (docs/kernel-findings.md)
  sharedTest: 'mapcount',
  numaPrepare: false,
  inaccessibleMappings: false, // guest_memfd and AS_UNMOVABLE are v6.8
  migrateVmaPmdBadIsHole: false, // Hugh Dickins' "allow pte_offset_map_lock() to fail" is v6.5
};

/** The seed patch (v6.3-rc1): batching in every mode, avoid_force_lock / -EDEADLOCK. */
const V6_3_RC1: Profile = {
  ...DEBIAN_6_1,
  name: '6.3-rc1',
  description: 'v6.3-rc1, the seed patch: batched _unmap and _move in every mode, TTU_BATCH_FLUSH always, -EDEADLOCK',
  batchOnlyAsync: false,
  batchCutInclusive: false,
  ttuBatchFlushAsyncOnly: false,
  edeadlock: true,
  splitPiecesInBatch: true,
  unmapMoveEachFolio: false,
  splitPiecesKeepMode: false,
  fromEmptyReturnsZero: false,
};

export const PROFILES: Record<string, Profile> = {
  '6.12': REF,
  '6.1': DEBIAN_6_1,
  '6.3-rc1': V6_3_RC1,
};

/** The default when a scenario names no kernel: the newest profile. */
export const DEFAULT_PROFILE = '6.12';

/** The profile field each `config` option of scenario/vocab.ts switches. */
const ARCH_CONFIG_FIELDS: Record<(typeof CONFIG_OPTIONS)[number], 'thpMigrationSupported' | 'hugepageMigrationSupported'> = {
  ARCH_ENABLE_THP_MIGRATION: 'thpMigrationSupported',
  ARCH_ENABLE_HUGEPAGE_MIGRATION: 'hugepageMigrationSupported',
};

/** The profile as a scenario's `config ARCH_… y|n` lines change it (architecture options, not versions). */
export function withArchConfig(p: Profile, config: ReadonlyMap<(typeof CONFIG_OPTIONS)[number], boolean>): Profile {
  if (config.size === 0) return p;
  const out = { ...p };
  for (const [option, on] of config) out[ARCH_CONFIG_FIELDS[option]] = on;
  return out;
}

export function profileNames(): string[] {
  return Object.keys(PROFILES);
}

/** Looks a profile up by name; accepts `v6.12` and `6.12.9x`-style spellings. */
export function getProfile(name: string | undefined): Profile | undefined {
  if (name === undefined) return PROFILES[DEFAULT_PROFILE];
  const n = name.replace(/^v/, '');
  if (PROFILES[n]) return PROFILES[n];
  const m = /^(\d+\.\d+)/.exec(n);
  if (m && PROFILES[m[1]]) return PROFILES[m[1]];
  return undefined;
}
