// The deadlock lab runs for real under a shell (as in the lab's terminal); the host's lab session, fed by
// ProcScope's own sampler, ticks its card from the waits core's facts: the two named threads blocked on
// mutexes owned by each other, the cycle, and the ordered run's exit status 0. Afterwards nothing remains.
import { labFactsReader } from '../../src/worker/labFacts';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { readProcessDetail } from '../../src/core/detail';
import { ProcSampler } from '../../src/core/sampler';
import { collectWaits } from '../../src/core/waits/collect';
import { LabSession, type LabTickOutput } from '../../src/extension/labs/labSession';

const LAB = resolve(__dirname, '../../labs/deadlock.py');

interface LabEvent {
  readonly event: string;
  readonly [key: string]: unknown;
}

function startTicks(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

test(
  "deadlock lab: the card ticks the mutex cycle with both owners named, then the ordered run's exit status 0",
  { timeout: 120_000 },
  async (t) => {
    // `; exit` keeps sh as the lab's parent, as the terminal's shell is; Enter reaches the lab through sh's stdin.
    const shell = spawn('sh', ['-c', `python3 '${LAB}' --pause 600 --seconds 90; exit $?`], {
      detached: true,
      env: { ...process.env, PROCSCOPE_LANG: 'en', PROCSCOPE_LAB_EVENTS: '1' },
    });
    const shellPid = shell.pid!;
    const exited = new Promise<number | null>((done) => shell.on('exit', (code) => done(code)));
    t.after(() => {
      try {
        process.kill(-shellPid, 'SIGKILL');
      } catch {
        // already gone
      }
    });
    const events: LabEvent[] = [];
    const lines: string[] = [];
    let stderr = '';
    let buffer = '';
    shell.stdout.setEncoding('utf8');
    shell.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        lines.push(line);
        if (line.startsWith('@@event ')) events.push(JSON.parse(line.slice(8)) as LabEvent);
      }
    });
    shell.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const event = async (name: string, timeoutMs = 30_000): Promise<LabEvent> => {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const found = events.find((e) => e.event === name);
        if (found) return found;
        assert.ok(Date.now() < end && shell.exitCode === null, `no "${name}" event; output:\n${lines.join('\n')}\n${stderr}`);
        await delay(100);
      }
    };

    const sampler = new ProcSampler();
    t.after(() => sampler.dispose());
    const session = new LabSession('deadlock', 'en', shellPid, process.pid);
    assert.equal(session.title, 'Threads that wait for each other');
    const outputs: LabTickOutput[] = [];
    const seen = new Map<number, string | null>();
    const readDetail = (pid: number) => Promise.resolve().then(() => readProcessDetail(pid));
    const facts = labFactsReader();
    const readLabFacts = (waitPids: readonly number[] | null, exitPids: readonly number[]) =>
      Promise.resolve().then(() => facts(waitPids, exitPids));
    const tick = async (): Promise<Map<string, boolean>> => {
      const snapshot = sampler.pollSync({ threads: session.threads() });
      for (const pid of session.labPids(snapshot)) if (!seen.has(pid)) seen.set(pid, startTicks(pid));
      outputs.push(await session.tick({ snapshot, readDetail, readLabFacts }));
      return new Map(session.card!.items.map((i) => [i.id, i.done] as const));
    };
    const tickUntil = async (items: string[], timeoutMs: number): Promise<void> => {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const done = await tick();
        if (items.every((i) => done.get(i))) return;
        assert.ok(Date.now() < end, `items ${items.join(', ')} not ticked: ${JSON.stringify([...done])}; output:\n${lines.join('\n')}`);
        await delay(300);
      }
    };

    // Before the deadlock the card is empty.
    const before = await tick();
    assert.deepEqual([...before.values()], [false, false, false, false]);

    // Step 1: the deadlock. The lab reports its threads' ids; the card must name exactly those.
    const dl = await event('deadlocked');
    const pid = dl['pid'] as number;
    const left = dl['left'] as number;
    const right = dl['right'] as number;
    assert.ok(Number.isInteger(left) && Number.isInteger(right) && left !== right, JSON.stringify(dl));
    await tickUntil(['blocked', 'owners', 'cycle'], 20_000);
    assert.equal((await tick()).get('ordered'), false, 'the ordered run has not happened yet');
    const card = session.card!;
    const text = (id: string) => card.items.find((i) => i.id === id)!.text;
    assert.ok(text('owners').endsWith(`(dl-left ${left} ⇄ dl-right ${right})`), text('owners'));
    assert.ok(text('cycle').endsWith(`(${left} → ${right} → ${left})`), text('cycle'));
    // The same facts straight from the waits core: each thread's mutex is owned by the other.
    const report = collectWaits({ pid });
    const th = (tid: number) => report.threads.find((x) => x.tid === tid)!;
    assert.equal(th(left).name, 'dl-left');
    assert.equal(th(right).name, 'dl-right');
    assert.deepEqual([th(left).waitingFor?.kind, th(left).waitingFor?.holder], ['mutex', { pid, tid: right }]);
    assert.deepEqual([th(right).waitingFor?.kind, th(right).waitingFor?.holder], ['mutex', { pid, tid: left }]);
    assert.ok(report.cycles.some((c) => c.length === 2 && c.some((n) => n.tid === left) && c.some((n) => n.tid === right)));

    // Step 2: the lab ends the deadlocked process and runs the ordered one, which exits with status 0.
    shell.stdin.write('\n');
    await event('deadlock-ended');
    const ordered = await event('ordered-exited', 40_000);
    assert.equal(ordered['status'], 0, lines.join('\n'));
    await tickUntil(['ordered'], 8_000);
    assert.equal(outputs.filter((o) => o.completedNow).length, 1, 'completion is reported exactly once');
    const done = session.card!;
    assert.ok(done.items.every((i) => i.done));
    assert.equal(
      done.items.find((i) => i.id === 'cycle')!.text,
      text('cycle'),
      'the ticked cycle keeps its thread ids after the threads are gone',
    );

    await event('ordered-reaped', 15_000);
    shell.stdin.end('\n'); // Enter ends the lab's last pause
    const code = await Promise.race([exited, delay(20_000, 'timeout' as const, { ref: false })]);
    assert.equal(code, 0, `lab exit; stderr: ${stderr}`);
    assert.ok(
      events.some((e) => e.event === 'cleaned'),
      'the lab cleaned up',
    );
    assert.equal(stderr, '', 'the lab wrote nothing to stderr');
    // Nothing the lab started survives (same pid and start time).
    for (const [p, start] of seen) assert.ok(!existsSync(`/proc/${p}`) || startTicks(p) !== start, `lab process ${p} is gone`);
    // And a tick after the lab sees no lab process: the session finishes.
    await tick();
    assert.equal(session.finished, true);
  },
);

