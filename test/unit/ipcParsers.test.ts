// Parsers of the IPC tables and the joins built on them, on files copied from this machine's /proc while
// real scenarios ran (test/fixtures/proc/ipc/capture.py; facts.txt there lists what was running).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { findDeadlocks } from '../../src/core/ipc/deadlock';
import type { Channel, InetChannel, IpcWarning, UnixChannel } from '../../src/core/ipc/model';
import { ipcWarningEnglish } from '../../src/shared/channelText';
import {
  decodeInetAddress,
  formatSysvKey,
  parseLocks,
  parseNetInet,
  parseNetUnix,
  parseSharedMappings,
  parseSsAddress,
  parseSsInet,
  parseSsUnixPeers,
  parseSysvTable,
} from '../../src/core/ipc/parsers';
import { buildSocketChannels, scanIpcSync, type Holder, type Proc } from '../../src/core/ipc/scan';
import { accessMode, classifyTarget, formatDevice, parseFdInfo } from '../../src/core/procfs/fd';

const FIX = join(__dirname, '..', 'fixtures', 'proc', 'ipc');
const read = (name: string): string => readFileSync(join(FIX, name), 'utf8');

describe('/proc/net/unix', () => {
  const rows = parseNetUnix(read('net/unix'));

  test('a path holding a space, `)` and a newline is kept whole; the part after the newline is not a row', () => {
    const odd = rows.find((r) => r.inode === 880756)!;
    assert.equal(odd.path, '/tmp/psfx-vgn2zk27/a b)\nc.sock');
    assert.equal(odd.listening, true);
    assert.equal(odd.type, 'stream');
    assert.equal(
      rows.some((r) => r.path === 'c.sock'),
      false,
    );
    assert.equal(odd.nameUnknown, undefined);
    assert.equal(rows.length, read('net/unix').split('\n').filter(Boolean).length - 2, 'every line but the header and the spill');
  });

  test('abstract names start with @; listening comes from __SO_ACCEPTCON, connected from St 03', () => {
    assert.deepEqual(
      rows.find((r) => r.inode === 880757),
      { inode: 880757, type: 'stream', st: 1, listening: true, path: '@psfx-abstract' },
    );
    assert.deepEqual(
      rows.find((r) => r.inode === 880759),
      { inode: 880759, type: 'stream', st: 3, listening: false, path: '@psfx-abstract' },
    );
    assert.equal(rows.find((r) => r.inode === 880758)?.path, null, 'the client end is unnamed');
  });
});

