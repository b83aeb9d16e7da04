// What the panel's actions do on the host. Each returns the response result or throws an ActionError whose
// message the user reads (the webview shows it; the host shows it too when the action was destructive).
import { fitsRenderedLabel, visible } from '../shared/visible';
import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import * as os from 'node:os';
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { l10n } from './l10n';
import type { ProcessInfo, Snapshot } from '../core/model';
import type { AllowedSignal, RequestResults, SignalTarget } from '../protocol';
import { copyText, uptimeSeconds } from './copyText';
import { waitForOwnListener } from './debug/inspector';
import { isNodeRuntime } from './nodeRuntime';
import { firstNames, groupMembers, signalMembers, treeMembers } from './signalMany';
import { checkIdentity, identityFromKey, signalIdentity, type ProcessIdentity, type SignalOutcome } from './processIdentity';
import { showInfo, showModalWarning, showWarning } from './notify';

export class ActionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ActionError';
  }
}

export interface ActionContext {
  /** The newest snapshot's entry for this pid, if it is in it. */
  processOf(pid: number): ProcessInfo | undefined;
  snapshot(): Snapshot | undefined;
}

/** A process's name as plain text on one line (modal dialogs and messages show text, never markup). */
export function displayName(pid: number, ctx: ActionContext, key?: string): string {
  // By key first: the name of the process the user picked, not of a successor that took its pid.
  const byKey = key === undefined ? undefined : ctx.snapshot()?.processes.find((p) => p.key === key);
  return visible(byKey?.name ?? ctx.processOf(pid)?.name ?? readProcText(pid, 'comm')?.replace(/\n$/, '') ?? '?');
}

