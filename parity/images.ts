// Which kernel images a parity run boots: the pinned Debian packages of
// parity/kernels.json (fetched by scripts/parity-setup.sh into a cache outside
// git), or a kernel image the user built.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';

export interface KernelSpec {
  /** `6.1`, `6.12`, or the image path for a user's kernel */
  label: string;
  /** engine profile to compare with */
  profile: string;
  image: string;
  /** one of the pinned Debian kernels (known to have the tracepoint and kprobes) */
  pinned: boolean;
}

export const REPO = resolve(__dirname, '..');

/** Where images, the runner binary and initramfs builds are kept (same rule as scripts/parity-setup.sh). */
export function cacheDir(): string {
  return process.env.MIGTRACE_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'migtrace');
}

export function pinnedKernels(): Record<string, string> {
  return JSON.parse(readFileSync(join(REPO, 'parity', 'kernels.json'), 'utf8')) as Record<string, string>;
}

function imageOf(pkg: string): string | undefined {
  const boot = join(cacheDir(), 'kernels', pkg, 'boot');
  if (!existsSync(boot)) return undefined;
  const f = readdirSync(boot).find((n) => n.startsWith('vmlinuz-'));
  return f ? join(boot, f) : undefined;
}

/** The profile a user's kernel is compared with: from its file name's version (6.13 → 6.12), else the newest. */
export function profileForImage(path: string, profiles: string[]): string {
  const m = /(\d+)\.(\d+)/.exec(path.split('/').pop() ?? '');
  const sorted = [...profiles].sort((a, b) => cmpVersion(a, b));
  if (!m) return sorted[sorted.length - 1];
  const v = `${m[1]}.${m[2]}`;
  const le = sorted.filter((p) => cmpVersion(p, v) <= 0);
  return le.length ? le[le.length - 1] : sorted[0];
}

function cmpVersion(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((x) => parseInt(x, 10) || 0);
  const pb = b.split(/[.-]/).map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/**
 * Resolves `--kernel` values (labels of kernels.json or image paths; none = every pinned kernel),
 * running the setup script once if a pinned image is not in the cache yet.
 */
export function resolveKernels(want: string[] | undefined, profiles: string[]): KernelSpec[] {
  const pinned = pinnedKernels();
  const labels = want && want.length ? want : Object.keys(pinned);
  const out: KernelSpec[] = [];
  let setupRan = false;
  for (const l of labels) {
    if (pinned[l] === undefined) {
      if (!existsSync(l)) throw new Error(`--kernel ${l}: neither a pinned kernel (${Object.keys(pinned).join(', ')}) nor an image file`);
      out.push({ label: l, profile: profileForImage(l, profiles), image: resolve(l), pinned: false });
      continue;
    }
    let image = imageOf(pinned[l]);
    if (!image && !setupRan) {
      setupRan = true;
      const r = spawnSync('bash', [join(REPO, 'scripts', 'parity-setup.sh')], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`scripts/parity-setup.sh failed (exit ${r.status}): ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}`);
      image = imageOf(pinned[l]);
    }
    if (!image) throw new Error(`kernel ${l} (${pinned[l]}) is not in ${join(cacheDir(), 'kernels')}; run scripts/parity-setup.sh`);
    out.push({ label: l, profile: profiles.includes(l) ? l : profileForImage(l, profiles), image, pinned: true });
  }
  return out;
}
