// The memory model: NUMA nodes, processes with VMAs and page tables, folios, the
// kernel's folio lists, call frames with their locals, and /proc/vmstat.
//
// How to use it (engine code, including the syscall layer):
//   * Folios are integer ids (FolioId); read a column with `st.flags(f)`,
//     `st.refcount(f)`, `st.node(f)`, ... (chunks shared copy-on-write: folio-rows.ts).
//   * NEVER write a column directly. Every change goes through a method of
//     MemState (`setFlag`, `addRef`, `listAddTail`, `setPte`, `setLocal`, ...):
//     each method appends one record to the mutation log, and the trace replays
//     that log to rebuild the state at any event (`Trace.stateAt`). A direct
//     write would be invisible to the debugger and break step-back.
//   * Lists are the kernel's `struct list_head`s of folios: create one with
//     `newList('pagelist')`, move folios with `listAddTail/listMoveTail/listDel`,
//     free it with `freeList` when the modelled function returns. A folio is on at
//     most one list (`st.list(f)`, 0 = none), exactly like `folio->lru`.
//   * Page-table entries are packed numbers (see `Pte` below) in maps keyed by
//     `pteKey(mm, vaddr)`; `setPte`/`setPmd` keep the reverse map (`rmapOf`) current.
//   * Processes and VMAs are small immutable objects: to change one, build a new
//     object and call `setProcess`.

import { growTo } from './grow';
import { FolioNames } from './folio-names';
import { ListTable, ListRec } from './list-table';
import { FolioRows, newStamp, ROWS_SHIFT, ROWS_MASK, ROWS, ROW_BYTES, Col, isInt32Col } from './folio-rows';

export type FolioId = number;
export type ListId = number;

// ---------------------------------------------------------------- folio columns

/** folio kind (st.kind(f)) */
export const Kind = {
  ANON: 0,
  FILE: 1,
  SHMEM: 2,
  HUGETLB: 3,
  ZERO: 4,
  KSM: 5,
  MOVABLE: 6, // non-LRU movable (movable_ops: zsmalloc, balloon, z3fold...)
  DEVICE_PRIVATE: 7,
} as const;
export const KIND_NAMES = ['anon', 'file', 'shmem', 'hugetlb', 'zero', 'ksm', 'movable', 'device_private'];

/** folio flags (st.flags(f)), a bit set */
export const F = {
  LOCKED: 1 << 0,
  LRU: 1 << 1,
  ISOLATED: 1 << 2, // movable_ops isolated, or "taken off the LRU by isolation" in our bookkeeping
  DIRTY: 1 << 3,
  WRITEBACK: 1 << 4,
  MLOCKED: 1 << 5,
  ANON_EXCLUSIVE: 1 << 6, // PageAnonExclusive (kept per folio in the model)
  DEFERRED_SPLIT: 1 << 7, // on the deferred-split queue (partially unmapped anon large folio)
  UPTODATE: 1 << 8,
  PRIVATE: 1 << 9, // PG_private: buffers or fs-private data attached
  ACTIVE: 1 << 10,
  UNEVICTABLE: 1 << 11,
  SWAPCACHE: 1 << 12,
  HWPOISON: 1 << 13,
  FREED: 1 << 14, // returned to the buddy allocator (the row stays for the trace)
  CMA: 1 << 15, // lives in a CMA pageblock
  DST: 1 << 16, // allocated as a migration destination and not yet live
  MOVABLE_GONE: 1 << 17, // movable_ops page released by its driver after isolation
  HUGE_ZERO: 1 << 18,
  HUGETLB_TEMPORARY: 1 << 19, // a migration target taken from the buddy allocator (pool empty), freed back to it
  INACCESSIBLE: 1 << 20, // its address space is AS_INACCESSIBLE (guest_memfd): never migrated (v6.8+)
  HUGETLB_ANON: 1 << 21, // a MAP_PRIVATE hugetlb page: hugetlb_no_page() gave it an anon rmap, so folio_test_anon()
} as const;
export const FLAG_NAMES: [number, string][] = Object.entries(F).map(([k, v]) => [v, k.toLowerCase()]);

export const Zone = { NORMAL: 0, MOVABLE: 1 } as const;
export const ZONE_NAMES = ['Normal', 'Movable'];

// ---------------------------------------------------------------- page-table entries
//
// An entry is one JS number (exact up to 2^53):
//   bits 0..11  : Pte type and bits below
//   bits 12..29 : subpage index inside the folio (18 bits, enough for 1G hugetlb)
//   bits 30..52 : folio id (23 bits)
// Using the folio id instead of a pfn avoids a pfn→folio lookup; the pfn printed
// in traces is `st.pfn[folio] + subpage`.

export const Pte = {
  TYPE_MASK: 0x7,
  NONE: 0,
  PRESENT: 1,
  MIGRATION_READ: 2, // SWP_MIGRATION_READ
  MIGRATION_READ_EXCLUSIVE: 3, // SWP_MIGRATION_READ_EXCLUSIVE
  MIGRATION_WRITE: 4, // SWP_MIGRATION_WRITE
  SWAP: 5,
  DEVICE_PRIVATE_READ: 6,
  DEVICE_PRIVATE_WRITE: 7,
  WRITE: 1 << 3,
  YOUNG: 1 << 4,
  DIRTY: 1 << 5,
  SOFT_DIRTY: 1 << 6,
  UFFD_WP: 1 << 7,
  ZERO_PFN: 1 << 8, // present entry of the shared zero page (folio id is the zero folio)
} as const;
export const PTE_TYPE_NAMES = ['none', 'present', 'migration_read', 'migration_read_exclusive', 'migration_write', 'swap', 'device_private_read', 'device_private_write'];

const SUB_SHIFT = 2 ** 12;
const FOLIO_SHIFT = 2 ** 30;

export function packPte(folio: FolioId, sub: number, bits: number): number {
  return folio * FOLIO_SHIFT + sub * SUB_SHIFT + bits;
}
export function pteFolio(e: number): FolioId {
  return Math.floor(e / FOLIO_SHIFT);
}
export function pteSub(e: number): number {
  return Math.floor(e / SUB_SHIFT) % 2 ** 18;
}
export function pteBits(e: number): number {
  return e % SUB_SHIFT;
}
export function pteType(e: number): number {
  return e % SUB_SHIFT & Pte.TYPE_MASK;
}
export function isMigrationType(t: number): boolean {
  return t >= Pte.MIGRATION_READ && t <= Pte.MIGRATION_WRITE;
}

/** Key of a page-table slot: mm id and virtual page number (addr / PAGE_SIZE). */
export function pteKey(mm: number, vpn: number): number {
  return mm * 2 ** 36 + vpn;
}
export function keyMm(key: number): number {
  return Math.floor(key / 2 ** 36);
}
export function keyVpn(key: number): number {
  return key % 2 ** 36;
}

// ---------------------------------------------------------------- processes, VMAs

export interface MemPolicy {
  mode: number; // MPOL_* value
  nodes: number[];
  flags: number; // MPOL_F_* mode flags
}

export type Backing = 'anon' | 'file' | 'shmem' | 'hugetlb';

