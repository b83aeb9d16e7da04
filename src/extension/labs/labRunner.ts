// Host side of the walkthrough labs: the walkthrough's "Run the lab" buttons (`procscope.runLab`), the per-lab completion
// commands (`procscope.labObserved.<lab>`), and the lab card fed from each panel tick.
//
// A lab runs in an integrated terminal named after it, from the installed extension's labs/ folder; its
// shell is reported to "This workspace" as a lab root. While the lab runs, each panel tick hands the
// runner the newest snapshot (and the IPC map the panel scanned anyway); the session reads the few PCB
// details its rules need through the panel's worker and posts the card and focus when they change.
import * as vscode from 'vscode';
import { l10n } from '../l10n';
import type { IpcMap } from '../../core/ipc/model';
import { emptyCard, LAB_IDS, isLabId, labCommandLine, labObservedCommand, LABS, FORK_REWIND_OBSERVED, type LabId } from '../../core/labs';
import type { WorkspaceMember } from '../../protocol';
import { Disposable } from '../dispose';
import { webviewLocale } from '../settings';
import type { WorkspaceTracker } from '../workspaceTracker';
import { LabSession, type LabPanel, type LabPanelHook } from './labSession';
import { showError, showInfo } from '../notify';
import { visible } from '../../shared/visible';

export interface LabRunnerServices {
  readonly extensionUri: vscode.Uri;
  readonly log: vscode.LogOutputChannel;
  readonly tracker: WorkspaceTracker;
  /** Opens (or reveals) the panel, beside the walkthrough so both stay visible (a hidden panel does not poll). */
  openBeside(): LabPanel;
}

/** How long to wait for a new terminal's shell pid before finding the lab by its script instead. */
const SHELL_PID_WAIT_MS = 5000;

interface ActiveLab {
  readonly session: LabSession;
  readonly terminal: vscode.Terminal | undefined;
}

/** A rewind to shortly before the fork lab's start still shows its parent being set up. */
const FORK_REWIND_SLACK_MS = 2000;

export class LabRunner extends Disposable implements LabPanelHook {
  private active: ActiveLab | undefined;
  private busy = false;
  private ipc: IpcMap | undefined;
  private members: readonly WorkspaceMember[] | undefined;
  /** The panel the current card was posted to (a re-opened panel gets it again). */
  private cardPanel: LabPanel | undefined;
  /** When the fork lab was first started in this window (its rewind step asks for a tick from then on). */
  private forkStartedAt: number | undefined;

  constructor(private readonly services: LabRunnerServices) {
    super();
    this.register(vscode.commands.registerCommand('procscope.runLab', (id: unknown) => this.run(id)));
    // The walkthrough steps complete on these (completionEvents onCommand:...); running them does nothing else.
    for (const id of LAB_IDS) this.register(vscode.commands.registerCommand(labObservedCommand(id), () => undefined));
    this.register(vscode.commands.registerCommand(FORK_REWIND_OBSERVED, () => undefined));
    this.register(
      vscode.window.onDidCloseTerminal((t) => {
        if (this.active?.terminal === t) this.stop();
      }),
    );
    this.register({ dispose: () => this.stop() });
  }

  /** `procscope.runLab`: from a walkthrough button (`command:procscope.runLab?["fork_cow"]`) or the palette. */
  async run(id: unknown): Promise<void> {
    // The labs are Linux programs (prctl, /proc, SysV IPC, a POSIX shell line): elsewhere they cannot run.
    if (process.platform !== 'linux') {
      void showInfo(l10n.t('The labs run on Linux only: they use /proc and Linux system calls, which this system does not have.'));
      return;
    }
    let labId: unknown = Array.isArray(id) ? id[0] : id;
    if (labId === undefined) {
      const locale = webviewLocale();
      const pick = await vscode.window.showQuickPick(
        LAB_IDS.map((l) => ({ label: LABS[l].title[locale], id: l })),
        { placeHolder: l10n.t('Choose a lab to run') },
      );
      if (!pick) return;
      labId = pick.id;
    }
    if (!isLabId(labId)) {
      void showError(l10n.t('Unknown lab: {0}', visible(String(labId).slice(0, 200))));
      return;
    }
    await this.start(labId);
  }

