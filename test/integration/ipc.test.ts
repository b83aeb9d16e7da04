// The IPC map, end to end: each test starts a real scenario (a C program compiled here, or a shell pipeline),
// scans the whole machine's /proc and checks that exactly the right processes, fds and roles were found.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { scanIpcSync } from '../../src/core/ipc/scan';
import { listFds } from '../../src/core/procfs/fd';
import type { Channel, InetChannel, IpcMap, LockChannel, UnixChannel } from '../../src/core/ipc/model';
import { childrenOf, commOf, compileDemo, endpointsOf, removeDir, startDemo, until, type Compiled } from './ipcHelpers';

let demo: Compiled;
const tag = `psipc${process.pid}`;

before(() => {
  demo = compileDemo();
});
after(() => {
  removeDir(demo.dir);
});

function find(map: IpcMap, predicate: (c: Channel) => boolean): Channel | undefined {
  return map.channels.find(predicate);
}

function holds(c: Channel, pid: number, fd?: number): boolean {
  return c.endpoints.some((e) => e.pid === pid && (fd === undefined || e.fd === fd));
}

describe('pipes and FIFOs', () => {
  test('an anonymous pipe between parent and child: parent holds the read end, child the write end', async (t) => {
    const d = await startDemo(demo.binary, ['pipe'], ['parent', 'child', 'readFd', 'writeFd', 'inode']);
    t.after(() => d.kill());
    const f = d.facts as Record<string, number>;
    const map = scanIpcSync();
    const c = find(map, (x) => x.id === `pipe:${f.inode}`);
    assert.ok(c, 'pipe channel found');
    assert.equal(c.kind, 'pipe');
    assert.deepEqual(endpointsOf(c, [f.parent!, f.child!]), [
      [f.parent, f.readFd, 'read'],
      [f.child, f.writeFd, 'write'],
    ]);
    assert.equal(c.endpoints.length, 2, 'no other process holds it');
    const parentEnd = c.endpoints.find((e) => e.pid === f.parent)!;
    assert.equal(parentEnd.processName, 'ipcdemo');
    assert.match(parentEnd.processKey ?? '', new RegExp(`^${f.parent}@\\d+$`));
  });

  test('names endpoints from the processes a sampler just read, reading stat only for the others', async (t) => {
    const d = await startDemo(demo.binary, ['pipe'], ['parent', 'child', 'readFd', 'writeFd', 'inode']);
    t.after(() => d.kill());
    const f = d.facts as Record<string, number>;
    // A name the kernel never gave: it can only come from the map passed in.
    const known = new Map([[f.parent!, { name: 'from-sampler', key: `${f.parent}@1` }]]);
    const c = find(scanIpcSync({ knownProcesses: known }), (x) => x.id === `pipe:${f.inode}`)!;
    const parentEnd = c.endpoints.find((e) => e.pid === f.parent)!;
    const childEnd = c.endpoints.find((e) => e.pid === f.child)!;
    assert.deepEqual([parentEnd.processName, parentEnd.processKey], ['from-sampler', `${f.parent}@1`]);
    assert.equal(childEnd.processName, 'ipcdemo', 'a pid the map lacks is read from /proc');
  });

  test('a shell pipeline: each pipe joins one writer to the next reader, the shell holds none', async (t) => {
    const d = await startDemo('sh', ['-c', 'yes | head -c 1000000000 | sleep 60; echo "{\\"done\\":true}"'], []);
    t.after(() => d.kill());
    const sh = d.child.pid!;
    const kids = await until(() => {
      const k = childrenOf(sh);
      return k.length === 3 && k.every((p) => ['yes', 'head', 'sleep'].includes(commOf(p))) ? k : undefined;
    }, 'three pipeline children');
    const byName = Object.fromEntries(kids.map((p) => [commOf(p), p])) as Record<'yes' | 'head' | 'sleep', number>;
    const map = scanIpcSync();
    const first = find(map, (c) => c.kind === 'pipe' && holds(c, byName.yes, 1));
    const second = find(map, (c) => c.kind === 'pipe' && holds(c, byName.head, 1));
    assert.deepEqual(
      endpointsOf(first, [sh, ...kids]),
      [
        [byName.yes, 1, 'write'],
        [byName.head, 0, 'read'],
      ].sort((a, b) => (a[0] as number) - (b[0] as number)),
    );
    assert.deepEqual(
      endpointsOf(second, [sh, ...kids]),
      [
        [byName.head, 1, 'write'],
        [byName.sleep, 0, 'read'],
      ].sort((a, b) => (a[0] as number) - (b[0] as number)),
    );
    assert.notEqual(first!.id, second!.id);
  });

  test('a FIFO: path, the reader and the writer', async (t) => {
    const path = join(demo.dir, 'a fifo');
    const d = await startDemo(demo.binary, ['fifo', path], ['parent', 'child', 'readFd', 'childFd', 'inode']);
    t.after(() => {
      d.kill();
      rmSync(path, { force: true });
    });
    const f = d.facts as Record<string, number>;
    const map = scanIpcSync();
    const c = find(map, (x) => x.kind === 'fifo' && x.inode === f.inode);
    assert.ok(c && c.kind === 'fifo');
    assert.equal(c.path, path);
    assert.deepEqual(endpointsOf(c, [f.parent!, f.child!]), [
      [f.parent, f.readFd, 'read'],
      [f.child, f.childFd, 'write'],
    ]);
  });
});

