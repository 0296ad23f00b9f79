// Plain-text reports of engine runs: the `migtrace run` summary and the
// differences between two runs (`migtrace diff`). Pure, so that the CLI and the
// language server (▶ Run, Compare 6.1 ↔ 6.12) print the same thing.

import type { RunResult, OpResult } from './run';
import { eventName } from './trace';

/** A readable summary of a run: one block per operation, then the expectations. */
export function formatText(file: string, r: RunResult): string {
  const lines: string[] = [`${file}: kernel ${r.profile}, ${r.trace.n} events`];
  const byLine = new Map<number, string[]>();
  for (const e of r.expects) {
    const l = byLine.get(e.range.start.line) ?? [];
    l.push(e.message);
    byLine.set(e.range.start.line, l);
  }
  for (const o of r.ops) {
    lines.push(`${file}:${o.line + 1}: ${o.kind} → return ${o.retText}${o.passes ? ` (${o.passes} pass${o.passes > 1 ? 'es' : ''})` : ''}`);
    if (o.status) lines.push(`    status [${o.status.map((v) => (v === null ? 'unwritten' : String(v))).join(', ')}]`);
    if (o.stats) lines.push(`    stats ${Object.entries(o.stats).map(([k, v]) => `${k}=${v}`).join(' ')}`);
    const vm = Object.entries(o.vmstatDelta);
    if (vm.length) lines.push(`    vmstat ${vm.map(([k, v]) => `${k} ${v > 0 ? '+' : ''}${v}`).join(', ')}`);
    const shown = o.folios.slice(0, 12);
    if (shown.length) lines.push(`    folios ${shown.map((f) => `${f.folio}:${f.outcome}${f.node >= 0 ? `@${f.node}` : ''}`).join(' ')}${o.folios.length > shown.length ? ` … (${o.folios.length})` : ''}`);
  }
  for (const e of r.expects) lines.push(`${file}:${e.range.start.line + 1}: ${e.ok ? e.message : `FAILED: ${e.message}`}`);
  if (r.error) lines.push(`${file}:${r.error.line + 1}: error: ${r.error.message}`);
  return lines.join('\n');
}

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
    if (oa.anonVmaRefs !== ob.anonVmaRefs) line(oa.line, 'anon_vma_refs', oa.anonVmaRefs, ob.anonVmaRefs);
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
