// The host distrusts the webview: every message is checked here before anything acts on it.
// Pure (no vscode import) so it is unit-tested directly; whether a pid exists is asked through a parameter
// that defaults to the real /proc.
import { existsSync } from 'node:fs';
import { ALLOWED_SIGNALS, MAX_SIGNAL_TARGETS } from '../protocol';
import { MAX_LOOKUP_TERMS, MAX_LOOKUP_TEXT } from '../shared/lookupLimits';
import type { AllowedSignal, FromWebview, IpcNeed, LookupTerm, Request, Scope, SignalTarget } from '../protocol';
import { PID_MAX, splitProcessKey } from '../shared/processKey';
import { MAX_THREAD_KEYS } from '../core/record/historyIndex';

/** A dropped uri longer than this is refused (PATH_MAX is 4096; a uri escapes some bytes as three). */
const MAX_DROPPED_URI = 16384;

export { PID_MAX } from '../shared/processKey';
/** More pids than this in one watchThreads message is not a UI asking for expanded rows. */
export const MAX_WATCHED = 10_000;
export const NICE_MIN = -20;
export const NICE_MAX = 19;

export type Validation =
  | { readonly ok: true; readonly message: FromWebview }
  /** `requestId` is set when the message was a request whose id could be read: it still gets an error response. */
  | { readonly ok: false; readonly error: string; readonly requestId?: number };

export interface ValidateOptions {
  /** Whether a process with this pid exists right now. Defaults to the existence of /proc/PID. */
  readonly pidExists?: (pid: number) => boolean;
}

export function procPidExists(pid: number, procRoot = '/proc'): boolean {
  return existsSync(`${procRoot}/${pid}`);
}

class Invalid extends Error {}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * A plain data object (what structured clone of JSON-like data gives), with exactly the allowed keys. Every
 * field must hold a value, not a getter: a getter could answer one thing to the check and another to the code
 * that acts on the message.
 */
function record(value: unknown, what: string, required: readonly string[], optional: readonly string[] = []): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Invalid(`${what} must be an object, got ${describe(value)}`);
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw new Invalid(`${what} must be a plain object`);
  }
  const keys = Reflect.ownKeys(value);
  for (const key of keys) {
    if (typeof key !== 'string') throw new Invalid(`${what} has a symbol key`);
    if (FORBIDDEN_KEYS.has(key)) throw new Invalid(`${what} has a forbidden key "${key}"`);
    // The name is the sender's text: quoted and cut like any other value, so it can neither break the log
    // line in two nor make it megabytes long.
    if (!required.includes(key) && !optional.includes(key)) throw new Invalid(`${what} has an unknown field ${quote(key)}`);
    const field = Reflect.getOwnPropertyDescriptor(value, key);
    if (!field || !('value' in field)) throw new Invalid(`${what} has a getter for ${quote(key)}`);
  }
  for (const key of required) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) throw new Invalid(`${what} is missing the field "${key}"`);
  }
  return value as Record<string, unknown>;
}

/**
 * The entries of a list whose length the caller has already bounded, read one by one. A hole (`new Array(3)`,
 * `[1, , 3]`) is refused: map and forEach skip holes, so an entry that was never checked would reach the host.
 * A subclass of Array is refused too, since map would run its own constructor.
 */
function entries(value: readonly unknown[], what: string): unknown[] {
  if (Object.getPrototypeOf(value) !== Array.prototype) throw new Invalid(`${what} must be a plain list`);
  const out: unknown[] = [];
  for (let i = 0; i < value.length; i++) {
    const slot = Reflect.getOwnPropertyDescriptor(value, i);
    if (slot === undefined) throw new Invalid(`${what} has a hole at ${i}`);
    if (!('value' in slot)) throw new Invalid(`${what} has a getter at ${i}`);
    out.push(slot.value);
  }
  return out;
}

/** A text from the sender, quoted (so a newline in it cannot start a log line of its own) and cut to 40 characters. */
function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : `the number ${value}`;
  if (typeof value === 'string') return `the string ${quote(value)}`;
  return typeof value;
}

/** A process key (`pid@startTicks`, see src/shared/processKey.ts, which also refuses a pid above PID_MAX). */
function isProcessKey(value: unknown): value is string {
  return typeof value === 'string' && splitProcessKey(value) !== undefined;
}

function positivePid(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0 || value > PID_MAX) {
    throw new Invalid(`${what} must be an integer from 1 to ${PID_MAX}, got ${describe(value)}`);
  }
  return value;
}

function existingPid(value: unknown, exists: (pid: number) => boolean): number {
  const pid = positivePid(value, 'pid');
  if (!exists(pid)) throw new Invalid(`no process with pid ${pid} exists (it may have exited)`);
  return pid;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], what: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new Invalid(`${what} must be one of ${allowed.join(', ')}, got ${describe(value)}`);
  }
  return value as T;
}

