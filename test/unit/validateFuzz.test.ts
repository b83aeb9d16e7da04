// Fuzzing the host's check of webview messages (src/extension/validate.ts): thousands of messages per message
// type and request kind, made by breaking valid ones, must each be refused with a one-line reason, and valid
// ones (also reshaped in ways that keep them valid) must each be accepted unchanged. Validation must never throw.
//
// Deterministic: the messages come from a small seeded PRNG (mulberry32, ./prng.ts), so a failure names a
// case that runs again the same way. The test's own helpers never recurse into a message, since some are nested
// a hundred thousand deep.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_WATCHED, NICE_MAX, NICE_MIN, PID_MAX, validateMessage, type Validation } from '../../src/extension/validate';
import { ALLOWED_SIGNALS, MAX_SIGNAL_TARGETS } from '../../src/protocol';
import { MAX_LOOKUP_TERMS, MAX_LOOKUP_TEXT } from '../../src/shared/lookupLimits';
import { MAX_THREAD_KEYS } from '../../src/core/record/historyIndex';
import { chance, int, mulberry32, pick, type Rng } from './prng';

/** Object.prototype's own names before any message is checked: the last test compares them after. */
const PROTOTYPE_NAMES_AT_LOAD = Object.getOwnPropertyNames(Object.prototype).sort();

// ---- the world the messages are checked against ----

/** The pids that "exist": validation asks this instead of /proc, so the run is the same on every machine. */
const EXISTING = [1, 2, 4242, 65535, PID_MAX] as const;
const existing = new Set<number>(EXISTING);
const options = { pidExists: (pid: number) => existing.has(pid) };
/** Pids of a valid form that no process has here. */
const MISSING = [3, 99_999, PID_MAX - 1];

const MUTATED_PER_FAMILY = 2000;
const VALID_PER_FAMILY = 150;

// ---- shared nasty values (built once: the validator must not change what it is given) ----

/** Nested arrays and objects this deep overflow the stack of anything that walks them by recursion. */
const DEPTH = 100_000;
const DEEP_ARRAY: unknown = (() => {
  let v: unknown = 1;
  for (let i = 0; i < DEPTH; i++) v = [v];
  return v;
})();
const DEEP_OBJECT: unknown = (() => {
  let v: unknown = 1;
  for (let i = 0; i < DEPTH; i++) v = { a: v };
  return v;
})();
const LONG = 'x'.repeat(1_000_000);
const LONG_LINES = 'a\n'.repeat(50_000);
/** An object with an own "__proto__" key, as JSON.parse makes it. */
const PROTO_OBJECT: unknown = JSON.parse('{"__proto__":{"polluted":true}}');
/** Far more entries than any list may hold; sparse, so it costs nothing to build. */
const MILLIONS = new Array<unknown>(5_000_000);

/** Values that are wrong for every field of the protocol (no field is a list of lists or takes any object). */
const WRONG_EVERYWHERE: readonly unknown[] = [
  DEEP_ARRAY,
  DEEP_OBJECT,
  PROTO_OBJECT,
  {},
  { length: 1, 0: 1 },
  Object.create(null),
  () => 1,
  Symbol('x'),
  1n,
  new Date(0),
  new Map(),
  /x/,
];
const NOT_NUMBERS: readonly unknown[] = [true, false, '', '1', '0', ' 1', '1e3', '0x10', 'NaN', 'Infinity', '-0', LONG];
const NOT_STRINGS: readonly unknown[] = [0, -0, 1, -1, NaN, Infinity, 2 ** 53, true, false];
const NOT_BOOLEANS: readonly unknown[] = [0, 1, -0, NaN, '', 'true', 'false', 'yes'];

/**
 * A bad value: one from `own` (wrong for this field only), one wrong everywhere, or the valid value wrapped in a
 * list or an object. `null` and `undefined` are added unless the field allows them.
 */
function badFrom(rng: Rng, own: readonly unknown[], valid: unknown, allow: { null?: boolean; undefined?: boolean } = {}): unknown {
  const r = rng();
  if (r < 0.6 && own.length > 0) return pick(rng, own);
  if (r < 0.7) return [valid];
  if (r < 0.75) return { value: valid };
  if (r < 0.8 && !allow.null) return null;
  if (r < 0.85 && !allow.undefined) return undefined;
  return pick(rng, WRONG_EVERYWHERE);
}

// ---- message shapes ----

type Obj = Record<string, unknown>;

interface Field {
  /** A valid value; `self` is the object built so far (earlier fields are set), `name` the field's. */
  readonly valid: (rng: Rng, self: Obj, name: string) => unknown;
  /** A value that makes the object invalid, whatever the other fields hold. */
  readonly bad: (rng: Rng, self: Obj) => unknown;
  readonly optional?: boolean;
}
type Shape = Readonly<Record<string, Field>>;

/** Where each object of the message being made sits, and its shape: what the mutations work on. */
interface Place {
  readonly shape: Shape;
  readonly holder: Obj | unknown[];
  readonly slot: string | number;
}
let nodes: { object: Obj; node: Place }[] = [];
/** How often a list is made as long as it may be (costly: only for the valid messages checked as such). */
let fullLists = 0;

function build(shape: Shape, rng: Rng, holder: Obj | unknown[], slot: string | number): Obj {
  const object: Obj = {};
  nodes.push({ object, node: { shape, holder, slot } });
  for (const [name, field] of Object.entries(shape)) {
    if (field.optional && chance(rng, 0.5)) continue;
    object[name] = field.valid(rng, object, name);
  }
  return object;
}

