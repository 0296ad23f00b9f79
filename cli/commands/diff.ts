// `migtrace diff --kernel A --kernel B <file>`: runs one scenario under two profiles and
// prints where the results and the events differ. Exit 0 when they agree, 1 when
// they differ, 2 on bad input (like diff(1)).

import { run, getProfile, profileNames, eventName } from '../../engine';
import type { RunResult, OpResult } from '../../engine';
import { parseArgs } from '../args';
import { loadScenario } from '../load';
import { CliIo } from '../io';

export const DIFF_USAGE = `usage: migtrace diff --kernel A --kernel B <file.mig>
  Runs the scenario under both kernel profiles and reports, per operation, where the
  return value, status, stats, vmstat, passes, folio outcomes, expectations and the
  counts of each event differ. Profiles: ${profileNames().join(', ')}.`;

function eventCounts(r: RunResult, o: OpResult): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = o.firstEvent; i < o.endEvent; i++) {
    const n = eventName(r.trace.type[i]);
    if (n === 'enter' || n === 'exit') continue;
    m.set(n, (m.get(n) ?? 0) + 1);
  }
  return m;
}

const show = (v: unknown) => (v === undefined ? '—' : JSON.stringify(v));

/** Differences between two runs of the same scenario, one line each. */
export function diffRuns(file: string, a: RunResult, b: RunResult): string[] {
  const out: string[] = [];
  const A = a.profile;
  const B = b.profile;
  const line = (l: number, what: string, va: unknown, vb: unknown) => out.push(`${file}:${l + 1}: ${what}: ${A} ${show(va)} | ${B} ${show(vb)}`);
  if (a.error?.message !== b.error?.message || a.error?.line !== b.error?.line) line(a.error?.line ?? b.error?.line ?? 0, 'error', a.error?.message, b.error?.message);
  const n = Math.max(a.ops.length, b.ops.length);
  for (let i = 0; i < n; i++) {
    const oa = a.ops[i];
    const ob = b.ops[i];
    if (!oa || !ob) {
      line((oa ?? ob)!.line, 'operation ran on one kernel only', oa?.kind, ob?.kind);
      continue;
    }
    if (oa.ret !== ob.ret) line(oa.line, 'return', oa.retText, ob.retText);
    if (show(oa.status) !== show(ob.status)) line(oa.line, 'status', oa.status, ob.status);
    for (const k of new Set([...Object.keys(oa.stats ?? {}), ...Object.keys(ob.stats ?? {})])) {
      const va = (oa.stats as Record<string, number> | undefined)?.[k];
      const vb = (ob.stats as Record<string, number> | undefined)?.[k];
      if (va !== vb) line(oa.line, `stats ${k}`, va, vb);
    }
    for (const k of new Set([...Object.keys(oa.vmstatDelta), ...Object.keys(ob.vmstatDelta)])) {
      if ((oa.vmstatDelta[k] ?? 0) !== (ob.vmstatDelta[k] ?? 0)) line(oa.line, `vmstat ${k}`, oa.vmstatDelta[k] ?? 0, ob.vmstatDelta[k] ?? 0);
    }
    if (oa.passes !== ob.passes) line(oa.line, 'passes', oa.passes, ob.passes);
    const fa = new Map(oa.folios.map((f) => [f.folio, `${f.outcome}@${f.node}`]));
    const fb = new Map(ob.folios.map((f) => [f.folio, `${f.outcome}@${f.node}`]));
    for (const k of new Set([...fa.keys(), ...fb.keys()])) if (fa.get(k) !== fb.get(k)) line(oa.line, `folio ${k}`, fa.get(k), fb.get(k));
    const ea = eventCounts(a, oa);
    const eb = eventCounts(b, ob);
    for (const k of [...new Set([...ea.keys(), ...eb.keys()])].sort()) if ((ea.get(k) ?? 0) !== (eb.get(k) ?? 0)) line(oa.line, `events ${k}`, ea.get(k) ?? 0, eb.get(k) ?? 0);
  }
  const xa = new Map(a.expects.map((e) => [e.range.start.line, e.ok]));
  for (const e of b.expects) {
    const ok = xa.get(e.range.start.line);
    if (ok !== undefined && ok !== e.ok) line(e.range.start.line, 'expectation', ok ? 'holds' : 'fails', e.ok ? 'holds' : 'fails');
  }
  return out;
}

export async function diffCommand(argv: string[], io: CliIo): Promise<number> {
  const a = parseArgs(argv, { options: ['kernel'], flags: ['help', 'h'] });
  if ('error' in a) {
    io.err(`migtrace diff: ${a.error}\n${DIFF_USAGE}`);
    return 2;
  }
  if (a.flags.has('help') || a.flags.has('h')) {
    io.out(DIFF_USAGE);
    return 0;
  }
  const kernels = a.options.get('kernel') ?? [];
  if (kernels.length !== 2 || a.positional.length !== 1) {
    io.err(`migtrace diff: give two --kernel options and one scenario file\n${DIFF_USAGE}`);
    return 2;
  }
  for (const k of kernels) {
    if (!getProfile(k)) {
      io.err(`migtrace diff: unknown kernel profile '${k}' (known: ${profileNames().join(', ')})`);
      return 2;
    }
  }
  const file = a.positional[0];
  const loaded = loadScenario(file);
  if ('errors' in loaded) {
    for (const e of loaded.errors) io.err(e);
    return 2;
  }
  const ra = run(loaded.scenario, { profile: kernels[0] });
  const rb = run(loaded.scenario, { profile: kernels[1] });
  const d = diffRuns(file, ra, rb);
  if (d.length === 0) {
    io.out(`${file}: kernels ${ra.profile} and ${rb.profile} agree`);
    return 0;
  }
  for (const l of d) io.out(l);
  io.out(`${d.length} difference${d.length > 1 ? 's' : ''} between ${ra.profile} and ${rb.profile}`);
  return 1;
}
