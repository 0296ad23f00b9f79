// The `migtrace` command line: dispatches to the subcommands of cli/commands.

import { COMMANDS, findCommand } from './commands/index';
import { processIo, CliIo } from './io';

export function usage(): string {
  const w = Math.max(...COMMANDS.map((c) => c.name.length));
  return ['usage: migtrace <command> [arguments]', '', ...COMMANDS.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`), '', 'migtrace <command> --help shows the arguments of a command.'].join('\n');
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name ? 0 : 2;
  }
  const cmd = findCommand(name);
  if (!cmd) {
    io.err(`migtrace: unknown command '${name}'\n${usage()}`);
    return 2;
  }
  try {
    return await cmd.run(rest, io);
  } catch (e) {
    io.err(`migtrace ${name}: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2), processIo()).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`migtrace: ${String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
