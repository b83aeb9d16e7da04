// procscope: the headless entry point (snapshot, ps, show, ipc, ipcs, locks, waits, who, sys, record, replay) for users, tests and benchmarks.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliCommand, CliIo } from './cli/io';
import { EXIT, outputFailureNote } from './cli/io';
import { helpText, usageError, type HelpCommand } from './cli/common';
import { langFromEnv, setLang, t, type MessageKey } from './cli/messages';
import { visible } from './shared/visible';
import { parseCmdline } from './core/procfs/decode';
import { pushAll } from './shared/arrays';

/** Defined by scripts/build.mjs from package.json; absent when run from source. */
declare const PROCSCOPE_VERSION: string | undefined;

export function version(): string {
  if (typeof PROCSCOPE_VERSION === 'string') return PROCSCOPE_VERSION;
  return (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
}

// Each command lives in src/cli/<name>.ts and is loaded only when asked for.
export const COMMANDS: Record<Exclude<HelpCommand, 'help'>, () => Promise<CliCommand>> = {
  snapshot: async () => (await import('./cli/snapshot')).run,
  ps: async () => (await import('./cli/ps')).run,
  show: async () => (await import('./cli/show')).run,
  ipc: async () => (await import('./cli/ipc')).run,
  ipcs: async () => (await import('./cli/ipc')).runIpcs,
  locks: async () => (await import('./cli/locks')).run,
  waits: async () => (await import('./cli/waits')).run,
  who: async () => (await import('./cli/who')).run,
  sys: async () => (await import('./cli/sys')).run,
  record: async () => (await import('./cli/record')).run,
  replay: async () => (await import('./cli/replay')).run,
};

function isCommand(name: string): name is HelpCommand {
  return name === 'help' || Object.hasOwn(COMMANDS, name);
}

function usage(): string {
  const names: HelpCommand[] = [...(Object.keys(COMMANDS) as HelpCommand[]), 'help'];
  const lines = names.map((name) => `  ${name.padEnd(10)} ${t(`summary.${name}` as MessageKey)}`);
  return `${t('usage.main', { commands: lines.join('\n'), exitCodes: t('exitCodes') })}\n`;
}

/** Takes `--lang en|ko` (or `--lang=ko`) out of the arguments, wherever it stands. */
function takeLang(argv: readonly string[]): { rest: string[]; lang: string | undefined; missing: boolean } {
  const rest: string[] = [];
  let lang: string | undefined;
  let missing = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      pushAll(rest, argv.slice(i));
      break;
    }
    if (a === '--lang') {
      lang = argv[++i];
      if (lang === undefined) missing = true;
    } else if (a.startsWith('--lang=')) lang = a.slice('--lang='.length);
    else rest.push(a);
  }
  return { rest, lang, missing };
}