  private async start(labId: LabId): Promise<void> {
    const locale = webviewLocale();
    const title = LABS[labId].title[locale];
    const previous = this.active;
    this.stop();
    // Running the same lab again replaces its terminal (closing it ends the old run: the lab cleans up on SIGHUP).
    if (previous?.terminal && previous.session.labId === labId) previous.terminal.dispose();
    const panel = this.services.openBeside();
    if (labId === 'fork_cow') this.forkStartedAt ??= Date.now();
    this.post(panel, emptyCard(labId, locale));
    const commandLine = labCommandLine(labId, this.services.extensionUri.fsPath, locale);
    if (commandLine === null) {
      this.active = { session: new LabSession(labId, locale, undefined, process.pid), terminal: undefined };
      return;
    }
    // /bin/sh, not the user's default shell: the command line is quoted for a POSIX shell (labCommandLine), and
    // fish, PowerShell or nushell would read an extension path holding a quote or a backslash otherwise.
    const terminal = vscode.window.createTerminal({
      name: title,
      shellPath: '/bin/sh',
      env: { PROCSCOPE_LANG: locale },
      isTransient: true,
    });
    terminal.show(true);
    terminal.sendText(commandLine, true);
    const shellPid = await Promise.race([
      terminal.processId,
      new Promise<undefined>((r) => setTimeout(() => r(undefined), SHELL_PID_WAIT_MS)),
    ]);
    if (this.isDisposed || terminal.exitStatus !== undefined) return;
    if (shellPid !== undefined) this.services.tracker.setLabProcesses(labId, [{ pid: shellPid, name: title }]);
    else this.services.log.warn(`lab ${labId}: the terminal's shell pid did not arrive; finding the lab by its script`);
    this.active = { session: new LabSession(labId, locale, shellPid, process.pid), terminal };
    this.services.log.info(`lab ${labId} started in terminal "${title}" (shell ${shellPid ?? '?'}): ${commandLine}`);
  }

  private stop(): void {
    const active = this.active;
    if (!active) return;
    this.active = undefined;
    this.services.tracker.setLabProcesses(active.session.labId, []);
  }

  private post(panel: LabPanel, card: Parameters<LabPanel['showLabCard']>[0]): void {
    if (!card) return;
    panel.showLabCard(card);
    this.cardPanel = panel;
  }

  // ---- LabPanelHook ----

  threads(): readonly number[] {
    return this.active?.session.threads() ?? [];
  }

  onIpc(map: IpcMap): void {
    this.ipc = map;
  }

  onRewind(at: number): void {
    if (this.forkStartedAt !== undefined && at >= this.forkStartedAt - FORK_REWIND_SLACK_MS)
      void vscode.commands.executeCommand(FORK_REWIND_OBSERVED);
  }

  onTick(panel: LabPanel, members: readonly WorkspaceMember[] | undefined): void {
    if (members) this.members = members;
    const active = this.active;
    if (!active || this.busy || panel.isDisposed) return;
    if (active.session.finished) {
      if (this.cardPanel !== panel) this.post(panel, active.session.card);
      return;
    }
    // Ticks may come faster than details are read: one evaluation at a time, the next tick catches up.
    this.busy = true;
    void this.evaluate(active, panel).finally(() => {
      this.busy = false;
    });
  }

  private async evaluate(active: ActiveLab, panel: LabPanel): Promise<void> {
    try {
      const snapshot = panel.currentSnapshot;
      if (!snapshot) return;
      const { session } = active;
      const selectedPid = panel.selectedPid;
      const wasFinished = session.finished;
      const out = await session.tick({
        snapshot,
        ...(this.members ? { members: this.members } : {}),
        ...(this.ipc && session.needsIpc(snapshot) ? { ipc: this.ipc } : {}),
        ...(selectedPid !== undefined ? { selectedPid } : {}),
        readDetail: (pid) => panel.readDetail(pid),
        readLabFacts: (waitPids, exitPids) => panel.readLabFacts(waitPids, exitPids),
      });
      this.services.log.trace(
        `lab ${session.labId}: card ${out.card ? out.card.items.map((i) => (i.done ? '1' : '0')).join('') : 'unchanged'}, focus ${out.focus?.join(',') ?? 'unchanged'}`,
      );
      if (session.finished && !wasFinished)
        this.services.log.info(`lab ${session.labId}: its program has exited; the card keeps what it saw`);
      if (this.active !== active || panel.isDisposed) return;
      if (out.card) this.post(panel, out.card);
      else if (this.cardPanel !== panel) this.post(panel, session.card);
      if (out.focus)
        panel.focus(out.focus, session.labId === 'vscode_itself' ? l10n.t('This workspace') : l10n.t('Lab: {0}', session.title));
      if (out.completedNow) {
        this.services.log.info(`lab ${session.labId}: every item observed`);
        await announceObserved(session.labId);
      }
    } catch (error) {
      this.services.log.error(`lab card update failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
}

/**
 * Runs `procscope.labObserved.<lab>` through the workbench so the walkthrough step completes. Executed
 * directly, the extension host would run its own command in-process and the workbench's command service
 * (whose onDidExecuteCommand drives `onCommand:` completion events) would never hear of it; the built-in
 * `runCommands` runs in the workbench and executes ours from there.
 */
async function announceObserved(labId: LabId): Promise<void> {
  const command = labObservedCommand(labId);
  try {
    await vscode.commands.executeCommand('runCommands', { commands: [command] });
  } catch {
    await vscode.commands.executeCommand(command); // a host without runCommands (VS Code < 1.77)
  }
}
