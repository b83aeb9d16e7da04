// Which card items one observation shows. Pure: the inputs are what ProcScope's core already reads (a sampler
// snapshot, PCB details of a few processes, an IPC map); nothing here touches /proc or the clock.
import { descendantPids } from '../../shared/processTree';
import type { ProcessDetail } from '../detail';
import type { Channel, IpcMap } from '../ipc/model';
import type { ProcessInfo, Snapshot } from '../model';
import type { ThreadWait, WaitReport } from '../waits/model';
import { LABS, type LabId } from './cards';
import { labSysvKeyOwner } from './sysvKey';

const MIB = 1024 * 1024;

export interface LabObservation {
  /** A sampler snapshot; the lab's processes' threads should be in it (see `labNeeds`). */
  readonly snapshot: Snapshot;
  /** The lab's process ids (from `labProcesses`). Computed from the snapshot when absent. */
  readonly pids?: readonly number[];
  /** PCB details (`readProcessDetail`) of some processes, by pid: those `labNeeds` asks for, and the selected one. */
  readonly details?: ReadonlyMap<number, ProcessDetail>;
  /** An IPC map (`scanIpc`), when the lab needs one. */
  readonly ipc?: IpcMap;
  /**
   * The process the learner selected in the panel themself (its detail pane is open), if any. A selection the
   * panel made on its own (the lab's focus selects the lab's first process) is not one: LabSession leaves it out.
   */
  readonly selectedPid?: number;
  /** vscode_itself only: the extension host's own pid and the "This workspace" members. */
  readonly hostPid?: number;
  readonly workspace?: readonly { readonly pid: number; readonly role: string }[];
  /** Wait facts of the lab's blocked threads (`collectWaits`), when the lab needs them (`labNeeds().waits`). */
  readonly waits?: Pick<WaitReport, 'threads' | 'cycles'>;
  /** Exit status (stat's exit_code, as waitpid reports it) of the lab's zombies asked for in `labNeeds().exitStatus`. */
  readonly exitStatus?: ReadonlyMap<number, number>;
}

/** Is `argv` running the given lab script (`python3 …/labs/fork_cow.py …`)? */
export function runsScript(argv: readonly string[] | null, script: string): boolean {
  if (!argv) return false;
  return argv.slice(0, 3).some((arg) => arg === script || arg.endsWith(`/${script}`));
}

/** Every pid below (and including) the roots, from a complete pid map (parents need not come first). */
export function withDescendants(processes: readonly ProcessInfo[], roots: Iterable<number>): number[] {
  return [...descendantPids(processes, roots)];
}

/**
 * The lab's processes in a snapshot: the descendants of `roots` when given (the host knows its terminal's
 * shell), else every process running the lab's script and all their descendants.
 */
export function labProcesses(labId: LabId, snapshot: Snapshot, roots?: Iterable<number>): number[] {
  const script = LABS[labId].script;
  if (roots) return withDescendants(snapshot.processes, roots).sort((a, b) => a - b);
  if (!script) return [];
  const starts = snapshot.processes.filter((p) => runsScript(p.cmdline, script)).map((p) => p.pid);
  return withDescendants(snapshot.processes, starts).sort((a, b) => a - b);
}

interface View {
  readonly obs: LabObservation;
  readonly procs: readonly ProcessInfo[];
  readonly byPid: ReadonlyMap<number, ProcessInfo>;
  readonly pidSet: ReadonlySet<number>;
}

function named(view: View, name: string): ProcessInfo[] {
  return view.procs.filter((p) => p.name === name);
}

function detailOf(view: View, pid: number): ProcessDetail | undefined {
  return view.obs.details?.get(pid);
}

function channels(view: View, kind: Channel['kind']): Channel[] {
  return (view.obs.ipc?.channels ?? []).filter((c) => c.kind === kind);
}

/** The lab pids on a channel with one of the roles, and their names. */
function labEnds(view: View, channel: Channel, roles: readonly string[]): { pid: number; name: string }[] {
  return channel.endpoints
    .filter((e) => view.pidSet.has(e.pid) && roles.includes(e.role))
    .map((e) => ({ pid: e.pid, name: view.byPid.get(e.pid)?.name ?? e.processName }));
}

