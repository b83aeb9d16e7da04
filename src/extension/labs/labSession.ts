// One running walkthrough lab, between panel ticks: what to read next (threads, details, IPC), and what to
// post (the card when it changed, a focus when the lab's processes changed, completion once). Pure Node, no
// vscode import: the host's runner (labRunner.ts) feeds it the panel's readings, unit tests feed it real ones.
import type { ProcessDetail } from '../../core/detail';
import type { IpcMap } from '../../core/ipc/model';
import { LabTracker, LABS, runsScript, type LabId, type LabNeeds } from '../../core/labs';
import type { Snapshot } from '../../core/model';
import type { LabCard, Locale, WorkspaceMember } from '../../protocol';
import type { LabFacts } from '../../worker/protocol';

/** What the panel gives the runner each tick (ProcScopePanel satisfies it). */
export interface LabPanel {
  readonly isDisposed: boolean;
  readonly currentSnapshot: Snapshot | undefined;
  /** The process whose detail pane is open, if any. */
  readonly selectedPid: number | undefined;
  /** A PCB detail read off the extension host's thread (the panel's worker). */
  readDetail(pid: number): Promise<ProcessDetail>;
  /** The lab's wait facts and zombies' exit status, read in the panel's worker. */
  readLabFacts(waitPids: readonly number[] | null, exitPids: readonly number[]): Promise<LabFacts>;
  focus(pids: readonly number[], reason: string): void;
  showLabCard(card: LabCard | null): void;
}

/** The panel calls these (PanelServices.labs); the runner implements them. */
export interface LabPanelHook {
  /** Pids whose threads the panel's next poll reads too (the lab's rules look at thread names). */
  threads(): readonly number[];
  /** After each poll while the panel is live; `members` when "This workspace" changed (always on a full snapshot). */
  onTick(panel: LabPanel, members: readonly WorkspaceMember[] | undefined): void;
  /** After each IPC scan the panel ran anyway (labs reuse it rather than scanning again). */
  onIpc(map: IpcMap): void;
  /** The page is shown the table of the kept tick taken at `at` (ms since the epoch): the fork lab's rewind step. */
  onRewind(at: number): void;
}

export interface LabTickInput {
  readonly snapshot: Snapshot;
  /** The newest "This workspace" members (vscode_itself). */
  readonly members?: readonly WorkspaceMember[];
  /** The newest IPC map; read only when the lab needs one. */
  readonly ipc?: IpcMap;
  /** The panel's selected process, whoever selected it (the session tells the learner's own selections apart). */
  readonly selectedPid?: number;
  /** Reads one PCB detail; rejects when the process is gone or unreadable (that detail is skipped). */
  readDetail(pid: number): Promise<ProcessDetail>;
  /** Reads the lab's wait facts (for `waitPids`) and its zombies' exit status; rejects when the worker cannot. */
  readLabFacts(waitPids: readonly number[] | null, exitPids: readonly number[]): Promise<LabFacts>;
}

export interface LabTickOutput {
  /** The card, when it differs from the last one returned (post `labCard`); else null. */
  readonly card: LabCard | null;
  /** The pids to focus, when they changed (post `focus`); else null. */
  readonly focus: readonly number[] | null;
  /** True exactly once: every item observed (run the completion command). */
  readonly completedNow: boolean;
}

/** The card items whose rule reads the selected process's detail (the PCB item). */
const READS_SELECTED: Readonly<Record<LabId, boolean>> = {
  pcb_states: true,
  fork_cow: false,
  threads: false,
  ipc: false,
  locks: false,
  deadlock: false,
  counter: false,
  semaphore: false,
  signals: false,
  multiprocess: false,
  gil: false,
  vscode_itself: false,
};

/** The pids whose detail to read this tick: what the rules ask for, plus the selected lab process for the PCB item. */
export function detailPids(labId: LabId, needs: LabNeeds, selectedPid: number | undefined): number[] {
  const pids = new Set(needs.details);
  if (READS_SELECTED[labId] && selectedPid !== undefined && needs.pids.includes(selectedPid)) pids.add(selectedPid);
  return [...pids];
}

/**
 * vscode_itself focuses "This workspace": VS Code's other processes, then the extension host last. The panel
 * selects the first pid of a focus by itself, and the card's items wait for the learner to select the
 * extension host (and the others) themself.
 */
export function vscodeFocus(hostPid: number, members: readonly WorkspaceMember[]): number[] {
  const others = members
    .filter((m) => m.role === 'vscode' && m.pid !== hostPid)
    .map((m) => m.pid)
    .sort((a, b) => a - b);
  return [...others, hostPid];
}

/**
 * Tells the learner's own selections from those the panel made by itself: at the lab's start (whatever was
 * selected before) and after each focus (the panel selects the focus's first pid). The panel's `select`
 * message does not say who selected; until the selection has moved to a third process, the focus's first
 * pid and the selection from before the focus (the focus may not have landed yet) are not the learner's.
 */
export class SelectionOrigin {
  private auto: number | undefined;
  private before: number | undefined;
  private moved = false;
  private started = false;

  /** The selection at this tick, if the learner made it; undefined otherwise. */
  learnerSelection(selected: number | undefined): number | undefined {
    if (!this.started) {
      this.started = true;
      this.before = selected;
    }
    if (selected === undefined) return undefined;
    if (!this.moved && selected !== this.auto && selected !== this.before) this.moved = true;
    return this.moved ? selected : undefined;
  }

  /** A focus was posted while `selected` was the selection: the panel is about to select `pids[0]`. */
  focused(pids: readonly number[], selected: number | undefined): void {
    if (pids.length === 0) return;
    this.auto = pids[0];
    this.before = selected;
    this.moved = false;
  }
}

