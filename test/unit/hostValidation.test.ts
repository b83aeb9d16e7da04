// The host refuses every malformed or hostile message from the webview, and accepts the valid ones unchanged.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { MAX_WATCHED, PID_MAX, validateMessage } from '../../src/extension/validate';
import { MAX_SIGNAL_TARGETS } from '../../src/protocol';

const self = process.pid; // a pid that certainly exists: this test's own process
const selfKey = `${self}@12345`;

/** A pid that existed a moment ago and is gone now (a child that ran and was reaped). */
function exitedPid(): number {
  for (let i = 0; i < 5; i++) {
    const r = spawnSync('sh', ['-c', 'echo $$']);
    const pid = Number(String(r.stdout).trim());
    if (pid > 0 && !existsSync(`/proc/${pid}`)) return pid;
  }
  throw new Error('could not find an unused pid');
}
const gone = exitedPid();

const accepted: { name: string; message: unknown }[] = [
  { name: 'ready', message: { type: 'ready' } },
  { name: 'detail request', message: { type: 'request', requestId: 0, request: { kind: 'detail', pid: self, key: selfKey } } },
  {
    name: 'detail request with env',
    message: { type: 'request', requestId: 7, request: { kind: 'detail', pid: self, key: selfKey, includeEnv: true } },
  },
  ...['SIGTERM', 'SIGKILL', 'SIGINT', 'SIGHUP', 'SIGSTOP', 'SIGCONT', 'SIGUSR1', 'SIGUSR2'].map((signal) => ({
    name: `signal ${signal}`,
    message: { type: 'request', requestId: 1, request: { kind: 'signal', pid: self, key: selfKey, signal } },
  })),
  ...(['signalTree', 'signalGroup'] as const).flatMap((kind) =>
    ['SIGTERM', 'SIGKILL'].map((signal) => ({
      name: `${kind} ${signal}`,
      message: { type: 'request', requestId: 1, request: { kind, pid: self, key: selfKey, signal } },
    })),
  ),
  { name: 'renice -20', message: { type: 'request', requestId: 2, request: { kind: 'renice', pid: self, key: selfKey, nice: -20 } } },
  { name: 'renice 19', message: { type: 'request', requestId: 2, request: { kind: 'renice', pid: self, key: selfKey, nice: 19 } } },
  { name: 'copy ps', message: { type: 'request', requestId: 3, request: { kind: 'copy', pid: self, key: selfKey, format: 'ps' } } },
  { name: 'copy json', message: { type: 'request', requestId: 3, request: { kind: 'copy', pid: self, key: selfKey, format: 'json' } } },
  { name: 'open terminal', message: { type: 'request', requestId: 4, request: { kind: 'openTerminal', pid: self, key: selfKey } } },
  { name: 'reveal exe', message: { type: 'request', requestId: 5, request: { kind: 'reveal', pid: self, key: selfKey, what: 'exe' } } },
  { name: 'reveal cwd', message: { type: 'request', requestId: 5, request: { kind: 'reveal', pid: self, key: selfKey, what: 'cwd' } } },
  {
    name: 'attach debugger',
    message: { type: 'request', requestId: Number.MAX_SAFE_INTEGER, request: { kind: 'attachDebugger', pid: self, key: selfKey } },
  },
  { name: 'watch threads (pids may have exited)', message: { type: 'watchThreads', pids: [self, gone] } },
  { name: 'watch nothing', message: { type: 'watchThreads', pids: [] } },
  { name: 'select a key', message: { type: 'select', key: `${self}@12345` } },
  { name: 'ready from page 3', message: { type: 'ready', page: 3 } },
  {
    name: 'request with a suffixed key (two processes sharing a pid and start tick)',
    message: { type: 'request', requestId: 8, request: { kind: 'openTerminal', pid: self, key: `${self}@12345+1` } },
  },
  { name: 'select the key of a pid reused within one tick', message: { type: 'select', key: `${self}@12345+1` } },
  { name: 'select nothing', message: { type: 'select', key: null } },
  { name: 'scope workspace', message: { type: 'setScope', scope: 'workspace' } },
  { name: 'scope all', message: { type: 'setScope', scope: 'all' } },
  { name: 'ipc need live', message: { type: 'ipcNeed', need: 'live' } },
  { name: 'ipc need none', message: { type: 'ipcNeed', need: 'none' } },
  { name: 'kernel threads on', message: { type: 'setShowKernelThreads', show: true } },
  { name: 'resync', message: { type: 'resync' } },
  { name: 'history index', message: { type: 'request', requestId: 9, request: { kind: 'historyIndex' } } },
  { name: 'history at a time', message: { type: 'request', requestId: 10, request: { kind: 'historyAt', at: 1_764_556_800_000 } } },
  {
    name: 'history index with the thread strips of two processes (which need not exist now)',
    message: { type: 'request', requestId: 15, request: { kind: 'historyIndex', threads: ['4194303@1', `${self}@12345+1`] } },
  },
  { name: 'a dropped file uri', message: { type: 'openRecording', uri: 'file:///tmp/a%20b.ndjson.gz' } },
  { name: 'a dropped path', message: { type: 'openRecording', uri: '/tmp/x.ndjson.gz' } },
];

