// The schedstat files the incremental IPC scan keeps open (src/core/ipc/fdTables.ts) belong to the cache that
// opened them: it closes only those, each once, and all of them on dispose, so one scanner (one worker
// subscriber) never closes a descriptor another scanner, or anything else in the process, still uses. On
// real processes this test starts: children holding a pipe between them.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, fstatSync, openSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FdTableCache } from '../../src/core/ipc/fdTables';
import { ownKeptFiles } from '../../src/core/procfs/ownFiles';
import { IpcScanner } from '../../src/core/ipc/scan';
import { nodeProcFs, useProcFs } from '../../src/core/procfs/procFs';
import { ProcSampler } from '../../src/core/sampler';

const children: ChildProcess[] = [];

before(async () => {
  for (let i = 0; i < 4; i++) {
    children.push(spawn('sh', ['-c', 'sleep 300 | sleep 300'], { stdio: 'ignore' }));
  }
  await new Promise((r) => setTimeout(r, 300));
});
after(() => {
  for (const c of children) c.kill('SIGKILL');
});

function isOpen(fd: number): boolean {
  try {
    fstatSync(fd);
    return true;
  } catch (error) {
    assert.equal((error as NodeJS.ErrnoException).code, 'EBADF');
    return false;
  }
}

/** The pids of a process's children, from the kernel's own list. */
function childrenOf(pid: number): number[] {
  return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
}

/** What fd names in this process's table now. */
function target(fd: number): string {
  return readlinkSync(`/proc/self/fd/${fd}`);
}

const listing = { names: [], targets: [], files: [] };

test('a cache never closes a descriptor it does not hold, whatever check it is handed', () => {
  const cache = new FdTableCache('/proc', 8);
  const pid = children[0]!.pid!;
  const foreign = openSync('/dev/null', 'r');
  try {
    cache.beginScan();
    cache.store(pid, { signal: null, count: null, fd: foreign }, listing);
    assert.ok(isOpen(foreign), 'store() with a signal-less check left the foreign file open');
    cache.drop(pid, { signal: null, count: null, fd: foreign });
    assert.ok(isOpen(foreign), 'drop() left the foreign file open');
    cache.dispose();
    assert.equal(target(foreign), '/dev/null');
  } finally {
    closeSync(foreign);
  }
});

test('a table stored without a signal after its kept file was checked: that file is closed once, and only that', () => {
  const cache = new FdTableCache('/proc', 8);
  const pid = children[0]!.pid!;
  cache.beginScan();
  const first = cache.check(pid);
  assert.ok(first.fd >= 0, 'the schedstat file is kept');
  cache.store(pid, first, listing);
  // The walk stores a table whose signal could not be read (the fd directory's size) with the same kept fd.
  cache.beginScan();
  const again = cache.check(pid);
  assert.equal(again.fd, first.fd);
  cache.store(pid, { signal: null, count: null, fd: again.fd }, listing);
  assert.ok(!isOpen(first.fd), 'the kept file is closed');
  // The number is free; whatever opens next may get it, and the cache must not touch it again.
  const reused = openSync('/dev/null', 'r');
  try {
    cache.drop(pid, { signal: null, count: null, fd: reused });
    cache.endScan();
    cache.dispose();
    assert.equal(target(reused), '/dev/null', 'the file that took the number is still open');
  } finally {
    closeSync(reused);
  }
});

test('dispose closes a file check() opened whose table was never stored (a scan that ended by an error)', () => {
  const cache = new FdTableCache('/proc', 8);
  cache.beginScan();
  const checked = cache.check(children[1]!.pid!);
  assert.ok(checked.fd >= 0);
  assert.match(target(checked.fd), /^\/proc\/\d+\/schedstat$/);
  assert.ok(new Set(ownKeptFiles()).has(checked.fd));
  cache.dispose();
  assert.ok(!isOpen(checked.fd), 'closed by dispose');
  assert.ok(!new Set(ownKeptFiles()).has(checked.fd), 'and no longer skipped by the walk of this process');
});

test('endScan closes a file check() opened for a table neither stored nor dropped', () => {
  const cache = new FdTableCache('/proc', 8);
  const [a, b] = [children[1]!.pid!, children[2]!.pid!];
  cache.beginScan();
  cache.store(a, cache.check(a), listing);
  const orphan = cache.check(b);
  cache.endScan();
  assert.ok(!isOpen(orphan.fd), 'the orphan file is closed');
  assert.equal(cache.size, 1);
  const [kept] = [...cache.keptFds];
  assert.ok(kept !== undefined && isOpen(kept) && target(kept) === `/proc/${a}/schedstat`, 'the stored table keeps its file');
  cache.dispose();
});

