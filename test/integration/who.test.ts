// Reverse look-ups on real objects the test creates: open and mapped files, a working directory, TCP and UDP
// sockets (IPv4 and IPv6), flock and POSIX locks with a waiter, POSIX and SysV shared memory. Through the core
// and through the real CLI entry.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { linkSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { nodeProcFs, useProcFs } from '../../src/core/procfs/procFs';
import { parseWhoTarget, who, type WhoResult, type WhoTarget, type WhoUse } from '../../src/core/who';
import { PYTHON, python, startProgram, type Started } from './helpers';

const CLI = join(__dirname, '..', '..', 'src', 'cli.ts');
let dir: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'procscope-who-'));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function target(text: string): WhoTarget {
  const t = parseWhoTarget(text);
  assert.ok(!('problem' in t), text);
  return t;
}

/** Asks again until the kernel shows what the test set up (an accept, a blocked flock) or 10 s pass. */
async function eventually(what: string, probe: () => Promise<WhoResult | undefined>): Promise<WhoResult> {
  const end = Date.now() + 10_000;
  for (;;) {
    const r = await probe();
    if (r) return r;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function usesOf(result: WhoResult, pid: number): WhoUse[] {
  return [...(result.processes.find((p) => p.pid === pid)?.uses ?? [])];
}

async function start(code: string, env: Record<string, string> = {}): Promise<Started & { facts: Record<string, number> }> {
  const p = await python(code, { env });
  return Object.assign(p, { facts: JSON.parse(p.firstLine) as Record<string, number> });
}

describe('who PATH', () => {
  it('finds open fds with their access mode, a shared mapping and a working directory, also through a hard link', async (t) => {
    const file = join(dir, 'data.bin');
    writeFileSync(file, Buffer.alloc(8192));
    const work = join(dir, 'work');
    spawnSync('mkdir', [work]);
    const p = await start(
      `
import os, mmap, json, time
f = open(os.environ['F'], 'r+b')
m = mmap.mmap(f.fileno(), 4096)
g = open(os.environ['F'], 'rb')
os.chdir(os.environ['W'])
print(json.dumps({'rw': f.fileno(), 'r': g.fileno()}), flush=True)
time.sleep(60)`,
      { F: file, W: work },
    );
    t.after(() => p.kill());
    const link = join(dir, 'hard-link');
    linkSync(file, link);
    for (const path of [file, link]) {
      const r = await who(target(path));
      assert.equal(r.object.kind === 'file' && r.object.path, path === file ? file : link);
      const uses = usesOf(r, p.pid);
      // Python's mmap keeps a dup of the fd it maps (a third readwrite fd): the two opened are there, as opened.
      const fds = uses.filter((u) => u.how === 'fd');
      assert.deepEqual(
        fds.find((u) => u.fd === p.facts.rw),
        { how: 'fd', fd: p.facts.rw, mode: 'readwrite' },
      );
      assert.deepEqual(
        fds.find((u) => u.fd === p.facts.r),
        { how: 'fd', fd: p.facts.r, mode: 'read' },
      );
      const maps = uses.filter((u): u is Extract<WhoUse, { how: 'mmap' }> => u.how === 'mmap');
      assert.equal(maps.length, 1);
      assert.equal(maps[0]!.perms, 'rw-s');
      assert.equal(r.processes.find((x) => x.pid === p.pid)!.name, 'python3');
    }
    const cwd = await who(target(work));
    assert.deepEqual(usesOf(cwd, p.pid), [{ how: 'cwd' }]);
  });

  it('prints one line per process in the CLI, exact JSON, and exit 1 with "nobody" for an unused file', async (t) => {
    const file = join(dir, 'cli.txt');
    writeFileSync(file, 'x');
    const p = await start(
      `
import os, json, time
f = open(os.environ['F'], 'a')
print(json.dumps({'fd': f.fileno()}), flush=True)
time.sleep(60)`,
      { F: file },
    );
    t.after(() => p.kill());
    const text = cli('--lang', 'en', 'who', file);
    assert.equal(text.status, 0, text.stderr);
    const line = text.stdout.split('\n').find((l) => l.trimStart().startsWith(`${p.pid} `));
    assert.ok(line, text.stdout);
    assert.match(line, new RegExp(`python3\\s+fd ${p.facts.fd}w$`));
    const json = cli('who', '--json', file);
    const out = JSON.parse(json.stdout) as WhoResult;
    assert.deepEqual(out.processes.find((x) => x.pid === p.pid)!.uses, [{ how: 'fd', fd: p.facts.fd, mode: 'write' }]);
    await p.kill();
    const none = cli('--lang', 'en', 'who', file);
    assert.equal(none.status, 1);
    assert.match(none.stdout, /no process uses it/);
    const missing = cli('--lang', 'en', 'who', join(dir, 'no-such-file'));
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /cannot find .*ENOENT/);
  });
  it('finds the listener of a unix socket file and the connection it accepted', async (t) => {
    const sock = join(dir, 'srv.sock');
    const server = await start(
      `
import socket, json, time, os
s = socket.socket(socket.AF_UNIX); s.bind(os.environ['S']); s.listen()
print(json.dumps({'fd': s.fileno()}), flush=True)
c, _ = s.accept()
time.sleep(60)`,
      { S: sock },
    );
    t.after(() => server.kill());
    const client = await start(
      `
import socket, json, time, os
c = socket.socket(socket.AF_UNIX); c.connect(os.environ['S'])
print(json.dumps({'fd': c.fileno()}), flush=True)
time.sleep(60)`,
      { S: sock },
    );
    t.after(() => client.kill());
    const r = await eventually('the accepted connection', async () => {
      const res = await who(target(sock));
      return usesOf(res, server.pid).length === 2 ? res : undefined;
    });
    const uses = usesOf(r, server.pid);
    assert.deepEqual(uses[0], { how: 'listen', protocol: 'unix', fd: server.facts.fd, local: sock, remote: null, state: 'listening' });
    assert.deepEqual({ ...uses[1], fd: 0 }, { how: 'connected', protocol: 'unix', fd: 0, local: sock, remote: null, state: 'connected' });
    const text = cli('--lang', 'en', 'who', sock);
    assert.match(
      text.stdout,
      new RegExp(`listening on UNIX ${sock.replace(/[.]/g, '\\.')} \\(fd ${server.facts.fd}\\), UNIX .*: an accepted connection`),
    );
  });

  it('answers through /proc/PID/fd/N for a deleted file: every process still holding it', async (t) => {
    const file = join(dir, 'deleted.txt');
    const p = await start(
      `
import os, json, time
f = open(os.environ['F'], 'w')
os.unlink(os.environ['F'])
child = os.fork()
if child == 0:
    time.sleep(60)
    os._exit(0)
print(json.dumps({'fd': f.fileno(), 'ino': os.fstat(f.fileno()).st_ino, 'child': child}), flush=True)
time.sleep(60)`,
      { F: file },
    );
    t.after(async () => {
      await p.kill();
      process.kill(p.facts.child!, 'SIGKILL');
    });
    const link = `/proc/${p.pid}/fd/${p.facts.fd}`;
    const r = await who(target(link));
    // The link's target (`... (deleted)`) resolves to no path: the object is named as asked, found by stat.
    assert.equal(r.object.kind === 'file' && r.object.path, link);
    assert.equal(r.object.kind === 'file' && r.object.inode, p.facts.ino);
    for (const pid of [p.pid, p.facts.child!]) assert.deepEqual(usesOf(r, pid), [{ how: 'fd', fd: p.facts.fd, mode: 'write' }]);
    const text = cli('--lang', 'en', 'who', link);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout.split('\n')[0]!, new RegExp(`^${link}  \\(device [0-9a-f]+:[0-9a-f]+, inode ${p.facts.ino}\\)$`));
    for (const pid of [p.pid, p.facts.child!]) assert.match(text.stdout, new RegExp(`^ *${pid} .*python3\\s+fd ${p.facts.fd}w$`, 'm'));
  });

  it('answers through /proc/PID/fd/N for a file whose path is longer than PATH_MAX', async (t) => {
    const top = join(dir, 'deep');
    t.after(() => {
      // rm walks the tree relatively; a recursive removal by full paths would hit ENAMETOOLONG itself.
      spawnSync('rm', ['-rf', top]);
    });
    // 25 directories of 200 bytes each, made and entered one by one: more than 4096 bytes in all.
    const p = await start(
      `
import os, json, time
os.mkdir(os.environ['T']); os.chdir(os.environ['T'])
for _ in range(25):
    os.mkdir('d' * 200); os.chdir('d' * 200)
f = open('long.txt', 'w')
depth = len(os.getcwd())
os.chdir('/')
print(json.dumps({'fd': f.fileno(), 'ino': os.fstat(f.fileno()).st_ino, 'depth': depth}), flush=True)
time.sleep(60)`,
      { T: top },
    );
    t.after(() => p.kill());
    assert.ok(p.facts.depth! > 4096, 'the directory alone is longer than PATH_MAX');
    const link = `/proc/${p.pid}/fd/${p.facts.fd}`;
    const r = await who(target(link));
    assert.equal(r.object.kind === 'file' && r.object.path, link);
    assert.equal(r.object.kind === 'file' && r.object.inode, p.facts.ino);
    assert.deepEqual(usesOf(r, p.pid), [{ how: 'fd', fd: p.facts.fd, mode: 'write' }]);
    const text = cli('--lang', 'en', 'who', link);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, new RegExp(`^ *${p.pid} .*python3\\s+fd ${p.facts.fd}w$`, 'm'));
  });

  it('matches through a bind mount in another mount namespace, where the fd names a path we do not have', async (t) => {
    const a = join(dir, 'bind-src');
    const b = join(dir, 'bind-dst');
    spawnSync('mkdir', [a, b]);
    writeFileSync(join(a, 'f'), 'x');
    // A user and mount namespace of its own (unshare -rm): the bind mount exists only there.
    const code = `import json, time\nf = open('${b}/f')\nprint(json.dumps({'fd': f.fileno()}), flush=True)\ntime.sleep(60)`;
    const p = await startProgram('unshare', ['-rm', 'sh', '-c', `mount --bind '${a}' '${b}' && exec '${PYTHON}' -c "$0"`, code]);
    t.after(() => p.kill());
    const fd = (JSON.parse(p.firstLine) as { fd: number }).fd;
    const r = await who(target(join(a, 'f')));
    assert.deepEqual(usesOf(r, p.pid), [{ how: 'fd', fd, mode: 'read' }]);
  });
});