export async function main(
  argv: readonly string[],
  io: CliIo,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<number> {
  const { rest, lang, missing } = takeLang(argv);
  setLang(langFromEnv(env));
  if (missing || (lang !== undefined && lang !== 'en' && lang !== 'ko')) {
    io.err(`procscope: ${t('error.badLang', { value: visible(lang ?? '') })}\n`);
    return EXIT.usage;
  }
  if (lang === 'en' || lang === 'ko') setLang(lang);

  const [name, ...args] = rest;
  if (name === '--version' || name === '-V') {
    io.out(`procscope ${version()}\n`);
    return EXIT.ok;
  }
  if (!name || name === '--help' || name === '-h') {
    io.out(usage());
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === 'help') {
    const topic = args[0];
    if (topic === undefined) {
      io.out(usage());
      return EXIT.ok;
    }
    if (!isCommand(topic)) {
      io.err(`procscope: ${t('error.unknownCommand', { name: visible(topic) })}\n\n${usage()}`);
      return EXIT.usage;
    }
    io.out(helpText(topic));
    return args.length > 1 ? usageError(io, 'help', t('error.unexpectedArgument', { arg: visible(args[1]!) })) : EXIT.ok;
  }
  if (!isCommand(name)) {
    io.err(`procscope: ${t('error.unknownCommand', { name: visible(name) })}\n\n${usage()}`);
    return EXIT.usage;
  }
  return (await COMMANDS[name as Exclude<HelpCommand, 'help'>]())(args, io);
}

/**
 * An error nobody expected: one line, never a stack trace (set PROCSCOPE_DEBUG=1 for it), exit 1.
 */
function reportUnexpected(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  writeErrorLine(visible(message), error);
  process.exitCode = EXIT.failure;
}

/** `procscope: <line>` on stderr, and the stack under PROCSCOPE_DEBUG=1. */
function writeErrorLine(line: string, error: unknown): void {
  const debug = process.env.PROCSCOPE_DEBUG === '1' && error instanceof Error && error.stack ? `\n${error.stack}` : '';
  try {
    process.stderr.write(`procscope: ${line}${debug}\n`);
  } catch {
    // stderr is gone too: the exit code is all that is left.
  }
}

/**
 * The reader of our output went away (`procscope ps | head -n 1`). Unix tools die of SIGPIPE there, silently;
 * Node ignores SIGPIPE and reports EPIPE instead. We stop at once, print nothing, and exit 0: the reader had
 * all it wanted, so a pipeline under `set -o pipefail` does not fail because of it.
 */
function onStdoutError(error: NodeJS.ErrnoException): void {
  if (error.code === 'EPIPE') process.exit(EXIT.ok);
  // Any other failed write (a full disk, an I/O error): said as such, with what the command knows (record).
  const reason = error.code === 'ENOSPC' ? t('error.diskFull') : visible(error.message);
  const note = outputFailureNote();
  writeErrorLine(note ? note(reason) : t('error.outputFailed', { reason }), error);
  process.exit(EXIT.failure);
}

/** The command line's command, as a user runs it (`procscope ps`, `node dist/cli.js ps`). */
function runAsCommand(): void {
  process.stdout.on('error', onStdoutError);
  process.stderr.on('error', () => {
    /* nowhere left to report to */
  });
  process.on('uncaughtException', (error) => {
    reportUnexpected(error);
    process.exit(EXIT.failure);
  });
  process.on('unhandledRejection', (error) => {
    reportUnexpected(error);
    process.exit(EXIT.failure);
  });
  const io: CliIo = {
    out: (text) => {
      process.stdout.write(text);
    },
    outBytes: (bytes) => {
      process.stdout.write(bytes);
    },
    err: (text) => {
      process.stderr.write(text);
    },
  };
  main(commandArgs(), io).then((code) => {
    process.exitCode = code;
  }, reportUnexpected);
}

/**
 * The command's arguments. Node decodes argv as UTF-8 and turns bytes that are not into U+FFFD, which names
 * another file (`who`, `replay FILE`, `record -o` would look for the wrong one and print a name the user did
 * not type). When an argument holds U+FFFD, the arguments are taken from /proc/self/cmdline instead and decoded
 * like every OS string (src/core/procfs/decode.ts): the bytes kept as U+DC80+byte, which paths turn back into
 * the bytes given (osPath) and messages show as `\xNN`.
 */
function commandArgs(): string[] {
  const given = process.argv.slice(2);
  if (!given.some((a) => a.includes('\uFFFD'))) return given;
  try {
    const parts = parseCmdline(readFileSync('/proc/self/cmdline'));
    if (parts.length < given.length) return given;
    const decoded = parts.slice(parts.length - given.length);
    // The same arguments, byte for byte where they were valid UTF-8: otherwise keep Node's.
    return decoded.every((d, i) => d.replace(/[\udc80-\udcff]+/g, '\uFFFD') === given[i]!.replace(/\uFFFD+/g, '\uFFFD')) ? decoded : given;
  } catch {
    return given; // no /proc (macOS, Windows): Node's decoding
  }
}

if (require.main === module) runAsCommand();