type Rule = (view: View) => boolean;

/** A thread blocked on a mutex whose owner is the `other` thread, as the waits core read it from the mutex word. */
function waitsForMutexOf(waiter: ThreadWait, other: ThreadWait): boolean {
  const w = waiter.waitingFor;
  return w !== null && w.kind === 'mutex' && w.holder !== null && w.holder.pid === other.pid && w.holder.tid === other.tid;
}

/** dl-left and dl-right of one lab process in the wait facts (both present), process by process. */
function deadlockPairs(view: View): { left: ThreadWait; right: ThreadWait }[] {
  const threads = (view.obs.waits?.threads ?? []).filter((t) => view.pidSet.has(t.pid));
  const pairs: { left: ThreadWait; right: ThreadWait }[] = [];
  for (const left of threads.filter((t) => t.name === 'dl-left')) {
    const right = threads.find((t) => t.pid === left.pid && t.name === 'dl-right');
    if (right) pairs.push({ left, right });
  }
  return pairs;
}

/** The pair each of whose threads waits for a mutex the other owns, and that the wait-for graph has in one cycle. */
function deadlockCycle(view: View): { left: ThreadWait; right: ThreadWait } | undefined {
  const has = (cycle: readonly { pid: number; tid: number }[], t: ThreadWait): boolean =>
    cycle.some((n) => n.pid === t.pid && n.tid === t.tid);
  return deadlockPairs(view).find(
    ({ left, right }) =>
      waitsForMutexOf(left, right) &&
      waitsForMutexOf(right, left) &&
      (view.obs.waits?.cycles ?? []).some((c) => has(c, left) && has(c, right)),
  );
}

const COUNTER_MODES = ['nolock', 'mutex', 'cas'] as const;
/** Every name a counter program carries: ctr-MODE while counting, MODE-exact / -short / -over after. */
const COUNTER_NAMES = COUNTER_MODES.flatMap((m) => [`ctr-${m}`, `${m}-exact`, `${m}-short`, `${m}-over`]);

/** A mutex-N thread blocked on a mutex whose owner, read from the mutex word, is another mutex-N thread. */
function mutexWait(view: View): { waiter: ThreadWait; holder: ThreadWait } | undefined {
  const threads = (view.obs.waits?.threads ?? []).filter((t) => view.pidSet.has(t.pid) && /^mutex-\d$/.test(t.name));
  for (const waiter of threads) {
    const holder = threads.find((h) => h !== waiter && waitsForMutexOf(waiter, h));
    if (waiter.state === 'S' && holder) return { waiter, holder };
  }
  return undefined;
}

/**
 * For each lab process running the GROUP-N workers: those blocked (S) in a plain futex wait (not a mutex)
 * on the word most of them share, and how many other workers there are (holding a permit, or between turns).
 */
function semaphoreWaits(view: View, group: string): { pid: number; address: string; waiting: ThreadWait[]; others: number }[] {
  const pattern = new RegExp(`^${group}-\\d$`);
  const byPid = new Map<number, ThreadWait[]>();
  for (const t of view.obs.waits?.threads ?? []) {
    if (view.pidSet.has(t.pid) && pattern.test(t.name)) byPid.set(t.pid, [...(byPid.get(t.pid) ?? []), t]);
  }
  const out: { pid: number; address: string; waiting: ThreadWait[]; others: number }[] = [];
  for (const [pid, workers] of byPid) {
    const byAddress = new Map<string, ThreadWait[]>();
    for (const t of workers) {
      if (t.state === 'S' && t.waitingFor?.kind === 'futex' && t.waitingFor.object) {
        byAddress.set(t.waitingFor.object, [...(byAddress.get(t.waitingFor.object) ?? []), t]);
      }
    }
    const [address, waiting] = [...byAddress].sort((a, b) => b[1].length - a[1].length)[0] ?? ['', []];
    if (waiting.length > 0) out.push({ pid, address, waiting, others: workers.length - waiting.length });
  }
  return out;
}

/** A living (not zombie) child of `parent` with that name, among the lab's processes. */
function childNamed(view: View, parent: ProcessInfo, name: string): ProcessInfo | undefined {
  return view.procs.find((p) => p.ppid === parent.pid && p.name === name && p.state !== 'Z');
}