describe('sockets', () => {
  test('a socketpair: one unix channel, both ends connected, peer known', async (t) => {
    const d = await startDemo(demo.binary, ['socketpair'], ['parent', 'child', 'parentFd', 'childFd', 'parentInode']);
    t.after(() => d.kill());
    const f = d.facts as Record<string, number>;
    const map = scanIpcSync();
    const c = find(map, (x) => x.kind === 'unix' && x.inodes.includes(f.parentInode!)) as UnixChannel | undefined;
    assert.ok(c);
    assert.deepEqual(endpointsOf(c, [f.parent!, f.child!]), [
      [f.parent, f.parentFd, 'connected'],
      [f.child, f.childFd, 'connected'],
    ]);
    assert.equal(c.inodes.length, 2);
    assert.equal(c.peerKnown, true);
    assert.equal(c.path, null);
    assert.equal(c.socketType, 'stream');
    assert.equal(c.state, 'connected');
  });

  test('a unix stream socket with a path: the listener, and the accepted connection joined to its peer', async (t) => {
    const path = join(demo.dir, 'srv.sock');
    const d = await startDemo(demo.binary, ['unix', path], ['parent', 'child', 'listenFd', 'acceptedFd', 'childFd']);
    t.after(() => d.kill());
    const f = d.facts as Record<string, number>;
    const map = scanIpcSync();
    const listener = find(map, (x) => x.kind === 'unix' && holds(x, f.parent!, f.listenFd)) as UnixChannel | undefined;
    assert.ok(listener);
    assert.equal(listener.path, path);
    assert.equal(listener.state, 'listening');
    assert.deepEqual(endpointsOf(listener, [f.parent!, f.child!]), [[f.parent, f.listenFd, 'listen']]);
    const conn = find(map, (x) => x.kind === 'unix' && holds(x, f.parent!, f.acceptedFd)) as UnixChannel | undefined;
    assert.ok(conn);
    assert.deepEqual(endpointsOf(conn, [f.parent!, f.child!]), [
      [f.parent, f.acceptedFd, 'connected'],
      [f.child, f.childFd, 'connected'],
    ]);
    assert.equal(conn.path, path, 'the accepted socket carries the listener path');
    assert.equal(conn.peerKnown, true);
    assert.notEqual(conn.id, listener.id);
  });

  test('sockets created just after a scan are found by the next one (the cached ss answer is not reused for them)', async (t) => {
    scanIpcSync({ ssMaxAgeMs: 60_000 }); // fills the cache
    const tcp = await startDemo(demo.binary, ['tcp'], ['parent', 'child', 'acceptedFd', 'port', 'childFd', 'childPort']);
    const pair = await startDemo(demo.binary, ['socketpair'], ['parent', 'child', 'parentFd', 'childFd']);
    t.after(() => {
      tcp.kill();
      pair.kill();
    });
    const f = tcp.facts as Record<string, number>;
    const g = pair.facts as Record<string, number>;
    const map = scanIpcSync({ ssMaxAgeMs: 60_000 });
    const ends = [`127.0.0.1:${f.port}`, `127.0.0.1:${f.childPort}`].sort();
    assert.deepEqual(
      endpointsOf(
        find(map, (x) => x.id === `tcp:${ends[0]}-${ends[1]}`),
        [f.parent!, f.child!],
      ),
      [
        [f.parent, f.acceptedFd, 'connected'],
        [f.child, f.childFd, 'connected'],
      ],
    );
    assert.deepEqual(
      endpointsOf(
        find(map, (x) => x.kind === 'unix' && holds(x, g.parent!, g.parentFd)),
        [g.parent!, g.child!],
      ),
      [
        [g.parent, g.parentFd, 'connected'],
        [g.child, g.childFd, 'connected'],
      ],
    );
  });

  test('without ss the peer is reported unknown instead of guessed', async (t) => {
    const d = await startDemo(demo.binary, ['socketpair'], ['parent', 'child', 'parentFd', 'childFd']);
    t.after(() => d.kill());
    const f = d.facts as Record<string, number>;
    const map = scanIpcSync({ useSs: false });
    const c = find(map, (x) => x.kind === 'unix' && holds(x, f.parent!, f.parentFd)) as UnixChannel | undefined;
    assert.ok(c);
    assert.equal(c.peerKnown, false);
    assert.match(c.label, /peer unknown/);
    assert.deepEqual(endpointsOf(c, [f.parent!, f.child!]), [[f.parent, f.parentFd, 'connected']]);
    assert.ok(
      map.warnings.some((w) => /unix socket peers unknown/.test(w)),
      map.warnings.join('; '),
    );
  });

  test('TCP on 127.0.0.1: the connection is one channel holding both processes, the listener another', async (t) => {
    const d = await startDemo(demo.binary, ['tcp'], ['parent', 'child', 'serverFd', 'acceptedFd', 'port', 'childFd', 'childPort']);
    t.after(() => d.kill());
    const f = d.facts as Record<string, number>;
    const map = scanIpcSync();
    const pair = [`127.0.0.1:${f.port}`, `127.0.0.1:${f.childPort}`].sort();
    const conn = find(map, (x) => x.id === `tcp:${pair[0]}-${pair[1]}`) as InetChannel | undefined;
    assert.ok(
      conn,
      `tcp:${pair[0]}-${pair[1]} in ${map.channels
        .filter((c) => c.kind === 'tcp')
        .map((c) => c.id)
        .join(' ')}`,
    );
    assert.equal(conn.joined, true);
    assert.equal(conn.state, 'ESTABLISHED');
    assert.equal(conn.family, 'ipv4');
    assert.deepEqual(endpointsOf(conn, [f.parent!, f.child!]), [
      [f.parent, f.acceptedFd, 'connected'],
      [f.child, f.childFd, 'connected'],
    ]);
    const listener = find(map, (x) => x.id === `tcp:127.0.0.1:${f.port}`) as InetChannel | undefined;
    assert.ok(listener);
    assert.equal(listener.state, 'LISTEN');
    assert.deepEqual(endpointsOf(listener, [f.parent!, f.child!]), [[f.parent, f.serverFd, 'listen']]);
  });

  test('UDP on 127.0.0.1: the connected client joins the bound server socket', async (t) => {
    const d = await startDemo(demo.binary, ['udp'], ['parent', 'child', 'serverFd', 'port', 'childFd', 'childPort']);
    t.after(() => d.kill());
    const f = d.facts as Record<string, number>;
    const map = scanIpcSync();
    const c = find(map, (x) => x.id === `udp:127.0.0.1:${f.port}`) as InetChannel | undefined;
    assert.ok(c);
    assert.equal(c.joined, true);
    assert.deepEqual(endpointsOf(c, [f.parent!, f.child!]), [
      [f.parent, f.serverFd, 'bound'],
      [f.child, f.childFd, 'connected'],
    ]);
  });
});