describe('who :PORT', () => {
  it('finds a TCP listener, its accepted connection and the client, on IPv4 and IPv6', async (t) => {
    for (const [family, host] of [
      ['AF_INET', '127.0.0.1'],
      ['AF_INET6', '::1'],
    ] as const) {
      const server = await start(`
import socket, json, time
s = socket.socket(socket.${family}); s.bind(('${host}', 0)); s.listen()
print(json.dumps({'port': s.getsockname()[1], 'fd': s.fileno()}), flush=True)
c, _ = s.accept()
print(json.dumps({'accepted': c.fileno()}), flush=True)
time.sleep(60)`);
      t.after(() => server.kill());
      const port = server.facts.port!;
      const client = await start(`
import socket, json, time
c = socket.socket(socket.${family}); c.connect(('${host}', ${port}))
print(json.dumps({'fd': c.fileno(), 'port': c.getsockname()[1]}), flush=True)
time.sleep(60)`);
      t.after(() => client.kill());
      const shown = family === 'AF_INET' ? `${host}:${port}` : `[${host}]:${port}`;
      const clientEnd = family === 'AF_INET' ? `${host}:${client.facts.port}` : `[${host}]:${client.facts.port}`;
      for (const text of [`:${port}`, family === 'AF_INET' ? `${host}:${port}` : `[${host}]:${port}`]) {
        const r = await eventually('the accepted connection', async () => {
          const res = await who(target(text));
          return usesOf(res, server.pid).length === 2 ? res : undefined;
        });
        const serverUses = usesOf(r, server.pid);
        assert.deepEqual(serverUses[0], {
          how: 'listen',
          protocol: 'tcp',
          fd: server.facts.fd,
          local: shown,
          remote: null,
          state: 'LISTEN',
        });
        assert.equal(serverUses[1]!.how, 'connected');
        assert.equal((serverUses[1] as { remote: string }).remote, clientEnd);
        assert.deepEqual(usesOf(r, client.pid), [
          { how: 'connected', protocol: 'tcp', fd: client.facts.fd, local: clientEnd, remote: shown, state: 'ESTABLISHED' },
        ]);
      }
      // The other address family's loopback has nobody on this port.
      const other = await who(target(family === 'AF_INET' ? `[::1]:${port}` : `127.0.0.1:${port}`));
      assert.deepEqual(usesOf(other, server.pid), []);
      assert.deepEqual(usesOf(other, client.pid), []);
    }
  });

  it('finds a bound UDP socket and a connected one, and the CLI says how', async (t) => {
    const server = await start(`
import socket, json, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('127.0.0.1', 0))
print(json.dumps({'port': s.getsockname()[1], 'fd': s.fileno()}), flush=True)
time.sleep(60)`);
    t.after(() => server.kill());
    const port = server.facts.port!;
    const client = await start(`
import socket, json, time
c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); c.connect(('127.0.0.1', ${port}))
print(json.dumps({'fd': c.fileno(), 'port': c.getsockname()[1]}), flush=True)
time.sleep(60)`);
    t.after(() => client.kill());
    const r = await who(target(`:${port}`));
    assert.deepEqual(usesOf(r, server.pid), [
      { how: 'bound', protocol: 'udp', fd: server.facts.fd, local: `127.0.0.1:${port}`, remote: null, state: 'UNCONN' },
    ]);
    assert.deepEqual(usesOf(r, client.pid), [
      {
        how: 'connected',
        protocol: 'udp',
        fd: client.facts.fd,
        local: `127.0.0.1:${client.facts.port}`,
        remote: `127.0.0.1:${port}`,
        state: 'ESTABLISHED',
      },
    ]);
    // A socket fd whose link cannot be read is still found by the inode its own stat gives.
    const link = `/proc/${server.pid}/fd/${server.facts.fd}`;
    useProcFs({
      ...nodeProcFs,
      readlinkBuffer: (path) => {
        if (path === link) throw Object.assign(new Error(`ENAMETOOLONG: name too long, readlink '${path}'`), { code: 'ENAMETOOLONG' });
        return nodeProcFs.readlinkBuffer(path);
      },
    });
    try {
      assert.deepEqual(usesOf(await who(target(`:${port}`)), server.pid), usesOf(r, server.pid));
    } finally {
      useProcFs(undefined);
    }
    const text = cli('--lang', 'en', 'who', `:${port}`);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, new RegExp(`UDP bound to 127\\.0\\.0\\.1:${port} \\(fd ${server.facts.fd}\\)`));
    assert.match(
      text.stdout,
      new RegExp(`UDP 127\\.0\\.0\\.1:${client.facts.port} connected to 127\\.0\\.0\\.1:${port} \\(ESTABLISHED, fd ${client.facts.fd}\\)`),
    );
    await server.kill();
    await client.kill();
    const none = cli('who', '--json', `:${port}`);
    assert.equal(none.status, 1);
    assert.deepEqual((JSON.parse(none.stdout) as WhoResult).processes, []);
  });

  it('finds a listener in another network namespace through its own /proc/PID/net', async (t) => {
    const code = `import socket, json, time\ns = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()\nprint(json.dumps({'port': s.getsockname()[1], 'fd': s.fileno()}), flush=True)\ntime.sleep(60)`;
    const p = await startProgram('unshare', ['-rn', PYTHON, '-c', code]);
    t.after(() => p.kill());
    const facts = JSON.parse(p.firstLine) as { port: number; fd: number };
    const r = await who(target(`:${facts.port}`));
    assert.deepEqual(usesOf(r, p.pid), [
      { how: 'listen', protocol: 'tcp', fd: facts.fd, local: `127.0.0.1:${facts.port}`, remote: null, state: 'LISTEN' },
    ]);
  });

  it('keeps an IPv6 address in brackets before its port, in the header and in each use', async (t) => {
    const p = await start(`
import socket, json, time
a = socket.socket(socket.AF_INET6); a.bind(('::', 0)); a.listen()
b = socket.socket(socket.AF_INET6); b.bind(('::1', 0)); b.listen()
print(json.dumps({'any': a.getsockname()[1], 'anyFd': a.fileno(), 'lo': b.getsockname()[1], 'loFd': b.fileno()}), flush=True)
time.sleep(60)`);
    t.after(() => p.kill());
    const f = p.facts;
    for (const [host, port, fd] of [
      ['::', f.any!, f.anyFd!],
      ['::1', f.lo!, f.loFd!],
    ] as const) {
      const en = cli('--lang', 'en', 'who', `[${host}]:${port}`);
      assert.equal(en.status, 0, en.stderr);
      const lines = en.stdout.split('\n');
      assert.equal(lines[0], `[${host}]:${port}  (addresses ${host})`);
      assert.match(en.stdout, new RegExp(`^ *${p.pid} .*listening on TCP \\[${host}\\]:${port} \\(fd ${fd}\\)$`, 'm'));
      const ko = cli('--lang', 'ko', 'who', `[${host}]:${port}`);
      assert.equal(ko.stdout.split('\n')[0], `[${host}]:${port}  (주소 ${host})`);
    }
    // An IPv4 host stays as it is.
    const v4 = cli('--lang', 'en', 'who', `127.0.0.1:${f.lo}`);
    assert.equal(v4.stdout.split('\n')[0], `127.0.0.1:${f.lo}  (addresses 127.0.0.1)`);
  });

  it('rejects a malformed port with a usage error', () => {
    for (const bad of [':0', ':65536', ':http', 'shmid:x', 'shm:a/b']) {
      const r = cli('--lang', 'en', 'who', bad);
      assert.equal(r.status, 2, bad);
    }
  });
});