/** SIGSEGV's number: the low 7 bits of a wait status that says "killed by a signal" (0x80 adds "core dumped"). */
const SIGSEGV = 11;

/** renderer-2 as a zombie whose exit status, read by ProcScope, is "killed by SIGSEGV". */
function crashedRenderer(view: View): ProcessInfo | undefined {
  return named(view, 'renderer-2').find((p) => {
    const status = view.obs.exitStatus?.get(p.pid);
    return p.state === 'Z' && status !== undefined && (status & 0x7f) === SIGSEGV;
  });
}

/** gil-threads' two spinning threads, as the sampler read them. */
function spinThreads(p: ProcessInfo): NonNullable<ProcessInfo['threads']>[number][] {
  return (p.threads ?? []).filter((t) => t.name === 'spin-1' || t.name === 'spin-2');
}

const RULES: Readonly<Record<LabId, Readonly<Record<string, Rule>>>> = {
  pcb_states: {
    'state-R': (v) => named(v, 'pcb-running').some((p) => p.state === 'R'),
    'state-S': (v) => named(v, 'pcb-sleeping').some((p) => p.state === 'S'),
    'state-D': (v) => named(v, 'pcb-vfork-wait').some((p) => p.state === 'D'),
    'state-T': (v) => named(v, 'pcb-stopped').some((p) => p.state === 'T'),
    'state-Z': (v) => named(v, 'pcb-zombie').some((p) => p.state === 'Z'),
    layout: (v) =>
      named(v, 'pcb-layout').some((p) => {
        const byKind = detailOf(v, p.pid)?.memoryMap?.byKind;
        return !!byKind && byKind.code.count > 0 && byKind.data.count > 0 && byKind.stack.count > 0 && byKind.heap.size >= 8 * MIB;
      }),
    // One of the lab's pcb-* processes, which the lab's focus never selects (it selects the lab itself).
    pcb: (v) => {
      const selected = v.obs.selectedPid;
      const p = selected === undefined || !v.pidSet.has(selected) ? undefined : v.byPid.get(selected);
      const d = p && p.name.startsWith('pcb-') ? detailOf(v, p.pid) : undefined;
      return !!d && d.credentials !== null && d.signals !== null && d.scheduling !== null;
    },
  },
  fork_cow: {
    forked: (v) => named(v, 'fork-parent').some((parent) => named(v, 'fork-child').filter((c) => c.ppid === parent.pid).length >= 4),
    // USS (private clean + private dirty) is what the detail pane shows; the child's copied pages are private dirty.
    'cow-shared': (v) =>
      named(v, 'cow-child').some((p) => {
        const r = detailOf(v, p.pid)?.memoryRollup;
        return !!r && r.rss !== null && r.uss !== null && r.rss >= 90 * MIB && r.uss < 10 * MIB;
      }),
    'cow-private': (v) =>
      named(v, 'cow-child').some((p) => {
        const r = detailOf(v, p.pid)?.memoryRollup;
        return !!r && r.uss !== null && r.uss >= 90 * MIB;
      }),
    // 100 MiB / 4 KiB = 25600 pages; 90% of it, and the lab asks for 4 KiB pages (MADV_NOHUGEPAGE).
    'cow-faults': (v) => named(v, 'cow-child').some((p) => p.minorFaults >= 23000),
    'demand-paging': (v) => named(v, 'paging-demo').some((p) => p.vsize - p.rss >= 32 * MIB),
  },
  threads: {
    nlwp: (v) => named(v, 'thr-named').some((p) => p.numThreads === 5),
    'thread-names': (v) =>
      named(v, 'thr-named').some((p) => {
        const names = new Set((p.threads ?? []).map((t) => t.name));
        return ['worker-1', 'worker-2', 'worker-3', 'worker-4'].every((n) => names.has(n));
      }),
    'main-lwp': (v) => named(v, 'thr-named').some((p) => (p.threads ?? []).some((t) => t.tid === p.pid && t.name === 'thr-named')),
    // Kernel threads exist on every machine; the item is the learner showing them and selecting one.
    'kernel-threads': (v) => {
      const p = v.obs.selectedPid === undefined ? undefined : v.byPid.get(v.obs.selectedPid);
      return !!p && p.kernelThread && (p.pid === 2 || p.ppid === 2);
    },
    'asyncio-one-lwp': (v) => named(v, 'asyncio-demo').some((p) => p.numThreads === 1),
    // The lab's own medians decide (on a busy machine threads stay under one core without any GIL to show):
    // it names a process after its verdict, and only gil-shown means the numbers showed the lesson.
    gil: (v) => named(v, 'gil-shown').length > 0,
    // Parallel means more than one core's worth of CPU at once; two workers on two CPUs at 30% each is not.
    multiprocessing: (v) => named(v, 'mp-worker').reduce((sum, p) => sum + (p.cpuPercent ?? 0), 0) > 110,
  },
  ipc: {
    pipe: (v) =>
      channels(v, 'pipe').some((c) => {
        const writers = labEnds(v, c, ['write']).map((e) => e.pid);
        const readers = labEnds(v, c, ['read']).map((e) => e.pid);
        return writers.some((w) => readers.some((r) => r !== w));
      }),
    fifo: (v) =>
      channels(v, 'fifo').some((c) => {
        const writer = labEnds(v, c, ['write', 'readwrite']).some((e) => e.name === 'fifo-writer');
        const reader = labEnds(v, c, ['read', 'readwrite']).some((e) => e.name === 'fifo-reader');
        return writer && reader;
      }),
    msgqueue: (v) =>
      channels(v, 'sysv-msg').some(
        (c) =>
          c.kind === 'sysv-msg' && v.byPid.get(c.lastSendPid)?.name === 'mq-sender' && v.byPid.get(c.lastRecvPid)?.name === 'mq-receiver',
      ),
    'shared-memory': (v) =>
      channels(v, 'posix-shm').some((c) => new Set(labEnds(v, c, ['map', 'read', 'write', 'readwrite']).map((e) => e.pid)).size >= 2),
    // The lab's own set (its key names the lab's pid), not any set another program made.
    semaphore: (v) =>
      named(v, 'sem-worker').length >= 2 &&
      channels(v, 'sysv-sem').some((c) => {
        const owner = c.kind === 'sysv-sem' ? labSysvKeyOwner(c.key) : null;
        return owner !== null && owner.kind === 'sem' && v.pidSet.has(owner.pid);
      }),
    'unix-socket': (v) =>
      channels(v, 'unix').some((c) => {
        const names = new Set(labEnds(v, c, ['connected']).map((e) => e.name));
        return names.has('unix-client') && names.has('unix-server');
      }),
    tcp: (v) =>
      channels(v, 'tcp').some((c) => {
        const names = new Set(labEnds(v, c, ['connected']).map((e) => e.name));
        return c.kind === 'tcp' && c.local.startsWith('127.0.0.1:') && names.has('tcp-client') && names.has('tcp-server');
      }),
    'signal-handler': (v) => named(v, 'sig-handler').some((p) => detailOf(v, p.pid)?.signals?.caught?.names.includes('SIGUSR1') ?? false),
  },
  locks: {
    'race-workers': (v) => {
      const counts = new Map<string, number>();
      for (const p of v.procs) if (p.name.startsWith('race-')) counts.set(p.name, (counts.get(p.name) ?? 0) + 1);
      return [...counts.values()].some((n) => n >= 5);
    },
    'holder-waiters': (v) =>
      channels(v, 'lock').some(
        (c) =>
          labEnds(v, c, ['holder']).some((e) => e.name === 'lock-holder') &&
          labEnds(v, c, ['waiter']).some((e) => e.name === 'lock-waiter'),
      ),
    deadlock: (v) =>
      (v.obs.ipc?.deadlocks ?? []).some((d) => {
        const names = new Set(d.pids.map((pid) => v.byPid.get(pid)?.name));
        return d.pids.every((pid) => v.pidSet.has(pid)) && names.has('deadlock-A') && names.has('deadlock-B');
      }),
    starvation: (v) =>
      channels(v, 'lock').some(
        (c) =>
          labEnds(v, c, ['holder']).some((e) => e.name === 'reader') && labEnds(v, c, ['waiter']).some((e) => e.name === 'starved-writer'),
      ),
  },
  // From ProcScope's own wait facts: the states and futex waits from task/TID, the owners from the mutex words.
  deadlock: {
    blocked: (v) =>
      deadlockPairs(v).some(({ left, right }) => [left, right].every((t) => t.state === 'S' && t.waitingFor?.kind === 'mutex')),
    owners: (v) => deadlockPairs(v).some(({ left, right }) => waitsForMutexOf(left, right) && waitsForMutexOf(right, left)),
    cycle: (v) => deadlockCycle(v) !== undefined,
    // A zombie's exit_code is the status its parent will collect; the lab leaves dl-ordered a zombie a while
    // for this. The lab's processes are the learner's own, so the kernel shows the real value (it prints 0
    // to a reader without ptrace access: a process of another user would not be trusted here).
    ordered: (v) => named(v, 'dl-ordered').some((p) => p.state === 'Z' && v.obs.exitStatus?.get(p.pid) === 0),
  },
  // The counts are the programs' own (they name themselves after them); the waits are ProcScope's.
  counter: {
    groups: (v) =>
      COUNTER_MODES.every((mode) =>
        v.procs.some((p) => {
          const names = new Set((p.threads ?? []).map((t) => t.name));
          return [1, 2, 3, 4].every((n) => names.has(`${mode}-${n}`));
        }),
      ),
    lost: (v) => named(v, 'nolock-short').length > 0,
    'mutex-wait': (v) => mutexWait(v) !== undefined,
    'mutex-exact': (v) => named(v, 'mutex-exact').length > 0,
    'cas-exact': (v) => named(v, 'cas-exact').length > 0,
  },
  // From ProcScope's own wait facts, in one look: how many of a group wait on one futex word, and who else.
  semaphore: {
    workers: (v) =>
      named(v, 'sem-pool').some((p) => {
        const names = new Set((p.threads ?? []).map((t) => t.name));
        return [1, 2, 3, 4, 5].every((n) => names.has(`pool-${n}`));
      }),
    waiting: (v) => semaphoreWaits(v, 'pool').some((g) => g.waiting.length === 3 && g.others === 2),
    'no-owner': (v) =>
      semaphoreWaits(v, 'pool').some(
        (g) => g.waiting.length >= 3 && g.waiting.every((t) => t.waitingFor?.holder === null && !t.waitingFor.holders?.length),
      ),
    binary: (v) => semaphoreWaits(v, 'binary').some((g) => g.waiting.length === 4 && g.others === 1),
  },
  // The masks from the PCB detail (status's SigCgt, SigBlk, SigPnd and ShdPnd); the states from the snapshot.
  signals: {
    caught: (v) => named(v, 'sig-catcher').some((p) => detailOf(v, p.pid)?.signals?.caught?.names.includes('SIGUSR1') ?? false),
    pending: (v) =>
      named(v, 'sig-blocker').some((p) => {
        const s = detailOf(v, p.pid)?.signals;
        const pending = [...(s?.sharedPending?.names ?? []), ...(s?.pending?.names ?? [])];
        return !!s?.blocked?.names.includes('SIGUSR2') && pending.includes('SIGUSR2');
      }),
    stopped: (v) => named(v, 'sig-sleeper').some((p) => p.state === 'T'),
    continued: (v) => named(v, 'sig-continued').some((p) => p.state === 'S'),
  },
  // The tree from the snapshot; the cause of the crash from the zombie's exit status (stat's exit_code).
  multiprocess: {
    tree: (v) =>
      named(v, 'browser-main').some((m) => ['renderer-1', 'renderer-2', 'renderer-3'].every((n) => childNamed(v, m, n) !== undefined)),
    crashed: (v) => crashedRenderer(v) !== undefined,
    isolated: (v) => {
      const crashed = crashedRenderer(v);
      const main = crashed && v.byPid.get(crashed.ppid);
      return (
        !!main &&
        main.name === 'browser-main' &&
        main.state !== 'Z' &&
        ['renderer-1', 'renderer-3'].every((n) => childNamed(v, main, n) !== undefined)
      );
    },
    restarted: (v) =>
      named(v, 'browser-main').some(
        (m) => m.state !== 'Z' && ['renderer-1', 'renderer-3', 'renderer-4'].every((n) => childNamed(v, m, n) !== undefined),
      ),
  },
  // Per-thread and per-process CPU from the sampler (between two polls that both read the threads).
  gil: {
    threads: (v) => named(v, 'gil-threads').some((p) => p.numThreads === 3 && spinThreads(p).length === 2),
    'one-core': (v) =>
      named(v, 'gil-threads').some((p) => {
        const cpu = spinThreads(p).map((t) => t.cpuPercent);
        return cpu.length === 2 && cpu.every((c) => c !== null && c >= 20) && cpu.reduce<number>((a, c) => a + (c ?? 0), 0) <= 110;
      }),
    processes: (v) => {
      const procs = [...named(v, 'spin-proc-1'), ...named(v, 'spin-proc-2')];
      return new Set(procs.map((p) => p.name)).size === 2 && procs.reduce((sum, p) => sum + (p.cpuPercent ?? 0), 0) > 120;
    },
    asyncio: (v) => named(v, 'gil-asyncio').some((p) => p.numThreads === 1 && (p.cpuPercent ?? 0) >= 50),
  },
  // Each item is the learner selecting that process in the panel: VS Code's processes exist whether or not
  // anyone looks, so their mere presence would tick the card by itself.
  vscode_itself: {
    'vscode-processes': (v) => {
      const vscode = (v.obs.workspace ?? []).filter((m) => m.role === 'vscode');
      return vscode.length >= 2 && vscode.some((m) => m.pid === v.obs.selectedPid && v.byPid.has(m.pid));
    },
    'extension-host': (v) => {
      const host = v.obs.hostPid === undefined ? undefined : v.byPid.get(v.obs.hostPid);
      return !!host && host.pid === v.obs.selectedPid && host.numThreads >= 5;
    },
    terminal: (v) => (v.obs.workspace ?? []).some((m) => m.role === 'terminal' && m.pid === v.obs.selectedPid && v.byPid.has(m.pid)),
    'host-children': (v) => {
      const p = v.obs.selectedPid === undefined ? undefined : v.byPid.get(v.obs.selectedPid);
      return !!p && v.obs.hostPid !== undefined && p.ppid === v.obs.hostPid;
    },
  },
};

