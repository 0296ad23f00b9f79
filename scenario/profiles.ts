// The kernel profiles a scenario can name with `kernel <name>`. The engine
// implements them (engine/profiles.ts, whose test checks the two lists agree);
// this list is what the checker, completion and hover know about.

export interface ProfileInfo {
  name: string;
  description: string;
}

export const PROFILES: readonly ProfileInfo[] = [
  {
    name: '6.1',
    description:
      "Debian's 6.1.19x: migrate_pages_batch() without batched unmap (each folio unmapped and moved before the next, no TLB batching, force lock after pass 2, split pieces retried inside the batch), no nr_split, pre-v6.7 mempolicy failure counting",
  },
  {
    name: '6.3-rc1',
    description:
      'v6.3-rc1, the batching series as first merged: batched unmap and move in every mode, TTU_BATCH_FLUSH always, -EDEADLOCK restarts a batch when a lock would be taken while holding others',
  },
  {
    name: '6.12',
    description:
      'v6.12 (the reference): migrate_pages_sync() with 3 async + 7 sync passes, nr_split, deferred-split pre-split, folio_mc_copy (-EHWPOISON), move_pages -ENOENT for unmapped addresses',
  },
];

/** The newest profile: what a scenario without a `kernel` line runs on. */
export const DEFAULT_PROFILE = '6.12';

export const PROFILE_NAMES: readonly string[] = PROFILES.map((p) => p.name);

export function isProfile(name: string): boolean {
  return PROFILE_NAMES.includes(name);
}

/** Profiles are ordered oldest first; compare two names by that order. */
export function profileIndex(name: string): number {
  return PROFILE_NAMES.indexOf(name);
}
