// How commands talk to the terminal: injected so tests can capture the output.

export interface CliIo {
  out: (s: string) => void;
  err: (s: string) => void;
  /** stderr is a terminal: progress bars are drawn there */
  tty: boolean;
  columns?: number;
}

export function processIo(): CliIo {
  return {
    out: (s) => process.stdout.write(s.endsWith('\n') ? s : s + '\n'),
    err: (s) => process.stderr.write(s.endsWith('\n') ? s : s + '\n'),
    tty: Boolean(process.stderr.isTTY) && Boolean(process.stdout.isTTY),
    columns: process.stderr.columns,
  };
}

/** A one-line progress bar on stderr, redrawn in place; nothing at all when not a terminal. */
export class Progress {
  private last = 0;
  constructor(
    private io: CliIo,
    private label: string,
  ) {}
  update(done: number, total: number | undefined, what: string): void {
    if (!this.io.tty) return;
    const now = Date.now();
    if (now - this.last < 100) return;
    this.last = now;
    const width = Math.max(40, (this.io.columns ?? 80) - 1);
    let bar = '';
    if (total) {
      const w = 24;
      const fill = Math.round((Math.min(done, total) / total) * w);
      bar = `[${'#'.repeat(fill)}${'.'.repeat(w - fill)}] `;
    }
    process.stderr.write(`\r${`${this.label} ${bar}${what}`.slice(0, width).padEnd(width)}`);
  }
  done(): void {
    if (this.io.tty && this.last) process.stderr.write(`\r${' '.repeat(Math.max(40, (this.io.columns ?? 80) - 1))}\r`);
  }
}
