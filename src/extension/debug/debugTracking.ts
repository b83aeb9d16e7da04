// Follows debug sessions: a DebugAdapterTracker for every debug type feeds the pure DebugSessionState, the
// debuggee is resolved against the process table (debuggeeTracker.ts says how), reported to the workspace
// scope as a 'debug' member ("Debug: <session name>") and selected in the panel; the label goes when the
// session ends.
//
// PROCSCOPE_RECORD_DAP=/dir makes every session write its DAP messages, the relevant part of the process
// table and the debuggee's OS threads as JSON lines to /dir: that is how test/fixtures/dap/ was recorded.
import { descendantPids } from '../../shared/processTree';
import { appendFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { l10n } from '../l10n';
import type { ProcessInfo, Snapshot } from '../../core/model';
import type { SamplerService, SamplerSubscription } from '../backend';
import { Disposable } from '../dispose';
import { listeningPortOwner } from './inspector';
import { withoutEnv } from './dapRedact';
import { openOnDebugStart } from '../settings';
import { procPidExists } from '../validate';
import type { WorkspaceTracker } from '../workspaceTracker';
import type { DebugThreadName } from '../../protocol';
import {
  DebugSessionState,
  mapThreadNames,
  resolveDebuggee,
  sessionLabelName,
  type DapDirection,
  type DapMessage,
  type Resolution,
  type SessionInfo,
  type ThreadNameMapping,
  type Unresolved,
} from './debuggeeTracker';
import { showInfo } from '../notify';
import { checkIdentity, identityFromKey } from '../processIdentity';

/** What the tracker needs of the panel (ProcScopePanel). */
export interface FocusTarget {
  focus(pids: readonly number[], reason: string): void;
  /** The snapshot last posted to the webview; undefined before the first one. */
  readonly currentSnapshot: Snapshot | undefined;
  readonly isDisposed: boolean;
  /** The webview panel, to move a newly opened panel beside the code being debugged. */
  readonly panel?: Pick<vscode.WebviewPanel, 'reveal' | 'visible'>;
  /** Shows certain DAP thread names beside a debuggee's OS threads (an empty list clears them). */
  showDebugThreads?(pid: number, threads: readonly DebugThreadName[]): void;
  /** Drops the focus banner given for this reason. */
  clearFocus?(reason: string): void;
}

export interface DebugTrackingServices {
  readonly tracker: WorkspaceTracker;
  readonly log: vscode.LogOutputChannel;
  /** The extension host's one sampler: subscribed to while a session is tracked, so /proc is read in its worker. */
  readonly sampler: SamplerService;
  /** The panel if it is open. */
  panel(): FocusTarget | undefined;
  /** Opens (or shows) the panel. */
  open(): FocusTarget;
}

/** How long a focus waits for the panel to have posted the debuggee's row (the webview selects only rows it has). */
const FOCUS_WAIT_MS = 5000;

interface Tracked {
  readonly info: SessionInfo;
  readonly state: DebugSessionState;
  readonly preexisting: Promise<ReadonlySet<string>>;
  resolution: Resolution | undefined;
  pid: number | undefined;
  /** The debuggee's process key (pid and start time) once found: a later process at the same pid is not it. */
  key: string | undefined;
  threadNames: ThreadNameMapping[];
  focused: boolean;
  /** The banner text this session's focus showed, cleared when the session ends. */
  focusReason: string | undefined;
  retry: ReturnType<typeof setTimeout> | undefined;
  attempts: number;
  recordPath: string | undefined;
}

/** How often and how long an unresolved debuggee is looked for (a program may take a while to be spawned). */
const RETRY_MS = 500;
const MAX_ATTEMPTS = 60;

function sessionInfo(session: vscode.DebugSession, startedAt: number): SessionInfo {
  return {
    id: session.id,
    name: session.name,
    type: session.type,
    startedAt,
    configuration: { ...session.configuration },
    ...(session.parentSession ? { parentId: session.parentSession.id } : {}),
  };
}

function describePairs(pairs: readonly ThreadNameMapping[]): string {
  return pairs.map((m) => `LWP ${m.tid} = DAP thread ${m.dapId} "${m.dapName}" (${m.reason})`).join(', ');
}

export class DebugTracking extends Disposable {
  private readonly sessions = new Map<string, Tracked>();
  private readonly infos = new Map<string, SessionInfo>();
  private sampler: SamplerSubscription | undefined;
  private readonly recordDir = process.env.PROCSCOPE_RECORD_DAP || undefined;

  constructor(private readonly services: DebugTrackingServices) {
    super();
    this.register(
      vscode.debug.registerDebugAdapterTrackerFactory('*', {
        createDebugAdapterTracker: (session) => this.trackerFor(session),
      }),
    );
    this.register(vscode.debug.onDidTerminateDebugSession((session) => this.end(session.id)));
    this.register(vscode.commands.registerCommand('procscope.revealDebuggee', () => this.revealDebuggee()));
    this.register({
      dispose: () => {
        for (const id of [...this.sessions.keys()]) this.end(id);
        this.sampler?.dispose();
        this.sampler = undefined;
      },
    });
  }

  /** The debuggee pid of a session (of the active one when no id is given), if found. */
  debuggeeOf(sessionId?: string): number | undefined {
    const id = sessionId ?? vscode.debug.activeDebugSession?.id;
    return id === undefined ? undefined : this.sessions.get(id)?.pid;
  }

  /** DAP thread names paired with OS threads where the pairing is certain (see mapThreadNames). */
  threadNamesOf(sessionId: string): readonly ThreadNameMapping[] {
    return this.sessions.get(sessionId)?.threadNames ?? [];
  }

  private source(): SamplerSubscription {
    this.sampler ??= this.services.sampler.subscribe();
    return this.sampler;
  }

  /**
   * The keys of what ran before the session began: never its debuggee (start times from /proc have
   * whole-second error, so they cannot tell). The pids are listed now, as the adapter is created (one readdir,
   * no file read): the table comes from the sampler's worker a moment later (later still when the worker has
   * to start), possibly after the adapter has spawned the debuggee, so only the pids listed now count.
   */
  private preexisting(): Promise<ReadonlySet<string>> {
    let before: ReadonlySet<number> | undefined;
    try {
      before = new Set(
        readdirSync('/proc')
          .filter((n) => /^[1-9]\d*$/.test(n))
          .map(Number),
      );
    } catch {
      before = undefined; // no /proc (the portable backend): the table itself is the list
    }
    return this.source()
      .poll('none')
      .then(
        (s) => new Set(s.processes.filter((p) => before === undefined || before.has(p.pid)).map((p) => p.key)),
        () => new Set<string>(),
      );
  }

  private trackerFor(session: vscode.DebugSession): vscode.DebugAdapterTracker {
    const info = sessionInfo(session, Date.now());
    this.infos.set(info.id, info);
    const t: Tracked = {
      info,
      state: new DebugSessionState(info),
      preexisting: this.preexisting(),
      resolution: undefined,
      pid: undefined,
      key: undefined,
      threadNames: [],
      focused: false,
      focusReason: undefined,
      retry: undefined,
      attempts: 0,
      recordPath: undefined,
    };
    this.sessions.set(info.id, t);
    if (this.recordDir) this.startRecording(t);
    this.schedule(t, 0);
    const observe = (direction: DapDirection, message: DapMessage): void => {
      if (t.recordPath) this.record(t, { kind: 'dap', dir: direction, at: Date.now(), message: withoutEnv(message) });
      t.state.observe(direction, message);
      const interesting =
        (message.type === 'event' && (message.event === 'process' || message.event === 'stopped')) ||
        (message.type === 'response' && (message.command === 'threads' || direction === 'toAdapter'));
      if (interesting && !t.state.ended && !(t.resolution?.pid === null && t.resolution.final)) this.schedule(t, 0);
      // A stop in a child session (js-debug's targets) is a moment to re-read the resolved debuggees' threads.
      if (message.type === 'event' && message.event === 'stopped') {
        for (const o of this.sessions.values()) if (o !== t && o.pid !== undefined && !o.retry) this.schedule(o, 0);
      }
    };
    return {
      onWillReceiveMessage: (m: DapMessage) => observe('toAdapter', m),
      onDidSendMessage: (m: DapMessage) => observe('fromAdapter', m),
      onError: (error: Error) => this.services.log.debug(`debug session ${info.name}: adapter error ${error.message}`),
      onExit: (code: number | undefined, signal: string | undefined) =>
        this.record(t, { kind: 'adapterExit', at: Date.now(), code, signal }),
    };
  }

  private schedule(t: Tracked, delayMs: number): void {
    if (t.retry) clearTimeout(t.retry);
    t.retry = setTimeout(() => {
      t.retry = undefined;
      void this.resolve(t);
    }, delayMs);
  }

  private async resolve(t: Tracked): Promise<void> {
    if (this.isDisposed || !this.sessions.has(t.info.id)) return;
    t.attempts++;
    let snapshot: Snapshot;
    let preexisting: ReadonlySet<string>;
    try {
      preexisting = await t.preexisting;
      const watch = t.pid !== undefined ? [t.pid] : [];
      snapshot = await this.source().poll(watch);
    } catch (error) {
      this.services.log.warn(
        `debug session ${t.info.name}: reading the process table failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      return;
    }
    if (!this.sessions.has(t.info.id)) return;
    // The debuggee found before, if it is still that process (a pid the kernel handed to another is not).
    const stillThere = t.pid !== undefined && snapshot.processes.some((p) => p.pid === t.pid && (t.key === undefined || p.key === t.key));
    const lost = t.pid !== undefined && !stillThere;
    if (lost) {
      t.pid = undefined;
      t.key = undefined;
      this.services.tracker.setDebuggees(t.info.id, []);
    }
    const resolution = stillThere
      ? t.resolution!
      : resolveDebuggee(t.state, snapshot.processes, {
          adapterPids: [process.pid],
          preexisting,
          portOwner: (port, rows) => listeningPortOwner(port, rows),
        });
    const changed = resolution.pid !== t.resolution?.pid || lost;
    t.resolution = resolution;
    this.record(t, { kind: 'processes', at: Date.now(), hostPid: process.pid, rows: this.relevantRows(t, snapshot) });
    if (resolution.pid !== null) {
      t.pid = resolution.pid;
      // A portable key's second part is not a start time (Windows gives none; each sampler numbers its own
      // sightings): it is neither checked nor compared across samplers there.
      t.key = snapshot.backend === 'portable' ? undefined : snapshot.processes.find((p) => p.pid === resolution.pid)?.key;
      const threads = snapshot.processes.find((p) => p.pid === resolution.pid)?.threads;
      if (threads) {
        const os = threads.map((th) => ({ tid: th.tid, name: th.name }));
        this.record(t, { kind: 'threads', at: Date.now(), pid: resolution.pid, threads: os });
        const names = mapThreadNames(t.state.dapThreads, os);
        const text = describePairs(names);
        const pairsChanged = text !== describePairs(t.threadNames);
        if (text !== '' && pairsChanged) this.services.log.info(`debug session ${t.info.name}: ${text}`);
        t.threadNames = names;
        if (pairsChanged) this.postThreadNames(t);
      }
      if (changed) this.onResolved(t, resolution.pid, resolution.why);
    } else if (t.attempts < MAX_ATTEMPTS && !t.state.ended && !resolution.final) {
      if (t.attempts === 1 || changed) this.services.log.debug(`debug session ${t.info.name}: debuggee not found yet: ${resolution.why}`);
      this.schedule(t, RETRY_MS);
    } else if (resolution.final) {
      this.services.log.debug(`debug session ${t.info.name}: ${resolution.why}`);
    } else {
      this.services.log.info(`debug session ${t.info.name}: no debuggee found: ${resolution.why}`);
    }
  }

  /** Tells the open panel the session's certain DAP thread names (none: clears them). */
  private postThreadNames(t: Tracked, threads: readonly ThreadNameMapping[] = t.threadNames): void {
    if (t.pid === undefined) return;
    const session = sessionLabelName(t.info, this.infos);
    this.services.panel()?.showDebugThreads?.(
      t.pid,
      threads.map((m) => ({ tid: m.tid, dapName: m.dapName, session, reason: m.reason })),
    );
  }

  private onResolved(t: Tracked, pid: number, why: string): void {
    const name = sessionLabelName(t.info, this.infos);
    this.services.log.info(`debug session ${t.info.name}: debuggee pid ${pid} (${why})`);
    this.record(t, { kind: 'resolved', at: Date.now(), pid, why });
    const startTicks = t.key === undefined ? undefined : identityFromKey(t.key)?.startTicks;
    this.services.tracker.setDebuggees(t.info.id, [{ pid, name, ...(startTicks !== undefined ? { startTicks } : {}) }]);
    // Read the debuggee's threads now (the resolving poll read none), for the DAP thread-name pairing.
    this.schedule(t, 0);
    if (t.focused) return;
    // js-debug's launcher session and its child session find the same process: select it once.
    const otherFocused = [...this.sessions.values()].some((o) => o !== t && o.focused && o.pid === pid);
    t.focused = true;
    if (otherFocused) return;
    const panel = this.services.panel() ?? (openOnDebugStart() ? this.openBeside() : undefined);
    t.focusReason = l10n.t('Debug: {0}', name);
    if (panel) void this.focusWhenShown(panel, pid, t.focusReason);
  }

  /**
   * Opens the panel; a newly opened one goes beside the active editor: when the debugger stops it shows the
   * source in the active group, and a panel hidden behind it would be destroyed (no retained context).
   */
  private openBeside(): FocusTarget {
    const existed = this.services.panel() !== undefined;
    const target = this.services.open();
    if (!existed) target.panel?.reveal(vscode.ViewColumn.Beside, true);
    return target;
  }

  /**
   * Focus once the panel's webview has the process: the panel polls on its own cadence, so a pid found by our
   * poll may not be in the webview yet. A panel before its first snapshot keeps the focus until that snapshot.
   */
  private async focusWhenShown(panel: FocusTarget, pid: number, reason: string): Promise<void> {
    const deadline = Date.now() + FOCUS_WAIT_MS;
    const lacksPid = (): boolean => !!panel.currentSnapshot && !panel.currentSnapshot.processes.some((p) => p.pid === pid);
    // A hidden panel does not poll, so its snapshot would never gain the pid and the focus would reach a page
    // without the row: show it first (without taking the focus), as the focus itself would.
    if (!panel.isDisposed && panel.panel && !panel.panel.visible && lacksPid()) panel.panel.reveal(undefined, true);
    while (!panel.isDisposed && lacksPid() && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    if (!panel.isDisposed && !this.isDisposed) panel.focus([pid], reason);
  }

  private end(sessionId: string): void {
    const t = this.sessions.get(sessionId);
    if (!t) return;
    if (t.retry) clearTimeout(t.retry);
    this.record(t, { kind: 'ended', at: Date.now() });
    if (t.threadNames.length) this.postThreadNames(t, []);
    // The "Focused: Debug: <name>" banner must not outlive its session (unless another live session shows
    // the same text, as js-debug's parent and child sessions do).
    const reason = t.focusReason;
    this.sessions.delete(sessionId);
    if (reason !== undefined && ![...this.sessions.values()].some((o) => o.focusReason === reason && !o.state.ended)) {
      this.services.panel()?.clearFocus?.(reason);
    }
    this.infos.delete(sessionId);
    this.services.tracker.setDebuggees(sessionId, []);
    if (this.sessions.size === 0) {
      this.sampler?.dispose();
      this.sampler = undefined;
    }
  }

  private async revealDebuggee(): Promise<void> {
    // Only sessions still running count: VS Code may keep a stopped session as the active one for a moment,
    // and a debuggee that has exited is nothing to reveal.
    const live = [...this.sessions.values()].filter((t) => !t.state.ended);
    const active = vscode.debug.activeDebugSession;
    const activeLive = active ? live.find((t) => t.info.id === active.id) : undefined;
    // Still the process found (pid and start time), not whatever holds its pid now.
    const candidates = live.filter((t) => {
      if (t.pid === undefined || !procPidExists(t.pid)) return false;
      const id = t.key === undefined ? undefined : identityFromKey(t.key);
      return id === undefined || checkIdentity(id) === 'same';
    });
    const chosen = (activeLive && candidates.find((t) => t === activeLive)) ?? candidates[candidates.length - 1];
    if (!chosen || chosen.pid === undefined) {
      void showInfo(
        activeLive
          ? l10n.t(
              'ProcScope has not found the debuggee of "{0}": {1}',
              activeLive.info.name,
              activeLive.resolution?.pid === null ? unresolvedText(activeLive.resolution.reason) : l10n.t('still looking'),
            )
          : l10n.t('No debug session is running.'),
      );
      return;
    }
    chosen.focusReason = l10n.t('Debug: {0}', sessionLabelName(chosen.info, this.infos));
    void this.focusWhenShown(this.openBeside(), chosen.pid, chosen.focusReason);
  }

  // ---- recording (tests only) ----

  private startRecording(t: Tracked): void {
    try {
      mkdirSync(this.recordDir!, { recursive: true });
      t.recordPath = join(this.recordDir!, `${t.info.type}-${t.info.id.replace(/[^\w-]/g, '_')}.jsonl`);
      // env may hold secrets; nothing the resolution reads is in it.
      const { env: _env, ...configuration } = t.info.configuration;
      this.record(t, { kind: 'session', ...t.info, configuration });
    } catch (error) {
      this.services.log.warn(`PROCSCOPE_RECORD_DAP: cannot write to ${this.recordDir}: ${String(error)}`);
      t.recordPath = undefined;
    }
  }

  private record(t: Tracked, line: Record<string, unknown>): void {
    if (!t.recordPath) return;
    try {
      appendFileSync(t.recordPath, `${JSON.stringify(line)}\n`);
    } catch {
      t.recordPath = undefined; // the folder went away: stop recording, never disturb the session
    }
  }

  /** The extension host's subtree and the terminals' shells' subtrees: what the resolution looks at. */
  private relevantRows(
    t: Tracked,
    snapshot: Snapshot,
  ): Pick<ProcessInfo, 'pid' | 'ppid' | 'startTime' | 'name' | 'cmdline' | 'exe' | 'key'>[] {
    const roots = [process.pid, ...t.state.terminalPids];
    if (t.state.reportedPid !== undefined) roots.push(t.state.reportedPid);
    const keep = descendantPids(snapshot.processes, roots);
    return snapshot.processes
      .filter((p) => keep.has(p.pid))
      .map((p) => ({ key: p.key, pid: p.pid, ppid: p.ppid, startTime: p.startTime, name: p.name, cmdline: p.cmdline, exe: p.exe }));
  }
}

/** Why no debuggee was found, in the user's language. */
export function unresolvedText(reason: Unresolved): string {
  switch (reason.code) {
    case 'reportedGone':
      return l10n.t('the debug adapter reported pid {0}, which is not running', reason.pid);
    case 'attachGone':
      return l10n.t('the attach configuration names pid {0}, which is not running', reason.pid);
    case 'childSession':
      return l10n.t("a child session without a program of its own: its processes are followed under the parent session's debuggee");
    case 'ambiguous':
      return reason.under === 'terminal'
        ? l10n.t(
            '{0} new processes under the debug terminal match the launch configuration: {1}',
            reason.pids.length,
            reason.pids.join(', '),
          )
        : l10n.t(
            '{0} new processes under the debug adapter match the launch configuration: {1}',
            reason.pids.length,
            reason.pids.join(', '),
          );
    case 'nothingNamed':
      return l10n.t('the launch configuration names no program or runtime, and the debug adapter sent no process id');
    case 'notYet':
      return l10n.t('no new process under the debug adapter or terminal names the program yet');
  }
}
