// Keeps the pids VS Code tells us about (terminals, tasks, debuggees, lab programs) and the cwd cache, and
// computes "This workspace" for a snapshot with the pure workspaceMembers().
import { readlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import type { ProcessInfo, Snapshot } from '../core/model';
import type { WorkspaceMember } from '../protocol';
import { Disposable } from './dispose';
import { workspaceMembers, type NamedPid, type ScopeLabels } from './workspaceScope';

/** How long a read cwd is trusted: a process may chdir at any time, re-reading all each tick costs a readlink each. */
const CWD_TTL_MS = 5000;

function localLabels(): ScopeLabels {
  return {
    terminal: (name) => vscode.l10n.t('Terminal: {0}', name),
    task: (name) => vscode.l10n.t('Task: {0}', name),
    debug: (name) => vscode.l10n.t('Debug: {0}', name),
    lab: (name) => vscode.l10n.t('Lab: {0}', name),
    folder: (name) => vscode.l10n.t('Folder: {0}', name),
    extensionHost: vscode.l10n.t('VS Code: extension host'),
    vscode: vscode.l10n.t('VS Code'),
  };
}

export class WorkspaceTracker extends Disposable {
  private readonly terminals = new Map<vscode.Terminal, number>();
  private readonly tasks = new Map<vscode.TaskExecution, NamedPid>();
  private readonly debuggees = new Map<string, NamedPid[]>();
  private readonly labs = new Map<string, NamedPid[]>();
  private readonly cwds = new Map<string, { cwd: string | null; at: number }>();
  private readonly labels = localLabels();
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  /** Fires when a terminal, task, debuggee or lab program comes or goes. */
  readonly onDidChange = this.changed.event;

  constructor() {
    super();
    for (const t of vscode.window.terminals) this.trackTerminal(t);
    this.register(vscode.window.onDidOpenTerminal((t) => this.trackTerminal(t)));
    this.register(vscode.window.onDidCloseTerminal((t) => {
      if (this.terminals.delete(t)) this.changed.fire();
    }));
    this.register(vscode.tasks.onDidStartTaskProcess((e) => {
      this.tasks.set(e.execution, { pid: e.processId, name: e.execution.task.name });
      this.changed.fire();
    }));
    this.register(vscode.tasks.onDidEndTaskProcess((e) => {
      if (this.tasks.delete(e.execution)) this.changed.fire();
    }));
  }

  private trackTerminal(t: vscode.Terminal): void {
    t.processId.then(
      (pid) => {
        if (pid === undefined || pid <= 0 || this.isDisposed) return;
        if (!vscode.window.terminals.includes(t)) return; // closed before its pid arrived
        this.terminals.set(t, pid);
        this.changed.fire();
      },
      () => undefined, // a terminal that failed to start has no process to show
    );
  }

  /** Issue 5's hook: the debug tracker reports a session's debuggee pids here (empty list = session ended). */
  setDebuggees(sessionId: string, pids: readonly NamedPid[]): void {
    if (pids.length === 0) this.debuggees.delete(sessionId);
    else this.debuggees.set(sessionId, [...pids]);
    this.changed.fire();
  }

  /** Issue 6's hook: a walkthrough lab reports the programs it started. */
  setLabProcesses(labId: string, pids: readonly NamedPid[]): void {
    if (pids.length === 0) this.labs.delete(labId);
    else this.labs.set(labId, [...pids]);
    this.changed.fire();
  }

  terminalPids(): NamedPid[] {
    return [...this.terminals].map(([t, pid]) => ({ pid, name: t.name }));
  }

  members(snapshot: Snapshot): WorkspaceMember[] {
    const now = Date.now();
    const live = new Set<string>();
    const keyOf = new Map<number, ProcessInfo>();
    for (const p of snapshot.processes) {
      live.add(p.key);
      keyOf.set(p.pid, p);
    }
    for (const key of this.cwds.keys()) if (!live.has(key)) this.cwds.delete(key);
    const cwdOf = (pid: number): string | null => {
      const p = keyOf.get(pid);
      if (!p) return null;
      const cached = this.cwds.get(p.key);
      if (cached && now - cached.at < CWD_TTL_MS) return cached.cwd;
      let cwd: string | null = null;
      try {
        cwd = readlinkSync(`/proc/${pid}/cwd`);
      } catch {
        cwd = null; // another user's process (EACCES) or gone: not known to be inside the workspace
      }
      this.cwds.set(p.key, { cwd, at: now });
      return cwd;
    };
    const folders = (vscode.workspace.workspaceFolders ?? [])
      .filter((f) => f.uri.scheme === 'file')
      .map((f) => ({ path: f.uri.fsPath, name: f.name }));
    return workspaceMembers({
      processes: snapshot.processes,
      hostPid: process.pid,
      // appRoot is <install>/resources/app (desktop) or <code-server>/lib/vscode: two levels up is the install.
      installRoot: dirname(dirname(vscode.env.appRoot)),
      terminals: this.terminalPids(),
      tasks: [...this.tasks.values()],
      debuggees: [...this.debuggees.values()].flat(),
      labs: [...this.labs.values()].flat(),
      folders,
      cwdOf: snapshot.backend === 'procfs' ? cwdOf : undefined,
      labels: this.labels,
    });
  }
}