const constant = (value: string, others: readonly string[]): Field => ({
  valid: () => value,
  // Never another valid name: `signal` and `signalTree` (say) have the same fields.
  bad: (rng) =>
    badFrom(
      rng,
      [
        '',
        value.toUpperCase(),
        ` ${value}`,
        `${value}\0`,
        `${value}x`,
        'toString',
        '__proto__',
        'constructor',
        'hasOwnProperty',
        LONG,
        ...NOT_STRINGS,
      ].filter((v) => !others.includes(v as string)),
      value,
    ),
});

const oneOf = (values: readonly string[]): Field => ({
  valid: (rng) => pick(rng, values),
  bad: (rng) =>
    badFrom(
      rng,
      ['', ...values.map((v) => v.toLowerCase()), ...values.map((v) => `${v} `), 'SIGSEGV', 'xml', 'root', LONG, ...NOT_STRINGS].filter(
        (v) => !values.includes(v as string),
      ),
      values[0],
    ),
});

const bool = (optional = false): Field => ({
  valid: (rng) => chance(rng, 0.5),
  bad: (rng) => badFrom(rng, [...NOT_BOOLEANS, ...WRONG_EVERYWHERE], true, { undefined: optional }),
  optional,
});

/** Numbers that are never a pid, a port, a nice value or an id. */
const BAD_NUMBERS: readonly unknown[] = [
  NaN,
  Infinity,
  -Infinity,
  0.5,
  -0.5,
  2 ** 53,
  2 ** 53 + 2,
  2 ** 64,
  1e308,
  -1e308,
  Number.MIN_VALUE,
];

function pidField(mustExist: boolean): Field {
  return {
    valid: (rng) => (mustExist ? pick(rng, EXISTING) : chance(rng, 0.3) ? pick(rng, [1, PID_MAX]) : int(rng, 1, PID_MAX)),
    bad: (rng) =>
      badFrom(
        rng,
        [
          0,
          -0,
          -1,
          -PID_MAX,
          PID_MAX + 1,
          2 ** 31,
          2 ** 32 + 1,
          1.5,
          4242.000001,
          '1',
          '4242',
          ...BAD_NUMBERS,
          ...NOT_NUMBERS,
          ...(mustExist ? MISSING : []),
        ],
        1,
      ),
  };
}

/** A valid key for this pid: `pid@start` with up to 20 digits of start, sometimes `+N`. */
function keyFor(rng: Rng, pid: number): string {
  const start = Array.from({ length: int(rng, 1, 20) }, () => int(rng, 0, 9)).join('');
  return chance(rng, 0.2) ? `${pid}@${start}+${int(rng, 1, 999_999)}` : `${pid}@${start}`;
}
/** Texts that are never a process key. */
function badKeys(pid: number): unknown[] {
  return [
    '',
    `${pid}`,
    `${pid}@`,
    `@${pid}`,
    `0@1`,
    `0${pid}@1`,
    `-${pid}@1`,
    `${pid}@1+0`,
    `${pid}@1+01`,
    `${pid}@-1`,
    `${pid}@1.5`,
    `${pid}@1 `,
    ` ${pid}@1`,
    `${pid}@1\n`,
    `${pid}@${'9'.repeat(21)}`,
    `${pid}@1+1234567`,
    `${PID_MAX + 1}@1`,
    '9999999@1',
    '12345678@1',
    `${pid}@1<b>`,
    `${pid}＠1`,
    `${pid}@١`,
    LONG,
    pid,
    ...NOT_STRINGS,
  ];
}
/** The `key` beside a `pid`: the same pid, in a valid form; another pid's key is wrong too. */
const keyField: Field = {
  valid: (rng, self) => keyFor(rng, typeof self.pid === 'number' ? self.pid : 1),
  bad: (rng, self) => {
    const pid = typeof self.pid === 'number' && Number.isInteger(self.pid) && self.pid > 0 && self.pid < PID_MAX ? self.pid : 1;
    return badFrom(rng, [...badKeys(pid), keyFor(rng, pid + 1), `${pid + 1}@1`], `${pid}@1`);
  },
};

const requestIdField: Field = {
  valid: (rng) => pick(rng, [0, -0, 1, 7, Number.MAX_SAFE_INTEGER, int(rng, 0, 2 ** 31)]),
  bad: (rng) => badFrom(rng, [-1, -Number.MAX_SAFE_INTEGER, ...BAD_NUMBERS, ...NOT_NUMBERS], 1),
};

/** A page-aligned address of at most 16 hex digits, from `low` up to below `high`. */
function hexPage(rng: Rng, low: bigint, high: bigint): string {
  const pages = (high - low) / 4096n;
  const offset = BigInt(Math.floor(rng() * Number(pages < 2n ** 52n ? pages : 2n ** 52n)));
  const text = (low + offset * 4096n).toString(16);
  return chance(rng, 0.1) ? text.padStart(16, '0') : text;
}
const TOP = 2n ** 64n;
const BAD_ADDRESSES: readonly unknown[] = [
  '',
  '0x1000',
  '1001',
  'fff',
  'ABC000',
  '7F0000',
  ' 1000',
  '1000 ',
  '1000\n',
  '-1000',
  'g000',
  '10000000000000000',
  `${'0'.repeat(17)}`,
  '1'.repeat(20) + '000',
  LONG,
  4096,
  0x7f0000,
];
const startField: Field = {
  // Low enough that an end up to 2^20 pages above it still has 16 digits at most.
  valid: (rng) => hexPage(rng, 0n, TOP - 4096n * 2n ** 21n),
  bad: (rng, self) => {
    const end = typeof self.end === 'string' && /^[0-9a-f]{1,16}$/.test(self.end) ? BigInt(`0x${self.end}`) : undefined;
    // At or above the end (when the end is an address at all).
    const above = end !== undefined && end % 4096n === 0n ? [end.toString(16), hexPage(rng, end, TOP)] : [];
    return badFrom(rng, [...BAD_ADDRESSES, ...above], '1000');
  },
};
const endField: Field = {
  valid: (rng, self) => {
    const start = typeof self.start === 'string' ? BigInt(`0x${self.start}`) : 0n;
    return hexPage(rng, start + 4096n, start + 4096n * BigInt(int(rng, 1, 1 << 20)) + 4096n);
  },
  bad: (rng, self) => {
    const start = typeof self.start === 'string' && /^[0-9a-f]{1,16}$/.test(self.start) ? BigInt(`0x${self.start}`) : undefined;
    const below = start !== undefined && start % 4096n === 0n ? [start.toString(16), hexPage(rng, 0n, start + 4096n)] : [];
    return badFrom(rng, [...BAD_ADDRESSES, ...below], '2000');
  },
};