function readProcText(pid: number, file: string): string | undefined {
  try {
    // Sync read of a tiny procfs file: cheaper than a promise round trip.
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

function errnoMessage(error: unknown, pid: number, name: string, what: string): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ESRCH' || code === 'ENOENT') return l10n.t('Process {0} ({1}) has exited.', pid, name);
  if (code === 'EPERM' || code === 'EACCES')
    return l10n.t('Permission denied: {0} for process {1} ({2}) needs more privileges.', what, pid, name);
  return l10n.t('{0} failed for process {1} ({2}): {3}', what, pid, name, error instanceof Error ? error.message : String(error));
}

function readLink(pid: number, link: 'cwd' | 'exe', name: string): string {
  try {
    return readlinkSync(`/proc/${pid}/${link}`).replace(/ \(deleted\)$/, '');
  } catch (error) {
    throw new ActionError(
      errnoMessage(error, pid, name, link === 'cwd' ? l10n.t('Reading the working directory') : l10n.t('Reading the executable path')),
    );
  }
}

/** Whether a confirmation dialog is open: one at a time, so a page cannot queue a dialog per message. */
let confirming = false;

async function confirm(message: string, detail: string, button: string): Promise<boolean> {
  if (confirming) throw new ActionError(l10n.t('Another action is waiting for your answer; answer it first.'));
  confirming = true;
  try {
    const choice = await showModalWarning(message, detail, button);
    return choice === button;
  } finally {
    confirming = false;
  }
}

/**
 * Acting on a process (a signal, renice, its cwd or executable, the debugger) checks just before acting that
 * its pid still names the process picked, by the start time in /proc/PID/stat. The portable backend (macOS,
 * Windows) has no /proc to check with, and its keys hold another clock: there every action is refused with
 * that reason rather than run unchecked (or refused as "exited", which it is not).
 */
function requireProcfs(ctx: ActionContext): void {
  const backend = ctx.snapshot()?.backend;
  if (backend === 'portable' || (backend === undefined && !existsSync('/proc/self/stat')))
    throw new ActionError(
      l10n.t(
        'Acting on a process needs Linux /proc: ProcScope checks just before acting that the pid still names the process you picked (its start time), and the portable backend cannot.',
      ),
    );
}

/** The identity a (validated) request names; validation already checked that its pid is `pid`. */
function identityOf(pid: number, key: string, ctx: ActionContext): ProcessIdentity {
  requireProcfs(ctx);
  const id = identityFromKey(key);
  if (!id || id.pid !== pid) throw new ActionError(l10n.t('Process {0}: the request does not name a process.', pid));
  return id;
}

function changedMessage(state: 'exited' | 'reused', pid: number, name: string): string {
  return state === 'reused'
    ? l10n.t('Process {0} ({1}) has exited and its pid now belongs to another process; nothing was sent.', pid, name)
    : l10n.t('Process {0} ({1}) has exited; nothing was sent.', pid, name);
}

/** Throws unless the pid still belongs to the process the user picked (same start time). */
export function requireIdentity(id: ProcessIdentity, name: string): void {
  const state = checkIdentity(id);
  if (state !== 'same') throw new ActionError(changedMessage(state, id.pid, name));
}

function signalFailure(outcome: Exclude<SignalOutcome, { kind: 'sent' }>, pid: number, name: string, what: string): ActionError {
  switch (outcome.kind) {
    case 'exited':
    case 'reused':
      return new ActionError(changedMessage(outcome.kind, pid, name));
    case 'denied':
      return new ActionError(l10n.t('Permission denied: {0} for process {1} ({2}) needs more privileges.', what, pid, name));
    case 'failed':
      return new ActionError(l10n.t('{0} failed for process {1} ({2}): {3}', what, pid, name, outcome.message));
  }
}

export async function sendSignal(pid: number, key: string, signal: AllowedSignal, ctx: ActionContext): Promise<RequestResults['signal']> {
  const id = identityOf(pid, key, ctx);
  const name = displayName(pid, ctx, key);
  const ok = await confirm(
    l10n.t('Send {0} to process {1} ({2})?', signal, pid, name),
    signal === 'SIGKILL'
      ? l10n.t('SIGKILL cannot be caught: the process ends at once without cleaning up.')
      : l10n.t('The process may end or change state.'),
    l10n.t('Send {0}', signal),
  );
  if (!ok) return { sent: false };
  // The modal may have stayed open for minutes: the identity is checked now, with the signal (pidfd).
  const outcome = await signalIdentity(id, signal);
  if (outcome.kind !== 'sent') throw signalFailure(outcome, pid, name, l10n.t('Sending {0}', signal));
  return { sent: true };
}

/**
 * Sends `signal` to the process's tree or process group as the newest snapshot shows them, after a modal that
 * says how many processes will receive it and names the first few. Each member's identity is re-checked just
 * before its own signal (see signalMany.ts); the answer counts what was sent and what had gone meanwhile.
 */
export async function signalMany(
  pid: number,
  key: string,
  signal: AllowedSignal,
  scope: 'tree' | 'group',
  ctx: ActionContext,
): Promise<RequestResults['signalTree']> {
  identityOf(pid, key, ctx);
  const name = displayName(pid, ctx, key);
  const processes = ctx.snapshot()?.processes ?? [];
  const target = processes.find((p) => p.key === key);
  if (!target) throw new ActionError(l10n.t('Process {0} is not in the current snapshot.', pid));
  const members = scope === 'tree' ? treeMembers(processes, key) : groupMembers(processes, key);
  const count = members.length;
  const list = namesList(members);
  const message =
    scope === 'tree'
      ? l10n.t('Send {0} to process {1} ({2}) and its descendants: {3} processes?', signal, pid, name, count)
      : l10n.t('Send {0} to process group {1} of process {2} ({3}): {4} processes?', signal, target.pgid, pid, name, count);
  const lines = [
    l10n.t('Receives it (children before parents): {0}', list),
    l10n.t('Each process is checked just before its signal: one that has exited, or whose pid now belongs to another process, is skipped.'),
  ];
  return confirmAndSignal(members, signal, message, lines);
}

/**
 * Sends `signal` to the processes the user selected, after one modal that says how many and names the first
 * few. Each is signalled through its own identity (pid + start time) re-checked just before its signal, in
 * the order given; one that exited or whose pid was reused meanwhile is skipped and counted.
 */
export async function signalSelected(
  targets: readonly SignalTarget[],
  signal: AllowedSignal,
  ctx: ActionContext,
): Promise<RequestResults['signalMany']> {
  requireProcfs(ctx);
  const processes = ctx.snapshot()?.processes ?? [];
  const byKey = new Map(processes.map((p) => [p.key, p]));
  const members = targets.map((t) => ({ pid: t.pid, key: t.key, name: byKey.get(t.key)?.name ?? '?' }));
  const count = members.length;
  const list = namesList(members);
  const lines = [
    l10n.t('Receives it: {0}', list),
    l10n.t('Each process is checked just before its signal: one that has exited, or whose pid now belongs to another process, is skipped.'),
  ];
  return confirmAndSignal(members, signal, l10n.t('Send {0} to the {1} selected processes?', signal, count), lines);
}

/** The first few members' names, and how many more, for a modal. */
function namesList(members: Parameters<typeof firstNames>[0]): string {
  const shown = firstNames(members);
  const more = members.length - shown.length;
  return more > 0 ? l10n.t('{0}, and {1} more', shown.join(', '), more) : shown.join(', ');
}

/**
 * What every many-process signal shares: one modal (the question, the lines under it, and a warning when the
 * extension host itself is among them), then each member signalled through its identity, then one summary.
 */
async function confirmAndSignal(
  members: Parameters<typeof signalMembers>[0],
  signal: AllowedSignal,
  message: string,
  lines: string[],
): Promise<RequestResults['signalMany']> {
  const count = members.length;
  // Ending the extension host ends ProcScope (and every extension in this window) before it can report.
  if (members.some((m) => m.pid === process.pid))
    lines.push(l10n.t("This includes VS Code's extension host, which runs ProcScope and the other extensions of this window."));
  const ok = await confirm(message, lines.join('\n'), l10n.t('Send {0} to {1} processes', signal, count));
  if (!ok) return { confirmed: false, total: count, sent: 0, gone: 0, denied: 0, failed: 0 };
  const result = await signalMembers(members, signal);
  const summary = l10n.t(
    '{0}: sent to {1} of {2} processes; {3} had exited or their pid was reused; {4} denied; {5} failed.',
    signal,
    result.sent,
    result.total,
    result.gone,
    result.denied,
    result.failed,
  );
  if (result.denied > 0 || result.failed > 0) {
    void showWarning(result.firstError === undefined ? summary : `${summary} ${result.firstError}`);
  } else {
    void showInfo(summary);
  }
  return { confirmed: true, total: result.total, sent: result.sent, gone: result.gone, denied: result.denied, failed: result.failed };
}

export async function renice(pid: number, key: string, nice: number, ctx: ActionContext): Promise<RequestResults['renice']> {
  const id = identityOf(pid, key, ctx);
  const name = displayName(pid, ctx, key);
  const ok = await confirm(
    l10n.t('Change the nice value of process {0} ({1}) to {2}?', pid, name, nice),
    l10n.t('Lower values mean a higher scheduling priority; lowering it below the current value needs privileges.'),
    l10n.t('Renice'),
  );
  // setpriority has no pidfd form: check, then act (the window is one stat read, a few microseconds).
  requireIdentity(id, name);
  if (!ok) return { nice: os.getPriority(pid) };
  try {
    os.setPriority(pid, nice);
    return { nice: os.getPriority(pid) };
  } catch (error) {
    if (error instanceof ActionError) throw error;
    // os.setPriority wraps errno in a SystemError whose `info.code` holds it.
    const info = (error as { info?: { code?: string } }).info;
    throw new ActionError(errnoMessage(info?.code ? { code: info.code } : error, pid, name, l10n.t('Renice')));
  }
}

export async function copy(pid: number, key: string, format: 'ps' | 'json', ctx: ActionContext): Promise<RequestResults['copy']> {
  // The snapshot's entry for this very key: a newer process under the same pid is another row.
  const p = ctx.snapshot()?.processes.find((q) => q.key === key);
  const snapshot = ctx.snapshot();
  if (!p || !snapshot) throw new ActionError(l10n.t('Process {0} is not in the current snapshot.', pid));
  if (format === 'ps' && snapshot.backend === 'portable')
    throw new ActionError(l10n.t('A ps -eLF line needs Linux /proc (threads, CPU, memory, processor, terminal): copy it as JSON instead.'));
  const text = copyText(p, snapshot, format, uptimeSeconds(snapshot.system.bootTime));
  await vscode.env.clipboard.writeText(text);
  return { text };
}

/** Reads a link of the process, and makes sure the answer came from that process and not a successor. */
function readOwnLink(id: ProcessIdentity, link: 'cwd' | 'exe', name: string): string {
  requireIdentity(id, name);
  const path = readLink(id.pid, link, name);
  requireIdentity(id, name);
  return path;
}

/**
 * The terminal's tab title. VS Code renders a tab's label with `$(icon)` syntax and its hover as Markdown, so a
 * process may not put its own name there when the name holds an icon (`$(`), a link or an image (`[`, `]`,
 * `<`, `://`): then the title names only the pid.
 */
export function terminalTitle(name: string, pid: number): string {
  return fitsRenderedLabel(name) ? l10n.t('cwd of {0} ({1})', name, pid) : l10n.t('cwd of process {0}', pid);
}

export function openTerminal(pid: number, key: string, ctx: ActionContext): RequestResults['openTerminal'] {
  const id = identityOf(pid, key, ctx);
  const name = displayName(pid, ctx, key);
  const cwd = readOwnLink(id, 'cwd', name);
  const terminal = vscode.window.createTerminal({ name: terminalTitle(name, pid), cwd });
  terminal.show();
  return { cwd };
}

export async function reveal(pid: number, key: string, what: 'exe' | 'cwd', ctx: ActionContext): Promise<RequestResults['reveal']> {
  const id = identityOf(pid, key, ctx);
  const name = displayName(pid, ctx, key);
  const path = readOwnLink(id, what, name);
  const uri = vscode.Uri.file(path);
  const inWorkspace = vscode.workspace.getWorkspaceFolder(uri) !== undefined;
  if (inWorkspace) {
    await vscode.commands.executeCommand('revealInExplorer', uri);
  } else if (vscode.env.uiKind === vscode.UIKind.Desktop && vscode.env.remoteName === undefined) {
    await vscode.commands.executeCommand('revealFileInOS', uri);
  } else {
    // A browser-based or remote window has no OS file manager to show: open the folder in a new window.
    const folder = what === 'cwd' ? uri : vscode.Uri.file(dirname(path));
    await vscode.commands.executeCommand('vscode.openFolder', folder, { forceNewWindow: true });
  }
  return { path };
}

/** Node's inspector port from the command line (--inspect[-brk][-port]=[host:]port), if one was given. */
export function inspectorPort(cmdline: readonly string[]): number | undefined {
  for (const arg of cmdline) {
    const m = /^--inspect(?:-brk|-port|-wait)?=(?:[^:]*:)?(\d{1,5})$/.exec(arg);
    if (m) return Number(m[1]);
  }
  return undefined;
}

export async function attachDebugger(pid: number, key: string, ctx: ActionContext): Promise<RequestResults['attachDebugger']> {
  const id = identityOf(pid, key, ctx);
  const name = displayName(pid, ctx, key);
  requireIdentity(id, name);
  // Decided from the executable the kernel loaded (see nodeRuntime.ts), never from the name or argv[0]: SIGUSR1
  // ends any process that does not handle it.
  if (!isNodeRuntime(pid)) {
    throw new ActionError(
      l10n.t('Cannot attach a debugger to process {0} ({1}): only Node.js processes can be attached from ProcScope.', pid, name),
    );
  }
  const p = ctx.snapshot()?.processes.find((q) => q.key === key);
  const port = inspectorPort(p?.cmdline ?? []) ?? 9229;
  const ok = await confirm(
    l10n.t('Attach the debugger to process {0} ({1})?', pid, name),
    l10n.t(
      'ProcScope sends SIGUSR1, which makes Node.js open its inspector: an unauthenticated debugging port on 127.0.0.1:{0} that any local program can connect to until the process ends. Then VS Code attaches to it.',
      port,
    ),
    l10n.t('Open Inspector and Attach'),
  );
  if (!ok) return { started: false };
  // An exec keeps the pid and the start time, so the identity check below cannot see one made while the
  // dialog was open: the executable is looked at again, as close to the signal as Node allows.
  if (!isNodeRuntime(pid)) {
    throw new ActionError(
      l10n.t('Process {0} ({1}) is no longer running Node.js (it ran another program while you were asked); nothing was sent.', pid, name),
    );
  }
  // SIGUSR1 makes a running Node process open its inspector (on 9229 unless told otherwise), as VS Code's
  // own Process Explorer does before it attaches. Sent through the identity check (pidfd where available).
  const outcome = await signalIdentity(id, 'SIGUSR1');
  if (outcome.kind !== 'sent') throw signalFailure(outcome, pid, name, l10n.t('Enabling the inspector'));
  // Say so plainly when no inspector opened (a Node built without it, --disable-sigusr1, the port taken).
  if (!(await waitForOwnListener(pid, port))) {
    throw new ActionError(
      l10n.t(
        'Process {0} ({1}) did not open a Node inspector on port {2} after SIGUSR1: the port may be in use, or the inspector is disabled.',
        pid,
        name,
        port,
      ),
    );
  }
  const started = await vscode.debug.startDebugging(undefined, {
    type: 'node',
    request: 'attach',
    name: l10n.t('Attach to {0} ({1})', name, pid),
    port,
  });
  if (!started) {
    throw new ActionError(l10n.t('The debugger could not attach to process {0} ({1}) on port {2}.', pid, name, port));
  }
  return { started };
}
