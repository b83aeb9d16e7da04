// The deadlock lab's card rules, judged on real wait facts: the lab's C helper runs deadlocked (and
// ordered) for real, the waits core reads it, and the rules must tick exactly what was observed. The
// helper's zombie is kept by a small Python parent (Node reaps its own children at once).
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { evaluateLab, labNeeds } from '../../src/core/labs';
import { ProcSampler } from '../../src/core/sampler';
import { LabWaitReader, readExitStatus } from '../../src/worker/labFacts';

const SOURCE = resolve(__dirname, '../../labs/c/deadlock.c');
const dir = mkdtempSync(join(tmpdir(), 'procscope-dltest-'));
const exe = join(dir, 'deadlock');
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function build(): void {
  const run = spawnSync('cc', ['-O0', '-pthread', '-o', exe, SOURCE], { encoding: 'utf8' });
  assert.equal(run.status, 0, `cc: ${run.stderr}`);
}

const done = (card: ReturnType<typeof evaluateLab>) => Object.fromEntries(card.items.map((i) => [i.id, i.done]));

test(
  "deadlock rules: both threads blocked, owners named and the cycle ticked from real wait facts, for the lab's own process only",
  { timeout: 60_000 },
  async () => {
    build();
    const child = spawn(exe, ['30'], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    const pid = child.pid!;
    const tids = new Map<string, number>();
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (d: string) => {
      for (const m of d.matchAll(/^thread (\w+) (\d+)$/gm)) tids.set(m[1]!, Number(m[2]));
    });
    const sampler = new ProcSampler();
    const reader = new LabWaitReader();
    try {
      for (let i = 0; i < 50 && tids.size < 2; i++) await delay(100);
      let card = evaluateLab('deadlock', { snapshot: sampler.pollSync({}), pids: [pid], waits: reader.read([pid]) });
      for (let i = 0; i < 50 && !done(card)['cycle']; i++) {
        await delay(100);
        card = evaluateLab('deadlock', { snapshot: sampler.pollSync({}), pids: [pid], waits: reader.read([pid]) });
      }
      const left = tids.get('left')!;
      const right = tids.get('right')!;
      assert.deepEqual(done(card), { blocked: true, owners: true, cycle: true, ordered: false });
      const text = (id: string) => card.items.find((i) => i.id === id)!.text;
      assert.ok(text('owners').endsWith(`(dl-left ${left} ⇄ dl-right ${right})`), `${text('owners')} (left ${left}, right ${right})`);
      assert.ok(text('cycle').endsWith(`(${left} → ${right} → ${left})`), text('cycle'));

      const snapshot = sampler.pollSync({});
      const waits = reader.read([pid]);
      assert.deepEqual(labNeeds('deadlock', snapshot, [pid]).waits, true);
      // Another program's deadlock is not the lab's: the same facts with the process outside the lab tick nothing.
      assert.deepEqual(done(evaluateLab('deadlock', { snapshot, pids: [], waits })), {
        blocked: false,
        owners: false,
        cycle: false,
        ordered: false,
      });
      // Owners without a cycle from the core do not tick the cycle: the card repeats the core's finding, it does not make its own.
      assert.deepEqual(done(evaluateLab('deadlock', { snapshot, pids: [pid], waits: { threads: waits.threads, cycles: [] } })), {
        blocked: true,
        owners: true,
        cycle: false,
        ordered: false,
      });
      // The reader looks only at the lab's threads: nothing of any other process is in its facts.
      assert.ok(
        waits.threads.every((t) => t.pid === pid),
        "only the lab's threads are probed",
      );
      // Without wait facts nothing of the deadlock ticks.
      assert.deepEqual(done(evaluateLab('deadlock', { snapshot, pids: [pid] })), {
        blocked: false,
        owners: false,
        cycle: false,
        ordered: false,
      });
    } finally {
      child.kill('SIGKILL');
      sampler.dispose();
    }
  },
);

/** The helper in ordered mode under a Python parent that leaves it a zombie; `kill` ends it by SIGTERM first. */
async function orderedZombie(kill: boolean): Promise<{ pid: number; parent: ChildProcess }> {
  const code = [
    'import os, signal, subprocess, sys, time',
    `p = subprocess.Popen([${JSON.stringify(exe)}, "--ordered", "30"], stdout=subprocess.DEVNULL)`,
    kill ? 'time.sleep(0.2); os.kill(p.pid, signal.SIGTERM)' : 'pass',
    'os.waitid(os.P_PID, p.pid, os.WEXITED | os.WNOWAIT)',
    'print(p.pid, flush=True)',
    'sys.stdin.read()',
  ].join('\n');
  const parent = spawn('python3', ['-c', code], { stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(parent);
  const line = await new Promise<string>((ok, fail) => {
    parent.stdout!.once('data', (d: Buffer) => ok(d.toString().trim()));
    parent.once('exit', (c) => fail(new Error(`parent exited ${c}`)));
  });
  return { pid: Number(line), parent };
}

test('ordered rule: dl-ordered as a zombie with exit status 0 ticks; one ended by a signal does not', { timeout: 60_000 }, async () => {
  build();
  const sampler = new ProcSampler();
  try {
    for (const [kill, want] of [
      [false, 0],
      [true, 15],
    ] as const) {
      const { pid, parent } = await orderedZombie(kill);
      const snapshot = sampler.pollSync({});
      const proc = snapshot.processes.find((p) => p.pid === pid)!;
      assert.deepEqual([proc.name, proc.state], ['dl-ordered', 'Z']);
      const needs = labNeeds('deadlock', snapshot, [parent.pid!, pid]);
      assert.deepEqual(needs.exitStatus, [pid]);
      const status = readExitStatus(pid);
      assert.equal(status, want, `waitpid status of the ${kill ? 'killed' : 'finished'} run`);
      const card = evaluateLab('deadlock', { snapshot, pids: [parent.pid!, pid], exitStatus: new Map([[pid, status as number]]) });
      assert.equal(done(card)['ordered'], !kill);
      parent.stdin!.end();
      await new Promise((r) => parent.once('exit', r));
      assert.deepEqual(readExitStatus(pid), { failed: 'gone' });
    }
  } finally {
    sampler.dispose();
  }
});