function bool(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') throw new Invalid(`${what} must be true or false, got ${describe(value)}`);
  return value;
}

/** The request's `key` (`pid@startTicks`, see src/shared/processKey.ts) must name the same pid as its `pid`. */
function keyOf(value: unknown, pid: number): string {
  const parts = typeof value === 'string' ? splitProcessKey(value) : undefined;
  if (!parts || typeof value !== 'string') throw new Invalid(`key must be "pid@startTicks", got ${describe(value)}`);
  if (parts.pid !== pid) throw new Invalid(`key ${value} does not belong to pid ${pid}`);
  return value;
}

/** An address as /proc/PID/maps writes it (lower-case hex, no 0x, 64-bit at most), on a 4 KiB boundary. */
function pageAddress(value: unknown, what: string): string {
  if (typeof value !== 'string' || !/^[0-9a-f]{1,16}$/.test(value) || BigInt(`0x${value}`) % 4096n !== 0n) {
    throw new Invalid(`${what} must be a page-aligned hex address of at most 16 digits, got ${describe(value)}`);
  }
  return value;
}

function validateRequest(value: unknown, exists: (pid: number) => boolean): Request {
  const kinds = [
    'detail',
    'signal',
    'signalTree',
    'signalGroup',
    'signalMany',
    'renice',
    'copy',
    'openTerminal',
    'reveal',
    'attachDebugger',
    'waits',
    'historyIndex',
    'historyAt',
    'pageMap',
    'lookup',
  ] as const;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Invalid(`request must be an object, got ${describe(value)}`);
  }
  const kind = oneOf((value as { kind?: unknown }).kind, kinds, 'request.kind');
  switch (kind) {
    case 'detail': {
      const r = record(value, 'detail request', ['kind', 'pid', 'key'], ['includeEnv']);
      const pid = existingPid(r.pid, exists);
      const key = keyOf(r.key, pid);
      if (r.includeEnv === undefined) return { kind, pid, key };
      return { kind, pid, key, includeEnv: bool(r.includeEnv, 'includeEnv') };
    }
    case 'signal':
    case 'signalTree':
    case 'signalGroup': {
      const r = record(value, `${kind} request`, ['kind', 'pid', 'key', 'signal']);
      const signal: AllowedSignal = oneOf(r.signal, ALLOWED_SIGNALS, 'signal');
      const pid = existingPid(r.pid, exists);
      return { kind, pid, key: keyOf(r.key, pid), signal };
    }
    case 'signalMany': {
      const r = record(value, 'signalMany request', ['kind', 'targets', 'signal']);
      const signal: AllowedSignal = oneOf(r.signal, ALLOWED_SIGNALS, 'signal');
      if (!Array.isArray(r.targets) || r.targets.length === 0 || r.targets.length > MAX_SIGNAL_TARGETS) {
        throw new Invalid(
          `targets must be a list of 1 to ${MAX_SIGNAL_TARGETS} processes, got ${Array.isArray(r.targets) ? `${r.targets.length} entries` : describe(r.targets)}`,
        );
      }
      const items = entries(r.targets, 'targets');
      const targets: SignalTarget[] = [];
      const seen = new Set<string>();
      for (const [i, item] of items.entries()) {
        const t = record(item, `targets[${i}]`, ['pid', 'key']);
        // Not required to exist: one that exited since the user chose it is skipped (and counted) by the host,
        // instead of refusing the whole selection.
        const pid = positivePid(t.pid, `targets[${i}].pid`);
        const key = keyOf(t.key, pid);
        if (seen.has(key)) continue;
        seen.add(key);
        targets.push({ pid, key });
      }
      return { kind, targets, signal };
    }
    case 'renice': {
      const r = record(value, 'renice request', ['kind', 'pid', 'key', 'nice']);
      const nice = r.nice;
      if (typeof nice !== 'number' || !Number.isInteger(nice) || nice < NICE_MIN || nice > NICE_MAX) {
        throw new Invalid(`nice must be an integer from ${NICE_MIN} to ${NICE_MAX}, got ${describe(nice)}`);
      }
      const pid = existingPid(r.pid, exists);
      return { kind, pid, key: keyOf(r.key, pid), nice };
    }
    case 'copy': {
      const r = record(value, 'copy request', ['kind', 'pid', 'key', 'format']);
      const format = oneOf(r.format, ['ps', 'json'] as const, 'format');
      const pid = existingPid(r.pid, exists);
      return { kind, pid, key: keyOf(r.key, pid), format };
    }
    case 'openTerminal':
    case 'attachDebugger':
    case 'waits': {
      const r = record(value, `${kind} request`, ['kind', 'pid', 'key']);
      const pid = existingPid(r.pid, exists);
      return { kind, pid, key: keyOf(r.key, pid) };
    }
    case 'historyIndex': {
      const r = record(value, 'historyIndex request', ['kind'], ['threads']);
      if (r.threads === undefined) return { kind };
      if (!Array.isArray(r.threads) || r.threads.length > MAX_THREAD_KEYS)
        throw new Invalid(`threads must be an array of at most ${MAX_THREAD_KEYS} keys, got ${describe(r.threads)}`);
      const threads = entries(r.threads, 'threads').map((k, i) => {
        if (!isProcessKey(k)) throw new Invalid(`threads[${i}] must be "pid@startTicks", got ${describe(k)}`);
        return k;
      });
      return { kind, threads };
    }
    case 'historyAt': {
      const r = record(value, 'historyAt request', ['kind', 'at']);
      if (typeof r.at !== 'number' || !Number.isFinite(r.at) || r.at < 0)
        throw new Invalid(`at must be a time in ms since the epoch, got ${describe(r.at)}`);
      return { kind, at: r.at };
    }
    case 'pageMap': {
      const r = record(value, 'pageMap request', ['kind', 'pid', 'key', 'start', 'end']);
      const pid = existingPid(r.pid, exists);
      const key = keyOf(r.key, pid);
      const start = pageAddress(r.start, 'start');
      const end = pageAddress(r.end, 'end');
      if (BigInt(`0x${end}`) <= BigInt(`0x${start}`)) throw new Invalid(`end ${end} must be above start ${start}`);
      return { kind, pid, key, start, end };
    }
    case 'lookup': {
      const r = record(value, 'lookup request', ['kind', 'terms']);
      if (!Array.isArray(r.terms) || r.terms.length === 0 || r.terms.length > MAX_LOOKUP_TERMS) {
        throw new Invalid(
          `terms must be a list of 1 to ${MAX_LOOKUP_TERMS} look-up terms, got ${Array.isArray(r.terms) ? `${r.terms.length} entries` : describe(r.terms)}`,
        );
      }
      return { kind, terms: entries(r.terms, 'terms').map((t, i) => lookupTerm(t, `terms[${i}]`)) };
    }
    case 'reveal': {
      const r = record(value, 'reveal request', ['kind', 'pid', 'key', 'what']);
      const what = oneOf(r.what, ['exe', 'cwd'] as const, 'what');
      const pid = existingPid(r.pid, exists);
      return { kind, pid, key: keyOf(r.key, pid), what };
    }
  }
}

