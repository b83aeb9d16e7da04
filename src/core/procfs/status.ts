// /proc/PID/status: credentials, namespaced ids, signal masks, capabilities, affinity, context switches.
// Own code: @stroncium/procfs turns an empty `Groups:` into [NaN], splits signal masks into two 32-bit
// halves and reads Cpus_allowed with parseInt (wrong above 53 CPUs); it also skips capabilities and Kthread.
import { decodeCapabilities, type CapabilitySet } from './capabilities';
import { parseCpuList } from './cpuList';
import { decodeSignalMask, type DecodedSignals } from './signals';

export interface IdQuad {
  readonly real: number;
  readonly effective: number;
  readonly saved: number;
  readonly filesystem: number;
}

export interface StatusSignals {
  /** Pending for this thread (the main thread: status is the thread-group leader's view). */
  readonly pending: DecodedSignals | null;
  /** Pending for the whole process. */
  readonly sharedPending: DecodedSignals | null;
  readonly blocked: DecodedSignals | null;
  readonly ignored: DecodedSignals | null;
  readonly caught: DecodedSignals | null;
  /** Queued signals for the real uid / the RLIMIT_SIGPENDING limit. */
  readonly queued: number | null;
  readonly queueLimit: number | null;
}

export interface StatusMemory {
  /** Bytes (status prints kB). null when the line is absent (kernel threads and zombies have no VM lines). */
  readonly vmPeak: number | null;
  readonly vmSize: number | null;
  readonly vmLocked: number | null;
  readonly vmPinned: number | null;
  readonly vmHWM: number | null;
  readonly vmRSS: number | null;
  readonly rssAnon: number | null;
  readonly rssFile: number | null;
  readonly rssShmem: number | null;
  readonly vmData: number | null;
  readonly vmStack: number | null;
  readonly vmExe: number | null;
  readonly vmLib: number | null;
  readonly vmPTE: number | null;
  readonly vmSwap: number | null;
}

export interface ProcStatus {
  /** State letter (the first character of `State:`). */
  readonly state: string | null;
  readonly tgid: number | null;
  readonly pid: number | null;
  readonly ppid: number | null;
  /** Pid of the tracer (debugger, strace), 0 when not traced. */
  readonly tracerPid: number | null;
  /** File mode creation mask as octal text, e.g. `0022`. */
  readonly umask: string | null;
  readonly uid: IdQuad | null;
  readonly gid: IdQuad | null;
  /** Supplementary groups. */
  readonly groups: readonly number[];
  /** Ids in each pid namespace, outermost first (NSpid has more than one entry inside a container). */
  readonly nsTgid: readonly number[] | null;
  readonly nsPid: readonly number[] | null;
  readonly nsPgid: readonly number[] | null;
  readonly nsSid: readonly number[] | null;
  /** `Kthread:` line (kernel 6.6+); null on older kernels (use the PF_KTHREAD flag of stat). */
  readonly kthread: boolean | null;
  readonly threads: number | null;
  readonly fdSize: number | null;
  readonly memory: StatusMemory;
  readonly signals: StatusSignals;
  readonly capabilities: {
    readonly inheritable: CapabilitySet | null;
    readonly permitted: CapabilitySet | null;
    readonly effective: CapabilitySet | null;
    readonly bounding: CapabilitySet | null;
    readonly ambient: CapabilitySet | null;
  };
  readonly noNewPrivs: boolean | null;
  /** 0 disabled, 1 strict, 2 filter. */
  readonly seccomp: number | null;
  readonly cpusAllowedList: string | null;
  readonly cpusAllowed: readonly number[] | null;
  readonly memsAllowedList: string | null;
  readonly voluntaryCtxtSwitches: number | null;
  readonly nonvoluntaryCtxtSwitches: number | null;
}

/** `Key:\tvalue` lines to a map; `Name:` is escaped by the kernel, so no value spans lines. */
export function statusFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  return fields;
}

function int(value: string | undefined): number | null {
  if (value === undefined || !/^-?\d+$/.test(value)) return null;
  return Number(value);
}

function ints(value: string | undefined): number[] | null {
  if (value === undefined) return null;
  if (value === '') return [];
  const parts = value.split(/\s+/);
  return parts.every((p) => /^\d+$/.test(p)) ? parts.map(Number) : null;
}

