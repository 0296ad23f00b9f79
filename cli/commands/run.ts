// `migtrace run <file> [--kernel P] [--format text|json|ftrace] [--trace-out F]`

import { writeFileSync } from 'node:fs';
import { run, exportFtrace, exportJson, getProfile, profileNames } from '../../engine';
import { formatText } from '../../engine/report';
import { parseArgs, one } from '../args';
import { loadScenario } from '../load';
import { CliIo, Progress } from '../io';

/** Moved to engine/report.ts (the language server prints the same); re-exported for existing importers. */
export { formatText };

export const RUN_USAGE = `usage: migtrace run <file.mig> [--kernel P] [--format text|json|ftrace] [--trace-out FILE]
  Runs a scenario with the migration engine and prints each operation's result,
  its expectations, and (with --format) the trace. --trace-out writes the trace
  to FILE: JSON when FILE ends in .json, ftrace text otherwise.
  Kernel profiles: ${profileNames().join(', ')}.`;

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