export interface Vma {
  readonly name: string;
  readonly start: number; // byte address, page aligned
  readonly end: number; // exclusive
  readonly backing: Backing;
  readonly shared: boolean;
  readonly prot: number; // PROT_READ 1 | PROT_WRITE 2 | PROT_EXEC 4
  readonly locked: boolean; // VM_LOCKED
  readonly thp: 'thp' | 'nothp' | 'default';
  /** identity of the anon_vma (anon) or address_space (file/shmem/hugetlb); shared by fork / MAP_SHARED */
  readonly mappingId: number;
  /** byte offset of `start` inside the named mapping (`heap[8K]` is at start - pgoff + 8K) */
  readonly pgoff: number;
  /** file offset of the named mapping's offset 0 (a part moved by mremap keeps its file pages); default 0 */
  readonly fileBase?: number;
  readonly policy?: MemPolicy; // VMA policy set by mbind
  readonly special?: boolean; // VM_IO|VM_PFNMAP
}

export interface Process {
  readonly id: number; // also the mm id (a forked child gets its own mm)
  readonly name: string;
  readonly uid: number;
  readonly capSysNice: boolean;
  readonly cpuNode: number;
  readonly policy: MemPolicy; // task policy (set_mempolicy)
  readonly vmas: readonly Vma[]; // sorted by start
  readonly parent?: number;
}

export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const PROT_EXEC = 4;

// ---------------------------------------------------------------- nodes

export interface NodeSpec {
  id: number;
  memoryPages: number; // all pages of the node
  movablePages: number; // of which in ZONE_MOVABLE
  cmaPages: number; // of which CMA pageblocks (in ZONE_NORMAL)
  hugepages: number; // free 2M hugetlb pages in the pool
}

// ---------------------------------------------------------------- call frames

/** The modelled kernel functions and the names of their locals (shown by the debugger). */
export interface FnSchema {
  id: number;
  name: string;
  locals: string[];
}
const fnSchemas: FnSchema[] = [];
const fnByName = new Map<string, FnSchema>();

/**
 * Declare a modelled function once (module level) with the locals the debugger
 * should show; `setLocal(slot, v)` then addresses them by index in `locals`.
 */
export function defineFn(name: string, locals: string[]): FnSchema {
  const old = fnByName.get(name);
  if (old) {
    if (old.locals.join() !== locals.join()) throw new Error(`defineFn(${name}): locals differ from the first definition`);
    return old;
  }
  const s = { id: fnSchemas.length, name, locals };
  fnSchemas.push(s);
  fnByName.set(name, s);
  return s;
}
export function fnSchema(id: number): FnSchema {
  return fnSchemas[id];
}

// ---------------------------------------------------------------- vmstat

export const VMSTAT = [
  'pgmigrate_success',
  'pgmigrate_fail',
  'thp_migration_success',
  'thp_migration_fail',
  'thp_migration_split',
  'nr_isolated_anon',
  'nr_isolated_file',
  'thp_split_pmd',
  'thp_split_page',
  'thp_deferred_split_page',
  'numa_pages_migrated',
  'pgmigrate_success_hugetlb', // model-only: hugetlb successes are inside pgmigrate_success too
] as const;
export type VmstatName = (typeof VMSTAT)[number];
export const VMSTAT_INDEX: Record<string, number> = Object.fromEntries(VMSTAT.map((n, i) => [n, i]));

// ---------------------------------------------------------------- the mutation log

/** Operation codes of the mutation log (one per MemState mutator). */
export const Op = {
  FOLIO_NEW: 1,
  SET: 2, // a=col b=folio c=value
  LIST_NEW: 3, // a=list b=nameIdx
  LIST_FREE: 4,
  LIST_ADD_TAIL: 5, // a=list b=folio
  LIST_ADD_HEAD: 6,
  LIST_DEL: 7, // b=folio
  LIST_INSERT_AFTER: 8, // a=list b=folio c=prev (-1 = head)
  PTE_SET: 9, // b=wide index of the key, c=wide index of the entry
  PMD_SET: 10,
  NODE_SET: 11, // a=col b=node c=value
  FRAME_PUSH: 12, // a=fn
  FRAME_POP: 13,
  LOCAL_SET: 14, // a=depth b=slot c=value
  VMSTAT_ADD: 15, // a=counter c=delta
  PROC_SET: 16, // a=proc b=obj index
  NAME_SET: 17, // a=folio b=obj index
  LIST_SPLICE: 18, // a=src list b=dst list c=0 tail / 1 head
  SCALAR_SET: 19, // a=scalar c=value
  SET_WIDE: 20, // a=col b=folio c=wide index of the value
  LOCAL_SET_WIDE: 21, // a=depth b=slot c=wide index
  VMSTAT_ADD_WIDE: 22,
  SCALAR_SET_WIDE: 23,
  FOLIO_ALLOC: 24, // a=folio b=kind|order<<4|zone<<9|(charge+1)<<10|node<<13 c=flags: a fresh folio with refcount 1, no mapping, pfn from the node's allocator, its pages taken from node counter `charge`
  LIST_MOVE_TAIL: 25, // a=list b=folio: list_move_tail (LIST_DEL + LIST_ADD_TAIL in one record)
  LIST_CUT_BEFORE: 26, // a=src list b=dst list c=entry: list_cut_before (one record for a whole batch)
  ISOLATE_LRU: 27, // a=list b=folio c=vmstat counter: folio_isolate_lru's four changes (flags, a reference, list_add_tail, NR_ISOLATED_*)
} as const;

/** records per log chunk: 2^16 × 13 bytes = 832 KiB */
const LOG_SHIFT = 16;
const LOG_CHUNK = 1 << LOG_SHIFT;
const LOG_MASK = LOG_CHUNK - 1;

/**
 * Packed, append-only log: 4 typed arrays per chunk of 2^16 records (1+4+4+4 = 13
 * bytes per record). Chunks, not one doubling array: a million-folio migration
 * writes tens of millions of records, and re-copying them at every doubling was a
 * sixth of its profile. Values that do not fit an int32 (page-table keys and entries,
 * pfns) go to a side array of doubles (`wide`) and the record holds their index;
 * objects (names, process snapshots) go to `objects`.
 */
export class MutationLog {
  n = 0;
  /** the chunks; record i is at [i >>> LOG_SHIFT][i & LOG_MASK] */
  readonly opChunks: Uint8Array[] = [];
  readonly aChunks: Int32Array[] = [];
  readonly bChunks: Int32Array[] = [];
  readonly cChunks: Int32Array[] = [];
  /** the chunk being filled, and the index of its first record */
  private op!: Uint8Array;
  private a!: Int32Array;
  private b!: Int32Array;
  private c!: Int32Array;
  private base = 0;
  nWide = 0;
  wide = new Float64Array(1 << 10);
  objects: unknown[] = [];

  constructor() {
    this.addChunk();
  }

  /**
   * Column writes to the same folio and column between two events collapse into
   * one record (the trace is only ever observed at events). The Trace turns this on
   * and moves `sealed` to the log end at every event; records before it never change.
   */
  coalesce = false;
  sealed = 0;
  /** a direct-mapped cache: hash of (column, folio) → index of its latest SET record */
  private lastSet = new Int32Array(4096).fill(-1);

  opAt(i: number): number {
    return this.opChunks[i >>> LOG_SHIFT][i & LOG_MASK];
  }
  aAt(i: number): number {
    return this.aChunks[i >>> LOG_SHIFT][i & LOG_MASK];
  }
  bAt(i: number): number {
    return this.bChunks[i >>> LOG_SHIFT][i & LOG_MASK];
  }
  cAt(i: number): number {
    return this.cChunks[i >>> LOG_SHIFT][i & LOG_MASK];
  }

