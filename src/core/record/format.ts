// The ProcScope recording format, version 1: what `procscope record` writes, what an exported history holds,
// and what readRecording reads.
//
// A recording is NDJSON (one JSON value per line, UTF-8) compressed with gzip, written as a series of
// independent gzip members: every line is compressed and written as one complete member of its own, so
// the file is a plain concatenation of gzip members (RFC 1952 allows it; `gunzip`, `zcat` and Node's zlib
// read it as one stream). Nothing is ever rewritten, so a file cut at any byte (Ctrl-C, a full disk, a
// killed ssh session, a copy taken while recording) is readable up to its last complete line; the reader
// says where it was cut instead of failing. A gunzipped copy (plain NDJSON) reads the same.
//
// Line 1, the header:
//   {"format":"procscope-recording","version":1,"host":"…","bootTime":ms,"clockTicks":100,"intervalMs":1000,
//    "startedAt":ms,"threads":false,"producer":"procscope 0.1.0"}
// Every later line is one tick (one poll of the process table):
//   {"tick":0,"at":ms,"forks":null,"forksSinceBoot":N,"full":Snapshot}      the first tick: the whole table
//   {"tick":k,"at":ms,"forks":n,"delta":Delta}                               every later tick: what changed
// A Delta (src/core/model.ts) holds `added` (births, whole, with their ppid), `removed` (deaths, by key) and
// `changed` (only the fields that changed: an exec is a new `name`/`cmdline`/`exe` under the same key; CPU,
// RSS, state; when threads are recorded, a process's whole `threads` list whenever any of its threads
// changed: births, exits and state of each thread). JSON has no `undefined`, so a field that went
// away (threads no longer read) is listed by name in the change's `unset` array.
// `forks` is how much the kernel's fork counter (`processes` in /proc/stat, every fork and clone since
// boot, threads included, for the whole machine whatever pid namespace the recorder runs in) grew since
// the tick before, or null when it could not be read. Births the recording did not see (processes that
// lived less than a tick) are at most `forks` minus the births in `added`.
//
// Times are ms since the Unix epoch; a reader takes a tick stamped before the tick before it (the wall clock
// stepped back) as at that tick's time, so that ticks stay in time order. Strings from the OS that are not valid UTF-8 are kept losslessly as
// lone surrogates U+DC80..U+DCFF (JSON writes them as "\udcXX"). A reader accepts a version up to its own
// and refuses a newer one by name; fields it does not know are ignored, so adding one needs no new version.
import { gzipSync } from 'node:zlib';
import type { Delta, ProcessChange, Snapshot } from '../model';

export const RECORDING_FORMAT = 'procscope-recording';
export const RECORDING_VERSION = 1;

export interface RecordingHeader {
  readonly format: typeof RECORDING_FORMAT;
  readonly version: number;
  readonly host: string;
  readonly bootTime: number;
  readonly clockTicks: number;
  /** The interval asked for; each tick's real interval is in its snapshot or delta. */
  readonly intervalMs: number;
  readonly startedAt: number;
  /** Whether every process's threads were recorded. */
  readonly threads: boolean;
  readonly producer?: string;
}

/** One change as it is written: fields that went away are named in `unset` (JSON cannot hold undefined). */
export type EncodedChange = ProcessChange & { readonly unset?: readonly string[] };
export type EncodedDelta = Omit<Delta, 'changed'> & { readonly changed: readonly EncodedChange[] };

export interface FullTickLine {
  readonly tick: number;
  readonly at: number;
  readonly forks: number | null;
  readonly forksSinceBoot: number | null;
  readonly full: Snapshot;
}

export interface DeltaTickLine {
  readonly tick: number;
  readonly at: number;
  readonly forks: number | null;
  readonly delta: EncodedDelta;
}

export type TickLine = FullTickLine | DeltaTickLine;

export function encodeDelta(delta: Delta): EncodedDelta {
  const changed = delta.changed.map((c) => {
    let unset: string[] | undefined;
    for (const [k, v] of Object.entries(c)) if (v === undefined) (unset ??= []).push(k);
    return unset ? { ...c, unset } : c;
  });
  return { ...delta, changed };
}

export function decodeDelta(encoded: EncodedDelta): Delta {
  const changed = encoded.changed.map((c) => {
    if (!c.unset) return c as ProcessChange;
    const { unset, ...rest } = c;
    const out: Record<string, unknown> = { ...rest };
    for (const k of unset) out[k] = undefined;
    return out as ProcessChange;
  });
  return { ...encoded, changed };
}

/** One line as one complete gzip member: the unit that is either wholly in the file or not at all. */
export function encodeLine(value: unknown): Buffer {
  return gzipSync(`${JSON.stringify(value)}\n`);
}

/** The file name offered: the machine and the time of the newest tick, safe on every file system. */
export function historyFileName(host: string, newestAt: number): string {
  const stamp = new Date(newestAt)
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/[:]/g, '-');
  const safeHost = host.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64) || 'host';
  return `procscope-${safeHost}-${stamp}.ndjson.gz`;
}
