// The incremental IPC scan (src/core/ipc/fdTables.ts, and the shared mappings in sharedMemory.ts) against a
// fresh full scan, on a real process that reuses the same fd numbers for other objects between scans and maps
// and unmaps shared pages (test/integration/programs/ipc/fdswap.c).
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { IpcScanner, type ScanOptions } from '../../src/core/ipc/scan';
import type { KnownProcess } from '../../src/core/ipc/scanner';
import type { IpcMap } from '../../src/core/ipc/model';
import { MAPS_UNCHANGED_FACTOR } from '../../src/core/ipc/sharedMemory';
import { ProcSampler } from '../../src/core/sampler';

let dir: string;
let binary: string;
const shmNames: string[] = [];

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'procscope-fdswap-'));
  binary = join(dir, 'fdswap');
  const cc = spawnSync('cc', ['-O1', '-pthread', '-o', binary, join(__dirname, 'programs', 'ipc', 'fdswap.c'), '-lrt'], {
    encoding: 'utf8',
  });
  if (cc.status !== 0) throw new Error(`cc failed: ${cc.stderr}`);
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
  for (const name of shmNames) rmSync(`/dev/shm${name}`, { force: true });
});

interface Swapper {
  readonly pid: number;
  send(command: string): Promise<void>;
  stop(): void;
}

async function startSwapper(threaded: boolean): Promise<Swapper> {
  const child: ChildProcessWithoutNullStreams = spawn(binary, threaded ? ['thread'] : [], { stdio: 'pipe' });
  let buffered = '';
  // Each command waits for its "ok"; if the program exits first, every command still waiting fails with it.
  const waiting: { command: string; resolve: () => void; reject: (error: Error) => void }[] = [];
  let ready: () => void = () => {};
  const started = new Promise<void>((resolve) => (ready = resolve));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    let nl;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (line === 'ready') ready();
      else if (line === 'ok') waiting.shift()?.resolve();
    }
  });
  child.once('exit', (code) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`fdswap exited ${code} at "${w.command}"`));
  });
  await started;
  return {
    pid: child.pid!,
    send: (command) =>
      new Promise<void>((resolve, reject) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          reject(new Error(`fdswap has exited (${child.exitCode ?? child.signalCode}) before "${command}"`));
          return;
        }
        waiting.push({ command, resolve, reject });
        child.stdin.write(`${command}\n`);
      }),
    stop: () => child.kill('SIGKILL'),
  };
}

/**
 * What the scan says about this process: its channels (system tables are read whole, and other processes' locks
 * and segments come and go between two scans) and whether it was readable.
 */
function comparable(map: IpcMap, pid: number): unknown {
  return {
    channels: map.channels.filter((c) => c.endpoints.some((e) => e.pid === pid)),
    unavailable: map.unavailablePids.includes(pid),
  };
}

function scanOptions(pid: number, recheck?: number): ScanOptions {
  return { pids: [pid], maps: 'always', mapsMaxAgeMs: 0, ssMaxAgeMs: 0, ...(recheck !== undefined ? { fdRecheckScans: recheck } : {}) };
}

/** Commands that reuse fds 5, 6 and 7 for other objects, most of them without changing the fd count. */
function steps(tag: string): string[] {
  const shm = `/psfdswap${process.pid}${tag}`;
  shmNames.push(shm);
  const fifo = join(dir, `fifo${tag}`);
  return [
    'pipe 5 6',
    'pipe 5 6', // both ends replaced by a new pipe: same numbers, same count
    'sock 5 6',
    `fifo 5 ${fifo}`,
    `shm 6 ${shm}`,
    'eventfd 5',
    'close 6',
    'pipe 6 7',
    'sock 6 7',
    'move 7 8', // the same count on other numbers: fd 7 is gone, fd 8 new
    'move 8 7',
    'close 5',
    `fifo 5 ${fifo}`,
    'pipe 5 6',
  ];
}

function endpointsAt(map: IpcMap, pid: number): string[] {
  return map.channels.flatMap((c) => c.endpoints.filter((e) => e.pid === pid).map((e) => `${e.fd}:${c.kind}:${c.id}`)).sort();
}