  /** Op.SET col/folio/value, rewriting the window's earlier SET of that column and folio when allowed. */
  pushSet(col: number, f: number, v: number): void {
    const h = (f * 16 + col) & 4095;
    const j = this.lastSet[h];
    if (this.coalesce && j >= this.sealed && j < this.n) {
      const k = j - this.base;
      // the window's records are nearly always in the current chunk
      if (k >= 0 ? this.op[k] === Op.SET && this.a[k] === col && this.b[k] === f : this.opAt(j) === Op.SET && this.aAt(j) === col && this.bAt(j) === f) {
        if (k >= 0) this.c[k] = v;
        else this.cChunks[j >>> LOG_SHIFT][j & LOG_MASK] = v;
        return;
      }
    }
    this.lastSet[h] = this.n;
    this.push(Op.SET, col, f, v);
  }

  /**
   * A record that changes (col, f) relative to its value (not a SET) was just logged: a
   * later SET of that column and folio in the window must not rewrite an earlier one.
   */
  forgetSet(col: number, f: number): void {
    this.lastSet[(f * 16 + col) & 4095] = -1;
  }

  /** Forget everything logged (the trace's base was re-taken). */
  clear(): void {
    this.n = 0;
    this.opChunks.length = this.aChunks.length = this.bChunks.length = this.cChunks.length = 0;
    this.addChunk();
    this.nWide = 0;
    this.objects.length = 0;
    this.sealed = 0;
    this.lastSet.fill(-1);
  }

  private addChunk(): void {
    this.base = this.opChunks.length * LOG_CHUNK;
    this.opChunks.push((this.op = new Uint8Array(LOG_CHUNK)));
    this.aChunks.push((this.a = new Int32Array(LOG_CHUNK)));
    this.bChunks.push((this.b = new Int32Array(LOG_CHUNK)));
    this.cChunks.push((this.c = new Int32Array(LOG_CHUNK)));
  }

  push(op: number, a: number, b: number, c: number): void {
    const n = this.n;
    let k = n - this.base;
    if (k === LOG_CHUNK) {
      this.addChunk();
      k = 0;
    }
    this.op[k] = op;
    this.a[k] = a;
    this.b[k] = b;
    this.c[k] = c;
    this.n = n + 1;
  }

  /**
   * Calls `each` once per chunk holding records of [from, to), with that chunk's arrays, the
   * range [lo, hi) inside it and the record index of its first entry: replay loops run over
   * plain typed arrays.
   */
  forChunks(from: number, to: number, each: (op: Uint8Array, a: Int32Array, b: Int32Array, c: Int32Array, lo: number, hi: number, base: number) => void): void {
    while (from < to) {
      const ci = from >>> LOG_SHIFT;
      const base = ci * LOG_CHUNK;
      const hi = Math.min(to - base, LOG_CHUNK);
      each(this.opChunks[ci], this.aChunks[ci], this.bChunks[ci], this.cChunks[ci], from - base, hi, base);
      from = base + hi;
    }
  }

  /** Stores a double and returns its index (for values beyond int32). */
  w(v: number): number {
    const i = this.nWide;
    if (i === this.wide.length) this.wide = growTo(this.wide, i + 1);
    this.wide[i] = v;
    this.nWide = i + 1;
    return i;
  }

  obj(o: unknown): number {
    this.objects.push(o);
    return this.objects.length - 1;
  }

  bytes(): number {
    return this.n * 13 + this.nWide * 8;
  }
}

/** most spare folio chunks a state keeps for reuse (2,048 rows each) */
const MAX_SPARE_ROWS = 512;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
function fitsInt32(v: number): boolean {
  return Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX;
}

export { Col } from './folio-rows';

export const NodeCol = { FREE: 0, MOVABLE_FREE: 1, CMA_FREE: 2, HUGE_FREE: 3 } as const;

/** Scalars of the machine (not per folio). */
export const Scalar = {
  TLB_PENDING: 0, // deferred TLB flushes pending (TTU_BATCH_FLUSH), flushed by try_to_unmap_flush()
  TLB_FLUSHES: 1,
  LRU_CACHE_DISABLED: 2,
  // calls of try_to_unmap_flush(), flushing or not: one per migrate_pages_batch() round that reaches its
  // move phase, and (v6.8+) one per large-folio split. Parity counts the same calls on a real kernel with a kprobe; a flush itself depends on which
  // CPUs the mm ran on (arch_tlbbatch_should_defer), which the model does not know.
  UNMAP_FLUSH_CALLS: 3,
  // anon_vma references taken by folio_get_anon_vma() (its non-NULL returns): one per attempt on a mapped anon
  // folio in migrate_folio_unmap() and unmap_and_move_huge_page(), one per anon THP split. Parity counts them too.
  ANON_VMA_REFS: 4,
} as const;
const NSCALARS = 5;

export interface Snapshot {
  nFolios: number;
  /** the folio chunks, shared with the state that took the snapshot (copy on write) */
  rows: FolioRows[];
  /** bytes this snapshot holds alone (chunks made since the state's previous snapshot, plus the small parts) */
  bytes: number;
  lists: ListTable;
  ptes: Map<number, number>;
  pmds: Map<number, number>;
  nodeFree: Int32Array;
  nodeMovFree: Int32Array;
  nodeCmaFree: Int32Array;
  nodeHugeFree: Int32Array;
  frames: number[];
  frameBase: number[];
  locals: Float64Array;
  localsTop: number;
  vmstat: Float64Array;
  scalars: Float64Array;
  procs: Process[];
  names: FolioNames;
  pfnNext: Map<number, number>;
}
/**
 * An empty array whose elements kind already says "objects". A literal `[]` starts as an
 * array of small integers and changes its hidden class when the first object goes in; the
 * replay code, optimized while the checkpoints were built (when no chunk was ever spare),
 * was thrown away at the debugger's first jump for that change, and the first jumps ran
 * unoptimized while it was compiled again (measured: 5-13 ms jumps where 1-3 ms is usual).
 */
function objectArray<T>(): T[] {
  const a = [{}];
  a.pop();
  return a as T[];
}

/** A list table holding only ListId 0, "none" (a folio's list column is 0 when it is on no list). */
function tableWithNoneList(): ListTable {
  const t = new ListTable();
  t.push({ name: '(none)', head: -1, tail: -1, count: 0, live: false, stamp: 0 });
  return t;
}

export class MemState {
  pageSize = 4096;
  pmdSize = 2 * 1024 * 1024;
  get pmdOrder(): number {
    return Math.log2(this.pmdSize / this.pageSize);
  }

  /** the mutation log; null while replaying (replay must not log again) */
  log: MutationLog | null;

