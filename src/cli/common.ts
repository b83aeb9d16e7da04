// What the CLI commands share: argument parsing (node's util.parseArgs) and error -> exit code mapping.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ProcScopeError } from '../core/errors';
import { EXIT, type CliIo } from './io';

export type Parsed = ReturnType<typeof parseArgs>;

/** parseArgs that reports a usage error instead of throwing. */
export function parseCliArgs(args: readonly string[], options: NonNullable<ParseArgsConfig['options']>, io: CliIo, usage: string,
  allowPositionals = false): Parsed | undefined {
  try {
    const parsed = parseArgs({ args: [...args], options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true });
    if (parsed.values.help) {
      io.out(usage);
      return undefined;
    }
    return parsed;
  } catch (error) {
    io.err(`procscope: ${(error as Error).message}\n${usage}`);
    return undefined;
  }
}

/** Maps an error to a clear message and a distinct exit code. */
export function reportError(error: unknown, io: CliIo): number {
  if (error instanceof ProcScopeError) {
    io.err(`procscope: ${error.message}\n`);
    switch (error.code) {
      case 'NO_SUCH_PROCESS': return EXIT.noSuchProcess;
      case 'PERMISSION_DENIED': return EXIT.permissionDenied;
      case 'NO_PROCFS': return EXIT.noProcfs;
      case 'BAD_REQUEST': return EXIT.usage;
    }
  }
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'EACCES' || code === 'EPERM') {
    io.err(`procscope: permission denied: ${(error as Error).message}\n`);
    return EXIT.permissionDenied;
  }
  throw error;
}
