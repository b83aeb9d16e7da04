// Runs a lab for real under a shell (as in the lab's terminal) and feeds a LabSession from ProcScope's own
// sampler, as the host does each tick: shared by the integration tests of the labs added with it.
import { labFactsReader } from '../../src/worker/labFacts';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TestContext } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { readProcessDetail } from '../../src/core/detail';
import type { LabId } from '../../src/core/labs';
import { ProcSampler } from '../../src/core/sampler';
import type { Snapshot } from '../../src/core/model';
import { LabSession, type LabTickOutput } from '../../src/extension/labs/labSession';

export interface LabEvent {
  readonly event: string;
  readonly [key: string]: unknown;
}

export function startTicks(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

export function labTmpDirs(labId: string): string[] {
  return readdirSync('/tmp').filter((name) => name.startsWith(`procscope-lab-${labId}-`));
}

export class LabRun {
  readonly events: LabEvent[] = [];
  readonly lines: string[] = [];
  stderr = '';
  readonly shell: ChildProcessWithoutNullStreams;
  readonly exited: Promise<number | null>;
  readonly session: LabSession;
  readonly outputs: LabTickOutput[] = [];
  /** Every lab process seen, with its start time: none may survive the lab. */
  readonly seen = new Map<number, string | null>();
  lastSnapshot: Snapshot | undefined;
  private readonly sampler = new ProcSampler();
  /** What the panel's worker reads for the lab's rules, read here in-process (as the worker does). */
  private readonly facts = labFactsReader();
  private readonly readLabFacts = (waitPids: readonly number[] | null, exitPids: readonly number[]) =>
    Promise.resolve().then(() => this.facts(waitPids, exitPids));

  constructor(
    t: TestContext,
    readonly labId: LabId,
    args: readonly string[],
  ) {
    const lab = resolve(__dirname, `../../labs/${labId}.py`);
    // `; exit` keeps sh as the lab's parent, as the terminal's shell is; Enter reaches the lab through sh's stdin.
    this.shell = spawn('sh', ['-c', `python3 '${lab}' ${args.join(' ')}; exit $?`], {
      detached: true,
      env: { ...process.env, PROCSCOPE_LANG: 'en', PROCSCOPE_LAB_EVENTS: '1' },
    });
    const shellPid = this.shell.pid!;
    this.exited = new Promise<number | null>((done) => this.shell.on('exit', (code) => done(code)));
    t.after(() => {
      this.sampler.dispose();
      try {
        process.kill(-shellPid, 'SIGKILL');
      } catch {
        // already gone
      }
    });
    let buffer = '';
    this.shell.stdout.setEncoding('utf8');
    this.shell.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        this.lines.push(line);
        if (line.startsWith('@@event ')) this.events.push(JSON.parse(line.slice(8)) as LabEvent);
      }
    });
    this.shell.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.session = new LabSession(labId, 'en', shellPid, process.pid);
  }

  output(): string {
    return `${this.lines.join('\n')}\n${this.stderr}`;
  }

  async event(name: string, timeoutMs = 30_000, where: (e: LabEvent) => boolean = () => true): Promise<LabEvent> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find((e) => e.event === name && where(e));
      if (found) return found;
      assert.ok(Date.now() < end && this.shell.exitCode === null, `no "${name}" event; output:\n${this.output()}`);
      await delay(100);
    }
  }

  /** One host tick: a poll with the threads the session asked for, then the session's evaluation. */
  async tick(): Promise<Map<string, boolean>> {
    const snapshot = this.sampler.pollSync({ threads: this.session.threads() });
    this.lastSnapshot = snapshot;
    for (const pid of this.session.labPids(snapshot)) if (!this.seen.has(pid)) this.seen.set(pid, startTicks(pid));
    this.outputs.push(
      await this.session.tick({
        snapshot,
        readDetail: (pid) => Promise.resolve().then(() => readProcessDetail(pid)),
        readLabFacts: this.readLabFacts,
      }),
    );
    return new Map((this.session.card?.items ?? []).map((i) => [i.id, i.done] as const));
  }

  async tickUntil(items: readonly string[], timeoutMs: number): Promise<void> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const done = await this.tick();
      if (items.every((i) => done.get(i))) return;
      assert.ok(Date.now() < end, `items ${items.join(', ')} not ticked: ${JSON.stringify([...done])}; output:\n${this.output()}`);
      await delay(250);
    }
  }

  itemText(id: string): string {
    return this.session.card!.items.find((i) => i.id === id)!.text;
  }

  /** Ends the lab's pauses (stdin closed), then checks it exits 0, cleans up and leaves no process behind. */
  async finish(): Promise<void> {
    this.shell.stdin.end('\n');
    const code = await Promise.race([this.exited, delay(30_000, 'timeout' as const, { ref: false })]);
    assert.equal(code, 0, `lab exit; output:\n${this.output()}`);
    assert.ok(
      this.events.some((e) => e.event === 'cleaned'),
      'the lab cleaned up',
    );
    assert.equal(this.stderr, '', 'the lab wrote nothing to stderr');
    for (const [p, start] of this.seen) assert.ok(!existsSync(`/proc/${p}`) || startTicks(p) !== start, `lab process ${p} is gone`);
    await this.tick();
    assert.equal(this.session.finished, true, 'a tick after the lab sees no lab process');
  }
}

/**
 * The lab run directly (no shell) until it prints `event` (Enter pressed at each pause before it), then sent
 * `signal`: it must exit and leave nothing.
 */
export async function interruptedLab(labId: string, event: string, signal: NodeJS.Signals, args: readonly string[] = []): Promise<void> {
  const lab = resolve(__dirname, `../../labs/${labId}.py`);
  const tmpBefore = new Set(labTmpDirs(labId));
  const child = spawn('python3', [lab, '--pause', '600', '--seconds', '60', ...args], {
    detached: true,
    env: { ...process.env, PROCSCOPE_LANG: 'en', PROCSCOPE_LAB_EVENTS: '1' },
  });
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => (out += d));
  try {
    const deadline = Date.now() + 30_000;
    let pids: number[] = [];
    let enters = 0;
    for (;;) {
      const line = out.split('\n').find((l) => l.startsWith('@@event ') && l.includes(`"event": "${event}"`));
      if (line) {
        const e = JSON.parse(line.slice(8)) as Record<string, unknown>;
        pids = Object.entries(e)
          .filter(([k, v]) => /(pid|supervisor)$/i.test(k) && typeof v === 'number')
          .map(([, v]) => v as number);
        break;
      }
      assert.ok(Date.now() < deadline && child.exitCode === null, `no ${event}; output:\n${out}`);
      // Enter at each pause before the event, so a later step can be interrupted.
      const pauses = out.split('\n').filter((l) => l.startsWith('@@event ') && l.includes('"event": "pause"')).length;
      for (; enters < pauses; enters++) child.stdin.write('\n');
      await delay(100);
    }
    const starts = pids.map((p) => [p, startTicks(p)] as const);
    assert.ok(starts.length > 0 && starts.every(([, s]) => s !== null), `the event names running processes: ${JSON.stringify(starts)}`);
    process.kill(child.pid!, signal);
    const code = await Promise.race([exited, delay(20_000, 'timeout' as const, { ref: false })]);
    assert.equal(code, 128 + (signal === 'SIGTERM' ? 15 : signal === 'SIGINT' ? 2 : 1), out);
    assert.match(out, /"event": "cleaned"/);
    for (const [p, s] of starts) assert.ok(startTicks(p) !== s, `${p} is gone`);
    assert.deepEqual(
      labTmpDirs(labId).filter((d) => !tmpBefore.has(d)),
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
