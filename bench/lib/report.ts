// Printing a table to stdout and writing the machine-readable figures to
// bench/out/<name>.json (git-ignored), so run-all and the README read the same numbers.
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { cpus, loadavg } from 'node:os';

/** bench/out beside this file; a bench bundled into one file elsewhere (the README's bundled runs, started from the repository root) writes to ./bench/out */
export const OUT_DIR = basename(__dirname) === 'lib' ? resolve(__dirname, '..', 'out') : resolve('bench', 'out');

export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => '| ' + cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ') + ' |';
  return [line(headers), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...rows.map(line)].join('\n');
}

export function machine(): { node: string; cpu: string; cores: number; loadavg: number[]; date: string } {
  const c = cpus();
  // the load average is recorded because other work on the machine inflates every figure
  return { node: process.version, cpu: c[0]?.model ?? 'unknown', cores: c.length, loadavg: loadavg(), date: new Date().toISOString() };
}

/** One line describing the machine, printed before the figures. */
export function machineLine(): string {
  const m = machine();
  return `Node ${m.node}, ${m.cores} × ${m.cpu}, load average ${m.loadavg.map((x) => x.toFixed(2)).join(' ')}`;
}

export function writeResult(name: string, data: unknown): string {
  mkdirSync(OUT_DIR, { recursive: true });
  const file = join(OUT_DIR, `${name}.json`);
  writeFileSync(file, JSON.stringify({ machine: machine(), ...(data as object) }, null, 2) + '\n');
  return file;
}
