// A whole ProcessInfo for tests of logic that takes one (rows, the store): every field at a plain value, the
// ones a test cares about given. Real readings come from the sampler; this is for shapes no /proc would make
// on demand (a 20,000-deep chain, a pid reused by a later process).
import type { ProcessInfo } from '../../src/core/model';
import type { RowOptions } from '../../webview/rows';

export function fakeProcess(pid: number, over: Partial<ProcessInfo> = {}): ProcessInfo {
  const startTicks = over.startTicks ?? pid;
  const name = over.name ?? `p${pid}`;
  return {
    key: `${pid}@${startTicks}`,
    pid,
    ppid: 1,
    pgid: pid,
    sid: 1,
    tty: null,
    ttyNr: 0,
    tpgid: -1,
    uid: 1000,
    euid: 1000,
    gid: 1000,
    egid: 1000,
    user: 'alice',
    euser: 'alice',
    name,
    cmdline: [`/bin/${name}`],
    exe: null,
    state: 'S',
    kernelThread: false,
    nice: 0,
    priority: 20,
    policy: 'SCHED_OTHER',
    rtPriority: 0,
    numThreads: 1,
    processor: 0,
    startTicks,
    startTime: 1_000_000 + startTicks * 10,
    utimeMs: 0,
    stimeMs: 0,
    cpuPercent: null,
    vsize: 0,
    rss: 0,
    minorFaults: 0,
    majorFaults: 0,
    voluntaryCtxtSwitches: null,
    nonvoluntaryCtxtSwitches: null,
    unavailable: {},
    ...over,
  };
}

/** The panel's row options at their plain values (everything shown, sorted by pid), the ones a test cares about given. */
export function rowOptions(over: Partial<RowOptions> = {}): RowOptions {
  return {
    collapsed: new Set(),
    threadsOpen: new Set(),
    filter: '',
    states: new Set(),
    sort: { column: 'pid', descending: false },
    showKernelThreads: false,
    showThreads: true,
    scope: 'all',
    workspace: new Map(),
    ...over,
  };
}