/**
 * One look-up term. Paths must be absolute (the worker's working directory means nothing to the user) and
 * every text is bounded, since each one is resolved against the whole file system or process table.
 */
function lookupTerm(value: unknown, what: string): LookupTerm {
  const kind = oneOf(
    (value as { kind?: unknown } | null)?.kind,
    ['port', 'file', 'lock', 'shm', 'shmid', 'thread', 'tstate'] as const,
    `${what}.kind`,
  );
  const text = (v: unknown, field: string, max: number): string => {
    if (typeof v !== 'string' || v.length === 0 || v.length > max || v.includes('\0')) {
      throw new Invalid(`${what}.${field} must be a text of 1 to ${max} characters without NUL, got ${describe(v)}`);
    }
    return v;
  };
  switch (kind) {
    case 'port': {
      const r = record(value, what, ['kind', 'port']);
      if (typeof r.port !== 'number' || !Number.isInteger(r.port) || r.port < 1 || r.port > 65535) {
        throw new Invalid(`${what}.port must be an integer from 1 to 65535, got ${describe(r.port)}`);
      }
      return { kind, port: r.port };
    }
    case 'file':
    case 'lock': {
      const r = record(value, what, ['kind', 'path']);
      const path = text(r.path, 'path', MAX_LOOKUP_TEXT);
      if (!path.startsWith('/')) throw new Invalid(`${what}.path must be absolute, got ${describe(path)}`);
      return { kind, path };
    }
    case 'shm': {
      const r = record(value, what, ['kind', 'name']);
      const name = text(r.name, 'name', 255);
      // shm_open names one object in /dev/shm: no directories, and not `.` or `..`.
      if (name.includes('/') || name === '.' || name === '..')
        throw new Invalid(`${what}.name must name one object in /dev/shm, got ${describe(name)}`);
      return { kind, name };
    }
    case 'shmid': {
      const r = record(value, what, ['kind', 'shmid']);
      if (typeof r.shmid !== 'number' || !Number.isInteger(r.shmid) || r.shmid < 0 || r.shmid > 0x7fffffff) {
        throw new Invalid(`${what}.shmid must be an integer from 0 to ${0x7fffffff}, got ${describe(r.shmid)}`);
      }
      return { kind, shmid: r.shmid };
    }
    case 'thread': {
      const r = record(value, what, ['kind', 'name']);
      return { kind, name: text(r.name, 'name', 64) };
    }
    case 'tstate': {
      const r = record(value, what, ['kind', 'states']);
      const states = text(r.states, 'states', 16);
      if (!/^[A-Za-z]+$/.test(states)) throw new Invalid(`${what}.states must be state letters such as D or R, got ${describe(states)}`);
      return { kind, states };
    }
  }
}

