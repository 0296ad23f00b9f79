// Work that can pause: the parse, the symbol table and the checker are generators
// that yield between chunks, so the language server can answer requests between
// them on a huge document (server/analysis.ts drives them across turns of its
// event loop). runSteps runs them to the end at once.

export type Steps<T> = Generator<void, T, void>;

/** Runs the steps to the end without pausing. */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * Calls `each(from, to)` over [0, n) in chunks of `every` items, pausing between chunks.
 * The per-item work stays in plain functions: a loop inside a generator runs slower.
 */
export function* inChunks(n: number, every: number, each: (from: number, to: number) => void): Steps<void> {
  const step = Number.isFinite(every) && every >= 1 ? Math.floor(every) : n;
  for (let from = 0; from < n; from += step) {
    if (from > 0) yield;
    each(from, Math.min(n, from + step));
  }
}