describe('shared memory, queues, semaphores', () => {
  test('POSIX shared memory: the creator holds an fd and maps it, the child maps it', async (t) => {
    const name = `/${tag}shm`;
    const d = await startDemo(demo.binary, ['posix-shm', name], ['parent', 'child', 'fd', 'inode']);
    t.after(() => {
      d.kill();
      rmSync(`/dev/shm${name}`, { force: true });
    });
    const f = d.facts as Record<string, number>;
    const map = scanIpcSync();
    const c = find(map, (x) => x.kind === 'posix-shm' && x.inode === f.inode);
    assert.ok(c && c.kind === 'posix-shm');
    assert.equal(c.path, `/dev/shm${name}`);
    assert.equal(c.size, 8192);
    assert.deepEqual(endpointsOf(c, [f.parent!, f.child!]), [
      [f.parent, null, 'map'],
      [f.parent, f.fd, 'readwrite'],
      [f.child, null, 'map'],
    ]);
    assert.ok(c.endpoints.filter((e) => e.role === 'map').every((e) => /^[0-9a-f]+-[0-9a-f]+$/.test(e.mapping ?? '')));
  });

  test('SysV shared memory: creator, attach count and both attached processes', async (t) => {
    const d = await startDemo(demo.binary, ['sysv-shm'], ['parent', 'child', 'id']);
    const f = d.facts as Record<string, number>;
    t.after(() => {
      d.kill();
      spawnSync(demo.binary, ['rmid', 'shm', String(f.id)]);
    });
    const map = scanIpcSync();
    const c = find(map, (x) => x.id === `sysv-shm:${f.id}`);
    assert.ok(c && c.kind === 'sysv-shm');
    assert.equal(c.creatorPid, f.parent);
    assert.equal(c.attachCount, 2);
    assert.equal(c.size, 16384);
    assert.equal(c.key, '0x00000000');
    assert.equal(c.markedForRemoval, true, 'ipcdemo marks it IPC_RMID once both are attached');
    assert.deepEqual(endpointsOf(c, [f.parent!, f.child!]), [
      [f.parent, null, 'attached'],
      [f.parent, null, 'creator'],
      [f.child, null, 'attached'],
    ]);
  });

  test('SysV message queue: bytes, messages, last sender and last receiver', async (t) => {
    const d = await startDemo(demo.binary, ['sysv-msg'], ['parent', 'child', 'id']);
    const f = d.facts as Record<string, number>;
    t.after(() => {
      d.kill();
      spawnSync(demo.binary, ['rmid', 'msg', String(f.id)]);
    });
    const map = scanIpcSync();
    const c = find(map, (x) => x.id === `sysv-msg:${f.id}`);
    assert.ok(c && c.kind === 'sysv-msg');
    assert.equal(c.lastSendPid, f.child);
    assert.equal(c.lastRecvPid, f.parent);
    assert.equal(c.messages, 1);
    assert.equal(c.bytes, 6);
    assert.deepEqual(endpointsOf(c, [f.parent!, f.child!]), [
      [f.parent, null, 'receiver'],
      [f.child, null, 'sender'],
    ]);
  });

  test('SysV semaphore set: found with its size (its users are not visible in /proc)', async (t) => {
    const d = await startDemo(demo.binary, ['sysv-sem'], ['parent', 'id']);
    const f = d.facts as Record<string, number>;
    t.after(() => {
      d.kill();
      spawnSync(demo.binary, ['rmid', 'sem', String(f.id)]);
    });
    const map = scanIpcSync();
    const c = find(map, (x) => x.id === `sysv-sem:${f.id}`);
    assert.ok(c && c.kind === 'sysv-sem');
    assert.equal(c.nsems, 3);
    assert.equal(c.perms, '600');
    assert.deepEqual(c.endpoints, []);
  });

  test('POSIX message queue: the reader and the writer', async (t) => {
    const name = `/${tag}q`;
    const d = await startDemo(demo.binary, ['mqueue', name], ['parent', 'child', 'fd', 'childFd', 'inode']);
    t.after(() => {
      d.kill();
      spawnSync(demo.binary, ['unlink-mq', name]);
    });
    const f = d.facts as Record<string, number>;
    const map = scanIpcSync();
    const c = find(map, (x) => x.kind === 'mqueue' && x.inode === f.inode);
    assert.ok(c && c.kind === 'mqueue');
    assert.equal(c.name, name);
    assert.deepEqual(endpointsOf(c, [f.parent!, f.child!]), [
      [f.parent, f.fd, 'read'],
      [f.child, f.childFd, 'write'],
    ]);
  });

  test('POSIX named semaphore: both processes map /dev/shm/sem.NAME', async (t) => {
    const name = `${tag}sem`;
    const d = await startDemo(demo.binary, ['posix-sem', `/${name}`], ['parent', 'child']);
    t.after(() => {
      d.kill();
      rmSync(`/dev/shm/sem.${name}`, { force: true });
    });
    const f = d.facts as Record<string, number>;
    const map = scanIpcSync();
    const c = find(map, (x) => x.kind === 'posix-sem' && holds(x, f.parent!));
    assert.ok(c && c.kind === 'posix-sem');
    assert.equal(c.path, `/dev/shm/sem.${name}`);
    assert.equal(c.name, `/${name}`);
    assert.deepEqual(endpointsOf(c, [f.parent!, f.child!]), [
      [f.parent, null, 'map'],
      [f.child, null, 'map'],
    ]);
  });

  test('a MAP_SHARED file mapping held by two processes (no fd left): found when maps are read', async (t) => {
    const path = join(demo.dir, 'shared map file');
    const d = await startDemo(demo.binary, ['shared-file', path], ['parent', 'child']);
    t.after(() => d.kill());
    const f = d.facts as Record<string, number>;
    const c = find(scanIpcSync({ maps: 'always' }), (x) => x.kind === 'posix-shm' && x.path === path);
    assert.ok(c && c.kind === 'posix-shm');
    assert.equal(c.sharedFile, true);
    assert.match(c.label, /^shared file mapping /);
    assert.deepEqual(endpointsOf(c, [f.parent!, f.child!]), [
      [f.parent, null, 'map'],
      [f.child, null, 'map'],
    ]);
    assert.equal(
      find(scanIpcSync({ maps: 'never' }), (x) => x.kind === 'posix-shm' && x.path === path),
      undefined,
      'maps not read: not found, nothing invented',
    );
  });

  test('epoll, timerfd, signalfd and inotify are endpoints of their own; their fdinfo detail on request', async (t) => {
    const d = await startDemo(demo.binary, ['anon'], ['parent', 'epoll', 'watched', 'timerfd', 'signalfd', 'inotify']);
    t.after(() => d.kill());
    const f = d.facts as Record<string, number>;
    const detailed = scanIpcSync({ anonInfo: true });
    const of = (map: IpcMap, kind: string, fd: number): Channel | undefined =>
      map.channels.find((c) => c.kind === kind && c.id === `${kind}:${f.parent}:${fd}`);
    const info = (c: Channel | undefined): string | undefined => (c && 'info' in c ? c.info : undefined);
    assert.equal(info(of(detailed, 'epoll', f.epoll!)), `fds ${f.watched}`);
    assert.equal(info(of(detailed, 'timerfd', f.timerfd!)), 'clock 1');
    assert.equal(info(of(detailed, 'signalfd', f.signalfd!)), 'sigmask 0000000000000200');
    assert.equal(info(of(detailed, 'inotify', f.inotify!)), 'watches 1');
    assert.deepEqual(endpointsOf(of(detailed, 'epoll', f.epoll!), [f.parent!]), [[f.parent, f.epoll, 'open']]);
    const fast = scanIpcSync();
    for (const [kind, fd] of [
      ['epoll', f.epoll],
      ['timerfd', f.timerfd],
      ['signalfd', f.signalfd],
      ['inotify', f.inotify],
    ] as const) {
      const c = of(fast, kind, fd!);
      assert.ok(c, `${kind} found without fdinfo`);
      assert.equal(info(c), undefined);
    }
  });

  test('memfd shared across fork: one channel, both fds', async (t) => {
    const d = await startDemo(demo.binary, ['memfd', `${tag}mem`], ['parent', 'child', 'fd', 'inode']);
    t.after(() => d.kill());
    const f = d.facts as Record<string, number>;
    const map = scanIpcSync();
    const c = find(map, (x) => x.id === `memfd:${f.inode}`);
    assert.ok(c && c.kind === 'memfd');
    assert.equal(c.name, `${tag}mem`);
    assert.deepEqual(endpointsOf(c, [f.parent!, f.child!]), [
      [f.parent, f.fd, 'readwrite'],
      [f.child, f.fd, 'readwrite'],
    ]);
  });

  test('eventfd shared across fork: one channel (by eventfd-id), both fds, the counter', async (t) => {
    const d = await startDemo(demo.binary, ['eventfd'], ['parent', 'child', 'fd']);
    t.after(() => d.kill());
    const f = d.facts as Record<string, number>;
    const map = scanIpcSync();
    const c = find(map, (x) => x.kind === 'eventfd' && holds(x, f.parent!, f.fd));
    assert.ok(c && c.kind === 'eventfd');
    assert.deepEqual(endpointsOf(c, [f.parent!, f.child!]), [
      [f.parent, f.fd, 'open'],
      [f.child, f.fd, 'open'],
    ]);
    assert.equal(c.info, 'count 5');
  });
});

