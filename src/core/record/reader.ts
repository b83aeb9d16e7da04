// Reads a recording (format.ts) back: the header, every tick, and the process table at any tick, replayed
// from the nearest full snapshot. A file cut short is read up to its last complete line, with a note of
// where it was cut; only a file that is not a recording at all, or is newer than this reader, is refused.
import { constants as fsConstants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { constants } from 'node:buffer';
import { promisify } from 'node:util';
import { gunzip as gunzipCallback, type ZlibOptions } from 'node:zlib';
import { applyDelta } from '../diff';
import type { Delta, Snapshot } from '../model';
import { isRecordedDelta, isRecordedSnapshot, isRecordedTime } from './shape';
import { decodeDelta, RECORDING_FORMAT, RECORDING_VERSION, type EncodedDelta, type RecordingHeader } from './format';
import { osPath } from '../procfs/procFs';

export type RecordingErrorCode =
  /** Not a ProcScope recording (another file, a corrupt first line, an empty file). */
  | 'NOT_RECORDING'
  /** A recording made by a newer ProcScope, in a format version this one does not know. */
  | 'TOO_NEW'
  /** Its text, once decompressed, is over the bound the reader was given. */
  | 'TOO_LARGE'
  /** The file could not be read at all (`errno` says why). */
  | 'UNREADABLE';

/** Why a file is not a recording, for a message in the reader's language. */
export type NotRecordingWhy = 'empty' | 'cutInHeader' | 'notJson' | 'notHeader' | 'badVersion' | 'badHeader' | 'notFile';

const NOT_RECORDING_TEXT: Record<NotRecordingWhy, string> = {
  empty: 'the file is empty',
  cutInHeader: 'its first line (the header) is cut off or damaged',
  notJson: 'its first line is not JSON',
  notHeader: 'its first line is not a ProcScope recording header',
  badVersion: 'its header has no valid version',
  badHeader: 'its header lacks a field every recording has',
  notFile: 'it is not a regular file (a FIFO, a device, a socket or a directory)',
};

export class RecordingError extends Error {
  constructor(
    readonly code: RecordingErrorCode,
    readonly why: NotRecordingWhy | undefined,
    readonly version?: number,
    /** TOO_LARGE: the bound, bytes; UNREADABLE: the errno code. */
    readonly detail?: number | string,
  ) {
    super(
      code === 'TOO_NEW'
        ? `recording format version ${version} is newer than this ProcScope understands (${RECORDING_VERSION})`
        : code === 'TOO_LARGE'
          ? `the recording is larger than ${String(detail)} bytes once decompressed`
          : code === 'UNREADABLE'
            ? `the file could not be read (${String(detail)})`
            : `not a ProcScope recording: ${NOT_RECORDING_TEXT[why ?? 'notHeader']}`,
    );
    this.name = 'RecordingError';
  }
}

export interface RecordedTick {
  readonly tick: number;
  readonly at: number;
  /** How much the kernel's fork counter grew since the tick before (null: unknown, or the first tick). */
  readonly forks: number | null;
  /** The first tick only: the whole table. */
  readonly full?: Snapshot;
  /** Every later tick: what changed since the tick before. */
  readonly delta?: Delta;
}

/** Where a damaged or unfinished file stopped being readable. */
export interface CutOff {
  /** The last tick read in full (-1: none after the header). */
  readonly afterTick: number;
  /**
   * What was wrong: the file ends mid-line, a line is not JSON or not the next tick, gzip data is damaged, or
   * (`limit`) the file is larger than the bound it was read with and only its start was read.
   */
  readonly why: 'incomplete' | 'notJson' | 'notTick' | 'gzip' | 'limit';
  /** The 1-based line that could not be read, when a line was at fault. */
  readonly line?: number;
  /** zlib's own words for damaged gzip data. */
  readonly detail?: string;
}

/** Full snapshots kept while replaying, one per this many ticks, so any tick is at most this many deltas away. */
const CHECKPOINT_EVERY = 64;

export class Recording {
  private readonly checkpoints = new Map<number, Snapshot>();

  constructor(
    readonly header: RecordingHeader,
    readonly ticks: readonly RecordedTick[],
    readonly cutOff: CutOff | undefined,
  ) {
    const first = ticks[0];
    if (first?.full) this.checkpoints.set(0, first.full);
  }

  /** From the first tick to the last, ms (0 with fewer than two ticks). */
  get durationMs(): number {
    return this.ticks.length < 2 ? 0 : this.ticks[this.ticks.length - 1]!.at - this.ticks[0]!.at;
  }

  /** The process table as it was at tick `index` (0 .. ticks.length - 1). */
  snapshotAt(index: number): Snapshot {
    if (!Number.isInteger(index) || index < 0 || index >= this.ticks.length)
      throw new RangeError(`no tick ${index} (0..${this.ticks.length - 1})`);
    let base = index - (index % CHECKPOINT_EVERY);
    while (!this.checkpoints.has(base)) base -= CHECKPOINT_EVERY;
    let snapshot = this.checkpoints.get(base)!;
    for (let i = base + 1; i <= index; i++) {
      snapshot = applyDelta(snapshot, this.ticks[i]!.delta!);
      if (i % CHECKPOINT_EVERY === 0) this.checkpoints.set(i, snapshot);
    }
    return snapshot;
  }

  /** The last tick taken at or before `time` (ms since the epoch); the first tick for an earlier time. */
  tickAt(time: number): number {
    let lo = 0;
    let hi = this.ticks.length - 1;
    if (hi < 0) throw new RangeError('the recording has no ticks');
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.ticks[mid]!.at <= time) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

/** What `procscope replay` reads of a file at most, and decompresses at most: its start, when it is larger. */
export const MAX_CLI_RECORDING_FILE = 1024 * 1024 * 1024;

/**
 * A recording as `procscope replay` reads it: any file it can open, a pipe or a process substitution
 * (`replay <(zcat f)`, `replay /dev/stdin`) included, so it is read in a loop rather than by its size. At most
 * `maxFileBytes` are read: a larger file (or an endless one) is read up to there and ends there, as a file cut
 * short does (its CutOff says `limit`). At most `maxTextBytes` are decompressed: more (a gzip bomb) is refused
 * as TOO_LARGE. Data whose first byte shows it is neither gzip nor a JSON line (`/dev/zero`, a binary) is not
 * read further: its verdict is already known. A file that cannot be opened or read throws Node's own error.
 */
export async function readRecording(
  path: string,
  limits: { readonly maxFileBytes?: number; readonly maxTextBytes?: number } = {},
): Promise<Recording> {
  const file = await open(osPath(path), 'r');
  let read: { data: Buffer; truncated: boolean };
  try {
    read = await readCapped(file, limits.maxFileBytes ?? MAX_CLI_RECORDING_FILE);
  } finally {
    await file.close().catch(() => undefined);
  }
  return parseRecording(read.data, { truncated: read.truncated, maxTextBytes: limits.maxTextBytes ?? MAX_RECORDING_TEXT });
}

/**
 * At most `maxFile` bytes of an open file, in a loop (a pipe has no size), and whether there was more. A
 * regular file is read in one piece of its size (no copy at the end); anything else in growing pieces. Data
 * whose start shows it cannot be a recording is not read further.
 */
async function readCapped(file: FileHandle, maxFile: number): Promise<{ data: Buffer; truncated: boolean }> {
  const st = await file.stat();
  const chunks: Buffer[] = [];
  let total = 0;
  let size = st.isFile() && st.size > 0 ? Math.min(st.size, maxFile) : 64 * 1024;
  while (total < maxFile) {
    const chunk = Buffer.allocUnsafe(Math.min(size, maxFile - total));
    let got = 0;
    while (got < chunk.length) {
      const { bytesRead } = await file.read(chunk, got, chunk.length - got, null);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    if (got > 0) chunks.push(chunk.subarray(0, got));
    total += got;
    if (got < chunk.length || !couldBeRecording(chunks[0]!)) break;
    size = Math.min(size * 2, 64 * 1024 * 1024);
  }
  // At the bound: one byte more says whether there was more to read.
  const truncated = total >= maxFile && (await file.read(Buffer.alloc(1), 0, 1, null)).bytesRead > 0;
  return { data: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total), truncated };
}

/**
 * False once the start of the data shows it cannot be a recording: a recording is gzip (1f 8b) or NDJSON whose
 * first line is a JSON object, so after optional blanks its first byte is `{`. True while it cannot tell yet.
 */
function couldBeRecording(start: Buffer): boolean {
  if (start[0] === 0x1f) return true;
  for (const byte of start) {
    if (byte === 0x20 || byte === 0x09 || byte === 0x0d) continue;
    return byte === 0x7b;
  }
  return true;
}

/** What the panel reads of a recording file at most: its start, when the file is larger. */
export const MAX_RECORDING_FILE = 256 * 1024 * 1024;

/**
 * Reads at most `maxFileBytes` of the file (a larger one is read up to there, as a file cut short is) and
 * at most `maxTextBytes` once decompressed. Every failure is a RecordingError: an unreadable file (with its
 * errno), one that is not a regular file, one that is not a recording, one too new, one too large.
 *
 * Nothing here blocks the thread it runs on (the extension host's, in the panel): the file is opened
 * non-blocking, so a FIFO or a device named as a recording is refused at once instead of waiting for a
 * writer, and it is read and decompressed asynchronously.
 */
export async function loadRecordingFile(
  path: string,
  limits: { readonly maxFileBytes?: number; readonly maxTextBytes?: number } = {},
): Promise<Recording> {
  let read: { data: Buffer; truncated: boolean };
  let file: FileHandle | undefined;
  try {
    file = await open(path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK | fsConstants.O_NOCTTY);
    if (!(await file.stat()).isFile()) throw notRecording('notFile');
    read = await readCapped(file, limits.maxFileBytes ?? MAX_RECORDING_FILE);
  } catch (e) {
    if (e instanceof RecordingError) throw e;
    throw new RecordingError('UNREADABLE', undefined, undefined, (e as NodeJS.ErrnoException).code ?? String(e));
  } finally {
    await file?.close().catch(() => undefined);
  }
  return parseRecording(read.data, { truncated: read.truncated, maxTextBytes: limits.maxTextBytes ?? MAX_RECORDING_TEXT });
}

/**
 * Decompresses what it can. The whole file at once when it is sound; otherwise member by member from the
 * start, up to the first member that is cut or damaged, so everything before the damage is kept. Member
 * starts are found by their magic bytes (1f 8b 08); the same bytes inside compressed data only make a
 * candidate that fails to decode on its own and is joined to the next.
 */
async function gunzipWhatIsThere(data: Buffer, maxText: number): Promise<{ text: Buffer; error?: string }> {
  const gunzip = async (part: Buffer): Promise<Buffer> => {
    try {
      return await gunzipAsync(part, { maxOutputLength: maxText });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
        throw new RecordingError('TOO_LARGE', undefined, undefined, maxText);
      throw e;
    }
  };
  try {
    return { text: await gunzip(data) };
  } catch (whole) {
    if (whole instanceof RecordingError) throw whole;
    const starts: number[] = [];
    for (let i = data.indexOf(GZIP_MAGIC); i >= 0; i = data.indexOf(GZIP_MAGIC, i + 1)) starts.push(i);
    // A file cut one or two bytes into a member ends in a part of the magic: that is a start too.
    for (const tail of [2, 1]) {
      if (data.length > tail && GZIP_MAGIC.subarray(0, tail).equals(data.subarray(data.length - tail))) {
        starts.push(data.length - tail);
        break;
      }
    }
    starts.push(data.length);
    const parts: Buffer[] = [];
    let error = (whole as Error).message;
    // The first member's own header is damaged: nothing before the damage to keep.
    if (starts[0] !== 0) return { text: Buffer.alloc(0), error };
    let at = 0;
    let total = 0;
    while (at < starts.length - 1) {
      let next = -1;
      for (let j = at + 1; j < starts.length && j <= at + 16; j++) {
        try {
          const part = await gunzip(data.subarray(starts[at]!, starts[j]!));
          total += part.length;
          if (total > maxText) throw new RecordingError('TOO_LARGE', undefined, undefined, maxText);
          parts.push(part);
          next = j;
          break;
        } catch (e) {
          if (e instanceof RecordingError) throw e;
          error = (e as Error).message;
        }
      }
      if (next < 0) break;
      at = next;
    }
    return { text: Buffer.concat(parts), error };
  }
}

const gunzipAsync = promisify<Buffer, ZlibOptions, Buffer>(gunzipCallback);

const GZIP_MAGIC = Buffer.from([0x1f, 0x8b, 0x08]);

function notRecording(why: NotRecordingWhy): RecordingError {
  return new RecordingError('NOT_RECORDING', why);
}

/** What the panel decompresses of a recording at most: far more than any panel history, well under Node's limits. */
export const MAX_RECORDING_TEXT = 1024 * 1024 * 1024;

/**
 * @param options.maxTextBytes the bound on the decompressed text (a small file may hold a gzip bomb).
 * @param options.truncated the data is only the start of a larger file: the recording ends where it stops.
 */
export async function parseRecording(
  data: Buffer,
  options: { readonly maxTextBytes?: number; readonly truncated?: boolean } = {},
): Promise<Recording> {
  // Unbounded unless asked (what Node can hold); the panel and `procscope replay` ask for MAX_RECORDING_TEXT.
  const maxText = options.maxTextBytes ?? constants.MAX_LENGTH;
  if (data.length === 0) throw notRecording('empty');
  // The first bytes of a gzip member and nothing more: a recording cut inside its header.
  if (data.length < GZIP_MAGIC.length && GZIP_MAGIC.subarray(0, data.length).equals(data)) throw notRecording('cutInHeader');
  let text = data;
  let streamError: string | undefined;
  if (data[0] === 0x1f && data[1] === 0x8b) {
    ({ text, error: streamError } = await gunzipWhatIsThere(data, maxText));
  } else if (data.length > maxText) {
    throw new RecordingError('TOO_LARGE', undefined, undefined, maxText);
  }
  // Only lines ended by a newline are whole; what follows the last newline was cut mid-line.
  const lines: string[] = [];
  let start = 0;
  for (let nl = text.indexOf(0x0a); nl >= 0; nl = text.indexOf(0x0a, start)) {
    lines.push(text.subarray(start, nl).toString('utf8'));
    start = nl + 1;
  }
  const partial = start < text.length;

  if (lines.length === 0) {
    // No whole line: a recording cut inside its header, or some other file.
    const head = text.subarray(0, 64).toString('utf8').replace(/\s+/g, '');
    throw notRecording(
      head.startsWith(`{"format":"${RECORDING_FORMAT}"`) ||
        (`{"format":"${RECORDING_FORMAT}"`.startsWith(head) && (head.length > 0 || streamError !== undefined))
        ? 'cutInHeader'
        : 'notHeader',
    );
  }
  const header = parseHeader(lines[0]);
  const ticks: RecordedTick[] = [];
  let cut: Omit<CutOff, 'afterTick'> | undefined;
  for (let i = 1; i < lines.length; i++) {
    const tick = parseTick(lines[i]!, ticks.length);
    if (typeof tick === 'string') {
      cut = { why: tick, line: i + 1 };
      break;
    }
    // Ticks are in time order (spans, rates and --at's search rely on it): a tick stamped before the one
    // before it (the wall clock stepped back, or a crafted file) is read as at that one's time.
    const before = ticks[ticks.length - 1];
    ticks.push(before !== undefined && tick.at < before.at ? { ...tick, at: before.at } : tick);
  }
  if (!cut && options.truncated) cut = { why: 'limit' };
  if (!cut && partial) cut = { why: 'incomplete', line: lines.length + 1 };
  if (!cut && streamError !== undefined) cut = { why: 'gzip', detail: streamError };
  return new Recording(header, ticks, cut ? { afterTick: ticks.length - 1, ...cut } : undefined);
}

function parseHeader(line: string | undefined): RecordingHeader {
  let value: unknown;
  try {
    value = JSON.parse(line ?? '');
  } catch {
    throw notRecording('notJson');
  }
  const h = value as Partial<RecordingHeader> | null;
  if (typeof h !== 'object' || h === null || h.format !== RECORDING_FORMAT) throw notRecording('notHeader');
  if (typeof h.version !== 'number' || !Number.isInteger(h.version) || h.version < 1) throw notRecording('badVersion');
  if (h.version > RECORDING_VERSION) {
    throw new RecordingError('TOO_NEW', undefined, h.version);
  }
  for (const field of ['bootTime', 'clockTicks', 'intervalMs', 'startedAt'] as const) {
    if (typeof h[field] !== 'number' || !Number.isFinite(h[field])) throw notRecording('badHeader');
  }
  // Times a Date can hold (a start of 1e300 cannot be printed as a date).
  for (const field of ['bootTime', 'startedAt'] as const) {
    if (!isRecordedTime(h[field])) throw notRecording('badHeader');
  }
  const { producer, ...rest } = h;
  return {
    ...rest,
    host: typeof h.host === 'string' ? h.host : '',
    threads: h.threads === true,
    ...(typeof producer === 'string' ? { producer } : {}),
  } as RecordingHeader;
}

/** The tick, or why this line cannot be one (the recording is read up to the line before). */
function parseTick(line: string, expected: number): RecordedTick | 'notJson' | 'notTick' {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'notJson';
  }
  const v = value as { tick?: unknown; at?: unknown; forks?: unknown; full?: Snapshot; delta?: EncodedDelta } | null;
  // A time a Date can hold: one past it (1e300, or 1e400, which JSON.parse makes Infinity) cannot be printed.
  if (typeof v !== 'object' || v === null || v.tick !== expected || typeof v.at !== 'number' || !isRecordedTime(v.at)) return 'notTick';
  // A count: a negative, fractional or huge number is no fork count, and is read as unknown.
  const forks = typeof v.forks === 'number' && Number.isSafeInteger(v.forks) && v.forks >= 0 ? v.forks : null;
  // Every field the panel and replay show, of the type the sampler writes (shape.ts).
  if (expected === 0) {
    if (!isRecordedSnapshot(v.full)) return 'notTick';
    return { tick: 0, at: v.at, forks, full: v.full! };
  }
  if (!isRecordedDelta(v.delta)) return 'notTick';
  return { tick: expected, at: v.at, forks, delta: decodeDelta(v.delta!) };
}
