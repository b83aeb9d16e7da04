// A fault-injecting /proc: fixture trees copied from a real /proc, read through the procFs seam with a
// wrapper that makes chosen files fail with an errno (ENOENT, ESRCH, EACCES, ENAMETOOLONG, EIO, EINVAL) or
// come back empty, truncated or as garbage. Over many seeded random mixes, the sampler, the detail reader,
// the IPC scan and the lock scan must complete; every process no fault touched must read exactly as without
// faults; and the fields a fault did touch must say why they are unavailable.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync as nodeReadlink, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readProcessDetail, type ProcessDetail } from '../../src/core/detail';
import { ProcScopeError } from '../../src/core/errors';
import { scanIpcSync } from '../../src/core/ipc/scan';
import type { IpcMap } from '../../src/core/ipc/model';
import { mostActive, parseProcessKey, processKey, type ProcessInfo, type Snapshot, type StateLetter } from '../../src/core/model';
import { nodeProcFs, useProcFs, type ProcFs } from '../../src/core/procfs/procFs';
import { ProcSampler } from '../../src/core/sampler';
import { mulberry32 } from './prng';

const FIXTURES = join(__dirname, '..', 'fixtures', 'proc');
const ERRNOS = ['ENOENT', 'ESRCH', 'EACCES', 'ENAMETOOLONG', 'EIO', 'EINVAL'] as const;
const CONTENT = ['empty', 'truncated', 'garbage'] as const;
type Fault = (typeof ERRNOS)[number] | (typeof CONTENT)[number];
/** Errnos that mean something else than "this field failed": the task is gone, or the kernel refused. */
const EXPECTED_ERRNOS = new Set(['ENOENT', 'ESRCH', 'EACCES']);

function errnoError(code: string, syscall: string, path: string): NodeJS.ErrnoException {
  const words: Record<string, string> = {
    ENOENT: 'no such file or directory',
    ESRCH: 'no such process',
    EACCES: 'permission denied',
    ENAMETOOLONG: 'name too long',
    EIO: 'i/o error',
    EINVAL: 'invalid argument',
  };
  return Object.assign(new Error(`${code}: ${words[code]}, ${syscall} '${path}'`), { code, syscall, path, errno: -1 });
}

/**
 * A ProcFs whose per-process files fail as `plan` says. A path's fault is fixed for one mix (the same file
 * fails the same way on every read, as a broken file would); `hits` records which paths a fault reached.
 */
class FaultyProcFs implements ProcFs {
  readonly hits = new Map<string, Fault>();
  private readonly byFd = new Map<number, string>();
  private readonly decided = new Map<string, Fault | null>();

  constructor(
    private readonly root: string,
    private readonly random: () => number,
    private readonly rate: number,
  ) {}

