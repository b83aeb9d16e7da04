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
  constructor(readonly code: ProcScopeErrorCode, message: string) {
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
