// Entry point of the extension host bundle: the command, the status bar item, the panel serializer.
import { exportHistory } from './historyExport';
import { openRecording, RECORDING_VIEW_TYPE, RecordingPanelSet, reviveRecording } from './recordingPanel';
import { RecordingRestore } from './recordingRestore';
import * as vscode from 'vscode';
import { SamplerService } from './backend';
import { initL10n, l10n } from './l10n';
import { DebugTracking } from './debug/debugTracking';
import { Disposable } from './dispose';
import { LabRunner } from './labs/labRunner';
import { ProcScopePanel, VIEW_TYPE, type PanelServices } from './panel';
import { WorkspaceTracker } from './workspaceTracker';

let owner: Disposable | undefined;

/** What other parts of the extension (debug tracking, walkthrough labs) use to reach the panel. */
export interface ProcScopeApi {
  readonly tracker: WorkspaceTracker;
  open(): ProcScopePanel;
}

export function activate(context: vscode.ExtensionContext): ProcScopeApi {
  owner = new Disposable();
  // First: every message, dialog and label below is translated through it.
  owner.register(initL10n(context.extensionUri.fsPath));
  const log = owner.register(vscode.window.createOutputChannel('ProcScope', { log: true }));
  const tracker = owner.register(new WorkspaceTracker());
  // The one reader of the process table: the panel and the debug tracker subscribe to its worker.
  const sampler = owner.register(
    new SamplerService(vscode.Uri.joinPath(context.extensionUri, 'dist', 'panelWorker.js').fsPath, {
      onRestart: (why) => log.error(`the sampler worker was replaced by a new one (its history is lost): ${why.stack ?? why.message}`),
    }),
  );
  // The walkthrough labs (procscope.runLab, procscope.labObserved.*); the panel tells them of each tick.
  const labs: LabRunner = owner.register(
    new LabRunner({
      extensionUri: context.extensionUri,
      log,
      tracker,
      openBeside: () => ProcScopePanel.createOrShow(services, vscode.ViewColumn.Beside),
    }),
  );
  // Recording panels' files by the ids their pages keep, in this workspace's storage (for window reloads).
  const recordings = new RecordingRestore(context.workspaceState, (error) =>
    log.warn(`saving the recording panels failed: ${String(error)}`),
  );
  const services: PanelServices = { extensionUri: context.extensionUri, log, tracker, sampler, labs, recordings };
  const open = () => ProcScopePanel.createOrShow(services);
  // Open recording panels, each dropped (with its whole recording) once the user closes it; the rest are
  // disposed with the extension.
  const recordingPanels = new RecordingPanelSet();
  owner.register(recordingPanels);

  owner.register(
    vscode.commands.registerCommand('procscope.open', () => {
      open();
    }),
  );
  owner.register(vscode.commands.registerCommand('procscope.exportHistory', () => exportHistory(ProcScopePanel.instance)));
  owner.register(
    vscode.commands.registerCommand('procscope.openRecording', async (arg?: unknown) => {
      const panel = await openRecording(services, arg);
      if (panel) recordingPanels.add(panel);
      // What the e2e test (and any caller) can check: which file is shown, and its window.
      return panel ? { file: panel.file, ticks: panel.ticks } : undefined;
    }),
  );
  owner.register(
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel) => {
        ProcScopePanel.revive(panel, services);
      },
    }),
  );
  owner.register(
    vscode.window.registerWebviewPanelSerializer(RECORDING_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown) => {
        const revived = await reviveRecording(services, panel, state);
        if (revived) recordingPanels.add(revived);
      },
    }),
  );

  const status = owner.register(vscode.window.createStatusBarItem('procscope.status', vscode.StatusBarAlignment.Right, 100));
  status.name = l10n.t('ProcScope');
  status.text = '$(pulse)';
  status.tooltip = l10n.t('ProcScope: Open Process Explorer');
  status.command = 'procscope.open';
  status.show();

  owner.register(new DebugTracking({ tracker, log, sampler, panel: () => ProcScopePanel.instance, open }));
  owner.register({ dispose: () => ProcScopePanel.instance?.dispose() });
  context.subscriptions.push(owner);
  return { tracker, open };
}

export function deactivate(): void {
  owner?.dispose();
  owner = undefined;
}