test('two scanners (two subscribers): one released again and again, the other keeps its files and reuses its listings', () => {
  const panel = new IpcScanner();
  // The shells and the two sleeps each one started: the sleeps hold the pipe (the shell closes its ends).
  const pids = children.flatMap((c) => [c.pid!, ...childrenOf(c.pid!)]);
  assert.ok(pids.length >= children.length * 3, `each shell's two sleeps are running (${pids.length} processes)`);
  try {
    panel.scan({ pids, useSs: false });
    for (let round = 0; round < 5; round++) {
      const tracker = new IpcScanner();
      tracker.scan({ pids, useSs: false });
      tracker.scan({ pids, useSs: false });
      const own = new Set(ownKeptFiles());
      tracker.dispose();
      const after = new Set(ownKeptFiles());
      assert.ok(after.size < own.size, 'the released scanner closed its files');
      for (const fd of after) assert.match(target(fd), /^\/proc\/\d+\/schedstat$/, `fd ${fd} is still a kept schedstat file`);
      const map = panel.scan({ pids, useSs: false });
      assert.ok(
        panel.lastFdListing.reused > 0,
        `round ${round}: the panel's scanner reused listings (${JSON.stringify(panel.lastFdListing)})`,
      );
      assert.ok(
        map.channels.some((c) => c.kind === 'pipe' && c.endpoints.some((e) => pids.includes(e.pid))),
        'the children’s pipes are found',
      );
    }
  } finally {
    panel.dispose();
  }
  assert.equal(new Set(ownKeptFiles()).size, 0, 'every scanner disposed: no schedstat file is left open');
});

test('scans of some pids: a process no longer asked for is forgotten once its listing could not be reused, and its file closed', async () => {
  const recheck = 3;
  const scanner = new IpcScanner();
  const gone = spawn('sleep', ['300'], { stdio: 'ignore' });
  const stay = children[3]!.pid!;
  try {
    await new Promise((r) => setTimeout(r, 200));
    const options = { useSs: false, fdRecheckScans: recheck } as const;
    scanner.scan({ ...options, pids: [gone.pid!, stay] });
    const schedstat = (pid: number): number[] =>
      [...ownKeptFiles()].filter((fd) => {
        try {
          return target(fd) === `/proc/${pid}/schedstat`;
        } catch {
          return false;
        }
      });
    assert.equal(schedstat(gone.pid!).length, 1, 'the asked process has its schedstat kept');
    gone.kill('SIGKILL');
    await new Promise((r) => gone.once('exit', r));
    for (let i = 1; i < recheck; i++) {
      scanner.scan({ ...options, pids: [stay] });
      assert.equal(schedstat(gone.pid!).length, 1, `scan ${i} after: not yet forgotten (its listing could still be reused)`);
    }
    scanner.scan({ ...options, pids: [stay] });
    assert.deepEqual(schedstat(gone.pid!), [], 'forgotten, its file closed');
    assert.equal(schedstat(stay).length, 1, 'the process still asked for keeps its file');
  } finally {
    gone.kill('SIGKILL');
    scanner.dispose();
  }
});

test("the walk of this process skips the sampler's kept stat files and still finds this process's own channels", async () => {
  // The panel's worker scans from inside the extension host, whose sampler keeps a stat file open per process.
  const sampler = new ProcSampler();
  const scanner = new IpcScanner();
  // A real channel held by this process: the child's stdout (libuv makes it a socketpair).
  const child = spawn('sleep', ['300'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const ownLinks: string[] = [];
  try {
    await new Promise((r) => setTimeout(r, 200));
    sampler.pollSync();
    const statFiles = [...ownKeptFiles()].filter((fd) => /^\/proc\/\d+\/stat$/.test(target(fd)));
    assert.ok(statFiles.length >= 2, `the sampler keeps stat files open in this process (${statFiles.length})`);
    useProcFs({
      ...nodeProcFs,
      readlinkBuffer: (path) => {
        if (path.startsWith(`/proc/${process.pid}/fd/`)) ownLinks.push(path);
        return nodeProcFs.readlinkBuffer(path);
      },
    });
    const map = scanner.scan({ pids: [process.pid, child.pid!] }); // ss names the socketpair's peer
    const read = new Set(ownLinks.map((p) => Number(p.slice(p.lastIndexOf('/') + 1))));
    for (const fd of statFiles) assert.ok(!read.has(fd), `kept stat file ${fd} was not read`);
    assert.ok(read.size > 0, 'the other fds of this process were read');
    const joined = map.channels.filter(
      (c) => c.endpoints.some((e) => e.pid === process.pid) && c.endpoints.some((e) => e.pid === child.pid),
    );
    assert.ok(joined.length > 0, `the channel between this process and its child is found (${map.channels.map((c) => c.id).join(', ')})`);

    // Released numbers are read again: a FIFO opened after the sampler let its files go takes the lowest free
    // number, one of those the sampler held, and the next scan lists it as the FIFO it now is.
    sampler.dispose();
    const fifo = join(tmpdir(), `procscope-owners-${process.pid}.fifo`);
    rmSync(fifo, { force: true });
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    const reused = openSync(fifo, 'r+'); // O_RDWR: a FIFO opens at once without a writer
    try {
      assert.ok(statFiles.includes(reused), `the FIFO took a number the sampler held (${reused} in ${statFiles.join(', ')})`);
      ownLinks.length = 0;
      const again = scanner.scan({ pids: [process.pid], useSs: false });
      assert.ok(ownLinks.includes(`/proc/${process.pid}/fd/${reused}`), `fd ${reused} is read again`);
      assert.ok(
        again.channels.some((c) => c.kind === 'fifo' && c.endpoints.some((e) => e.pid === process.pid && e.fd === reused)),
        'and found as the FIFO it now is',
      );
    } finally {
      closeSync(reused);
      rmSync(fifo, { force: true });
    }
  } finally {
    useProcFs(undefined);
    child.kill('SIGKILL');
    scanner.dispose();
    sampler.dispose();
  }
  assert.equal(ownKeptFiles().size, 0, 'the disposed sampler and scanner left nothing in the set');
});