describe('ss -xanH', () => {
  test('peer inodes, read from the end of the row (local names may hold spaces)', () => {
    const peers = parseSsUnixPeers(read('ss_xanH'));
    assert.equal(peers.get(880758), 880759);
    assert.equal(peers.get(880759), 880758);
    assert.equal(peers.get(880757), 0, 'a listener has no peer');
    assert.equal(peers.get(880756), 0, 'the row split by a newline in its path is joined back and read from its end');
  });

  test("a name that holds rows cannot give another socket a peer, nor take its own socket's", () => {
    // Two real pairs (10↔11, 20↔21); an abstract name bound by anyone holds lines that look like rows.
    const real = [
      'u_str ESTAB 0 0 * 10 * 11 <->',
      'u_str ESTAB 0 0 * 11 * 10 <->',
      'u_str ESTAB 0 0 * 20 * 21 <->',
      'u_str ESTAB 0 0 * 21 * 20 <->',
    ];
    const forgedInside = 'u_str ESTAB 0 0 @q\nu_str ESTAB 0 0 @forged 10 * 21\nz 30 * 31 <->';
    const forgedAtEnd = 'u_str ESTAB 0 0 @a 20 * 11 <->\nu_str ESTAB 0 0 @b 40 * 41 <->';
    const peers = parseSsUnixPeers([...real, forgedInside, 'u_str ESTAB 0 0 * 31 * 30 <->', forgedAtEnd, ''].join('\n'));
    // The row inside a name is joined to its name: the socket that holds the name keeps its own peer.
    assert.equal(peers.get(30), 31);
    assert.equal(peers.get(31), 30);
    // ... and the row it holds, read as part of the name, claims nothing.
    assert.equal(peers.get(10), 11);
    // A row that starts a line of its own and names a listed socket makes two claims for one inode: neither is
    // taken (the forger can hide a peer, not invent one).
    assert.equal(peers.has(20), false);
    assert.equal(peers.get(11), 10, 'a socket no forged row names keeps its peer');
    assert.equal(peers.get(21), 20);
    assert.equal(peers.get(40), 41, 'the name ending in a row-like text is read from its real end');
  });

  test('a TCP row inside a unix name is not a TCP socket', () => {
    const text = ['u_str ESTAB 0 0 @x\ntcp LISTEN 0 128 0.0.0.0:22 0.0.0.0:* ino:10 uid:0 * 5 * 0', 'u_str ESTAB 0 0 * 10 * 0', ''].join(
      '\n',
    );
    const { tcp } = parseSsInet(text);
    assert.deepEqual(tcp, [], "the real row's end carried onto the forged line: not a TCP row");
    // A TCP row on a line of its own inside a name carries the real row's end (`<inode> <peer> <inode>`), or
    // runs on over the next line: either way it is not a TCP row, whatever inode it names.
    const tail = ['u_str ESTAB 0 0 @a 1 * 2', 'tcp ESTAB 0 0 1.2.3.4:80 5.6.7.8:9 ino:77 uid:0 123 * 0 <->', ''].join('\n');
    assert.deepEqual(parseSsInet(tail).tcp, []);
    const over = ['u_str ESTAB 0 0 @a 1 * 2', 'tcp ESTAB 0 0 1.2.3.4:80 5.6.7.8:9 ino:78 uid:0', 'b 123 * 0 <->', ''].join('\n');
    assert.deepEqual(parseSsInet(over).tcp, []);
    // A real row with every detail -e gives is read.
    const real =
      'tcp TIME-WAIT 0 0 127.0.0.1:33501 127.0.0.1:50556 timer:(timewait,,0) ino:0 sk:4cf2b\ntcp LISTEN 0 128 0.0.0.0:2024 0.0.0.0:* ino:1060 sk:11 cgroup:/ v6only:0 <->\n';
    assert.deepEqual(
      parseSsInet(real).tcp.map((r) => r.inode),
      [0, 1060],
    );
    assert.equal(parseSsUnixPeers(text).get(10), 0, 'so the unix socket it named keeps its own row');
  });
});

describe('/proc/net/tcp, tcp6, udp6', () => {
  const cases: [string, string][] = [
    ['0100007F', '127.0.0.1'],
    ['00000000', '0.0.0.0'],
    ['00000000000000000000000001000000', '::1'],
    ['00000000000000000000000000000000', '::'],
    ['0000000000000000FFFF00000100007F', '::ffff:127.0.0.1'],
    ['B80D01200000000000000000010000FE', '2001:db8::fe00:1'],
  ];
  for (const [hex, text] of cases) {
    test(`address ${hex} is ${text}`, () => assert.equal(decodeInetAddress(hex), text));
  }

  test('IPv6 rows: the ::1 listener, the established pair, the dual-stack accepted v4-mapped socket', () => {
    const rows = parseNetInet(read('net/tcp6'), 'ipv6');
    assert.equal(rows.length, 5);
    assert.deepEqual(rows[0], {
      family: 'ipv6',
      localAddress: '::1',
      localPort: 33189,
      remoteAddress: '::',
      remotePort: 0,
      st: 10,
      uid: 0,
      inode: 880760,
    });
    const mapped = rows.find((r) => r.inode === 880765)!;
    assert.equal(mapped.localAddress, '::ffff:127.0.0.1');
    assert.equal(mapped.localPort, 52637);
    assert.equal(mapped.remotePort, 41840);
    assert.equal(mapped.st, 1);
  });

  test('UDP over IPv6: unconnected (state 07)', () => {
    assert.deepEqual(parseNetInet(read('net/udp6'), 'ipv6'), [
      { family: 'ipv6', localAddress: '::1', localPort: 0x809d, remoteAddress: '::', remotePort: 0, st: 7, uid: 0, inode: 880766 },
    ]);
  });
});