/** An integer field from `lo` to `hi`, with the bad values particular to it. */
function intField(lo: number, hi: number, extraBad: readonly unknown[] = []): Field {
  return {
    valid: (rng) => (chance(rng, 0.2) ? pick(rng, [lo, hi]) : int(rng, lo, hi)),
    bad: (rng) => badFrom(rng, [lo - 1, hi + 1, lo - 0.5, hi + 0.5, (lo + hi) / 2 + 0.25, ...BAD_NUMBERS, ...NOT_NUMBERS, ...extraBad], lo),
  };
}

function textOf(rng: Rng, min: number, max: number, chars: string): string {
  const length = chance(rng, 0.1) ? max : int(rng, min, Math.min(max, 40));
  let s = '';
  for (let i = 0; i < length; i++) s += chars[int(rng, 0, chars.length - 1)]!;
  return s;
}
const TEXT_CHARS = 'abcXYZ019 _-.:/\n\té日本🙂\u202e';
const SHM_CHARS = 'abcXYZ019_-.é';

/** A list field: its length bounds, its entries' valid and bad values, and a list too long for it. */
function listField(min: number, max: number, entry: Field, tooLong: () => unknown[], optional = false): Field {
  return {
    optional,
    valid: (rng, self, name) => {
      const out: unknown[] = [];
      const n = chance(rng, fullLists) ? max : int(rng, min, Math.min(max, 8));
      for (let i = 0; i < n; i++) out.push(entry.valid(rng, self, name));
      return out;
    },
    bad: (rng, self) => {
      const current = Array.isArray(self.current) ? self.current : undefined;
      const r = rng();
      const base = (): unknown[] => (current ? current.slice() : [entry.valid(rng, self, '')]);
      if (r < 0.2) {
        // One entry made wrong.
        const list = base();
        if (list.length === 0) list.push(undefined);
        list[int(rng, 0, list.length - 1)] = entry.bad(rng, self);
        return list;
      }
      if (r < 0.35) {
        // A hole: map and forEach skip it.
        const list = base();
        if (list.length === 0 || chance(rng, 0.3)) list.length += 1;
        else delete list[int(rng, 0, list.length - 1)];
        return list;
      }
      if (r < 0.45) return tooLong();
      if (r < 0.5) return MILLIONS;
      if (r < 0.55 && min > 0) return [];
      return badFrom(rng, [...NOT_STRINGS, 'x', LONG, { length: 0 }, new Set()], [], { undefined: optional });
    },
  };
}

/** Key lists for historyIndex: any pid up to PID_MAX, no existence needed. */
const threadKeyEntry: Field = {
  valid: (rng) => keyFor(rng, int(rng, 1, PID_MAX)),
  bad: (rng) => badFrom(rng, badKeys(int(rng, 1, 1000)), '1@1'),
};

// Lists just over their bounds, built once (their entries are valid).
const TOO_MANY_PIDS = Array.from({ length: MAX_WATCHED + 1 }, (_, i) => i + 1);
const TOO_MANY_THREADS = Array.from({ length: MAX_THREAD_KEYS + 1 }, (_, i) => `${i + 1}@1`);
const TOO_MANY_TARGETS = Array.from({ length: MAX_SIGNAL_TARGETS + 1 }, (_, i) => ({ pid: i + 1, key: `${i + 1}@1` }));
const TOO_MANY_TERMS = Array.from({ length: MAX_LOOKUP_TERMS + 1 }, () => ({ kind: 'port', port: 80 }));

/** An object field whose valid value is built (and registered for mutation) from a shape. */
function objectField(shapeOf: (rng: Rng) => Shape): Field {
  return {
    valid: (rng, self, name) => build(shapeOf(rng), rng, self, name),
    bad: (rng) => badFrom(rng, [...NOT_STRINGS, 'x', LONG], {}),
  };
}
/** A list of objects built from shapes, each registered for mutation. */
function objectList(min: number, max: number, shapeOf: (rng: Rng) => Shape, tooLong: () => unknown[]): Field {
  const entry: Field = {
    valid: () => undefined, // not used: the list builds its entries itself, as objects held by the list
    bad: (rng) => badFrom(rng, [...NOT_STRINGS, 'x', LONG, [], PROTO_OBJECT, { kind: 'nope' }, { pid: 0 }], {}),
  };
  const list = listField(min, max, entry, tooLong);
  return {
    valid: (rng) => {
      const out: unknown[] = [];
      const n = chance(rng, fullLists) ? max : int(rng, min, Math.min(max, 6));
      for (let i = 0; i < n; i++) out.push(build(shapeOf(rng), rng, out, i));
      return out;
    },
    bad: list.bad,
  };
}

