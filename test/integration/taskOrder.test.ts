// Threads in the kernel's order, as ps prints them. After the pid counter wraps, a thread created later can
// have a smaller id than an older one; /proc/PID/task lists the thread group in creation order (leader first),
// while fs.readdirSync sorts names as strings. Made real in a pid namespace of its own: its counter is set
// with /proc/sys/kernel/ns_last_pid so that the leader is 500, its first thread 501 and its second 100.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = join(__dirname, '..', '..');

const PYTHON = `
import os, sys, threading, time, subprocess
def set_last(n):
    with open('/proc/sys/kernel/ns_last_pid', 'w') as f:
        f.write(str(n))
r, w = os.pipe()
r2, w2 = os.pipe()
set_last(499)
pid = os.fork()
if pid == 0:
    ev = threading.Event()
    threading.Thread(target=ev.wait, name='older', daemon=True).start()
    os.write(w2, b'1')
    os.read(r, 1)
    threading.Thread(target=ev.wait, name='younger', daemon=True).start()
    os.write(w2, b'2')
    time.sleep(60)
    os._exit(0)
os.read(r2, 1)
set_last(99)
os.write(w, b'x')
os.read(r2, 1)
out = subprocess.run(sys.argv[1:] + [str(pid)], capture_output=True, text=True)
sys.stdout.write(out.stdout)
sys.stderr.write(out.stderr)
os.kill(pid, 9)
`;

const NODE = `
const pid = Number(process.argv[1]);
const { execFileSync } = require('node:child_process');
const { readPsTable } = require(${JSON.stringify(join(ROOT, 'src', 'cli', 'ps.ts'))});
const { ProcSampler } = require(${JSON.stringify(join(ROOT, 'src', 'core', 'sampler.ts'))});
const { readSnapshot, readSnapshotSystem } = require(${JSON.stringify(join(ROOT, 'src', 'core', 'snapshotRead.ts'))});
const { readProcessDetail } = require(${JSON.stringify(join(ROOT, 'src', 'core', 'detail.ts'))});
const { collectWaits } = require(${JSON.stringify(join(ROOT, 'src', 'core', 'waits', 'collect.ts'))});
(async () => {
  const ps = execFileSync('ps', ['-eLF'], { encoding: 'utf8' }).split('\\n').map((l) => l.trim().split(/\\s+/)).filter((f) => f[1] === String(pid)).map((f) => Number(f[3]));
  const ours = (await readPsTable('/proc', 'never')).rows().filter((r) => r.PID === String(pid)).map((r) => Number(r.LWP));
  const sampled = new ProcSampler().pollSync({ threads: 'all' }).processes.find((p) => p.pid === pid).threads.map((t) => t.tid);
  let snapshot = [];
  readSnapshot('/proc', readSnapshotSystem('/proc'), { threads: true }, (p) => {
    if (p.pid === pid) snapshot = p.threads.map((t) => t.tid);
  });
  const detail = readProcessDetail(pid).threads.map((t) => t.tid);
  const waits = collectWaits({ pid }).threads.filter((t) => t.pid === pid).map((t) => t.tid);
  console.log(JSON.stringify({ ps, ours, sampled, snapshot, detail, waits }));
})();
`;

describe('threads in the order the kernel lists them', () => {
  it("after a pid wrap: ps's order (leader, older thread, younger thread) in procscope ps, snapshot, the sampler, the detail pane and waits", () => {
    const r = spawnSync(
      'unshare',
      ['--pid', '--fork', '--mount-proc', 'python3', '-c', PYTHON, process.execPath, '--import', 'tsx', '-e', NODE],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    assert.equal(r.status, 0, r.stderr);
    const got = JSON.parse(r.stdout) as Record<'ps' | 'ours' | 'sampled' | 'snapshot' | 'detail' | 'waits', number[]>;
    assert.deepEqual(got.ps, [500, 501, 100], 'the scenario: the younger thread has the smaller id');
    assert.deepEqual(got.ours, got.ps, 'procscope ps');
    assert.deepEqual(got.sampled, got.ps, 'the sampler (copy as ps, the panel)');
    assert.deepEqual(got.snapshot, got.ps, 'procscope snapshot');
    assert.deepEqual(got.detail, got.ps, "the detail pane's Threads section (procscope show)");
    assert.deepEqual(got.waits, got.ps, 'procscope waits (every thread of the process sleeps)');
  });
});
