// The panel filter's reverse look-ups on real objects the test creates, answered by the sampler's worker
// thread (and its in-thread fallback): a TCP listener and a UDP socket on ephemeral ports, an open file, a flock
// with a blocked waiter, a thread named by prctl(PR_SET_NAME). Each look-up must find exactly the processes
// that hold the object.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createBackend, type PanelBackend } from '../../src/extension/backend';
import type { LookupResult, LookupTerm } from '../../src/protocol';
import { lookupProcesses } from '../../src/worker/lookup';
import { python, type Started } from './helpers';

let dir: string;
let file: string;
let lockFile: string;
let sockets: Started & { facts: { tcp: number; udp: number } };
let opener: Started & { facts: { fd: number } };
let waiter: Started;
let threaded: Started & { facts: { tid: number } };
let shmUser: Started & { facts: { shmid: number } };
const SHM_NAME = `procscope-lookup-${process.pid}`;
const backends: [string, PanelBackend][] = [];

async function start<T>(code: string, env: Record<string, string> = {}): Promise<Started & { facts: T }> {
  const p = await python(code, { env });
  return Object.assign(p, { facts: JSON.parse(p.firstLine) as T });
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'procscope-lookup-'));
  file = join(dir, 'open file.txt');
  lockFile = join(dir, 'held.lock');
  writeFileSync(file, 'x');
  writeFileSync(lockFile, '');
  sockets = await start(`
import socket, json, time
t = socket.socket(); t.bind(('127.0.0.1', 0)); t.listen()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(('127.0.0.1', 0))
print(json.dumps({'tcp': t.getsockname()[1], 'udp': u.getsockname()[1]}), flush=True)
time.sleep(120)`);
  opener = await start(
    `
import os, json, time, fcntl
f = open(os.environ['F'], 'rb')
l = open(os.environ['L'], 'rb')
fcntl.flock(l, fcntl.LOCK_EX)
print(json.dumps({'fd': f.fileno()}), flush=True)
time.sleep(120)`,
    { F: file, L: lockFile },
  );
  waiter = await python(
    `
import os, fcntl
l = open(os.environ['L'], 'rb')
print('{}', flush=True)
fcntl.flock(l, fcntl.LOCK_EX)`,
    { env: { L: lockFile } },
  );
  threaded = await start(`
import ctypes, ctypes.util, threading, json, time, os
libc = ctypes.CDLL(ctypes.util.find_library('c') or 'libc.so.6')
ready = threading.Event()
box = {}
def run():
    libc.prctl(15, ctypes.c_char_p(b'Lk-Finder-77'), 0, 0, 0)
    box['tid'] = threading.get_native_id()
    ready.set()
    time.sleep(120)
threading.Thread(target=run, daemon=True).start()
ready.wait()
print(json.dumps({'tid': box['tid']}), flush=True)
time.sleep(120)`);
  // A POSIX object in /dev/shm mapped, and a SysV segment attached (marked for removal at once: it goes when
  // the process does).
  shmUser = await start(
    `
import ctypes, ctypes.util, json, mmap, os, time
fd = os.open('/dev/shm/' + os.environ['N'], os.O_CREAT | os.O_RDWR, 0o600)
os.ftruncate(fd, 4096)
m = mmap.mmap(fd, 4096)
os.close(fd)
libc = ctypes.CDLL(ctypes.util.find_library('c') or 'libc.so.6', use_errno=True)
libc.shmat.restype = ctypes.c_void_p
shmid = libc.shmget(0, 4096, 0o600 | 0o1000)
assert libc.shmat(shmid, None, 0) != ctypes.c_void_p(-1).value
libc.shmctl(shmid, 0, None)
print(json.dumps({'shmid': shmid}), flush=True)
time.sleep(120)`,
    { N: SHM_NAME },
  );
  backends.push([
    'worker thread',
    createBackend({ evalSource: `require('tsx/cjs'); require(${JSON.stringify(require.resolve('../../src/worker/panelWorker.ts'))});` }),
  ]);
  backends.push(['in-thread fallback', createBackend('/nonexistent/panelWorker.js')]);
});

after(async () => {
  for (const [, b] of backends) b.dispose();
  for (const p of [sockets, opener, waiter, threaded, shmUser]) await p?.kill();
  rmSync(`/dev/shm/${SHM_NAME}`, { force: true });
  rmSync(dir, { recursive: true, force: true });
});

function found(r: LookupResult): number[] {
  assert.equal(r.available, true);
  return r.available ? r.matches.map((m) => m.pid) : [];
}

function reasonsOf(r: LookupResult, pid: number): unknown[] {
  return r.available ? [...(r.matches.find((m) => m.pid === pid)?.reasons ?? [])] : [];
}