const SIGNALS = ALLOWED_SIGNALS as readonly string[];
const REQUEST_KINDS = [
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
];
const TERM_KINDS = ['port', 'file', 'lock', 'shm', 'shmid', 'thread', 'tstate'];
const MESSAGE_TYPES = [
  'ready',
  'request',
  'watchThreads',
  'select',
  'setScope',
  'setShowKernelThreads',
  'ipcNeed',
  'resync',
  'openRecording',
];

const pathField: Field = {
  valid: (rng) => `/${textOf(rng, 0, MAX_LOOKUP_TEXT - 1, TEXT_CHARS)}`,
  bad: (rng) => badFrom(rng, ['', 'etc/passwd', './x', '~/x', '/a\0b', `/${'a'.repeat(MAX_LOOKUP_TEXT)}`, LONG, ...NOT_STRINGS], '/x'),
};
const termShapes: Record<string, Shape> = {
  port: { kind: constant('port', TERM_KINDS), port: intField(1, 65535, [-0, '80']) },
  file: { kind: constant('file', TERM_KINDS), path: pathField },
  lock: { kind: constant('lock', TERM_KINDS), path: pathField },
  shm: {
    kind: constant('shm', TERM_KINDS),
    name: {
      valid: (rng) => {
        const name = textOf(rng, 1, 255, SHM_CHARS);
        return name === '.' || name === '..' ? 'x' : name;
      },
      bad: (rng) => badFrom(rng, ['', '.', '..', 'a/b', '/x', '../etc/passwd', 'x'.repeat(256), 'a\0b', LONG, ...NOT_STRINGS], 'x'),
    },
  },
  shmid: { kind: constant('shmid', TERM_KINDS), shmid: intField(0, 0x7fffffff, ['0']) },
  thread: {
    kind: constant('thread', TERM_KINDS),
    name: {
      valid: (rng) => textOf(rng, 1, 64, TEXT_CHARS),
      bad: (rng) => badFrom(rng, ['', 'x'.repeat(65), 'a\0b', LONG, ...NOT_STRINGS], 'x'),
    },
  },
  tstate: {
    kind: constant('tstate', TERM_KINDS),
    states: {
      valid: (rng) => textOf(rng, 1, 16, 'DRSZTtXIKWPdrs'),
      bad: (rng) => badFrom(rng, ['', 'D;', 'D R', 'R\n', '1', 'é', 'x'.repeat(17), 'D\0', LONG, ...NOT_STRINGS], 'D'),
    },
  },
};

const byKey = (kind: string, extra: Shape = {}): Shape => ({
  kind: constant(kind, REQUEST_KINDS),
  pid: pidField(true),
  key: keyField,
  ...extra,
});
const requestShapes: Record<string, Shape> = {
  detail: byKey('detail', { includeEnv: bool(true) }),
  signal: byKey('signal', { signal: oneOf(SIGNALS) }),
  signalTree: byKey('signalTree', { signal: oneOf(SIGNALS) }),
  signalGroup: byKey('signalGroup', { signal: oneOf(SIGNALS) }),
  signalMany: {
    kind: constant('signalMany', REQUEST_KINDS),
    targets: objectList(
      1,
      MAX_SIGNAL_TARGETS,
      () => ({ pid: pidField(false), key: keyField }),
      () => TOO_MANY_TARGETS,
    ),
    signal: oneOf(SIGNALS),
  },
  renice: byKey('renice', { nice: intField(NICE_MIN, NICE_MAX, ['0']) }),
  copy: byKey('copy', { format: oneOf(['ps', 'json']) }),
  openTerminal: byKey('openTerminal'),
  reveal: byKey('reveal', { what: oneOf(['exe', 'cwd']) }),
  attachDebugger: byKey('attachDebugger'),
  waits: byKey('waits'),
  historyIndex: {
    kind: constant('historyIndex', REQUEST_KINDS),
    threads: listField(0, MAX_THREAD_KEYS, threadKeyEntry, () => TOO_MANY_THREADS, true),
  },
  historyAt: {
    kind: constant('historyAt', REQUEST_KINDS),
    at: {
      valid: (rng) => pick(rng, [0, -0, 1_764_556_800_000, rng() * 1e13, 2 ** 53, 1e308, Number.MAX_VALUE, Number.MIN_VALUE]),
      bad: (rng) => badFrom(rng, [-1, -Number.MIN_VALUE, -1e308, NaN, Infinity, -Infinity, ...NOT_NUMBERS], 0),
    },
  },
  pageMap: byKey('pageMap', { start: startField, end: endField }),
  lookup: {
    kind: constant('lookup', REQUEST_KINDS),
    terms: objectList(
      1,
      MAX_LOOKUP_TERMS,
      (rng) => termShapes[pick(rng, TERM_KINDS)]!,
      () => TOO_MANY_TERMS,
    ),
  },
};

