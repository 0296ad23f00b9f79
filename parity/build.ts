// Builds what the guest runs: the static runner (once per version of runner.c)
// and one initramfs holding busybox, the runner and every action list of a run.

import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { REPO, cacheDir } from './images';

const RUNNER_SRC = join(REPO, 'parity', 'runner', 'runner.c');

/** gcc -O2 -static, cached by the source's hash. */
export function buildRunner(): string {
  const src = readFileSync(RUNNER_SRC);
  const hash = createHash('sha256').update(src).digest('hex').slice(0, 16);
  const dir = join(cacheDir(), 'runner');
  const out = join(dir, `runner-${hash}`);
  if (existsSync(out)) return out;
  mkdirSync(dir, { recursive: true });
  const tmp = `${out}.tmp${process.pid}`;
  const r = spawnSync('gcc', ['-O2', '-static', '-Wall', '-o', tmp, RUNNER_SRC], { encoding: 'utf8' });
  if (r.error) throw new Error(`cannot run gcc (${r.error.message}); run scripts/parity-setup.sh`);
  if (r.status !== 0) throw new Error(`gcc failed on parity/runner/runner.c:\n${r.stderr}`);
  renameSync(tmp, out);
  return out;
}

function busybox(): string {
  for (const p of ['/bin/busybox', '/usr/bin/busybox']) if (existsSync(p)) return p;
  throw new Error('busybox (static) is missing; run scripts/parity-setup.sh');
}

const INIT = `#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sys /sys
/bin/busybox mount -t devtmpfs dev /dev
/bin/busybox mount -t tracefs tracefs /sys/kernel/tracing
/bin/busybox mount -t tmpfs tmp /tmp
/bin/runner /cases/*.act
echo "@@INIT-DONE"
/bin/busybox poweroff -f
`;

export interface CaseFile {
  /** file name inside the initramfs (cases run in name order) */
  id: string;
  actions: string;
}

/** Packs an initramfs (newc cpio, gzip) and returns its path; the caller removes `dir` when done. */
export function buildInitramfs(cases: CaseFile[], dir = mkdtempSync(join(tmpdir(), 'migtrace-parity-'))): string {
  const root = join(dir, 'root');
  rmSync(root, { recursive: true, force: true });
  for (const d of ['bin', 'cases', 'proc', 'sys', 'dev', 'tmp']) mkdirSync(join(root, d), { recursive: true });
  copyFileSync(busybox(), join(root, 'bin', 'busybox'));
  copyFileSync(buildRunner(), join(root, 'bin', 'runner'));
  chmodSync(join(root, 'bin', 'runner'), 0o755);
  writeFileSync(join(root, 'init'), INIT, { mode: 0o755 });
  for (const c of cases) writeFileSync(join(root, 'cases', `${c.id}.act`), c.actions);
  const out = join(dir, 'initrd.gz');
  const r = spawnSync('sh', ['-c', 'find . | cpio -o -H newc --quiet | gzip -1 > "$0"', out], { cwd: root, encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`cannot pack the initramfs (cpio/gzip): ${r.error?.message ?? r.stderr}; run scripts/parity-setup.sh`);
  return out;
}