  private fault(path: string): Fault | null {
    // Only files of one process: a failure of /proc itself (its listing, its stat) may fail a poll.
    if (!path.startsWith(`${this.root}/`) || !/^\d+\//.test(path.slice(this.root.length + 1))) return null;
    let f = this.decided.get(path);
    if (f === undefined) {
      const all: readonly Fault[] = [...ERRNOS, ...CONTENT];
      f = this.random() < this.rate ? all[Math.floor(this.random() * all.length)]! : null;
      this.decided.set(path, f);
    }
    if (f !== null) this.hits.set(path, f);
    return f;
  }

  private maybeThrow(path: string, syscall: string): Fault | null {
    const f = this.fault(path);
    if (f !== null && (ERRNOS as readonly string[]).includes(f)) throw errnoError(f, syscall, path);
    return f;
  }

  private mangle(f: Fault | null, buf: Uint8Array, offset: number, n: number): number {
    if (f === 'empty') return 0;
    if (f === 'truncated') return Math.floor(n / 2);
    if (f === 'garbage') for (let i = offset; i < offset + n; i++) buf[i] = Math.floor(this.random() * 256);
    return n;
  }

  openSync(path: string, flags: 'r'): number {
    this.maybeThrow(path, 'open');
    const fd = nodeProcFs.openSync(path, flags);
    this.byFd.set(fd, path);
    return fd;
  }
  readSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number | null): number {
    // A file opened before the faults were put in place (a sampler's kept-open stat): ask the kernel its name.
    const path = this.byFd.get(fd) ?? nodeReadlink(`/proc/self/fd/${fd}`);
    const f = this.maybeThrow(path, 'read');
    const n = nodeProcFs.readSync(fd, buffer, offset, length, position);
    return this.mangle(f, buffer, offset, n);
  }
  closeSync(fd: number): void {
    this.byFd.delete(fd);
    nodeProcFs.closeSync(fd);
  }
  readlinkBuffer(path: string): Buffer {
    const f = this.maybeThrow(path, 'readlink');
    const b = nodeProcFs.readlinkBuffer(path);
    return b.subarray(0, this.mangle(f, b, 0, b.length));
  }
  readdirSync(path: string): string[] {
    this.maybeThrow(path, 'scandir');
    return nodeProcFs.readdirSync(path);
  }
  readFileSync(path: string): Buffer {
    const f = this.maybeThrow(path, 'read');
    const b = nodeProcFs.readFileSync(path);
    return b.subarray(0, this.mangle(f, b, 0, b.length));
  }
  statSync(path: string | Buffer): import('node:fs').Stats {
    this.maybeThrow(String(path), 'stat');
    return nodeProcFs.statSync(path);
  }
  lstatSync(path: string): import('node:fs').Stats {
    this.maybeThrow(path, 'lstat');
    return nodeProcFs.lstatSync(path);
  }
  statfsSync(path: string): import('node:fs').StatsFs {
    this.maybeThrow(path, 'statfs');
    return nodeProcFs.statfsSync(path);
  }

  /** Pids one of whose files a fault reached. */
  affectedPids(): Set<number> {
    const out = new Set<number>();
    for (const path of this.hits.keys()) out.add(Number(path.slice(this.root.length + 1).split('/')[0]));
    return out;
  }

  /** Errno faults (other than gone/refused) that reached `${root}/${pid}/${file}`. */
  errnoAt(pid: number, file: string): string | undefined {
    const f = this.hits.get(`${this.root}/${pid}/${file}`);
    return f !== undefined && (ERRNOS as readonly string[]).includes(f) && !EXPECTED_ERRNOS.has(f) ? f : undefined;
  }
}

/** One tree with every fixture case in it: processes with threads, hostile names, fds, a zombie, IPC tables. */
let root: string;
let pids: number[];

before(() => {
  root = mkdtempSync(join(tmpdir(), 'procscope-faults-'));
  cpSync(join(FIXTURES, 'edge'), root, { recursive: true, verbatimSymlinks: true });
  for (const c of ['rich', 'environ', 'zombie']) {
    for (const pid of readdirSync(join(FIXTURES, 'detail', c)).filter((n) => /^\d+$/.test(n))) {
      cpSync(join(FIXTURES, 'detail', c, pid), join(root, pid), { recursive: true, verbatimSymlinks: true });
    }
  }
  for (const f of ['locks', 'sysvipc', 'net']) cpSync(join(FIXTURES, 'ipc', f), join(root, f), { recursive: true });
  mkdirSync(join(root, 'tty'), { recursive: true });
  pids = readdirSync(root)
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .sort((a, b) => a - b);
});

after(() => {
  useProcFs(undefined);
  rmSync(root, { recursive: true, force: true });
});

function withFaults<T>(fs: ProcFs, run: () => T): T {
  useProcFs(fs);
  try {
    return run();
  } finally {
    useProcFs(undefined);
  }
}

/** A process without the values that depend on when it was sampled. */
function timeless(p: ProcessInfo): unknown {
  return { ...p, cpuPercent: null, threads: p.threads?.map((t) => ({ ...t, cpuPercent: null })) };
}

function byPid(s: Snapshot): Map<number, unknown> {
  return new Map(s.processes.map((p) => [p.pid, timeless(p)]));
}

