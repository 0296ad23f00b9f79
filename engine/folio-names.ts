// Folio display names, kept in chunks of folio ids so that a checkpoint shares the chunks and
// copies none: a snapshot is `share()` (one array of chunk references), and whichever side
// changes a shared chunk afterwards copies that chunk first. A plain Map copied into every
// checkpoint cost one entry per folio per checkpoint: quadratic on a million-folio trace.

const SHIFT = 11;

export class FolioNames implements Iterable<[number, string]> {
  private chunks: (Map<number, string> | undefined)[] = [];
  /** chunk c may be changed in place (no snapshot holds it) */
  private owned: boolean[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(f: number): string | undefined {
    return this.chunks[f >> SHIFT]?.get(f);
  }

  has(f: number): boolean {
    return this.chunks[f >> SHIFT]?.has(f) ?? false;
  }

  set(f: number, name: string): void {
    const c = f >> SHIFT;
    let m = this.chunks[c];
    if (!m) {
      m = new Map();
      this.chunks[c] = m;
      this.owned[c] = true;
    } else if (!this.owned[c]) {
      m = new Map(m);
      this.chunks[c] = m;
      this.owned[c] = true;
    }
    if (!m.has(f)) this.count++;
    m.set(f, name);
  }

  /** In folio-id chunk order, and in the order names were set within a chunk. */
  *[Symbol.iterator](): IterableIterator<[number, string]> {
    for (const m of this.chunks) if (m) yield* m;
  }

  /** A copy that shares every chunk with this table; from now on both copy a chunk before changing it. */
  share(): FolioNames {
    const t = new FolioNames();
    t.chunks = this.chunks.slice();
    t.owned = new Array<boolean>(t.chunks.length).fill(false);
    t.count = this.count;
    this.owned.fill(false);
    return t;
  }
}
