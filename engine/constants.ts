// Kernel enums and constants shared by every engine file: migrate modes and
// reasons (numeric values as the kernel's), errnos, MIGRATEPAGE_* and the fields
// of struct migrate_pages_stats. Kept free of imports so any module can use them
// at load time.

// ---------------------------------------------------------------- enums (numeric values as the kernel's)

export const MIGRATE_ASYNC = 0;
export const MIGRATE_SYNC_LIGHT = 1;
export const MIGRATE_SYNC = 2;
export const MIGRATE_SYNC_NO_COPY = 3;
export const MODE_NAMES = ['MIGRATE_ASYNC', 'MIGRATE_SYNC_LIGHT', 'MIGRATE_SYNC', 'MIGRATE_SYNC_NO_COPY'];

export const MR_COMPACTION = 0;
export const MR_MEMORY_FAILURE = 1;
export const MR_MEMORY_HOTPLUG = 2;
export const MR_SYSCALL = 3;
export const MR_MEMPOLICY_MBIND = 4;
export const MR_NUMA_MISPLACED = 5;
export const MR_CONTIG_RANGE = 6;
export const MR_LONGTERM_PIN = 7;
export const MR_DEMOTION = 8;
export const MR_DAMON = 9;
export const REASON_NAMES = ['MR_COMPACTION', 'MR_MEMORY_FAILURE', 'MR_MEMORY_HOTPLUG', 'MR_SYSCALL', 'MR_MEMPOLICY_MBIND', 'MR_NUMA_MISPLACED', 'MR_CONTIG_RANGE', 'MR_LONGTERM_PIN', 'MR_DEMOTION', 'MR_DAMON'];
/** tracepoint strings of enum migrate_reason */
export const REASON_TRACE = ['compaction', 'memory_failure', 'memory_hotplug', 'syscall_or_cpuset', 'mempolicy_mbind', 'numa_misplaced', 'contig_range', 'longterm_pin', 'demotion', 'damon'];

// errnos (positive values; the engine returns -E*)
export const ERRNO: Record<string, number> = {
  EPERM: 1, ENOENT: 2, ESRCH: 3, EIO: 5, E2BIG: 7, EAGAIN: 11, ENOMEM: 12, EACCES: 13, EFAULT: 14, EBUSY: 16,
  EEXIST: 17, ENODEV: 19, EINVAL: 22, ENOSPC: 28, EDEADLOCK: 35, ENOSYS: 38, EOPNOTSUPP: 95, EHWPOISON: 133,
};
export const ERRNO_NAME: Record<number, string> = Object.fromEntries(Object.entries(ERRNO).map(([k, v]) => [v, k]));
/** `-11` → `-EAGAIN`; non-negative numbers print as themselves */
export function rcName(rc: number): string {
  if (rc < 0 && ERRNO_NAME[-rc]) return `-${ERRNO_NAME[-rc]}`;
  return String(rc);
}

/** Internal return values of migrate_folio_unmap (≤ v6.17). */
export const MIGRATEPAGE_SUCCESS = 0;
export const MIGRATEPAGE_UNMAP = 1;


/** struct migrate_pages_stats */
export interface MigrateStats {
  nr_succeeded: number;
  nr_failed_pages: number;
  nr_thp_succeeded: number;
  nr_thp_failed: number;
  nr_thp_split: number;
  nr_split: number;
}
export const STATS_FIELDS: (keyof MigrateStats)[] = ['nr_succeeded', 'nr_failed_pages', 'nr_thp_succeeded', 'nr_thp_failed', 'nr_thp_split', 'nr_split'];