  // folio columns, in chunks shared copy-on-write with snapshots (folio-rows.ts)
  nFolios = 0;
  private rows: FolioRows[] = [];
  /** chunks stamped with this are this state's own since it last shared them */
  private stamp = newStamp();
  /** bytes of chunks made (created or copied) since the last snapshot or restore */
  private madeBytes = 0;
  flags(f: FolioId): number {
    return this.rows[f >> ROWS_SHIFT].flags[f & ROWS_MASK];
  }
  refcount(f: FolioId): number {
    return this.rows[f >> ROWS_SHIFT].refcount[f & ROWS_MASK];
  }
  /** number of page-table entries (PTE or PMD) mapping the folio */
  mapcount(f: FolioId): number {
    return this.rows[f >> ROWS_SHIFT].mapcount[f & ROWS_MASK];
  }
  /** FOLL_PIN pins (each also counts 1 in refcount in the model) */
  pins(f: FolioId): number {
    return this.rows[f >> ROWS_SHIFT].pins[f & ROWS_MASK];
  }
  node(f: FolioId): number {
    return this.rows[f >> ROWS_SHIFT].node[f & ROWS_MASK];
  }
  pfn(f: FolioId): number {
    return this.rows[f >> ROWS_SHIFT].pfn[f & ROWS_MASK];
  }
  order(f: FolioId): number {
    return this.rows[f >> ROWS_SHIFT].order[f & ROWS_MASK];
  }
  zone(f: FolioId): number {
    return this.rows[f >> ROWS_SHIFT].zone[f & ROWS_MASK];
  }
  kind(f: FolioId): number {
    return this.rows[f >> ROWS_SHIFT].kind[f & ROWS_MASK];
  }
  /** address_space / anon_vma identity, 0 = none */
  mapping(f: FolioId): number {
    return this.rows[f >> ROWS_SHIFT].mapping[f & ROWS_MASK];
  }
  /** dst->private: old page state bits recorded by migrate_folio_unmap */
  record(f: FolioId): number {
    return this.rows[f >> ROWS_SHIFT].record[f & ROWS_MASK];
  }
  /** folio this one was split from (-1 = none) */
  parent(f: FolioId): number {
    return this.rows[f >> ROWS_SHIFT].parent[f & ROWS_MASK];
  }
  /** anon_vma references taken by migration on this folio */
  anonVmaRef(f: FolioId): number {
    return this.rows[f >> ROWS_SHIFT].anonVmaRef[f & ROWS_MASK];
  }
  /** where the contents went (migration destination), -1 = none */
  succ(f: FolioId): number {
    return this.rows[f >> ROWS_SHIFT].succ[f & ROWS_MASK];
  }
  /** list id, 0 = on no list */
  list(f: FolioId): number {
    return this.rows[f >> ROWS_SHIFT].list[f & ROWS_MASK];
  }
  prev(f: FolioId): number {
    return this.rows[f >> ROWS_SHIFT].prev[f & ROWS_MASK];
  }
  next(f: FolioId): number {
    return this.rows[f >> ROWS_SHIFT].next[f & ROWS_MASK];
  }
  /** The chunk holding folio f, made this state's own first if it is shared (copy on write). */
  private w(f: FolioId): FolioRows {
    const c = f >> ROWS_SHIFT;
    const r = this.rows[c];
    if (r.stamp === this.stamp) return r;
    this.madeBytes += ROWS * ROW_BYTES;
    const spare = this.spareRows.pop();
    return (this.rows[c] = spare ? spare.copyFrom(r, this.stamp) : new FolioRows(r, this.stamp));
  }
  /**
   * Chunks this state had made its own when it was last restored (nobody else holds them):
   * the copies on write of the next replay go into them. A debugger jump then reuses the
   * memory of the previous one instead of allocating it anew, which kept the garbage
   * collector's pauses (tens of milliseconds on a 10 M-event trace) out of the jumps.
   */
  private spareRows: FolioRows[] = objectArray<FolioRows>();
  names = new FolioNames();

  // lists (index = ListId; 0 is reserved for "none")
  lists = tableWithNoneList();
  /** List l, made this state's own first if a snapshot shares it (copy on write, by chunk and record). */
  private wl(l: ListId): ListRec {
    return this.lists.own(l, this.stamp);
  }

  // page tables
  ptes = new Map<number, number>();
  pmds = new Map<number, number>();
  /** reverse map: folio → keys of its entries; PMD keys are stored negated-minus-one (-key-1) */
  private rmap = new Map<FolioId, number[]>();

  // nodes
  nodeSpecs: NodeSpec[] = [];
  nodeFree = new Int32Array(0); // free pages in ZONE_NORMAL (CMA included)
  nodeMovFree = new Int32Array(0);
  nodeCmaFree = new Int32Array(0);
  nodeHugeFree = new Int32Array(0);
  private pfnNext = new Map<number, number>(); // region → next pfn (bump allocator)

  // processes
  procs: Process[] = [];

  // call frames
  frames: number[] = []; // fn id per depth
  frameBase: number[] = [];
  /** frames (from the outermost) whose FRAME_PUSH is in the log; the ones above are not logged yet (pushFrame) */
  private loggedFrames = 0;
  locals = new Float64Array(256);
  localsTop = 0;

  vmstat = new Float64Array(VMSTAT.length);
  scalars = new Float64Array(NSCALARS);

  constructor(log: MutationLog | null = new MutationLog()) {
    this.log = log;
  }

  // ------------------------------------------------------------ nodes

  /** Machine setup (before any logging matters): nodes and their pools. */
  setNodes(specs: NodeSpec[]): void {
    this.nodeSpecs = specs.slice().sort((x, y) => x.id - y.id);
    const max = specs.reduce((m, s) => Math.max(m, s.id + 1), 0);
    this.nodeFree = new Int32Array(max);
    this.nodeMovFree = new Int32Array(max);
    this.nodeCmaFree = new Int32Array(max);
    this.nodeHugeFree = new Int32Array(max);
    for (const s of specs) {
      this.nodeFree[s.id] = s.memoryPages - s.movablePages - s.hugepages * (this.pmdSize / this.pageSize);
      this.nodeMovFree[s.id] = s.movablePages;
      this.nodeCmaFree[s.id] = s.cmaPages;
      this.nodeHugeFree[s.id] = s.hugepages;
    }
  }

  hasNode(n: number): boolean {
    return n >= 0 && n < this.nodeFree.length && this.nodeSpecs.some((s) => s.id === n);
  }

  nodeIds(): number[] {
    return this.nodeSpecs.map((s) => s.id);
  }

  setNodeCol(col: number, n: number, v: number): void {
    this.log?.push(Op.NODE_SET, col, n, v);
    if (col === NodeCol.FREE) this.nodeFree[n] = v;
    else if (col === NodeCol.MOVABLE_FREE) this.nodeMovFree[n] = v;
    else if (col === NodeCol.CMA_FREE) this.nodeCmaFree[n] = v;
    else this.nodeHugeFree[n] = v;
  }

  /** Next pfn of a node/zone region; pfns are never reused, so a trace stays unambiguous. */
  takePfn(node: number, zone: number, nrPages: number): number {
    const region = node * 4 + zone;
    const base = region * 2 ** 28;
    const cur = this.pfnNext.get(region) ?? base;
    // align to the folio size, as the buddy allocator does
    const aligned = Math.ceil(cur / nrPages) * nrPages;
    this.pfnNext.set(region, aligned + nrPages);
    return aligned;
  }

  // ------------------------------------------------------------ folios

  /** Creates a folio row. All columns are written, so a reused slot never shows stale data. */
  newFolio(init: { kind: number; order: number; node: number; zone: number; flags: number; refcount: number; mapping: number; parent?: number; pfn?: number }): FolioId {
    const f = this.nFolios;
    this.log?.push(Op.FOLIO_NEW, f, 0, 0);
    this.applyFolioNew(f);
    const nr = 2 ** init.order;
    this.setCol(Col.KIND, f, init.kind);
    this.setCol(Col.ORDER, f, init.order);
    this.setCol(Col.NODE, f, init.node);
    this.setCol(Col.ZONE, f, init.zone);
    this.setCol(Col.FLAGS, f, init.flags);
    this.setCol(Col.REFCOUNT, f, init.refcount);
    this.setCol(Col.MAPPING, f, init.mapping);
    this.setCol(Col.PARENT, f, init.parent ?? -1);
    this.setCol(Col.PFN, f, init.pfn ?? this.takePfn(init.node, init.zone, nr));
    return f;
  }