/** Item ids the observation shows right now (not remembering earlier observations: see evaluateLab). */
export function observeLab(labId: LabId, obs: LabObservation): Set<string> {
  let pids: readonly number[];
  if (labId === 'vscode_itself') {
    const roots = obs.hostPid === undefined ? [] : [obs.hostPid];
    pids = [...new Set([...(obs.workspace ?? []).map((m) => m.pid), ...withDescendants(obs.snapshot.processes, roots)])];
  } else {
    pids = obs.pids ?? labProcesses(labId, obs.snapshot);
  }
  const pidSet = new Set(pids);
  const procs = obs.snapshot.processes.filter((p) => pidSet.has(p.pid));
  const byPid = new Map(obs.snapshot.processes.map((p) => [p.pid, p] as const));
  const view: View = { obs, procs, byPid, pidSet };
  const seen = new Set<string>();
  for (const item of LABS[labId].items) {
    const rule = RULES[labId][item.id];
    if (rule && rule(view)) seen.add(item.id);
  }
  return seen;
}

/**
 * Words added to a ticked item, from what was observed (numbers and names only, so they read the same in
 * both languages): the thread ids of the deadlocked pair.
 */
export function observeLabNotes(labId: LabId, obs: LabObservation): Map<string, string> {
  const notes = new Map<string, string>();
  const pidSet = new Set(obs.pids ?? labProcesses(labId, obs.snapshot));
  if (labId === 'semaphore') {
    const view: View = { obs, procs: [], byPid: new Map(), pidSet };
    const found = semaphoreWaits(view, 'pool').find((g) => g.waiting.length === 3 && g.others === 2);
    if (found)
      notes.set(
        'waiting',
        `futex ${found.address}: ${found.waiting
          .map((t) => t.name)
          .sort()
          .join(', ')}`,
      );
    const binary = semaphoreWaits(view, 'binary').find((g) => g.waiting.length === 4 && g.others === 1);
    if (binary) notes.set('binary', `futex ${binary.address}`);
    return notes;
  }
  if (labId === 'counter') {
    const found = mutexWait({ obs, procs: [], byPid: new Map(), pidSet });
    if (found) notes.set('mutex-wait', `${found.waiter.name} ${found.waiter.tid} → ${found.holder.name} ${found.holder.tid}`);
    return notes;
  }
  if (labId !== 'deadlock') return notes;
  const found = deadlockCycle({ obs, procs: [], byPid: new Map(), pidSet });
  if (found) {
    const { left, right } = found;
    notes.set('owners', `dl-left ${left.tid} ⇄ dl-right ${right.tid}`);
    notes.set('cycle', `${left.tid} → ${right.tid} → ${left.tid}`);
  }
  return notes;
}

