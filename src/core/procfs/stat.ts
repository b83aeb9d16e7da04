// /proc/PID/stat and /proc/PID/task/TID/stat (man 5 proc). Parsed from bytes: the hot path of every poll.
import type { SchedPolicy, StateLetter } from '../model';
import { decodeBytes } from './decode';

export interface StatFields {
  readonly pid: number;
  readonly comm: string;
  readonly state: StateLetter;
  readonly ppid: number;
  readonly pgrp: number;
  readonly session: number;
  readonly ttyNr: number;
  readonly tpgid: number;
  readonly flags: number;
  readonly minflt: number;
  readonly majflt: number;
  /** Clock ticks. */
  readonly utime: number;
  readonly stime: number;
  readonly priority: number;
  readonly nice: number;
  readonly numThreads: number;
  /** Clock ticks after boot. */
  readonly starttime: number;
  /** Bytes. */
  readonly vsize: number;
  /** Pages. */
  readonly rss: number;
  readonly processor: number;
  readonly rtPriority: number;
  readonly policy: number;
}

/** PF_KTHREAD from include/linux/sched.h: the task is a kernel thread. */
export const PF_KTHREAD = 0x00200000;

const STATES = new Set<string>(['R', 'S', 'D', 'T', 't', 'X', 'Z', 'P', 'I', 'W', 'K', 'x']);
const POLICIES: readonly SchedPolicy[] = [
  'SCHED_OTHER',
  'SCHED_FIFO',
  'SCHED_RR',
  'SCHED_BATCH',
  'SCHED_ISO',
  'SCHED_IDLE',
  'SCHED_DEADLINE',
  'SCHED_EXT',
];

export function policyName(policy: number): SchedPolicy {
  return POLICIES[policy] ?? 'unknown';
}

const OPEN_PAREN = 0x28;
const CLOSE_PAREN = 0x29;
const SPACE = 0x20;
const MINUS = 0x2d;

/**
 * Where a stat line's name sits: the first `(` (after at least one pid digit) and the LAST `)`; null for
 * content that has no such pair.
 */
export function nameBounds(buf: Uint8Array, length: number): [open: number, close: number] | null {
  let open = -1;
  for (let i = 0; i < length; i++) {
    if (buf[i] === OPEN_PAREN) {
      open = i;
      break;
    }
  }
  let close = -1;
  for (let i = length - 1; i > open; i--) {
    if (buf[i] === CLOSE_PAREN) {
      close = i;
      break;
    }
  }
  return open < 1 || close < 0 ? null : [open, close];
}

/**
 * utime, stime and starttime as the kernel writes them: clock ticks, unsigned, and (at 100 Hz) far below
 * 2^53 for any machine's uptime. Anything else (a negative, a 23-digit number in a copied tree) is not a stat
 * line: read as such it would give a start time no Date can hold and a CPU time of "-1--1:-1:-1".
 */
export function plausibleTimes(utime: number, stime: number, starttime: number): boolean {
  return utime >= 0 && stime >= 0 && starttime >= 0 && Number.isSafeInteger(utime + stime) && Number.isSafeInteger(starttime);
}

/**
 * Parses stat content. The name sits between the first `(` and the LAST `)`: a name may itself hold
 * spaces, parentheses and newlines, so splitting on spaces (as VS Code's ps.ts does) would shift fields.
 * Returns undefined for content that is not a stat line (truncated, empty).
 */
export function parseStat(buf: Uint8Array, length = buf.length): StatFields | undefined {
  const bounds = nameBounds(buf, length);
  if (!bounds) return undefined;
  const [open, close] = bounds;
  const pid = parseIntAt(buf, 0, open - 1);
  const comm = decodeBytes(buf, open + 1, close);

  // Fields from 3 (state) on, split on single spaces. Numbers are read straight from the bytes.
  let i = close + 2;
  if (i >= length) return undefined;
  const stateChar = String.fromCharCode(buf[i]!);
  const state = (STATES.has(stateChar) ? stateChar : '?') as StateLetter;
  i += 2;
  // Fields 4..41 (38 values) into a reused array; field 25 (rsslim) may be 2^64-1 and is not used.
  const values = FIELDS;
  let count = 0;
  while (i < length && count < 38) {
    let neg = false;
    if (buf[i] === MINUS) {
      neg = true;
      i++;
    }
    let v = 0;
    while (i < length) {
      const c = buf[i]!;
      if (c === SPACE || c === 0x0a) break;
      v = v * 10 + (c - 48);
      i++;
    }
    values[count++] = neg ? -v : v;
    i++;
  }
  if (count < 38 || !plausibleTimes(values[10]!, values[11]!, values[18]!)) return undefined;
  // values[n - 4] is field n of man 5 proc.
  return {
    pid,
    comm,
    state,
    ppid: values[0]!,
    pgrp: values[1]!,
    session: values[2]!,
    ttyNr: values[3]!,
    tpgid: values[4]!,
    flags: values[5]!,
    minflt: values[6]!,
    majflt: values[8]!,
    utime: values[10]!,
    stime: values[11]!,
    priority: values[14]!,
    nice: values[15]!,
    numThreads: values[16]!,
    starttime: values[18]!,
    vsize: values[19]!,
    rss: values[20]!,
    processor: values[35]!,
    rtPriority: values[36]!,
    policy: values[37]!,
  };
}

/** Scratch space for one parse (parsing is synchronous, so one array serves every call). */
const FIELDS = new Float64Array(38);

function parseIntAt(buf: Uint8Array, start: number, end: number): number {
  let v = 0;
  for (let i = start; i < end; i++) v = v * 10 + (buf[i]! - 48);
  return v;
}
