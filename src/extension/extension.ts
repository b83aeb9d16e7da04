import * as vscode from 'vscode';

// Entry point of the extension host bundle; the panel is registered in panel.ts.
export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('procscope.open', () => {
      void vscode.window.showInformationMessage(vscode.l10n.t('ProcScope: the process panel is not built yet.'));
    }),
  );
}

export function deactivate(): void {}
