// What the CLI commands share: argument parsing (node's util.parseArgs), the --proc-root check, and
// error -> message + exit code mapping. Every message comes from the catalogue (messages.ts); every piece of
// user or OS text echoed in one goes through visible(), so a usage error cannot act on the terminal either.
import { accessSync, readdirSync, statSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ProcScopeError } from '../core/errors';
import type { HiddenTasks } from '../core/model';
import { CHANNEL_KINDS } from '../core/ipc/model';
import { hidingMountOption } from '../core/procRoot';
import { visible } from '../shared/visible';
import { EXIT, type CliIo } from './io';
import { t, type MessageKey } from './messages';
import { pushAll } from '../shared/arrays';

export type Parsed = ReturnType<typeof parseArgs>;

export type HelpCommand = 'snapshot' | 'ps' | 'show' | 'ipc' | 'ipcs' | 'locks' | 'waits' | 'who' | 'sys' | 'record' | 'replay' | 'help';

export function helpText(command: HelpCommand): string {
  return t(`help.${command}` as MessageKey, { kinds: CHANNEL_KINDS.join(',') });
}

/** A usage error: the message, then the command's help, exit 2. */
export function usageError(io: CliIo, command: HelpCommand, message: string): number {
  io.err(`procscope: ${message}\n\n${helpText(command)}`);
  return EXIT.usage;
}

/**
 * Node's parseArgs error in the catalogue's words (the option or argument shown visibly). parseArgs gives the
 * same code for a value given to an option that takes none (`--json=1`) and for a value missing after one
 * that needs it (`--proc-root` last, or followed by another option); which one it is comes from the option's
 * type in `options`, not from the wording of Node's message.
 */
function parseErrorMessage(error: unknown, options: NonNullable<ParseArgsConfig['options']>): string {
  const e = error as { code?: string; message?: string };
  const quoted = /'([^']*)'/.exec(e.message ?? '')?.[1] ?? '';
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return t('error.unknownOption', { option: visible(quoted) });
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      // Node names the option as `--name`, `-n, --name`, either with ` <value>` after it, or as typed.
      const named = quoted.replace(/ <value>$/, '');
      const type = optionType(named, options);
      const key = type === 'boolean' ? 'error.takesNoValue' : 'error.missingValue';
      return t(key, { option: visible(type === undefined ? (quoted.split(/[ ,]/)[0] ?? quoted) : named) });
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return t('error.unexpectedArgument', { arg: visible(quoted) });
    default:
      return t('error.badOption', { message: visible(e.message ?? String(error)) });
  }
}

/** The type of the option Node's message names (`--name`, `-n`, or `-n, --name`); undefined when none matches. */
function optionType(named: string, options: NonNullable<ParseArgsConfig['options']>): 'boolean' | 'string' | undefined {
  for (const token of named.split(/, /)) {
    if (token.startsWith('--')) {
      const option = Object.hasOwn(options, token.slice(2)) ? options[token.slice(2)] : undefined;
      if (option) return option.type;
    } else if (/^-[^-]$/.test(token)) {
      for (const option of Object.values(options)) if (option.short === token.slice(1)) return option.type;
    }
  }
  return undefined;
}

/**
 * `--pid -1` as `--pid=-1`: parseArgs takes a value that starts with a dash for another option and calls the
 * option's value missing; a negative number is the value, which the command then refuses by name
 * ("not a process id: '-1'").
 */
