// Errors the core raises on purpose, so callers (CLI, host) can give a clear message and a distinct exit code.

export type ProcScopeErrorCode =
  /** The pid does not exist (or exited while being read). */
  | 'NO_SUCH_PROCESS'
  /** The kernel refused to show it (another user's process, hidepid, ptrace rules). */
  | 'PERMISSION_DENIED'
  /** This platform has no /proc (macOS, Windows) and the request needs it. */
  | 'NO_PROCFS'
  /** The caller asked for something malformed (not a positive integer pid, unknown option). */
  | 'BAD_REQUEST';

export class ProcScopeError extends Error {
  constructor(
    readonly code: ProcScopeErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ProcScopeError';
  }
}

/** errno codes that mean "the task is gone": skipped silently in a poll (a race, not a failure). */
export function isGone(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ESRCH';
}

export function isDenied(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'EACCES' || code === 'EPERM';
}

/** The errno code of a system-call error (`ENOENT`, `EIO`, ...), undefined for anything else (a bug). */
export function errnoOf(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

/**
 * Why one field of one process could not be read, for `unavailable`: the errno first, then the kernel's own
 * words (`ENAMETOOLONG: name too long`), so a reader and a test can both see which error it was. Any errno
 * counts: a field is one file of one process, and its failure must never take the poll down with it. An
 * error without an errno is a bug in ProcScope and is rethrown.
 */
export function reasonOf(error: unknown): string {
  const code = errnoOf(error);
  if (code === undefined) throw error;
  if (code === 'EACCES' || code === 'EPERM') return code === 'EPERM' ? 'EPERM' : 'EACCES';
  const message = (error as Error).message ?? '';
  // Node's message: "ENAMETOOLONG: name too long, readlink '/proc/1/exe'": keep only the description.
  const m = /^[A-Z0-9]+: ([^,]+)/.exec(message);
  return m ? `${code}: ${m[1]}` : code;
}

/** How a failed read of one process's file is treated: the task is gone, the kernel refused, or another errno. */
export function classify(error: unknown): 'gone' | 'denied' | 'other' {
  if (errnoOf(error) === undefined) throw error;
  return isGone(error) ? 'gone' : isDenied(error) ? 'denied' : 'other';
}

/**
 * Why a file the user named could not be used, in words without the path (the caller names the file itself,
 * escaped; Node's message repeats the path with bytes that are not UTF-8 turned into U+FFFD): `ENOENT: no such
 * file or directory`, or the message of an error without an errno.
 */
export function errorWords(error: unknown): string {
  return errnoOf(error) !== undefined ? reasonOf(error) : error instanceof Error ? error.message : String(error);
}
