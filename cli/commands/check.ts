// `migtrace check <files…> [--kernel P]…`: runs every expectation; exit 0 only if all hold.
// The last line is the summary `N passed, N failed` (expectations; a run that stops
// with an error counts as one failure).

import { run, getProfile, profileNames } from '../../engine';
import { parseArgs } from '../args';
import { loadScenario, profilesOf } from '../load';
import { CliIo, Progress } from '../io';

export const CHECK_USAGE = `usage: migtrace check <file.mig>… [--kernel P]…
  Runs each scenario and checks its expect lines, on the given kernel profiles, else on
  the profiles of the file's "# profiles:" comment, else on its own kernel line.
  Prints every failure as file:line and ends with "N passed, N failed".
  Exit status 0 only if every expectation holds.`;

export async function checkCommand(argv: string[], io: CliIo): Promise<number> {
  const a = parseArgs(argv, { options: ['kernel'], flags: ['help', 'h'] });
  if ('error' in a) {
    io.err(`migtrace check: ${a.error}\n${CHECK_USAGE}`);
    return 2;
  }
  if (a.flags.has('help') || a.flags.has('h')) {
    io.out(CHECK_USAGE);
    return 0;
  }
  if (a.positional.length === 0) {
    io.err(`migtrace check: no scenario files\n${CHECK_USAGE}`);
    return 2;
  }
  const kernels = a.options.get('kernel');
  for (const k of kernels ?? []) {
    if (!getProfile(k)) {
      io.err(`migtrace check: unknown kernel profile '${k}' (known: ${profileNames().join(', ')})`);
      return 2;
    }
  }
  let passed = 0;
  let failed = 0;
  const progress = new Progress(io, 'check');
  a.positional.forEach((file, idx) => {
    progress.update(idx, a.positional.length, file);
    const loaded = loadScenario(file);
    if ('errors' in loaded) {
      for (const e of loaded.errors) io.out(e);
      failed++;
      return;
    }
    // `# expect-error: text` marks a bad-input scenario: the run must stop with that error
    const expectError = /^#\s*expect-error:\s*(.+)$/m.exec(loaded.text)?.[1].trim();
    for (const k of kernels ?? profilesOf(loaded.text)) {
      const r = run(loaded.scenario, { profile: k });
      const tag = ` [kernel ${r.profile}]`;
      if (expectError !== undefined) {
        if (r.error?.message.includes(expectError)) passed++;
        else {
          failed++;
          io.out(`${file}:1: FAILED: expected the run to stop with "${expectError}", got ${r.error ? `"${r.error.message}"` : 'no error'}${tag}`);
        }
        continue;
      }
      for (const e of r.expects) {
        if (e.ok) passed++;
        else {
          failed++;
          io.out(`${file}:${e.range.start.line + 1}: FAILED: ${e.message}${tag}`);
        }
      }
      if (r.error) {
        failed++;
        io.out(`${file}:${r.error.line + 1}: error: ${r.error.message}${tag}`);
      }
    }
  });
  progress.done();
  io.out(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}
