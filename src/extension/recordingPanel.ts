// "ProcScope: Open Recording…": a file made by `procscope record` or by Export History, shown in a panel of its
// own with the same page as the live one (tree, timeline, scrubber, detail) in its recording mode. The host
// reads the file (bounded: src/core/record/reader.ts) and answers the page's history requests from it, the way
// the worker answers them from its in-memory history; nothing in a recording can be acted on, so every other
// request is refused with the reason. A file dropped on a panel comes here as the uri the drop gave.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { RECORDING_VERSION } from '../core/record/format';
import { RecordingHistory } from '../core/record/historyIndex';
import { loadRecordingFile, MAX_RECORDING_FILE, parseRecording, RecordingError, type Recording } from '../core/record/reader';
import type { RecordingInfo, Request, ToWebview } from '../protocol';
import { Disposable } from './dispose';
import { panelHtml } from './html';
import { l10n } from './l10n';
import { webviewOptions, type PanelServices } from './panel';
import { readSettings } from './settings';
import { validateMessage } from './validate';
import { visible } from '../shared/visible';
import { showError, showInfo, showWarning } from './notify';

export const RECORDING_VIEW_TYPE = 'procscope.recording';

/** Why a file could not be opened as a recording, in the user's language. */
export function recordingErrorText(error: unknown): string {
  if (!(error instanceof RecordingError))
    return l10n.t('The recording could not be read: {0}', error instanceof Error ? error.message : String(error));
  switch (error.code) {
    case 'TOO_NEW':
      return l10n.t(
        'This recording was made by a newer ProcScope (format version {0}); this one reads up to version {1}.',
        String(error.version),
        String(RECORDING_VERSION),
      );
    case 'TOO_LARGE':
      return l10n.t(
        'This recording is too large to open in the panel (over {0} MB once decompressed).',
        String(Math.round(Number(error.detail) / 1048576)),
      );
    case 'UNREADABLE':
      return l10n.t('The file could not be read ({0}).', String(error.detail));
    case 'NOT_RECORDING':
      switch (error.why) {
        case 'empty':
          return l10n.t('Not a ProcScope recording: the file is empty.');
        case 'cutInHeader':
          return l10n.t('Not a ProcScope recording: its first line (the header) is cut off or damaged.');
        case 'notJson':
          return l10n.t('Not a ProcScope recording: its first line is not JSON.');
        case 'badVersion':
          return l10n.t('Not a ProcScope recording: its header has no valid version.');
        case 'badHeader':
          return l10n.t('Not a ProcScope recording: its header lacks a field every recording has.');
        case 'notFile':
          return l10n.t('Not a ProcScope recording: it is not a regular file (a FIFO, a device, a socket or a directory).');
        default:
          return l10n.t('Not a ProcScope recording: its first line is not a ProcScope recording header.');
      }
  }
}

/**
 * The file a command argument or a drop names: a vscode.Uri, a uri string (`file:`, `vscode-remote:`; a
 * text/uri-list's first entry) or an absolute path. undefined for anything else.
 */
export function recordingTarget(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg !== 'string') return undefined;
  // A uri-list holds one uri a line; lines starting with # are comments.
  const first = arg
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l.length > 0 && !l.startsWith('#'));
  if (!first) return undefined;
  if (first.startsWith('/')) return vscode.Uri.file(first);
  try {
    const uri = vscode.Uri.parse(first, true);
    return uri.scheme === 'file' || uri.scheme === 'vscode-remote' ? uri : undefined;
  } catch {
    return undefined;
  }
}

async function load(uri: vscode.Uri): Promise<Recording> {
  if (uri.scheme === 'file') return loadRecordingFile(uri.fsPath);
  // Elsewhere (a remote folder seen through the workspace's file system) the size is asked first.
  let data: Uint8Array;
  let truncated = false;
  let stat: vscode.FileStat;
  try {
    stat = await vscode.workspace.fs.stat(uri);
  } catch (e) {
    throw new RecordingError('UNREADABLE', undefined, undefined, e instanceof Error ? e.message : String(e));
  }
  if (stat.type !== vscode.FileType.File) throw new RecordingError('NOT_RECORDING', 'notFile');
  // The workspace's file system reads a file whole: one far over the bound is not read at all.
  if (stat.size > 2 * MAX_RECORDING_FILE)
    throw new RecordingError('UNREADABLE', undefined, undefined, l10n.t('larger than {0} MB', String((2 * MAX_RECORDING_FILE) / 1048576)));
  try {
    truncated = stat.size > MAX_RECORDING_FILE;
    data = await vscode.workspace.fs.readFile(uri);
  } catch (e) {
    throw new RecordingError('UNREADABLE', undefined, undefined, e instanceof Error ? e.message : String(e));
  }
  const buffer = Buffer.from(data.buffer, data.byteOffset, Math.min(data.byteLength, MAX_RECORDING_FILE));
  return parseRecording(buffer, { truncated });
}

/**
 * A recording panel VS Code gives back after a window reload: the file its saved state's id names (issued by
 * this workspace's RecordingRestore) is read again, with every check of a first open. A state naming nothing
 * issued here, or a file that can no longer be read, closes the panel and says why.
 */