const pidEntry = pidField(false);
const messageShapes: Record<string, Shape> = {
  ready: {
    type: constant('ready', MESSAGE_TYPES),
    page: {
      optional: true,
      valid: (rng) => pick(rng, [0, -0, 1, 3, Number.MAX_SAFE_INTEGER, int(rng, 0, 1000)]),
      bad: (rng) => badFrom(rng, [-1, ...BAD_NUMBERS, ...NOT_NUMBERS], 1, { undefined: true }),
    },
  },
  watchThreads: {
    type: constant('watchThreads', MESSAGE_TYPES),
    pids: listField(0, MAX_WATCHED, pidEntry, () => TOO_MANY_PIDS),
  },
  select: {
    type: constant('select', MESSAGE_TYPES),
    key: {
      valid: (rng) => (chance(rng, 0.2) ? null : keyFor(rng, chance(rng, 0.2) ? PID_MAX : int(rng, 1, PID_MAX))),
      bad: (rng) => badFrom(rng, badKeys(int(rng, 1, PID_MAX - 1)), '1@1', { null: true }),
    },
  },
  setScope: { type: constant('setScope', MESSAGE_TYPES), scope: oneOf(['workspace', 'all']) },
  setShowKernelThreads: { type: constant('setShowKernelThreads', MESSAGE_TYPES), show: bool() },
  ipcNeed: { type: constant('ipcNeed', MESSAGE_TYPES), need: oneOf(['live', 'details', 'none']) },
  resync: { type: constant('resync', MESSAGE_TYPES) },
  openRecording: {
    type: constant('openRecording', MESSAGE_TYPES),
    uri: {
      valid: (rng) => pick(rng, ['file:///tmp/a%20b.ndjson.gz', '/tmp/x.ndjson', 'u'.repeat(16384), textOf(rng, 1, 200, TEXT_CHARS)]),
      bad: (rng) => badFrom(rng, ['', 'u'.repeat(16385), LONG, ...NOT_STRINGS], 'file:///x'),
    },
  },
};

/** Every message type, and every request kind as a family of its own. */
const families: { name: string; shape: Shape }[] = [
  ...Object.entries(messageShapes).map(([name, shape]) => ({ name, shape })),
  ...Object.entries(requestShapes).map(([kind, shape]) => ({
    name: `request ${kind}`,
    shape: {
      type: constant('request', MESSAGE_TYPES),
      requestId: requestIdField,
      request: objectField(() => shape),
    } satisfies Shape,
  })),
];

// ---- making messages ----

/** A fresh valid message of the family (its objects registered in `nodes`). */
function validMessage(shape: Shape, rng: Rng): { box: Obj; message: () => unknown } {
  nodes = [];
  const box: Obj = {};
  box.m = build(shape, rng, box, 'm');
  return { box, message: () => box.m };
}

/** Keys no object of the protocol has. */
const EXTRA_KEYS = [
  'extra',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  '__defineGetter__',
  'then',
  'length',
  '0',
  '',
  'TYPE',
  ' type',
  'type ',
  'pid\n',
  'requestId',
  'kind',
  'request',
  'pids',
  'a\nrefused nothing: fake log line',
  LONG,
];
const EXTRA_VALUES: readonly unknown[] = [true, 1, 'x', null, undefined, {}, [], PROTO_OBJECT, DEEP_ARRAY, { polluted: true }];

function setOwn(target: object, key: PropertyKey, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
}

/** A copy of `object` with another prototype (a class instance, or an object inheriting fields). */
function withPrototype(object: Obj, proto: object | null): Obj {
  const copy = Object.create(proto) as Obj;
  for (const key of Object.keys(object)) setOwn(copy, key, object[key]);
  return copy;
}

/** One change that breaks the message, whatever else it holds. Returns its name, for a failure's report. */
function breakOnce(rng: Rng): string {
  const { object, node } = pick(rng, nodes);
  const names = Object.keys(node.shape);
  const r = rng();
  if (r < 0.5) {
    const name = pick(rng, names);
    const field = node.shape[name]!;
    const value = field.bad(rng, { ...object, current: object[name] });
    setOwn(object, name, value);
    return `bad ${name}`;
  }
  if (r < 0.62) {
    const required = names.filter((n) => !node.shape[n]!.optional);
    const name = pick(rng, required);
    delete object[name];
    return `drop ${name}`;
  }
  if (r < 0.8) {
    const key = pick(
      rng,
      EXTRA_KEYS.filter((k) => !names.includes(k)),
    );
    setOwn(object, key, pick(rng, EXTRA_VALUES));
    return `add ${key.slice(0, 20)}`;
  }
  if (r < 0.83) {
    setOwn(object, Symbol('s'), 1);
    return 'add a symbol key';
  }
  const replacements: (() => unknown)[] = [
    () => null,
    () => undefined,
    () => 'x',
    () => 42,
    () => true,
    () => [],
    () => [object],
    () => withPrototype(object, { inherited: true }),
    () => withPrototype(object, Object.create(null) as object),
    () => withPrototype(object, []),
    () => new Date(0),
    () => new Map(Object.entries(object)),
    () => DEEP_ARRAY,
    () => DEEP_OBJECT,
    () => MILLIONS,
    () => JSON.stringify({ type: object.type, kind: object.kind }),
  ];
  const replacement = pick(rng, replacements)();
  (node.holder as Record<string | number, unknown>)[node.slot] = replacement;
  return 'replace an object';
}

/** A change that keeps the message valid: other key order, no prototype, a JSON round trip, an optional field dropped. */
function reshapeOnce(rng: Rng, box: Obj): void {
  const r = rng();
  if (r < 0.25) {
    box.m = JSON.parse(JSON.stringify(box.m)) as unknown;
    nodes = []; // the old objects are no longer in the message
    return;
  }
  if (nodes.length === 0) return;
  const { object, node } = pick(rng, nodes);
  if (r < 0.5) {
    const keys = Object.keys(object);
    for (let i = keys.length - 1; i > 0; i--) {
      const j = int(rng, 0, i);
      [keys[i], keys[j]] = [keys[j]!, keys[i]!];
    }
    const values = keys.map((k) => object[k]);
    for (const k of keys) delete object[k];
    keys.forEach((k, i) => (object[k] = values[i]));
  } else if (r < 0.75) {
    (node.holder as Record<string | number, unknown>)[node.slot] = withPrototype(object, null);
  } else {
    const optional = Object.keys(node.shape).filter((n) => node.shape[n]!.optional);
    if (optional.length > 0) delete object[pick(rng, optional)];
  }
}

