// procscope record [--seconds N] [--interval MS] [-o FILE] [--max-size BYTES] [--threads] [--proc-root DIR]:
// the process table over time, headless, to an append-only recording (src/core/record/format.ts). Every
// tick is written as a complete gzip member before the next poll starts, so stopping at any moment (Ctrl-C,
// SIGTERM, --seconds, --max-size) leaves a file that reads to its last tick.
import { closeSync, constants, openSync, statSync, writeSync } from 'node:fs';
import { Recorder, RecordingWriter, type ByteSink } from '../core/record/recorder';
import { errorWords, ProcScopeError } from '../core/errors';
import { osPath } from '../core/procfs/procFs';
import { visible } from '../shared/visible';
import { checkProcRoot, parseCliArgs, reportError, usageError } from './common';
import { EXIT, setOutputFailureNote, type CliCommand } from './io';
import { errnoText, t } from './messages';

declare const PROCSCOPE_VERSION: string | undefined;

const SIZE_UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** 1000, 64k, 32M, 2G (powers of 1024); undefined for anything else. */
export function parseSize(text: string): number | undefined {
  const m = /^(\d{1,15})([kmg]?)(?:i?b)?$/i.exec(text.trim());
  if (!m) return undefined;
  const bytes = Number(m[1]) * SIZE_UNITS[m[2]!.toLowerCase()]!;
  return bytes > 0 ? bytes : undefined;
}

function defaultFileName(now: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `procscope-${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}.ndjson.gz`;
}

export const run: CliCommand = async (args, io) => {
  const parsed = parseCliArgs(
    args,
    {
      seconds: { type: 'string' },
      interval: { type: 'string' },
      output: { type: 'string', short: 'o' },
      'max-size': { type: 'string' },
      threads: { type: 'boolean' },
      'proc-root': { type: 'string' },
    },
    io,
    'record',
  );
  if (typeof parsed === 'number') return parsed;
  const v = parsed.values as {
    seconds?: string;
    interval?: string;
    output?: string;
    'max-size'?: string;
    threads?: boolean;
    'proc-root'?: string;
  };

  let seconds = Infinity;
  if (v.seconds !== undefined) {
    seconds = Number(v.seconds);
    if (!/^\d+(\.\d+)?$/.test(v.seconds) || !(seconds > 0))
      return usageError(io, 'record', t('error.badSeconds', { value: visible(v.seconds) }));
  }
  let intervalMs = 1000;
  if (v.interval !== undefined) {
    intervalMs = Number(v.interval);
    if (!/^\d{1,9}$/.test(v.interval) || intervalMs < 10 || intervalMs > 86_400_000)
      return usageError(io, 'record', t('error.badRecordInterval', { value: visible(v.interval) }));
  }
  let maxBytes = Infinity;
  if (v['max-size'] !== undefined) {
    maxBytes = parseSize(v['max-size']) ?? NaN;
    if (Number.isNaN(maxBytes)) return usageError(io, 'record', t('error.badMaxSize', { value: visible(v['max-size']) }));
  }
  if (v.output === '') return usageError(io, 'record', t('error.outputNeedsFile'));
  const toStdout = v.output === '-';
  if (toStdout && process.stdout.isTTY) return usageError(io, 'record', t('error.recordToTerminal'));
  const file = v.output ?? defaultFileName(new Date());
  const procRoot = v['proc-root'] ?? '/proc';

  let recorder: Recorder | undefined;
  let fd: number | undefined;
  let stop = false;
  let wake: (() => void) | undefined;
  const onSignal = (): void => {
    stop = true;
    wake?.();
  };
  /** Ticks whose line is wholly in the output. */
  let ticks = 0;
  const shownFile = toStdout ? '-' : visible(file);
  try {
    checkProcRoot(procRoot);
    const producer = `procscope ${typeof PROCSCOPE_VERSION === 'string' ? PROCSCOPE_VERSION : 'dev'}`;
    recorder = new Recorder({ procRoot, threads: v.threads === true, intervalMs, producer });
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);

    if (!toStdout && isFifo(file)) {
      // Opening a FIFO for writing waits for a reader: waited for without blocking, so Ctrl-C and SIGTERM still
      // stop the command; the first tick is taken once somebody reads.
      io.err(`procscope: ${t('record.waitingForReader', { file: shownFile })}\n`);
      fd = await openWhenRead(
        file,
        (w) => (wake = w),
        () => stop,
      );
      wake = undefined;
      if (fd === undefined) {
        io.err(`procscope: ${t('record.stoppedWaiting', { file: shownFile })}\n`);
        return EXIT.failure;
      }
    }

    const startedAt = Date.now();
    // The first poll comes before the output is opened, and the file is opened (emptied) only when its first
    // bytes are written: a run that fails before its first tick (a procfs it cannot read, a --max-size too
    // small for the first snapshot) leaves a file of that name as it was.
    const first = recorder.next();
    // --seconds is wall time from the first tick, the same span `procscope replay` reports.
    const origin = performance.now();
    let sink: ByteSink;
    if (toStdout) {
      // A failed write to stdout ends the command in cli.ts (its 'error' event); this is what it says then.
      setOutputFailureNote((reason) => t('record.stdoutFailed', { reason, ticks }));
      sink = (chunk) => {
        process.stdout.write(chunk);
      };
    } else {
      sink = (chunk) => {
        fd ??= openOutput(file);
        try {
          for (let off = 0; off < chunk.length;) off += writeSync(fd, chunk, off);
        } catch (error) {
          throw new WriteFailure(error as NodeJS.ErrnoException);
        }
      };
    }
    const writer = new RecordingWriter(sink, maxBytes);
    if (!writer.writeAll([recorder.header(first, startedAt), first])) {
      io.err(`procscope: ${t('record.tooSmall', { max: maxBytes })}\n`);
      return EXIT.failure;
    }
    ticks = 1;
    const firstAt = first.at;
    let lastAt = first.at;
    io.err(`procscope: ${t('record.started', { file: shownFile, interval: intervalMs })}\n`);
    let full = false;
    const limitMs = Math.round(seconds * 1000);
    // Each tick is due at a fixed offset from the first, so a slow poll does not push every later one back.
    for (let k = 1; !stop; k++) {
      const due = k * intervalMs;
      // The last tick is the one due at or before the limit. When polls are slower than the interval (threads
      // on a busy machine) the ticks fall behind their schedule: then it is the clock that ends the run, with
      // fewer ticks, not the count of ticks, which would make it last as many times longer as the polls are slow.
      if (Math.max(due, performance.now() - origin) > limitMs) break;
      // Always yield, even when the poll ran past the next tick's time (a loaded machine, a short interval):
      // a loop that never awaits never lets the SIGINT/SIGTERM handler run, and Ctrl-C would not stop it.
      const wait = Math.max(0, due - (performance.now() - origin));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
      if (stop) break;
      const tick = recorder.next();
      if (!writer.write(tick)) {
        full = true;
        break;
      }
      ticks++;
      lastAt = tick.at;
    }
    if (full) io.err(`procscope: ${t('record.maxSize', { max: maxBytes })}\n`);
    io.err(
      `procscope: ${t('record.done', { ticks, seconds: ((lastAt - firstAt) / 1000).toFixed(1), bytes: writer.bytes, file: shownFile })}\n`,
    );
    return EXIT.ok;
  } catch (error) {
    if (error instanceof WriteFailure) {
      const reason = error.cause.code === 'ENOSPC' ? t('error.diskFull') : visible(error.cause.message);
      io.err(
        `procscope: ${ticks > 0 ? t('record.writeFailed', { file: shownFile, reason, ticks }) : t('record.writeFailedNone', { file: shownFile, reason })}\n`,
      );
      return EXIT.failure;
    }
    if (error instanceof ProcScopeError && error.code === 'BAD_REQUEST') {
      io.err(`procscope: ${visible(error.message)}\n`);
      return EXIT.failure;
    }
    return reportError(error, io);
  } finally {
    setOutputFailureNote(undefined);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    recorder?.dispose();
    if (fd !== undefined) closeSync(fd);
  }
};

