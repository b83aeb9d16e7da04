// What a CLI command gets: its arguments and where to write. Commands return their exit code.

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Bytes already encoded as UTF-8 (a large answer written in pieces); io.out of their text when absent. */
  readonly outBytes?: (bytes: Uint8Array) => void;
}

export type CliCommand = (args: readonly string[], io: CliIo) => Promise<number>;

let outputFailure: ((reason: string) => string) | undefined;

/**
 * What to say when writing to stdout fails (a full disk, an I/O error; the reader going away is not a failure):
 * a command that knows more than "writing failed" (record: how many ticks went out) sets its own line while it
 * writes, and clears it (undefined) when done.
 */
export function setOutputFailureNote(note: ((reason: string) => string) | undefined): void {
  outputFailure = note;
}

export function outputFailureNote(): ((reason: string) => string) | undefined {
  return outputFailure;
}

/** Distinct exit codes, documented in the README. */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  noSuchProcess: 3,
  permissionDenied: 4,
  noProcfs: 5,
} as const;
