// procscope: the headless entry point (snapshot, ps, show, ipc, locks) for users, tests and benchmarks.
import type { CliCommand, CliIo } from './cli/io';
import { EXIT } from './cli/io';

// Each command lives in src/cli/<name>.ts and is loaded only when asked for.
const COMMANDS: Record<string, { summary: string; load: () => Promise<CliCommand> }> = {
  snapshot: { summary: 'every process and thread now (--json for machines)', load: async () => (await import('./cli/snapshot')).run },
  ps: { summary: 'every thread in the columns of ps -eLF', load: async () => (await import('./cli/ps')).run },
  show: { summary: 'the PCB detail of one process', load: async () => (await import('./cli/show')).run },
  ipc: { summary: 'IPC channels between processes (--json, --pid PID)', load: async () => (await import('./cli/ipc')).run },
  locks: { summary: 'file locks: holders, waiters, deadlock cycles', load: async () => (await import('./cli/locks')).run },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `usage: procscope <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nExit codes: 0 ok, 1 failure, 2 usage, 3 no such process, 4 permission denied, 5 no /proc on this platform.\n`;
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`procscope: unknown command '${name}'\n${usage()}`);
    return EXIT.usage;
  }
  return (await command.load())(rest, io);
}

if (require.main === module) {
  const io: CliIo = {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  };
  main(process.argv.slice(2), io).then(
    (code) => { process.exitCode = code; },
    (error: unknown) => {
      io.err(`procscope: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
      process.exitCode = EXIT.failure;
    },
  );
}
