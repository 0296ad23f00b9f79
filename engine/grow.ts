// Growable typed-array columns. The engine keeps folios, events and mutations in
// columns (struct of arrays) so that a million folios cost a few typed arrays, not
// a million objects; these helpers double a column when it fills up.

export type IntArray = Int32Array | Uint8Array | Uint16Array | Uint32Array | Int16Array | Int8Array;
export type NumArray = IntArray | Float64Array;

/** Returns `a` if it already holds `need` entries, else a copy at least twice as long. */
export function growTo<T extends NumArray>(a: T, need: number): T {
  if (need <= a.length) return a;
  let n = Math.max(16, a.length * 2);
  while (n < need) n *= 2;
  const b = new (a.constructor as new (len: number) => T)(n);
  b.set(a as unknown as ArrayLike<number>);
  return b;
}