describe('joining sockets into channels', () => {
  const proc = (pid: number): Proc => ({ pid, fds: [] });
  const holders = (entries: [number, number, number][]): Map<number, Holder[]> => {
    const m = new Map<number, Holder[]>();
    for (const [inode, pid, fd] of entries) {
      const list = m.get(inode) ?? [];
      list.push({ proc: proc(pid), fd: { fd, target: `socket:[${inode}]`, type: 'socket', inode } });
      m.set(inode, list);
    }
    return m;
  };

  test('a v4 client and its dual-stack server (seen as ::ffff:127.0.0.1) are one TCP channel', () => {
    const channels: Channel[] = [];
    const unresolved = buildSocketChannels(
      join(FIX, 'net'),
      holders([
        [880764, 10, 3],
        [880765, 20, 5],
        [880763, 20, 4],
      ]),
      false,
      [],
      channels,
      '',
    );
    assert.equal(unresolved.size, 0);
    const conn = channels.find((c) => c.kind === 'tcp' && c.inodes.includes(880764)) as InetChannel;
    assert.equal(conn.joined, true);
    assert.deepEqual([...conn.inodes].sort(), [880764, 880765]);
    assert.deepEqual(
      conn.endpoints.map((e) => [e.pid, e.fd, e.role]),
      [
        [10, 3, 'connected'],
        [20, 5, 'connected'],
      ],
    );
    const listener = channels.find((c) => c.kind === 'tcp' && c.inodes.includes(880763)) as InetChannel;
    assert.equal(listener.state, 'LISTEN');
    assert.equal(listener.id, 'tcp:[::]:52637');
  });

  test('the ::1 pair is joined and named by both addresses', () => {
    const channels: Channel[] = [];
    buildSocketChannels(
      join(FIX, 'net'),
      holders([
        [880761, 30, 3],
        [880762, 30, 4],
      ]),
      false,
      [],
      channels,
      '',
    );
    assert.equal(channels.length, 1);
    assert.equal(channels[0]!.id, 'tcp:[::1]:33189-[::1]:41822');
  });

  test('unix: with ss text the abstract connection is joined; without it the peer is unknown', () => {
    const withSs: Channel[] = [];
    buildSocketChannels(
      join(FIX, 'net'),
      holders([
        [880758, 40, 3],
        [880759, 41, 4],
      ]),
      true,
      [],
      withSs,
      '',
      read('ss_xanH'),
    );
    assert.equal(withSs.length, 1);
    const c = withSs[0] as UnixChannel;
    assert.equal(c.path, '@psfx-abstract');
    assert.equal(c.abstract, true);
    assert.equal(c.peerKnown, true);
    assert.deepEqual(
      c.endpoints.map((e) => [e.pid, e.role]),
      [
        [40, 'connected'],
        [41, 'connected'],
      ],
    );

    const warnings: IpcWarning[] = [];
    const without: Channel[] = [];
    buildSocketChannels(
      join(FIX, 'net'),
      holders([
        [880758, 40, 3],
        [880759, 41, 4],
      ]),
      false,
      warnings,
      without,
      '',
    );
    assert.equal(without.length, 2);
    assert.ok(without.every((x) => x.kind === 'unix' && !x.peerKnown && /peer unknown/.test(x.label)));
    assert.deepEqual(warnings, [{ code: 'ssNotUsed' }]);
    assert.equal(ipcWarningEnglish(warnings[0]!), 'ss not used: unix socket peers unknown');
  });
});