/** What a scan shows of each process: its endpoints (kind, fd, role, name, key), order-free. */
function endpointsByPid(map: IpcMap): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const c of map.channels) {
    for (const e of c.endpoints) {
      const list = out.get(e.pid) ?? [];
      list.push(JSON.stringify([c.kind, e.fd, e.role, e.processName, e.processKey ?? null, e.mapping ?? null]));
      out.set(e.pid, list);
    }
  }
  for (const list of out.values()) list.sort();
  return out;
}

const DETAIL_FIELDS = [
  'cmdline',
  'exe',
  'cwd',
  'root',
  'namespaces',
  'cgroups',
  'memoryRollup',
  'memoryMap',
  'limits',
  'io',
  'fds',
  'oomScore',
  'oomScoreAdj',
  'environ',
  'credentials',
] as const;

function detailOrError(pid: number): ProcessDetail | ProcScopeError {
  try {
    return readProcessDetail(pid, { procRoot: root, includeEnv: true });
  } catch (error) {
    // Only the essential stat file (or a process the kernel refuses outright) may end a detail read, and then
    // with the core's own error, never a raw errno.
    assert.ok(error instanceof ProcScopeError, `detail of ${pid} threw ${String(error)}`);
    return error;
  }
}

// More mixes for a longer hunt: PROCSCOPE_FAULT_MIXES=2000.
const MIXES = Number(process.env.PROCSCOPE_FAULT_MIXES ?? 150);

