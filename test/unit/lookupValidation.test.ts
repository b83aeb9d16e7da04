// The host checks the filter's look-up requests like every other webview message: a kind from the allow-list,
// bounded texts, absolute paths, at most MAX_LOOKUP_TERMS terms. A refused request still gets its error reply.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateMessage } from '../../src/extension/validate';
import { MAX_LOOKUP_TERMS, MAX_LOOKUP_TEXT } from '../../src/shared/lookupLimits';

const lookup = (terms: unknown): unknown => ({ type: 'request', requestId: 9, request: { kind: 'lookup', terms } });

const accepted: { name: string; terms: unknown[] }[] = [
  { name: 'a port', terms: [{ kind: 'port', port: 8080 }] },
  { name: 'a file with a space', terms: [{ kind: 'file', path: '/tmp/a b.txt' }] },
  { name: 'a lock', terms: [{ kind: 'lock', path: '/run/lock/x.lock' }] },
  { name: 'a POSIX shm name', terms: [{ kind: 'shm', name: 'psm_1' }] },
  { name: 'a SysV shmid', terms: [{ kind: 'shmid', shmid: 0 }] },
  {
    name: 'thread terms',
    terms: [
      { kind: 'thread', name: 'worker-2' },
      { kind: 'tstate', states: 'DR' },
    ],
  },
  { name: 'a path of PATH_MAX characters', terms: [{ kind: 'file', path: `/${'a'.repeat(MAX_LOOKUP_TEXT - 1)}` }] },
  { name: 'the most terms', terms: Array.from({ length: MAX_LOOKUP_TERMS }, (_, i) => ({ kind: 'port', port: i + 1 })) },
];

for (const { name, terms } of accepted) {
  test(`accepts a look-up of ${name}, unchanged`, () => {
    const r = validateMessage(lookup(terms));
    assert.ok(r.ok, r.ok ? '' : r.error);
    assert.deepEqual(r.message, lookup(terms));
  });
}

const refused: { name: string; terms: unknown; error: RegExp }[] = [
  { name: 'no terms', terms: [], error: /terms must be a list of 1 to 4/ },
  { name: 'terms not a list', terms: 'port:80', error: /terms must be a list/ },
  {
    name: 'too many terms',
    terms: Array.from({ length: MAX_LOOKUP_TERMS + 1 }, () => ({ kind: 'port', port: 1 })),
    error: /got 5 entries/,
  },
  { name: 'an unknown kind', terms: [{ kind: 'exec', path: '/bin/sh' }], error: /terms\[0\]\.kind must be one of/ },
  { name: 'a null term', terms: [null], error: /terms\[0\]\.kind must be one of/ },
  { name: 'port 0', terms: [{ kind: 'port', port: 0 }], error: /port must be an integer from 1 to 65535/ },
  { name: 'port 65536', terms: [{ kind: 'port', port: 65536 }], error: /port must be an integer/ },
  { name: 'a port as text', terms: [{ kind: 'port', port: '80' }], error: /port must be an integer/ },
  { name: 'a relative path', terms: [{ kind: 'file', path: 'etc/passwd' }], error: /path must be absolute/ },
  { name: 'an empty path', terms: [{ kind: 'lock', path: '' }], error: /path must be a text of 1 to 4096/ },
  { name: 'a path longer than PATH_MAX', terms: [{ kind: 'file', path: `/${'a'.repeat(MAX_LOOKUP_TEXT)}` }], error: /1 to 4096/ },
  { name: 'a NUL in a path', terms: [{ kind: 'file', path: '/tmp/a\0b' }], error: /without NUL/ },
  { name: 'an shm name with a slash', terms: [{ kind: 'shm', name: '../etc/passwd' }], error: /one object in \/dev\/shm/ },
  { name: 'an shm name ..', terms: [{ kind: 'shm', name: '..' }], error: /one object in \/dev\/shm/ },
  { name: 'a negative shmid', terms: [{ kind: 'shmid', shmid: -1 }], error: /shmid must be an integer/ },
  { name: 'a thread name of 65 characters', terms: [{ kind: 'thread', name: 'x'.repeat(65) }], error: /1 to 64/ },
  { name: 'a state that is not letters', terms: [{ kind: 'tstate', states: 'D;' }], error: /state letters/ },
  { name: 'an extra field', terms: [{ kind: 'port', port: 80, host: 'example.com' }], error: /unknown field "host"/ },
  { name: 'a forbidden key', terms: [JSON.parse('{"kind":"port","port":80,"__proto__":{}}')], error: /forbidden key|unknown field/ },
];

for (const { name, terms, error } of refused) {
  test(`refuses a look-up with ${name}, and still answers its request id`, () => {
    const r = validateMessage(lookup(terms));
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.match(r.error, error);
    assert.equal(r.requestId, 9);
  });
}