for (const { name, message } of accepted) {
  test(`accepted: ${name}`, () => {
    const r = validateMessage(message);
    assert.deepEqual(r, { ok: true, message });
  });
}

test('accepted: duplicate watched pids are folded', () => {
  assert.deepEqual(validateMessage({ type: 'watchThreads', pids: [self, self] }), {
    ok: true,
    message: { type: 'watchThreads', pids: [self] },
  });
});

/** Object with an own "__proto__" key, as JSON.parse produces it (an object literal would set the prototype). */
const withProto = (json: string): unknown => JSON.parse(json);

const refused: { name: string; message: unknown; error: RegExp; requestId?: number }[] = [
  // not a message at all
  { name: 'null', message: null, error: /must be an object, got null/ },
  { name: 'undefined', message: undefined, error: /must be an object, got undefined/ },
  { name: 'a string', message: 'ready', error: /must be an object, got the string "ready"/ },
  { name: 'a number', message: 42, error: /must be an object, got the number 42/ },
  { name: 'an array', message: [{ type: 'ready' }], error: /must be an object, got an array/ },
  { name: 'no type', message: {}, error: /message type must be one of/ },
  { name: 'unknown type', message: { type: 'eval', code: '1' }, error: /message type must be one of .*got the string "eval"/ },
  { name: 'type of the wrong kind', message: { type: 1 }, error: /message type must be one of .*got the number 1/ },
  { name: 'extra field on ready', message: { type: 'ready', extra: 1 }, error: /unknown field "extra"/ },
  { name: 'class instance', message: Object.assign(Object.create({ inherited: true }), { type: 'ready' }), error: /plain object/ },
  // prototype pollution
  {
    name: '__proto__ key on the message',
    message: withProto('{"type":"ready","__proto__":{"polluted":true}}'),
    error: /forbidden key "__proto__"/,
  },
  {
    name: 'constructor key',
    message: { type: 'ready', constructor: { prototype: { polluted: true } } },
    error: /forbidden key "constructor"/,
  },
  {
    name: '__proto__ key inside a request',
    message: withProto('{"type":"request","requestId":9,"request":{"kind":"detail","pid":1,"__proto__":{"isAdmin":true}}}'),
    error: /forbidden key "__proto__"/,
    requestId: 9,
  },
  // requestId
  {
    name: 'requestId missing',
    message: { type: 'request', request: { kind: 'detail', pid: self, key: selfKey } },
    error: /requestId must be a non-negative safe integer, got undefined/,
  },
  {
    name: 'requestId negative',
    message: { type: 'request', requestId: -1, request: { kind: 'detail', pid: self, key: selfKey } },
    error: /requestId .* got the number -1/,
  },
  {
    name: 'requestId fractional',
    message: { type: 'request', requestId: 1.5, request: { kind: 'detail', pid: self, key: selfKey } },
    error: /requestId .* got the number 1.5/,
  },
  {
    name: 'requestId a string',
    message: { type: 'request', requestId: '1', request: { kind: 'detail', pid: self, key: selfKey } },
    error: /requestId .* got the string "1"/,
  },
  {
    name: 'requestId unsafe',
    message: { type: 'request', requestId: 2 ** 60, request: { kind: 'detail', pid: self, key: selfKey } },
    error: /requestId/,
  },
  // request shape (these still get an error response: the requestId was readable)
  { name: 'request missing', message: { type: 'request', requestId: 1 }, error: /missing the field "request"/, requestId: 1 },
  {
    name: 'request not an object',
    message: { type: 'request', requestId: 1, request: 'detail' },
    error: /request must be an object/,
    requestId: 1,
  },
  {
    name: 'unknown request kind',
    message: { type: 'request', requestId: 1, request: { kind: 'exec', pid: self } },
    error: /request.kind must be one of .*"exec"/,
    requestId: 1,
  },
  {
    name: 'extra field on a request',
    message: { type: 'request', requestId: 1, request: { kind: 'detail', pid: self, key: selfKey, path: '/etc/shadow' } },
    error: /unknown field "path"/,
    requestId: 1,
  },
  {
    name: 'extra field on the envelope',
    message: { type: 'request', requestId: 1, request: { kind: 'detail', pid: self, key: selfKey }, x: 1 },
    error: /unknown field "x"/,
    requestId: 1,
  },
  {
    name: 'missing pid',
    message: { type: 'request', requestId: 1, request: { kind: 'detail' } },
    error: /missing the field "pid"/,
    requestId: 1,
  },
  {
    name: 'includeEnv not boolean',
    message: { type: 'request', requestId: 1, request: { kind: 'detail', pid: self, key: selfKey, includeEnv: 'yes' } },
    error: /includeEnv must be true or false/,
    requestId: 1,
  },
  // pids
  ...(
    [
      ['0', 0, /got the number 0/],
      ['-1', -1, /got the number -1/],
      ['1.5', 1.5, /got the number 1.5/],
      ['"1"', '1', /got the string "1"/],
      ['NaN', NaN, /got NaN/],
      ['Infinity', Infinity, /got the number Infinity/],
      ['huge', PID_MAX + 1, new RegExp(`got the number ${PID_MAX + 1}`)],
      ['2^53', 2 ** 53, /must be an integer from 1 to/],
      ['null', null, /got null/],
    ] as const
  ).map(([label, pid, error]) => ({
    name: `pid ${label}`,
    message: { type: 'request', requestId: 11, request: { kind: 'signal', pid, key: selfKey, signal: 'SIGTERM' } },
    error,
    requestId: 11,
  })),
  {
    name: 'nonexistent pid',
    message: { type: 'request', requestId: 12, request: { kind: 'signal', pid: gone, key: `${gone}@1`, signal: 'SIGTERM' } },
    error: new RegExp(`no process with pid ${gone} exists`),
    requestId: 12,
  },
  // process keys: every request names the process by pid AND start time
  {
    name: 'request without a key',
    message: { type: 'request', requestId: 16, request: { kind: 'signal', pid: self, signal: 'SIGTERM' } },
    error: /missing the field "key"/,
    requestId: 16,
  },
  {
    name: 'key of another pid',
    message: { type: 'request', requestId: 16, request: { kind: 'signal', pid: self, key: `${self + 1}@12345`, signal: 'SIGKILL' } },
    error: new RegExp(`key ${self + 1}@12345 does not belong to pid ${self}`),
    requestId: 16,
  },
  {
    name: 'key without a start time',
    message: { type: 'request', requestId: 16, request: { kind: 'renice', pid: self, key: `${self}@`, nice: 1 } },
    error: /key must be "pid@startTicks"/,
    requestId: 16,
  },
  {
    name: 'key a number',
    message: { type: 'request', requestId: 16, request: { kind: 'attachDebugger', pid: self, key: self } },
    error: /key must be "pid@startTicks", got the number/,
    requestId: 16,
  },
  {
    name: 'key with markup',
    message: { type: 'request', requestId: 16, request: { kind: 'detail', pid: self, key: `${self}@1<b>` } },
    error: /key must be/,
    requestId: 16,
  },
  {
    name: 'ready with a negative page',
    message: { type: 'ready', page: -1 },
    error: /page must be a non-negative safe integer, got the number -1/,
  },
  { name: 'ready with a string page', message: { type: 'ready', page: '1' }, error: /page must be/ },
  // signals
  {
    name: 'signalTree SIGSEGV',
    message: { type: 'request', requestId: 13, request: { kind: 'signalTree', pid: self, key: selfKey, signal: 'SIGSEGV' } },
    error: /signal must be one of/,
    requestId: 13,
  },
  {
    name: 'signalGroup with a pgid instead of a key',
    message: { type: 'request', requestId: 13, request: { kind: 'signalGroup', pid: self, pgid: self, signal: 'SIGTERM' } },
    error: /unknown field "pgid"/,
    requestId: 13,
  },
  {
    name: 'signalGroup without a key',
    message: { type: 'request', requestId: 13, request: { kind: 'signalGroup', pid: self, signal: 'SIGTERM' } },
    error: /missing the field "key"/,
    requestId: 13,
  },
  {
    name: "signalTree of another pid's key",
    message: { type: 'request', requestId: 13, request: { kind: 'signalTree', pid: self, key: `${self + 1}@1`, signal: 'SIGTERM' } },
    error: /does not belong to pid/,
    requestId: 13,
  },
  {
    name: 'signal SIGSEGV',
    message: { type: 'request', requestId: 13, request: { kind: 'signal', pid: self, key: selfKey, signal: 'SIGSEGV' } },
    error: /signal must be one of SIGTERM, .*got the string "SIGSEGV"/,
    requestId: 13,
  },
  {
    name: 'signal "9"',
    message: { type: 'request', requestId: 13, request: { kind: 'signal', pid: self, key: selfKey, signal: '9' } },
    error: /got the string "9"/,
    requestId: 13,
  },
  {
    name: 'signal 9',
    message: { type: 'request', requestId: 13, request: { kind: 'signal', pid: self, key: selfKey, signal: 9 } },
    error: /got the number 9/,
    requestId: 13,
  },
  {
    name: 'signal lower case',
    message: { type: 'request', requestId: 13, request: { kind: 'signal', pid: self, key: selfKey, signal: 'sigterm' } },
    error: /signal must be one of/,
    requestId: 13,
  },
  {
    name: 'signal missing',
    message: { type: 'request', requestId: 13, request: { kind: 'signal', pid: self, key: selfKey } },
    error: /missing the field "signal"/,
    requestId: 13,
  },
  // nice
  {
    name: 'nice 100',
    message: { type: 'request', requestId: 14, request: { kind: 'renice', pid: self, key: selfKey, nice: 100 } },
    error: /nice must be an integer from -20 to 19, got the number 100/,
    requestId: 14,
  },
  {
    name: 'nice -21',
    message: { type: 'request', requestId: 14, request: { kind: 'renice', pid: self, key: selfKey, nice: -21 } },
    error: /got the number -21/,
    requestId: 14,
  },
  {
    name: 'nice 0.5',
    message: { type: 'request', requestId: 14, request: { kind: 'renice', pid: self, key: selfKey, nice: 0.5 } },
    error: /got the number 0.5/,
    requestId: 14,
  },
  {
    name: 'nice "5"',
    message: { type: 'request', requestId: 14, request: { kind: 'renice', pid: self, key: selfKey, nice: '5' } },
    error: /got the string "5"/,
    requestId: 14,
  },
  // other enums
  {
    name: 'copy format xml',
    message: { type: 'request', requestId: 15, request: { kind: 'copy', pid: self, key: selfKey, format: 'xml' } },
    error: /format must be one of ps, json/,
    requestId: 15,
  },
  {
    name: 'reveal root',
    message: { type: 'request', requestId: 15, request: { kind: 'reveal', pid: self, key: selfKey, what: 'root' } },
    error: /what must be one of exe, cwd/,
    requestId: 15,
  },
  // other messages
  { name: 'watchThreads not an array', message: { type: 'watchThreads', pids: self }, error: /pids must be an array/ },
  { name: 'watchThreads with a bad pid', message: { type: 'watchThreads', pids: [self, -3] }, error: /pids\[1\] must be an integer/ },
  {
    name: 'watchThreads too many',
    message: { type: 'watchThreads', pids: Array.from({ length: MAX_WATCHED + 1 }, (_, i) => i + 1) },
    error: /at most 10000 entries/,
  },
  {
    name: 'select with markup',
    message: { type: 'select', key: '<img src=x onerror=alert(1)>' },
    error: /key must be "pid@startTicks" or null/,
  },
  { name: 'select a number', message: { type: 'select', key: 5 }, error: /key must be/ },
  { name: 'scope other', message: { type: 'setScope', scope: 'everything' }, error: /scope must be one of workspace, all/ },
  { name: 'ipc need other', message: { type: 'ipcNeed', need: 'always' }, error: /need must be one of live, details, none/ },
  { name: 'ipc need extra field', message: { type: 'ipcNeed', need: 'live', pids: [1] }, error: /unexpected|pids/ },
  { name: 'kernel threads "true"', message: { type: 'setShowKernelThreads', show: 'true' }, error: /show must be true or false/ },
  { name: 'resync with extra fields', message: { type: 'resync', page: 1 }, error: /page/ },
  {
    name: 'history at a negative time',
    message: { type: 'request', requestId: 11, request: { kind: 'historyAt', at: -1 } },
    error: /at must be a time/,
    requestId: 11,
  },
  {
    name: 'history at text',
    message: { type: 'request', requestId: 12, request: { kind: 'historyAt', at: '1000' } },
    error: /at must be a time/,
    requestId: 12,
  },
  {
    name: 'history at Infinity',
    message: { type: 'request', requestId: 13, request: { kind: 'historyAt', at: Infinity } },
    error: /at must be a time/,
    requestId: 13,
  },
  {
    name: 'history index with threads that are not keys',
    message: { type: 'request', requestId: 16, request: { kind: 'historyIndex', threads: ['0@1'] } },
    error: /threads\[0\] must be "pid@startTicks"/,
    requestId: 16,
  },
  {
    name: 'history index with threads of too many processes',
    message: {
      type: 'request',
      requestId: 17,
      request: { kind: 'historyIndex', threads: Array.from({ length: 17 }, (_, i) => `${i + 1}@1`) },
    },
    error: /at most 16 keys/,
    requestId: 17,
  },
  { name: 'a dropped uri that is not text', message: { type: 'openRecording', uri: ['file:///x'] }, error: /uri must be a string/ },
  { name: 'an empty dropped uri', message: { type: 'openRecording', uri: '' }, error: /uri must be a string/ },
  {
    name: 'a dropped uri without end',
    message: { type: 'openRecording', uri: 'x'.repeat(20000) },
    error: /uri must be a string of 1\.\.16384/,
  },
  {
    name: 'history index with a pid',
    message: { type: 'request', requestId: 14, request: { kind: 'historyIndex', pid: 1 } },
    error: /pid/,
    requestId: 14,
  },
];

