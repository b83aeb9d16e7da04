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
const POLICIES: readonly SchedPolicy[] = ['SCHED_OTHER', 'SCHED_FIFO', 'SCHED_RR', 'SCHED_BATCH', 'SCHED_ISO', 'SCHED_IDLE', 'SCHED_DEADLINE', 'SCHED_EXT'];

export function policyName(policy: number): SchedPolicy {
  return POLICIES[policy] ?? 'unknown';
}

const OPEN_PAREN = 0x28;
const CLOSE_PAREN = 0x29;
const SPACE = 0x20;
const MINUS = 0x2d;

/**
 * Parses stat content. The name sits between the first `(` and the LAST `)`: a name may itself hold
 * spaces, parentheses and newlines, so splitting on spaces (as VS Code's ps.ts does) would shift fields.
 * Returns undefined for content that is not a stat line (truncated, empty).
 */
export function parseStat(buf: Uint8Array, length = buf.length): StatFields | undefined {
  let open = -1;
  for (let i = 0; i < length; i++) {
    if (buf[i] === OPEN_PAREN) { open = i; break; }
  }
  let close = -1;
  for (let i = length - 1; i > open; i--) {
    if (buf[i] === CLOSE_PAREN) { close = i; break; }
  }
  if (open < 1 || close < 0) return undefined;
  const pid = parseIntAt(buf, 0, open - 1);
  const comm = decodeBytes(buf, open + 1, close);

  // Fields from 3 (state) on, split on single spaces. Numbers are read straight from the bytes.
  let i = close + 2;
  if (i >= length) return undefined;
  const stateChar = String.fromCharCode(buf[i]!);
  const state = (STATES.has(stateChar) ? stateChar : '?') as StateLetter;
  i += 2;
  const values: number[] = [];
  // We need fields 4..41 (38 values); field 25 (rsslim) may be 2^64-1 and is not used.
  while (i < length && values.length < 38) {
    let neg = false;
    if (buf[i] === MINUS) { neg = true; i++; }
    let v = 0;
    while (i < length) {
      const c = buf[i]!;
      if (c === SPACE || c === 0x0a) break;
      v = v * 10 + (c - 48);
      i++;
    }
    values.push(neg ? -v : v);
    i++;
  }
  if (values.length < 38) return undefined;
  const f = (n: number): number => values[n - 4]!;
  return {
    pid, comm, state,
    ppid: f(4), pgrp: f(5), session: f(6), ttyNr: f(7), tpgid: f(8), flags: f(9),
    minflt: f(10), majflt: f(12), utime: f(14), stime: f(15), priority: f(18), nice: f(19),
    numThreads: f(20), starttime: f(22), vsize: f(23), rss: f(24), processor: f(39),
    rtPriority: f(40), policy: f(41),
  };
}

function parseIntAt(buf: Uint8Array, start: number, end: number): number {
  let v = 0;
  for (let i = start; i < end; i++) v = v * 10 + (buf[i]! - 48);
  return v;
}