/** Checks one message from the webview. Never throws. */
export function validateMessage(raw: unknown, options: ValidateOptions = {}): Validation {
  const exists = options.pidExists ?? ((pid: number) => procPidExists(pid));
  let requestId: number | undefined;
  try {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new Invalid(`a message must be an object, got ${describe(raw)}`);
    }
    const type = oneOf(
      (raw as { type?: unknown }).type,
      ['ready', 'request', 'watchThreads', 'select', 'setScope', 'setShowKernelThreads', 'ipcNeed', 'resync', 'openRecording'] as const,
      'message type',
    );
    switch (type) {
      case 'ready': {
        const r = record(raw, 'ready message', ['type'], ['page']);
        if (r.page === undefined) return { ok: true, message: { type } };
        if (typeof r.page !== 'number' || !Number.isSafeInteger(r.page) || r.page < 0) {
          throw new Invalid(`page must be a non-negative safe integer, got ${describe(r.page)}`);
        }
        return { ok: true, message: { type, page: r.page } };
      }
      case 'request': {
        const id = (raw as { requestId?: unknown }).requestId;
        if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) {
          throw new Invalid(`requestId must be a non-negative safe integer, got ${describe(id)}`);
        }
        requestId = id;
        const r = record(raw, 'request message', ['type', 'requestId', 'request']);
        return { ok: true, message: { type, requestId: id, request: validateRequest(r.request, exists) } };
      }
      case 'watchThreads': {
        const r = record(raw, 'watchThreads message', ['type', 'pids']);
        if (!Array.isArray(r.pids)) throw new Invalid(`pids must be an array, got ${describe(r.pids)}`);
        if (r.pids.length > MAX_WATCHED) throw new Invalid(`pids may hold at most ${MAX_WATCHED} entries, got ${r.pids.length}`);
        // Watched processes may exit at any moment: they need a valid form, not existence.
        const pids = [...new Set(entries(r.pids, 'pids').map((p, i) => positivePid(p, `pids[${i}]`)))];
        return { ok: true, message: { type, pids } };
      }
      case 'select': {
        const r = record(raw, 'select message', ['type', 'key']);
        if (r.key !== null && !isProcessKey(r.key)) {
          throw new Invalid(`key must be "pid@startTicks" or null, got ${describe(r.key)}`);
        }
        return { ok: true, message: { type, key: r.key } };
      }
      case 'ipcNeed': {
        const r = record(raw, 'ipcNeed message', ['type', 'need']);
        const need: IpcNeed = oneOf(r.need, ['live', 'details', 'none'] as const, 'need');
        return { ok: true, message: { type, need } };
      }
      case 'setScope': {
        const r = record(raw, 'setScope message', ['type', 'scope']);
        const scope: Scope = oneOf(r.scope, ['workspace', 'all'] as const, 'scope');
        return { ok: true, message: { type, scope } };
      }
      case 'setShowKernelThreads': {
        const r = record(raw, 'setShowKernelThreads message', ['type', 'show']);
        return { ok: true, message: { type, show: bool(r.show, 'show') } };
      }
      case 'resync':
        record(raw, 'resync message', ['type']);
        return { ok: true, message: { type } };
      case 'openRecording': {
        // Only the form is checked here; the opener checks the scheme and reads the file itself.
        const r = record(raw, 'openRecording message', ['type', 'uri']);
        if (typeof r.uri !== 'string' || r.uri.length === 0 || r.uri.length > MAX_DROPPED_URI)
          throw new Invalid(`uri must be a string of 1..${MAX_DROPPED_URI} characters, got ${describe(r.uri)}`);
        return { ok: true, message: { type, uri: r.uri } };
      }
    }
  } catch (error) {
    const text = error instanceof Invalid ? error.message : `unexpected validation failure: ${shown(error)}`;
    return requestId === undefined ? { ok: false, error: text } : { ok: false, error: text, requestId };
  }
}

/**
 * What was thrown, as one short line of text. String() itself throws for some values (an object without a
 * prototype), and this runs where nothing may throw.
 */
function shown(error: unknown): string {
  try {
    return String(error)
      .slice(0, 200)
      .replace(/[\r\n\u2028\u2029]+/g, ' ');
  } catch {
    return 'a value that cannot be shown as text';
  }
}
