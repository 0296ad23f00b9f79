// Launch: read the scenario, refuse it with the wrong lines listed if it has
// errors, pick the kernel profile, run the engine to the end, and hand the
// recorded trace to the session. Every failure is a message, never an exception.
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { analyze, DEFAULT_PROFILE, isProfile, PROFILE_NAMES } from '../scenario';
import { runForDebugger } from './engine-view';
import type { LaunchArgs, Loader } from './session';

export const loadScenario: Loader = async (args: LaunchArgs, out) => {
  const fail = (msg: string): { failed: string } => {
    out(msg, 'stderr');
    return { failed: msg };
  };
  if (!args.program || typeof args.program !== 'string') return fail("migtrace: the launch configuration has no 'program': set it to a .mig file, e.g. \"${file}\".");
  const program = path.resolve(args.program);
  let text: string;
  try {
    text = await readFile(program, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return fail(code === 'ENOENT' ? `migtrace: ${program} does not exist.` : `migtrace: cannot read ${program}: ${(e as Error).message}`);
  }
  const a = analyze(text);
  const errors = a.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    for (const d of errors) out(`${program}:${d.range.start.line + 1}:${d.range.start.character + 1}: error: ${d.message}`, 'stderr');
    return fail(`migtrace: ${path.basename(program)} has ${errors.length} error${errors.length === 1 ? '' : 's'} (listed in the Debug Console); fix ${errors.length === 1 ? 'it' : 'them'} to debug.`);
  }
  const fromFile = a.scenario.statements.find((s) => s.kind === 'kernel');
  const profile = args.kernel ?? (fromFile?.kind === 'kernel' ? fromFile.profile?.text : undefined) ?? args.defaultKernel ?? DEFAULT_PROFILE;
  if (!isProfile(profile)) return fail(`migtrace: unknown kernel profile '${profile}' (known: ${PROFILE_NAMES.join(', ')}).`);
  const r = runForDebugger(a.scenario, text, { profile, invariants: args.invariants ?? true, maxEvents: args.maxEvents });
  if ('failed' in r) return fail(`migtrace: ${r.failed}`);
  if (r.error) out(`${program}:${r.error.line + 1}: the run stopped: ${r.error.message}`, 'stderr');
  const bad = r.expects.filter((e) => !e.ok);
  for (const e of bad) out(`${program}:${e.line + 1}: expectation failed: ${e.message}`, 'stderr');
  if (r.expects.length) out(`${r.expects.length - bad.length} of ${r.expects.length} expectations hold.`, 'console');
  return r;
};