function joinNegativeValues(args: readonly string[], options: NonNullable<ParseArgsConfig['options']>): string[] {
  const takesValue = new Set<string>();
  for (const [name, o] of Object.entries(options)) {
    if (o.type !== 'string') continue;
    takesValue.add(`--${name}`);
    if (o.short) takesValue.add(`-${o.short}`);
  }
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const next = args[i + 1];
    if (a === '--') {
      pushAll(out, args.slice(i));
      break;
    }
    if (takesValue.has(a) && next !== undefined && /^-\d/.test(next)) {
      out.push(a.startsWith('--') ? `${a}=${next}` : `${a}${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

/** parseArgs that prints help (exit 0) or a usage error (exit 2) instead of throwing: a number is the exit code. */
export function parseCliArgs(
  args: readonly string[],
  options: NonNullable<ParseArgsConfig['options']>,
  io: CliIo,
  command: HelpCommand,
  allowPositionals = false,
): Parsed | number {
  let parsed: Parsed;
  const all: NonNullable<ParseArgsConfig['options']> = { ...options, help: { type: 'boolean', short: 'h' } };
  try {
    const withTokens = parseArgs({ args: joinNegativeValues(args, options), options: all, allowPositionals, strict: true, tokens: true });
    // parseArgs keeps the last of a repeated option: `--pid 1 --pid 2` would quietly look at 2 only.
    const seen = new Set<string>();
    for (const token of withTokens.tokens) {
      if (token.kind !== 'option' || all[token.name]?.type !== 'string' || all[token.name]?.multiple) continue;
      if (seen.has(token.name)) return usageError(io, command, t('error.repeatedOption', { option: `--${token.name}` }));
      seen.add(token.name);
    }
    parsed = { values: withTokens.values, positionals: withTokens.positionals } as Parsed;
  } catch (error) {
    return usageError(io, command, parseErrorMessage(error, all));
  }
  if (parsed.values.help) {
    io.out(helpText(command));
    return EXIT.ok;
  }
  // `--proc-root=` (or `--proc-root ''`) is a usage error in every command, as `show` says it: an empty path
  // is no directory to check, and reading '' would report a missing procfs at a blank name instead.
  if (parsed.values['proc-root'] === '') return usageError(io, command, t('error.procRootNeedsDir'));
  return parsed;
}

/**
 * A --proc-root must look like a procfs before anything reads it: a directory holding `stat` and `self` or
 * at least one process directory. Otherwise a clear NO_PROCFS error (exit 5), the same for every command,
 * instead of an errno from whichever file a command happened to open first, or an empty answer that looks
 * like a machine without processes.
 */
export function checkProcRoot(root: string): void {
  const shown = visible(root);
  let entries: string[];
  try {
    if (!statSync(root).isDirectory()) throw new ProcScopeError('NO_PROCFS', t('error.procRootNotDir', { root: shown }));
    entries = readdirSync(root);
  } catch (error) {
    if (error instanceof ProcScopeError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ProcScopeError('NO_PROCFS', t('error.noProcRoot', { root: shown }));
    if (code === 'ENOTDIR') throw new ProcScopeError('NO_PROCFS', t('error.procRootNotDir', { root: shown }));
    throw new ProcScopeError('NO_PROCFS', t('error.procRootUnreadable', { root: shown, reason: visible(code ?? String(error)) }));
  }
  const hasProcess = entries.some((e) => e === 'self' || /^[1-9]\d*$/.test(e));
  if (!entries.includes('stat') || !hasProcess) throw new ProcScopeError('NO_PROCFS', t('error.procRootEmpty', { root: shown }));
}

const EXIT_FOR: Record<ProcScopeError['code'], number> = {
  NO_SUCH_PROCESS: EXIT.noSuchProcess,
  PERMISSION_DENIED: EXIT.permissionDenied,
  NO_PROCFS: EXIT.noProcfs,
  BAD_REQUEST: EXIT.usage,
};

/**
 * Refuses a pid whose /proc directory cannot be reached: no such process when it is not there (ENOENT), and
 * permission denied when it is there but refused (procfs mounted with hidepid=1 lists another user's process
 * but refuses every look at it, its directory included).
 */
export function requireProcess(procRoot: string, pid: number): void {
  try {
    accessSync(`${procRoot}/${pid}`);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') {
      throw new ProcScopeError(
        'PERMISSION_DENIED',
        t('error.permission', { message: t('error.pidRefused', { pid, path: visible(`${procRoot}/${pid}`) }) }),
      );
    }
    throw new ProcScopeError('NO_SUCH_PROCESS', t('error.noSuchPid', { pid }));
  }
}

/** Maps an error to a clear one-line message and a distinct exit code; anything else is rethrown to main. */
export function reportError(error: unknown, io: CliIo): number {
  if (error instanceof ProcScopeError) {
    io.err(`procscope: ${visible(error.message)}\n`);
    return EXIT_FOR[error.code];
  }
  // The portable backend's listers failed (no `ps`, no answer): its message says which and why.
  if (error instanceof Error && error.name === 'PortableListError') {
    const why = error.message.replace(/^the portable backend could not list processes: /, '');
    io.err(`procscope: ${t('error.portableList', { message: visible(why) })}\n`);
    return EXIT.failure;
  }
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'EACCES' || code === 'EPERM') {
    io.err(`procscope: ${t('error.permission', { message: visible((error as Error).message) })}\n`);
    return EXIT.permissionDenied;
  }
  throw error;
}

/** Columns a terminal gives the text: East Asian wide characters (Hangul, CJK, fullwidth forms) take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const wide =
      (cp >= 0x1100 && cp <= 0x115f) ||
      (cp >= 0x2e80 && cp <= 0xa4cf) ||
      (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0xfe30 && cp <= 0xfe4f) ||
      (cp >= 0xff00 && cp <= 0xff60) ||
      (cp >= 0xffe0 && cp <= 0xffe6) ||
      (cp >= 0x20000 && cp <= 0x3fffd);
    width += wide ? 2 : 1;
  }
  return width;
}

/** padEnd by terminal columns, so Korean labels line up with the values after them. */
export function padColumns(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/**
 * Under hidepid (procfs mounted with hidepid=1, 2, noaccess, invisible, ptraceable) a look-up over every
 * process sees only this user's (root sees all): one line saying so, for the commands that search every
 * process (who, ipc, ipcs, locks, waits), whose answer would otherwise look complete. None when nothing hides.
 */
export function hidingNotes(root: string): string[] {
  if (process.geteuid?.() === 0) return [];
  const option = hidingMountOption(root);
  return option === null ? [] : [t('note.hidepid', { option: visible(option), root: visible(root) })];
}

/** One line per kind of thing /proc kept from this reader (hidepid, refused stat files): none when all was seen. */
export function hiddenNotes(hidden: readonly HiddenTasks[] | undefined): string[] {
  return (hidden ?? []).map((h) =>
    t(h.unit === 'tasks' ? 'note.hiddenTasks' : 'note.hiddenProcesses', { count: h.count, reason: visible(h.reason) }),
  );
}
