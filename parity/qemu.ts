// Boots one kernel in QEMU (software emulation, -cpu max, nodes 0 and 1 for the
// scenarios plus a memory-only node 2 for the harness) and returns what the
// runner printed on the second serial port. A boot that dies early (Oops, BUG,
// panic, no end marker) is retried: Debian's 6.12 image oopses in early boot
// under TCG in roughly a third of boots on this machine kind (docs/kernel-findings.md).
// QEMU is killed on timeout and when this process exits; nothing is left running.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BootOptions {
  image: string;
  initrd: string;
  /** movablecore= in bytes (0: none) */
  movableBytes?: bigint;
  /** per attempt; default 90 s + 20 s per case */
  timeoutMs?: number;
  /** attempts in all (default 10: each early death costs only a few seconds) */
  attempts?: number;
  onAttempt?: (attempt: number, why?: string) => void;
  /** a boot whose tracepoint or kretprobe could not be set is a damaged boot (the pinned kernels have both) */
  requireTracing?: boolean;
}

export interface BootResult {
  ok: boolean;
  /** the runner's output (between and including the marker lines), \r stripped */
  output: string;
  console: string;
  attempts: number;
  ms: number;
  /** why the last attempt failed */
  error?: string;
}

/** from QEMU's start to the runner's first line; a normal boot takes 5–20 s here */
const BEGIN_MS = 60_000;

const DIED = /\b(Oops|BUG:|Kernel panic)/;

const live = new Set<ChildProcess>();
let hooked = false;
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  const killAll = () => {
    for (const c of live) c.kill('SIGKILL');
  };
  process.on('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM'] as const)
    process.once(sig, () => {
      killAll();
      process.exit(130);
    });
}

export function qemuArgs(image: string, initrd: string, results: string, consoleLog: string, movableBytes = 0n): string[] {
  const append = ['console=ttyS0', 'quiet', 'panic=-1'];
  if (movableBytes > 0n) append.push(`movablecore=${(movableBytes + (1n << 20n) - 1n) >> 20n}M`);
  return [
    '-cpu', 'max', '-smp', '2', '-m', '2304M',
    '-object', 'memory-backend-ram,size=1G,id=m0',
    '-object', 'memory-backend-ram,size=1G,id=m1',
    '-object', 'memory-backend-ram,size=256M,id=m2',
    '-numa', 'node,nodeid=0,cpus=0,memdev=m0',
    '-numa', 'node,nodeid=1,cpus=1,memdev=m1',
    '-numa', 'node,nodeid=2,memdev=m2',
    '-kernel', image, '-initrd', initrd,
    '-append', append.join(' '),
    '-display', 'none', '-monitor', 'none', '-no-reboot',
    '-serial', `file:${consoleLog}`, '-serial', `file:${results}`,
  ];
}

