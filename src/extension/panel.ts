// The ProcScope panel: one WebviewPanel, polled only while visible, speaking src/protocol.ts.
//
// Life cycle: the webview posts `ready` each time it is (re)created (retainContextWhenHidden is off, so
// hiding the panel destroys the page and showing it re-creates it); the host answers `init` + a full
// `snapshot`, then posts `delta`s from a self-rescheduling timer (the next tick starts after the last one
// finished). Hidden = no polling at all. The start-up handshake's rules (page numbers, repeated `ready`, a
// watchdog that keeps retrying) live in handshake.ts; this class carries out what it decides.
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import type { RecordingRestore } from './recordingRestore';
import { l10n, uiLocale } from './l10n';
import { ProcScopeError } from '../core/errors';
import type { ProcessDetail } from '../core/detail';
import type { ProcessInfo, Snapshot } from '../core/model';
import type {
  DebugThreadName,
  DetailResult,
  FocusMessage,
  WorkspaceMember,
  FromWebview,
  LabCard,
  Request,
  RequestResults,
  Scope,
  SignalManyResponse,
  ToWebview,
  ViewSettings,
} from '../protocol';
import * as actions from './actions';
import { Disposable } from './dispose';
import { panelHtml } from './html';
import { SamplerStoppedError, WorkerLostError, type PanelBackend, type SamplerService } from './backend';
import { historyBytes, readSettings } from './settings';
import type { HistoryReach } from '../worker/protocol';
import { SnapshotKeeper } from './snapshotKeeper';
import { validateMessage } from './validate';
import { Handshake, type HandshakeEffect } from './handshake';
import { isNodeRuntime } from './nodeRuntime';
import { identityFromKey } from './processIdentity';
import type { WorkspaceTracker } from './workspaceTracker';
import type { LabPanelHook } from './labs/labSession';
import { cyclePath, DeadlockNotice } from './deadlockNotice';
import { descendantPids } from '../shared/processTree';
import type { IpcNeed, WaitCycle, WaitsOverview } from '../protocol';
import { showWarning } from './notify';

/** Requests from the page that may wait for an answer at once; the next is refused until one is answered. */
const MAX_REQUESTS_IN_FLIGHT = 32;

/**
 * The least time between two polls, two IPC scans or two whole snapshots that something asks for early (the
 * page's `ready`, `resync`, `watchThreads` and `ipcNeed`, a setting, an action): the smallest refresh
 * intervals the settings allow. A page that sends such messages in a loop gets them coalesced, one poll, scan
 * or snapshot per interval, not one each.
 */
const EARLY_POLL_MIN_MS = 250;
const EARLY_IPC_MIN_MS = 500;
const FULL_SNAPSHOT_MIN_MS = 250;

export const VIEW_TYPE = 'procscope.panel';

export interface PanelServices {
  readonly extensionUri: vscode.Uri;
  readonly log: vscode.LogOutputChannel;
  readonly tracker: WorkspaceTracker;
  /** The extension host's one sampler (its worker): the panel subscribes while it is open. */
  readonly sampler: SamplerService;
  /** The walkthrough lab runner, told of each tick and IPC scan (src/extension/labs). */
  readonly labs?: LabPanelHook;
  /** Which file each recording panel shows, for a window reload (src/extension/recordingRestore.ts). */
  readonly recordings?: RecordingRestore;
}

type Settled<K extends Request['kind']> = RequestResults[K];

/** How long a shown webview may take to post `ready` before it is reloaded; doubled per attempt up to the max. */
const READY_TIMEOUT_MS = 4000;
const READY_MAX_TIMEOUT_MS = 30_000;
/** New panels opened in place of silent ones, over all panels, before only reloads are tried. */
const READY_MAX_RECREATIONS = 3;

/**
 * Test hooks, read from the extension host's environment (set only by tests; see README "Test hooks"):
 * PROCSCOPE_TEST_DELAY_READY_MS delays each page's first `ready` (passed to the page in its start-up data),
 * PROCSCOPE_TEST_DELAY_WORKER_MS delays the worker's first answer to this panel. Both let an end-to-end test
 * make the handshake's events cross as they did on a slow cold start.
 */
function testDelay(name: 'PROCSCOPE_TEST_DELAY_READY_MS' | 'PROCSCOPE_TEST_DELAY_WORKER_MS'): number {
  const ms = Number(process.env[name]);
  return Number.isFinite(ms) && ms > 0 ? Math.min(ms, 120_000) : 0;
}

