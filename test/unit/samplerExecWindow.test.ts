// exec gives a process its new name before it builds the new program's stack: a read between the two sees the
// new name with an empty argv. On a procfs-like tree the test writes itself, the sampler must read such an
// empty argv again at the next poll, not keep it until its slow refresh; a kernel thread's empty argv stays.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { PF_KTHREAD } from '../../src/core/procfs/stat';
import { ProcSampler } from '../../src/core/sampler';
import { statLine, statusText } from './procTreeFixture';

const root = mkdtempSync(join(tmpdir(), 'procscope-execwindow-'));
after(() => rmSync(root, { recursive: true, force: true }));

function proc(pid: number, name: string, flags: number, cmdline: string): void {
  const dir = join(root, String(pid));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'stat'), statLine(pid, name, 'S', { flags, ppid: flags & PF_KTHREAD ? 2 : 1 }));
  writeFileSync(join(dir, 'status'), statusText(name, 0, flags & PF_KTHREAD ? null : 1000));
  writeFileSync(join(dir, 'cmdline'), cmdline);
}

test("an empty argv of a user process is read again at the next poll; a kernel thread's stays", () => {
  const boot = Math.floor(Date.now() / 1000) - 86400;
  writeFileSync(join(root, 'stat'), `cpu  1 2 3 4\nbtime ${boot}\n`);
  writeFileSync(join(root, 'uptime'), '86400.00 100.00\n');
  writeFileSync(join(root, 'loadavg'), '0.00 0.01 0.05 1/400 999\n');
  proc(700, 'sleep', 0x400100, ''); // caught between exec's new name and its new stack
  proc(2, 'kthreadd', PF_KTHREAD, '');
  const sampler = new ProcSampler({ procRoot: root });
  try {
    const first = sampler.pollSync();
    const user = (s: typeof first) => s.processes.find((p) => p.pid === 700)!;
    const kthread = (s: typeof first) => s.processes.find((p) => p.pid === 2)!;
    assert.deepEqual(user(first).cmdline, []);
    assert.deepEqual(kthread(first).cmdline, []);
    // The exec finishes: its argv is on the stack. Nothing else in the process changed (same stat bytes).
    writeFileSync(join(root, '700', 'cmdline'), 'sleep\u000029\u0000');
    writeFileSync(join(root, '2', 'cmdline'), 'never\u0000');
    const second = sampler.pollSync();
    assert.deepEqual(user(second).cmdline, ['sleep', '29'], 'read again at once, not at the 10 s refresh');
    assert.deepEqual(kthread(second).cmdline, [], "a kernel thread's empty argv is not read again before the refresh");
    // Once read, the argv stands until the slow refresh as before.
    writeFileSync(join(root, '700', 'cmdline'), 'other\u0000');
    assert.deepEqual(user(sampler.pollSync()).cmdline, ['sleep', '29']);
  } finally {
    sampler.dispose();
  }
});