describe('who lock:PATH', () => {
  it('finds the flock holder with its fd and the waiter blocked on it', async (t) => {
    const file = join(dir, 'lock');
    writeFileSync(file, 'lock');
    const holder = await start(
      `
import os, fcntl, json, time
f = open(os.environ['F'], 'r'); fcntl.flock(f, fcntl.LOCK_EX)
print(json.dumps({'fd': f.fileno()}), flush=True)
time.sleep(60)`,
      { F: file },
    );
    t.after(() => holder.kill());
    const waiter = await start(
      `
import os, fcntl, json, time
f = open(os.environ['F'], 'r')
print(json.dumps({'fd': f.fileno()}), flush=True)
fcntl.flock(f, fcntl.LOCK_EX)
time.sleep(60)`,
      { F: file },
    );
    t.after(() => waiter.kill());
    const r = await eventually('the waiter in /proc/locks', async () => {
      const res = await who(target(`lock:${file}`));
      return usesOf(res, waiter.pid).length > 0 ? res : undefined;
    });
    assert.deepEqual(usesOf(r, holder.pid), [
      { how: 'lock-holder', fd: holder.facts.fd, lockClass: 'FLOCK', access: 'WRITE', start: 0, end: null },
    ]);
    assert.deepEqual(usesOf(r, waiter.pid), [
      { how: 'lock-waiter', fd: waiter.facts.fd, lockClass: 'FLOCK', access: 'WRITE', start: 0, end: null, blockedBy: holder.pid },
    ]);
    // The plain path shows the same locks next to the open fds.
    const all = await who(target(file));
    assert.deepEqual(
      usesOf(all, holder.pid).map((u) => u.how),
      ['fd', 'lock-holder'],
    );
    const text = cli('--lang', 'en', 'who', `lock:${file}`);
    assert.match(text.stdout, new RegExp(`holds FLOCK WRITE lock \\(fd ${holder.facts.fd}\\)`));
    assert.match(text.stdout, new RegExp(`waits for FLOCK WRITE lock held by pid ${holder.pid}`));
  });

  it('names the process that holds an OFD lock (pid -1 in /proc/locks) and a flock its child inherited', async (t) => {
    const file = join(dir, 'ofd');
    writeFileSync(file, Buffer.alloc(100));
    const p = await start(
      `
import os, fcntl, struct, json, time
f = open(os.environ['F'], 'r+')
fcntl.fcntl(f, fcntl.F_OFD_SETLK, struct.pack('hhqqii', fcntl.F_WRLCK, os.SEEK_SET, 0, 10, 0, 0))
g = open(os.environ['F'], 'r'); fcntl.flock(g, fcntl.LOCK_SH)
child = os.fork()
if child == 0:
    time.sleep(60); os._exit(0)
gfd = g.fileno()
g.close()  # the flock now lives on only in the child's copy of the open file
print(json.dumps({'ofd': f.fileno(), 'flock': gfd, 'child': child}), flush=True)
time.sleep(60)`,
      { F: file },
    );
    t.after(async () => {
      try {
        process.kill(p.facts.child!, 'SIGKILL');
      } catch {
        /* already gone */
      }
      await p.kill();
    });
    const r = await who(target(`lock:${file}`));
    assert.deepEqual(usesOf(r, p.pid), [{ how: 'lock-holder', fd: p.facts.ofd, lockClass: 'OFDLCK', access: 'WRITE', start: 0, end: 9 }]);
    // The child inherited the OFD lock's open file too (fd ofd), and holds the flock through its copy of g.
    assert.deepEqual(
      usesOf(r, p.facts.child!).filter((u) => u.how === 'lock-holder' && u.lockClass === 'FLOCK'),
      [{ how: 'lock-holder', fd: p.facts.flock, lockClass: 'FLOCK', access: 'READ', start: 0, end: null }],
    );
  });

  it('finds a POSIX byte-range lock with its range', async (t) => {
    const file = join(dir, 'range');
    writeFileSync(file, Buffer.alloc(100));
    const holder = await start(
      `
import os, fcntl, json, time
f = open(os.environ['F'], 'r+'); fcntl.lockf(f, fcntl.LOCK_EX, 10, 5)
print(json.dumps({'fd': f.fileno()}), flush=True)
time.sleep(60)`,
      { F: file },
    );
    t.after(() => holder.kill());
    const r = await who(target(`lock:${file}`));
    assert.deepEqual(usesOf(r, holder.pid), [
      { how: 'lock-holder', fd: holder.facts.fd, lockClass: 'POSIX', access: 'WRITE', start: 5, end: 14 },
    ]);
  });
});

