// The panel's questions about waits, answered where the panel reads /proc (its worker, or in-thread): what
// the selected process's blocked threads wait for, and which wait-for cycles touch the processes in view.
// Pure Node: no vscode import.
import { ProcScopeError } from '../core/errors';
import type { IpcMap } from '../core/ipc/model';
import { WaitProbeCache } from '../core/waits/cache';
import { collectWaits } from '../core/waits/collect';
import type { ThreadProbe } from '../core/waits/probe';
import type { CycleMember, WaitCycle, WaitsResult } from '../protocol';
import { checkIdentity, currentStartTicks, identityFromKey } from './processIdentity';

/** A probe for a thread left out of a look: it reads as running, so it adds no fact and no edge. */
const NOT_LOOKED_AT: ThreadProbe = { wchan: null, line: { kind: 'running' }, unavailable: {} };

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
   * The wait facts of the threads of the process with this key, and the cycles it is part of. The graph spans
   * every process (a holder may be anywhere); a pid now held by another process is NO_SUCH_PROCESS.
   */
  forProcess(pid: number, key: string, ipc?: IpcMap): WaitsResult {
    const id = identityFromKey(key);
    if (!id || id.pid !== pid) throw new ProcScopeError('BAD_REQUEST', `not a key of process ${pid}: ${key}`);
    const gone = (): ProcScopeError => new ProcScopeError('NO_SUCH_PROCESS', `process ${key} has exited${checkIdentity(id, this.procRoot) === 'reused' ? `; pid ${pid} is now another process` : ''}`);
    if (checkIdentity(id, this.procRoot) !== 'same') throw gone();
    const cache = this.selectionCache;
    const report = collectWaits({ procRoot: this.procRoot, pid, ...(ipc ? { ipc } : {}), probe: (dir, tid, stat) => cache.lookup(dir, tid, stat) });
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

  /**
   * The wait-for cycles with at least one thread in `pids` (null: every process), each member named with its
   * process key. Only threads of `pids` are probed, so a cycle that runs through a process outside them is
   * not seen: the cost follows what the panel shows.
   */
  cycles(pids: readonly number[] | null, known: ReadonlyMap<number, { readonly key: string }>, ipc?: IpcMap): WaitCycle[] {
    const inScope = pids === null ? null : new Set(pids);
    const cache = this.cycleCache;
    const report = collectWaits({
      procRoot: this.procRoot,
      ...(ipc ? { ipc } : {}),
      probe: (dir, tid, stat) => {
        const pid = Number(dir.slice(this.procRoot.length + 1).split('/')[0]);
        return inScope === null || inScope.has(pid) ? cache.lookup(dir, tid, stat) : NOT_LOOKED_AT;
      },
    });
    cache.sweep();
    const out: WaitCycle[] = [];
    for (const c of report.cycles) {
      if (inScope !== null && !c.some((n) => inScope.has(n.pid))) continue;
      const members: CycleMember[] = [];
      for (const n of c) {
        const key = known.get(n.pid)?.key ?? keyNow(n.pid, this.procRoot);
        if (key === undefined) break; // a member exited during the look: the cycle is gone with it
        members.push({ pid: n.pid, tid: n.tid, key, name: report.names.get(`${n.pid}/${n.tid}`) ?? '' });
      }
      if (members.length === c.length) out.push({ members });
    }
    return out;
  }
}

function keyNow(pid: number, procRoot: string): string | undefined {
  const start = currentStartTicks(pid, procRoot);
  return start === undefined ? undefined : `${pid}@${start}`;
}