/** Asks again until the kernel shows what the test set up (the waiter blocked in flock) or 10 s pass. */
async function eventually(backend: PanelBackend, terms: LookupTerm[], done: (r: LookupResult) => boolean): Promise<LookupResult> {
  const end = Date.now() + 10_000;
  for (;;) {
    const r = await backend.lookup(terms);
    if (done(r) || Date.now() > end) return r;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the filter look-ups, in the worker', () => {
  for (const which of ['worker thread', 'in-thread fallback']) {
    const backend = (): PanelBackend => backends.find(([name]) => name === which)![1];

    it(`${which}: port: finds exactly the process listening on TCP, and the one bound on UDP`, async () => {
      const tcp = await backend().lookup([{ kind: 'port', port: sockets.facts.tcp }]);
      assert.deepEqual(found(tcp), [sockets.pid]);
      assert.deepEqual(reasonsOf(tcp, sockets.pid), [
        { kind: 'socket', how: 'listen', protocol: 'tcp', local: `127.0.0.1:${sockets.facts.tcp}`, remote: null },
      ]);
      assert.match(tcp.available ? tcp.matches[0]!.key : '', new RegExp(`^${sockets.pid}@\\d+$`));
      const udp = await backend().lookup([{ kind: 'port', port: sockets.facts.udp }]);
      assert.deepEqual(found(udp), [sockets.pid]);
      assert.deepEqual(reasonsOf(udp, sockets.pid), [
        { kind: 'socket', how: 'bound', protocol: 'udp', local: `127.0.0.1:${sockets.facts.udp}`, remote: null },
      ]);
    });

    it(`${which}: file: finds exactly the process that has it open (a path with a space)`, async () => {
      const r = await backend().lookup([{ kind: 'file', path: file }]);
      assert.deepEqual(found(r), [opener.pid]);
      assert.deepEqual(reasonsOf(r, opener.pid), [{ kind: 'file', how: 'fd', path: file, fd: opener.facts.fd }]);
    });

    it(`${which}: lock: finds exactly the holder and the process blocked waiting for it`, async () => {
      const r = await eventually(backend(), [{ kind: 'lock', path: lockFile }], (x) => found(x).length === 2);
      assert.deepEqual(
        found(r),
        [opener.pid, waiter.pid].sort((a, b) => a - b),
      );
      assert.deepEqual(reasonsOf(r, opener.pid), [{ kind: 'lock', how: 'holder', lockClass: 'FLOCK', access: 'WRITE', path: lockFile }]);
      assert.deepEqual(reasonsOf(r, waiter.pid), [{ kind: 'lock', how: 'waiter', lockClass: 'FLOCK', access: 'WRITE', path: lockFile }]);
    });

    it(`${which}: thread: finds the process by its named thread, case-insensitive, with the thread's tid and state`, async () => {
      const r = await backend().lookup([{ kind: 'thread', name: 'lk-finder' }]);
      assert.deepEqual(found(r), [threaded.pid]);
      assert.deepEqual(reasonsOf(r, threaded.pid), [{ kind: 'thread', tid: threaded.facts.tid, name: 'Lk-Finder-77', state: 'S' }]);
      // Both thread terms hold for the same thread: sleeping, yes; in D, no.
      assert.deepEqual(
        found(
          await backend().lookup([
            { kind: 'thread', name: 'FINDER' },
            { kind: 'tstate', states: 'SD' },
          ]),
        ),
        [threaded.pid],
      );
      assert.deepEqual(
        found(
          await backend().lookup([
            { kind: 'thread', name: 'finder' },
            { kind: 'tstate', states: 'D' },
          ]),
        ),
        [],
      );
    });

    it(`${which}: shm: and shmid: find exactly the process that maps the object and the one attached to the segment`, async () => {
      const posix = await backend().lookup([{ kind: 'shm', name: SHM_NAME }]);
      assert.deepEqual(found(posix), [shmUser.pid]);
      // Python's mmap keeps a dup of the fd it maps: the object is both open and mapped.
      assert.deepEqual(
        reasonsOf(posix, shmUser.pid).map((r) => ({ ...(r as object), fd: null })),
        [
          { kind: 'file', how: 'fd', path: `/dev/shm/${SHM_NAME}`, fd: null },
          { kind: 'file', how: 'mmap', path: `/dev/shm/${SHM_NAME}`, fd: null },
        ],
      );
      const sysv = await backend().lookup([{ kind: 'shmid', shmid: shmUser.facts.shmid }]);
      assert.deepEqual(found(sysv), [shmUser.pid]);
      assert.deepEqual(reasonsOf(sysv, shmUser.pid), [{ kind: 'shm', shmid: shmUser.facts.shmid }]);
    });

    it(`${which}: every term must hold, and an object that does not exist is a problem of its term, not a failure`, async () => {
      assert.deepEqual(
        found(
          await backend().lookup([
            { kind: 'port', port: sockets.facts.tcp },
            { kind: 'file', path: file },
          ]),
        ),
        [],
      );
      const missing = await backend().lookup([
        { kind: 'port', port: sockets.facts.tcp },
        { kind: 'file', path: join(dir, 'no such file') },
      ]);
      assert.ok(missing.available);
      assert.deepEqual(missing.matches, []);
      assert.deepEqual(
        missing.problems.map((p) => ({ term: p.term, errno: p.reason.split(':')[0] })),
        [{ term: 1, errno: 'ENOENT' }],
      );
    });
  }

  it('answers "not available" where there is no /proc (the portable backend)', async () => {
    assert.deepEqual(await lookupProcesses([{ kind: 'port', port: 80 }], { procRoot: join(dir, 'no-proc') }), { available: false });
  });
});