describe('ss -xtuanHe (one ss run for unix peers and TCP/UDP rows)', () => {
  const text = read('ss_xtuanHe');

  test('unix peers survive the -e suffix (`<->`, `ino:`, `peers:`)', () => {
    const peers = parseSsUnixPeers(text);
    assert.equal(peers.get(1886806), 1886807);
    assert.equal(peers.get(1886807), 1886806);
  });

  const addresses: [string, ReturnType<typeof parseSsAddress>][] = [
    ['127.0.0.1:50569', { address: '127.0.0.1', port: 50569, family: 'ipv4' }],
    ['[::1]:59639', { address: '::1', port: 59639, family: 'ipv6' }],
    ['[::ffff:127.0.0.1]:59147', { address: '::ffff:127.0.0.1', port: 59147, family: 'ipv6' }],
    ['*:59147', { address: '::', port: 59147, family: 'ipv6' }],
    ['[::]:*', { address: '::', port: 0, family: 'ipv6' }],
    ['0.0.0.0:*', { address: '0.0.0.0', port: 0, family: 'ipv4' }],
    ['127.0.0.53%lo:53', { address: '127.0.0.53', port: 53, family: 'ipv4' }],
  ];
  for (const [input, expected] of addresses) {
    test(`address ${input}`, () => assert.deepEqual(parseSsAddress(input), expected));
  }

  test('TCP and UDP rows carry state numbers and inodes as /proc/net/tcp would', () => {
    const { tcp, udp } = parseSsInet(text);
    assert.deepEqual(
      tcp.find((r) => r.inode === 1886798),
      { family: 'ipv6', localAddress: '::', localPort: 59147, remoteAddress: '::', remotePort: 0, st: 10, uid: 0, inode: 1886798 },
    );
    assert.deepEqual(
      tcp.find((r) => r.inode === 1886800),
      {
        family: 'ipv6',
        localAddress: '::ffff:127.0.0.1',
        localPort: 59147,
        remoteAddress: '::ffff:127.0.0.1',
        remotePort: 53680,
        st: 1,
        uid: 0,
        inode: 1886800,
      },
    );
    assert.deepEqual(
      udp.find((r) => r.inode === 1886805),
      {
        family: 'ipv4',
        localAddress: '127.0.0.1',
        localPort: 50569,
        remoteAddress: '127.0.0.1',
        remotePort: 9,
        st: 1,
        uid: 0,
        inode: 1886805,
      },
    );
    assert.equal(udp.find((r) => r.inode === 1886804)?.st, 7);
  });

  test('joined from ss rows: the v4 client and the dual-stack accepted socket, the ::1 pair', () => {
    const channels: Channel[] = [];
    const m = new Map<number, Holder[]>();
    for (const [inode, pid] of [
      [1886799, 1],
      [1886800, 2],
      [1886802, 3],
      [1886803, 4],
      [1886798, 2],
    ] as const) {
      m.set(inode, [{ proc: { pid, fds: [] }, fd: { fd: 3, target: `socket:[${inode}]`, type: 'socket', inode } }]);
    }
    buildSocketChannels(join(FIX, 'net'), m, true, [], channels, '', text);
    assert.deepEqual(
      channels.map((c) => c.id).sort(),
      ['tcp:127.0.0.1:53680-127.0.0.1:59147', 'tcp:[::1]:59639-[::1]:60842', 'tcp:[::]:59147'].sort(),
    );
    assert.ok(channels.filter((c) => c.id !== 'tcp:[::]:59147').every((c) => (c as InetChannel).joined));
  });
});