describe('incremental IPC scan', () => {
  test('equals a fresh full scan after every change, and reuses the listing when nothing changed', async (t) => {
    const swapper = await startSwapper(false);
    t.after(() => swapper.stop());
    const incremental = new IpcScanner();
    t.after(() => incremental.dispose());
    incremental.scan(scanOptions(swapper.pid));
    let previous: string[] = [];
    let sameNumbers = 0;
    for (const command of steps('a')) {
      await swapper.send(command);
      const warm = incremental.scan(scanOptions(swapper.pid));
      const fresh = new IpcScanner().scan(scanOptions(swapper.pid, 1));
      assert.deepEqual(comparable(warm, swapper.pid), comparable(fresh, swapper.pid), `after "${command}"`);
      const now = endpointsAt(warm, swapper.pid);
      assert.notDeepEqual(now, previous, `"${command}" shows in the map`);
      previous = now;
      assert.equal(incremental.lastFdListing.listed, 1, `"${command}": the table was read again`);
      sameNumbers += incremental.lastFdListing.sameNumbers;
      // Nothing changed since: the listing is reused (unless this pid's periodic full read falls due) and the
      // map is still the same as a fresh scan's.
      const again = incremental.scan(scanOptions(swapper.pid));
      assert.deepEqual(
        comparable(again, swapper.pid),
        comparable(new IpcScanner().scan(scanOptions(swapper.pid, 1)), swapper.pid),
        `again after "${command}"`,
      );
      const { listed, reused } = incremental.lastFdListing;
      assert.equal(listed + reused, 1);
    }
    // Across the run most unchanged scans reused the table: the change signal is not "always changed".
    let reused = 0;
    for (let i = 0; i < 6; i++) {
      incremental.scan(scanOptions(swapper.pid));
      reused += incremental.lastFdListing.reused;
    }
    assert.ok(reused >= 4, `reused ${reused} of 6 idle scans`);
    // Changes that kept the count were read by the numbers listed before, without listing fd/ (a moved fd
    // made that walk list anew, and the map still equalled a fresh scan's above).
    assert.ok(sameNumbers > 0, `tables read by their earlier numbers: ${sameNumbers}`);
  });

  test('a change made by a thread while the leader sleeps shows within fdRecheckScans scans', async (t) => {
    const swapper = await startSwapper(true);
    t.after(() => swapper.stop());
    const recheck = 4;
    const incremental = new IpcScanner();
    t.after(() => incremental.dispose());
    incremental.scan(scanOptions(swapper.pid, recheck));
    for (const command of steps('b')) {
      await swapper.send(command);
      const fresh = comparable(new IpcScanner().scan(scanOptions(swapper.pid, 1)), swapper.pid);
      let scans = 0;
      let warm: unknown;
      do {
        warm = comparable(incremental.scan(scanOptions(swapper.pid, recheck)), swapper.pid);
        scans++;
      } while (scans < recheck && JSON.stringify(warm) !== JSON.stringify(fresh));
      assert.deepEqual(warm, fresh, `after "${command}": still stale after ${scans} scans`);
    }
  });
});

/** The sampler's word on one process, as the panel's worker passes its newest tick's (name, identity, size). */
function knownOf(sampler: ProcSampler, pid: number): Map<number, KnownProcess> {
  const p = sampler.pollSync({ threads: [] }).processes.find((q) => q.pid === pid);
  assert.ok(p, `the sampler sees ${pid}`);
  return new Map([[pid, { name: p.name, key: p.key, vsize: p.vsize }]]);
}

function mapsOptions(pid: number, known: Map<number, KnownProcess>, mapsMaxAgeMs: number): ScanOptions {
  return { pids: [pid], maps: 'auto', mapsMaxAgeMs, ssMaxAgeMs: 0, knownProcesses: known };
}

/** A scan that reads everything anew, to compare with. */
function freshScan(pid: number): IpcMap {
  const scanner = new IpcScanner();
  try {
    return scanner.scan({ pids: [pid], maps: 'always', mapsMaxAgeMs: 0, ssMaxAgeMs: 0, fdRecheckScans: 1 });
  } finally {
    scanner.dispose();
  }
}

function mappedPaths(map: IpcMap, pid: number): string[] {
  return map.channels
    .filter((c) => c.kind === 'posix-shm' && c.endpoints.some((e) => e.pid === pid && e.fd === null))
    .map((c) => c.label)
    .sort();
}

/**
 * A threaded fdswap (its leader sleeps in pause(), so the leader's run never says that its mappings changed)
 * holding two POSIX shm files at fds 5 and 6 and mapping a page of the first; a sampler and a scanner for it.
 */
async function mappingSwapper(t: TestContext, tag: string) {
  const swapper = await startSwapper(true);
  t.after(() => swapper.stop());
  const sampler = new ProcSampler();
  t.after(() => sampler.dispose());
  const scanner = new IpcScanner();
  t.after(() => scanner.dispose());
  const first = `/psmaps${process.pid}${tag}1`;
  const second = `/psmaps${process.pid}${tag}2`;
  shmNames.push(first, second);
  await swapper.send(`shm 5 ${first}`);
  await swapper.send(`shm 6 ${second}`);
  await swapper.send('map 5');
  return { swapper, sampler, scanner, first, second };
}

