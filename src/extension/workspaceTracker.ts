// Keeps the pids VS Code tells us about (terminals, tasks, debuggees, lab programs) for "This workspace",
// which the panel's worker computes from each snapshot (tickEngine.ts, workspaceScope.ts).
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { l10n } from './l10n';
import { Disposable } from './dispose';
import type { LabelTemplates, ScopeContext } from '../worker/protocol';
import type { NamedPid } from '../worker/workspaceScope';
import { currentStartTicks } from './processIdentity';

/** Translated label templates; `{0}` is left in place for the worker to fill with the name. */
function localLabels(): LabelTemplates {
  return {
    terminal: l10n.t('Terminal: {0}', '{0}'),
    task: l10n.t('Task: {0}', '{0}'),
    debug: l10n.t('Debug: {0}', '{0}'),
    lab: l10n.t('Lab: {0}', '{0}'),
    folder: l10n.t('Folder: {0}', '{0}'),
    extensionHost: l10n.t('VS Code: extension host'),
    vscode: l10n.t('VS Code'),
    kinds: {
      main: l10n.t('VS Code: main'),
      server: l10n.t('VS Code: server'),
      window: l10n.t('VS Code: window'),
      gpu: l10n.t('VS Code: GPU process'),
      zygote: l10n.t('VS Code: zygote'),
      network: l10n.t('VS Code: network service'),
      utility: l10n.t('VS Code: utility process'),
      crashReporter: l10n.t('VS Code: crash reporter'),
      sharedProcess: l10n.t('VS Code: shared process'),
      ptyHost: l10n.t('VS Code: pty host'),
      fileWatcher: l10n.t('VS Code: file watcher'),
      extensionHost: l10n.t('VS Code: extension host'),
      remoteExtensionHost: l10n.t('VS Code: extension host (remote)'),
      languageServer: l10n.t('VS Code: language server ({0})', '{0}'),
      search: l10n.t('VS Code: search (ripgrep)'),
    },
  };
}

export class WorkspaceTracker extends Disposable {
  /** Each terminal's shell: its pid and, read when the pid arrived, its start time (see NamedPid). */
  private readonly terminals = new Map<vscode.Terminal, { pid: number; startTicks: string | undefined }>();
  private readonly tasks = new Map<vscode.TaskExecution, NamedPid>();
  private readonly debuggees = new Map<string, NamedPid[]>();
  private readonly labs = new Map<string, NamedPid[]>();
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  /** Fires when a terminal, task, debuggee or lab program comes or goes. */
  readonly onDidChange = this.changed.event;

  constructor() {
    super();
    for (const t of vscode.window.terminals) this.trackTerminal(t);
    this.register(vscode.window.onDidOpenTerminal((t) => this.trackTerminal(t)));
    this.register(
      vscode.window.onDidCloseTerminal((t) => {
        if (this.terminals.delete(t)) this.changed.fire();
      }),
    );
    this.register(
      vscode.tasks.onDidStartTaskProcess((e) => {
        this.tasks.set(e.execution, withStart({ pid: e.processId, name: e.execution.task.name }));
        this.changed.fire();
      }),
    );
    this.register(
      vscode.tasks.onDidEndTaskProcess((e) => {
        if (this.tasks.delete(e.execution)) this.changed.fire();
      }),
    );
  }

  private trackTerminal(t: vscode.Terminal): void {
    t.processId.then(
      (pid) => {
        if (pid === undefined || pid <= 0 || this.isDisposed) return;
        if (!vscode.window.terminals.includes(t)) return; // closed before its pid arrived
        this.terminals.set(t, { pid, startTicks: currentStartTicks(pid) });
        this.changed.fire();
      },
      () => undefined, // a terminal that failed to start has no process to show
    );
  }

  /** The debug tracker reports a session's debuggee pids here (empty list = session ended). */
  setDebuggees(sessionId: string, pids: readonly NamedPid[]): void {
    if (pids.length === 0) this.debuggees.delete(sessionId);
    else this.debuggees.set(sessionId, pids.map(withStart));
    this.changed.fire();
  }

  /** A walkthrough lab reports the programs it started. */
  setLabProcesses(labId: string, pids: readonly NamedPid[]): void {
    if (pids.length === 0) this.labs.delete(labId);
    else this.labs.set(labId, pids.map(withStart));
    this.changed.fire();
  }

  terminalPids(): NamedPid[] {
    return [...this.terminals].map(([t, { pid, startTicks }]) => ({
      pid,
      name: t.name,
      ...(startTicks !== undefined ? { startTicks } : {}),
    }));
  }

  /** What the worker needs to compute "This workspace" (plain data, labels already translated). */
  scopeContext(): ScopeContext {
    return {
      hostPid: process.pid,
      // appRoot is <install>/resources/app (desktop) or <code-server>/lib/vscode: two levels up is the install.
      installRoot: dirname(dirname(vscode.env.appRoot)),
      terminals: this.terminalPids(),
      tasks: [...this.tasks.values()],
      debuggees: [...this.debuggees.values()].flat(),
      labs: [...this.labs.values()].flat(),
      folders: (vscode.workspace.workspaceFolders ?? [])
        .filter((f) => f.uri.scheme === 'file')
        .map((f) => ({ path: f.uri.fsPath, name: f.name })),
      // Read each tick: procscope.language may change while the panel is open.
      labels: localLabels(),
    };
  }
}

/**
 * The process as it is now, pinned by its start time when the caller did not give one: a root of "This
 * workspace" then stays with that process and is not handed to a later one at the same pid.
 */
function withStart(p: NamedPid): NamedPid {
  if (p.startTicks !== undefined) return p;
  const startTicks = currentStartTicks(p.pid);
  return startTicks === undefined ? p : { ...p, startTicks };
}
