// The incremental IPC scan (src/core/ipc/fdTables.ts) against a fresh full scan, on a real process that
// reuses the same fd numbers for other objects between scans (test/integration/programs/ipc/fdswap.c).
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { IpcScanner, type ScanOptions } from '../../src/core/ipc/scan';
import type { IpcMap } from '../../src/core/ipc/model';

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
  const waiting: (() => void)[] = [];
  let ready: () => void = () => {};
  const started = new Promise<void>((resolve) => (ready = resolve));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    let nl;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (line === 'ready') ready();
      else if (line === 'ok') waiting.shift()?.();
    }
  });
  await started;
  return {
    pid: child.pid!,
    send: (command) =>
      new Promise<void>((resolve, reject) => {
        waiting.push(resolve);
        child.once('exit', (code) => reject(new Error(`fdswap exited ${code} at "${command}"`)));
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
