// The subcommand registry. A command is a name, a one-line summary and a function
// from arguments to an exit status; add new ones (e.g. `parity`) to COMMANDS.

import type { CliIo } from '../io';
import { runCommand } from './run';
import { checkCommand } from './check';
import { diffCommand } from './diff';
import { parityCommand } from './parity';

export interface Command {
  name: string;
  summary: string;
  run: (argv: string[], io: CliIo) => Promise<number>;
}

export const COMMANDS: Command[] = [
  { name: 'run', summary: 'run a scenario and print results, expectations or the trace', run: runCommand },
  { name: 'check', summary: 'check the expect lines of scenarios (exit 0 only if all hold)', run: checkCommand },
  { name: 'diff', summary: 'compare one scenario under two kernel profiles', run: diffCommand },
  { name: 'parity', summary: 'run realizable scenarios on real kernels in QEMU and compare', run: parityCommand },
];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}
