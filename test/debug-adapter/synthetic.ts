// A small hand-built trace with the shape of migrate_pages(): passes, unmap and
// move phases, enter/exit events, folios moving between lists. Unit tests of the
// trace indexes and the stepping search use it where the exact event numbers
// must be known in advance; the DebugClient tests use the real engine.
import type { EventKind, FolioInfo, StateView, TraceView } from '../../debug-adapter/trace-view';

export interface SyntheticOpts {
  folios: number;
  /** folio k gets EAGAIN in passes 0..fails(k)-1 */
  fails: (k: number) => number;
  passes: number;
}

const S0: readonly string[] = Object.freeze(['migrate_pages']);
const S1: readonly string[] = Object.freeze(['migrate_pages', 'migrate_pages_batch']);
const S2u: readonly string[] = Object.freeze(['migrate_pages', 'migrate_pages_batch', 'migrate_folio_unmap']);
const S2m: readonly string[] = Object.freeze(['migrate_pages', 'migrate_pages_batch', 'migrate_folio_move']);

export class SyntheticTrace implements TraceView {
  readonly eventNames = ['enter', 'exit', 'retry_pass', 'MIGRATEPAGE_UNMAP', 'EAGAIN', 'tlb_flush', 'MIGRATEPAGE_SUCCESS', 'mm_migrate_pages'];
  length = 0;
  private code: number[] = [];
  private fol: number[] = [];
  private pas: number[] = [];
  private stk: (readonly string[])[] = [];
  /** event where folio k was migrated (-1 never) */
  readonly migratedAt: number[];
  readonly n: number;

  constructor(o: SyntheticOpts) {
    this.n = o.folios;
    this.migratedAt = new Array(o.folios).fill(-1);
    const push = (name: string, folio: number, pass: number, stack: readonly string[]): void => {
      this.code.push(this.eventNames.indexOf(name));
      this.fol.push(folio);
      this.pas.push(pass);
      this.stk.push(stack);
    };
    push('enter', -1, -1, S0);
    let left = [...Array(o.folios).keys()];
    for (let p = 0; p < o.passes && left.length; p++) {
      push('enter', -1, p, S1);
      push('retry_pass', -1, p, S1);
      const unmapped: number[] = [];
      const again: number[] = [];
      for (const k of left) {
        push('enter', k, p, S2u);
        if (p < o.fails(k)) {
          push('EAGAIN', k, p, S2u);
          again.push(k);
        } else {
          push('MIGRATEPAGE_UNMAP', k, p, S2u);
          unmapped.push(k);
        }
        push('exit', k, p, S2u);
      }
      push('tlb_flush', -1, p, S1);
      for (const k of unmapped) {
        push('enter', k, p, S2m);
        this.migratedAt[k] = this.code.length;
        push('MIGRATEPAGE_SUCCESS', k, p, S2m);
        push('exit', k, p, S2m);
      }
      push('exit', -1, p, S1);
      left = again;
    }
    push('mm_migrate_pages', -1, -1, S0);
    push('exit', -1, -1, S0);
    this.length = this.code.length;
  }

  eventCode(i: number): number {
    return this.code[i];
  }
  kind(i: number): EventKind {
    const c = this.code[i];
    return c === 0 ? 'entry' : c === 1 ? 'exit' : 'event';
  }
  folioOf(i: number): number {
    return this.fol[i];
  }
  folioName(id: number): string {
    return `F${id}`;
  }
  pass(i: number): number {
    return this.pas[i];
  }
  line(i: number): number {
    return i === 0 ? 3 : 4;
  }
  stack(i: number): readonly string[] {
    return this.stk[i];
  }
  task(): string {
    return 'scenario';
  }
  detail(): string {
    return '';
  }
  stateAt(i: number): StateView {
    const done = (k: number): boolean => this.migratedAt[k] >= 0 && this.migratedAt[k] <= i;
    const folio = (id: number): FolioInfo => ({
      id,
      name: `F${id}`,
      pfn: 0x1000 + id,
      order: 0,
      node: done(id) ? 1 : 0,
      kind: 'anon',
      flags: [],
      refcount: done(id) ? 1 : 2,
      mapcount: 0,
      pins: 0,
      place: done(id) ? 'freed' : 'from',
      mapped: [],
    });
    const from: number[] = [];
    for (let k = 0; k < this.n; k++) if (!done(k)) from.push(k);
    return {
      folioCount: () => this.n,
      folio,
      folioId: (name) => (/^F\d+$/.test(name) && Number(name.slice(1)) < this.n ? Number(name.slice(1)) : undefined),
      listNames: () => ['from'],
      listSize: () => from.length,
      listSlice: (_n, a, b) => from.slice(a, b),
      processes: () => [],
      nodes: () => [{ id: 0, total: 1000, free: 1000 - from.length, used: from.length }],
      stats: () => ({ nr_succeeded: this.n - from.length, nr_failed_pages: 0 }),
      vmstat: () => ({ pgmigrate_success: this.n - from.length }),
      locals: (d): Record<string, number> => (d === 1 ? { pass: this.pas[i] } : {}),
    };
  }
}