function isFifo(file: string): boolean {
  try {
    return statSync(osPath(file), { throwIfNoEntry: false })?.isFIFO() === true;
  } catch {
    return false; // the open says why
  }
}

/**
 * Waits for a reader of the FIFO without blocking anything: an open for writing that does not wait fails with
 * ENXIO while nobody reads, so it is tried every 100 ms, the command's stop checked between tries. Once a
 * reader is there, the FIFO is opened again for ordinary (blocking) writes, which then returns at once, and
 * the probe is closed. The fd, or undefined when the command was stopped first. (A reader that leaves in the
 * instant between the two opens makes the second wait for the next one, as any writer of a FIFO would.)
 */
async function openWhenRead(file: string, onWake: (wake: () => void) => void, stopped: () => boolean): Promise<number | undefined> {
  const path = osPath(file);
  for (;;) {
    if (stopped()) return undefined;
    let probe: number | undefined;
    try {
      probe = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENXIO') throw asCannotWrite(file, error);
    }
    if (probe !== undefined) {
      try {
        return openOutput(file);
      } finally {
        closeSync(probe);
      }
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 100);
      onWake(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

/** Opens (creating or emptying) the output file, or says why it cannot. */
function openOutput(file: string): number {
  try {
    return openSync(osPath(file), 'w');
  } catch (error) {
    throw asCannotWrite(file, error);
  }
}

function asCannotWrite(file: string, error: unknown): ProcScopeError {
  return new ProcScopeError('BAD_REQUEST', t('error.cannotWrite', { file: visible(file), reason: visible(errnoText(errorWords(error))) }));
}

/** A write to the output failed (a full disk, a quota, an I/O error): what was written before stays readable. */
class WriteFailure extends Error {
  constructor(override readonly cause: NodeJS.ErrnoException) {
    super(cause.message);
  }
}