export class ProcScopePanel extends Disposable {
  private static current: ProcScopePanel | undefined;

  /** The worker's in-memory history of ticks as recording lines (null when it keeps none). */
  historyLines(producer: string): ReturnType<PanelBackend['history']> {
    return this.backend.history(producer);
  }
  /** New panels opened because a webview never reported ready; reset when one does. */
  private static recreations = 0;

  static get instance(): ProcScopePanel | undefined {
    return ProcScopePanel.current;
  }

  static createOrShow(services: PanelServices, column: vscode.ViewColumn = vscode.ViewColumn.Active): ProcScopePanel {
    if (ProcScopePanel.current) {
      ProcScopePanel.current.panel.reveal();
      return ProcScopePanel.current;
    }
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, l10n.t('ProcScope'), column, webviewOptions(services.extensionUri));
    ProcScopePanel.current = new ProcScopePanel(panel, services);
    return ProcScopePanel.current;
  }

  /** Called by the serializer after a window reload. */
  static revive(panel: vscode.WebviewPanel, services: PanelServices): ProcScopePanel {
    ProcScopePanel.current?.dispose();
    panel.webview.options = webviewOptions(services.extensionUri);
    ProcScopePanel.current = new ProcScopePanel(panel, services);
    return ProcScopePanel.current;
  }

  private readonly backend: PanelBackend;
  private settings: ViewSettings;
  private scope: Scope;
  private showKernelThreads: boolean;
  private watched = new Set<number>();
  private selectedKey: string | null = null;
  private readonly handshake: Handshake;
  private needFull = true;
  /** Workspace membership that came with the newest snapshot or delta (sent with a replayed snapshot). */
  private members: readonly WorkspaceMember[] = [];
  private workerDelayPending = testDelay('PROCSCOPE_TEST_DELAY_WORKER_MS') > 0;
  private polling = false;
  private pollTimer: ReturnType<typeof setTimeout> | undefined;
  /** When the newest poll and IPC loop turn began, and the newest whole snapshot went to the page (see EARLY_POLL_MIN_MS). */
  private tickStartedAt = 0;
  private ipcStartedAt = 0;
  private fullSentAt = 0;
  /** A whole snapshot asked for sooner than FULL_SNAPSHOT_MIN_MS after the last one: sent when that has passed. */
  private fullTimer: ReturnType<typeof setTimeout> | undefined;
  private ipcTimer: ReturnType<typeof setTimeout> | undefined;
  private ipcRunning = false;
  /** What of the IPC scan the page shows now (it says so on each change of tab or selection). */
  private ipcNeed: IpcNeed = 'none';
  /** When the newest IPC scan was made (0: none yet). */
  private ipcScannedAt = 0;
  /** The newest snapshot, from the worker's deltas (actions and the debug tracker read it). */
  private readonly last = new SnapshotKeeper();
  private pendingFocus: FocusMessage | undefined;
  private labCard: LabCard | null = null;
  /** Certain DAP thread names per debuggee pid (replayed to a reloaded webview). */
  private readonly debugThreadNames = new Map<number, readonly DebugThreadName[]>();
  private readyWatchdog: ReturnType<typeof setTimeout> | undefined;
  /** The bound of the worker's in-memory history of ticks (procscope.historyMemory). */
  private historyBytes: number;
  /** How far that history reaches, from the newest tick. */
  historyReach: HistoryReach | undefined;
  /** Which wait-for cycles the last look found, so each is announced once. */
  private readonly deadlocks = new DeadlockNotice();

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly services: PanelServices,
  ) {
    super();
    this.settings = readSettings();
    this.historyBytes = historyBytes();
    this.scope = this.settings.scope;
    this.showKernelThreads = this.settings.showKernelThreads;
    this.backend = services.sampler.subscribe();
    this.register({ dispose: () => this.backend.dispose() });
    this.register({ dispose: () => this.stopTimers() });
    this.register({
      dispose: () => {
        if (ProcScopePanel.current === this) ProcScopePanel.current = undefined;
      },
    });

    this.handshake = new Handshake({
      // A panel opened in place of a silent one starts with more patience (16 s after one replacement): on a
      // loaded machine a page may just be slow, and each reload or replacement starts its loading over, so
      // starting again at 4 s could replace panels that were about to answer.
      timeoutMs: Math.min(READY_TIMEOUT_MS * 4 ** ProcScopePanel.recreations, READY_MAX_TIMEOUT_MS),
      maxTimeoutMs: READY_MAX_TIMEOUT_MS,
      canRecreate: () => ProcScopePanel.recreations < READY_MAX_RECREATIONS,
    });
    this.register({ dispose: () => clearTimeout(this.readyWatchdog) });
    this.apply(this.handshake.start());
    this.register(panel.webview.onDidReceiveMessage((raw: unknown) => this.onMessage(raw)));
    this.register(panel.onDidChangeViewState(() => this.onVisibility()));
    this.register(services.tracker.onDidChange(() => this.kick()));
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('procscope')) this.onSettingsChanged(e);
      }),
    );
    // The panel owns itself: when the user closes it, everything goes.
    this.register(panel.onDidDispose(() => this.dispose()));
  }

  override dispose(): void {
    if (this.isDisposed) return;
    super.dispose();
    this.panel.dispose();
  }

  /** Select and reveal these processes (a debuggee, a lab's processes). Sent now or right after the handshake. */
  focus(pids: readonly number[], reason: string): void {
    const msg: FocusMessage = { type: 'focus', pids, reason };
    if (this.handshake.isReady) this.post(msg);
    else this.pendingFocus = msg;
    this.panel.reveal(undefined, true);
  }

  /** Drops the focus banner given for `reason` (a focus not yet delivered is dropped too). */
  clearFocus(reason: string): void {
    if (this.pendingFocus?.reason === reason) this.pendingFocus = undefined;
    if (this.handshake.isReady) this.post({ type: 'clearFocus', reason });
  }

  /** Shows DAP thread names beside these OS threads of a debuggee (an empty list clears them). */
  showDebugThreads(pid: number, threads: readonly DebugThreadName[]): void {
    if (threads.length) this.debugThreadNames.set(pid, threads);
    else this.debugThreadNames.delete(pid);
    if (this.handshake.isReady) this.post({ type: 'debugThreads', pid, threads });
  }

  showLabCard(card: LabCard | null): void {
    const had = this.labCard !== null;
    this.labCard = card;
    if (this.handshake.isReady) this.post({ type: 'labCard', card });
    // A lab card follows the IPC scan (its pipes and sockets): the first one comes now.
    if (card && !had && this.handshake.isReady) this.ipcSoon();
  }

  /** The process whose detail pane is open (the lab card's PCB item). */
  get selectedPid(): number | undefined {
    const pid = this.selectedKey === null ? NaN : Number.parseInt(this.selectedKey, 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  }

  /** A PCB detail, read in the panel's worker (the lab card's rules). */
  readDetail(pid: number): Promise<ProcessDetail> {
    return this.backend.detail(pid, false);
  }

  /** A lab's wait facts and its zombies' exit status, read in the panel's worker (the lab card's rules). */
  readLabFacts(waitPids: readonly number[] | null, exitPids: readonly number[]): ReturnType<PanelBackend['labFacts']> {
    return this.backend.labFacts(waitPids, exitPids);
  }

  get currentSnapshot(): Snapshot | undefined {
    return this.last.snapshot;
  }

  private processOf(pid: number): ProcessInfo | undefined {
    return this.last.snapshot?.processes.find((p) => p.pid === pid);
  }

  // ---- webview ----

  private html(page: number): string {
    const webview = this.panel.webview;
    const asset = (file: string) =>
      webview.asWebviewUri(vscode.Uri.joinPath(this.services.extensionUri, 'dist', 'webview', file)).toString();
    return panelHtml({
      cspSource: webview.cspSource,
      codiconCss: asset('codicon.css'),
      webviewCss: asset('webview.css'),
      webviewJs: asset('webview.js'),
      startup: {
        locale: this.settings.locale,
        platform: process.platform,
        settings: this.viewSettings(),
        page,
        ...(testDelay('PROCSCOPE_TEST_DELAY_READY_MS') ? { testDelayReadyMs: testDelay('PROCSCOPE_TEST_DELAY_READY_MS') } : {}),
      },
      lang: this.settings.locale,
      title: l10n.t('ProcScope'),
    });
  }

  private viewSettings(): ViewSettings {
    return { ...this.settings, scope: this.scope, showKernelThreads: this.showKernelThreads };
  }

  private post(message: ToWebview): void {
    if (this.isDisposed) return;
    this.panel.webview.postMessage(message).then(undefined, (error: unknown) => {
      this.services.log.warn(`postMessage(${message.type}) failed: ${String(error)}`);
    });
  }

  private onMessage(raw: unknown): void {
    // Nothing a webview sends may throw out of here: every failure becomes a log line or an error response.
    try {
      // Without /proc (the portable backend) a pid exists when the newest snapshot lists it.
      const snapshot = this.last.snapshot;
      const checked = validateMessage(
        raw,
        snapshot?.backend === 'portable' ? { pidExists: (pid) => snapshot.processes.some((p) => p.pid === pid) } : {},
      );
      if (!checked.ok) {
        this.services.log.warn(`refused a message from the webview: ${checked.error}`);
        if (checked.requestId !== undefined) {
          this.post({ type: 'response', requestId: checked.requestId, ok: false, error: checked.error });
        }
        return;
      }
      this.handle(checked.message);
    } catch (error) {
      this.services.log.error(
        `handling a webview message failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    }
  }

  private handle(message: FromWebview): void {
    switch (message.type) {
      case 'ready':
        if (message.page === undefined || message.page === this.handshake.currentPage) ProcScopePanel.recreations = 0;
        this.apply(this.handshake.ready(message.page));
        return;
      case 'request':
        // The page asks for a few things at a time (a detail, a look-up, an action); more than this many
        // unanswered is a page gone wrong, and each would queue work in the worker ahead of the ticks.
        if (this.requestsInFlight >= MAX_REQUESTS_IN_FLIGHT) {
          this.post({
            type: 'response',
            requestId: message.requestId,
            ok: false,
            error: l10n.t('Too many requests at once ({0} unanswered); this one was not run.', String(this.requestsInFlight)),
          });
          return;
        }
        this.requestsInFlight++;
        void this.answer(message.requestId, message.request).finally(() => this.requestsInFlight--);
        return;
      case 'watchThreads': {
        const before = this.watched;
        this.watched = new Set(message.pids);
        // Newly watched rows want their threads now, not a whole interval later.
        if ([...this.watched].some((pid) => !before.has(pid))) this.kick();
        return;
      }
      case 'select':
        this.selectedKey = message.key;
        return;
      case 'ipcNeed': {
        const before = this.ipcNeed;
        this.ipcNeed = message.need;
        // A view that now shows the scan gets one at once, not at the next IPC refresh.
        if (this.scanDue() && ipcNeedRank(message.need) > ipcNeedRank(before)) this.ipcSoon();
        return;
      }
      case 'setScope':
        this.scope = message.scope;
        return;
      case 'setShowKernelThreads':
        this.showKernelThreads = message.show;
        return;
      case 'resync':
        // The page leaves a past table: the newest whole one, then deltas as usual.
        if (this.handshake.isReady) this.sendSnapshot();
        return;
      case 'openRecording':
        void vscode.commands.executeCommand('procscope.openRecording', message.uri);
        return;
    }
  }

  /** Requests from the page not answered yet (see MAX_REQUESTS_IN_FLIGHT). */
  private requestsInFlight = 0;

  private async answer(requestId: number, request: Request): Promise<void> {
    try {
      const result = await this.perform(request);
      this.post({ type: 'response', requestId, ok: true, result });
    } catch (error) {
      const text =
        error instanceof ProcScopeError
          ? coreErrorText(error)
          : error instanceof actions.ActionError
            ? error.message
            : l10n.t('Unexpected error: {0}', error instanceof Error ? error.message : String(error));
      if (!(error instanceof actions.ActionError) && !(error instanceof ProcScopeError)) {
        this.services.log.error(
          `request ${request.kind} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
      }
      this.post({ type: 'response', requestId, ok: false, error: text });
    }
  }

  /** Each request kind's handler, typed by its result in RequestResults (src/protocol.ts): no union, no casts. */
  private readonly handlers: {
    readonly [K in Request['kind']]: (request: Extract<Request, { kind: K }>) => Promise<Settled<K>> | Settled<K>;
  } = {
    detail: (r) => this.readDetailOf(r.pid, r.key, r.includeEnv === true),
    signal: async (r) => {
      const out = await actions.sendSignal(r.pid, r.key, r.signal, this.actionContext());
      if (out.sent) this.kick();
      return out;
    },
    signalTree: (r) => this.signalSeveral(actions.signalMany(r.pid, r.key, r.signal, 'tree', this.actionContext())),
    signalGroup: (r) => this.signalSeveral(actions.signalMany(r.pid, r.key, r.signal, 'group', this.actionContext())),
    signalMany: (r) => this.signalSeveral(actions.signalSelected(r.targets, r.signal, this.actionContext())),
    renice: (r) => actions.renice(r.pid, r.key, r.nice, this.actionContext()),
    copy: (r) => actions.copy(r.pid, r.key, r.format, this.actionContext()),
    openTerminal: (r) => actions.openTerminal(r.pid, r.key, this.actionContext()),
    reveal: (r) => actions.reveal(r.pid, r.key, r.what, this.actionContext()),
    attachDebugger: (r) => actions.attachDebugger(r.pid, r.key, this.actionContext()),
    waits: (r) => {
      this.requireProcfs();
      return this.backend.waits(r.pid, r.key);
    },
    historyIndex: (r) => this.backend.historyIndex(r.threads ?? []),
    historyAt: async (r) => {
      const answer = await this.backend.historyAt(r.at);
      // The tick the page is shown (not the time it asked for, which comes from the page and may hold none).
      if (answer) this.services.labs?.onRewind(answer.at);
      return answer;
    },
    pageMap: (r) => {
      this.requireProcfs();
      return this.backend.pageMap(r.pid, r.key, r.start, r.end);
    },
    lookup: (r) => this.backend.lookup(r.terms),
  };

  private perform<K extends Request['kind']>(request: Extract<Request, { kind: K }>): Promise<Settled<K>> | Settled<K> {
    const handler = this.handlers[request.kind as K] as (r: Extract<Request, { kind: K }>) => Promise<Settled<K>> | Settled<K>;
    return handler(request);
  }

  private actionContext(): actions.ActionContext {
    return { processOf: (pid) => this.processOf(pid), snapshot: () => this.last.snapshot };
  }

  /** A signal to several processes: the table is read again at once when any was sent. */
  private async signalSeveral(sending: Promise<SignalManyResponse>): Promise<SignalManyResponse> {
    const out = await sending;
    if (out.sent > 0) this.kick();
    return out;
  }

  /** On the portable backend nothing beyond the table can be read: a request for more gets why. */
  private requireProcfs(): void {
    if (this.last.snapshot?.backend === 'portable')
      throw new actions.ActionError(l10n.t('This needs Linux /proc: the portable backend gives only the fields in the table (from ps).'));
  }

  /**
   * The PCB of the process with this key. The worker reads whatever holds the pid at that moment; a detail
   * whose key differs belongs to a successor and is refused rather than shown (with its environment) under
   * the process the user picked.
   */
  private async readDetailOf(pid: number, key: string, includeEnv: boolean): Promise<DetailResult> {
    this.requireProcfs();
    // The key goes with the read: the reader checks it against the pid's start time (and keeps a
    // `pid@start+N` key), so a successor's detail and environment never leave the worker for this request.
    let detail: ProcessDetail;
    try {
      detail = await this.backend.detail(pid, includeEnv, key);
    } catch (error) {
      if (error instanceof ProcScopeError && error.code === 'NO_SUCH_PROCESS' && existsSync(`/proc/${pid}`)) {
        throw new actions.ActionError(
          l10n.t('Process {0} has exited and its pid now belongs to another process; its details are not shown.', pid),
        );
      }
      throw error;
    }
    const asked = identityFromKey(key);
    const got = identityFromKey(detail.key);
    if (!asked || !got || asked.startTicks !== got.startTicks) {
      throw new actions.ActionError(
        l10n.t('Process {0} has exited and its pid now belongs to another process; its details are not shown.', pid),
      );
    }
    return { ...detail, key, nodeRuntime: isNodeRuntime(pid) };
  }

  // ---- polling ----

  private get live(): boolean {
    return this.handshake.isReady && this.panel.visible && !this.isDisposed;
  }

  private onVisibility(): void {
    if (!this.panel.visible) {
      this.apply(this.handshake.hidden());
      this.stopTimers();
    } else {
      this.apply(this.handshake.shown());
    }
  }

  /** Carries out what the handshake decided (see handshake.ts for the rules). */
  private apply(effects: readonly HandshakeEffect[]): void {
    for (const effect of effects) {
      if (this.isDisposed) return;
      switch (effect.kind) {
        case 'log':
          this.services.log[effect.level](effect.text);
          break;
        case 'load':
          this.panel.webview.html = this.html(effect.page);
          break;
        case 'arm':
          clearTimeout(this.readyWatchdog);
          this.readyWatchdog = setTimeout(() => {
            this.readyWatchdog = undefined;
            // A hidden panel (e.g. restored into a background tab) has no page yet; showing it re-arms.
            if (!this.panel.visible) return;
            this.apply(this.handshake.watchdog());
          }, effect.ms);
          break;
        case 'disarm':
          clearTimeout(this.readyWatchdog);
          this.readyWatchdog = undefined;
          break;
        case 'sendInit':
          this.post({ type: 'init', settings: this.viewSettings(), platform: process.platform });
          if (this.labCard) this.post({ type: 'labCard', card: this.labCard });
          for (const [pid, threads] of this.debugThreadNames) this.post({ type: 'debugThreads', pid, threads });
          break;
        case 'sendSnapshot':
          this.sendSnapshot();
          break;
        case 'requestSnapshot':
          this.needFull = true;
          this.kick();
          break;
        case 'recreate':
          this.recreate();
          return;
      }
    }
  }

  /** The newest full snapshot (the worker's deltas applied), then what waited for it. */
  private sendSnapshot(): void {
    const snapshot = this.last.snapshot;
    if (!snapshot || !this.live) return;
    const wait = this.fullSentAt + FULL_SNAPSHOT_MIN_MS - Date.now();
    if (wait > 0) {
      // No delta goes out meanwhile: the page waits for a whole table (see tick).
      this.needFull = true;
      this.fullTimer ??= setTimeout(() => {
        this.fullTimer = undefined;
        if (!this.isDisposed) this.sendSnapshot();
      }, wait);
      return;
    }
    clearTimeout(this.fullTimer);
    this.fullTimer = undefined;
    this.fullSentAt = Date.now();
    // The worker's next delta is relative to this very snapshot, so deltas can follow it.
    this.needFull = false;
    this.post({ type: 'snapshot', snapshot, workspace: this.members });
    if (this.pendingFocus) {
      this.post(this.pendingFocus);
      this.pendingFocus = undefined;
    }
    // The IPC scan starts once the first snapshot is out (the process list is what the user waits for).
    if (!this.ipcTimer && !this.ipcRunning) this.ipcSoon();
    if (!this.pollTimer && !this.polling) this.schedulePoll(this.settings.refreshMs);
  }

  /**
   * Replaces a panel whose page stays silent. Seen in code-server 4.100 when a panel is created beside an open
   * walkthrough: the page stays blank, its console waiting for a service-worker controller that never comes;
   * loading the HTML again did not recover it, a new panel does (test/e2e/walkthroughPanelCreate.test.ts).
   */
  private recreate(): void {
    ProcScopePanel.recreations++;
    const column = this.panel.viewColumn ?? vscode.ViewColumn.Active;
    const { services, pendingFocus, labCard } = this;
    this.dispose();
    const next = ProcScopePanel.createOrShow(services, column);
    if (labCard) next.showLabCard(labCard);
    if (pendingFocus) next.focus(pendingFocus.pids, pendingFocus.reason);
  }

  private onSettingsChanged(e: vscode.ConfigurationChangeEvent): void {
    this.settings = readSettings();
    this.historyBytes = historyBytes();
    // The panel's own scope and kernel-thread toggles win until the matching setting itself changes.
    if (e.affectsConfiguration('procscope.defaultScope')) this.scope = this.settings.scope;
    if (e.affectsConfiguration('procscope.showKernelThreads')) this.showKernelThreads = this.settings.showKernelThreads;
    if (!this.handshake.isReady) return;
    this.post({ type: 'settings', settings: this.viewSettings() });
    // New cadences take effect now, not after the old interval.
    this.kick();
    this.ipcSoon();
  }

  private stopTimers(): void {
    if (this.pollTimer) clearTimeout(this.pollTimer);
    if (this.ipcTimer) clearTimeout(this.ipcTimer);
    clearTimeout(this.fullTimer);
    this.pollTimer = undefined;
    this.ipcTimer = undefined;
    this.fullTimer = undefined;
  }

  /** Poll soon: now, or EARLY_POLL_MIN_MS after the last poll began (a running poll finishes first and then reschedules). */
  private kick(): void {
    this.schedulePoll(Math.max(0, this.tickStartedAt + EARLY_POLL_MIN_MS - Date.now()));
  }

  /** Turn the IPC loop soon: now, or EARLY_IPC_MIN_MS after its last turn began. */
  private ipcSoon(): void {
    this.scheduleIpc(Math.max(0, this.ipcStartedAt + EARLY_IPC_MIN_MS - Date.now()));
  }

  private schedulePoll(delayMs: number): void {
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
    if (!this.live || this.polling) return;
    this.pollTimer = setTimeout(() => void this.tick(), delayMs);
  }

  private async tick(): Promise<void> {
    this.pollTimer = undefined;
    if (!this.live || this.polling) return;
    this.polling = true;
    this.tickStartedAt = Date.now();
    let again = this.settings.refreshMs;
    let failed = false;
    /** Whether this tick's machine summary already went with its delta (one message per tick). */
    let machinePosted = false;
    try {
      const askedFull = this.needFull || !this.last.hasSnapshot;
      const result = await this.backend.tick({
        threads: [...this.watched, ...(this.services.labs?.threads() ?? [])],
        full: askedFull,
        scope: this.services.tracker.scopeContext(),
        historyBytes: this.historyBytes,
      });
      if (this.workerDelayPending) {
        this.workerDelayPending = false;
        const ms = testDelay('PROCSCOPE_TEST_DELAY_WORKER_MS');
        this.services.log.info(`test hook: holding the worker's first answer for ${ms} ms`);
        await new Promise((resolve) => setTimeout(resolve, ms));
      }
      if (result.kind === 'snapshot') this.last.reset(result.snapshot);
      else this.last.push(result.delta);
      if (result.members) this.members = result.members;
      if (this.isDisposed) return;
      if (result.kind === 'snapshot') {
        if (askedFull) this.needFull = false;
        this.apply(this.handshake.snapshot());
        if (!this.live) return;
      } else if (!this.live) {
        return;
      } else if (!this.needFull && !this.fullTimer) {
        // (A handshake that arrived while this tick ran wants a full snapshot next, not this delta; so does a
        // page whose whole snapshot waits for FULL_SNAPSHOT_MIN_MS.)
        const { delta, members, machine, history } = result;
        this.post({
          type: 'delta',
          delta,
          ...(members ? { workspace: members } : {}),
          ...(machine ? { machine } : {}),
          ...(history ? { history } : {}),
        });
        machinePosted = true;
      }
      if (result.history) this.historyReach = result.history;
      if (this.live && result.machine && !machinePosted)
        this.post({ type: 'machine', summary: result.machine, ...(result.history ? { history: result.history } : {}) });
      this.services.labs?.onTick(this, result.members);
    } catch (error) {
      // The panel closed while the tick was in flight: the worker was stopped on purpose, nothing failed.
      if (this.isDisposed || error instanceof SamplerStoppedError) return;
      const text = error instanceof Error ? error.message : String(error);
      this.services.log.error(`poll failed: ${error instanceof Error ? (error.stack ?? text) : text}`);
      const shown =
        error instanceof WorkerLostError
          ? 'stuckSeconds' in error.how
            ? l10n.t("ProcScope's sampler worker did not answer for {0} s; it was replaced", error.how.stuckSeconds)
            : l10n.t("ProcScope's sampler worker exited unexpectedly (code {0})", error.how.exitCode)
          : text;
      this.post({ type: 'error', message: l10n.t('Reading the process table failed: {0}', shown) });
      again = Math.max(again, 5000); // a failing source is not retried at full speed
      // The next good poll sends a full snapshot, which replaces the error banner in the page.
      this.needFull = true;
      failed = true;
    } finally {
      this.polling = false;
      this.schedulePoll(this.needFull && !failed && !this.fullTimer ? 0 : again);
    }
  }

  /**
   * What the threads in scope wait for (the tree's "Waiting for" column, the IPC view's Waits layer) and the
   * deadlocks among them, each new one announced once.
   */
  private async lookAtWaits(): Promise<void> {
    let overview: WaitsOverview;
    try {
      overview = await this.backend.waitsOverview(waitLookPids(this.scope, this.last.snapshot, this.members, this.watched));
    } catch (error) {
      if (this.isDisposed || error instanceof SamplerStoppedError) return;
      // A failed look changes nothing: it neither forgets a cycle (which would announce it again) nor adds one.
      this.services.log.error(`waits look failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return;
    }
    if (this.live) this.post({ type: 'waitsOverview', overview });
    const fresh = this.deadlocks.update(overview.cycles);
    if (fresh.length > 0 && !this.isDisposed) void this.announceDeadlock(fresh);
  }

  /** One notification for the cycles that just appeared; "Show" selects a thread's process of the first. */
  private async announceDeadlock(fresh: readonly WaitCycle[]): Promise<void> {
    const first = fresh[0]!;
    const path = cyclePath(first);
    const text =
      fresh.length === 1
        ? l10n.t('Deadlock: {0}. Each of these threads waits for the next; none can go on.', path)
        : l10n.t('Deadlock: {0}, and {1} more cycles. Each of these threads waits for the next; none can go on.', path, fresh.length - 1);
    const show = l10n.t('Show');
    const choice = await showWarning(text, show);
    if (choice !== show || this.isDisposed) return;
    // Only members still the same processes (pid and start time) are selected: a pid reused since is not.
    const live = first.members
      .filter((m) => this.last.snapshot?.processes.some((p) => p.pid === m.pid && p.key === m.key))
      .map((m) => m.pid);
    this.focus(live.length > 0 ? live : first.members.map((m) => m.pid), l10n.t('Deadlock: {0}', path));
  }

  /**
   * Whether the IPC loop's next turn scans: every turn while the IPC tab or a lab card shows it, at most
   * every DETAILS_IPC_MS while only a process's details use it, never while nothing does.
   */
  private scanDue(): boolean {
    const need: IpcNeed = this.labCard ? 'live' : this.ipcNeed;
    if (need === 'live') return true;
    return need === 'details' && Date.now() - this.ipcScannedAt >= DETAILS_IPC_MS;
  }

  private scheduleIpc(delayMs: number): void {
    if (this.ipcTimer) clearTimeout(this.ipcTimer);
    this.ipcTimer = undefined;
    if (!this.live || this.ipcRunning) return;
    this.ipcTimer = setTimeout(() => void this.ipcTick(), delayMs);
  }

  private async ipcTick(): Promise<void> {
    this.ipcTimer = undefined;
    if (!this.live || this.ipcRunning) return;
    this.ipcRunning = true;
    this.ipcStartedAt = Date.now();
    let again = this.settings.ipcRefreshMs;
    try {
      // The portable backend has no /proc to scan (the page says so in the IPC view): the loop stays idle.
      if (this.last.snapshot?.backend === 'portable') return;
      if (this.scanDue()) {
        const map = await this.backend.scanIpc();
        this.ipcScannedAt = Date.now();
        if (this.live) this.post({ type: 'ipc', map });
        this.services.labs?.onIpc(map);
      }
      // At the IPC cadence, and only while the panel shows: not every tick. The look reuses a recent scan and
      // scans only when one of the threads it follows waits on a descriptor and no recent scan exists.
      if (this.live) await this.lookAtWaits();
    } catch (error) {
      if (this.isDisposed || error instanceof SamplerStoppedError) return;
      this.services.log.error(`IPC scan failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      again = Math.max(again, 10_000);
    } finally {
      this.ipcRunning = false;
      this.scheduleIpc(again);
    }
  }
}

/** How old a scan may be while only the details pane uses it (its open files name sockets' peers from it). */
const DETAILS_IPC_MS = 10_000;

function ipcNeedRank(need: IpcNeed): number {
  return need === 'live' ? 2 : need === 'details' ? 1 : 0;
}

/**
 * Where the waits look starts (it follows every wait from there): the workspace's processes, and on "All
 * processes" also the ones the user expanded or selected. Never every process: reading every thread of the
 * machine at each IPC refresh costs more than the whole tick (see docs/PERFORMANCE.md, "Why-blocked cost").
 */
function waitLookPids(
  scope: Scope,
  snapshot: Snapshot | undefined,
  members: readonly WorkspaceMember[],
  watched: ReadonlySet<number>,
): number[] {
  const own = snapshot
    ? [
        ...descendantPids(
          snapshot.processes,
          members.map((m) => m.pid),
        ),
      ]
    : [];
  return scope === 'all' ? [...new Set([...own, ...watched])] : own;
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden: false,
    enableFindWidget: true,
    // Only what the page loads: its bundle, styles and the codicon font, all built into dist/webview.
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
  };
}

/**
 * A core error for the page. The core's own words are English and name the case exactly (the file, the
 * errno): other languages get the case in theirs, with those words after it.
 */
export function coreErrorText(error: ProcScopeError): string {
  if (uiLocale() === 'en') return error.message;
  switch (error.code) {
    case 'NO_SUCH_PROCESS':
      return l10n.t('The process does not exist or has exited ({0})', error.message);
    case 'PERMISSION_DENIED':
      return l10n.t('Permission denied ({0})', error.message);
    case 'NO_PROCFS':
      return l10n.t('This needs Linux /proc ({0})', error.message);
    case 'BAD_REQUEST':
      return l10n.t('The request was malformed ({0})', error.message);
  }
}
