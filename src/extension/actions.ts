// What the panel's actions do on the host. Each returns the response result or throws an ActionError whose
// message the user reads (the webview shows it; the host shows it too when the action was destructive).
import { visible } from '../shared/visible';
import { readFileSync, readlinkSync } from 'node:fs';
import * as os from 'node:os';
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import type { ProcessInfo, Snapshot } from '../core/model';
import type { AllowedSignal, RequestResults } from '../protocol';
import { copyText, uptimeSeconds } from './copyText';
import { waitForOwnListener } from './debug/inspector';

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
export function displayName(pid: number, ctx: ActionContext): string {
  return visible(ctx.processOf(pid)?.name ?? readProcText(pid, 'comm')?.replace(/\n$/, '') ?? '?');
}

function readProcText(pid: number, file: string): string | undefined {
  try {
    // Sync read of a tiny procfs file: cheaper than a promise round trip (PERF_NOTES).
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

function errnoMessage(error: unknown, pid: number, name: string, what: string): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ESRCH' || code === 'ENOENT') return vscode.l10n.t('Process {0} ({1}) has exited.', pid, name);
  if (code === 'EPERM' || code === 'EACCES') return vscode.l10n.t('Permission denied: {0} for process {1} ({2}) needs more privileges.', what, pid, name);
  return vscode.l10n.t('{0} failed for process {1} ({2}): {3}', what, pid, name, error instanceof Error ? error.message : String(error));
}

function readLink(pid: number, link: 'cwd' | 'exe', name: string): string {
  try {
    return readlinkSync(`/proc/${pid}/${link}`).replace(/ \(deleted\)$/, '');
  } catch (error) {
    throw new ActionError(errnoMessage(error, pid, name, link === 'cwd' ? vscode.l10n.t('Reading the working directory') : vscode.l10n.t('Reading the executable path')));
  }
}

async function confirm(message: string, detail: string, button: string): Promise<boolean> {
  const choice = await vscode.window.showWarningMessage(message, { modal: true, detail }, button);
  return choice === button;
}

export async function sendSignal(pid: number, signal: AllowedSignal, ctx: ActionContext): Promise<RequestResults['signal']> {
  const name = displayName(pid, ctx);
  const ok = await confirm(
    vscode.l10n.t('Send {0} to process {1} ({2})?', signal, pid, name),
    signal === 'SIGKILL' ? vscode.l10n.t('SIGKILL cannot be caught: the process ends at once without cleaning up.') : vscode.l10n.t('The process may end or change state.'),
    vscode.l10n.t('Send {0}', signal),
  );
  if (!ok) return { sent: false };
  try {
    process.kill(pid, signal);
  } catch (error) {
    throw new ActionError(errnoMessage(error, pid, name, vscode.l10n.t('Sending {0}', signal)));
  }
  return { sent: true };
}

export async function renice(pid: number, nice: number, ctx: ActionContext): Promise<RequestResults['renice']> {
  const name = displayName(pid, ctx);
  const ok = await confirm(
    vscode.l10n.t('Change the nice value of process {0} ({1}) to {2}?', pid, name, nice),
    vscode.l10n.t('Lower values mean a higher scheduling priority; lowering it below the current value needs privileges.'),
    vscode.l10n.t('Renice'),
  );
  if (!ok) return { nice: os.getPriority(pid) };
  try {
    os.setPriority(pid, nice);
    return { nice: os.getPriority(pid) };
  } catch (error) {
    // os.setPriority wraps errno in a SystemError whose `info.code` holds it.
    const info = (error as { info?: { code?: string } }).info;
    throw new ActionError(errnoMessage(info?.code ? { code: info.code } : error, pid, name, vscode.l10n.t('Renice')));
  }
}

export async function copy(pid: number, format: 'ps' | 'json', ctx: ActionContext): Promise<RequestResults['copy']> {
  const p = ctx.processOf(pid);
  const snapshot = ctx.snapshot();
  if (!p || !snapshot) throw new ActionError(vscode.l10n.t('Process {0} is not in the current snapshot.', pid));
  const text = copyText(p, snapshot, format, uptimeSeconds(snapshot.system.bootTime));
  await vscode.env.clipboard.writeText(text);
  return { text };
}

export function openTerminal(pid: number, ctx: ActionContext): RequestResults['openTerminal'] {
  const name = displayName(pid, ctx);
  const cwd = readLink(pid, 'cwd', name);
  const terminal = vscode.window.createTerminal({ name: vscode.l10n.t('cwd of {0} ({1})', name, pid), cwd });
  terminal.show();
  return { cwd };
}

export async function reveal(pid: number, what: 'exe' | 'cwd', ctx: ActionContext): Promise<RequestResults['reveal']> {
  const name = displayName(pid, ctx);
  const path = readLink(pid, what, name);
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

export function isNodeProcess(p: Pick<ProcessInfo, 'exe' | 'cmdline' | 'name'>): boolean {
  const candidates = [p.exe ? basename(p.exe) : '', p.cmdline?.[0] ? basename(p.cmdline[0]) : '', p.name];
  return candidates.some((c) => /^(node|nodejs|node\d+)$/.test(c));
}

export async function attachDebugger(pid: number, ctx: ActionContext): Promise<RequestResults['attachDebugger']> {
  const p = ctx.processOf(pid);
  const name = displayName(pid, ctx);
  if (!p || !isNodeProcess(p)) {
    throw new ActionError(vscode.l10n.t('Cannot attach a debugger to process {0} ({1}): only Node.js processes can be attached from ProcScope.', pid, name));
  }
  const port = inspectorPort(p.cmdline ?? []) ?? 9229;
  try {
    // SIGUSR1 makes a running Node process open its inspector (on 9229 unless told otherwise), as VS Code's
    // own Process Explorer does before it attaches.
    process.kill(pid, 'SIGUSR1');
  } catch (error) {
    throw new ActionError(errnoMessage(error, pid, name, vscode.l10n.t('Enabling the inspector')));
  }
  // Say so plainly when no inspector opened (a Node built without it, --disable-sigusr1, the port taken).
  if (!(await waitForOwnListener(pid, port))) {
    throw new ActionError(vscode.l10n.t('Process {0} ({1}) did not open a Node inspector on port {2} after SIGUSR1: the port may be in use, or the inspector is disabled.', pid, name, port));
  }
  const started = await vscode.debug.startDebugging(undefined, {
    type: 'node',
    request: 'attach',
    name: vscode.l10n.t('Attach to {0} ({1})', name, pid),
    port,
  });
  if (!started) {
    throw new ActionError(vscode.l10n.t('The debugger could not attach to process {0} ({1}) on port {2}.', pid, name, port));
  }
  return { started };
}
