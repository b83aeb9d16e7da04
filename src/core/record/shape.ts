// What a recording's tick may hold, checked field by field before anything is shown: a recording is a file
// from anywhere (an export someone sent, a copy from another machine, a hand-edited or hostile file), and the
// panel and `procscope replay` draw every field as the type the sampler writes. A tick holding anything else
// (a name that is a number, a command line that is not a list of strings, an entry that is null, a time of
// 1e400, which JSON.parse makes Infinity) is not a tick: the reader stops before it, as at damaged data.
//
// Fields this reader does not know are let through (a newer ProcScope may add some, and nothing here shows them)
// unless nested deeper than anything ProcScope writes; each known field must have its type.
import { splitProcessKey } from '../../shared/processKey';

type Check = (value: unknown) => boolean;

const finite: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const finiteOrNull: Check = (v) => v === null || finite(v);
const text: Check = (v) => typeof v === 'string';
const textOrNull: Check = (v) => v === null || typeof v === 'string';
const flag: Check = (v) => typeof v === 'boolean';
const pid: Check = (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 2 ** 22;
/** A state is one of the kernel's letters (or `?`); a scheduling policy a short name. */
const STATES = new Set<string>(['R', 'S', 'D', 'T', 't', 'X', 'Z', 'P', 'I', 'W', 'K', 'x', '?']);
const letter: Check = (v) => typeof v === 'string' && STATES.has(v);
/** A time in ms since the epoch that a Date can hold (±8.64e15 ms): a larger one cannot be printed as a date. */
const time: Check = (v) => finite(v) && Math.abs(v as number) <= 8.64e15;
const shortName: Check = (v) => typeof v === 'string' && v.length <= 32;
const texts: Check = (v) => Array.isArray(v) && v.every((s) => typeof s === 'string');
const textsOrNull: Check = (v) => v === null || texts(v);
const textRecord: Check = (v) =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((s) => typeof s === 'string');

const THREAD_FIELDS: Readonly<Record<string, Check>> = {
  tid: pid,
  name: text,
  state: letter,
  processor: finite,
  utimeMs: finite,
  stimeMs: finite,
  cpuPercent: finiteOrNull,
  priority: finite,
  nice: finite,
  policy: shortName,
  rtPriority: finite,
  minorFaults: finite,
  majorFaults: finite,
  voluntaryCtxtSwitches: finiteOrNull,
  nonvoluntaryCtxtSwitches: finiteOrNull,
  wchan: textOrNull,
  startTicks: finite,
};
const THREAD_REQUIRED = Object.keys(THREAD_FIELDS).filter((k) => k !== 'wchan');

const thread: Check = (v) => fieldsHold(v, THREAD_FIELDS, THREAD_REQUIRED);
const threads: Check = (v) => Array.isArray(v) && v.every(thread);

const PROCESS_FIELDS: Readonly<Record<string, Check>> = {
  pid,
  ppid: pid,
  pgid: finite,
  sid: finite,
  tty: textOrNull,
  ttyNr: finite,
  tpgid: finite,
  uid: finiteOrNull,
  euid: finiteOrNull,
  gid: finiteOrNull,
  egid: finiteOrNull,
  user: textOrNull,
  euser: textOrNull,
  name: text,
  cmdline: textsOrNull,
  exe: textOrNull,
  state: letter,
  kernelThread: flag,
  nice: finite,
  priority: finite,
  policy: shortName,
  rtPriority: finite,
  numThreads: finite,
  processor: finite,
  startTicks: finite,
  startTime: time,
  utimeMs: finite,
  stimeMs: finite,
  cpuPercent: finiteOrNull,
  vsize: finite,
  rss: finite,
  minorFaults: finite,
  majorFaults: finite,
  voluntaryCtxtSwitches: finiteOrNull,
  nonvoluntaryCtxtSwitches: finiteOrNull,
  leaderZombie: flag,
  threads,
  unavailable: textRecord,
};
/** What every recorded process has: all but the three the sampler writes only when there is something. */
const PROCESS_REQUIRED = Object.keys(PROCESS_FIELDS).filter((k) => k !== 'leaderZombie' && k !== 'threads' && k !== 'unavailable');

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Keys a change may not carry: JSON.parse makes an own `__proto__` property, which Object.assign (mergeChange
 * in src/shared/delta.ts) would turn into the merged process's prototype. (A whole process is copied with a
 * spread, which keeps such a key as a plain property, so there it is read and ignored like any unknown field.)
 */
const FORBIDDEN_KEYS = ['__proto__', 'constructor', 'prototype'];

/**
 * How deep a field this reader does not know may nest. It is kept as it is, in the tables `replay --json` prints
 * and the panel posts to its page, and both walk a value by recursion: nested tens of thousands deep, as a line
 * of a file can be (JSON.parse reads it), it would overflow the stack there. ProcScope nests a few levels.
 */
const UNKNOWN_DEPTH = 32;

function shallow(v: unknown, depth = UNKNOWN_DEPTH): boolean {
  if (typeof v !== 'object' || v === null) return true;
  if (depth === 0) return false;
  for (const x of Array.isArray(v) ? v : Object.values(v)) if (!shallow(x, depth - 1)) return false;
  return true;
}