  /**
   * A fresh folio (refcount 1, no mapping, no parent) in one log record: the
   * destination allocation of migration, which must stay cheap. `charge` names the
   * node counter the pages come out of (NodeCol; HUGE_FREE counts one huge page),
   * -1 for none.
   */
  allocFolio(kind: number, order: number, node: number, zone: number, flags: number, charge = -1): FolioId {
    const f = this.nFolios;
    const packed = kind | (order << 4) | (zone << 9) | ((charge + 1) << 10) | (node << 13);
    this.log?.push(Op.FOLIO_ALLOC, f, packed, flags);
    this.applyFolioAlloc(f, packed, flags);
    return f;
  }

  private applyFolioAlloc(f: number, packed: number, flags: number): void {
    this.applyFolioNew(f);
    const kind = packed & 15;
    const order = (packed >> 4) & 31;
    const zone = (packed >> 9) & 1;
    const charge = ((packed >> 10) & 7) - 1;
    const node = packed >> 13;
    const r = this.w(f);
    const i = f & ROWS_MASK;
    r.kind[i] = kind;
    r.order[i] = order;
    r.zone[i] = zone;
    r.node[i] = node;
    r.flags[i] = flags;
    r.refcount[i] = 1;
    r.pfn[i] = this.takePfn(node, zone, 2 ** order);
    if (charge === NodeCol.FREE) this.nodeFree[node] -= 2 ** order;
    else if (charge === NodeCol.MOVABLE_FREE) this.nodeMovFree[node] -= 2 ** order;
    else if (charge === NodeCol.CMA_FREE) this.nodeCmaFree[node] -= 2 ** order;
    else if (charge === NodeCol.HUGE_FREE) this.nodeHugeFree[node] -= 1;
  }

  private applyFolioNew(f: number): void {
    if (f >> ROWS_SHIFT >= this.rows.length) {
      this.rows.push(new FolioRows(null, this.stamp));
      this.madeBytes += ROWS * ROW_BYTES;
    }
    const r = this.w(f);
    const i = f & ROWS_MASK;
    r.flags[i] = 0;
    r.refcount[i] = 0;
    r.mapcount[i] = 0;
    r.pins[i] = 0;
    r.node[i] = 0;
    r.pfn[i] = 0;
    r.order[i] = 0;
    r.zone[i] = 0;
    r.kind[i] = 0;
    r.mapping[i] = 0;
    r.record[i] = 0;
    r.parent[i] = -1;
    r.anonVmaRef[i] = 0;
    r.succ[i] = -1;
    r.list[i] = 0;
    r.prev[i] = -1;
    r.next[i] = -1;
    this.nFolios = f + 1;
  }

  setName(f: FolioId, name: string): void {
    if (this.log) this.log.push(Op.NAME_SET, f, this.log.obj(name), 0);
    this.names.set(f, name);
  }

  /** Display name: the declared name, or `#id`. */
  folioName(f: FolioId): string {
    const n = this.names.get(f);
    if (n !== undefined) return n;
    return `#${f}`;
  }

  /** The live folio holding what `f` held: follows migrations (succ) to the end. */
  current(f: FolioId): FolioId {
    let g = f;
    for (let i = 0; i < 1000 && this.succ(g) !== -1; i++) g = this.succ(g);
    return g;
  }

  nrPages(f: FolioId): number {
    return 2 ** this.order(f);
  }
  isLarge(f: FolioId): boolean {
    return this.order(f) > 0;
  }
  /** folio_test_pmd_mappable: large and at least PMD order ("is_thp" in migrate_pages_batch) */
  isPmdMappable(f: FolioId): boolean {
    return this.order(f) >= this.pmdOrder;
  }
  has(f: FolioId, flag: number): boolean {
    return (this.flags(f) & flag) !== 0;
  }

  setCol(col: number, f: FolioId, v: number): void {
    if (isInt32Col(col)) return this.setInt(col, f, v);
    if (this.colValue(col, f) === v) return;
    this.logSet(col, f, v);
    this.applySet(col, f, v);
  }

  private logSet(col: number, f: FolioId, v: number): void {
    const log = this.log;
    if (!log) return;
    if (fitsInt32(v)) log.pushSet(col, f, v);
    else log.push(Op.SET_WIDE, col, f, log.w(v));
  }

  private colValue(col: number, f: number): number {
    const r = this.rows[f >> ROWS_SHIFT];
    const i = f & ROWS_MASK;
    switch (col) {
      case Col.FLAGS: return r.flags[i];
      case Col.REFCOUNT: return r.refcount[i];
      case Col.MAPCOUNT: return r.mapcount[i];
      case Col.PINS: return r.pins[i];
      case Col.NODE: return r.node[i];
      case Col.PFN: return r.pfn[i];
      case Col.ORDER: return r.order[i];
      case Col.ZONE: return r.zone[i];
      case Col.KIND: return r.kind[i];
      case Col.MAPPING: return r.mapping[i];
      case Col.RECORD: return r.record[i];
      case Col.PARENT: return r.parent[i];
      case Col.ANON_VMA_REF: return r.anonVmaRef[i];
      case Col.SUCC: return r.succ[i];
      default: return NaN;
    }
  }

  private applySet(col: number, f: number, v: number): void {
    const r = this.w(f);
    const i = f & ROWS_MASK;
    switch (col) {
      case Col.FLAGS: r.flags[i] = v; break;
      case Col.REFCOUNT: r.refcount[i] = v; break;
      case Col.MAPCOUNT: r.mapcount[i] = v; break;
      case Col.PINS: r.pins[i] = v; break;
      case Col.NODE: r.node[i] = v; break;
      case Col.PFN: r.pfn[i] = v; break;
      case Col.ORDER: r.order[i] = v; break;
      case Col.ZONE: r.zone[i] = v; break;
      case Col.KIND: r.kind[i] = v; break;
      case Col.MAPPING: r.mapping[i] = v; break;
      case Col.RECORD: r.record[i] = v; break;
      case Col.PARENT: r.parent[i] = v; break;
      case Col.ANON_VMA_REF: r.anonVmaRef[i] = v; break;
      case Col.SUCC: r.succ[i] = v; break;
      default: throw new Error(`unknown folio column ${col}`);
    }
  }

  /** An Int32Array column (refcount, mapcount, pins, mapping, record, parent, anon_vma ref, succ): no switch. */
  private setInt(col: number, f: FolioId, v: number): void {
    const i = f & ROWS_MASK;
    if (this.rows[f >> ROWS_SHIFT].i32[col][i] === v) return;
    this.logSet(col, f, v);
    this.w(f).i32[col][i] = v;
  }
  /** The flags, the one hot column that is not an Int32Array. */
  setFlags(f: FolioId, v: number): void {
    if (this.rows[f >> ROWS_SHIFT].flags[f & ROWS_MASK] === v) return;
    this.logSet(Col.FLAGS, f, v);
    this.w(f).flags[f & ROWS_MASK] = v;
  }
  setFlag(f: FolioId, flag: number, on = true): void {
    const old = this.flags(f);
    this.setFlags(f, (on ? old | flag : old & ~flag) >>> 0);
  }
  clearFlag(f: FolioId, flag: number): void {
    this.setFlag(f, flag, false);
  }
  addRef(f: FolioId, d: number): void {
    this.setInt(Col.REFCOUNT, f, this.refcount(f) + d);
  }
  addMapcount(f: FolioId, d: number): void {
    this.setInt(Col.MAPCOUNT, f, this.mapcount(f) + d);
  }

