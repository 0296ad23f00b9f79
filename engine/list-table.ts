// The kernel lists of a MemState (one `struct list_head` each, by ListId), in chunks
// shared copy-on-write with snapshots, as the folio rows are. A long trace makes tens of
// thousands of lists (every migrate_pages_batch() call has its own), nearly all dead:
// copying the whole table at every checkpoint and every debugger jump cost up to 5 ms a
// jump and a quarter of a megabyte a checkpoint on a 10 M-event trace. Now a snapshot or
// a restore copies one reference per chunk, and a write copies the chunk it lands in.

const SHIFT = 10;
const SIZE = 1 << SHIFT;
const MASK = SIZE - 1;

export interface ListRec {
  name: string;
  head: number;
  tail: number;
  count: number;
  live: boolean;
  /** the state stamp that owns this record; any other state copies it before writing (as with folio chunks) */
  stamp: number;
}

interface Chunk {
  recs: ListRec[];
  /** the stamp of the state that may change `recs` in place */
  stamp: number;
}

export class ListTable implements Iterable<ListRec> {
  private chunks: Chunk[] = [];
  length = 0;
  /** bytes copied or made since the owner last reset this (what the next snapshot holds alone) */
  madeBytes = 0;

  /** List l as it is now (read only: write through `own`). */
  at(l: number): ListRec {
    return this.chunks[l >> SHIFT].recs[l & MASK];
  }

  /** List l made writable by the state holding `stamp` (its chunk and record copied first if shared). */
  own(l: number, stamp: number): ListRec {
    const c = this.ownChunk(l >> SHIFT, stamp);
    const L = c.recs[l & MASK];
    if (L.stamp === stamp) return L;
    this.madeBytes += 64;
    return (c.recs[l & MASK] = { ...L, stamp });
  }

  /** Sets list l (l ≤ length) to `rec`, which belongs to the state holding `stamp`. */
  set(l: number, rec: ListRec): void {
    const ci = l >> SHIFT;
    if (ci === this.chunks.length) {
      this.chunks.push({ recs: [], stamp: rec.stamp });
      this.madeBytes += SIZE * 8;
    }
    this.ownChunk(ci, rec.stamp).recs[l & MASK] = rec;
    if (l >= this.length) this.length = l + 1;
  }

  push(rec: ListRec): number {
    const l = this.length;
    this.set(l, rec);
    return l;
  }

  private ownChunk(ci: number, stamp: number): Chunk {
    const c = this.chunks[ci];
    if (c.stamp === stamp) return c;
    this.madeBytes += c.recs.length * 8;
    return (this.chunks[ci] = { recs: c.recs.slice(), stamp });
  }

  /** A table that shares every chunk with this one: whichever side writes a chunk next copies it (the caller changes its stamp). */
  share(): ListTable {
    const t = new ListTable();
    t.chunks = this.chunks.slice();
    t.length = this.length;
    return t;
  }

  /** bytes of the chunk references (what a share costs) */
  shareBytes(): number {
    return this.chunks.length * 8 + 64;
  }

  *[Symbol.iterator](): Iterator<ListRec> {
    for (let l = 0; l < this.length; l++) yield this.at(l);
  }
}
