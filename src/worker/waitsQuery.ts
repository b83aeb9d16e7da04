// The panel's questions about waits, answered where the panel reads /proc (its worker, or in-thread): what
// the selected process's blocked threads wait for, and which wait-for cycles touch the processes in view.
// Pure Node: no vscode import.
import { ProcScopeError } from '../core/errors';
import type { IpcMap } from '../core/ipc/model';
import { WaitProbeCache } from '../core/waits/cache';
import { collectWaits } from '../core/waits/collect';
import { WAIT_BRIEF_HOLDERS, type CycleMember, type WaitBrief, type WaitCycle, type WaitsOverview, type WaitsResult } from '../protocol';
import { checkIdentity, currentStartTicks, identityFromKey } from '../extension/processIdentity';

/**
 * How old an IPC scan may be and still name the holders of a selected thread's pipe or socket. The panel
 * scans at its IPC cadence anyway; walking every fd again for each detail refresh would double that cost.
 */
export const IPC_REUSE_MS = 10_000;

/** The scan, when it is recent enough to reuse (otherwise the look scans afresh, if an fd wait needs it). */
export function recentIpc(map: IpcMap | undefined, now = Date.now()): IpcMap | undefined {
  return map && now - map.timestamp <= IPC_REUSE_MS ? map : undefined;
}

export class WaitsQuery {
  // One cache per question: each look sweeps the entries it did not ask about, and the two looks ask about
  // different threads.
  private readonly selectionCache = new WaitProbeCache();
  private readonly cycleCache = new WaitProbeCache();

  constructor(private readonly procRoot = '/proc') {}

  /**
   * The wait facts of the threads of the process with this key, and the cycles it is part of. The look follows
   * its waits to the processes that can wake it, and theirs, so every cycle through it is found; a pid now
   * held by another process is NO_SUCH_PROCESS.
   */
  forProcess(pid: number, key: string, ipc?: IpcMap | (() => IpcMap)): WaitsResult {
    const id = identityFromKey(key);
    if (!id || id.pid !== pid) throw new ProcScopeError('BAD_REQUEST', `not a key of process ${pid}: ${key}`);
    const gone = (): ProcScopeError =>
      new ProcScopeError(
        'NO_SUCH_PROCESS',
        `process ${key} has exited${checkIdentity(id, this.procRoot) === 'reused' ? `; pid ${pid} is now another process` : ''}`,
      );
    if (checkIdentity(id, this.procRoot) !== 'same') throw gone();
    const cache = this.selectionCache;
    const report = collectWaits({
      procRoot: this.procRoot,
      pid,
      ...(ipc ? { ipc } : {}),
      probe: (dir, tid, stat) => cache.lookup(dir, tid, stat),
    });
    cache.sweep();
    // Read again after the look: facts read from a successor that took the pid meanwhile are not sent.
    if (checkIdentity(id, this.procRoot) !== 'same') throw gone();
    const threads = report.threads.filter((th) => th.waitingFor !== null);
    const names: Record<string, string> = {};
    const name = (ref: { pid: number; tid: number | null }): void => {
      const k = ref.tid === null ? String(ref.pid) : `${ref.pid}/${ref.tid}`;
      const n = report.names.get(k);
      if (n !== undefined) names[k] = n;
      const p = report.names.get(String(ref.pid));
      if (p !== undefined) names[String(ref.pid)] = p;
    };
    for (const th of threads) {
      name({ pid: th.pid, tid: th.tid });
      for (const h of th.waitingFor?.holders ?? []) name(h);
    }
    for (const c of report.cycles) for (const n of c) name(n);
    return { key, threads, cycles: report.cycles, names, ptraceScope: report.ptraceScope };
  }

  /** The wait-for cycles with at least one thread in `pids` (null: every process); see `overview`. */
  cycles(pids: readonly number[] | null, known: ReadonlyMap<number, { readonly key: string }>, ipc?: IpcMap | (() => IpcMap)): WaitCycle[] {
    return [...this.overview(pids, known, ipc).cycles];
  }

  /**
   * What the blocked threads of `pids` (null: every process) wait for, in brief, and the wait-for cycles with at
   * least one of their threads, each member named with its process key. Only threads of `pids` and of the
   * processes they wait for (transitively) are probed: the cost follows what the panel shows.
   */
  overview(
    pids: readonly number[] | null,
    known: ReadonlyMap<number, { readonly key: string }>,
    ipc?: IpcMap | (() => IpcMap),
  ): WaitsOverview {
    const inScope = pids === null ? null : new Set(pids);
    const cache = this.cycleCache;
    // The look starts from the processes in scope and follows their waits (a holder outside the scope is
    // read too, so a cycle through it is found); no other process is read.
    const report = collectWaits({
      procRoot: this.procRoot,
      from: pids,
      ...(ipc ? { ipc } : {}),
      probe: (dir, tid, stat) => cache.lookup(dir, tid, stat),
    });
    cache.sweep();
    const keyOf = new Map<number, string | undefined>();
    const key = (pid: number): string | undefined => {
      if (!keyOf.has(pid)) keyOf.set(pid, known.get(pid)?.key ?? keyNow(pid, this.procRoot));
      return keyOf.get(pid);
    };
    const cycles: WaitCycle[] = [];
    for (const c of report.cycles) {
      if (inScope !== null && !c.some((n) => inScope.has(n.pid))) continue;
      const members: CycleMember[] = [];
      for (const n of c) {
        const k = key(n.pid);
        if (k === undefined) break; // a member exited during the look: the cycle is gone with it
        members.push({ pid: n.pid, tid: n.tid, key: k, name: report.names.get(`${n.pid}/${n.tid}`) ?? '' });
      }
      if (members.length === c.length) cycles.push({ members });
    }
    const threads: WaitBrief[] = [];
    for (const th of report.threads) {
      const w = th.waitingFor;
      if (w === null || (inScope !== null && !inScope.has(th.pid))) continue;
      const k = key(th.pid);
      if (k === undefined) continue; // exited during the look
      const all = w.holders ?? (w.holder ? [w.holder] : []);
      const holders = all.slice(0, WAIT_BRIEF_HOLDERS).map((h) => ({
        pid: h.pid,
        tid: h.tid,
        name: report.names.get(h.tid === null ? String(h.pid) : `${h.pid}/${h.tid}`) ?? '',
      }));
      threads.push({ pid: th.pid, tid: th.tid, key: k, name: th.name, kind: w.kind, holders, holderCount: all.length, object: w.object });
    }
    return { threads, cycles };
  }
}

function keyNow(pid: number, procRoot: string): string | undefined {
  const start = currentStartTicks(pid, procRoot);
  return start === undefined ? undefined : `${pid}@${start}`;
}
