// The debugger's names for OS threads, per debuggee (from the host's debugThreads messages).
import type { DebugThreadName } from '../src/protocol';

/**
 * The certain pairings in a debugThreads message, by tid. Host → webview only, but checked anyway: a
 * malformed entry is left out, and a malformed message gives null (it changes nothing).
 */
export function parseDebugThreads(pid: unknown, threads: unknown): { pid: number; byTid: Map<number, DebugThreadName> } | null {
  if (typeof pid !== 'number' || !Array.isArray(threads)) return null;
  const byTid = new Map<number, DebugThreadName>();
  for (const th of threads as unknown[]) {
    const d = th as Partial<DebugThreadName> | null;
    if (!d || typeof d.tid !== 'number' || typeof d.dapName !== 'string' || typeof d.session !== 'string') continue;
    if (d.reason !== 'single-thread' && d.reason !== 'name-match') continue;
    byTid.set(d.tid, { tid: d.tid, dapName: d.dapName, session: d.session, reason: d.reason });
  }
  return { pid, byTid };
}

export class DebugThreadNames {
  private readonly byPid = new Map<number, Map<number, DebugThreadName>>();

  /** Applies a debugThreads message; false when it was malformed (nothing changed). */
  apply(pid: unknown, threads: unknown): boolean {
    const parsed = parseDebugThreads(pid, threads);
    if (!parsed) return false;
    if (parsed.byTid.size) this.byPid.set(parsed.pid, parsed.byTid);
    else this.byPid.delete(parsed.pid);
    return true;
  }

  get(pid: number, tid: number): DebugThreadName | undefined {
    return this.byPid.get(pid)?.get(tid);
  }
}
