// What the threads in the panel's scope wait for, in brief, as the host's look after each IPC scan found it:
// the tree's "Waiting for" column reads it here, and the IPC view's Waits layer draws it. Pure logic (no DOM),
// so it is tested without a browser.
import type { ProcessKey } from '../src/core/model';
import type { WaitBrief, WaitCycle, WaitParty, WaitsOverview } from '../src/protocol';
import { visible } from '../src/shared/visible';
import { t, type MessageKey } from './i18n';

/** What one cell of the "Waiting for" column shows. */
export interface WaitCell {
  /** One short line: the kind and the first party that can wake it. */
  readonly text: string;
  /** Every waiting thread it stands for, one line each, for the tooltip. */
  readonly title: string;
  /** A thread of a wait-for cycle (drawn red). */
  readonly deadlock: boolean;
}

/** An edge of the wait-for graph between processes: some thread of `from` waits for `to` (or a thread of it). */
export interface WaitEdge {
  readonly from: number;
  readonly to: number;
  /** The waits it stands for (several threads, or several kinds, between the same two processes). */
  readonly waits: readonly WaitBrief[];
  /** At least one of them is part of a wait-for cycle. */
  readonly deadlock: boolean;
}

const threadId = (key: ProcessKey, tid: number): string => `${key}/${tid}`;

/** A party as the column names it: `813 worker-2` (a thread) or `1200 cat` (any thread of a process). */
export function partyText(p: WaitParty): string {
  const id = p.tid ?? p.pid;
  return p.name === '' ? String(id) : `${id} ${visible(p.name)}`;
}

export function waitKindText(kind: WaitBrief['kind']): string {
  return t(`waitKind.${kind}` as MessageKey);
}

/** The short text of one thread's wait: `mutex → 813 worker-2`, `pipe → 1200 cat (+1)`, `poll`. */
export function briefText(w: WaitBrief): string {
  const kind = waitKindText(w.kind);
  const first = w.holders[0];
  if (!first) return kind;
  const party = w.holderCount > 1 ? t('waitCell.more', partyText(first), w.holderCount - 1) : partyText(first);
  return t('waitCell.holder', kind, party);
}

/** One tooltip line: `812 worker-1: mutex 0x7f…  → 813 worker-2`. */
function briefLine(w: WaitBrief): string {
  const object = w.object === '' ? '' : ` ${visible(w.object)}`;
  const parties = w.holders.map(partyText).join(', ') + (w.holderCount > w.holders.length ? ', …' : '');
  const head = `${w.tid} ${visible(w.name)}: ${waitKindText(w.kind)}${object}`;
  return parties === '' ? head : t('waitCell.holder', head, parties);
}

/** Rank of a wait for standing for its process: a deadlock first, then a wait someone known can end. */
function weight(w: WaitBrief, deadlocked: boolean): number {
  return (deadlocked ? 4 : 0) + (w.holders.length > 0 ? 2 : 0) + (w.kind === 'io' ? 1 : 0);
}

export class WaitsStore {
  private byThread = new Map<string, WaitBrief>();
  private byProcess = new Map<ProcessKey, WaitBrief[]>();
  private inCycle = new Set<string>();
  private current: WaitsOverview = { threads: [], cycles: [] };
  /** Bumped on each new overview, so a view redraws only when it changed. */
  generation = 0;

  get overview(): WaitsOverview {
    return this.current;
  }

  get cycles(): readonly WaitCycle[] {
    return this.current.cycles;
  }

  set(overview: WaitsOverview): void {
    this.current = overview;
    this.generation++;
    this.byThread = new Map();
    this.byProcess = new Map();
    this.inCycle = new Set();
    for (const c of overview.cycles) for (const m of c.members) this.inCycle.add(threadId(m.key, m.tid));
    for (const w of overview.threads) {
      this.byThread.set(threadId(w.key, w.tid), w);
      const list = this.byProcess.get(w.key);
      if (list) list.push(w);
      else this.byProcess.set(w.key, [w]);
    }
  }

  /** The cell of a thread row; undefined when the look saw it running, or did not look at it. */
  forThread(key: ProcessKey, tid: number): WaitCell | undefined {
    const w = this.byThread.get(threadId(key, tid));
    if (!w) return undefined;
    const deadlock = this.inCycle.has(threadId(key, tid));
    const text = briefText(w);
    const line = briefLine(w);
    return {
      text: deadlock ? t('waitCell.deadlock', text) : text,
      title: deadlock ? `${t('waitCell.deadlockTitle')}\n${line}` : line,
      deadlock,
    };
  }

  /**
   * The cell of a process row: the wait of its most telling thread (one in a deadlock, else one someone known
   * can end), with how many more of its threads wait; the tooltip lists them all.
   */
  forProcess(key: ProcessKey): WaitCell | undefined {
    const list = this.byProcess.get(key);
    if (!list || list.length === 0) return undefined;
    let best = list[0]!;
    let bestWeight = -1;
    let deadlock = false;
    for (const w of list) {
      const d = this.inCycle.has(threadId(key, w.tid));
      deadlock ||= d;
      const wt = weight(w, d);
      if (wt > bestWeight) {
        best = w;
        bestWeight = wt;
      }
    }
    let text = briefText(best);
    if (list.length > 1) text = t('waitCell.moreThreads', text, list.length - 1);
    if (deadlock) text = t('waitCell.deadlock', text);
    const shown = list.slice(0, 12).map(briefLine);
    if (list.length > shown.length) shown.push(t('waitCell.moreLines', list.length - shown.length));
    return { text, title: (deadlock ? [t('waitCell.deadlockTitle'), ...shown] : shown).join('\n'), deadlock };
  }

  /**
   * The wait-for graph between processes: one edge per (waiting process, waking process) pair with every wait
   * behind it. A thread waiting for a thread of its own process draws no edge (the IPC view draws processes);
   * `inView` limits both ends to the processes the view shows.
   */
  edges(inView: (pid: number) => boolean): WaitEdge[] {
    const out = new Map<string, { from: number; to: number; waits: WaitBrief[]; deadlock: boolean }>();
    for (const w of this.current.threads) {
      if (!inView(w.pid)) continue;
      const d = this.inCycle.has(threadId(w.key, w.tid));
      for (const h of w.holders) {
        if (h.pid === w.pid || !inView(h.pid)) continue;
        const id = `${w.pid}>${h.pid}`;
        const e = out.get(id);
        if (e) {
          if (!e.waits.includes(w)) e.waits.push(w);
          e.deadlock ||= d;
        } else out.set(id, { from: w.pid, to: h.pid, waits: [w], deadlock: d });
      }
    }
    return [...out.values()];
  }

  /** Cycles that stay inside one process (two threads on two mutexes): drawn as a mark on that process. */
  selfCycles(): Map<number, WaitCycle[]> {
    const out = new Map<number, WaitCycle[]>();
    for (const c of this.current.cycles) {
      const pid = c.members[0]?.pid;
      if (pid === undefined || !c.members.every((m) => m.pid === pid)) continue;
      const list = out.get(pid);
      if (list) list.push(c);
      else out.set(pid, [c]);
    }
    return out;
  }

  /** The tooltip line of one wait (the IPC view labels its edges with these). */
  static line(w: WaitBrief): string {
    return briefLine(w);
  }
}