/** Every item has a rule (checked by a unit test): a card item nobody can tick would be a defect. */
export function ruleIds(labId: LabId): string[] {
  return Object.keys(RULES[labId]);
}

/** Process names whose PCB detail a lab's rules read. */
const DETAIL_NAMES: Readonly<Record<LabId, readonly string[]>> = {
  pcb_states: ['pcb-layout'],
  fork_cow: ['cow-child'],
  threads: [],
  ipc: ['sig-handler'],
  locks: [],
  deadlock: [],
  counter: [],
  semaphore: [],
  signals: ['sig-catcher', 'sig-blocker'],
  multiprocess: [],
  gil: [],
  vscode_itself: [],
};

/** Process names whose threads a lab's rules read. */
const THREAD_NAMES: Readonly<Record<LabId, readonly string[]>> = {
  pcb_states: [],
  fork_cow: [],
  threads: ['thr-named', 'gil-threads'],
  ipc: [],
  locks: [],
  deadlock: [],
  counter: COUNTER_NAMES,
  semaphore: ['sem-pool'],
  signals: [],
  multiprocess: [],
  gil: ['gil-threads'],
  vscode_itself: [],
};

/** Process names whose exit status a lab's rules read once they are zombies. */
const EXIT_NAMES: Readonly<Partial<Record<LabId, readonly string[]>>> = { deadlock: ['dl-ordered'], multiprocess: ['renderer-2'] };

