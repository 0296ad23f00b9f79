// The folio columns of a MemState, stored in chunks of ROWS folios. A chunk is
// shared, never copied, by every snapshot and state that has it, until one of them
// writes to it (copy on write). So a snapshot or a restore costs one pointer per
// chunk, whatever the number of folios, and a replay copies only the chunks it
// writes: the debugger's far jumps in a trace of millions of folios no longer copy
// the rows that differ between two moments.

export const ROWS_SHIFT = 11;
export const ROWS = 1 << ROWS_SHIFT;
export const ROWS_MASK = ROWS - 1;

/** bytes of one folio row over all columns */
export const ROW_BYTES = 4 + 4 + 4 + 4 + 2 + 8 + 1 + 1 + 1 + 4 + 4 + 4 + 4 + 4 + 4 + 4 + 4;

/**
 * A unique number per (state, moment it last shared its chunks): a chunk whose
 * stamp is its state's current stamp was made by that state since, and no one else
 * holds it, so it can be written in place.
 */
let lastStamp = 0;
export function newStamp(): number {
  return ++lastStamp;
}

/** Column codes for Op.SET */
export const Col = {
  FLAGS: 0,
  REFCOUNT: 1,
  MAPCOUNT: 2,
  PINS: 3,
  NODE: 4,
  PFN: 5,
  ORDER: 6,
  ZONE: 7,
  KIND: 8,
  MAPPING: 9,
  RECORD: 10, // dst->private: old page state bits recorded by migrate_folio_unmap
  PARENT: 11, // folio this one was split from (-1 = none)
  ANON_VMA_REF: 12, // anon_vma references taken by migration on this folio
  SUCC: 13, // the folio this one's contents moved to (migration or split), -1 = none
} as const;

/** the columns stored as Int32Array, by code and field: FolioRows.i32 holds their views by code */
const INT32_COLS = [
  [Col.REFCOUNT, 'refcount'],
  [Col.MAPCOUNT, 'mapcount'],
  [Col.PINS, 'pins'],
  [Col.MAPPING, 'mapping'],
  [Col.RECORD, 'record'],
  [Col.PARENT, 'parent'],
  [Col.ANON_VMA_REF, 'anonVmaRef'],
  [Col.SUCC, 'succ'],
] as const;
const IS_INT32 = new Uint8Array(16);
for (const [c] of INT32_COLS) IS_INT32[c] = 1;
export function isInt32Col(col: number): boolean {
  return IS_INT32[col] === 1;
}
/** what i32 holds for a column that is not an Int32Array (never read: isInt32Col guards it) */
const NOT_INT32 = new Int32Array(0);

/** ROWS folio rows, every column, in one buffer. */
export class FolioRows {
  readonly buf: ArrayBuffer;
  readonly pfn: Float64Array;
  readonly flags: Uint32Array;
  readonly refcount: Int32Array;
  readonly mapcount: Int32Array;
  readonly pins: Int32Array;
  readonly mapping: Int32Array;
  readonly record: Int32Array;
  readonly parent: Int32Array;
  readonly anonVmaRef: Int32Array;
  readonly succ: Int32Array;
  readonly list: Int32Array;
  readonly prev: Int32Array;
  readonly next: Int32Array;
  readonly node: Int16Array;
  readonly order: Uint8Array;
  readonly zone: Uint8Array;
  readonly kind: Uint8Array;
  /**
   * The Int32Array columns by column code (NOT_INT32 elsewhere): one write path for all of them,
   * with a single typed-array kind, instead of a switch per column.
   */
  readonly i32: Int32Array[];
  /** the whole buffer, for copying a chunk into another */
  private readonly bytes: Uint8Array;

  /** A copy of `src` (or zeroed rows) that belongs to the state holding `stamp`. */
  constructor(
    src: FolioRows | null,
    public stamp: number,
  ) {
    const b = (this.buf = src ? src.buf.slice(0) : new ArrayBuffer(ROWS * ROW_BYTES));
    // widest first, so every view is aligned (ROWS is a multiple of 8)
    let o = 0;
    const at = (size: number) => {
      const r = o;
      o += ROWS * size;
      return r;
    };
    this.pfn = new Float64Array(b, at(8), ROWS);
    this.flags = new Uint32Array(b, at(4), ROWS);
    this.refcount = new Int32Array(b, at(4), ROWS);
    this.mapcount = new Int32Array(b, at(4), ROWS);
    this.pins = new Int32Array(b, at(4), ROWS);
    this.mapping = new Int32Array(b, at(4), ROWS);
    this.record = new Int32Array(b, at(4), ROWS);
    this.parent = new Int32Array(b, at(4), ROWS);
    this.anonVmaRef = new Int32Array(b, at(4), ROWS);
    this.succ = new Int32Array(b, at(4), ROWS);
    this.list = new Int32Array(b, at(4), ROWS);
    this.prev = new Int32Array(b, at(4), ROWS);
    this.next = new Int32Array(b, at(4), ROWS);
    this.node = new Int16Array(b, at(2), ROWS);
    this.order = new Uint8Array(b, at(1), ROWS);
    this.zone = new Uint8Array(b, at(1), ROWS);
    this.kind = new Uint8Array(b, at(1), ROWS);
    if (o !== ROWS * ROW_BYTES) throw new Error('FolioRows: ROW_BYTES does not match the columns');
    const i32: Int32Array[] = [];
    for (let c = 0; c <= Col.SUCC; c++) i32.push(NOT_INT32);
    for (const [c, field] of INT32_COLS) i32[c] = this[field];
    this.i32 = i32;
    this.bytes = new Uint8Array(b);
  }

  /** Turns this chunk, which nothing else holds, into a copy of `src` for the state holding `stamp`. */
  copyFrom(src: FolioRows, stamp: number): this {
    this.bytes.set(src.bytes);
    this.stamp = stamp;
    return this;
  }
}