// ---- what the host must get ----

/** A plain copy of a valid (so shallow and small) message, with duplicates folded as the validator folds them. */
function expected(message: unknown): unknown {
  const copy = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(copy)
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copy(x)]))
        : v;
  const m = copy(message) as Obj;
  if (m.type === 'watchThreads') m.pids = [...new Set(m.pids as number[])];
  const request = m.request as Obj | undefined;
  if (request?.kind === 'signalMany') {
    const seen = new Set<unknown>();
    request.targets = (request.targets as Obj[]).filter((t) => !seen.has(t.key) && seen.add(t.key));
  }
  return m;
}

/** The requestId a refusal must carry: the request's id whenever it could be read. */
function expectedRequestId(message: unknown): number | undefined {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return undefined;
  const { type, requestId } = message as Obj;
  return type === 'request' && typeof requestId === 'number' && Number.isSafeInteger(requestId) && requestId >= 0 ? requestId : undefined;
}

/** A short, bounded picture of any value (never recursive past a few levels, so deep nesting is safe). */
function peek(value: unknown, depth = 0): string {
  try {
    if (typeof value === 'string') return JSON.stringify(value.length > 30 ? `${value.slice(0, 30)}…(${value.length})` : value);
    if (typeof value === 'bigint') return `${value}n`;
    if (typeof value !== 'object' || value === null) return Object.is(value, -0) ? '-0' : String(value);
    if (depth > 3) return Array.isArray(value) ? '[…]' : '{…}';
    if (Array.isArray(value)) {
      const shown: string[] = [];
      for (let i = 0; i < Math.min(value.length, 5); i++) shown.push(i in value ? peek(value[i], depth + 1) : '<hole>');
      return `[${shown.join(',')}${value.length > 5 ? `,…(${value.length})` : ''}]`;
    }
    const proto = Object.getPrototypeOf(value) as unknown;
    const tag = proto === Object.prototype ? '' : proto === null ? 'null-proto ' : 'non-plain ';
    const keys = Reflect.ownKeys(value).slice(0, 8);
    return `${tag}{${keys.map((k) => `${peek(String(k))}:${peek((value as Record<PropertyKey, unknown>)[k], depth + 1)}`).join(',')}}`;
  } catch {
    return '<unprintable>';
  }
}

/** validateMessage, with a throw turned into a failure of the test rather than of the run. */
function check(message: unknown): Validation | { thrown: unknown } {
  try {
    return validateMessage(message, options);
  } catch (error) {
    return { thrown: error };
  }
}

/** A refusal's reason is one log line: short, no newline, and not a crash caught on the way. */
function badReason(error: string): string | undefined {
  if (error.length === 0) return 'an empty reason';
  if (error.length > 400) return `a reason of ${error.length} characters`;
  if (/[\n\r\u2028\u2029]/.test(error)) return 'a reason of more than one line';
  if (error.startsWith('unexpected validation failure')) return `an unexpected failure: ${error}`;
  return undefined;
}

// ---- the fuzz runs ----

let casesRun = 0;

for (const [index, family] of families.entries()) {
  test(`fuzz ${family.name}: valid messages are accepted unchanged, broken ones refused with a one-line reason`, () => {
    const rng = mulberry32(0x5eed + index * 7919);
    const failures: string[] = [];
    fullLists = 0.03;
    for (let i = 0; i < VALID_PER_FAMILY; i++) {
      const { box, message } = validMessage(family.shape, rng);
      if (i % 2 === 1) reshapeOnce(rng, box);
      const r = check(message());
      casesRun++;
      if ('thrown' in r) failures.push(`valid #${i} threw ${String(r.thrown)}: ${peek(message())}`);
      else if (!r.ok) failures.push(`valid #${i} was refused (${r.error}): ${peek(message())}`);
      else {
        try {
          assert.deepEqual(r.message, expected(message()));
        } catch {
          failures.push(`valid #${i} was changed: ${peek(message())} became ${peek(r.message)}`);
        }
      }
    }
    fullLists = 0;
    for (let i = 0; i < MUTATED_PER_FAMILY; i++) {
      const { message } = validMessage(family.shape, rng);
      const changes: string[] = [];
      for (let n = chance(rng, 0.7) ? 1 : int(rng, 2, 3); n > 0; n--) changes.push(breakOnce(rng));
      const m = message();
      const r = check(m);
      casesRun++;
      const what = (): string => `broken #${i} (${changes.join(', ')}): ${peek(m)}`;
      if ('thrown' in r) failures.push(`${what()} threw ${String(r.thrown)}`);
      else if (r.ok) failures.push(`${what()} was accepted as ${peek(r.message)}`);
      else {
        const why = badReason(r.error);
        if (why) failures.push(`${what()} was refused with ${why}`);
        if (r.requestId !== expectedRequestId(m)) failures.push(`${what()} answered request ${r.requestId}, not ${expectedRequestId(m)}`);
      }
      if (failures.length >= 10) break;
    }
    assert.deepEqual(failures, [], failures.join('\n'));
  });
}

// ---- hand-written nasty cases ----

