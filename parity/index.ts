// Real-kernel parity: runs realizable scenarios on real Linux kernels in QEMU and
// compares every field with the engine's run under the matching profile.
//
//   const report = await runParity(['test/parity/x.mig'], { kernels: ['6.1', '6.12'], onProgress });
//   report.ok                      true when the engine matched every kernel it ran on
//   report.scenarios[i].differences  { kernel, line, field, engine, kernel value }
//
// All scenarios of a run share one initramfs and one boot per kernel (one more
// per kernel for scenarios that declare ZONE_MOVABLE: those boot with movablecore=).

import { readFileSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import { parse } from '../scenario/index';
import type { Scenario } from '../scenario/ast';
import { run, profileNames } from '../engine/index';
import { realize, type RealizedCase } from '../engine/realize';
import { resolveKernels, type KernelSpec } from './images';
import { buildInitramfs } from './build';
import { boot, scratch } from './qemu';
import { parseRunnerOutput, type BootInfo, type KernelCase } from './results';
import { compareCase, type Difference } from './compare';

export type { Difference } from './compare';
export type { KernelSpec } from './images';

export interface KernelDifference extends Difference {
  /** kernel label (6.1, 6.12, or an image path) and the engine profile it was compared with */
  kernelLabel: string;
  profile: string;
}

export interface ScenarioOutcome {
  file: string;
  /** match: every field equal on every kernel; differ; refused: model-only; error: unreadable or not run */
  status: 'match' | 'differ' | 'refused' | 'error';
  reason?: string;
  /** 0-based line of a refusal */
  line?: number;
  differences: KernelDifference[];
}

export interface KernelRun {
  label: string;
  profile: string;
  image: string;
  movableBytes: bigint;
  ok: boolean;
  attempts: number;
  ms: number;
  boot?: BootInfo;
  error?: string;
}

export interface ParityReport {
  ok: boolean;
  scenarios: ScenarioOutcome[];
  kernels: KernelRun[];
  ms: number;
}

export interface Progress {
  phase: 'realize' | 'boot' | 'run' | 'compare' | 'done';
  /** steps done and in all (boots count double: boot, then run) */
  done: number;
  total: number;
  message: string;
}

export interface ParityOptions {
  /** labels of parity/kernels.json or image paths; default: every pinned kernel */
  kernels?: string[];
  onProgress?: (p: Progress) => void;
  /** boot attempts per kernel (default 10) */
  attempts?: number;
}

interface Prepared {
  file: string;
  scenario: Scenario;
  realized: RealizedCase;
  id: string;
}

export async function runParity(files: string[], opts: ParityOptions = {}): Promise<ParityReport> {
  const t0 = Date.now();
  const kernels: KernelSpec[] = resolveKernels(opts.kernels, profileNames());
  const outcomes: ScenarioOutcome[] = [];
  const prepared: Prepared[] = [];
  files.forEach((file, i) => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      outcomes.push({ file, status: 'error', reason: `cannot read: ${(e as Error).message}`, differences: [] });
      return;
    }
    const parsed = parse(text);
    const r = realize(parsed.scenario, basename(file));
    if (!r.ok) {
      outcomes.push({ file, status: 'refused', reason: r.message, line: r.line, differences: [] });
      return;
    }
    prepared.push({ file, scenario: parsed.scenario, realized: r.value, id: `c${String(i).padStart(4, '0')}` });
  });
  // One boot per kernel and per movablecore= value.
  const groups = new Map<string, Prepared[]>();
  for (const p of prepared) {
    const key = p.realized.movableBytes.toString();
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  const total = 1 + groups.size * kernels.length * 2 + 1;
  let done = 1;
  const progress = (phase: Progress['phase'], message: string) => opts.onProgress?.({ phase, done, total, message });
  progress('realize', `${prepared.length} realizable of ${files.length}`);

  const runs: KernelRun[] = [];
  const results = new Map<string, Map<string, KernelCase | undefined>>(); // file → kernel label → case
  for (const [key, group] of groups) {
    const movableBytes = BigInt(key);
    const dir = scratch();
    try {
      const initrd = buildInitramfs(group.map((p) => ({ id: p.id, actions: p.realized.actions })), dir);
      for (const k of kernels) {
        const what = `${k.label}${movableBytes > 0n ? ` (movablecore=${movableBytes >> 20n}M)` : ''}`;
        progress('boot', `booting ${what}`);
        const b = await boot({ image: k.image, initrd, movableBytes, attempts: opts.attempts, requireTracing: k.pinned, onAttempt: (a, why) => a > 1 && progress('boot', `booting ${what}: attempt ${a} (${why})`) }, group.length);
        done++;
        progress('run', `${what}: ${b.ok ? `ran ${group.length} scenario(s) in ${(b.ms / 1000).toFixed(1)} s` : b.error}`);
        const out = parseRunnerOutput(b.output);
        runs.push({ label: k.label, profile: k.profile, image: k.image, movableBytes, ok: b.ok, attempts: b.attempts, ms: b.ms, boot: out.boot, error: b.error });
        for (const p of group) {
          const m = results.get(p.file) ?? new Map<string, KernelCase | undefined>();
          m.set(k.label, b.ok ? out.cases.get(p.id) : undefined);
          results.set(p.file, m);
        }
        done++;
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  // A case that the guest itself broke (a runner step timed out, a scenario process died, the case did not
  // finish) says nothing about migration: Debian 6.12 under TCG faults now and then mid-run, not only in early
  // boot. Such cases run once more, on a fresh boot of that kernel, and the second result stands.
  for (const k of kernels) {
    const again = prepared.filter((p) => {
      const kr = runs.find((r) => r.label === k.label && r.movableBytes === p.realized.movableBytes);
      return kr?.ok && brokenByGuest(results.get(p.file)?.get(k.label));
    });
    const byMovable = new Map<string, Prepared[]>();
    for (const p of again) byMovable.set(p.realized.movableBytes.toString(), [...(byMovable.get(p.realized.movableBytes.toString()) ?? []), p]);
    for (const [key, group] of byMovable) {
      const dir = scratch();
      try {
        progress('boot', `${k.label}: running ${group.length} case(s) again that the guest broke`);
        const initrd = buildInitramfs(group.map((p) => ({ id: p.id, actions: p.realized.actions })), dir);
        const b = await boot({ image: k.image, initrd, movableBytes: BigInt(key), attempts: opts.attempts, requireTracing: k.pinned }, group.length);
        if (!b.ok) continue;
        const out = parseRunnerOutput(b.output);
        for (const p of group) results.get(p.file)?.set(k.label, out.cases.get(p.id));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }

  progress('compare', 'comparing with the engine');
  for (const p of prepared) {
    const diffs: KernelDifference[] = [];
    let error: string | undefined;
    for (const k of kernels) {
      const kr = runs.find((r) => r.label === k.label && r.movableBytes === p.realized.movableBytes);
      if (!kr?.ok) {
        error = `kernel ${k.label} did not run: ${kr?.error ?? 'not booted'}`;
        continue;
      }
      const engine = run(p.scenario, { profile: k.profile });
      for (const d of compareCase(p.realized, engine, results.get(p.file)?.get(k.label))) diffs.push({ ...d, kernelLabel: k.label, profile: k.profile });
    }
    outcomes.push({ file: p.file, status: error ? 'error' : diffs.length ? 'differ' : 'match', reason: error, differences: diffs });
  }
  outcomes.sort((a, b) => files.indexOf(a.file) - files.indexOf(b.file));
  done = total;
  progress('done', 'done');
  return { ok: outcomes.every((o) => o.status === 'match'), scenarios: outcomes, kernels: runs, ms: Date.now() - t0 };
}

/** True when the guest, not the kernel's migration code, spoiled a case: a runner step timed out, a process died, or it never finished. */
function brokenByGuest(c: KernelCase | undefined): boolean {
  if (!c || !c.ended) return true;
  if (c.acts.some((a) => a.timeout || a.died || a.errname === 'ETIMEDOUT')) return true;
  return [...c.ops.values()].some((o) => o.timeout || o.died);
}