describe('a fault-injecting /proc', () => {
  it('sampler: each poll completes, untouched processes are exact, touched fields say why, and the next clean poll recovers', () => {
    // Every poll re-reads status and cmdline (no refresh interval), so faults reach them too.
    const options = { procRoot: root, statusRefreshMs: 0, cmdlineRefreshMs: 0 };
    const clean = new ProcSampler(options);
    clean.pollSync({ threads: 'all', threadStatus: true });
    const baseline = byPid(clean.pollSync({ threads: 'all', threadStatus: true }));
    clean.dispose();
    assert.equal(baseline.size, pids.length);
    let faultsSeen = 0;
    for (let seed = 1; seed <= MIXES; seed++) {
      const sampler = new ProcSampler(options);
      sampler.pollSync({ threads: 'all', threadStatus: true });
      const fs = new FaultyProcFs(root, mulberry32(seed), 0.12);
      const snap = withFaults(fs, () => sampler.pollSync({ threads: 'all', threadStatus: true }));
      const affected = fs.affectedPids();
      faultsSeen += fs.hits.size;
      const got = byPid(snap);
      for (const pid of pids) {
        if (!affected.has(pid)) assert.deepEqual(got.get(pid), baseline.get(pid), `seed ${seed}: untouched pid ${pid}`);
      }
      for (const p of snap.processes) {
        for (const field of ['uid', 'euid', 'exe', 'cmdline', 'voluntaryCtxtSwitches', 'nonvoluntaryCtxtSwitches'] as const) {
          if (p[field] === null) assert.ok(p.unavailable?.[field], `seed ${seed}: pid ${p.pid} ${field} is null without a reason`);
        }
        const exeErr = fs.errnoAt(p.pid, 'exe');
        if (exeErr) assert.match(p.unavailable?.exe ?? '', new RegExp(exeErr), `seed ${seed}: pid ${p.pid} exe`);
        const cmdErr = fs.errnoAt(p.pid, 'cmdline');
        if (cmdErr) assert.match(p.unavailable?.cmdline ?? '', new RegExp(cmdErr), `seed ${seed}: pid ${p.pid} cmdline`);
        const statusErr = fs.errnoAt(p.pid, 'status');
        if (statusErr) assert.match(p.unavailable?.uid ?? '', new RegExp(statusErr), `seed ${seed}: pid ${p.pid} status`);
      }
      // A process whose stat failed with an unexpected errno is left out and counted, with the errno.
      for (const pid of pids) {
        const statErr = fs.errnoAt(pid, 'stat');
        if (statErr && !got.has(pid)) {
          assert.ok(
            snap.hidden?.some((h) => h.unit === 'processes' && h.reason.startsWith(statErr)),
            `seed ${seed}: pid ${pid} stat ${statErr} not counted`,
          );
        }
      }
      const recovered = byPid(sampler.pollSync({ threads: 'all', threadStatus: true }));
      assert.deepEqual(recovered, baseline, `seed ${seed}: a clean poll after the faults`);
      sampler.dispose();
    }
    assert.ok(faultsSeen > MIXES, `faults reached the readers (${faultsSeen})`);
  });

  it('detail: completes (or ends with a ProcScopeError for an unreadable stat), untouched processes are exact, touched fields say why', () => {
    const baseline = new Map(pids.map((pid) => [pid, detailOrError(pid)]));
    for (let seed = 1; seed <= MIXES; seed++) {
      const fs = new FaultyProcFs(root, mulberry32(seed * 7919), 0.1);
      for (const pid of pids) {
        const before = fs.hits.size;
        const d = withFaults(fs, () => detailOrError(pid));
        const touched = fs.hits.size > before || fs.affectedPids().has(pid);
        if (!touched) {
          assert.deepEqual(d, baseline.get(pid), `seed ${seed}: untouched pid ${pid}`);
          continue;
        }
        if (d instanceof ProcScopeError) {
          assert.ok(
            fs.hits.has(`${root}/${pid}/stat`) || fs.hits.has(`${root}/${pid}/status`),
            `seed ${seed}: pid ${pid} failed without a stat/status fault: ${d.message}`,
          );
          continue;
        }
        for (const field of DETAIL_FIELDS) {
          if (d[field] === null) assert.ok(d.unavailable[field], `seed ${seed}: pid ${pid} ${field} is null without a reason`);
        }
        for (const [field, file] of [
          ['exe', 'exe'],
          ['cwd', 'cwd'],
          ['root', 'root'],
          ['cmdline', 'cmdline'],
          ['limits', 'limits'],
          ['io', 'io'],
          ['memoryMap', 'maps'],
          ['fds', 'fd'],
        ] as const) {
          const e = fs.errnoAt(pid, file);
          if (e) assert.match(d.unavailable[field] ?? '', new RegExp(e), `seed ${seed}: pid ${pid} ${field} after ${e}`);
        }
      }
    }
  });

  it('IPC scan and locks: complete, untouched processes keep their endpoints, fd failures are reported', () => {
    const scan = (maps: 'always' | 'never'): IpcMap => scanIpcSync({ procRoot: root, useSs: false, maps, mapsMaxAgeMs: 0, anonInfo: true });
    const baseIpc = endpointsByPid(scan('always'));
    const baseLocks = scan('never')
      .channels.filter((c) => c.kind === 'lock')
      .map((c) => c.id)
      .sort();
    assert.ok(baseIpc.size > 0, 'the clean scan found endpoints');
    for (let seed = 1; seed <= MIXES; seed++) {
      const fs = new FaultyProcFs(root, mulberry32(seed * 104729), 0.15);
      const map = withFaults(fs, () => scan('always'));
      const affected = fs.affectedPids();
      const got = endpointsByPid(map);
      for (const [pid, list] of baseIpc) {
        if (!affected.has(pid)) assert.deepEqual(got.get(pid) ?? [], list, `seed ${seed}: untouched pid ${pid}`);
      }
      for (const pid of pids) {
        const e = fs.errnoAt(pid, 'fd');
        if (e) {
          assert.ok(map.unavailablePids.includes(pid), `seed ${seed}: pid ${pid} fd/ ${e} not listed as unavailable`);
          assert.ok(
            map.warnings.some((w) => w.includes(e)),
            `seed ${seed}: no warning names ${e}`,
          );
        }
      }
      const locks = withFaults(new FaultyProcFs(root, mulberry32(seed * 31), 0.15), () => scan('never'));
      // /proc/locks itself is not faulted: every lock is still there.
      assert.deepEqual(
        locks.channels
          .filter((c) => c.kind === 'lock')
          .map((c) => c.id)
          .sort(),
        baseLocks,
        `seed ${seed}: locks`,
      );
    }
  });
});

