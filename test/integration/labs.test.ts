// Every lab runs for real; what its card promises is checked with ProcScope's own readers (sampler, PCB
// detail, IPC scan), and afterwards no process, file or IPC object of the lab may remain.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { readProcessDetail, type ProcessDetail } from '../../src/core/detail';
import { scanIpcSync } from '../../src/core/ipc/scan';
import type { IpcMap } from '../../src/core/ipc/model';
import { evaluateLab, LabTracker, labProcesses, type LabId } from '../../src/core/labs';
import type { Snapshot } from '../../src/core/model';
import type { LabCard } from '../../src/protocol';
import { ProcSampler } from '../../src/core/sampler';
import { readPageMap } from '../../src/core/pagemap';

const LABS_DIR = resolve(__dirname, '../../labs');
const MIB = 1024 * 1024;

interface LabEvent {
  readonly lab: string;
  readonly event: string;
  readonly [key: string]: unknown;
}

const running = new Set<number>();
/** SIGTERM first (the lab cleans up), SIGKILL to the whole process group if it is still there 3 s later. */
function stop(pid: number): void {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return; // already gone
  }
  setTimeout(() => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // gone
    }
  }, 3000).unref();
}

after(async () => {
  // Safety net only: every test waits for its lab to exit; this stops what a failed assertion left behind.
  for (const pid of running) stop(pid);
  if (running.size > 0) await new Promise((r) => setTimeout(r, 3500));
});

/** One lab program, started with machine-readable events and Enter-driven pauses. */
class LabRun {
  readonly child: ChildProcessWithoutNullStreams;
  readonly lines: string[] = [];
  readonly events: LabEvent[] = [];
  readonly seenKeys = new Set<string>();
  private readonly waiters: (() => void)[] = [];
  readonly exited: Promise<number | null>;
  readonly tmpBefore: Set<string>;

  constructor(
    readonly lab: string,
    args: string[],
    seconds = 60,
  ) {
    this.tmpBefore = new Set(labTmpDirs(lab));
    this.child = spawn('python3', [join(LABS_DIR, `${lab}.py`), '--seconds', String(seconds), '--pause', '600', ...args], {
      env: { ...process.env, PROCSCOPE_LAB_EVENTS: '1', PROCSCOPE_LANG: 'en' },
      detached: true, // its own process group, so the safety net can kill everything it started
    });
    running.add(this.child.pid!);
    let buffer = '';
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        this.lines.push(line);
        if (line.startsWith('@@event ')) {
          try {
            this.events.push(JSON.parse(line.slice(8)) as LabEvent);
          } catch {
            throw new Error(`unreadable event line from ${this.lab}: ${JSON.stringify(line)}`);
          }
        }
        for (const wake of this.waiters.splice(0)) wake();
      }
    });
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (chunk: string) => this.lines.push(`[stderr] ${chunk}`));
    this.exited = new Promise((done) =>
      this.child.on('exit', (code) => {
        running.delete(this.child.pid!);
        for (const wake of this.waiters.splice(0)) wake();
        done(code);
      }),
    );
  }

  get pid(): number {
    return this.child.pid!;
  }

  async event(name: string, timeoutMs = 30000, where: (e: LabEvent) => boolean = () => true): Promise<LabEvent> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find((e) => e.event === name && where(e));
      if (found) return found;
      if (this.child.exitCode !== null || Date.now() > end) {
        throw new Error(`no "${name}" event from ${this.lab}; output:\n${this.lines.join('\n')}`);
      }
      await new Promise<void>((wake) => {
        const timer = setTimeout(wake, 250);
        this.waiters.push(() => {
          clearTimeout(timer);
          wake();
        });
      });
    }
  }

  /** Press Enter: the lab leaves its current pause. */
  next(): void {
    this.child.stdin.write('\n');
  }

  /** Remember the lab's processes of this snapshot, to check later that none survives. */
  remember(snapshot: Snapshot, labId: LabId): number[] {
    const pids = labProcesses(labId, snapshot, [this.pid]);
    for (const p of snapshot.processes) if (pids.includes(p.pid)) this.seenKeys.add(p.key);
    return pids;
  }

  async finish(timeoutMs = 30000): Promise<number | null> {
    this.child.stdin.end();
    const timer = setTimeout(() => stop(this.pid), timeoutMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }

  output(): string {
    return this.lines.join('\n');
  }
}

function labTmpDirs(lab: string): string[] {
  return readdirSync('/tmp').filter((name) => name.startsWith(`procscope-lab-${lab}-`));
}