describe('file locks', () => {
  function lockOn(map: IpcMap, path: string): LockChannel | undefined {
    return map.channels.find((c): c is LockChannel => c.kind === 'lock' && c.path === path);
  }

  test('flock with a waiter: holders (the fd shared across fork holds it too), the waiter and its fd', async (t) => {
    const path = join(demo.dir, 'flock file');
    const d = await startDemo(demo.binary, ['flock', path], ['parent', 'child', 'fd', 'childFd']);
    t.after(() => d.kill());
    const f = d.facts as Record<string, number>;
    const map = await until(() => {
      const m = scanIpcSync();
      return lockOn(m, path)?.endpoints.some((e) => e.role === 'waiter') ? m : undefined;
    }, 'the waiter');
    const c = lockOn(map, path)!;
    assert.equal(c.lockClass, 'FLOCK');
    assert.equal(c.access, 'WRITE');
    assert.equal(c.end, null);
    assert.deepEqual(endpointsOf(c, [f.parent!, f.child!]), [
      [f.parent, f.fd, 'holder'],
      [f.child, f.fd, 'holder'],
      [f.child, f.childFd, 'waiter'],
    ]);
    assert.deepEqual(
      map.waitFor.filter((e) => e.waiter === f.child),
      [{ waiter: f.child, holder: f.parent, channelId: c.id }],
    );
    assert.equal(map.deadlocks.filter((x) => x.pids.includes(f.parent!)).length, 0);
  });

  test('fcntl (POSIX) byte-range lock with a waiter on an overlapping range', async (t) => {
    const path = join(demo.dir, 'fcntl file');
    const d = await startDemo(demo.binary, ['fcntl', path], ['parent', 'child', 'fd', 'childFd']);
    t.after(() => d.kill());
    const f = d.facts as Record<string, number>;
    const map = await until(() => {
      const m = scanIpcSync();
      return lockOn(m, path)?.endpoints.some((e) => e.role === 'waiter') ? m : undefined;
    }, 'the waiter');
    const c = lockOn(map, path)!;
    assert.equal(c.lockClass, 'POSIX');
    assert.equal(c.start, 10);
    assert.equal(c.end, 99);
    assert.deepEqual(endpointsOf(c, [f.parent!, f.child!]), [
      [f.parent, f.fd, 'holder'],
      [f.child, f.childFd, 'waiter'],
    ]);
    assert.deepEqual(
      map.waitFor.filter((e) => e.waiter === f.child),
      [{ waiter: f.child, holder: f.parent, channelId: c.id }],
    );
  });

  test('OFD lock (pid -1 in /proc/locks): holders found through fdinfo, the waiter through its blocked fcntl', async (t) => {
    const path = join(demo.dir, 'ofd file');
    const d = await startDemo(demo.binary, ['ofd', path], ['parent', 'child', 'fd', 'childFd']);
    t.after(() => d.kill());
    const f = d.facts as Record<string, number>;
    const map = await until(() => {
      const m = scanIpcSync();
      return lockOn(m, path)?.endpoints.some((e) => e.role === 'waiter') ? m : undefined;
    }, 'the OFD waiter');
    const c = lockOn(map, path)!;
    assert.equal(c.lockClass, 'OFDLCK');
    // The child inherited the parent's fd (same open file description), so it holds the lock through it too.
    assert.deepEqual(endpointsOf(c, [f.parent!, f.child!]), [
      [f.parent, f.fd, 'holder'],
      [f.child, f.fd, 'holder'],
      [f.child, f.childFd, 'waiter'],
    ]);
    assert.deepEqual(
      map.waitFor.filter((e) => e.waiter === f.child),
      [{ waiter: f.child, holder: f.parent, channelId: c.id }],
    );
  });

  test('a two-process flock deadlock is reported as a cycle, and disappears once it is broken', async (t) => {
    const a = join(demo.dir, 'lock-a');
    const b = join(demo.dir, 'lock-b');
    const d = await startDemo(demo.binary, ['deadlock', a, b], ['parent', 'child', 'parentA', 'parentB', 'childA', 'childB']);
    t.after(() => d.kill());
    const f = d.facts as Record<string, number>;
    const map = await until(() => {
      const m = scanIpcSync();
      return m.deadlocks.some((x) => x.pids.includes(f.parent!)) ? m : undefined;
    }, 'the deadlock');
    const cycle = map.deadlocks.find((x) => x.pids.includes(f.parent!))!;
    assert.deepEqual(
      [...cycle.pids].sort((x, y) => x - y),
      [f.parent, f.child].sort((x, y) => x! - y!),
    );
    assert.deepEqual([...cycle.files].sort(), [a, b]);
    assert.equal(cycle.channelIds.length, 2);
    assert.deepEqual(endpointsOf(lockOn(map, a), [f.parent!, f.child!]), [
      [f.parent, f.parentA, 'holder'],
      [f.child, f.childA, 'waiter'],
    ]);
    assert.deepEqual(endpointsOf(lockOn(map, b), [f.parent!, f.child!]), [
      [f.parent, f.parentB, 'waiter'],
      [f.child, f.childB, 'holder'],
    ]);

    process.kill(f.child!, 'SIGKILL'); // break the cycle: the parent then gets lock b
    await d.waitFor(['parentGotB']);
    const after = scanIpcSync();
    assert.equal(after.deadlocks.filter((x) => x.pids.includes(f.parent!)).length, 0);
    assert.deepEqual(endpointsOf(lockOn(after, b), [f.parent!, f.child!]), [[f.parent, f.parentB, 'holder']]);
  });
});