export async function reviveRecording(
  services: PanelServices,
  panel: vscode.WebviewPanel,
  state: unknown,
): Promise<RecordingPanel | undefined> {
  const saved = services.recordings?.restored(state);
  let uri: vscode.Uri | undefined;
  try {
    uri = saved ? vscode.Uri.parse(saved.uri, true) : undefined;
  } catch {
    uri = undefined;
  }
  if (!saved || !uri) {
    if (saved) services.recordings?.forget(saved.id);
    panel.dispose();
    void showInfo(l10n.t('A recording panel could not be reopened after the reload: open the file again.'));
    return undefined;
  }
  // The user may close the tab while the file is read: then nothing is shown and the id is forgotten.
  let closed = false;
  const watch = panel.onDidDispose(() => {
    closed = true;
  });
  let recording: Recording | undefined;
  let why: string;
  try {
    recording = await load(uri);
    why = l10n.t('{0}: the recording holds no tick (it was cut right after its header).', visible(basename(uri.path)));
  } catch (error) {
    services.log.warn(`reopening the recording ${uri.toString()} failed: ${error instanceof Error ? error.message : String(error)}`);
    why = l10n.t('{0}: {1}', visible(basename(uri.path)), recordingErrorText(error));
  } finally {
    watch.dispose();
  }
  if (closed || !recording || recording.ticks.length === 0) {
    services.recordings?.forget(saved.id);
    if (!closed) {
      panel.dispose();
      void showError(why);
    }
    return undefined;
  }
  panel.webview.options = webviewOptions(services.extensionUri);
  return new RecordingPanel(services, uri, recording, { panel, restoreId: saved.id });
}

/**
 * One file is read at a time: a drop (or a page sending the message again and again) while one is read is
 * turned away with one notice per read, so a page cannot make the host read a file per message.
 */
const opening = { busy: false, told: false };

/** Opens `arg` (or the file the user picks) in a recording panel; shows why when it cannot. */
export async function openRecording(services: PanelServices, arg?: unknown): Promise<RecordingPanel | undefined> {
  if (opening.busy) {
    services.log.warn('a recording is still being opened; another request to open one was turned away');
    if (!opening.told) void showInfo(l10n.t('ProcScope is still opening a recording: open the next one when it is shown.'));
    opening.told = true;
    return undefined;
  }
  opening.busy = true;
  opening.told = false;
  try {
    return await openRecordingNow(services, arg);
  } finally {
    opening.busy = false;
  }
}

async function openRecordingNow(services: PanelServices, arg?: unknown): Promise<RecordingPanel | undefined> {
  let uri = recordingTarget(arg);
  if (arg !== undefined && !uri) {
    void showError(l10n.t('ProcScope opens recordings from files only; this is not one: {0}', visible(String(arg).slice(0, 200))));
    return undefined;
  }
  if (!uri) {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: false,
      filters: { [l10n.t('ProcScope recording')]: ['gz', 'ndjson', 'jsonl'], [l10n.t('All files')]: ['*'] },
      openLabel: l10n.t('Open Recording'),
      title: l10n.t('Open a ProcScope recording'),
    });
    uri = picked?.[0];
    if (!uri) return undefined;
  }
  let recording: Recording;
  try {
    recording = await load(uri);
  } catch (error) {
    services.log.warn(`opening the recording ${uri.toString()} failed: ${error instanceof Error ? error.message : String(error)}`);
    void showError(l10n.t('{0}: {1}', visible(basename(uri.path)), recordingErrorText(error)));
    return undefined;
  }
  if (recording.ticks.length === 0) {
    void showError(l10n.t('{0}: the recording holds no tick (it was cut right after its header).', visible(basename(uri.path))));
    return undefined;
  }
  if (recording.cutOff) {
    void showWarning(
      recording.cutOff.why === 'limit'
        ? l10n.t(
            '{0} is larger than {1} MB: only its first {2} ticks are shown.',
            visible(basename(uri.path)),
            String(MAX_RECORDING_FILE / 1048576),
            String(recording.ticks.length),
          )
        : l10n.t(
            '{0} was cut off or damaged after tick {1}: it is shown up to there.',
            visible(basename(uri.path)),
            String(recording.cutOff.afterTick),
          ),
    );
  }
  return new RecordingPanel(services, uri, recording);
}

type Answer = { ok: true; result: unknown } | { ok: false; error: string };

export class RecordingPanel extends Disposable {
  private readonly history: RecordingHistory;
  private readonly info: RecordingInfo;
  private readonly panel: vscode.WebviewPanel;
  private sent = false;
  readonly ticks: number;

  /** The id the page keeps so a reload reopens this file (recordingRestore.ts); undefined without a store. */
  private readonly restoreId: string | undefined;

