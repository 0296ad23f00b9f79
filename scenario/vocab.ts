// The fixed vocabularies of the language. The parser and checker validate words
// against these lists; docs.ts must document every word here (a unit test
// enforces it), so completion and hover never meet an undocumented word.

/** Top-level statement keywords, in the order a scenario usually uses them. */
export const TOP_KEYWORDS = [
  'scenario', 'kernel', 'config', 'pagesize', 'pmdsize', 'node', 'process', 'in', 'folio', 'inject',
  'migrate_pages', 'move_pages', 'mbind', 'pin', 'migrate_vma', 'numa_fault',
] as const;

/** Statements allowed inside a `process` or `in` block. */
export const USER_KEYWORDS = ['mmap', 'touch', 'munmap', 'mprotect', 'mremap', 'mlock', 'policy'] as const;

/** Operation keywords (each may be followed by indented `expect` lines). */
export const OPERATION_KEYWORDS = ['migrate_pages', 'move_pages', 'mbind', 'pin', 'migrate_vma', 'numa_fault'] as const;

/** Words after `expect`. */
export const EXPECT_KINDS = ['return', 'status', 'page', 'vmstat', 'stats', 'event', 'no', 'folio', 'cpages', 'npages', 'pinned', 'passes', 'nr_failed', 'anon_vma_refs'] as const;
export const COUNT_NAMES = ['cpages', 'npages', 'pinned', 'passes', 'nr_failed', 'anon_vma_refs'] as const;

/** Option words that introduce an argument or act as a marker inside a statement. */
export const OPTION_WORDS = [
  'memory', 'movable', 'cma', 'hugepages', 'user', 'nice', 'fork', 'cpu', 'align', 'at', 'on', 'as',
  'from', 'to', 'maxnode', 'by', 'pid', 'pages', 'nodes', 'flags', 'mode', 'reason', 'retries', 'select',
  'fault_page', 'order', 'refs', 'pins', 'mapped', 'held', 'passes', 'pass', 'fails', 'always', 'after',
  'with', 'returns', 'once', 'bad', 'unreleasable', 'unmapped', 'unwritten', 'count', 'expect', 'memalloc',
] as const;

export const USERS = ['root', 'nobody'] as const;
/** `config OPTION y|n`: the architecture options of the migration paths (x86-64 enables both) */
export const CONFIG_OPTIONS = ['ARCH_ENABLE_THP_MIGRATION', 'ARCH_ENABLE_HUGEPAGE_MIGRATION'] as const;
export const CONFIG_VALUES = ['y', 'n'] as const;
export const BACKINGS = ['anon', 'file', 'shmem', 'hugetlb'] as const;
export const SHARINGS = ['private', 'shared'] as const;
export const THP_ADVICE = ['thp', 'nothp'] as const;
export const PROTS = ['read', 'write', 'exec', 'none'] as const;
export const ACCESSES = ['read', 'write'] as const;
export const PIN_KINDS = ['longterm', 'ref'] as const;
export const VMA_SELECT = ['system', 'device_private', 'device_coherent'] as const;
export const MAP_LEVELS = ['pte', 'pmd'] as const;
export const ALLOC_MODES = ['always', 'after', 'on'] as const;

export const FOLIO_KINDS = ['anon', 'file', 'shmem', 'hugetlb', 'zero', 'ksm', 'movable', 'device_private'] as const;
export const FOLIO_FLAGS = [
  'lru', 'locked', 'dirty', 'writeback', 'mlocked', 'deferred_split', 'isolated', 'uptodate', 'notuptodate',
  'exclusive', 'private', 'inaccessible', 'truncated',
] as const;

export const INJECT_FAULTS = [
  'lock', 'dst_lock', 'ref', 'writeback', 'alloc', 'split', 'isolate', 'movable', 'pte_offset_map_lock', 'pmd',
  'mce', 'private', 'release',
] as const;
/** Faults whose first argument is a folio name. */
export const FOLIO_FAULTS = ['lock', 'dst_lock', 'ref', 'writeback', 'split', 'isolate', 'movable', 'mce', 'private', 'release'] as const;

export const MPOL_MODES = [
  'MPOL_DEFAULT', 'MPOL_PREFERRED', 'MPOL_BIND', 'MPOL_INTERLEAVE', 'MPOL_LOCAL', 'MPOL_PREFERRED_MANY',
  'MPOL_WEIGHTED_INTERLEAVE',
] as const;
export const MPOL_MODE_FLAGS = ['MPOL_F_STATIC_NODES', 'MPOL_F_RELATIVE_NODES', 'MPOL_F_NUMA_BALANCING'] as const;
export const MPOL_MF_FLAGS = ['MPOL_MF_STRICT', 'MPOL_MF_MOVE', 'MPOL_MF_MOVE_ALL', 'MPOL_MF_LAZY'] as const;

