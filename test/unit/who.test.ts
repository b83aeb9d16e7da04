// Reverse look-ups: how a target is read, and the port look-up on copied /proc/net tables (IPv4, IPv6,
// dual-stack, TIME_WAIT) under processes whose fds point at those sockets, with faults injected per process.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { nodeProcFs, useProcFs } from '../../src/core/procfs/procFs';
import { parseWhoTarget, who, type WhoResult, type WhoTarget } from '../../src/core/who';

const FIXTURES = join(__dirname, '..', 'fixtures', 'proc');

describe('parseWhoTarget', () => {
  const cases: [string, ReturnType<typeof parseWhoTarget>][] = [
    ['/etc/passwd', { kind: 'file', path: '/etc/passwd', locksOnly: false }],
    ['relative/file', { kind: 'file', path: 'relative/file', locksOnly: false }],
    ['./x:80', { kind: 'file', path: './x:80', locksOnly: false }],
    ['/tmp/a:80', { kind: 'file', path: '/tmp/a:80', locksOnly: false }],
    ['lock:/var/lock/x', { kind: 'file', path: '/var/lock/x', locksOnly: true }],
    ['shm:name', { kind: 'file', path: '/dev/shm/name', locksOnly: false }],
    ['shm:/name', { kind: 'file', path: '/dev/shm/name', locksOnly: false }],
    ['shmid:42', { kind: 'sysv-shm', shmid: 42 }],
    [':8080', { kind: 'port', host: null, port: 8080 }],
    ['127.0.0.1:53', { kind: 'port', host: '127.0.0.1', port: 53 }],
    ['localhost:22', { kind: 'port', host: 'localhost', port: 22 }],
    ['[::1]:443', { kind: 'port', host: '::1', port: 443 }],
    ['', { problem: 'empty' }],
    ['lock:', { problem: 'empty' }],
    [':0', { problem: 'badPort' }],
    [':65536', { problem: 'badPort' }],
    ['host:http', { problem: 'badPort' }],
    ['shmid:-1', { problem: 'badShmid' }],
    ['shmid:99999999999', { problem: 'badShmid' }],
    ['shm:a/b', { problem: 'badShmName' }],
    ['shm:..', { problem: 'badShmName' }],
  ];
  for (const [text, expected] of cases) {
    it(`reads ${JSON.stringify(text)}`, () => assert.deepEqual(parseWhoTarget(text), expected));
  }
});

describe('who :PORT on copied /proc/net tables', () => {
  let root: string;
  const stat = readFileSync(join(FIXTURES, 'detail', 'rich', '8397', 'stat'), 'latin1');

  /** A process directory whose fds link to the given targets, as /proc/PID/fd does. */
  function proc(pid: number, name: string, fds: Record<number, string>): void {
    mkdirSync(join(root, String(pid), 'fd'), { recursive: true });
    writeFileSync(join(root, String(pid), 'stat'), stat.replace(/^\d+ \(python3\)/, `${pid} (${name})`));
    for (const [fd, target] of Object.entries(fds)) symlinkSync(target, join(root, String(pid), 'fd', fd));
  }

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'procscope-who-unit-'));
    cpSync(join(FIXTURES, 'ipc', 'net'), join(root, 'net'), { recursive: true });
    // From the copied tables: 127.0.0.1:35633 listens (879735) with one accepted connection (880014);
    // [::1]:33189 listens (880760) with a client [::1]:41822 (880761); [::]:52637 listens (880763) and has
    // an IPv4 client accepted as ::ffff:127.0.0.1 (880765); a TIME_WAIT row has no inode.
    proc(100, 'server4', { 3: 'socket:[879735]', 4: 'socket:[880014]', 5: '/dev/null' });
    proc(200, 'server6', { 3: 'socket:[880760]', 7: 'socket:[880763]', 8: 'socket:[880765]' });
    proc(300, 'client6', { 4: 'socket:[880761]', 5: 'pipe:[12]' });
    proc(400, 'other', { 3: 'socket:[999999]' });
  });
  after(() => {
    useProcFs(undefined);
    rmSync(root, { recursive: true, force: true });
  });

  const run = (text: string): Promise<WhoResult> => who(parseWhoTarget(text) as WhoTarget, { procRoot: root });
  const summary = (r: WhoResult): [number, string, string][] =>
    r.processes.flatMap((p) =>
      p.uses.map(
        (u) =>
          [p.pid, p.name, `${u.how} ${'local' in u ? `${u.local} ${u.remote ?? '-'} ${u.state} fd ${u.fd}` : ''}`] as [
            number,
            string,
            string,
          ],
      ),
    );

  it('finds the IPv4 listener and its accepted connection by port', async () => {
    assert.deepEqual(summary(await run(':35633')), [
      [100, 'server4', 'listen 127.0.0.1:35633 - LISTEN fd 3'],
      [100, 'server4', 'connected 127.0.0.1:35633 127.0.0.1:45836 ESTABLISHED fd 4'],
    ]);
  });

  it('finds IPv6 ends by port, by [::1]:PORT, and a client by the port it connects to', async () => {
    const expected: [number, string, string][] = [
      [200, 'server6', 'listen [::1]:33189 - LISTEN fd 3'],
      [300, 'client6', 'connected [::1]:41822 [::1]:33189 ESTABLISHED fd 4'],
    ];
    assert.deepEqual(summary(await run(':33189')), expected);
    assert.deepEqual(summary(await run('[::1]:33189')), expected);
    assert.deepEqual(summary(await run('127.0.0.1:33189')).length, 0);
  });

  it('counts a wildcard listener as listening on every address, and an IPv4-mapped peer as IPv4', async () => {
    assert.deepEqual(summary(await run('127.0.0.1:52637')), [
      [200, 'server6', 'listen [::]:52637 - LISTEN fd 7'],
      [200, 'server6', 'connected [::ffff:127.0.0.1]:52637 [::ffff:127.0.0.1]:41840 ESTABLISHED fd 8'],
    ]);
    // The client end of that connection is the remote side: its port matches too.
    assert.equal(summary(await run('127.0.0.1:41840')).length, 1);
  });

  it('keeps going when one process refuses its fds or one fd link fails, and says which', async () => {
    useProcFs({
      ...nodeProcFs,
      readdirSync: (path) => {
        if (path === join(root, '100', 'fd'))
          throw Object.assign(new Error(`EACCES: permission denied, scandir '${path}'`), { code: 'EACCES' });
        return nodeProcFs.readdirSync(path);
      },
      readlinkBuffer: (path) => {
        if (path === join(root, '200', 'fd', '7')) throw Object.assign(new Error(`EIO: i/o error, readlink '${path}'`), { code: 'EIO' });
        return nodeProcFs.readlinkBuffer(path);
      },
    });
    try {
      const r = await run(':33189');
      assert.deepEqual(summary(r), [
        [200, 'server6', 'listen [::1]:33189 - LISTEN fd 3'],
        [300, 'client6', 'connected [::1]:41822 [::1]:33189 ESTABLISHED fd 4'],
      ]);
      assert.deepEqual(r.unavailable, [{ pid: 100, reason: 'EACCES' }]);
    } finally {
      useProcFs(undefined);
    }
  });
});
