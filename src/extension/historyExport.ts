// "ProcScope: Export History…": the panel's in-memory history of ticks written as a recording file, the same
// format `procscope record` writes (gzip'd NDJSON, one gzip member per line), so `procscope replay FILE` and
// anything that reads recordings reads it too.
import * as vscode from 'vscode';
import { encodeLine, historyFileName } from '../core/record/format';
import { l10n } from './l10n';
import type { ProcScopePanel } from './panel';
import { showInfo } from './notify';
import { visible } from '../shared/visible';

declare const PROCSCOPE_VERSION: string | undefined;

export async function exportHistory(panel: ProcScopePanel | undefined): Promise<void> {
  if (!panel) {
    void showInfo(l10n.t('ProcScope keeps a history only while its panel is open. Open it, let it run, then export.'));
    return;
  }
  const lines = await panel.historyLines(`procscope ${typeof PROCSCOPE_VERSION === 'string' ? PROCSCOPE_VERSION : 'dev'} (VS Code panel)`);
  if (!lines || lines.length < 2) {
    void showInfo(l10n.t('ProcScope has no history to export yet (the setting procscope.historyMemory is 0, or no tick has been taken).'));
    return;
  }
  const [header, ...ticks] = lines;
  const last = ticks[ticks.length - 1]!;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const name = historyFileName(header.host, last.at);
  const target = await vscode.window.showSaveDialog({
    ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, name) } : {}),
    filters: { [l10n.t('ProcScope recording')]: ['gz'] },
    saveLabel: l10n.t('Export'),
    title: l10n.t('Export the history as a recording'),
  });
  if (!target) return;
  const data = Buffer.concat(lines.map((line) => encodeLine(line)));
  await vscode.workspace.fs.writeFile(target, data);
  const seconds = Math.round((last.at - ticks[0]!.at) / 1000);
  void showInfo(
    l10n.t('Wrote {0} ticks ({1} s) to {2}. Read it with: procscope replay FILE', ticks.length, seconds, visible(target.fsPath)),
  );
}