  // ------------------------------------------------------------ lists

  /** A new, empty `struct list_head` (LIST_HEAD(name) in the modelled function). */
  newList(name: string): ListId {
    const id = this.lists.length;
    if (this.log) this.log.push(Op.LIST_NEW, id, this.log.obj(name), 0);
    this.lists.push({ name, head: -1, tail: -1, count: 0, live: true, stamp: this.stamp });
    return id;
  }

  /** The modelled function returned: its local list must be empty by then. */
  freeList(l: ListId): void {
    this.log?.push(Op.LIST_FREE, l, 0, 0);
    this.wl(l).live = false;
  }

  listName(l: ListId): string {
    return l >= 0 && l < this.lists.length ? this.lists.at(l).name : '?';
  }
  listCount(l: ListId): number {
    return this.lists.at(l).count;
  }
  listEmpty(l: ListId): boolean {
    return this.lists.at(l).count === 0;
  }
  listFirst(l: ListId): FolioId {
    return this.lists.at(l).head;
  }
  /** Folios of a list in order (a copy: safe to mutate the list while iterating). */
  listItems(l: ListId): FolioId[] {
    const out: FolioId[] = [];
    for (let f = this.lists.at(l).head; f !== -1; f = this.next(f)) out.push(f);
    return out;
  }

  listAddTail(l: ListId, f: FolioId): void {
    this.log?.push(Op.LIST_ADD_TAIL, l, f, 0);
    this.applyAddTail(l, f);
  }
  /**
   * folio_isolate_lru()'s changes in one record (a million-folio mbind isolates a
   * million folios): off the LRU and isolated, one more reference, onto `l`, and
   * `counter` (NR_ISOLATED_ANON or _FILE) raised by the folio's pages.
   */
  isolateLru(l: ListId, f: FolioId, counter: number): void {
    const log = this.log;
    if (log) {
      log.push(Op.ISOLATE_LRU, l, f, counter);
      // the replay reads these three: a later SET in this window must not rewrite one before the record
      log.forgetSet(Col.FLAGS, f);
      log.forgetSet(Col.REFCOUNT, f);
      log.forgetSet(Col.ORDER, f);
    }
    this.applyIsolateLru(l, f, counter);
  }
  private applyIsolateLru(l: ListId, f: FolioId, counter: number): void {
    const r = this.w(f);
    const i = f & ROWS_MASK;
    r.flags[i] = ((r.flags[i] & ~F.LRU) | F.ISOLATED) >>> 0;
    r.refcount[i] += 1;
    this.applyAddTail(l, f);
    this.vmstat[counter] += 2 ** r.order[i];
  }
  listAddHead(l: ListId, f: FolioId): void {
    this.log?.push(Op.LIST_ADD_HEAD, l, f, 0);
    this.applyInsertAfter(l, f, -1);
  }
  /** list_add(&f->lru, &prev->lru): insert after `prev` (-1 = at the head). */
  listInsertAfter(l: ListId, f: FolioId, prev: FolioId): void {
    this.log?.push(Op.LIST_INSERT_AFTER, l, f, prev);
    this.applyInsertAfter(l, f, prev);
  }
  listDel(f: FolioId): void {
    if (this.list(f) === 0) return;
    this.log?.push(Op.LIST_DEL, 0, f, 0);
    this.applyDel(f);
  }
  /** list_move_tail */
  listMoveTail(l: ListId, f: FolioId): void {
    if (this.list(f) === 0) {
      this.listAddTail(l, f);
      return;
    }
    this.log?.push(Op.LIST_MOVE_TAIL, l, f, 0);
    this.applyDel(f);
    this.applyAddTail(l, f);
  }
  /** list_splice_init(src, dst) at dst's head (`head=true`) or list_splice_tail_init (`head=false`). */
  listSplice(src: ListId, dst: ListId, head: boolean): void {
    this.log?.push(Op.LIST_SPLICE, src, dst, head ? 1 : 0);
    this.applySplice(src, dst, head);
  }

  /**
   * list_cut_before(dst, src, entry): the folios of `src` before `entry` go to the tail of
   * `dst`, in order (entry -1: all of them). One record however many folios move.
   */
  listCutBefore(dst: ListId, src: ListId, entry: FolioId): void {
    if (entry !== -1 && this.list(entry) !== src) throw new Error(`list_cut_before: folio ${this.folioName(entry)} is not on ${this.listName(src)}`);
    this.log?.push(Op.LIST_CUT_BEFORE, src, dst, entry);
    this.applyCutBefore(src, dst, entry);
  }

  private setLinks(f: number, list: number, prev: number, next: number): void {
    const r = this.w(f);
    const i = f & ROWS_MASK;
    r.list[i] = list;
    r.prev[i] = prev;
    r.next[i] = next;
  }
  private setNext(f: number, next: number): void {
    this.w(f).next[f & ROWS_MASK] = next;
  }
  private setPrev(f: number, prev: number): void {
    this.w(f).prev[f & ROWS_MASK] = prev;
  }

  private applyAddTail(l: number, f: number): void {
    if (this.list(f) !== 0) throw new Error(`list_add: folio ${this.folioName(f)} is already on ${this.listName(this.list(f))}`);
    const L = this.wl(l);
    this.setLinks(f, l, L.tail, -1);
    if (L.tail === -1) L.head = f;
    else this.setNext(L.tail, f);
    L.tail = f;
    L.count++;
  }
  private applyInsertAfter(l: number, f: number, prev: number): void {
    if (this.list(f) !== 0) throw new Error(`list_add: folio ${this.folioName(f)} is already on ${this.listName(this.list(f))}`);
    const L = this.wl(l);
    const nxt = prev === -1 ? L.head : this.next(prev);
    this.setLinks(f, l, prev, nxt);
    if (prev === -1) L.head = f;
    else this.setNext(prev, f);
    if (nxt === -1) L.tail = f;
    else this.setPrev(nxt, f);
    L.count++;
  }
  private applyDel(f: number): void {
    const l = this.list(f);
    if (l === 0) return;
    const L = this.wl(l);
    const p = this.prev(f);
    const n = this.next(f);
    if (p === -1) L.head = n;
    else this.setNext(p, n);
    if (n === -1) L.tail = p;
    else this.setPrev(n, p);
    L.count--;
    this.setLinks(f, 0, -1, -1);
  }
  private applySplice(src: number, dst: number, head: boolean): void {
    if (this.lists.at(src).count === 0) return;
    const S = this.wl(src);
    const D = this.wl(dst);
    for (let f = S.head; f !== -1; f = this.next(f)) this.w(f).list[f & ROWS_MASK] = dst;
    if (D.count === 0) {
      D.head = S.head;
      D.tail = S.tail;
    } else if (head) {
      this.setNext(S.tail, D.head);
      this.setPrev(D.head, S.tail);
      D.head = S.head;
    } else {
      this.setNext(D.tail, S.head);
      this.setPrev(S.head, D.tail);
      D.tail = S.tail;
    }
    D.count += S.count;
    S.head = S.tail = -1;
    S.count = 0;
  }