describe('/proc/locks', () => {
  const rows = parseLocks(read('locks'));

  test('holders and `->` waiters, FLOCK and POSIX, ranges to EOF and SQLite-style byte ranges', () => {
    assert.equal(rows.length, 28);
    assert.deepEqual(rows[0], {
      number: 1,
      depth: 0,
      lockClass: 'FLOCK',
      mode: 'ADVISORY',
      access: 'WRITE',
      pid: 5142,
      device: 'fe:00',
      inode: 2255188,
      start: 0,
      end: null,
    });
    assert.deepEqual(rows[1], {
      number: 1,
      depth: 1,
      lockClass: 'FLOCK',
      mode: 'ADVISORY',
      access: 'WRITE',
      pid: 5136,
      device: 'fe:00',
      inode: 2255188,
      start: 0,
      end: null,
    });
    assert.deepEqual(rows[3], {
      number: 2,
      depth: 1,
      lockClass: 'POSIX',
      mode: 'ADVISORY',
      access: 'WRITE',
      pid: 5135,
      device: 'fe:00',
      inode: 2255183,
      start: 50,
      end: 59,
    });
    const sqlite = rows.find((r) => r.number === 5)!;
    assert.equal(sqlite.start, 1073741824);
    assert.equal(sqlite.end, 1073742335);
  });

  test('OFD (pid -1) and nested waiters', () => {
    const text =
      '1: OFDLCK ADVISORY  READ  -1 00:1b:29 0 EOF\n1: -> OFDLCK ADVISORY  WRITE 77 00:1b:29 0 EOF\n1: -> -> POSIX  ADVISORY  WRITE 78 00:1b:29 0 0\n';
    assert.deepEqual(
      parseLocks(text).map((r) => [r.lockClass, r.access, r.pid, r.depth, r.end]),
      [
        ['OFDLCK', 'READ', -1, 0, null],
        ['OFDLCK', 'WRITE', 77, 1, null],
        ['POSIX', 'WRITE', 78, 2, 0],
      ],
    );
  });

  test('a fixture-rooted scan finds the flock deadlock cycle and the waiters', () => {
    const map = scanIpcSync({ procRoot: FIX, pids: [] });
    assert.deepEqual(
      map.deadlocks.map((d) => d.pids),
      [[5136, 5142]],
    );
    assert.deepEqual(map.deadlocks[0]!.files, ['fe:00:2255188', 'fe:00:2255187'], 'no process read: files named by device:inode');
    assert.ok(map.waitFor.some((e) => e.waiter === 5135 && e.holder === 5134));
    const posix = map.channels.find((c) => c.kind === 'lock' && c.fileInode === 2255183)!;
    assert.deepEqual(
      posix.endpoints.map((e) => [e.pid, e.fd, e.role]),
      [
        [5134, null, 'holder'],
        [5135, null, 'waiter'],
      ],
    );
  });
});

describe('wait-for cycles', () => {
  const lock = (id: string, path: string): Channel => ({
    kind: 'lock',
    id,
    label: id,
    endpoints: [],
    lockClass: 'FLOCK',
    mode: 'ADVISORY',
    access: 'WRITE',
    start: 0,
    end: null,
    device: '00:01',
    fileInode: 1,
    path,
  });

  test('three processes in a ring, plus a waiter outside the ring', () => {
    const channels = [lock('a', '/a'), lock('b', '/b'), lock('c', '/c')];
    const { deadlocks, edges } = findDeadlocks(
      [
        { waiter: 3, holder: 1, channelId: 'a' },
        { waiter: 1, holder: 2, channelId: 'b' },
        { waiter: 2, holder: 3, channelId: 'c' },
        { waiter: 9, holder: 1, channelId: 'a' },
        { waiter: 9, holder: 1, channelId: 'a' },
      ],
      channels,
    );
    assert.equal(edges.length, 4, 'duplicate edges merged');
    assert.deepEqual(deadlocks, [{ pids: [1, 2, 3], files: ['/b', '/c', '/a'], channelIds: ['b', 'c', 'a'] }]);
  });

  test('a chain without a cycle is no deadlock', () => {
    assert.deepEqual(
      findDeadlocks(
        [
          { waiter: 1, holder: 2, channelId: 'x' },
          { waiter: 2, holder: 3, channelId: 'y' },
        ],
        [],
      ).deadlocks,
      [],
    );
  });
});