describe('a pid reused within one clock tick', () => {
  /** Fails reads through files opened before it was put in place (the sampler's kept-open stat files) with ESRCH, as the kernel does once their process is reaped; reads by path succeed. */
  class ReapedProcFs implements ProcFs {
    private readonly fresh = new Set<number>();
    constructor(private readonly pid: number) {}
    openSync(path: string, flags: 'r'): number {
      const fd = nodeProcFs.openSync(path, flags);
      this.fresh.add(fd);
      return fd;
    }
    readSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number | null): number {
      if (!this.fresh.has(fd) && nodeReadlink(`/proc/self/fd/${fd}`).endsWith(`/${this.pid}/stat`))
        throw errnoError('ESRCH', 'read', String(fd));
      return nodeProcFs.readSync(fd, buffer, offset, length, position);
    }
    closeSync(fd: number): void {
      this.fresh.delete(fd);
      nodeProcFs.closeSync(fd);
    }
    readlinkBuffer(path: string): Buffer {
      return nodeProcFs.readlinkBuffer(path);
    }
    readdirSync(path: string): string[] {
      return nodeProcFs.readdirSync(path);
    }
    readFileSync(path: string): Buffer {
      return nodeProcFs.readFileSync(path);
    }
    statSync(path: string | Buffer): import('node:fs').Stats {
      return nodeProcFs.statSync(path);
    }
    lstatSync(path: string): import('node:fs').Stats {
      return nodeProcFs.lstatSync(path);
    }
    statfsSync(path: string): import('node:fs').StatsFs {
      return nodeProcFs.statfsSync(path);
    }
  }

  it("gives the process found at the pid after its predecessor's file failed a new key: pid@start+1, then +2", () => {
    const sampler = new ProcSampler({ procRoot: root });
    const pid = 19923;
    const key0 = sampler.pollSync().processes.find((p) => p.pid === pid)!.key;
    const start = parseProcessKey(key0)!.startTicks;
    assert.equal(key0, `${pid}@${start}`);
    assert.equal(
      withFaults(new ReapedProcFs(pid), () => sampler.pollSync()).processes.find((p) => p.pid === pid)!.key,
      `${pid}@${start}+1`,
    );
    assert.equal(sampler.pollSync().processes.find((p) => p.pid === pid)!.key, `${pid}@${start}+1`, 'the new incarnation keeps its key');
    assert.equal(
      withFaults(new ReapedProcFs(pid), () => sampler.pollSync()).processes.find((p) => p.pid === pid)!.key,
      `${pid}@${start}+2`,
    );
    const others = sampler.pollSync().processes.filter((p) => p.pid !== pid);
    assert.ok(
      others.every((p) => !p.key.includes('+')),
      'other processes keep their keys',
    );
    sampler.dispose();
  });

  it('an errno other than ESRCH/ENOENT on a kept-open file is no new incarnation', () => {
    const sampler = new ProcSampler({ procRoot: root });
    const pid = 19923;
    const key0 = sampler.pollSync().processes.find((p) => p.pid === pid)!.key;
    class EioOnKept extends ReapedProcFs {
      override readSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number | null): number {
        try {
          return super.readSync(fd, buffer, offset, length, position);
        } catch {
          throw errnoError('EIO', 'read', String(fd));
        }
      }
    }
    assert.equal(withFaults(new EioOnKept(pid), () => sampler.pollSync()).processes.find((p) => p.pid === pid)!.key, key0);
    sampler.dispose();
  });

  it('parses keys with and without the suffix', () => {
    assert.deepEqual(parseProcessKey('12@345'), { pid: 12, startTicks: 345, incarnation: 0 });
    assert.deepEqual(parseProcessKey('12@345+2'), { pid: 12, startTicks: 345, incarnation: 2 });
    assert.equal(processKey(12, 345, 0), '12@345');
    assert.equal(processKey(12, 345, 1), '12@345+1');
    for (const bad of ['12', '12@', '@3', '12@3+', '12@3+x', 'a@1']) assert.equal(parseProcessKey(bad), undefined, bad);
  });
});