function labTmpDirs(): string[] {
  return readdirSync('/tmp').filter((name) => name.startsWith('procscope-lab-deadlock-'));
}

/** The lab run directly (no shell), until it prints `event`; then `end` it and check nothing of it remains. */
async function interrupted(seconds: number, end: (pid: number) => void, wantCode: number, wantText?: RegExp): Promise<void> {
  const tmpBefore = new Set(labTmpDirs());
  const child = spawn('python3', [LAB, '--pause', '600', '--seconds', String(seconds)], {
    detached: true,
    env: { ...process.env, PROCSCOPE_LANG: 'en', PROCSCOPE_LAB_EVENTS: '1' },
  });
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => (out += d));
  try {
    const deadline = Date.now() + 30_000;
    while (!out.includes('"event": "deadlocked"')) {
      assert.ok(Date.now() < deadline && child.exitCode === null, `no deadlock; output:\n${out}`);
      await delay(100);
    }
    const m = /"event": "deadlocked", "pid": (\d+)/.exec(out);
    const helper = Number(m?.[1]);
    const helperStart = startTicks(helper);
    assert.ok(helperStart !== null, 'dl-deadlock runs');
    end(child.pid!);
    const code = await Promise.race([exited, delay(20_000, 'timeout' as const, { ref: false })]);
    assert.equal(code, wantCode, out);
    if (wantText) assert.match(out, wantText);
    assert.match(out, /"event": "cleaned"/);
    assert.ok(startTicks(helper) !== helperStart, `dl-deadlock ${helper} is gone`);
    assert.deepEqual(
      labTmpDirs().filter((d) => !tmpBefore.has(d)),
      [],
      'temporary directories left behind',
    );
  } finally {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

test(
  'deadlock lab: SIGTERM, SIGINT or the end of its lifetime during the deadlock removes the deadlocked process and its files',
  { timeout: 120_000 },
  async () => {
    await interrupted(60, (pid) => process.kill(pid, 'SIGTERM'), 128 + 15);
    await interrupted(60, (pid) => process.kill(pid, 'SIGINT'), 128 + 2);
    await interrupted(6, () => undefined, 0, /lifetime \(6 s\) is over/);
  },
);
