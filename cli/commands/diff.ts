// `migtrace diff --kernel A --kernel B <file>`: runs one scenario under two profiles and
// prints where the results and the events differ. Exit 0 when they agree, 1 when
// they differ, 2 on bad input (like diff(1)).

import { run, getProfile, profileNames } from '../../engine';
import { diffRuns } from '../../engine/report';
import { parseArgs } from '../args';
import { loadScenario } from '../load';
import { CliIo } from '../io';

/** Moved to engine/report.ts (the language server prints the same); re-exported for existing importers. */
export { diffRuns };

export const DIFF_USAGE = `usage: migtrace diff --kernel A --kernel B <file.mig>
  Runs the scenario under both kernel profiles and reports, per operation, where the
  return value, status, stats, vmstat, passes, folio outcomes, expectations and the
  counts of each event differ. Profiles: ${profileNames().join(', ')}.`;

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