describe('who shm:NAME and shmid:N', () => {
  it('finds every process mapping a POSIX shared-memory object', async (t) => {
    const name = `procscope-who-${process.pid}`;
    const creator = await start(`
from multiprocessing import shared_memory, resource_tracker
import json, time
s = shared_memory.SharedMemory(name='${name}', create=True, size=8192)
resource_tracker.unregister(s._name, 'shared_memory')  # the test removes it, also when this is killed
print(json.dumps({}), flush=True)
time.sleep(60)`);
    t.after(async () => {
      await creator.kill();
      rmSync(`/dev/shm/${name}`, { force: true });
    });
    const user = await start(`
from multiprocessing import shared_memory, resource_tracker
import json, time
s = shared_memory.SharedMemory(name='${name}')
resource_tracker.unregister(s._name, 'shared_memory')  # the creator owns it: this one must not unlink it
print(json.dumps({}), flush=True)
time.sleep(60)`);
    t.after(() => user.kill());
    for (const text of [`shm:${name}`, `/dev/shm/${name}`]) {
      const r = await who(target(text));
      for (const p of [creator, user]) {
        const maps = usesOf(r, p.pid).filter((u) => u.how === 'mmap');
        assert.equal(maps.length, 1, `${text} ${p.pid}`);
        assert.equal((maps[0] as { perms: string }).perms, 'rw-s');
      }
    }
  });

  it('finds the processes that attached a SysV segment', async (t) => {
    const p = await start(`
import ctypes, os, json, time
libc = ctypes.CDLL(None, use_errno=True)
libc.shmat.restype = ctypes.c_void_p
shmid = libc.shmget(0, 4096, 0o1600)
assert shmid >= 0, ctypes.get_errno()
assert libc.shmat(shmid, None, 0) not in (None, ctypes.c_void_p(-1).value)
libc.shmctl(shmid, 0, None)  # IPC_RMID: freed when the last process detaches, even if this test dies
child = os.fork()
if child == 0:
    time.sleep(60); os._exit(0)
print(json.dumps({'shmid': shmid, 'child': child}), flush=True)
time.sleep(60)`);
    t.after(async () => {
      try {
        process.kill(p.facts.child!, 'SIGKILL');
      } catch {
        /* already gone */
      }
      await p.kill();
    });
    const r = await who(target(`shmid:${p.facts.shmid}`));
    assert.equal(r.object.kind === 'sysv-shm' && r.object.attachCount, 2);
    assert.equal(r.object.kind === 'sysv-shm' && r.object.creatorPid, p.pid);
    for (const pid of [p.pid, p.facts.child!])
      assert.deepEqual(
        usesOf(r, pid).map((u) => [u.how, (u as { perms: string }).perms]),
        [['mmap', 'rw-s']],
      );
    const gone = cli('--lang', 'en', 'who', 'shmid:2147483647');
    assert.equal(gone.status, 1);
    assert.match(gone.stderr, /no SysV shared-memory segment/);
  });
});
