// /proc/PID/io: I/O counters, parsed by @stroncium/procfs (a plain key: value file; correct and cheap).
import parseLibraryIo from '@stroncium/procfs/lib/parsers/processIo';

export interface IoCounters {
  /** Bytes passed to read()/write()-like calls (includes cache hits, pipes, ttys). */
  readonly rchar: number;
  readonly wchar: number;
  readonly syscr: number;
  readonly syscw: number;
  /** Bytes really fetched from / sent to the storage layer. */
  readonly readBytes: number;
  readonly writeBytes: number;
  /** Writes that were truncated away before reaching storage. */
  readonly cancelledWriteBytes: number;
}

export function parseIo(text: string): IoCounters | undefined {
  let v: ReturnType<typeof parseLibraryIo>;
  try {
    v = parseLibraryIo(text);
  } catch {
    // The library throws on content that is not the kernel's: unparsable, as a missing counter is.
    return undefined;
  }
  const values = [v.read, v.write, v.readSyscalls, v.writeSyscalls, v.readReal, v.writeReal, v.writeCancelled];
  if (!values.every((n) => typeof n === 'number' && Number.isFinite(n))) return undefined;
  return {
    rchar: v.read as number,
    wchar: v.write as number,
    syscr: v.readSyscalls as number,
    syscw: v.writeSyscalls as number,
    readBytes: v.readReal as number,
    writeBytes: v.writeReal as number,
    cancelledWriteBytes: v.writeCancelled as number,
  };
}