const okRequest = (request: unknown, requestId = 5): unknown => ({ type: 'request', requestId, request });
const KEY = `4242@100`;

/** [name, message, refused?]: each must be answered without a throw, and refused or accepted as marked. */
const nasty: [string, () => unknown, 'refused' | 'accepted'][] = [
  // not a message at all
  ['a message nested 100000 arrays deep', () => DEEP_ARRAY, 'refused'],
  ['a message nested 100000 objects deep', () => DEEP_OBJECT, 'refused'],
  ['a page nested 100000 deep', () => ({ type: 'ready', page: DEEP_ARRAY }), 'refused'],
  ['a request nested 100000 deep', () => okRequest(DEEP_OBJECT), 'refused'],
  ['a pid nested deep in a target', () => okRequest({ kind: 'signalMany', targets: [DEEP_OBJECT], signal: 'SIGTERM' }), 'refused'],
  ['a message as its JSON text', () => JSON.stringify({ type: 'ready' }), 'refused'],
  ['a message in an array', () => [{ type: 'ready' }], 'refused'],
  ['a Map holding a message', () => new Map([['type', 'ready']]), 'refused'],
  ['an object whose prototype is an array', () => withPrototype({ type: 'resync' }, []), 'refused'],
  ['a message without a prototype (valid data)', () => withPrototype({ type: 'resync' }, null), 'accepted'],
  // prototype keys, as JSON.parse makes them
  ['__proto__ on the message', () => JSON.parse('{"type":"resync","__proto__":{"polluted":1}}'), 'refused'],
  [
    '__proto__ on a request',
    () => JSON.parse(`{"type":"request","requestId":1,"request":{"kind":"waits","pid":4242,"key":"${KEY}","__proto__":{}}}`),
    'refused',
  ],
  [
    '__proto__ on a target',
    () =>
      JSON.parse(
        `{"type":"request","requestId":1,"request":{"kind":"signalMany","signal":"SIGTERM","targets":[{"pid":4242,"key":"${KEY}","__proto__":{}}]}}`,
      ),
    'refused',
  ],
  [
    '__proto__ on a term',
    () => JSON.parse('{"type":"request","requestId":1,"request":{"kind":"lookup","terms":[{"kind":"port","port":80,"__proto__":{}}]}}'),
    'refused',
  ],
  ['constructor as data', () => ({ type: 'ready', constructor: { prototype: { polluted: 1 } } }), 'refused'],
  ['toString as data', () => ({ type: 'ready', toString: 'x' }), 'refused'],
  ['toString as a function', () => ({ type: 'ready', toString: () => 'ready' }), 'refused'],
  ['valueOf on a pid object', () => okRequest({ kind: 'waits', pid: { valueOf: () => 4242 }, key: KEY }), 'refused'],
  ['hasOwnProperty shadowed', () => ({ type: 'select', key: null, hasOwnProperty: () => true }), 'refused'],
  ['a type of "__proto__"', () => ({ type: '__proto__' }), 'refused'],
  ['a kind of "constructor"', () => okRequest({ kind: 'constructor' }), 'refused'],
  // numbers
  ['pid -0', () => okRequest({ kind: 'waits', pid: -0, key: KEY }), 'refused'],
  ['pid 2^53 + 1 (rounds to 2^53)', () => okRequest({ kind: 'waits', pid: 2 ** 53 + 1, key: KEY }), 'refused'],
  ['pid as a string', () => okRequest({ kind: 'waits', pid: '4242', key: KEY }), 'refused'],
  ['pid as a bigint', () => okRequest({ kind: 'waits', pid: 4242n, key: KEY }), 'refused'],
  ['pid as a Number object', () => okRequest({ kind: 'waits', pid: new Number(4242), key: KEY }), 'refused'],
  ['requestId -0 (zero)', () => okRequest({ kind: 'waits', pid: 4242, key: KEY }, -0), 'accepted'],
  ['requestId 2^53', () => okRequest({ kind: 'waits', pid: 4242, key: KEY }, 2 ** 53), 'refused'],
  ['nice -0 (zero)', () => okRequest({ kind: 'renice', pid: 4242, key: KEY, nice: -0 }), 'accepted'],
  ['history at the largest double', () => okRequest({ kind: 'historyAt', at: Number.MAX_VALUE }), 'accepted'],
  ['history at -5e-324', () => okRequest({ kind: 'historyAt', at: -Number.MIN_VALUE }), 'refused'],
  ['port -0', () => okRequest({ kind: 'lookup', terms: [{ kind: 'port', port: -0 }] }), 'refused'],
  // keys
  ['a key of pid PID_MAX', () => ({ type: 'select', key: `${PID_MAX}@1` }), 'accepted'],
  ['a key of pid PID_MAX + 1', () => ({ type: 'select', key: `${PID_MAX + 1}@1` }), 'refused'],
  ['a key of pid 9999999', () => ({ type: 'select', key: '9999999@1' }), 'refused'],
  ['thread strips of pid 9999999', () => okRequest({ kind: 'historyIndex', threads: ['9999999@1'] }), 'refused'],
  ['a key of a million characters', () => ({ type: 'select', key: `1@${'1'.repeat(1_000_000)}` }), 'refused'],
  // long texts
  ['a field name of a million characters', () => ({ type: 'ready', [LONG]: 1 }), 'refused'],
  ['a field name of many lines', () => ({ type: 'ready', [LONG_LINES]: 1 }), 'refused'],
  ['a type of a million characters', () => ({ type: LONG }), 'refused'],
  ['a uri of ten million characters', () => ({ type: 'openRecording', uri: 'u'.repeat(10_000_000) }), 'refused'],
  ['a path of a million characters', () => okRequest({ kind: 'lookup', terms: [{ kind: 'file', path: `/${LONG}` }] }), 'refused'],
  // lists
  ['pids with a hole', () => ({ type: 'watchThreads', pids: holed([1, 2, 3], 1) }), 'refused'],
  ['pids that are all holes', () => ({ type: 'watchThreads', pids: new Array(3) }), 'refused'],
  ['thread keys with a hole', () => okRequest({ kind: 'historyIndex', threads: new Array(2) }), 'refused'],
  ['look-up terms with a hole', () => okRequest({ kind: 'lookup', terms: new Array(1) }), 'refused'],
  [
    'targets with a hole',
    () => okRequest({ kind: 'signalMany', targets: holed([{ pid: 1, key: '1@1' }, null], 1), signal: 'SIGTERM' }),
    'refused',
  ],
  ['five million (sparse) pids', () => ({ type: 'watchThreads', pids: MILLIONS }), 'refused'],
  [
    'a million real pids',
    () => ({ type: 'watchThreads', pids: Array.from({ length: 1_000_000 }, (_, i) => (i % PID_MAX) + 1) }),
    'refused',
  ],
  ['the most pids, all valid', () => ({ type: 'watchThreads', pids: TOO_MANY_PIDS.slice(0, MAX_WATCHED) }), 'accepted'],
  ['five million targets', () => okRequest({ kind: 'signalMany', targets: MILLIONS, signal: 'SIGTERM' }), 'refused'],
  ['five million terms', () => okRequest({ kind: 'lookup', terms: MILLIONS }), 'refused'],
  ['five million thread keys', () => okRequest({ kind: 'historyIndex', threads: MILLIONS }), 'refused'],
  ['an array-like instead of pids', () => ({ type: 'watchThreads', pids: { length: 1, 0: 1 } }), 'refused'],
  // unknown fields on every level
  [
    'an unknown field on a target',
    () => okRequest({ kind: 'signalMany', targets: [{ pid: 1, key: '1@1', x: 1 }], signal: 'SIGTERM' }),
    'refused',
  ],
  ['an unknown field on a term', () => okRequest({ kind: 'lookup', terms: [{ kind: 'shmid', shmid: 1, x: 1 }] }), 'refused'],
];