function sysvIds(table: 'msg' | 'sem' | 'shm'): number[] {
  const lines = readFileSync(`/proc/sysvipc/${table}`, 'utf8').trim().split('\n').slice(1);
  const column = table === 'msg' ? 'msqid' : table === 'sem' ? 'semid' : 'shmid';
  const header = readFileSync(`/proc/sysvipc/${table}`, 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const at = header.indexOf(column);
  return lines.filter((l) => l.trim()).map((l) => Number(l.trim().split(/\s+/)[at]));
}

/** After the lab exited: none of its processes, temporary files, /dev/shm entries or SysV objects remain. */
function assertCleanedUp(run: LabRun, sysv: { msg?: number[]; sem?: number[] } = {}): void {
  const now = new ProcSampler().pollSync({ threads: 'none' });
  const alive = now.processes.filter((p) => run.seenKeys.has(p.key) || p.pid === run.pid);
  assert.deepEqual(
    alive.map((p) => `${p.pid} ${p.name} ${p.state}`),
    [],
    'lab processes still alive',
  );
  assert.ok(run.seenKeys.size > 0, 'the test saw the lab processes while they ran');
  const newTmp = labTmpDirs(run.lab).filter((d) => !run.tmpBefore.has(d));
  assert.deepEqual(newTmp, [], 'temporary directories left behind');
  assert.equal(existsSync(`/dev/shm/procscope-lab-${run.pid}`), false, '/dev/shm entry left behind');
  for (const id of sysv.msg ?? []) assert.equal(sysvIds('msg').includes(id), false, `message queue ${id} left behind`);
  for (const id of sysv.sem ?? []) assert.equal(sysvIds('sem').includes(id), false, `semaphore set ${id} left behind`);
  assert.match(run.output(), /"event": "cleaned"/);
}

function observeNow(
  run: LabRun,
  labId: LabId,
  sampler: ProcSampler,
  opts: { threadsOf?: number[]; detailsOf?: number[]; ipc?: boolean; previous?: LabCard; selectedPid?: number } = {},
) {
  const snapshot = sampler.pollSync({ threads: opts.threadsOf ?? 'none' });
  const pids = run.remember(snapshot, labId);
  const details = new Map<number, ProcessDetail>();
  for (const pid of opts.detailsOf ?? []) details.set(pid, readProcessDetail(pid));
  const ipc: IpcMap | undefined = opts.ipc ? scanIpcSync({ pids }) : undefined;
  const observation = {
    snapshot,
    pids,
    details,
    ...(ipc ? { ipc } : {}),
    ...(opts.selectedPid !== undefined ? { selectedPid: opts.selectedPid } : {}),
  };
  const now = evaluateLab(labId, observation);
  const card = evaluateLab(labId, observation, { previous: opts.previous ?? null });
  /** Items observed in this very observation (not remembered from earlier ones). */
  const done = new Set(now.items.filter((i) => i.done).map((i) => i.id));
  return { snapshot, pids, details, ipc, card, done };
}

function num(value: unknown): number {
  assert.equal(typeof value, 'number');
  return value as number;
}

const hasCc = spawnSync('sh', ['-c', 'command -v cc || command -v gcc']).status === 0;

test('pcb_states: R, S, D, T and Z are observed, and pcb-layout shows code, data, heap and stack', async () => {
  const run = new LabRun('pcb_states', []);
  const sampler = new ProcSampler();
  const states = await run.event('states');
  const layout = await run.event('layout');
  const pids = states['pids'] as Record<string, number>;
  const unselected = observeNow(run, 'pcb_states', sampler, { detailsOf: [num(layout['pid'])] });
  assert.equal(unselected.done.has('pcb'), false, 'the PCB item waits for the learner to open a detail pane');
  // The lab's own process is what the panel's focus selects by itself: not one of the pcb-… processes to open.
  const labItself = observeNow(run, 'pcb_states', sampler, { detailsOf: [run.pid], selectedPid: run.pid });
  assert.equal(labItself.done.has('pcb'), false, 'selecting the lab process itself is not opening a pcb-… PCB');
  const obs = observeNow(run, 'pcb_states', sampler, { detailsOf: [num(layout['pid'])], selectedPid: num(layout['pid']) });
  const stateOf = (name: string) => obs.snapshot.processes.find((p) => p.pid === pids[name])?.state;
  assert.equal(stateOf('pcb-sleeping'), 'S');
  assert.equal(stateOf('pcb-stopped'), 'T');
  assert.equal(stateOf('pcb-zombie'), 'Z');
  assert.equal(stateOf('pcb-running'), 'R');
  for (const id of ['state-R', 'state-S', 'state-T', 'state-Z', 'pcb']) assert.ok(obs.done.has(id), `card item ${id}`);
  if (hasCc) {
    assert.equal(stateOf('pcb-vfork-wait'), 'D');
    assert.ok(obs.done.has('state-D'));
    const map = obs.details.get(num(layout['pid']))!.memoryMap!;
    assert.ok(map.byKind.heap.size >= 8 * MIB, `heap ${map.byKind.heap.size}`);
    assert.ok(map.byKind.code.count > 0 && map.byKind.data.count > 0 && map.byKind.stack.count > 0);
    assert.ok(obs.done.has('layout'));
  } else {
    assert.match(run.output(), /state D needs a C compiler/);
  }
  run.next();
  await run.event('resumed');
  const later = sampler.pollSync({ threads: 'none' });
  run.remember(later, 'pcb_states');
  assert.equal(later.processes.find((p) => p.pid === pids['pcb-stopped'])?.state, 'S', 'SIGCONT resumed it');
  assert.equal(
    later.processes.some((p) => p.pid === pids['pcb-zombie']),
    false,
    'the zombie was reaped',
  );
  run.next();
  assert.equal(await run.finish(), 0);
  assertCleanedUp(run);
});

test("fork_cow: four children; copy-on-write keeps the child's USS (private dirty) small until it writes 100 MiB", async () => {
  const run = new LabRun('fork_cow', []);
  const sampler = new ProcSampler();
  // The host's bookkeeping, fed the same readings: it must report completion exactly once, at the end.
  const tracker = new LabTracker('fork_cow', 'ko', [run.pid]);
  const completions: number[] = [];
  const track = (obs: { snapshot: Snapshot; details: Map<number, ProcessDetail> }, step: number) => {
    const update = tracker.update({ snapshot: obs.snapshot, details: obs.details });
    if (update.completedNow) completions.push(step);
    return update;
  };

  const forked = await run.event('forked');
  const first = observeNow(run, 'fork_cow', sampler);
  const children = first.snapshot.processes.filter((p) => p.ppid === num(forked['parent']) && p.name === 'fork-child');
  assert.equal(children.length, 4);
  assert.ok(first.done.has('forked'));
  const firstUpdate = track(first, 1);
  assert.deepEqual([...(firstUpdate.focus ?? [])].sort(), [...first.pids].sort(), 'the panel is told to focus on the lab');
  assert.equal(firstUpdate.card.title, 'fork, exec, 카피 온 라이트');

  // The four children live up to 30 s before the copy-on-write part starts.
  const afterFork = await run.event('after-fork', 90_000);
  const child = num(afterFork['child']);
  // The buffer the lab names is its own mapping, and its page map (what the detail pane's "Page map" reads)
  // shows the pages shared after fork.
  const bufferStart = String(afterFork['start']);
  const bufferEnd = String(afterFork['end']);
  assert.match(readFileSync(`/proc/${child}/maps`, 'utf8'), new RegExp(`^${bufferStart}-${bufferEnd} rw-p `, 'm'));
  const pagesShared = readPageMap(child, bufferStart, bufferEnd);
  assert.equal(pagesShared.unavailable, null);
  assert.equal(pagesShared.read, (100 * MIB) / pagesShared.pageSize);
  assert.ok(pagesShared.counts.shared >= 0.95 * pagesShared.read, `shared after fork: ${JSON.stringify(pagesShared.counts)}`);
  assert.ok(pagesShared.counts.exclusive <= 0.01 * pagesShared.read, `exclusive after fork: ${JSON.stringify(pagesShared.counts)}`);
  const shared = observeNow(run, 'fork_cow', sampler, { detailsOf: [child], previous: first.card });
  const sharedRollup = shared.details.get(child)!.memoryRollup!;
  assert.ok(sharedRollup.privateDirty! < 10 * MIB, `private dirty after fork: ${sharedRollup.privateDirty}`);
  assert.ok(sharedRollup.uss! < 10 * MIB, `USS (what the detail pane shows) after fork: ${sharedRollup.uss}`);
  assert.ok(sharedRollup.rss! >= 90 * MIB, `rss after fork: ${sharedRollup.rss}`);
  assert.ok(shared.done.has('cow-shared'));
  assert.equal(shared.done.has('cow-private'), false);
  track(shared, 2);

  run.next();
  // While the child writes, 5 MiB at a time, its exclusive (copied) pages climb.
  const climbing: number[] = [];
  for (let i = 0; i < 60 && (climbing.at(-1) ?? 0) < pagesShared.read; i++) {
    climbing.push(readPageMap(child, bufferStart, bufferEnd).counts.exclusive);
    await new Promise((r) => setTimeout(r, 50));
  }
  await run.event('child-wrote');
  const pagesWritten = readPageMap(child, bufferStart, bufferEnd);
  assert.ok(pagesWritten.counts.exclusive >= 0.99 * pagesWritten.read, `exclusive after writing: ${JSON.stringify(pagesWritten.counts)}`);
  assert.ok(
    climbing.some((n) => n > pagesShared.counts.exclusive && n < pagesWritten.counts.exclusive),
    `seen part-way through the writes: ${climbing.join(' ')}`,
  );
  for (let i = 1; i < climbing.length; i++) assert.ok(climbing[i]! >= climbing[i - 1]!, `never falls: ${climbing.join(' ')}`);
  const wrote = observeNow(run, 'fork_cow', sampler, { detailsOf: [child] });
  const wroteRollup = wrote.details.get(child)!.memoryRollup!;
  assert.ok(wroteRollup.privateDirty! >= 90 * MIB, `private dirty after writing: ${wroteRollup.privateDirty}`);
  assert.ok(wroteRollup.uss! >= 90 * MIB, `USS after writing: ${wroteRollup.uss}`);
  const childInfo = wrote.snapshot.processes.find((p) => p.pid === child)!;
  assert.ok(childInfo.minorFaults >= 23000, `minor faults ${childInfo.minorFaults}`);
  assert.ok(wrote.done.has('cow-private') && wrote.done.has('cow-faults'));
  assert.equal(track(wrote, 3).completedNow, false, 'demand paging not seen yet');
  assert.equal(wrote.done.has('cow-shared'), false, 'no longer shared once written');
  const card = evaluateLab('fork_cow', { snapshot: wrote.snapshot, pids: wrote.pids, details: wrote.details }, { previous: shared.card });
  for (const id of ['forked', 'cow-shared', 'cow-private', 'cow-faults'])
    assert.ok(card.items.find((i) => i.id === id)!.done, `${id} stays ticked`);

  run.next();
  const exec = await run.event('exec');
  let demand = false;
  for (let i = 0; i < 40 && !demand; i++) {
    const obs = observeNow(run, 'fork_cow', sampler);
    const paging = obs.snapshot.processes.find((p) => p.pid === num(exec['child']) && p.name === 'paging-demo');
    if (paging) {
      assert.ok(paging.vsize - paging.rss >= 32 * MIB || obs.done.has('demand-paging') === false);
      demand = obs.done.has('demand-paging');
      track(obs, 4 + i);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(demand, 'paging-demo seen with most of its 64 MiB mapping not yet resident');
  assert.equal(completions.length, 1, 'completion reported once');
  assert.ok(tracker.current!.items.every((i) => i.done));
  assert.equal(await run.finish(60000), 0);
  assertCleanedUp(run);
});

test('threads: named threads with their names, NLWP 5, main LWP = PID; asyncio stays on one LWP', async () => {
  const run = new LabRun('threads', ['--part', 'named']);
  const sampler = new ProcSampler();
  const ev = await run.event('threads');
  const pid = num(ev['pid']);
  const obs = observeNow(run, 'threads', sampler, { threadsOf: [pid] });
  const proc = obs.snapshot.processes.find((p) => p.pid === pid)!;
  assert.equal(proc.name, 'thr-named');
  assert.equal(proc.numThreads, 5);
  const threads = new Map(proc.threads!.map((t) => [t.tid, t.name] as const));
  assert.equal(threads.get(pid), 'thr-named', 'the main thread: LWP = PID');
  const tids = ev['tids'] as Record<string, number>;
  for (const [name, tid] of Object.entries(tids)) assert.equal(threads.get(tid), name);
  for (const id of ['nlwp', 'thread-names', 'main-lwp']) assert.ok(obs.done.has(id), id);
  run.next();
  assert.equal(await run.finish(), 0);
  assertCleanedUp(run);

  const asyncRun = new LabRun('threads', ['--part', 'asyncio']);
  const started = await asyncRun.event('asyncio');
  const aobs = observeNow(asyncRun, 'threads', sampler, { threadsOf: [num(started['pid'])] });
  const demo = aobs.snapshot.processes.find((p) => p.pid === num(started['pid']))!;
  assert.equal(demo.name, 'asyncio-demo');
  assert.equal(demo.numThreads, 1);
  assert.ok(aobs.done.has('asyncio-one-lwp'));
  assert.equal(await asyncRun.finish(), 0);
  assert.match(asyncRun.output(), /yet the process had 1 LWP/);
  assertCleanedUp(asyncRun);
});

test('threads: the GIL part alternates threads and processes, concludes from the medians and ticks only a shown effect', async (t) => {
  const run = new LabRun('threads', ['--part', 'gil', '--cpu-seconds', '1.5']);
  const sampler = new ProcSampler();
  const ev = await run.event('gil-threads');
  const obs = observeNow(run, 'threads', sampler, { threadsOf: [num(ev['pid'])] });
  const gil = obs.snapshot.processes.find((p) => p.pid === num(ev['pid']));
  if (gil) assert.ok(gil.numThreads >= 3, `gil-threads has its worker threads (${gil.numThreads})`);
  const mp = await run.event('mp-workers');
  assert.equal((mp['pids'] as number[]).length, obs.snapshot.system.cpuCount);
  const result = await run.event('gil-result', 60000);
  const verdict = String(result['verdict']);
  const medians = result['medians'] as Record<string, number>;
  const samples = result['samples'] as Record<string, number[]>;
  assert.equal(samples['threads']!.length, 3, 'three rounds');
  // The verdict is the lab's own rule applied to its medians (checked against the Python function).
  const recomputed = spawnSync(
    'python3',
    [
      '-c',
      `import sys; sys.dont_write_bytecode = True; sys.path.insert(0, ${JSON.stringify(LABS_DIR)}); import threads; print(threads.gil_verdict(${num(result['cpus'])}, ${medians['threads']}, ${medians['procs']}, ${medians['thread_cpu']! / 100}, ${medians['proc_cpu']! / 100}))`,
    ],
    { encoding: 'utf8' },
  );
  assert.equal(recomputed.stdout.trim(), verdict);
  const conclusion: Record<string, RegExp> = {
    shown: /^Shown: the processes did/,
    busy: /^Inconclusive: the machine was too busy/,
    'one-cpu': /^Inconclusive: this lab may use only/,
    'no-gil': /^Not what the lesson expects/,
  };
  assert.ok(
    run.lines.some((l) => conclusion[verdict]!.test(l)),
    `the printed conclusion matches the verdict ${verdict}:\n${run.output()}`,
  );
  // The marker process carries the verdict; the card's GIL item ticks only when the effect was shown.
  let card: ReturnType<typeof observeNow> | undefined;
  for (let i = 0; i < 20; i++) {
    card = observeNow(run, 'threads', sampler);
    if (card.snapshot.processes.some((p) => card!.pids.includes(p.pid) && p.name === `gil-${verdict}`)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(
    card!.snapshot.processes.some((p) => card!.pids.includes(p.pid) && p.name === `gil-${verdict}`),
    `gil-${verdict} is shown`,
  );
  assert.equal(card!.done.has('gil'), verdict === 'shown');
  t.diagnostic(
    `verdict ${verdict}: threads ${medians['threads']} (${Math.round(medians['thread_cpu']!)}% CPU), processes ${medians['procs']} (${Math.round(medians['proc_cpu']!)}% CPU)`,
  );
  run.next();
  assert.equal(await run.finish(), 0);
  assertCleanedUp(run);
});

test('ipc: pipe, FIFO, message queue pids, 1000 vs 2000, semaphore, sockets and a SIGUSR1 handler are all observed', async () => {
  const run = new LabRun('ipc', [], 90);
  const sampler = new ProcSampler();
  const ticked = new Set<string>();
  const look = (opts: { detailsOf?: number[] } = {}) => {
    const obs = observeNow(run, 'ipc', sampler, { ...opts, ipc: true });
    for (const id of obs.done) ticked.add(id);
    return obs;
  };

  await run.event('pipe');
  assert.ok(look().done.has('pipe'), 'a pipe between two lab processes');
  run.next();

  const fifo = await run.event('fifo');
  const fobs = look();
  const fifoChannel = fobs.ipc!.channels.find((c) => c.kind === 'fifo' && c.path === fifo['path']);
  assert.ok(fifoChannel, 'the FIFO is in the IPC map');
  assert.deepEqual(new Set(fifoChannel.endpoints.map((e) => e.pid)), new Set([num(fifo['writer']), num(fifo['reader'])]));
  run.next();

  const mq = await run.event('msgqueue');
  const mobs = look();
  const queue = mobs.ipc!.channels.find((c) => c.kind === 'sysv-msg' && c.msqid === num(mq['msqid']));
  assert.ok(queue && queue.kind === 'sysv-msg');
  assert.equal(queue.lastSendPid, num(mq['sender']));
  assert.equal(queue.lastRecvPid, num(mq['receiver']));
  run.next();

  const mem = await run.event('memory');
  assert.equal(mem['separate'], 1000);
  assert.equal(mem['shared'], 2000);
  // Read the shared page ourselves: a third process sees the child's write too.
  assert.equal(readFileSync(String(mem['path'])).readBigInt64LE(0), 2000n);
  const sobs = look();
  const shm = sobs.ipc!.channels.find((c) => c.kind === 'posix-shm' && c.path === mem['path']);
  assert.ok(shm, 'the shared memory is in the IPC map');
  assert.ok(shm.endpoints.some((e) => e.pid === num(mem['parent'])) && shm.endpoints.some((e) => e.pid === num(mem['child'])));
  run.next();

  const sem = await run.event('semaphore');
  const semObs = look();
  assert.ok(semObs.ipc!.channels.some((c) => c.kind === 'sysv-sem' && c.semid === num(sem['semid'])));
  run.next();

  const sockets = await run.event('sockets');
  const kobs = look();
  assert.ok(
    kobs.ipc!.channels.some(
      (c) =>
        (c.kind === 'tcp' && c.local.endsWith(`:${num(sockets['port'])}`)) ||
        (c.kind === 'tcp' && c.remote.endsWith(`:${num(sockets['port'])}`)),
    ),
  );
  // Only the real edges: the lab's unix socket path and TCP port are held by their own server and client,
  // no listener is left (each server closed it once its client was in), no other process holds either.
  // (Every lab process also holds the test's stdout, a unix socketpair with node: not one of the lab's.)
  const nameOf = (pid: number) => kobs.snapshot.processes.find((p) => p.pid === pid)?.name ?? '?';
  const port = `:${num(sockets['port'])}`;
  const socketEnds = kobs
    .ipc!.channels.filter(
      (c) => (c.kind === 'unix' && c.path === sockets['path']) || (c.kind === 'tcp' && (c.local.endsWith(port) || c.remote.endsWith(port))),
    )
    .flatMap((c) => c.endpoints.map((e) => ({ kind: c.kind, role: e.role, name: nameOf(e.pid) })));
  assert.ok(socketEnds.length >= 4, JSON.stringify(socketEnds));
  for (const end of socketEnds) {
    assert.ok(end.name.startsWith(`${end.kind}-`), `${end.name} holds a ${end.kind} socket: a false edge`);
    assert.notEqual(end.role, 'listen', `${end.name} still holds a listening socket`);
  }
  // The conclusion follows the medians measured one kind after the other.
  const medians = sockets['medians'] as { unix: number; tcp: number };
  assert.equal((sockets['unix'] as number[]).length, 5);
  const expected = medians.unix < medians.tcp * 0.9 ? 'unix' : medians.tcp < medians.unix * 0.9 ? 'tcp' : 'same';
  assert.equal(sockets['verdict'], expected);
  const said: Record<string, RegExp> = {
    unix: /the unix socket was [\d.]+x as fast as TCP/,
    tcp: /TCP was [\d.]+x as fast as the unix socket/,
    same: /too close to call/,
  };
  assert.match(run.output(), said[expected]!);
  run.next();

  const signals = await run.event('signals');
  const handler = num(signals['handler']);
  const gobs = look({ detailsOf: [handler] });
  assert.ok(gobs.details.get(handler)!.signals!.caught!.names.includes('SIGUSR1'));
  assert.match(run.output(), /records in/, 'dd printed its progress on SIGUSR1');
  run.next();

  assert.equal(await run.finish(), 0);
  assert.deepEqual([...ticked].sort(), ['fifo', 'msgqueue', 'pipe', 'semaphore', 'shared-memory', 'signal-handler', 'tcp', 'unix-socket']);
  assertCleanedUp(run, { msg: [num(mq['msqid'])], sem: [num(sem['semid'])] });
});

test('locks: flock counts exactly 1000; no lock and the wrong lock never exceed it (and usually fall short)', async (t) => {
  let short = 0;
  const rounds = 3;
  for (let round = 0; round < rounds; round++) {
    const run = new LabRun('locks', ['--part', 'race', '--workers', '20', '--gate', '1']);
    const sampler = new ProcSampler();
    await run.event('race-ready', 30000, (e) => e['mode'] === 'none');
    let atStart = false; // the workers name themselves right after fork: look again for a moment
    for (let i = 0; i < 10 && !atStart; i++) {
      atStart = observeNow(run, 'locks', sampler).done.has('race-workers');
      if (!atStart) await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(atStart, 'the 20 race workers seen at the start line');
    const counts: Record<string, number> = {};
    for (const mode of ['none', 'wrong', 'flock']) counts[mode] = num((await run.event('race', 60000, (e) => e['mode'] === mode))['count']);
    assert.equal(counts['flock'], 1000);
    assert.ok(counts['none']! <= 1000 && counts['none']! > 0);
    assert.ok(counts['wrong']! <= 1000 && counts['wrong']! > 0);
    if (counts['none']! < 1000) short++;
    t.diagnostic(`round ${round + 1}: no lock ${counts['none']}, wrong lock ${counts['wrong']}, flock ${counts['flock']}`);
    assert.equal(await run.finish(), 0);
    assertCleanedUp(run);
  }
  t.diagnostic(`the unlocked counter fell short of 1000 in ${short} of ${rounds} rounds`);
});

test('locks: holder and waiters, a deadlock reported as a cycle (broken by killing one side), starvation', async () => {
  const run = new LabRun('locks', ['--part', 'all', '--total', '100', '--gate', '0'], 90);
  const sampler = new ProcSampler();

  const holders = await run.event('holders');
  const hobs = observeNow(run, 'locks', sampler, { ipc: true });
  const lock = hobs.ipc!.channels.find(
    (c) => c.kind === 'lock' && c.endpoints.some((e) => e.pid === num(holders['holder']) && e.role === 'holder'),
  );
  assert.ok(lock, 'the holder is in the lock table');
  const waiters = lock.endpoints
    .filter((e) => e.role === 'waiter')
    .map((e) => e.pid)
    .sort();
  assert.deepEqual(waiters, (holders['waiters'] as number[]).slice().sort());
  assert.ok(hobs.done.has('holder-waiters'));
  run.next();

  const dl = await run.event('deadlock');
  const dobs = observeNow(run, 'locks', sampler, { ipc: true });
  const cycle = dobs.ipc!.deadlocks.find((d) => d.pids.includes(num(dl['a'])));
  assert.ok(cycle, 'the deadlock is reported');
  assert.deepEqual([...cycle.pids].sort(), [num(dl['a']), num(dl['b'])].sort());
  assert.deepEqual([...cycle.files].sort(), [String(dl['f1']), String(dl['f2'])].sort());
  assert.ok(dobs.done.has('deadlock'));
  process.kill(num(dl['b']), 'SIGKILL'); // break the cycle: A gets f2 and finishes
  await run.event('deadlock-broken');
  assert.match(run.output(), /deadlock-A \d+ finally got f2/);
  const after = scanIpcSync({ pids: [num(dl['a'])] });
  assert.equal(
    after.deadlocks.some((d) => d.pids.includes(num(dl['a']))),
    false,
    'no cycle after the kill',
  );

  await run.event('starvation');
  let starved = false;
  for (let i = 0; i < 20 && !starved; i++) {
    await new Promise((r) => setTimeout(r, 150));
    starved = observeNow(run, 'locks', sampler, { ipc: true }).done.has('starvation');
  }
  assert.ok(starved, 'starved-writer seen waiting while readers hold the lock');
  run.next();
  assert.equal(await run.finish(), 0);
  assert.match(run.output(), /starved-writer got its lock/);
  assertCleanedUp(run);
});

test('locks: when nobody breaks the deadlock, the lab ends it without saying it was broken', () => {
  // No input and 1 s pauses: the deadlock pause runs out, and the lab kills both sides itself.
  const r = spawnSync('python3', [join(LABS_DIR, 'locks.py'), '--part', 'deadlock', '--pause', '1', '--seconds', '30'], {
    encoding: 'utf8',
    input: '',
  });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /They wait for each other until the lab ends/);
  assert.doesNotMatch(r.stdout, /finally got|cycle is broken/);
});

test('a lab whose TMPDIR is mounted noexec builds its C helper in the cache folder, or says why the helper cannot run', () => {
  // A mount namespace of its own with a noexec tmpfs (as hardened systems mount /tmp).
  const script = [
    'set -e',
    'd=$(mktemp -d)',
    'mount -t tmpfs -o noexec tmpfs "$d"',
    'mkdir "$d/cache"',
    `TMPDIR="$d" python3 '${join(LABS_DIR, 'counter.py')}' --part nothing --pause 1 --seconds 20 </dev/null && echo "rc=0" || echo "rc=$?"`,
    `TMPDIR="$d" XDG_CACHE_HOME="$d/cache" python3 '${join(LABS_DIR, 'counter.py')}' --part nothing --pause 1 --seconds 20 </dev/null && echo "rc=0" || echo "rc=$?"`,
    'ls -A "$d" "$d/cache"',
    'umount "$d"; rmdir "$d"',
  ].join('\n');
  const r = spawnSync('unshare', ['-m', 'sh', '-c', script], {
    encoding: 'utf8',
    env: { ...process.env, LANG: 'C.UTF-8', PROCSCOPE_LANG: 'en' },
  });
  assert.equal(r.status, 0, r.stderr);
  const [first, second] = r.stdout.split(/^rc=\d+$/m);
  assert.match(r.stdout, /^rc=0$/m, 'built in ~/.cache and ran');
  assert.doesNotMatch(first!, /needs a C compiler|cannot run/);
  assert.match(second!, /compiled helper cannot run from .* nor from your cache folder/);
  assert.doesNotMatch(second!, /needs a C compiler/, 'not the no-compiler line: there is one');
  assert.doesNotMatch(r.stdout, /^rc=[1-9]/m, "the lab runs on without the helper's parts");
  assert.match(r.stdout, /cache:\n$/, 'nothing left in either folder');
});

test('labs clean up when interrupted (SIGINT, SIGTERM) and when their lifetime ends', async () => {
  const sampler = new ProcSampler();

  const mqRun = new LabRun('ipc', ['--part', 'msgqueue']);
  const mq = await mqRun.event('msgqueue');
  mqRun.remember(sampler.pollSync({ threads: 'none' }), 'ipc');
  assert.ok(sysvIds('msg').includes(num(mq['msqid'])), 'the queue exists while the lab runs');
  process.kill(mqRun.pid, 'SIGTERM');
  assert.equal(await mqRun.finish(), 128 + 15);
  assertCleanedUp(mqRun, { msg: [num(mq['msqid'])] });

  const shmRun = new LabRun('ipc', ['--part', 'memory']);
  const mem = await shmRun.event('memory');
  shmRun.remember(sampler.pollSync({ threads: 'none' }), 'ipc');
  assert.ok(existsSync(String(mem['path'])));
  process.kill(shmRun.pid, 'SIGINT');
  assert.equal(await shmRun.finish(), 128 + 2);
  assertCleanedUp(shmRun);

  const shortRun = new LabRun('pcb_states', [], 3); // pauses wait for Enter, which never comes
  await shortRun.event('states');
  shortRun.remember(sampler.pollSync({ threads: 'none' }), 'pcb_states');
  assert.equal(await shortRun.finish(), 0);
  assert.match(shortRun.output(), /lifetime \(3 s\) is over/);
  assertCleanedUp(shortRun);
});

test('ipc: a run killed with SIGKILL leaves its queue and semaphore set; the next run removes them and says so', async () => {
  const sampler = new ProcSampler();
  const leftovers: { msg: number[]; sem: number[] } = { msg: [], sem: [] };
  for (const part of ['msgqueue', 'semaphore'] as const) {
    const killed = new LabRun('ipc', ['--part', part]);
    const ev = await killed.event(part);
    killed.remember(sampler.pollSync({ threads: 'none' }), 'ipc');
    process.kill(killed.pid, 'SIGKILL'); // no chance to clean up; its children die with it (PDEATHSIG)
    await killed.exited;
    if (part === 'msgqueue') {
      leftovers.msg.push(num(ev['msqid']));
      assert.ok(sysvIds('msg').includes(leftovers.msg[0]!), 'SIGKILL left the queue behind');
    } else {
      leftovers.sem.push(num(ev['semid']));
      assert.ok(sysvIds('sem').includes(leftovers.sem[0]!), 'SIGKILL left the semaphore set behind');
      // This (second) run started after the first was killed: it removed the queue and said so.
      assert.match(
        killed.output(),
        new RegExp(
          `Removed a message queue left behind by an earlier run of this lab that was killed \\(key 0x50[0-9a-f]{6}, msqid ${leftovers.msg[0]}, created by pid \\d+, which is gone\\)`,
        ),
      );
      assert.equal(sysvIds('msg').includes(leftovers.msg[0]!), false, 'the queue is gone');
    }
  }
  for (const lang of ['ko', 'en'] as const) {
    // An object of a live run of the lab is not touched: only a dead creator's.
    const live = lang === 'en' ? new LabRun('ipc', ['--part', 'semaphore']) : undefined;
    const liveSem = live ? num((await live.event('semaphore'))['semid']) : undefined;
    const next = spawnSync('python3', [join(LABS_DIR, 'ipc.py'), '--part', 'fifo', '--pause', '0.2', '--seconds', '20'], {
      env: { ...process.env, PROCSCOPE_LANG: lang },
      encoding: 'utf8',
      input: '',
    });
    assert.equal(next.status, 0, next.stderr);
    if (lang === 'ko') {
      assert.match(
        next.stdout,
        new RegExp(`남긴 세마포어 집합을 지웠습니다 \\(키 0x50[0-9a-f]{6}, semid ${leftovers.sem[0]}, 만든 pid \\d+는 이미 없음\\)`),
      );
      assert.equal(sysvIds('sem').includes(leftovers.sem[0]!), false, 'the semaphore set is gone');
    } else {
      assert.doesNotMatch(next.stdout, /left behind/, 'nothing left to remove the second time');
      assert.ok(sysvIds('sem').includes(liveSem!), "the live run's set is kept");
      live!.remember(sampler.pollSync({ threads: 'none' }), 'ipc');
      live!.next();
      assert.equal(await live!.finish(), 0);
      assertCleanedUp(live!, { sem: [liveSem!] });
    }
  }
});

/** Makes a message queue with the key the IPC lab computes for `pid`, as another program could (ftok gives such keys). */
function foreignQueue(pid: number): number {
  const code = [
    'import ctypes, sys',
    'sys.path.insert(0, sys.argv[1])',
    'import ipc',
    'libc = ctypes.CDLL(None, use_errno=True)',
    `key = ipc.lab_sysv_key('msg', ${pid})`,
    'print(libc.msgget(ctypes.c_int(key - (1 << 32) if key >= 1 << 31 else key), 0o1000 | 0o2000 | 0o600), flush=True)',
  ].join('\n');
  const made = spawnSync('python3', ['-c', code, LABS_DIR], { encoding: 'utf8' });
  const msqid = Number(made.stdout.trim());
  assert.ok(msqid >= 0, `msgget: ${made.stdout} ${made.stderr}`);
  return msqid;
}

/** A next run of the lab (its sweep runs first) leaves that queue alone. */
function assertNotSwept(msqid: number): void {
  const next = spawnSync('python3', [join(LABS_DIR, 'ipc.py'), '--part', 'fifo', '--pause', '0.2', '--seconds', '20'], {
    encoding: 'utf8',
    input: '',
  });
  assert.equal(next.status, 0, next.stderr);
  assert.doesNotMatch(next.stdout, /left behind/);
  assert.ok(sysvIds('msg').includes(msqid), 'the foreign queue is still there');
}

test("ipc: another program's queue that only looks like the lab's (ftok(path, 'P') gives the same top byte) is never removed", () => {
  // A key with the lab's tag and kind, naming a pid that runs nothing: to the key alone it is a dead run's.
  const msqid = foreignQueue(4194000);
  try {
    assertNotSwept(msqid);
  } finally {
    spawnSync('ipcrm', ['-q', String(msqid)]);
  }
});

test("ipc: when the lab's own key is already another program's, the part is skipped and that object is never swept later", () => {
  // The foreign queue takes the key the lab computes for pid 500; the lab then runs as pid 500 in a pid
  // namespace of its own (ns_last_pid), so its msgget fails with EEXIST.
  const msqid = foreignQueue(500);
  try {
    const script = `echo 499 > /proc/sys/kernel/ns_last_pid; python3 '${join(LABS_DIR, 'ipc.py')}' --part msgqueue --pause 0.2 --seconds 20 </dev/null`;
    const asPid500 = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'sh', '-c', script], {
      encoding: 'utf8',
      env: { ...process.env, PROCSCOPE_LANG: 'en' },
    });
    assert.equal(asPid500.status, 0, asPid500.stderr);
    assert.match(asPid500.stdout, /this part is skipped: the lab could not create its object with key 0x500001f4: msgget: File exists/);
    assertNotSwept(msqid);
  } finally {
    spawnSync('ipcrm', ['-q', String(msqid)]);
  }
});

test('compiled C test programs leave no procscope-cc-* folder once the test process exits', () => {
  const script = `const { compileC } = require(${JSON.stringify(resolve(__dirname, 'helpers.ts'))}); const out = compileC('named_threads.c'); require('node:fs').accessSync(out); console.log(out);`;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const binary = run.stdout.trim();
  assert.match(binary, /procscope-cc-[^/]+\/named_threads$/);
  assert.equal(existsSync(binary), false, `${binary} was removed`);
  assert.equal(existsSync(resolve(binary, '..')), false, 'its folder was removed');
});

test('vscode_itself: selecting a real multi-threaded host process, its child and a terminal shell ticks the card, their presence alone does not', async () => {
  // Stand-ins for VS Code's processes, started for real: a Node "extension host" (Node runs several threads)
  // with a child process, a "main" process above it, and a shell as the terminal. The roles are what the
  // host's workspace tracker would assign; the rules read threads and parentage from the real /proc.
  const main = spawn(
    'sh',
    [
      '-c',
      `exec ${JSON.stringify(process.execPath)} -e "
    const { spawn } = require('node:child_process');
    spawn('sleep', ['30'], { stdio: 'ignore' });
    setTimeout(() => {}, 30000);
  " & wait`,
    ],
    { detached: true, stdio: 'ignore' },
  );
  const shell = spawn('sh', ['-c', 'sleep 30'], { detached: true, stdio: 'ignore' });
  try {
    const sampler = new ProcSampler();
    let hostPid: number | undefined;
    let card: LabCard | undefined;
    for (let i = 0; i < 40; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const probe = sampler.pollSync({ threads: 'none' });
      hostPid = probe.processes.find((p) => p.ppid === main.pid && p.name.startsWith('node'))?.pid;
      if (hostPid === undefined) continue;
      const snapshot = sampler.pollSync({ threads: [hostPid] });
      const workspace = [
        { pid: main.pid!, role: 'vscode' },
        { pid: hostPid, role: 'vscode' },
        { pid: shell.pid!, role: 'terminal' },
      ];
      const unselected = evaluateLab('vscode_itself', { snapshot, hostPid, workspace });
      assert.deepEqual(
        unselected.items.filter((item) => item.done).map((item) => item.id),
        [],
        'nothing ticks before the learner selects',
      );
      // The learner selects each process in turn: the main process, the host, the host's child, the shell.
      const hostChild = snapshot.processes.find((p) => p.ppid === hostPid)?.pid;
      card = undefined;
      for (const selectedPid of [main.pid!, hostPid, hostChild, shell.pid!]) {
        if (selectedPid === undefined) continue;
        card = evaluateLab('vscode_itself', { snapshot, hostPid, workspace, selectedPid }, { previous: card ?? null });
      }
      if (card!.items.every((item) => item.done)) break;
    }
    assert.ok(hostPid !== undefined, 'the stand-in extension host started');
    assert.deepEqual(
      card!.items.filter((item) => !item.done).map((item) => item.id),
      [],
    );
  } finally {
    for (const child of [main, shell]) {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
});