describe('/proc/sysvipc', () => {
  test('shm: keys printed signed in /proc become 0x%08x; the kept segment and the keyed one', () => {
    const rows = parseSysvTable(read('sysvipc/shm'));
    assert.deepEqual(
      rows.map((r) => [formatSysvKey(r['key']!), r['shmid'], r['cpid'], r['nattch']]),
      [
        ['0x00000000', '20', '5127', '2'],
        ['0xdeadbeef', '21', '5080', '0'],
      ],
    );
  });

  test('a fixture-rooted scan gives the message queue its last sender and receiver', () => {
    const map = scanIpcSync({ procRoot: FIX, pids: [] });
    const msg = map.channels.find((c) => c.kind === 'sysv-msg')!;
    assert.ok(msg.kind === 'sysv-msg');
    assert.deepEqual([msg.msqid, msg.bytes, msg.messages, msg.lastSendPid, msg.lastRecvPid], [6, 6, 1, 5130, 5129]);
    assert.deepEqual(
      msg.endpoints.map((e) => [e.pid, e.role, e.processName]),
      [
        [5129, 'receiver', ''],
        [5130, 'sender', ''],
      ],
    );
    const sem = map.channels.find((c) => c.kind === 'sysv-sem')!;
    assert.ok(sem.kind === 'sysv-sem');
    assert.equal(sem.nsems, 3);
  });
});

describe('maps and fds', () => {
  test('shared mappings: SysV segments (deleted) and /dev/shm files; other lines are skipped', () => {
    assert.deepEqual(
      parseSharedMappings(read('maps_sysv_shm')).map((m) => [m.path, m.deleted, m.inode, m.perms]),
      [['/SYSV00000000', true, 20, 'rw-s']],
    );
    assert.deepEqual(
      parseSharedMappings(read('maps_posix_shm')).map((m) => [m.path, m.deleted, m.device, m.perms]),
      [['/dev/shm/psfx_shm', false, '00:1b', 'rw-s']],
    );
    assert.deepEqual(
      parseSharedMappings(read('maps_shared_file')).map((m) => [m.path, m.deleted, m.perms]),
      [['/tmp/psfx-shared.map', false, 'rw-s']],
      'a MAP_SHARED file; private library maps skipped',
    );
  });

  const targets: [string, ReturnType<typeof classifyTarget>][] = [
    ['pipe:[16873]', { type: 'pipe', inode: 16873 }],
    ['socket:[880759]', { type: 'socket', inode: 880759 }],
    ['anon_inode:[eventfd]', { type: 'anon_inode', anonKind: 'eventfd' }],
    ['anon_inode:inotify', { type: 'anon_inode', anonKind: 'inotify' }],
    ['/memfd:hello (deleted)', { type: 'memfd' }],
    ['/tmp/a b)\nc', { type: 'path' }],
    ['net:[4026531840]', { type: 'unknown' }],
  ];
  for (const [target, expected] of targets) {
    test(`fd target ${JSON.stringify(target)}`, () => assert.deepEqual(classifyTarget(target), expected));
  }

  test('fdinfo: octal flags, access mode, inode, the other lines kept', () => {
    const info = parseFdInfo('pos:\t0\nflags:\t02000001\nmnt_id:\t16\nino:\t16873\n');
    assert.deepEqual(info, { flags: 0o2000001, inode: 16873, rest: [] });
    assert.equal(accessMode(info.flags!), 'write');
    assert.equal(accessMode(0o2000000), 'read');
    assert.equal(accessMode(0o2000002), 'readwrite');
    assert.deepEqual(
      parseFdInfo('pos:\t0\nflags:\t02000002\nmnt_id:\t17\nino:\t1038\neventfd-count:                3\neventfd-id: 1\n').rest,
      ['eventfd-count:                3', 'eventfd-id: 1'],
    );
  });

  test('device numbers as /proc/locks prints them', () => {
    assert.equal(formatDevice(65024), 'fe:00');
    assert.equal(formatDevice(27), '00:1b');
    assert.equal(formatDevice((259 << 8) | 1), '103:01');
  });
});
