// The panel filter's reverse look-ups: which processes use a port, a file, a lock, a shared-memory object, or
// have a thread of some name or state. Objects are resolved by the one resolver the CLI's `procscope who`
// uses (src/core/who.ts); threads are read here, and only while a thread term is asked for, since that reads
// task/*/stat of every process. Every term must hold; a process that cannot be read is counted, never fatal.
import { existsSync } from 'node:fs';
import { classify } from '../core/errors';
import { processKey } from '../core/model';
import { procFs } from '../core/procfs/procFs';
import { parseStat } from '../core/procfs/stat';
import { UserNames } from '../core/users';
import { who, WhoTargetError, type WhoResult, type WhoTarget, type WhoUse } from '../core/who';
import type { LookupMatch, LookupReason, LookupResult, LookupTerm } from '../protocol';

/** Reasons kept per process and term: enough to say why, bounded for a process that maps one file many times. */
const MAX_REASONS = 4;

export interface LookupOptions {
  readonly procRoot?: string;
  readonly users?: UserNames;
}

interface Found {
  readonly pid: number;
  readonly key: string;
  readonly reasons: LookupReason[];
}

export async function lookupProcesses(terms: readonly LookupTerm[], options: LookupOptions = {}): Promise<LookupResult> {
  const procRoot = options.procRoot ?? '/proc';
  if (!existsSync(`${procRoot}/self/stat`)) return { available: false };
  const users = options.users ?? new UserNames();
  const problems: { term: number; reason: string }[] = [];
  const unreadable = new Set<number>();
  const sets: Map<string, Found>[] = [];
  for (const [index, term] of terms.entries()) {
    if (term.kind === 'thread' || term.kind === 'tstate') continue;
    let result: WhoResult;
    try {
      result = await who(whoTarget(term), { procRoot, users });
    } catch (error) {
      if (!(error instanceof WhoTargetError)) throw error;
      problems.push({ term: index, reason: error.reason });
      sets.push(new Map());
      continue;
    }
    for (const u of result.unavailable) unreadable.add(u.pid);
    const found = new Map<string, Found>();
    for (const p of result.processes) {
      // No key: it exited between the walk and naming it; its identity cannot be told apart from a successor.
      if (p.processKey === null) continue;
      const reasons = p.uses.map((use) => reasonOf(use, result)).filter((r): r is LookupReason => r !== null);
      found.set(p.processKey, { pid: p.pid, key: p.processKey, reasons: dedupe(reasons).slice(0, MAX_REASONS) });
    }
    sets.push(found);
  }
  const threadTerms = terms.filter((t) => t.kind === 'thread' || t.kind === 'tstate');
  if (threadTerms.length > 0) sets.push(findThreads(procRoot, threadTerms, unreadable));

  let matches: Map<string, Found> | undefined;
  for (const set of sets) {
    if (!matches) {
      matches = new Map(set);
      continue;
    }
    const next = new Map<string, Found>();
    for (const [key, found] of matches) {
      const other = set.get(key);
      if (other) next.set(key, { ...found, reasons: [...found.reasons, ...other.reasons] });
    }
    matches = next;
  }
  const list: LookupMatch[] = [...(matches ?? new Map<string, Found>()).values()].sort((a, b) => a.pid - b.pid);
  return { available: true, matches: list, problems, unreadable: unreadable.size };
}

function whoTarget(term: Exclude<LookupTerm, { kind: 'thread' | 'tstate' }>): WhoTarget {
  switch (term.kind) {
    case 'port':
      return { kind: 'port', host: null, port: term.port };
    case 'file':
      return { kind: 'file', path: term.path, locksOnly: false };
    case 'lock':
      return { kind: 'file', path: term.path, locksOnly: true };
    case 'shm':
      return { kind: 'file', path: `/dev/shm/${term.name}`, locksOnly: false };
    case 'shmid':
      return { kind: 'sysv-shm', shmid: term.shmid };
  }
}