for (const { name, message, error, requestId } of refused) {
  test(`refused: ${name}`, () => {
    const r = validateMessage(message);
    assert.equal(r.ok, false, `expected a refusal, got ${JSON.stringify(r)}`);
    if (r.ok) return;
    assert.match(r.error, error);
    assert.equal(r.requestId, requestId, 'an error response goes exactly to the requests whose id could be read');
  });
}

test('validation never touches the prototype of Object', () => {
  validateMessage(withProto('{"type":"request","requestId":1,"request":{"kind":"detail","pid":1,"__proto__":{"polluted":true}}}'));
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('pid existence is asked of the given checker', () => {
  const asked: number[] = [];
  const r = validateMessage(
    { type: 'request', requestId: 1, request: { kind: 'detail', pid: 4242, key: '4242@1' } },
    { pidExists: (pid) => (asked.push(pid), false) },
  );
  assert.deepEqual(asked, [4242]);
  assert.deepEqual(r, { ok: false, error: 'no process with pid 4242 exists (it may have exited)', requestId: 1 });
});

test('signalMany: a selection is accepted target by target; an exited one is left to the host to skip; duplicates fold', () => {
  const request = {
    kind: 'signalMany',
    targets: [
      { pid: self, key: selfKey },
      { pid: gone, key: `${gone}@7` },
      { pid: self, key: selfKey },
    ],
    signal: 'SIGTERM',
  };
  assert.deepEqual(validateMessage({ type: 'request', requestId: 9, request }), {
    ok: true,
    message: {
      type: 'request',
      requestId: 9,
      request: {
        kind: 'signalMany',
        targets: [
          { pid: self, key: selfKey },
          { pid: gone, key: `${gone}@7` },
        ],
        signal: 'SIGTERM',
      },
    },
  });
});

const manyRefused: { name: string; request: unknown; error: RegExp }[] = [
  {
    name: 'no targets',
    request: { kind: 'signalMany', targets: [], signal: 'SIGTERM' },
    error: /targets must be a list of 1 to 4096 processes, got 0 entries/,
  },
  {
    name: 'targets not a list',
    request: { kind: 'signalMany', targets: { pid: self, key: selfKey }, signal: 'SIGTERM' },
    error: /targets must be a list/,
  },
  {
    name: 'too many targets',
    request: {
      kind: 'signalMany',
      targets: Array.from({ length: MAX_SIGNAL_TARGETS + 1 }, (_, i) => ({ pid: i + 1, key: `${i + 1}@1` })),
      signal: 'SIGTERM',
    },
    error: /got 4097 entries/,
  },
  {
    name: 'a key of another pid',
    request: {
      kind: 'signalMany',
      targets: [
        { pid: self, key: selfKey },
        { pid: 5, key: '6@1' },
      ],
      signal: 'SIGKILL',
    },
    error: /key 6@1 does not belong to pid 5/,
  },
  {
    name: 'a target without a key',
    request: { kind: 'signalMany', targets: [{ pid: self }], signal: 'SIGTERM' },
    error: /targets\[0\] is missing the field "key"/,
  },
  {
    name: 'a target with an extra field',
    request: { kind: 'signalMany', targets: [{ pid: self, key: selfKey, all: true }], signal: 'SIGTERM' },
    error: /targets\[0\] has an unknown field "all"/,
  },
  {
    name: "pid 0 (the caller's group)",
    request: { kind: 'signalMany', targets: [{ pid: 0, key: '0@1' }], signal: 'SIGTERM' },
    error: /targets\[0\]\.pid must be an integer from 1/,
  },
  {
    name: 'negative pid (a process group)',
    request: { kind: 'signalMany', targets: [{ pid: -1, key: '1@1' }], signal: 'SIGTERM' },
    error: /targets\[0\]\.pid must be an integer/,
  },
  {
    name: 'a signal outside the allow-list',
    request: { kind: 'signalMany', targets: [{ pid: self, key: selfKey }], signal: 'SIGSEGV' },
    error: /signal must be one of/,
  },
  {
    name: 'a pid and key instead of targets',
    request: { kind: 'signalMany', pid: self, key: selfKey, targets: [{ pid: self, key: selfKey }], signal: 'SIGTERM' },
    error: /unknown field "pid"/,
  },
];
for (const { name, request, error } of manyRefused) {
  test(`refused signalMany: ${name}`, () => {
    const r = validateMessage({ type: 'request', requestId: 11, request });
    assert.equal(r.ok, false, `expected a refusal, got ${JSON.stringify(r).slice(0, 200)}`);
    if (r.ok) return;
    assert.match(r.error, error);
    assert.equal(r.requestId, 11);
  });
}

test('pageMap: accepted with page-aligned hex addresses of the process by its key; refused otherwise', () => {
  const ask = (request: Record<string, unknown>) =>
    validateMessage({ type: 'request', requestId: 20, request: { kind: 'pageMap', pid: self, key: selfKey, ...request } });
  const ok = { kind: 'pageMap', pid: self, key: selfKey, start: '7f4437082000', end: '7f4437103000' };
  assert.deepEqual(ask({ start: ok.start, end: ok.end }), { ok: true, message: { type: 'request', requestId: 20, request: ok } });
  assert.deepEqual(ask({ start: 'ffffffffff600000', end: 'ffffffffff601000' }).ok, true, '[vsyscall], above 2^53');
  const refused: [string, Record<string, unknown>, RegExp][] = [
    ['a number address', { start: 0x1000, end: '2000' }, /start must be a page-aligned hex address/],
    ['0x prefix', { start: '0x1000', end: '2000' }, /start must be/],
    ['upper-case hex', { start: '7F0000', end: '7f1000' }, /start must be/],
    ['not page-aligned', { start: '1001', end: '2000' }, /start must be/],
    ['more than 64 bits', { start: '1000', end: '10000000000000000' }, /end must be/],
    ['markup', { start: '1000', end: '<img src=x>' }, /end must be/],
    ['end not above start', { start: '2000', end: '2000' }, /end 2000 must be above start 2000/],
    ['end below start', { start: '3000', end: '2000' }, /must be above/],
    ['a missing end', { start: '1000', end: undefined }, /missing the field "end"|end must be/],
    ['an extra field', { start: '1000', end: '2000', pages: 1 }, /unknown field "pages"/],
    ['a key of another pid', { start: '1000', end: '2000', key: `${self + 1}@1` }, /does not belong to pid/],
    ['a pid that has exited', { start: '1000', end: '2000', pid: gone, key: `${gone}@1` }, /no process with pid/],
  ];
  for (const [what, fields, error] of refused) {
    const r = ask(fields);
    assert.equal(r.ok, false, `${what}: expected a refusal, got ${JSON.stringify(r)}`);
    if (!r.ok) {
      assert.match(r.error, error, what);
      assert.equal(r.requestId, 20);
    }
  }
});
