// The text form of a process's identity, in one place: the sampler writes it, the host validates it and acts
// on it, the detail reader checks it. Browser-safe (no Node imports), so the webview may read it too.

/**
 * (pid, start time in clock ticks since boot): a reused pid is a different process. `pid@start`, and
 * `pid@start+N` for the Nth later process the sampler saw at the same pid within the same clock tick (it
 * noticed the earlier one's kept-open stat file fail, then found the pid alive with the same start time).
 */
export type ProcessKey = string;

/** Linux's PID_MAX_LIMIT (2^22): no pid can be larger on any configuration, and a key holds no larger one. */
export const PID_MAX = 4_194_304;

/**
 * The pid an entry of a procfs root names, or undefined for one that names no process (`self`, `stat`, ...).
 * A copied tree (`--proc-root`) may hold any name: one above PID_MAX is no process either, and would make a
 * key nothing reads back.
 */
export function pidOfEntry(name: string): number | undefined {
  const c = name.charCodeAt(0);
  if (c < 49 || c > 57) return undefined; // a pid starts with 1-9
  const pid = Number(name);
  return Number.isInteger(pid) && pid >= 1 && pid <= PID_MAX ? pid : undefined;
}

export function processKey(pid: number, startTicks: number, incarnation = 0): ProcessKey {
  return incarnation > 0 ? `${pid}@${startTicks}+${incarnation}` : `${pid}@${startTicks}`;
}

// Bounded so that a key from an untrusted sender can neither name pid 0 nor grow without limit: a pid has at
// most 7 digits (pid_max is at most 2^22), the start time at most 20 (a 64-bit counter), and the suffix is
// only ever written for N > 0.
const KEY = /^([1-9][0-9]{0,6})@([0-9]{1,20})(?:\+([1-9][0-9]{0,5}))?$/;

/**
 * The parts of a key with the start time kept as the text it was written as: it is compared with the text of
 * /proc/PID/stat, and a 64-bit counter can in theory exceed what a double holds exactly.
 */
export function splitProcessKey(key: string): { pid: number; startText: string; incarnation: number } | undefined {
  const m = KEY.exec(key);
  if (!m) return undefined;
  const pid = Number(m[1]);
  // Seven digits reach 9999999: a pid above PID_MAX names no process.
  if (pid > PID_MAX) return undefined;
  return { pid, startText: m[2]!, incarnation: m[3] === undefined ? 0 : Number(m[3]) };
}

/** The parts of a ProcessKey; undefined for anything that is not one. */
export function parseProcessKey(key: string): { pid: number; startTicks: number; incarnation: number } | undefined {
  const parts = splitProcessKey(key);
  return parts && { pid: parts.pid, startTicks: Number(parts.startText), incarnation: parts.incarnation };
}