/** Fields this reader does not know, each nested no deeper than UNKNOWN_DEPTH. */
function unknownShallow(v: Record<string, unknown>, fields: Readonly<Record<string, unknown>>): boolean {
  for (const name of Object.keys(v)) if (!Object.hasOwn(fields, name) && !shallow(v[name])) return false;
  return true;
}

/** Every required field present, every known field present of its type (undefined stands for absent). */
function fieldsHold(v: unknown, fields: Readonly<Record<string, Check>>, required: readonly string[]): boolean {
  if (!isRecord(v)) return false;
  for (const name of required) if (v[name] === undefined) return false;
  for (const [name, check] of Object.entries(fields)) {
    if (!Object.hasOwn(v, name) || v[name] === undefined) continue;
    if (!check(v[name])) return false;
  }
  return unknownShallow(v, fields);
}

/** A key the sampler could have written, naming `pidValue` when it is given. */
function keyOf(v: unknown, pidValue?: unknown): boolean {
  if (typeof v !== 'string') return false;
  const parts = splitProcessKey(v);
  return parts !== undefined && (pidValue === undefined || parts.pid === pidValue);
}

/** A whole process as a snapshot or a delta's `added` holds it. */
export function isRecordedProcess(v: unknown): boolean {
  return fieldsHold(v, PROCESS_FIELDS, PROCESS_REQUIRED) && keyOf((v as Record<string, unknown>).key, (v as Record<string, unknown>).pid);
}

/**
 * A change: its key, and any known field of its type; `unset` names only fields a process may lack. A pid, if
 * it has one, is its key's: the sampler never writes one (a key's pid never changes), and a change of pid
 * would leave a row whose pid is not its key's.
 */
function isRecordedChange(v: unknown): boolean {
  if (!isRecord(v) || !keyOf(v.key, v.pid) || FORBIDDEN_KEYS.some((k) => Object.hasOwn(v, k))) return false;
  if (v.unset !== undefined && !(texts(v.unset) && (v.unset as string[]).every((f) => f !== 'key' && !PROCESS_REQUIRED.includes(f))))
    return false;
  return fieldsHold(v, PROCESS_FIELDS, []);
}

const HIDDEN_FIELDS: Readonly<Record<string, Check>> = {
  count: finite,
  unit: (v) => v === 'tasks' || v === 'processes',
  reason: text,
};
const HIDDEN: Check = (v) => Array.isArray(v) && v.every((h) => fieldsHold(h, HIDDEN_FIELDS, Object.keys(HIDDEN_FIELDS)));

const SYSTEM_FIELDS: Readonly<Record<string, Check>> = {
  bootTime: time,
  clockTicks: finite,
  pageSize: finite,
  cpuCount: finite,
  memTotal: finiteOrNull,
  hostname: text,
  platform: shortName,
};

/** What a table or a delta holds besides its processes: the rest is this reader's to ignore. */
const SNAPSHOT_FIELDS = {
  backend: 1,
  timestamp: 1,
  intervalMs: 1,
  system: 1,
  processes: 1,
  unavailableFields: 1,
  inexactFields: 1,
  hidden: 1,
};
const DELTA_FIELDS = { timestamp: 1, intervalMs: 1, added: 1, removed: 1, changed: 1, hidden: 1 };

/**
 * The first tick's whole table. `unavailableFields` is a list in every table (replay and the panel read it as
 * one), and each process is in it once: the tables replayed after it are keyed by process, so a key twice here
 * would be once in the next table, with no delta saying so.
 */
export function isRecordedSnapshot(v: unknown): boolean {
  if (!isRecord(v)) return false;
  if (v.backend !== 'procfs' && v.backend !== 'portable') return false;
  if (!time(v.timestamp) || !finiteOrNull(v.intervalMs ?? null)) return false;
  if (!fieldsHold(v.system, SYSTEM_FIELDS, Object.keys(SYSTEM_FIELDS))) return false;
  if (!texts(v.unavailableFields)) return false;
  if (v.inexactFields !== undefined && !textRecord(v.inexactFields)) return false;
  if (v.hidden !== undefined && !HIDDEN(v.hidden)) return false;
  if (!unknownShallow(v, SNAPSHOT_FIELDS)) return false;
  if (!Array.isArray(v.processes) || !v.processes.every(isRecordedProcess)) return false;
  return new Set(v.processes.map((p: { key: string }) => p.key)).size === v.processes.length;
}

/** A later tick's delta, as written (changes may carry `unset`). */
export function isRecordedDelta(v: unknown): boolean {
  if (!isRecord(v)) return false;
  if (!time(v.timestamp) || !finiteOrNull(v.intervalMs ?? null)) return false;
  if (v.hidden !== undefined && !HIDDEN(v.hidden)) return false;
  if (!unknownShallow(v, DELTA_FIELDS)) return false;
  return (
    Array.isArray(v.added) &&
    v.added.every(isRecordedProcess) &&
    Array.isArray(v.removed) &&
    v.removed.every((k) => keyOf(k)) &&
    Array.isArray(v.changed) &&
    v.changed.every(isRecordedChange)
  );
}

/** A tick's or a header's time (ms since the epoch) that a Date can hold. */
export function isRecordedTime(v: unknown): boolean {
  return time(v);
}