describe('incremental shared mappings', () => {
  test('kept past their age while nothing can have changed them; read again when the size moves, a mapped file goes or the pid is another process', async (t) => {
    const { swapper, sampler, scanner, first, second } = await mappingSwapper(t, 'a');
    // Each scan comes after mapsMaxAgeMs, so only mapsUnchanged can keep an answer (and well inside its bound).
    const maxAge = 400;
    const scan = async (known?: Map<number, KnownProcess>): Promise<IpcMap> => {
      await delay(maxAge + 20);
      return scanner.scan(mapsOptions(swapper.pid, known ?? knownOf(sampler, swapper.pid), maxAge));
    };
    const sameAsFresh = (map: IpcMap, what: string): void =>
      assert.deepEqual(comparable(map, swapper.pid), comparable(freshScan(swapper.pid), swapper.pid), what);

    let map = await scan();
    assert.equal(scanner.lastMaps.read, 1, 'first sight: read');
    assert.deepEqual(mappedPaths(map, swapper.pid), [`POSIX shm /dev/shm${first}`]);
    sameAsFresh(map, 'after map 5');

    map = await scan();
    assert.deepEqual(scanner.lastMaps, { read: 0, young: 0, unchanged: 1 }, 'nothing changed: kept');
    sameAsFresh(map, 'unchanged');

    // The thread maps another page: the fd count and the leader stay the same, the size moves.
    await swapper.send('map 6');
    map = await scan();
    assert.equal(scanner.lastMaps.read, 1, 'the size moved: read again');
    assert.deepEqual(mappedPaths(map, swapper.pid), [`POSIX shm /dev/shm${first}`, `POSIX shm /dev/shm${second}`]);
    sameAsFresh(map, 'after map 6');
    await scan();
    assert.equal(scanner.lastMaps.unchanged, 1);

    await swapper.send('unmap');
    map = await scan();
    assert.equal(scanner.lastMaps.read, 1, 'the size moved back: read again');
    assert.deepEqual(mappedPaths(map, swapper.pid), [`POSIX shm /dev/shm${first}`]);
    sameAsFresh(map, 'after unmap');

    // Another process removes the mapped file: the process did not run, yet maps now says "(deleted)".
    await scan();
    assert.equal(scanner.lastMaps.unchanged, 1);
    rmSync(`/dev/shm${first}`);
    map = await scan();
    assert.equal(scanner.lastMaps.read, 1, 'the mapped file is gone: read again');
    assert.ok(
      map.channels.some((c) => c.kind === 'posix-shm' && c.deleted === true && c.endpoints.some((e) => e.pid === swapper.pid)),
      `the mapping shows as deleted: ${JSON.stringify(mappedPaths(map, swapper.pid))}`,
    );
    sameAsFresh(map, 'after the file was removed');

    // The sampler says this pid is another process now (another start time): its old answer is not used.
    await scan();
    assert.equal(scanner.lastMaps.unchanged, 1);
    const known = knownOf(sampler, swapper.pid);
    const real = known.get(swapper.pid)!;
    await scan(new Map([[swapper.pid, { ...real, key: `${swapper.pid}@1` }]]));
    assert.equal(scanner.lastMaps.read, 1, 'another identity: read again');
  });

  test('a same-size swap by a thread while the leader sleeps shows within MAPS_UNCHANGED_FACTOR × mapsMaxAgeMs', async (t) => {
    const { swapper, sampler, scanner, first, second } = await mappingSwapper(t, 'b');
    const maxAge = 1000;
    const scan = (): IpcMap => scanner.scan(mapsOptions(swapper.pid, knownOf(sampler, swapper.pid), maxAge));
    scan();
    const readAt = Date.now();
    await delay(maxAge + 50);
    scan();
    assert.equal(scanner.lastMaps.unchanged, 1, 'past its age and unchanged: kept');

    // One page of the first file becomes one page of the second: no signal moves.
    await swapper.send('remap 6');
    const stale = scan();
    const fresh = freshScan(swapper.pid);
    assert.deepEqual(mappedPaths(fresh, swapper.pid), [`POSIX shm /dev/shm${second}`]);
    if (Date.now() - readAt < maxAge * MAPS_UNCHANGED_FACTOR - 500) {
      assert.deepEqual(mappedPaths(stale, swapper.pid), [`POSIX shm /dev/shm${first}`], 'the swap is not seen at once: the gap is real');
    }
    let warm = stale;
    while (
      Date.now() - readAt < maxAge * MAPS_UNCHANGED_FACTOR + 1000 &&
      mappedPaths(warm, swapper.pid)[0] !== `POSIX shm /dev/shm${second}`
    ) {
      await delay(250);
      warm = scan();
    }
    assert.deepEqual(mappedPaths(warm, swapper.pid), [`POSIX shm /dev/shm${second}`], 'seen within the bound');
    assert.deepEqual(comparable(warm, swapper.pid), comparable(freshScan(swapper.pid), swapper.pid));
  });
});