describe("listFds (the detail view's open files)", () => {
  test('types, inodes, access modes and fdinfo of a live process; a gone pid says so', async (t) => {
    const d = await startDemo(demo.binary, ['memfd', `${tag}fds`], ['parent', 'child', 'fd', 'inode']);
    t.after(() => d.kill());
    const f = d.facts as Record<string, number>;
    const listing = listFds(f.child!);
    assert.equal(listing.unavailable, null);
    const byFd = new Map(listing.fds.map((e) => [e.fd, e]));
    // (fds above 5 may be inherited from whatever started the test runner)
    assert.deepEqual(
      [...byFd.keys()].filter((n) => n <= 5),
      [0, 1, 2, 3, 4, 5],
    );
    assert.equal(byFd.get(0)!.type, 'dev');
    assert.equal(byFd.get(0)!.target, '/dev/null');
    assert.equal(byFd.get(0)!.mode, 'read');
    assert.deepEqual([byFd.get(3)!.type, byFd.get(3)!.mode, byFd.get(4)!.type, byFd.get(4)!.mode], ['pipe', 'read', 'pipe', 'write']);
    assert.equal(byFd.get(3)!.inode, byFd.get(4)!.inode, 'both ends of the sync pipe');
    const memfd = byFd.get(5)!;
    assert.deepEqual([memfd.type, memfd.target, memfd.inode, memfd.mode], ['memfd', `/memfd:${tag}fds (deleted)`, f.inode, 'readwrite']);
    assert.equal(memfd.flags! & 0o2000000, 0, 'no O_CLOEXEC on the memfd');
    assert.deepEqual(listFds(4194304), { pid: 4194304, fds: [], unavailable: 'gone' });
  });
});