export const MIGRATE_MODES = ['MIGRATE_ASYNC', 'MIGRATE_SYNC_LIGHT', 'MIGRATE_SYNC', 'MIGRATE_SYNC_NO_COPY'] as const;
export const MIGRATE_REASONS = [
  'MR_COMPACTION', 'MR_MEMORY_FAILURE', 'MR_MEMORY_HOTPLUG', 'MR_SYSCALL', 'MR_MEMPOLICY_MBIND',
  'MR_NUMA_MISPLACED', 'MR_CONTIG_RANGE', 'MR_LONGTERM_PIN', 'MR_DEMOTION', 'MR_DAMON',
] as const;

export const ERRNOS = [
  'EPERM', 'ENOENT', 'ESRCH', 'EIO', 'EAGAIN', 'ENOMEM', 'EACCES', 'EFAULT', 'EBUSY', 'EEXIST', 'ENODEV',
  'EINVAL', 'ENOSPC', 'EDEADLOCK', 'ENOSYS', 'EOPNOTSUPP', 'EHWPOISON',
] as const;

/** Linux errno values (x86-64 / asm-generic), for `expect return -N` cross-checks and traces. */
export const ERRNO_VALUES: Record<(typeof ERRNOS)[number], number> = {
  EPERM: 1, ENOENT: 2, ESRCH: 3, EIO: 5, EAGAIN: 11, ENOMEM: 12, EACCES: 13, EFAULT: 14, EBUSY: 16, EEXIST: 17,
  ENODEV: 19, EINVAL: 22, ENOSPC: 28, EDEADLOCK: 35, ENOSYS: 38, EOPNOTSUPP: 95, EHWPOISON: 133,
};

/** Events of the engine's trace: tracepoints, return codes of the migration steps, and syscall/GUP/device steps. */
export const EVENTS = [
  // internal migrate_pages()
  'mm_migrate_pages_start', 'isolate_failed', 'split', 'retry_pass', 'MIGRATEPAGE_UNMAP', 'MIGRATEPAGE_SUCCESS',
  'EAGAIN', 'EBUSY', 'ENOMEM', 'EDEADLOCK', 'ENOSYS', 'EOPNOTSUPP', 'EHWPOISON', 'tlb_flush', 'set_migration_pte',
  'remove_migration_pte', 'set_migration_pmd', 'remove_migration_pmd', 'copy', 'undo', 'putback', 'freed',
  'mm_migrate_pages',
  // syscall layer
  'queue_folio', 'queue_skip', 'strict_fail', 'store_status',
  'syscall_enter', 'syscall_exit', 'queue_failed', 'migration_entry_seen', 'flush_batch', 'policy_applied',
  // GUP FOLL_LONGTERM
  'gup_pin', 'gup_unpin', 'collect_longterm_unpinnable', 'migrate_longterm_unpinnable', 'gup_retry', 'lru_add_drain_all',
  // migrate_vma
  'migrate_vma_setup', 'migrate_vma_collect', 'migrate_vma_unmap', 'migrate_vma_pages', 'migrate_vma_finalize',
  'migrate_vma_hole', 'migrate_vma_skip', 'migrate_vma_restore', 'pte_offset_map_lock_failed', 'pmd_bad',
  // NUMA hinting
  'numa_misplaced',
] as const;

export const VMSTAT_COUNTERS = [
  'pgmigrate_success', 'pgmigrate_fail', 'thp_migration_success', 'thp_migration_fail', 'thp_migration_split',
  'numa_pages_migrated', 'pgdemote_kswapd', 'nr_isolated_anon', 'nr_isolated_file',
] as const;

export const STATS_FIELDS = ['nr_succeeded', 'nr_failed_pages', 'nr_thp_succeeded', 'nr_thp_failed', 'nr_thp_split', 'nr_split'] as const;

/** Where a folio can end: the kernel lists of migrate_pages() plus final states. */
export const FOLIO_PLACES = ['from', 'ret_folios', 'unmap_folios', 'dst_folios', 'split_folios', 'freed', 'lru'] as const;
export const KERNEL_LISTS = ['from', 'ret_folios', 'unmap_folios', 'dst_folios', 'split_folios'] as const;

export const MIGRATE_PFN_FLAGS = [
  'MIGRATE_PFN_VALID', 'MIGRATE_PFN_MIGRATE', 'MIGRATE_PFN_WRITE', 'MIGRATE_PFN_COMPOUND', 'MIGRATE_PFN_DEVICE_PRIVATE',
] as const;

const sets = new Map<readonly string[], Set<string>>();
/** Membership test that stays O(1) on 10,000-line files. */
export function isIn(list: readonly string[], word: string): boolean {
  let s = sets.get(list);
  if (!s) {
    s = new Set(list);
    sets.set(list, s);
  }
  return s.has(word);
}