describe('a process with a zombie leader', () => {
  it('takes the state of its most active live thread', () => {
    const t = (state: StateLetter): { state: StateLetter } => ({ state });
    assert.equal(mostActive([t('S'), t('R'), t('D')])!.state, 'R');
    assert.equal(mostActive([t('S'), t('D')])!.state, 'D');
    assert.equal(mostActive([t('T'), t('S')])!.state, 'S');
    assert.equal(mostActive([]), undefined);
  });
});

describe('real file-system faults in a copied fixture tree (no seam)', () => {
  it('EISDIR, ELOOP, EINVAL and ENOTDIR on one file each leave that field unavailable with the errno', () => {
    const tree = mkdtempSync(join(tmpdir(), 'procscope-fsfaults-'));
    try {
      cpSync(root, tree, { recursive: true, verbatimSymlinks: true });
      const replace = (rel: string, make: (path: string) => void): void => {
        rmSync(join(tree, rel), { recursive: true, force: true });
        make(join(tree, rel));
      };
      replace('19923/cmdline', (p) => mkdirSync(p)); // read: EISDIR
      replace('19923/status', (p) => symlinkSync('status', p)); // a symlink to itself: ELOOP
      replace('8397/exe', (p) => writeFileSync(p, 'x')); // readlink of a regular file: EINVAL
      replace('8397/cwd', (p) => writeFileSync(p, 'x'));
      replace('8397/fd/3', (p) => writeFileSync(p, 'x'));
      replace('8397/maps', (p) => mkdirSync(p));
      replace('19881/task', (p) => writeFileSync(p, 'x')); // readdir: ENOTDIR

      const sampler = new ProcSampler({ procRoot: tree });
      const snap = sampler.pollSync({ threads: 'all' });
      sampler.dispose();
      const get = (pid: number): ProcessInfo => snap.processes.find((p) => p.pid === pid)!;
      assert.equal(snap.processes.length, pids.length, 'every process is still listed');
      assert.equal(get(19923).cmdline, null);
      assert.match(get(19923).unavailable!.cmdline!, /^EISDIR/);
      assert.equal(get(19923).uid, null);
      assert.match(get(19923).unavailable!.uid!, /^ELOOP/);
      assert.equal(get(8397).exe, null);
      assert.match(get(8397).unavailable!.exe!, /^EINVAL/);
      assert.match(get(19881).unavailable!.threads!, /^ENOTDIR/);

      const d = readProcessDetail(8397, { procRoot: tree });
      assert.match(d.unavailable.exe!, /EINVAL/);
      assert.match(d.unavailable.cwd!, /EINVAL/);
      assert.match(d.unavailable.memoryMap!, /EISDIR/);
      const fd3 = d.fds!.find((f) => f.fd === 3)!;
      assert.equal(fd3.target, '');
      assert.match(fd3.unavailable!, /EINVAL/);
      assert.deepEqual(
        d.fds!.filter((f) => f.fd !== 3),
        (baselineDetail(8397).fds ?? []).filter((f) => f.fd !== 3),
        'the other fds are intact',
      );

      const map = scanIpcSync({ procRoot: tree, useSs: false, maps: 'always', mapsMaxAgeMs: 0 });
      assert.ok(
        map.warnings.some((w) => w.includes('EINVAL')),
        map.warnings.join('\n'),
      );
      assert.ok(
        map.warnings.some((w) => w.includes('EISDIR')),
        map.warnings.join('\n'),
      );
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  });
});

function baselineDetail(pid: number): ProcessDetail {
  return readProcessDetail(pid, { procRoot: root });
}
