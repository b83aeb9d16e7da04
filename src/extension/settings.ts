// `procscope.*` settings, read into the ViewSettings the webview gets (and the host's timer cadences).
import * as vscode from 'vscode';
import type { Locale, Scope, ViewSettings } from '../protocol';
import { clampMs, MIN_IPC_REFRESH_MS, MIN_REFRESH_MS } from './intervals';
import { uiLocale } from './l10n';

export const SECTION = 'procscope';

/** The panel, dialogs and labs follow `procscope.language` (auto = VS Code's display language). */
export function webviewLocale(): Locale {
  return uiLocale();
}

export function readSettings(): ViewSettings {
  const c = vscode.workspace.getConfiguration(SECTION);
  const scope = c.get<string>('defaultScope');
  return {
    refreshMs: clampMs(c.get('refreshInterval'), 1000, MIN_REFRESH_MS),
    ipcRefreshMs: clampMs(c.get('ipcRefreshInterval'), 3000, MIN_IPC_REFRESH_MS),
    showThreads: c.get<boolean>('showThreads') !== false,
    showKernelThreads: c.get<boolean>('showKernelThreads') === true,
    scope: (scope === 'all' ? 'all' : 'workspace') satisfies Scope,
    locale: webviewLocale(),
  };
}

/** The bound of the panel's in-memory history of ticks, bytes (`procscope.historyMemory`, MiB; 0 keeps none). */
export function historyBytes(): number {
  const mib = vscode.workspace.getConfiguration(SECTION).get<number>('historyMemory');
  const value = typeof mib === 'number' && Number.isFinite(mib) ? Math.min(1024, Math.max(0, mib)) : 32;
  return Math.round(value * 1024 * 1024);
}

export function openOnDebugStart(): boolean {
  return vscode.workspace.getConfiguration(SECTION).get<boolean>('openOnDebugStart') === true;
}
