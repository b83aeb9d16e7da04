// The one place a process's record (ProcessInfo) is put together from what was read: the live sampler and the
// CLI's one-shot snapshot reader both build it here, so their records cannot drift apart in shape or field
// order (`procscope snapshot --json` is held byte for byte to the sampler's first poll).
import { classify, reasonOf } from './errors';
import type { ProcessInfo, StateLetter, SystemInfo, ThreadInfo } from './model';
import { processKey } from './model';
import { readlinkText } from './procfs/procFs';
import { PF_KTHREAD, policyName, type StatFields } from './procfs/stat';
import type { StatusSummary } from './procfs/statusSummary';
import type { TtyNames } from './tty';
import type { UserNames } from './users';

/** The process's executable (the `exe` link in `base`, a /proc/PID directory), or null and why, for both readers. */
export function readExeLink(base: string): { readonly exe: string | null; readonly exeReason: string | undefined } {
  try {
    return { exe: readlinkText(`${base}/exe`), exeReason: undefined };
  } catch (error) {
    // Kernel threads and zombies have no exe link (ENOENT) although the process is still there; any other
    // errno (ENAMETOOLONG for a path past PATH_MAX) is this field's alone.
    const noLink = classify(error) === 'gone' && (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
    return { exe: null, exeReason: noLink ? 'no executable (kernel thread or zombie)' : reasonOf(error) };
  }
}

export interface RecordParts {
  readonly pid: number;
  /** 0, or how many earlier processes the reader saw at this pid with this same start time. */
  readonly incarnation: number;
  readonly st: StatFields;
  readonly system: SystemInfo;
  readonly ttys: TtyNames;
  readonly users: UserNames;
  readonly status: StatusSummary | null;
  /** Why status could not be read (its credentials are then unavailable for this reason). */
  readonly statusReason: string | undefined;
  readonly cmdline: readonly string[] | null;
  readonly exe: string | null;
  /** The process's state: its stat's, or a live thread's for a zombie leader. */
  readonly state: StateLetter;
  readonly vsize: number;
  /** Resident set size in bytes, as the reader chose it (status's exact VmRSS or stat's page count). */
  readonly rss: number;
  readonly cpuPercent: number | null;
  readonly voluntaryCtxtSwitches: number | null;
  readonly nonvoluntaryCtxtSwitches: number | null;
  readonly leaderZombie: boolean;
  /** The threads, when they were asked for. */
  readonly threads: ThreadInfo[] | undefined;
  /** Fields other than the credentials that could not be read, with why. */
  readonly unavailable: Readonly<Record<string, string>>;
}

const CREDENTIALS = ['uid', 'euid', 'gid', 'egid', 'user', 'euser'] as const;

export function processRecord(r: RecordParts): ProcessInfo {
  const { pid, st, system, status } = r;
  // Without status the credentials are unknown, for the reason status was not read; they come first.
  const unavailable: Record<string, string> = {};
  if (!status) for (const k of CREDENTIALS) unavailable[k] = r.statusReason ?? 'unreadable';
  Object.assign(unavailable, r.unavailable);
  return {
    key: processKey(pid, st.starttime, r.incarnation),
    pid,
    ppid: st.ppid,
    pgid: st.pgrp,
    sid: st.session,
    tty: r.ttys.name(st.ttyNr),
    ttyNr: st.ttyNr,
    tpgid: st.tpgid,
    uid: status?.uid ?? null,
    euid: status?.euid ?? null,
    gid: status?.gid ?? null,
    egid: status?.egid ?? null,
    user: status ? r.users.name(status.uid) : null,
    euser: status ? r.users.name(status.euid) : null,
    name: st.comm,
    cmdline: r.cmdline,
    exe: r.exe,
    state: r.state,
    kernelThread: (st.flags & PF_KTHREAD) !== 0,
    nice: st.nice,
    priority: st.priority,
    policy: policyName(st.policy),
    rtPriority: st.rtPriority,
    numThreads: st.numThreads,
    processor: st.processor,
    startTicks: st.starttime,
    startTime: system.bootTime + (st.starttime * 1000) / system.clockTicks,
    utimeMs: (st.utime * 1000) / system.clockTicks,
    stimeMs: (st.stime * 1000) / system.clockTicks,
    cpuPercent: r.cpuPercent,
    vsize: r.vsize,
    rss: r.rss,
    minorFaults: st.minflt,
    majorFaults: st.majflt,
    voluntaryCtxtSwitches: r.voluntaryCtxtSwitches,
    nonvoluntaryCtxtSwitches: r.nonvoluntaryCtxtSwitches,
    ...(r.leaderZombie ? { leaderZombie: true } : {}),
    ...(r.threads ? { threads: r.threads } : {}),
    ...(Object.keys(unavailable).length ? { unavailable } : {}),
  };
}