function reasonOf(use: WhoUse, result: WhoResult): LookupReason | null {
  const object = result.object;
  const path = object.kind === 'file' ? object.path : '';
  switch (use.how) {
    case 'listen':
    case 'bound':
    case 'connected':
      return { kind: 'socket', how: use.how, protocol: use.protocol, local: use.local, remote: use.remote };
    case 'lock-holder':
    case 'lock-waiter':
      return { kind: 'lock', how: use.how === 'lock-holder' ? 'holder' : 'waiter', lockClass: use.lockClass, access: use.access, path };
    case 'fd':
      return { kind: 'file', how: 'fd', path, fd: use.fd };
    case 'mmap':
      return object.kind === 'sysv-shm' ? { kind: 'shm', shmid: object.shmid } : { kind: 'file', how: 'mmap', path, fd: null };
    case 'cwd':
    case 'root':
    case 'exe':
      return { kind: 'file', how: use.how, path, fd: null };
  }
}

/** One reason per kind of use (`has it open` twice says nothing more than once). */
function dedupe(reasons: LookupReason[]): LookupReason[] {
  const seen = new Set<string>();
  return reasons.filter((r) => {
    const id = r.kind === 'file' ? `file:${r.how}` : r.kind === 'shm' ? 'shm' : JSON.stringify(r);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

const statBuffer = Buffer.allocUnsafe(4096);

/** The stat of one process or thread; undefined when it is gone, or when it is refused (then counted). */
function readStat(path: string, pid: number, unreadable: Set<number>): ReturnType<typeof parseStat> {
  try {
    const fd = procFs.openSync(path, 'r');
    try {
      return parseStat(statBuffer, procFs.readSync(fd, statBuffer, 0, statBuffer.length, 0));
    } finally {
      procFs.closeSync(fd);
    }
  } catch (error) {
    if (classify(error) !== 'gone') unreadable.add(pid);
    return undefined;
  }
}

/** Processes with one thread that satisfies every thread term: a name containing the text, a state among the letters. */
function findThreads(procRoot: string, terms: readonly LookupTerm[], unreadable: Set<number>): Map<string, Found> {
  const names = terms.flatMap((t) => (t.kind === 'thread' ? [t.name.toLowerCase()] : []));
  const states = terms.flatMap((t) => (t.kind === 'tstate' ? [t.states] : []));
  const fits = (comm: string, state: string): boolean =>
    names.every((n) => comm.toLowerCase().includes(n)) && states.every((s) => s.includes(state));
  const found = new Map<string, Found>();
  let pids: number[];
  try {
    pids = procFs
      .readdirSync(procRoot)
      .filter((n) => /^[1-9]\d*$/.test(n))
      .map(Number)
      .sort((a, b) => a - b);
  } catch (error) {
    classify(error);
    return found;
  }
  for (const pid of pids) {
    const own = readStat(`${procRoot}/${pid}/stat`, pid, unreadable);
    if (!own) continue;
    let tids: string[];
    try {
      tids = procFs.readdirSync(`${procRoot}/${pid}/task`);
    } catch (error) {
      if (classify(error) !== 'gone') unreadable.add(pid);
      continue;
    }
    const reasons: LookupReason[] = [];
    for (const tid of tids.map(Number).sort((a, b) => a - b)) {
      if (!Number.isInteger(tid) || tid <= 0) continue;
      const st = readStat(`${procRoot}/${pid}/task/${tid}/stat`, pid, unreadable);
      if (!st || !fits(st.comm, st.state)) continue;
      if (reasons.length < MAX_REASONS) reasons.push({ kind: 'thread', tid, name: st.comm, state: st.state });
      else break;
    }
    if (reasons.length > 0) {
      const key = processKey(pid, own.starttime);
      found.set(key, { pid, key, reasons });
    }
  }
  return found;
}
