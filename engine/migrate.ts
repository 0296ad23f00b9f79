// mm/migrate.c — the internal migrate_pages() and its helpers (being written).
import type { Context, DstSpec, MigrateResult } from './context';
import type { ListId } from './state';

// mm/migrate.c migrate_pages() — placeholder until the batch code lands in the next commit
export function migrate_pages(_ctx: Context, _from: ListId, _dst: DstSpec, _mode: number, _reason: number): MigrateResult {
  throw new Error('migrate_pages: not implemented yet');
}
