// Summary statistics over latency samples. p99 uses the nearest-rank method, so
// with fewer than 100 samples it is the maximum: the figure never flatters us.

export interface Summary {
  n: number;
  median: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
}

function rank(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new Error('summarize: no samples');
  const sorted = [...samples].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const mean = sorted.reduce((s, x) => s + x, 0) / sorted.length;
  return { n: sorted.length, median, p99: rank(sorted, 0.99), mean, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

/** Milliseconds with a precision that suits the magnitude. */
export function ms(x: number | undefined): string {
  if (x === undefined || Number.isNaN(x)) return 'n/a';
  if (x < 1) return x.toFixed(3);
  if (x < 100) return x.toFixed(2);
  return x.toFixed(0);
}

/**
 * Least-squares slope of log(time) against log(size): 1 means linear growth,
 * 2 quadratic. Used to show that no step of a pipeline is quadratic.
 */
export function growthExponent(points: readonly { size: number; time: number }[]): number {
  const xs = points.map((p) => Math.log(p.size));
  const ys = points.map((p) => Math.log(p.time));
  const mx = xs.reduce((s, x) => s + x, 0) / xs.length;
  const my = ys.reduce((s, y) => s + y, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return num / den;
}
