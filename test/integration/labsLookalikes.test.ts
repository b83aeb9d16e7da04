// Card rules of the newer labs must not tick on lookalikes: real processes that carry the lab's names but
// not the lesson. A semaphore's waiters named like the counter's mutex threads have no holder to name; a
// worker zombie that exited normally or died of another signal is no SIGSEGV crash.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { evaluateLab } from '../../src/core/labs';
import { ProcSampler } from '../../src/core/sampler';
import { LabWaitReader, readExitStatus } from '../../src/worker/labFacts';

const LABS = resolve(__dirname, '../../labs');

test('counter: futex waits of mutex-N threads on a semaphore (no owner) do not tick the mutex item', { timeout: 30_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'procscope-cc-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const exe = join(dir, 'semaphore');
  const cc = spawnSync('cc', ['-O0', '-pthread', '-o', exe, join(LABS, 'c/semaphore.c')], { encoding: 'utf8' });
  assert.equal(cc.status, 0, cc.stderr);
  // The semaphore lab's program with the counter lab's thread names: mutex-1 … mutex-5, 2 permits.
  const child = spawn(exe, ['mutex', '2', '25'], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => child.kill('SIGKILL'));
  const pid = child.pid!;
  const reader = new LabWaitReader();
  const end = Date.now() + 15_000;
  let sawWaiters = false;
  while (Date.now() < end && !sawWaiters) {
    await delay(200);
    const waits = reader.read([pid]);
    const waiting = waits.threads.filter((w) => /^mutex-\d$/.test(w.name) && w.waitingFor?.kind === 'futex');
    const snapshot = new ProcSampler().pollSync({ threads: 'none' });
    const card = evaluateLab('counter', { snapshot, pids: [pid], waits });
    assert.equal(card.items.find((i) => i.id === 'mutex-wait')!.done, false, JSON.stringify(waiting));
    sawWaiters = waiting.length >= 2 && waiting.every((w) => w.waitingFor!.holder === null);
  }
  assert.ok(sawWaiters, 'the lookalike threads did wait, with no holder named');
});

/** browser-main with a renderer-2 child that ends as `how` says and is left a zombie. */
async function zombie(how: string): Promise<{ main: number; worker: number; stop(): void }> {
  const code = [
    'import ctypes, os, resource, signal, sys',
    'libc = ctypes.CDLL(None)',
    'libc.prctl(15, b"browser-main", 0, 0, 0)',
    'pid = os.fork()',
    'if pid == 0:',
    '    libc.prctl(15, b"renderer-2", 0, 0, 0)',
    '    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))',
    `    how = ${JSON.stringify(how)}`,
    '    if how == "exit": os._exit(0)',
    '    os.kill(os.getpid(), getattr(signal, how))',
    '    os._exit(3)',
    'os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)',
    'print(pid, flush=True)',
    'sys.stdin.read()',
  ].join('\n');
  const child = spawn('python3', ['-c', code], { stdio: ['pipe', 'pipe', 'inherit'], cwd: tmpdir() });
  const line = await new Promise<string>((done, fail) => {
    child.stdout.once('data', (d: Buffer) => done(d.toString().trim()));
    child.once('exit', (c) => fail(new Error(`exited ${c}`)));
  });
  return { main: child.pid!, worker: Number(line), stop: () => child.kill('SIGKILL') };
}

test(
  'multiprocess: only a renderer-2 zombie killed by SIGSEGV ticks the crash, with browser-main still running',
  { timeout: 30_000 },
  async () => {
    for (const [how, crash] of [
      ['exit', false],
      ['SIGTERM', false],
      ['SIGSEGV', true],
    ] as const) {
      const z = await zombie(how);
      try {
        const snapshot = new ProcSampler().pollSync({ threads: 'none' });
        assert.equal(snapshot.processes.find((p) => p.pid === z.worker)?.state, 'Z', `${how}: a zombie`);
        const status = readExitStatus(z.worker);
        assert.equal(typeof status, 'number');
        const card = evaluateLab('multiprocess', {
          snapshot,
          pids: [z.main, z.worker],
          exitStatus: new Map([[z.worker, status as number]]),
        });
        assert.equal(card.items.find((i) => i.id === 'crashed')!.done, crash, `${how}: status ${String(status)}`);
        // No siblings here: the crash was seen, but not its isolation.
        assert.equal(card.items.find((i) => i.id === 'isolated')!.done, false);
      } finally {
        z.stop();
      }
    }
  },
);