  private applyCutBefore(src: number, dst: number, entry: number): void {
    if (entry === -1) return this.applySplice(src, dst, false);
    if (this.lists.at(src).head === entry) return;
    const S = this.wl(src);
    const D = this.wl(dst);
    const first = S.head;
    let last = -1;
    let n = 0;
    for (let f = first; f !== entry; f = this.next(f)) {
      this.w(f).list[f & ROWS_MASK] = dst;
      last = f;
      n++;
    }
    this.setNext(last, -1);
    this.setPrev(entry, -1);
    S.head = entry;
    S.count -= n;
    this.setPrev(first, D.tail);
    if (D.tail === -1) D.head = first;
    else this.setNext(D.tail, first);
    D.tail = last;
    D.count += n;
  }

  // ------------------------------------------------------------ page tables

  getPte(mm: number, vpn: number): number {
    return this.ptes.get(pteKey(mm, vpn)) ?? 0;
  }
  getPmd(mm: number, pmdVpn: number): number {
    return this.pmds.get(pteKey(mm, pmdVpn)) ?? 0;
  }

  /** Writes a PTE (0 = pte_none). Mapcount/refcount are the caller's business, as in the kernel. */
  setPte(mm: number, vpn: number, entry: number): void {
    const key = pteKey(mm, vpn);
    const log = this.log;
    if (log) log.push(Op.PTE_SET, 0, log.w(key), log.w(entry));
    this.applyPte(this.ptes, key, entry, false);
  }
  /** Writes a PMD entry; `pmdVpn` is the vpn of the first page the PMD covers. */
  setPmd(mm: number, pmdVpn: number, entry: number): void {
    const key = pteKey(mm, pmdVpn);
    const log = this.log;
    if (log) log.push(Op.PMD_SET, 0, log.w(key), log.w(entry));
    this.applyPte(this.pmds, key, entry, true);
  }

  private applyPte(map: Map<number, number>, key: number, entry: number, pmd: boolean): void {
    const old = map.get(key) ?? 0;
    const rk = pmd ? -key - 1 : key;
    if (old !== 0 && pteType(old) !== Pte.SWAP) this.rmapRemove(pteFolio(old), rk);
    if (entry === 0) map.delete(key);
    else {
      map.set(key, entry);
      if (pteType(entry) !== Pte.SWAP) this.rmapAdd(pteFolio(entry), rk);
    }
  }
  private rmapAdd(f: number, rk: number): void {
    const a = this.rmap.get(f);
    if (a) a.push(rk);
    else this.rmap.set(f, [rk]);
  }
  private rmapRemove(f: number, rk: number): void {
    const a = this.rmap.get(f);
    if (!a) return;
    const i = a.indexOf(rk);
    if (i >= 0) a.splice(i, 1);
    if (a.length === 0) this.rmap.delete(f);
  }

  /**
   * Page-table slots that reference a folio (present, migration or device entries),
   * in the order they were installed: `{ mm, vpn, pmd }`. This is the rmap walk.
   */
  rmapOf(f: FolioId): { mm: number; vpn: number; pmd: boolean }[] {
    const a = this.rmap.get(f);
    if (!a) return [];
    return a.map((rk) => {
      const pmd = rk < 0;
      const key = pmd ? -rk - 1 : rk;
      return { mm: keyMm(key), vpn: keyVpn(key), pmd };
    });
  }
  rmapCount(f: FolioId): number {
    return this.rmap.get(f)?.length ?? 0;
  }

  // ------------------------------------------------------------ processes

  setProcess(p: Process): void {
    if (this.log) this.log.push(Op.PROC_SET, p.id, this.log.obj(p), 0);
    this.procs[p.id] = p;
  }
  procByName(name: string): Process | undefined {
    return this.procs.find((p) => p && p.name === name);
  }
  findVma(p: Process, addr: number): Vma | undefined {
    for (const v of p.vmas) if (addr >= v.start && addr < v.end) return v;
    return undefined;
  }

  // ------------------------------------------------------------ frames and locals

  /**
   * Enter a modelled kernel function: a new frame whose locals start at 0. Under a trace
   * (log.coalesce) the frame is logged only when an event sees it (flushFrames, called by
   * Trace.emit): a frame popped before the next event leaves no record, and a logged frame's
   * locals are written as they are at that event. Nothing else in the log depends on frames.
   */
  pushFrame(fn: FnSchema): number {
    const log = this.log;
    if (log && !log.coalesce) {
      log.push(Op.FRAME_PUSH, fn.id, 0, 0);
      this.loggedFrames = this.frames.length + 1;
    }
    this.applyPush(fn.id);
    return this.frames.length - 1;
  }
  popFrame(): void {
    if (this.log && this.frames.length <= this.loggedFrames) {
      this.log.push(Op.FRAME_POP, 0, 0, 0);
      this.loggedFrames = this.frames.length - 1;
    }
    this.applyPop();
  }
  /** Logs the frames pushed since the last event, with their current locals (Trace.emit calls this before recording an event). */
  flushFrames(): void {
    const log = this.log;
    if (!log) return;
    for (let d = this.loggedFrames; d < this.frames.length; d++) {
      const fn = this.frames[d];
      log.push(Op.FRAME_PUSH, fn, 0, 0);
      const base = this.frameBase[d];
      const n = fnSchemas[fn].locals.length;
      for (let slot = 0; slot < n; slot++) {
        const v = this.locals[base + slot];
        if (v !== 0) this.logLocal(log, d, slot, v);
      }
    }
    this.loggedFrames = this.frames.length;
  }
  setLocal(depth: number, slot: number, v: number): void {
    if (this.locals[this.frameBase[depth] + slot] === v) return;
    // a frame not logged yet gets its locals written when an event sees it
    if (this.log && depth < this.loggedFrames) this.logLocal(this.log, depth, slot, v);
    this.locals[this.frameBase[depth] + slot] = v;
  }
  private logLocal(log: MutationLog, depth: number, slot: number, v: number): void {
    if (fitsInt32(v)) log.push(Op.LOCAL_SET, depth, slot, v);
    else log.push(Op.LOCAL_SET_WIDE, depth, slot, log.w(v));
  }
  getLocal(depth: number, slot: number): number {
    return this.locals[this.frameBase[depth] + slot];
  }
  addLocal(depth: number, slot: number, d: number): void {
    this.setLocal(depth, slot, this.locals[this.frameBase[depth] + slot] + d);
  }
  private applyPush(fn: number): void {
    const n = fnSchemas[fn].locals.length;
    const top = this.localsTop;
    if (top + n > this.locals.length) this.locals = growTo(this.locals, top + n);
    // a loop, not fill(): frames have a handful of locals and fill's call costs more
    const locals = this.locals;
    for (let k = top; k < top + n; k++) locals[k] = 0;
    this.frames.push(fn);
    this.frameBase.push(this.localsTop);
    this.localsTop += n;
  }
  private applyPop(): void {
    this.frames.pop();
    this.localsTop = this.frameBase.pop() ?? 0;
  }
  /** The call stack, outermost first, with each frame's locals by name. */
  callStack(): { fn: string; locals: Record<string, number> }[] {
    return this.frames.map((fn, d) => {
      const s = fnSchemas[fn];
      const locals: Record<string, number> = {};
      s.locals.forEach((name, i) => (locals[name] = this.locals[this.frameBase[d] + i]));
      return { fn: s.name, locals };
    });
  }

  // ------------------------------------------------------------ counters