/** Process names whose threads' wait facts a lab's rules read (only while one runs: a look costs a stat per thread). */
const WAIT_NAMES: Readonly<Partial<Record<LabId, readonly string[]>>> = {
  deadlock: ['dl-deadlock'],
  counter: ['ctr-mutex'],
  semaphore: ['sem-pool', 'sem-binary'],
};

export interface LabNeeds {
  /** Read these processes' threads in the next poll (PollOptions.threads). */
  readonly threads: readonly number[];
  /** Read these processes' PCB detail (readProcessDetail). */
  readonly details: readonly number[];
  /** Run an IPC scan (narrowed to `pids`). */
  readonly ipc: boolean;
  readonly pids: readonly number[];
  /** Collect wait facts (`collectWaits`) for the lab's threads. */
  readonly waits?: boolean;
  /** Read the exit status of these zombies (stat's exit_code). */
  readonly exitStatus?: readonly number[];
}

/** What the host should read for this lab's next observation, given the current snapshot. */
export function labNeeds(labId: LabId, snapshot: Snapshot, pids: readonly number[], hostPid?: number): LabNeeds {
  const pidSet = new Set(pids);
  const procs = snapshot.processes.filter((p) => pidSet.has(p.pid));
  const threads = procs.filter((p) => THREAD_NAMES[labId].includes(p.name)).map((p) => p.pid);
  if (labId === 'vscode_itself' && hostPid !== undefined) threads.push(hostPid);
  return {
    threads,
    details: procs.filter((p) => DETAIL_NAMES[labId].includes(p.name)).map((p) => p.pid),
    ipc: labId === 'ipc' || labId === 'locks',
    pids,
    waits: procs.some((p) => (WAIT_NAMES[labId] ?? []).includes(p.name)),
    exitStatus: procs.filter((p) => p.state === 'Z' && (EXIT_NAMES[labId] ?? []).includes(p.name)).map((p) => p.pid),
  };
}
