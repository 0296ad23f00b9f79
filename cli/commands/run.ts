// `migtrace run <file> [--kernel P] [--format text|json|ftrace] [--trace-out F]`

import { writeFileSync } from 'node:fs';
import { run, exportFtrace, exportJson, getProfile, profileNames } from '../../engine';
import type { RunResult } from '../../engine';
import { parseArgs, one } from '../args';
import { loadScenario } from '../load';
import { CliIo, Progress } from '../io';

export const RUN_USAGE = `usage: migtrace run <file.mig> [--kernel P] [--format text|json|ftrace] [--trace-out FILE]
  Runs a scenario with the migration engine and prints each operation's result,
  its expectations, and (with --format) the trace. --trace-out writes the trace
  to FILE: JSON when FILE ends in .json, ftrace text otherwise.
  Kernel profiles: ${profileNames().join(', ')}.`;

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

export async function runCommand(argv: string[], io: CliIo): Promise<number> {
  const a = parseArgs(argv, { options: ['kernel', 'format', 'trace-out'], flags: ['help', 'h'] });
  if ('error' in a) {
    io.err(`migtrace run: ${a.error}\n${RUN_USAGE}`);
    return 2;
  }
  if (a.flags.has('help') || a.flags.has('h')) {
    io.out(RUN_USAGE);
    return 0;
  }
  if (a.positional.length !== 1) {
    io.err(`migtrace run: give exactly one scenario file\n${RUN_USAGE}`);
    return 2;
  }
  const format = one(a, 'format') ?? 'text';
  if (!['text', 'json', 'ftrace'].includes(format)) {
    io.err(`migtrace run: --format must be text, json or ftrace (got '${format}')`);
    return 2;
  }
  const kernel = one(a, 'kernel');
  if (kernel !== undefined && !getProfile(kernel)) {
    io.err(`migtrace run: unknown kernel profile '${kernel}' (known: ${profileNames().join(', ')})`);
    return 2;
  }
  const file = a.positional[0];
  const loaded = loadScenario(file);
  if ('errors' in loaded) {
    for (const e of loaded.errors) io.err(e);
    return 1;
  }
  const progress = new Progress(io, file);
  const r = run(loaded.scenario, { profile: kernel, onProgress: (n) => progress.update(n, undefined, `${n.toLocaleString('en')} events`) });
  progress.done();
  const profile = getProfile(r.profile)!;
  if (format === 'text') io.out(formatText(file, r));
  else if (format === 'json') io.out(JSON.stringify(exportJson(r), null, 1));
  else io.out(exportFtrace(r, profile));
  const out = one(a, 'trace-out');
  if (out) {
    try {
      writeFileSync(out, out.endsWith('.json') ? JSON.stringify(exportJson(r)) : exportFtrace(r, profile));
    } catch (e) {
      io.err(`migtrace run: cannot write ${out}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
      return 1;
    }
  }
  if (r.error) {
    if (format !== 'text') io.err(`${file}:${r.error.line + 1}: error: ${r.error.message}`);
    return 1;
  }
  return 0;
}