function once(opts: BootOptions, timeoutMs: number): Promise<{ output: string; console: string; error?: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'migtrace-qemu-'));
  const results = join(dir, 'results.log');
  const consoleLog = join(dir, 'console.log');
  return new Promise((resolveP) => {
    let stderr = '';
    let timedOut = false;
    let stalled = false;
    const child = spawn('qemu-system-x86_64', qemuArgs(opts.image, opts.initrd, results, consoleLog, opts.movableBytes ?? 0n), { stdio: ['ignore', 'ignore', 'pipe'] });
    live.add(child);
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    // A boot that hangs early (seen on 6.12 under TCG) would otherwise cost the whole
    // timeout: the runner must have started within BEGIN_MS.
    const t0 = Date.now();
    let begun = false;
    // An Oops that does not panic (a kthread or a helper of init dies) leaves a damaged
    // boot running: stop it at once instead of waiting for the end.
    const watch = setInterval(() => {
      try {
        if (DIED.test(readFileSync(consoleLog, 'utf8'))) child.kill('SIGKILL');
      } catch {
        // no console output yet
      }
      if (begun) return;
      try {
        begun = readFileSync(results, 'utf8').includes('@@MIGTRACE-BEGIN');
      } catch {
        begun = false;
      }
      if (!begun && Date.now() - t0 > BEGIN_MS) {
        stalled = true;
        child.kill('SIGKILL');
      }
    }, 500);
    const finish = (spawnError?: Error) => {
      clearTimeout(timer);
      clearInterval(watch);
      live.delete(child);
      const read = (p: string) => (existsSync(p) ? readFileSync(p, 'utf8').replace(/\r/g, '') : '');
      const output = read(results);
      const cons = read(consoleLog);
      rmSync(dir, { recursive: true, force: true });
      let error: string | undefined;
      if (spawnError) error = `cannot start qemu-system-x86_64: ${spawnError.message} (run scripts/parity-setup.sh)`;
      else if (DIED.test(cons)) error = `kernel died: ${(/.*(Oops|BUG:|Kernel panic).*/.exec(cons) ?? [''])[0].trim()}`;
      else if (stalled) error = `the runner did not start within ${BEGIN_MS / 1000} s (boot hung)`;
      else if (timedOut) error = `timed out after ${Math.round(timeoutMs / 1000)} s`;
      else if (!output.includes('@@MIGTRACE-END')) error = `no end marker (qemu: ${stderr.trim().split('\n').pop() || 'exited'}; console: ${cons.trim().split('\n').slice(-1)[0] ?? ''})`;
      else error = degraded(output, opts.requireTracing ?? false);
      resolveP({ output, console: cons, error });
    };
    child.on('error', (e) => finish(e));
    child.on('exit', () => finish());
  });
}

/**
 * A boot can be damaged without an Oops on the console (a helper of init killed,
 * procfs unreadable): the runner's boot line must show the three nodes, readable
 * /proc/vmstat and its own pages on the harness node.
 */
export function degraded(output: string, requireTracing = false): string | undefined {
  const line = output.split('\n').find((l) => l.startsWith('{"t":"boot"'));
  if (!line) return 'degraded boot: no boot line from the runner';
  let b: { nodes?: number[]; vmstat?: boolean; own_pages?: number[]; event?: boolean; kprobe?: boolean };
  try {
    b = JSON.parse(line) as typeof b;
  } catch {
    return 'degraded boot: unreadable boot line';
  }
  if (!b.nodes || b.nodes.some((n) => n !== 1)) return `degraded boot: nodes ${JSON.stringify(b.nodes)}`;
  if (b.vmstat === false) return 'degraded boot: /proc/vmstat unreadable';
  if (requireTracing && !(b.event && b.kprobe)) return `degraded boot: tracing not set up (mm_migrate_pages ${b.event ? 'on' : 'off'}, kretprobe ${b.kprobe ? 'on' : 'off'})`;
  if (!b.own_pages || !(b.own_pages[2] > 0)) return `degraded boot: the runner's pages are not on the harness node (${JSON.stringify(b.own_pages)})`;
  return undefined;
}

export async function boot(opts: BootOptions, nCases = 1): Promise<BootResult> {
  hookExit();
  const attempts = opts.attempts ?? 10;
  const timeoutMs = opts.timeoutMs ?? 90_000 + 20_000 * nCases;
  const t0 = Date.now();
  let last: { output: string; console: string; error?: string } = { output: '', console: '' };
  for (let a = 1; a <= attempts; a++) {
    opts.onAttempt?.(a, last.error);
    last = await once(opts, timeoutMs);
    if (!last.error) return { ok: true, output: last.output, console: last.console, attempts: a, ms: Date.now() - t0 };
    // QEMU that cannot start at all will not start on a retry either.
    if (last.error.startsWith('cannot start')) break;
  }
  return { ok: false, output: last.output, console: last.console, attempts, ms: Date.now() - t0, error: last.error };
}

/** A scratch folder for one run (initramfs); removed by the caller. */
export function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'migtrace-parity-'));
}
