// Reads a recording (format.ts) back: the header, every tick, and the process table at any tick, replayed
// from the nearest full snapshot. A file cut short is read up to its last complete line, with a note of
// where it was cut; only a file that is not a recording at all, or is newer than this reader, is refused.
import { constants as fsConstants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { constants } from 'node:buffer';
import { createGunzip, createInflateRaw } from 'node:zlib';
import { applyDeltas } from '../diff';
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

/** Whole tables kept while replaying: at most one per this many ticks. */
const CHECKPOINT_EVERY = 64;

export class Recording {
  private readonly checkpoints = new Map<number, Snapshot>();
  /** The ticks of the kept tables, in order: each one is made only after the one before it. */
  private readonly checkpointTicks: number[] = [];

  constructor(
    readonly header: RecordingHeader,
    readonly ticks: readonly RecordedTick[],
    readonly cutOff: CutOff | undefined,
  ) {
    const first = ticks[0];
    if (first?.full) {
      this.checkpoints.set(0, first.full);
      this.checkpointTicks.push(0);
    }
  }

  /** From the first tick to the last, ms (0 with fewer than two ticks). */
  get durationMs(): number {
    return this.ticks.length < 2 ? 0 : this.ticks[this.ticks.length - 1]!.at - this.ticks[0]!.at;
  }

  /**
   * The process table as it was at tick `index` (0 .. ticks.length - 1): the nearest whole table kept before it,
   * and every delta since applied at once (one pass over a map and one sort, however many deltas there are).
   *
   * A whole table costs its size to make and to keep, so one is kept only where the deltas since the last one
   * (a tick and each of its entries counting one) are at least as many as the rows that table holds, and
   * CHECKPOINT_EVERY ticks have passed. Kept every so many ticks alone, a file of a large table and many ticks
   * that barely change it (a few MB, as a crafted file can be) cost a whole table per few ticks, far more time
   * and memory than reading it. So every table asked for costs about a table and the deltas since the last one
   * kept, and all the tables kept together cost about what the deltas do.
   */
  snapshotAt(index: number): Snapshot {
    if (!Number.isInteger(index) || index < 0 || index >= this.ticks.length)
      throw new RangeError(`no tick ${index} (0..${this.ticks.length - 1})`);
    const kept = this.checkpointTicks;
    let lo = 0;
    let hi = kept.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (kept[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    let from = kept[lo]!;
    let snapshot = this.checkpoints.get(from)!;
    // Only past the last table kept are new ones made: where each goes depends on the one before it.
    if (lo === kept.length - 1) {
      let weight = 0;
      for (let i = from + 1; i <= index; i++) {
        const d = this.ticks[i]!.delta!;
        weight += 1 + d.added.length + d.removed.length + d.changed.length;
        if (i - from >= CHECKPOINT_EVERY && weight >= snapshot.processes.length) {
          snapshot = applyDeltas(snapshot, this.deltas(from, i));
          this.checkpoints.set(i, snapshot);
          kept.push(i);
          from = i;
          weight = 0;
        }
      }
    }
    return from === index ? snapshot : applyDeltas(snapshot, this.deltas(from, index));
  }

  /** The deltas of the ticks after `after`, up to and including `upTo`. */
  private deltas(after: number, upTo: number): Delta[] {
    const out: Delta[] = [];
    for (let i = after + 1; i <= upTo; i++) out.push(this.ticks[i]!.delta!);
    return out;
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
 *
 * zlib takes a zero byte where a member should start as padding and stops there without a word, whatever
 * follows. Zeros to the end are padding indeed (a file system fills the end of a file cut by a crash with them),
 * but a member after them is data that was not read: the recording is then cut there, and says so.
 */
async function gunzipWhatIsThere(data: Buffer, maxText: number): Promise<{ text: Buffer; error?: string }> {
  const gunzip = (part: Buffer): Promise<Inflated> => inflate(part, maxText, false);
  try {
    const whole = await gunzip(data);
    return nonZeroAfter(data, whole.used) ? { text: whole.text, error: ZEROS_THEN_DATA } : { text: whole.text };
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
    const keep = (part: Buffer): void => {
      total += part.length;
      if (total > maxText) throw new RecordingError('TOO_LARGE', undefined, undefined, maxText);
      parts.push(part);
    };
    while (at < starts.length - 1) {
      let next = -1;
      let stop = false;
      for (let j = at + 1; j < starts.length && j <= at + 16; j++) {
        try {
          const span = data.subarray(starts[at]!, starts[j]!);
          const part = await gunzip(span);
          keep(part.text);
          next = j;
          if (nonZeroAfter(span, part.used)) {
            error = ZEROS_THEN_DATA;
            stop = true;
          }
          break;
        } catch (e) {
          if (e instanceof RecordingError) throw e;
          error = (e as Error).message;
        }
      }
      if (stop) break;
      if (next < 0) {
        // Nothing from here decodes: the member here is damaged, or it is whole and followed by bytes that are no
        // member (junk appended to the file, or written over what came next). A whole one is kept: where it ends
        // is found by inflating its data alone, and the member up to there must then decode, checksum and all.
        const end = await memberEnd(data, starts[at]!, maxText);
        if (end !== undefined) {
          try {
            keep((await gunzip(data.subarray(starts[at]!, end))).text);
          } catch (e) {
            if (e instanceof RecordingError) throw e;
          }
        }
        break;
      }
      at = next;
    }
    return { text: Buffer.concat(parts), error };
  }
}

/** What cut a recording whose gzip data goes on after zero bytes where a member should start. */
const ZEROS_THEN_DATA = 'zero bytes where a gzip member should start, with more data after them';

/** Whether anything but zero bytes follows the first `used` bytes of `part`. */
function nonZeroAfter(part: Buffer, used: number): boolean {
  for (let i = used; i < part.length; i++) if (part[i] !== 0) return true;
  return false;
}

interface Inflated {
  readonly text: Buffer;
  /** How many bytes of the input the inflater took: it stops at the end of the data (raw) or at zero padding (gzip). */
  readonly used: number;
}

/**
 * `part` inflated asynchronously, as gzip or as raw deflate data; more than `maxText` bytes of text is TOO_LARGE.
 * zlib's error for damaged data is thrown as it is.
 */
function inflate(part: Buffer, maxText: number, raw: boolean): Promise<Inflated> {
  return new Promise((resolve, reject) => {
    const inflater = raw ? createInflateRaw() : createGunzip();
    const chunks: Buffer[] = [];
    let size = 0;
    inflater.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxText) {
        inflater.destroy();
        reject(new RecordingError('TOO_LARGE', undefined, undefined, maxText));
      } else chunks.push(chunk);
    });
    inflater.on('error', reject);
    inflater.on('end', () => resolve({ text: Buffer.concat(chunks, size), used: inflater.bytesWritten }));
    inflater.end(part);
  });
}

/**
 * Where the gzip member at `start` ends (after its 8-byte trailer), or undefined when its header is damaged or
 * its data does not inflate. Its header is ten fixed bytes, then the parts its flags say follow (FEXTRA 0x04:
 * a length and that many bytes; FNAME 0x08 and FCOMMENT 0x10: a NUL-ended text each; FHCRC 0x02: two bytes),
 * then its deflate data, inflated raw: the inflater stops at the data's last block and counts what it took,
 * whatever follows.
 */
async function memberEnd(data: Buffer, start: number, maxText: number): Promise<number | undefined> {
  const flags = data[start + 3];
  if (flags === undefined || data[start + 2] !== 0x08 || (flags & 0xe0) !== 0) return undefined;
  let p = start + 10;
  if (flags & 0x04) p = p + 2 <= data.length ? p + 2 + data.readUInt16LE(p) : data.length;
  for (const zeroEnded of [0x08, 0x10]) {
    if (!(flags & zeroEnded)) continue;
    const nul = data.indexOf(0, p);
    p = nul < 0 ? data.length : nul + 1;
  }
  if (flags & 0x02) p += 2;
  if (p >= data.length) return undefined;
  try {
    const { used } = await inflate(data.subarray(p), maxText, true);
    const end = p + used + 8;
    return used > 0 && end <= data.length ? end : undefined;
  } catch (e) {
    if (e instanceof RecordingError) throw e;
    return undefined;
  }
}

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
  // Only lines ended by a newline are whole; what follows the last newline was cut mid-line. Lines are read one
  // at a time, and reading stops at the first that is not the next tick: the text may hold millions of lines
  // after it (a few KB of gzip make a GB of newlines), and they are never made into strings.
  const firstEnd = text.indexOf(0x0a);
  if (firstEnd < 0) {
    // No whole line: a recording cut inside its header, or some other file.
    const head = text.subarray(0, 64).toString('utf8').replace(/\s+/g, '');
    throw notRecording(
      head.startsWith(`{"format":"${RECORDING_FORMAT}"`) ||
        (`{"format":"${RECORDING_FORMAT}"`.startsWith(head) && (head.length > 0 || streamError !== undefined))
        ? 'cutInHeader'
        : 'notHeader',
    );
  }
  // A line longer than a string can be (a gzip bomb makes one easily) is no header and no tick this reader can
  // read: Buffer.toString would throw for it.
  if (firstEnd > constants.MAX_STRING_LENGTH) throw notRecording('notHeader');
  const header = parseHeader(text.subarray(0, firstEnd).toString('utf8'));
  const ticks: RecordedTick[] = [];
  let cut: Omit<CutOff, 'afterTick'> | undefined;
  let start = firstEnd + 1;
  let line = 2;
  for (let nl = text.indexOf(0x0a, start); nl >= 0; nl = text.indexOf(0x0a, start)) {
    const tick = nl - start > constants.MAX_STRING_LENGTH ? 'notTick' : parseTick(text.subarray(start, nl).toString('utf8'), ticks.length);
    if (typeof tick === 'string') {
      cut = { why: tick, line };
      break;
    }
    // Ticks are in time order (spans, rates and --at's search rely on it): a tick stamped before the one
    // before it (the wall clock stepped back, or a crafted file) is read as at that one's time.
    const before = ticks[ticks.length - 1];
    ticks.push(before !== undefined && tick.at < before.at ? { ...tick, at: before.at } : tick);
    start = nl + 1;
    line++;
  }
  if (!cut && options.truncated) cut = { why: 'limit' };
  if (!cut && start < text.length) cut = { why: 'incomplete', line };
  if (!cut && streamError !== undefined) cut = { why: 'gzip', detail: streamError };
  return new Recording(header, ticks, cut ? { afterTick: ticks.length - 1, ...cut } : undefined);
}

function parseHeader(line: string): RecordingHeader {
  let value: unknown;
  try {
    value = JSON.parse(line);
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
  // Only the fields this reader knows: one it does not know is ignored (format.ts), so it is not kept either, and
  // cannot reach what prints the header (`replay --json`) nested deeper than JSON.stringify can follow.
  return {
    format: RECORDING_FORMAT,
    version: h.version,
    host: typeof h.host === 'string' ? h.host : '',
    bootTime: h.bootTime!,
    clockTicks: h.clockTicks!,
    intervalMs: h.intervalMs!,
    startedAt: h.startedAt!,
    threads: h.threads === true,
    ...(typeof h.producer === 'string' ? { producer: h.producer } : {}),
  };
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