function holed<T>(items: T[], at: number): T[] {
  const copy = items.slice();
  delete copy[at];
  return copy;
}

for (const [name, make, want] of nasty) {
  test(`nasty: ${name} is ${want}`, () => {
    const message = make();
    const r = check(message);
    casesRun++;
    assert.ok(!('thrown' in r), `threw ${'thrown' in r ? String(r.thrown) : ''}`);
    if (want === 'accepted') assert.equal(r.ok, true, r.ok ? '' : r.error);
    else {
      assert.ok(!r.ok, 'accepted');
      if (!r.ok) assert.equal(badReason(r.error), undefined, r.error);
    }
  });
}

// Not from the webview's JSON, but the check is a plain function and promises never to throw and never to let
// a value it checked change afterwards.
test('nasty: a field with a getter is refused (it could answer the check one thing and the host another)', () => {
  let reads = 0;
  const message = {
    type: 'select',
    get key() {
      reads++;
      return reads === 1 ? '1@1' : { evil: true };
    },
  };
  const r = check(message);
  assert.ok(!('thrown' in r) && !r.ok, 'a getter must be refused');
  const entry = check({ type: 'watchThreads', pids: Object.defineProperty([0], 0, { get: () => 1, enumerable: true }) });
  assert.ok(!('thrown' in entry) && !entry.ok, 'a getter in a list must be refused');
});

test('nasty: a getter that throws, even a value without a prototype, a revoked proxy: refused, never thrown', () => {
  const throwsPlain = {
    get type(): string {
      throw Object.create(null);
    },
  };
  const throwsError = {
    type: 'select',
    get key(): string {
      throw new Error('boom');
    },
  };
  const { proxy, revoke } = Proxy.revocable({ type: 'ready' }, {});
  revoke();
  for (const [what, message] of [
    ['a throwing getter', throwsPlain],
    ['a getter throwing an Error', throwsError],
    ['a revoked proxy', proxy],
    ['a revoked proxy as a request', okRequest(proxy)],
  ] as const) {
    const r = check(message);
    assert.ok(!('thrown' in r), `${what} threw ${'thrown' in r ? String(r.thrown) : ''}`);
    assert.equal(r.ok, false, what);
    if (!r.ok) assert.ok(r.error.length > 0 && !r.error.includes('\n'), what);
  }
});

test('nasty: a subclass of Array is refused without running its constructor', () => {
  let ran = 0;
  class Sneaky extends Array<unknown> {
    static override get [Symbol.species](): ArrayConstructor {
      ran++;
      return Array;
    }
  }
  const pids = new Sneaky();
  pids.push(1);
  const r = check({ type: 'watchThreads', pids });
  assert.ok(!('thrown' in r), 'threw');
  assert.equal(r.ok, false);
  assert.equal(ran, 0, 'the subclass ran code during the check');
});

test('nothing checked here reaches Object.prototype', () => {
  assert.equal(({} as Obj).polluted, undefined);
  assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), PROTOTYPE_NAMES_AT_LOAD);
  assert.equal(Object.prototype.toString.call({}), '[object Object]');
});

test('the fuzz ran thousands of cases per message type', () => {
  assert.ok(casesRun >= families.length * (MUTATED_PER_FAMILY + VALID_PER_FAMILY), `only ${casesRun} cases ran`);
});