function sameCard(a: LabCard | null, b: LabCard): boolean {
  return (
    !!a &&
    a.title === b.title &&
    a.pids.join(',') === b.pids.join(',') &&
    a.items.map((i) => `${i.id}:${i.done ? 1 : 0}:${i.text}`).join('\n') ===
      b.items.map((i) => `${i.id}:${i.done ? 1 : 0}:${i.text}`).join('\n')
  );
}

export class LabSession {
  private readonly tracker: LabTracker;
  private posted: LabCard | null = null;
  private wanted: readonly number[] = [];
  /**
   * The processes running the lab's script seen so far (pid → start time). The lab has ended when every one of
   * them has exited and the shell has no child left. A tick with no process under the shell does not say so
   * alone: the shell's own short-lived children (its start-up files, prompt hooks) can come and go before the
   * lab starts.
   */
  private readonly scriptProcesses = new Map<number, number>();
  private ended = false;
  private vscodeFocused = false;
  private members: readonly WorkspaceMember[] = [];
  private readonly selection = new SelectionOrigin();

  /**
   * @param shellPid the lab terminal's shell: the lab's processes are what it started (not the shell itself);
   *   without it they are found by the lab's script in argv.
   * @param hostPid the extension host's pid (vscode_itself).
   */
  constructor(
    readonly labId: LabId,
    readonly locale: Locale,
    readonly shellPid: number | undefined,
    readonly hostPid: number,
  ) {
    this.tracker = new LabTracker(labId, locale, shellPid === undefined ? undefined : [shellPid], hostPid);
  }

  get title(): string {
    return LABS[this.labId].title[this.locale];
  }

  /** The lab's script processes have exited (after they were seen): nothing more to read. */
  get finished(): boolean {
    return this.ended;
  }

  get card(): LabCard | null {
    return this.tracker.current;
  }

  /** Threads the next poll should read (for the lab's rules). */
  threads(): readonly number[] {
    return this.ended ? [] : this.wanted;
  }

  /** Whether this tick wants the IPC map (so the runner passes it only then). */
  needsIpc(snapshot: Snapshot): boolean {
    return !this.ended && this.tracker.needs(snapshot).ipc;
  }

  /** The lab's processes: what the shell started, not the shell. */
  labPids(snapshot: Snapshot): number[] {
    return this.tracker.pids(snapshot).filter((pid) => pid !== this.shellPid);
  }

  /** Remembers the lab's script processes among `pids`; true once all those seen have exited (pid gone or reused). */
  private scriptExited(snapshot: Snapshot, pids: readonly number[]): boolean {
    const script = LABS[this.labId].script;
    if (script === null) return false;
    const byPid = new Map(snapshot.processes.map((p) => [p.pid, p]));
    for (const pid of pids) {
      const p = byPid.get(pid);
      if (p && runsScript(p.cmdline, script)) this.scriptProcesses.set(pid, p.startTime);
    }
    if (this.scriptProcesses.size === 0) return false;
    return ![...this.scriptProcesses].some(([pid, start]) => byPid.get(pid)?.startTime === start);
  }

  async tick(input: LabTickInput): Promise<LabTickOutput> {
    if (input.members) this.members = input.members;
    if (this.ended) return { card: null, focus: null, completedNow: false };
    const { snapshot } = input;
    const selectedPid = this.selection.learnerSelection(input.selectedPid);
    const pids = this.labPids(snapshot);
    const needs = { ...this.tracker.needs(snapshot), pids };
    this.wanted = needs.threads;
    const details = new Map<number, ProcessDetail>();
    for (const pid of detailPids(this.labId, needs, selectedPid)) {
      try {
        details.set(pid, await input.readDetail(pid));
      } catch {
        // The process exited (or is not readable) between the poll and this read: judged without its detail.
      }
    }
    const exitStatus = new Map<number, number>();
    let waits: LabFacts['waits'] = null;
    const exitPids = needs.exitStatus ?? [];
    if (needs.waits || exitPids.length > 0) {
      try {
        const facts = await input.readLabFacts(needs.waits ? pids : null, exitPids);
        waits = facts.waits;
        for (const [pid, status] of Object.entries(facts.exitStatus)) exitStatus.set(Number(pid), status);
      } catch {
        // The worker could not read them this tick: judged without them (each thread's own trouble is in its fact).
      }
    }
    const update = this.tracker.update({
      snapshot,
      pids,
      details,
      ...(waits ? { waits } : {}),
      ...(exitStatus.size > 0 ? { exitStatus } : {}),
      ...(needs.ipc && input.ipc ? { ipc: input.ipc } : {}),
      ...(selectedPid !== undefined ? { selectedPid } : {}),
      ...(this.labId === 'vscode_itself' ? { workspace: this.members } : {}),
    });
    let focus = update.focus;
    if (this.labId === 'vscode_itself') {
      focus = null;
      if (!this.vscodeFocused && this.members.length > 0) {
        this.vscodeFocused = true;
        focus = vscodeFocus(this.hostPid, this.members);
      }
    } else {
      // Ended once every script process seen has exited and nothing the shell started still runs: the second
      // condition keeps a lab whose own main process was first seen before its exec (its argv not yet the
      // script's) from ending with the short-lived children it made.
      this.ended = this.scriptExited(snapshot, pids) && pids.length === 0;
    }
    if (focus) this.selection.focused(focus, input.selectedPid);
    const changed = !sameCard(this.posted, update.card);
    if (changed) this.posted = update.card;
    return { card: changed ? update.card : null, focus, completedNow: update.completedNow };
  }
}
