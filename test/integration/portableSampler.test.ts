// The portable backend (macOS, Windows; on Linux when asked for) on this machine's real `ps`: ps-list lists
// every process; when it cannot run, pidtree still lists the tree (pids and parents), and when neither can,
// the poll fails with ps-list's error.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { PortableSampler } from '../../src/core/portable/portableSampler';
import { python, type Started } from './helpers';

const started: Started[] = [];
after(async () => {
  for (const s of started) await s.kill();
});

async function child(): Promise<Started> {
  const s = await python('import time\nprint("ready", flush=True)\ntime.sleep(60)');
  started.push(s);
  return s;
}

const realDescribe = async () => (await import('ps-list')).default({ all: true });
const realLink = async () => (await import('pidtree')).default(-1, { advanced: true }) as Promise<{ pid: number; ppid: number }[]>;
const refuse = async (): Promise<never> => {
  throw new Error('spawn ps ENOENT');
};

describe('PortableSampler', () => {
  it('lists a process this test started, with its parent, name and command line from ps-list', async () => {
    const s = await child();
    const snap = await new PortableSampler().poll();
    const p = snap.processes.find((x) => x.pid === s.pid);
    assert.ok(p, 'the child is listed');
    assert.equal(p.ppid, process.pid);
    assert.match(p.name, /^python/);
    assert.equal(p.cmdline?.length, 1);
    assert.match(p.cmdline![0]!, /time\.sleep\(60\)/);
    assert.deepEqual(Object.keys(snap.inexactFields ?? {}), ['name', 'cmdline', 'uid', 'user']);
  });

  it('lists the tree through pidtree when ps-list cannot run, with names marked unavailable', async () => {
    const s = await child();
    const snap = await new PortableSampler({ describe: refuse, link: realLink }).poll();
    const p = snap.processes.find((x) => x.pid === s.pid);
    assert.ok(p, 'the child is listed by pidtree');
    assert.equal(p.ppid, process.pid);
    assert.equal(p.name, '');
    assert.match(p.unavailable?.name ?? '', /listed by pidtree only \(no details from ps-list: .*spawn ps ENOENT/);
    assert.equal(p.cmdline, null);
  });

  it("fails the poll with ps-list's error when neither can list", async () => {
    await assert.rejects(new PortableSampler({ describe: refuse, link: refuse }).poll(), /spawn ps ENOENT/);
  });

  it('runs pidtree only when ps-list fails', async () => {
    let links = 0;
    const counted = async () => {
      links++;
      return realLink();
    };
    await new PortableSampler({ describe: realDescribe, link: counted }).poll();
    assert.equal(links, 0);
  });
});

describe('PortableSampler with odd listings', () => {
  const at = new Date(Date.now() - 60_000);
  const fixed = (entries: unknown[]) => ({ describe: async () => entries, link: refuse });

  it('leaves out pids that are not positive integers and keeps the first entry of a pid listed twice', async () => {
    const snap = await new PortableSampler(
      fixed([
        { pid: 0, ppid: 0, name: '[System Process]' },
        { pid: Number.NaN, ppid: 1, name: 'nan' },
        { pid: -1, ppid: 1, name: 'negative' },
        { pid: 1.5, ppid: 1, name: 'fraction' },
        { pid: 2 ** 53, ppid: 1, name: 'huge' },
        { pid: '12', ppid: 1, name: 'string pid' },
        null,
        'not an entry',
        { pid: 10, ppid: 1, name: 'first', cmd: 'first --x', uid: 0, startTime: at },
        { pid: 10, ppid: 20, name: 'second', cmd: 'second', uid: 5, startTime: new Date() },
        { pid: 11, ppid: 11, name: 'own parent' },
        { pid: 12, ppid: -5, name: 'bad parent', cmd: 7, uid: -1, startTime: 'yesterday' },
        { pid: 13, ppid: 1, name: { html: '<b>' }, startTime: new Date(Number.NaN) },
      ]),
    ).poll();
    assert.deepEqual(
      snap.processes.map((p) => p.pid),
      [10, 11, 12, 13],
    );
    const first = snap.processes[0]!;
    assert.deepEqual([first.ppid, first.name, first.cmdline, first.uid, first.startTime], [1, 'first', ['first --x'], 0, at.getTime()]);
    assert.equal(snap.processes[1]!.ppid, 0, 'a process named as its own parent is a root');
    const bad = snap.processes[2]!;
    assert.deepEqual([bad.ppid, bad.cmdline, bad.uid, bad.startTime], [0, null, null, 0]);
    assert.ok('uid' in bad.unavailable! && 'startTime' in bad.unavailable! && 'cmdline' in bad.unavailable!);
    assert.equal(snap.processes[3]!.name, '');
    // Every key has the shape keys have everywhere (a recording of this snapshot can be read back).
    for (const p of snap.processes) assert.match(p.key, /^[1-9]\d*@\d+$/);
  });

  it('gives a pid a new key when, with no start time given, it comes back with another name or parent or after a gap', async () => {
    let listing: unknown[] = [];
    const sampler = new PortableSampler({ describe: async () => listing, link: refuse });
    const keyOf = async (): Promise<string | undefined> => (await sampler.poll()).processes.find((p) => p.pid === 1000)?.key;
    listing = [{ pid: 1000, ppid: 4, name: 'old.exe' }];
    const first = await keyOf();
    assert.equal(await keyOf(), first, 'the same process keeps its key');
    listing = [{ pid: 1000, ppid: 4, name: 'unrelated.exe' }];
    const renamed = await keyOf();
    assert.notEqual(renamed, first);
    listing = [{ pid: 1000, ppid: 8, name: 'unrelated.exe' }];
    const reparented = await keyOf();
    assert.notEqual(reparented, renamed);
    // A poll that only pidtree answers (no names) is no reason to take the process for another.
    let failing = true;
    const flaky = new PortableSampler({
      describe: async () => {
        if (failing) throw new Error('spawn ps EAGAIN');
        return [{ pid: 2000, ppid: 4, name: 'steady.exe' }];
      },
      link: async () => [{ pid: 2000, ppid: 4 }],
    });
    failing = false;
    const steady = (await flaky.poll()).processes[0]!.key;
    failing = true;
    assert.equal((await flaky.poll()).processes[0]!.key, steady, 'pidtree only: same key');
    failing = false;
    assert.equal((await flaky.poll()).processes[0]!.key, steady, 'ps-list back: same key');
    listing = [];
    assert.equal(await keyOf(), undefined);
    listing = [{ pid: 1000, ppid: 8, name: 'unrelated.exe' }];
    const back = await keyOf();
    assert.ok(back !== reparented && back !== renamed && back !== first, 'a pid seen again after a gap is a new process');
  });

  it('says what is missing when ps cannot be started, and gives up on a lister that does not answer', async () => {
    const enoent = async (): Promise<never> => {
      throw Object.assign(new Error('spawn ps ENOENT'), { code: 'ENOENT' });
    };
    await assert.rejects(new PortableSampler({ describe: enoent, link: enoent }).poll(), /needs the `ps` command.*not found/);
    let started = 0;
    const never = () => {
      started++;
      return new Promise<never>(() => undefined);
    };
    const hung = new PortableSampler({ describe: never, link: never }, 200);
    await assert.rejects(hung.poll(), /ps-list gave no answer in 0\.2 s/);
    // The next poll waits on the same hung listings instead of starting two more.
    await assert.rejects(hung.poll(), /ps-list gave no answer in 0\.2 s/);
    assert.equal(started, 2, 'one ps-list and one pidtree listing in all');
    await assert.rejects(
      new PortableSampler({ describe: async () => ({}) as unknown as unknown[], link: refuse }).poll(),
      /ps-list gave no list/,
    );
  });
});