describe('robustness', () => {
  test('processes starting and exiting during scans do not break them', async (t) => {
    const d = await startDemo(demo.binary, ['pipe'], ['parent', 'child', 'inode']);
    const churn = await startDemo('sh', ['-c', 'echo "{\\"go\\":true}"; while :; do true | true; sleep 0.001 & wait; done'], ['go']);
    t.after(() => {
      d.kill();
      churn.kill();
    });
    const f = d.facts as Record<string, number>;
    for (let i = 0; i < 15; i++) {
      const map = scanIpcSync();
      const c = map.channels.find((x) => x.id === `pipe:${f.inode}`);
      assert.deepEqual(
        endpointsOf(c, [f.parent!, f.child!]).map((e) => e[2]),
        ['read', 'write'],
        `scan ${i}`,
      );
      await new Promise((r) => setTimeout(r, 5));
    }
  });

  test("scanning as an unprivileged user: other users' processes are marked unavailable, the scan completes", async (t) => {
    const d = await startDemo(demo.binary, ['tcp'], ['parent', 'child', 'port']);
    t.after(() => d.kill());
    const f = d.facts as Record<string, number>;
    const script = join(__dirname, '..', '..', 'src', 'cli.ts');
    if (!existsSync(script)) throw new Error('src/cli.ts missing');
    const run = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `require('${join(__dirname, '..', '..', 'src', 'core', 'ipc', 'scan.ts')}').scanIpc().then((m) => console.log(JSON.stringify({ unavailable: m.unavailablePids, warnings: m.warnings, kinds: [...new Set(m.channels.map((c) => c.kind))], tcp: m.channels.filter((c) => c.kind === 'tcp').map((c) => c.id) })))`,
      ],
      {
        uid: 65534,
        gid: 65534,
        encoding: 'utf8',
        cwd: join(__dirname, '..', '..'),
        env: { ...process.env, HOME: '/tmp', TSX_DISABLE_CACHE: '1' },
      },
    );
    assert.equal(run.status, 0, run.stderr);
    const out = JSON.parse(run.stdout) as { unavailable: number[]; warnings: string[]; tcp: string[] };
    assert.ok(out.unavailable.includes(f.parent!), 'the root-owned scenario is marked unavailable');
    assert.ok(out.warnings.some((w) => /permission denied/.test(w)));
    assert.ok(!out.tcp.some((id) => id.includes(`:${f.port}`)), 'sockets nobody can attribute are left out, not guessed');
  });
});