  constructor(
    private readonly services: PanelServices,
    uri: vscode.Uri,
    recording: Recording,
    revived?: { readonly panel: vscode.WebviewPanel; readonly restoreId: string },
  ) {
    super();
    this.restoreId = revived?.restoreId ?? services.recordings?.issue(uri.toString());
    this.history = new RecordingHistory(recording);
    const ticks = recording.ticks;
    const file = basename(uri.path);
    this.ticks = ticks.length;
    this.info = {
      file,
      startedAt: ticks[0]!.at,
      endedAt: ticks[ticks.length - 1]!.at,
      host: recording.header.host,
      cut: recording.cutOff !== undefined,
      ...(this.restoreId ? { restoreId: this.restoreId } : {}),
    };
    this.panel =
      revived?.panel ??
      vscode.window.createWebviewPanel(
        RECORDING_VIEW_TYPE,
        l10n.t('Recording: {0}', visible(file)),
        vscode.ViewColumn.Active,
        webviewOptions(services.extensionUri),
      );
    this.register(this.panel.webview.onDidReceiveMessage((raw: unknown) => this.onMessage(raw)));
    // Closed by the user: forgotten, so a reload does not bring it back. (The extension's own dispose at a
    // reload removes this listener first, and the id stays for the restored panel.)
    this.register(
      this.panel.onDidDispose(() => {
        if (this.restoreId) this.services.recordings?.forget(this.restoreId);
        this.dispose();
      }),
    );
    this.panel.webview.html = this.html();
  }

  get file(): string {
    return this.info.file;
  }

  private readonly disposedListeners: (() => void)[] = [];

  /** Calls `fn` once this panel is disposed (closed by the user, or with the extension). */
  whenDisposed(fn: () => void): void {
    if (this.isDisposed) fn();
    else this.disposedListeners.push(fn);
  }

  override dispose(): void {
    if (this.isDisposed) return;
    super.dispose();
    this.panel.dispose();
    for (const fn of this.disposedListeners.splice(0)) fn();
  }

  private html(): string {
    const webview = this.panel.webview;
    const asset = (file: string) =>
      webview.asWebviewUri(vscode.Uri.joinPath(this.services.extensionUri, 'dist', 'webview', file)).toString();
    const settings = readSettings();
    return panelHtml({
      cspSource: webview.cspSource,
      codiconCss: asset('codicon.css'),
      webviewCss: asset('webview.css'),
      webviewJs: asset('webview.js'),
      // A recording has no workspace: every process is shown.
      startup: { locale: settings.locale, platform: process.platform, settings: { ...settings, scope: 'all' }, recording: this.info },
      lang: settings.locale,
      title: l10n.t('Recording: {0}', visible(this.info.file)),
    });
  }

  private post(message: ToWebview): void {
    if (this.isDisposed) return;
    this.panel.webview.postMessage(message).then(undefined, (error: unknown) => {
      this.services.log.warn(`postMessage(${message.type}) to a recording panel failed: ${String(error)}`);
    });
  }

  /** The newest table of the recording: what the page shows first, and again when it leaves a past one. */
  private sendNewest(): void {
    const snapshot = this.history.newest();
    if (snapshot) this.post({ type: 'snapshot', snapshot, workspace: [] });
  }

  private onMessage(raw: unknown): void {
    try {
      // Pids in a recording need not exist now: only the message's form is checked.
      const checked = validateMessage(raw, { pidExists: () => true });
      if (!checked.ok) {
        this.services.log.warn(`refused a message from a recording panel: ${checked.error}`);
        if (checked.requestId !== undefined) this.post({ type: 'response', requestId: checked.requestId, ok: false, error: checked.error });
        return;
      }
      const message = checked.message;
      switch (message.type) {
        case 'ready': {
          const settings = readSettings();
          this.post({ type: 'init', settings: { ...settings, scope: 'all' }, platform: process.platform });
          this.sendNewest();
          this.sent = true;
          return;
        }
        case 'resync':
          if (this.sent) this.sendNewest();
          return;
        case 'request':
          this.post({ type: 'response', requestId: message.requestId, ...this.answer(message.request) });
          return;
        case 'openRecording':
          void vscode.commands.executeCommand('procscope.openRecording', message.uri);
          return;
        default:
          // Threads to watch, the selection, the scope: nothing is polled, so nothing to do.
          return;
      }
    } catch (error) {
      this.services.log.error(
        `a recording panel's message failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    }
  }

  private answer(request: Request): Answer {
    try {
      switch (request.kind) {
        case 'historyIndex':
          return { ok: true, result: this.history.index(request.threads ?? []) };
        case 'historyAt':
          return { ok: true, result: this.history.at(request.at) };
        default:
          return {
            ok: false,
            error: l10n.t('This is a recording: its processes cannot be read or acted on now. The table shows what was recorded.'),
          };
      }
    } catch (error) {
      return { ok: false, error: l10n.t('Unexpected error: {0}', error instanceof Error ? error.message : String(error)) };
    }
  }
}

/**
 * The open recording panels, disposed with the extension. A panel leaves the set once disposed, so a closed
 * panel's recording (up to the size bound) is not held until the extension ends.
 */
export class RecordingPanelSet {
  private readonly panels = new Set<RecordingPanel>();

  add(panel: RecordingPanel): void {
    this.panels.add(panel);
    panel.whenDisposed(() => this.panels.delete(panel));
  }

  dispose(): void {
    for (const panel of [...this.panels]) panel.dispose();
    this.panels.clear();
  }
}
