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
    assert.deepEqual(Object.keys(snap.inexactFields ?? {}), ['name', 'cmdline']);
  });

  it('lists the tree through pidtree when ps-list cannot run, with names marked unavailable', async () => {
    const s = await child();
    const snap = await new PortableSampler({ describe: refuse, link: realLink }).poll();
    const p = snap.processes.find((x) => x.pid === s.pid);
    assert.ok(p, 'the child is listed by pidtree');
    assert.equal(p.ppid, process.pid);
    assert.equal(p.name, '');
    assert.match(p.unavailable?.name ?? '', /listed by pidtree only/);
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