  vmstatAdd(counter: number, d: number): void {
    if (d === 0) return;
    const log = this.log;
    if (log) {
      if (fitsInt32(d)) log.push(Op.VMSTAT_ADD, counter, 0, d);
      else log.push(Op.VMSTAT_ADD_WIDE, counter, 0, log.w(d));
    }
    this.vmstat[counter] += d;
  }
  setScalar(s: number, v: number): void {
    const log = this.log;
    if (log) {
      if (fitsInt32(v)) log.push(Op.SCALAR_SET, s, 0, v);
      else log.push(Op.SCALAR_SET_WIDE, s, 0, log.w(v));
    }
    this.scalars[s] = v;
  }

  // ------------------------------------------------------------ replay and checkpoints

  /** Re-applies log records [from, to) to this state (which must not be logging). */
  replay(log: MutationLog, from: number, to: number): void {
    log.forChunks(from, to, (op, a, b, c, lo, hi, base) => this.replayChunk(log, op, a, b, c, lo, hi, base));
  }

  private replayChunk(log: MutationLog, op: Uint8Array, a: Int32Array, b: Int32Array, c: Int32Array, lo: number, hi: number, base: number): void {
    const { wide, objects } = log;
    for (let i = lo; i < hi; i++) {
      switch (op[i]) {
        case Op.FOLIO_NEW: this.applyFolioNew(a[i]); break;
        case Op.FOLIO_ALLOC: this.applyFolioAlloc(a[i], b[i], c[i]); break;
        case Op.SET: this.applySet(a[i], b[i], c[i]); break;
        case Op.LIST_NEW: this.lists.set(a[i], { name: objects[b[i]] as string, head: -1, tail: -1, count: 0, live: true, stamp: this.stamp }); break;
        case Op.LIST_FREE: this.wl(a[i]).live = false; break;
        case Op.LIST_ADD_TAIL: this.applyAddTail(a[i], b[i]); break;
        case Op.LIST_ADD_HEAD: this.applyInsertAfter(a[i], b[i], -1); break;
        case Op.LIST_DEL: this.applyDel(b[i]); break;
        case Op.LIST_MOVE_TAIL: this.applyDel(b[i]); this.applyAddTail(a[i], b[i]); break;
        case Op.ISOLATE_LRU: this.applyIsolateLru(a[i], b[i], c[i]); break;
        case Op.LIST_INSERT_AFTER: this.applyInsertAfter(a[i], b[i], c[i]); break;
        case Op.LIST_SPLICE: this.applySplice(a[i], b[i], c[i] === 1); break;
        case Op.LIST_CUT_BEFORE: this.applyCutBefore(a[i], b[i], c[i]); break;
        case Op.SET_WIDE: this.applySet(a[i], b[i], wide[c[i]]); break;
        case Op.PTE_SET: this.applyPte(this.ptes, wide[b[i]], wide[c[i]], false); break;
        case Op.PMD_SET: this.applyPte(this.pmds, wide[b[i]], wide[c[i]], true); break;
        case Op.NODE_SET: {
          const col = a[i], n = b[i], v = c[i];
          if (col === NodeCol.FREE) this.nodeFree[n] = v;
          else if (col === NodeCol.MOVABLE_FREE) this.nodeMovFree[n] = v;
          else if (col === NodeCol.CMA_FREE) this.nodeCmaFree[n] = v;
          else this.nodeHugeFree[n] = v;
          break;
        }
        case Op.FRAME_PUSH: this.applyPush(a[i]); break;
        case Op.FRAME_POP: this.applyPop(); break;
        case Op.LOCAL_SET: this.locals[this.frameBase[a[i]] + b[i]] = c[i]; break;
        case Op.LOCAL_SET_WIDE: this.locals[this.frameBase[a[i]] + b[i]] = wide[c[i]]; break;
        case Op.VMSTAT_ADD: this.vmstat[a[i]] += c[i]; break;
        case Op.VMSTAT_ADD_WIDE: this.vmstat[a[i]] += wide[c[i]]; break;
        case Op.SCALAR_SET: this.scalars[a[i]] = c[i]; break;
        case Op.SCALAR_SET_WIDE: this.scalars[a[i]] = wide[c[i]]; break;
        case Op.PROC_SET: this.procs[a[i]] = objects[b[i]] as Process; break;
        case Op.NAME_SET: this.names.set(a[i], objects[b[i]] as string); break;
        default: throw new Error(`replay: unknown op ${op[i]} at ${base + i}`);
      }
    }
  }

  /** The whole state by reference: the folio chunks are shared until either side writes one. */
  snapshot(): Snapshot {
    const bytes = 1024 + (this.ptes.size + this.pmds.size) * 40 + this.localsTop * 8 + this.rows.length * 8 + this.lists.shareBytes() + this.madeBytes + this.lists.madeBytes;
    const snap: Snapshot = {
      nFolios: this.nFolios,
      rows: this.rows.slice(),
      bytes,
      lists: this.lists.share(),
      ptes: new Map(this.ptes),
      pmds: new Map(this.pmds),
      nodeFree: this.nodeFree.slice(),
      nodeMovFree: this.nodeMovFree.slice(),
      nodeCmaFree: this.nodeCmaFree.slice(),
      nodeHugeFree: this.nodeHugeFree.slice(),
      frames: this.frames.slice(),
      frameBase: this.frameBase.slice(),
      locals: this.locals.slice(0, this.localsTop),
      localsTop: this.localsTop,
      vmstat: this.vmstat.slice(),
      scalars: this.scalars.slice(),
      procs: this.procs.slice(),
      names: this.names.share(),
      pfnNext: new Map(this.pfnNext),
    };
    this.shareAll();
    return snap;
  }

  /** From now on every folio chunk and list record this state holds is shared: the next write to one copies it. */
  private shareAll(): void {
    this.stamp = newStamp();
    this.madeBytes = 0;
    this.lists.madeBytes = 0;
  }

  restore(s: Snapshot): void {
    for (const r of this.rows) if (r.stamp === this.stamp && this.spareRows.length < MAX_SPARE_ROWS) this.spareRows.push(r);
    this.rows = s.rows.slice();
    this.nFolios = s.nFolios;
    this.shareAll();
    this.lists = s.lists.share();
    this.ptes = new Map(s.ptes);
    this.pmds = new Map(s.pmds);
    this.rmap = new Map();
    for (const [k, e] of this.ptes) if (pteType(e) !== Pte.SWAP) this.rmapAdd(pteFolio(e), k);
    for (const [k, e] of this.pmds) if (pteType(e) !== Pte.SWAP) this.rmapAdd(pteFolio(e), -k - 1);
    this.nodeFree = s.nodeFree.slice();
    this.nodeMovFree = s.nodeMovFree.slice();
    this.nodeCmaFree = s.nodeCmaFree.slice();
    this.nodeHugeFree = s.nodeHugeFree.slice();
    this.frames = s.frames.slice();
    this.frameBase = s.frameBase.slice();
    this.loggedFrames = this.frames.length; // a restored state's frames are all in its snapshot
    this.locals = growTo(this.locals, s.localsTop);
    this.locals.set(s.locals);
    this.localsTop = s.localsTop;
    this.vmstat = s.vmstat.slice();
    this.scalars = s.scalars.slice();
    this.procs = s.procs.slice();
    this.names = s.names.share();
    this.pfnNext = new Map(s.pfnNext);
  }

  /** Copy of the machine setup (page sizes, node specs) for a replay state. */
  cloneConfig(): MemState {
    const s = new MemState(null);
    s.pageSize = this.pageSize;
    s.pmdSize = this.pmdSize;
    s.nodeSpecs = this.nodeSpecs;
    return s;
  }
}
