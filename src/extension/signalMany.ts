// "Kill process tree" and "Kill process group": one signal to several processes, each named by its identity.
// No vscode import: unit-tested on real process trees.
//
// The members come from the host's newest snapshot (the tree and pgid the user saw), never from kill(-pgid)
// or a fresh walk: kill(-pgid) reaches whatever holds the group at that instant and cannot check who that is.
// Each member's identity (pid + start time) is re-checked just before its own signal (signalIdentity), so a
// member that exited, or whose pid was handed to another process meanwhile, is skipped and counted.
import type { ProcessInfo } from '../core/model';
import type { AllowedSignal } from '../protocol';
import { buildProcessTree, descendants } from '../shared/processTree';
import { visible } from '../shared/visible';
import { identityFromKey, signalIdentity, type SignalOutcome } from './processIdentity';

export type Member = Pick<ProcessInfo, 'pid' | 'ppid' | 'key' | 'name' | 'pgid' | 'startTime' | 'kernelThread'>;

/**
 * The target and its descendants in the snapshot, leaves first (a parent is signalled after its children,
 * so a shell that would restart or reap a child learns of it last). Empty when the key is not in it.
 */
export function treeMembers<T extends Member>(processes: readonly T[], key: string): T[] {
  const target = processes.find((p) => p.key === key);
  if (!target) return [];
  const tree = buildProcessTree(processes);
  // The tree is built by pid; the key decides which process the user picked when a pid reappears.
  if (tree.byPid.get(target.pid) !== target) return [target];
  return descendants(tree, target.pid)
    .reverse()
    .map((pid) => tree.byPid.get(pid)!);
}

/**
 * Every process whose process group (from the snapshot) is the target's, deepest first. Kernel threads have
 * no group of their own to share (pgid 0): only the target itself then.
 */
export function groupMembers<T extends Member>(processes: readonly T[], key: string): T[] {
  const target = processes.find((p) => p.key === key);
  if (!target) return [];
  if (target.kernelThread || target.pgid <= 0) return [target];
  const inGroup = processes.filter((p) => p.pgid === target.pgid && !p.kernelThread);
  const tree = buildProcessTree(processes);
  const depth = new Map<number, number>();
  const depthOf = (pid: number): number => {
    let d = 0;
    const seen = new Set<number>();
    for (let p = tree.parentOf.get(pid); p && !seen.has(p.pid); p = tree.parentOf.get(p.pid)) {
      seen.add(p.pid);
      d++;
    }
    return d;
  };
  for (const p of inGroup) depth.set(p.pid, depthOf(p.pid));
  return inGroup.sort((a, b) => depth.get(b.pid)! - depth.get(a.pid)! || b.pid - a.pid);
}

export interface SignalManyResult {
  readonly total: number;
  readonly sent: number;
  /** Exited, or the pid now belongs to another process: nothing was sent to it. */
  readonly gone: number;
  readonly denied: number;
  readonly failed: number;
  /** The first failure's text (errno), to show beside the counts. */
  readonly firstError?: string;
}

export type SignalFn = (id: { pid: number; startTicks: string }, signal: AllowedSignal) => Promise<SignalOutcome>;

/** Signals each member in the order given, each through its own identity check. */
export async function signalMembers(
  members: readonly Pick<Member, 'pid' | 'key'>[],
  signal: AllowedSignal,
  send: SignalFn = signalIdentity,
): Promise<SignalManyResult> {
  let sent = 0;
  let gone = 0;
  let denied = 0;
  let failed = 0;
  let firstError: string | undefined;
  for (const m of members) {
    const id = identityFromKey(m.key);
    if (!id || id.pid !== m.pid) {
      failed++;
      continue;
    }
    const outcome = await send(id, signal);
    switch (outcome.kind) {
      case 'sent':
        sent++;
        break;
      case 'exited':
      case 'reused':
        gone++;
        break;
      case 'denied':
        denied++;
        break;
      case 'failed':
        failed++;
        firstError ??= outcome.message;
        break;
    }
  }
  const result = { total: members.length, sent, gone, denied, failed };
  return firstError === undefined ? result : { ...result, firstError };
}

/**
 * The first few members as "pid name" text for a confirmation dialog, OS strings made visible (a name is the
 * kernel's bytes: control characters and undecodable bytes show as escapes, never raw).
 */
export function firstNames(members: readonly Pick<Member, 'pid' | 'name'>[], limit = 5): string[] {
  return members.slice(0, limit).map((m) => `${m.pid} ${visible(m.name)}`);
}