function quad(value: string | undefined): IdQuad | null {
  const values = ints(value);
  if (!values || values.length !== 4) return null;
  const [real, effective, saved, filesystem] = values as [number, number, number, number];
  return { real, effective, saved, filesystem };
}

function kB(value: string | undefined): number | null {
  const match = value === undefined ? null : /^(\d+) kB$/.exec(value);
  return match ? Number(match[1]) * 1024 : null;
}

function signals(value: string | undefined): DecodedSignals | null {
  return value === undefined ? null : (decodeSignalMask(value) ?? null);
}

function caps(value: string | undefined): CapabilitySet | null {
  return value === undefined ? null : (decodeCapabilities(value) ?? null);
}

/** undefined when the text is not a status file at all (no Pid line): a truncated or foreign read. */
export function parseStatus(text: string): ProcStatus | undefined {
  const f = statusFields(text);
  if (!f.has('Pid')) return undefined;
  const sigQ = /^(\d+)\/(\d+)$/.exec(f.get('SigQ') ?? '');
  const cpusAllowedList = f.get('Cpus_allowed_list') ?? null;
  const kthread = f.get('Kthread');
  const noNewPrivs = f.get('NoNewPrivs');
  return {
    state: f.get('State')?.charAt(0) || null,
    tgid: int(f.get('Tgid')),
    pid: int(f.get('Pid')),
    ppid: int(f.get('PPid')),
    tracerPid: int(f.get('TracerPid')),
    umask: f.get('Umask') ?? null,
    uid: quad(f.get('Uid')),
    gid: quad(f.get('Gid')),
    groups: ints(f.get('Groups')) ?? [],
    nsTgid: ints(f.get('NStgid')),
    nsPid: ints(f.get('NSpid')),
    nsPgid: ints(f.get('NSpgid')),
    nsSid: ints(f.get('NSsid')),
    kthread: kthread === undefined ? null : kthread === '1',
    threads: int(f.get('Threads')),
    fdSize: int(f.get('FDSize')),
    memory: {
      vmPeak: kB(f.get('VmPeak')),
      vmSize: kB(f.get('VmSize')),
      vmLocked: kB(f.get('VmLck')),
      vmPinned: kB(f.get('VmPin')),
      vmHWM: kB(f.get('VmHWM')),
      vmRSS: kB(f.get('VmRSS')),
      rssAnon: kB(f.get('RssAnon')),
      rssFile: kB(f.get('RssFile')),
      rssShmem: kB(f.get('RssShmem')),
      vmData: kB(f.get('VmData')),
      vmStack: kB(f.get('VmStk')),
      vmExe: kB(f.get('VmExe')),
      vmLib: kB(f.get('VmLib')),
      vmPTE: kB(f.get('VmPTE')),
      vmSwap: kB(f.get('VmSwap')),
    },
    signals: {
      pending: signals(f.get('SigPnd')),
      sharedPending: signals(f.get('ShdPnd')),
      blocked: signals(f.get('SigBlk')),
      ignored: signals(f.get('SigIgn')),
      caught: signals(f.get('SigCgt')),
      queued: sigQ ? Number(sigQ[1]) : null,
      queueLimit: sigQ ? Number(sigQ[2]) : null,
    },
    capabilities: {
      inheritable: caps(f.get('CapInh')),
      permitted: caps(f.get('CapPrm')),
      effective: caps(f.get('CapEff')),
      bounding: caps(f.get('CapBnd')),
      ambient: caps(f.get('CapAmb')),
    },
    noNewPrivs: noNewPrivs === undefined ? null : noNewPrivs === '1',
    seccomp: int(f.get('Seccomp')),
    cpusAllowedList,
    cpusAllowed: cpusAllowedList === null ? null : (parseCpuList(cpusAllowedList) ?? null),
    memsAllowedList: f.get('Mems_allowed_list') ?? null,
    voluntaryCtxtSwitches: int(f.get('voluntary_ctxt_switches')),
    nonvoluntaryCtxtSwitches: int(f.get('nonvoluntary_ctxt_switches')),
  };
}
