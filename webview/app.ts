// The panel: toolbar, state legend, process tree-table, and the detail / history / IPC tabs; talks to the
// extension host through the typed protocol.
import type { FromWebview, Request, RequestResults, Scope, ToWebview, ViewSettings, LabCard, DebugThreadName, AllowedSignal, MaxSignalTargets, SignalTarget } from '../src/protocol';
import { buildProcessTree, descendantPids } from '../src/shared/processTree';
import type { ProcessDetail, EnvEntry } from '../src/core/detail';
import type { IpcMap } from '../src/core/ipc/model';
import type { ProcessKey } from '../src/core/model';
import { ActionMenu, openReniceDialog, type ActionId } from './actions';
import { DetailPane } from './detailPane';
import { el, osEl, custom, icon, setText, visible } from './dom';
import { Hierarchy, stateClass, COLUMNS, DEFAULT_COLUMNS, FIXED_COLUMNS, type ColumnWidths } from './hierarchy';
import { renderHistory } from './history';
import { getLocale, setLocale, t, type MessageKey } from './i18n';
import { IpcView, type IpcScope } from './ipcView';
import { WaitsStore } from './waitsOverview';
import { buildRows, buildFlatRows, type Row, type SortColumn, type SortSpec } from './rows';
import { ProcessStore, sameHidden } from './store';
import { vscodeApi, type VsCodeApi } from './vscodeApi';
import { WaitsSection } from './waitsSection';

/** UI state kept by VS Code across hide/show and reloads (getState/setState). */
export interface PersistedState {
  readonly selectedId: string | null;
  readonly selectedKey: ProcessKey | null;
  readonly collapsed: readonly ProcessKey[];
  readonly threadsOpen: readonly ProcessKey[];
  readonly filter: string;
  readonly states: readonly string[];
  readonly sort: SortSpec;
  readonly scope: Scope;
  readonly detailWidth: number;
  readonly tab: number;
  readonly ipcScope: IpcScope;
  readonly closedSections: readonly string[];
  /** The flat list (sorted across the machine) instead of the tree. */
  readonly flat?: boolean;
  /** Column widths the user dragged (absent: the default widths). */
  readonly columnWidths?: ColumnWidths;
  /** The columns the user chose to see (absent: the default columns). */
  readonly columns?: readonly string[];
}

const LEGEND_STATES = ['R', 'S', 'D', 'T', 't', 'Z', 'I'] as const;
/** The rows of the keyboard help, in order (each has help.key.<id> and help.<id> messages). */
const HELP_KEYS = ['flat', 'move', 'ends', 'page', 'expand', 'activate', 'multi', 'filter', 'escape', 'copy', 'delete', 'menu', 'zoom', 'help'] as const;
const DETAIL_REFRESH_MS = 3000;
/** `ready` is posted again after 0.5 s, 1 s, 2 s, ... up to every 8 s, until the first snapshot arrives. */
const READY_RETRY_FIRST_MS = 500;
const READY_RETRY_MAX_MS = 8000;

type Pending = { resolve: (r: { ok: true; result: unknown } | { ok: false; error: string }) => void };

export class App {
  private readonly api: VsCodeApi<PersistedState>;
  private readonly store = new ProcessStore();
  private settings: ViewSettings = { refreshMs: 1000, ipcRefreshMs: 5000, showThreads: true, showKernelThreads: false, scope: 'all', locale: 'en' };
  private platform = 'linux';
  private collapsed = new Set<ProcessKey>();
  private threadsOpen = new Set<ProcessKey>();
  private filter = '';
  private states = new Set<string>();
  private sort: SortSpec = { column: 'pid', descending: false };
  private scope: Scope = 'all';
  private selectedKey: ProcessKey | null = null;
  private detailWidth = 420;
  private tab = 0;
  private ipcScope: IpcScope = 'selection';
  private readonly closedSections = new Set<string>();
  private columnWidths: ColumnWidths = {};
  /** The newest IPC scan (the IPC view draws it; open files take sockets' endpoints from it). */
  private ipcMap: IpcMap | null = null;
  private columns: readonly string[] = DEFAULT_COLUMNS;
  private errorMessage: string | null = null;
  private labCard: LabCard | null = null;
  private focusNote: string | null = null;

  private detail: ProcessDetail | null = null;
  private detailError: string | null = null;
  private detailLoading = false;
  private detailInFlight = false;
  private detailTimer: ReturnType<typeof setTimeout> | undefined;
  private env: { key: string; entries: readonly EnvEntry[] | null; error: string | null } | null = null;
  private lastDetailProc: unknown = null;
  private requestId = 0;
  /** The page generation from the start-up data, echoed in `ready`. */
  private page: number | undefined;
  /** Test hook (PROCSCOPE_TEST_DELAY_READY_MS on the host): the first `ready` waits this long. */
  private delayReadyMs = 0;
  private hasSnapshot = false;
  private readyTimer: ReturnType<typeof setTimeout> | undefined;
  /** Keys of processes the host said run Node.js (from detail replies): the only ones offered "Attach debugger". */
  private readonly nodeRuntimeKeys = new Set<ProcessKey>();
  private readonly pending = new Map<number, Pending>();
  private watched = '';
  private markTimer: ReturnType<typeof setTimeout> | undefined;
  private rows: readonly Row[] = [];
  /** Debuggee pid → OS tid → the debugger's name for that thread (only pairings the host marked certain). */
  private readonly debugThreads = new Map<number, Map<number, DebugThreadName>>();
  /** Process key → index in `rows`, built on the first patch after the rows were rebuilt. */
  private rowIndexByKey: Map<ProcessKey, number> | null = null;

  // DOM
  private readonly root: HTMLElement;
  private hierarchy!: Hierarchy;
  private detailPane!: DetailPane;
  private readonly waitsSection = new WaitsSection({
    ask: (pid, key) => this.ask({ kind: 'waits', pid, key }),
    selectPid: (pid) => this.selectPid(pid),
    intervalMs: () => this.settings.ipcRefreshMs,
  });
  private ipcView!: IpcView;
  /** What the threads in scope wait for: the tree's "Waiting for" column and the IPC view's Waits layer. */
  private readonly waits = new WaitsStore();
  private menu!: ActionMenu;
  private filterField!: HTMLElement & { value: string };
  private kernelBox!: HTMLElement & { checked: boolean };
  private countLabel!: HTMLElement;
  private legend!: HTMLElement;
  private banner!: HTMLElement;
  private emptyBox!: HTMLElement;
  private statusBar!: HTMLElement;
  private tabs!: HTMLElement & { selectedIndex: number };
  private historyBox!: HTMLElement;
  private right!: HTMLElement;
  private scopeButtons!: HTMLElement;
  private pauseButton!: HTMLButtonElement;
  private flatButton!: HTMLButtonElement;
  private flat = false;
  /** When the view was paused (the data time then), or null while it follows the data. */
  private pausedAt: number | null = null;

  constructor(root: HTMLElement) {
    this.root = root;
    this.api = vscodeApi<PersistedState>();
    let boot: { locale?: string; language?: string; platform?: string; page?: number; testDelayReadyMs?: number } = {};
    try {
      boot = JSON.parse(document.body.dataset.procscope ?? '{}') as typeof boot;
    } catch {
      boot = {};
    }
    // `language` is the procscope.language setting when it names one ('auto' or absent: VS Code's locale);
    // later settings messages carry the host's resolved choice.
    const locale = boot.language === 'en' || boot.language === 'ko' ? boot.language : boot.locale;
    setLocale(locale);
    if (locale === 'ko' || locale === 'en') this.settings = { ...this.settings, locale };
    if (typeof boot.platform === 'string') this.platform = boot.platform;
    if (typeof boot.page === 'number') this.page = boot.page;
    if (typeof boot.testDelayReadyMs === 'number' && boot.testDelayReadyMs > 0) this.delayReadyMs = boot.testDelayReadyMs;
    const saved = this.api.getState();
    if (saved) this.restore(saved);
  }

  start(): void {
    this.build();
    window.addEventListener('message', (e: MessageEvent) => this.onMessage(e.data as ToWebview));
    document.addEventListener('keydown', (e) => this.onGlobalKey(e));
    this.refresh();
    this.announceReady();
  }

  /**
   * Posts `ready` until the first snapshot arrives, with backoff: a `ready` can be lost (posted while the host
   * was replacing the page, or before its listener was attached) and the host answers each one in full.
   */
  private announceReady(): void {
    let wait = READY_RETRY_FIRST_MS;
    const send = (): void => {
      if (this.hasSnapshot) return;
      this.post(this.page === undefined ? { type: 'ready' } : { type: 'ready', page: this.page });
      this.readyTimer = setTimeout(send, wait);
      wait = Math.min(wait * 2, READY_RETRY_MAX_MS);
    };
    if (this.delayReadyMs > 0) this.readyTimer = setTimeout(send, this.delayReadyMs);
    else send();
  }

  // ---------- messages ----------

  private post(message: FromWebview): void {
    this.api.postMessage(message);
  }

  private onMessage(m: ToWebview): void {
    if (!m || typeof m !== 'object' || typeof (m as { type?: unknown }).type !== 'string') return;
    switch (m.type) {
      case 'init':
        this.platform = m.platform;
        this.applySettings(m.settings, true);
        break;
      case 'settings':
        this.applySettings(m.settings, false);
        break;
      case 'snapshot':
        this.hasSnapshot = true;
        clearTimeout(this.readyTimer);
        this.errorMessage = null;
        this.store.setSnapshot(m.snapshot, m.workspace);
        this.afterData(m.snapshot.timestamp);
        break;
      case 'delta':
        // A poll that succeeded answers the error of the last one (whichever way the rows get redrawn).
        if (this.errorMessage !== null) {
          this.errorMessage = null;
          this.renderBanner();
        }
        {
          const hiddenBefore = this.store.hidden;
          this.store.applyDelta(m.delta, m.workspace);
          // A delta that only patches rows redraws no banner: the note of what is hidden must still follow it.
          if (!sameHidden(hiddenBefore, this.store.hidden)) this.renderBanner();
        }
        this.afterData(m.delta.timestamp, this.canPatchRows(m.delta, m.workspace !== undefined) ? m.delta.changed.map((c) => c.key) : null);
        break;
      case 'ipc':
        this.ipcMap = m.map as IpcMap;
        this.ipcView.setMap(this.ipcMap);
        // Open files name sockets' endpoints from this scan.
        if (this.tab === 0 && this.detail) this.renderDetail();
        break;
      case 'focus':
        this.focusPids(m.pids, m.reason);
        break;
      case 'clearFocus':
        if (this.focusNote === m.reason) {
          this.focusNote = null;
          this.renderBanner();
        }
        break;
      case 'debugThreads':
        this.setDebugThreads(m.pid, m.threads);
        break;
      case 'waitsOverview':
        this.waits.set(m.overview);
        this.hierarchy.redraw();
        this.ipcView.setWaits(this.waits);
        break;
      case 'labCard':
        this.labCard = m.card;
        this.renderBanner();
        break;
      case 'error':
        this.errorMessage = m.message;
        this.renderBanner();
        this.renderEmpty();
        break;
      case 'response': {
        const p = this.pending.get(m.requestId);
        if (!p) return;
        this.pending.delete(m.requestId);
        p.resolve(m.ok ? { ok: true, result: m.result } : { ok: false, error: m.error });
        break;
      }
    }
  }

  private applySettings(s: ViewSettings, initial: boolean): void {
    const localeChanged = s.locale !== this.settings.locale;
    this.settings = s;
    setLocale(s.locale);
    // The saved UI scope wins over the default scope setting after a reload.
    if (initial && !this.api.getState()) this.scope = s.scope;
    if (localeChanged) this.build();
    this.kernelBox.checked = s.showKernelThreads;
    this.renderScope();
    this.refresh();
  }

  /** Sends a request; resolves with the result, or null after showing the error. */
  private async request<R extends Request>(req: R): Promise<RequestResults[R['kind']] | null> {
    const requestId = ++this.requestId;
    const reply = await new Promise<{ ok: true; result: unknown } | { ok: false; error: string }>((resolve) => {
      this.pending.set(requestId, { resolve });
      this.post({ type: 'request', requestId, request: req });
    });
    if (!reply.ok) {
      this.showStatus(t('status.requestFailed', req.kind, reply.error), true);
      return null;
    }
    return reply.result as RequestResults[R['kind']];
  }

  /** `patchKeys`: the delta moved no row (see canPatchRows); only the rows of these processes changed. */
  private afterData(timestamp: number, patchKeys: readonly ProcessKey[] | null = null): void {
    const watchedKeys = this.watchedKeys();
    this.store.recordHistory(watchedKeys, timestamp);
    // Paused: the data is kept (so nothing is lost or out of order), the view is not redrawn.
    if (this.pausedAt !== null) return;
    if (patchKeys) this.patchRows(patchKeys);
    else this.refresh();
    this.scheduleMarks();
  }

  /** The toolbar's counts; the label may be cut in a narrow panel, so its tooltip holds the whole text. */
  private setCount(text: string): void {
    setText(this.countLabel, text);
    if (this.countLabel.title !== text) this.countLabel.title = text;
  }

  /** Pauses or resumes redrawing with new data (the host keeps polling; the store keeps every update). */
  private setPaused(paused: boolean): void {
    if (paused === (this.pausedAt !== null)) return;
    this.pausedAt = paused ? this.store.timestamp || Date.now() : null;
    this.renderPause();
    if (!paused) {
      this.refresh();
      this.scheduleMarks();
    } else {
      this.renderBanner();
    }
  }

  /** Tree or flat list (htop's `t`); the selected row keeps its place on screen across the switch. */
  private setFlat(flat: boolean): void {
    if (flat === this.flat) return;
    this.flat = flat;
    this.renderFlat();
    this.refresh();
    this.hierarchy.revealSelected();
    this.persist();
  }

  private renderFlat(): void {
    this.flatButton.replaceChildren(icon(this.flat ? 'list-flat' : 'list-tree'), el('span', 'button-label', this.flat ? t('toolbar.flat') : t('toolbar.tree')));
    this.flatButton.setAttribute('aria-label', this.flat ? t('toolbar.flat') : t('toolbar.tree'));
    this.flatButton.classList.toggle('active', this.flat);
    this.flatButton.setAttribute('aria-pressed', this.flat ? 'true' : 'false');
    this.flatButton.title = t('toolbar.flatHint');
  }

  private renderPause(): void {
    const paused = this.pausedAt !== null;
    this.pauseButton.replaceChildren(icon(paused ? 'debug-continue' : 'debug-pause'), el('span', 'button-label', paused ? t('toolbar.resume') : t('toolbar.pause')));
    this.pauseButton.setAttribute('aria-label', paused ? t('toolbar.resume') : t('toolbar.pause'));
    this.pauseButton.classList.toggle('active', paused);
    this.pauseButton.setAttribute('aria-pressed', paused ? 'true' : 'false');
    this.pauseButton.title = paused ? t('toolbar.resumeHint') : t('toolbar.pauseHint');
    this.root.classList.toggle('paused', paused);
  }

  /**
   * True when a delta cannot change which rows are shown or their order: nothing added or removed, no
   * filter, and only fields that neither the tree, the sort column nor the thread rows depend on. Then the
   * rows are patched in place instead of rebuilt (a 2000-change delta at 10,000 rows, every second).
   */
  private canPatchRows(delta: import('../src/core/model').Delta, workspaceChanged: boolean): boolean {
    if (workspaceChanged || delta.added.length || delta.removed.length || this.filter || this.states.size) return false;
    const sortFields: Partial<Record<SortColumn, readonly string[]>> = {
      cpu: ['cpuPercent'], rss: ['rss'], mem: ['rss'], threads: ['numThreads'], state: ['state'], time: ['utimeMs', 'stimeMs'],
      virt: ['vsize'], nice: ['nice'], pri: ['priority'], start: ['startTime'],
    };
    const blocked = new Set(['ppid', 'threads', 'kernelThread', 'name', 'user', 'cmdline', 'startTicks', 'pid']);
    for (const field of sortFields[this.sort.column] ?? []) blocked.add(field);
    for (const change of delta.changed) for (const field in change) if (blocked.has(field)) return false;
    return true;
  }

  private setDebugThreads(pid: unknown, threads: unknown): void {
    // Host → webview only, but checked anyway: a malformed message changes nothing.
    if (typeof pid !== 'number' || !Array.isArray(threads)) return;
    const byTid = new Map<number, DebugThreadName>();
    for (const th of threads as unknown[]) {
      const d = th as Partial<DebugThreadName> | null;
      if (!d || typeof d.tid !== 'number' || typeof d.dapName !== 'string' || typeof d.session !== 'string') continue;
      if (d.reason !== 'single-thread' && d.reason !== 'name-match') continue;
      byTid.set(d.tid, { tid: d.tid, dapName: d.dapName, session: d.session, reason: d.reason });
    }
    if (byTid.size) this.debugThreads.set(pid, byTid);
    else this.debugThreads.delete(pid);
    this.hierarchy?.redraw();
  }

  private patchRows(keys: readonly ProcessKey[]): void {
    if (!this.hierarchy) return;
    // Touch only the changed processes' rows (found through an index built once per row list), not all
    // 10,000: the copy of the array is cheap, a new object per row and a store lookup per row were not.
    if (!this.rowIndexByKey) {
      this.rowIndexByKey = new Map();
      this.rows.forEach((r, i) => { if (r.kind === 'process') this.rowIndexByKey!.set(r.key, i); });
    }
    const rows = this.rows.slice();
    for (const key of keys) {
      const i = this.rowIndexByKey.get(key);
      if (i === undefined) continue;
      const r = rows[i]!;
      const latest = this.store.get(key);
      if (latest && latest !== r.proc) rows[i] = { ...r, proc: latest } as Row;
    }
    this.rows = rows;
    this.hierarchy.patchRows(this.rows);
    this.setCount(`${t('toolbar.count', this.store.size, this.store.threadCount())} · ${t('toolbar.shown', this.rows.length)}`);
    this.updateWatch();
    this.renderSide(false);
  }

  // ---------- state ----------

  private restore(s: PersistedState): void {
    this.selectedKey = s.selectedKey ?? null;
    this.collapsed = new Set(s.collapsed ?? []);
    this.threadsOpen = new Set(s.threadsOpen ?? []);
    this.filter = s.filter ?? '';
    this.states = new Set(s.states ?? []);
    // A saved sort column this version does not know falls back to the default.
    if (s.sort && COLUMNS.some((c) => c.column === s.sort.column)) this.sort = s.sort;
    if (Array.isArray(s.columns)) this.columns = s.columns.filter((c): c is string => typeof c === 'string');
    if (s.scope) this.scope = s.scope;
    if (typeof s.detailWidth === 'number') this.detailWidth = s.detailWidth;
    if (typeof s.tab === 'number') this.tab = s.tab;
    if (s.ipcScope) this.ipcScope = s.ipcScope;
    for (const id of s.closedSections ?? []) this.closedSections.add(id);
    if (s.columnWidths && typeof s.columnWidths === 'object') this.columnWidths = s.columnWidths;
    this.flat = s.flat === true;
    this.restoredSelectedId = s.selectedId ?? null;
  }

  private restoredSelectedId: string | null = null;

  private persist(): void {
    this.api.setState({
      selectedId: this.hierarchy?.selectedId ?? null,
      selectedKey: this.selectedKey,
      collapsed: [...this.collapsed],
      threadsOpen: [...this.threadsOpen],
      filter: this.filter,
      states: [...this.states],
      sort: this.sort,
      scope: this.scope,
      detailWidth: this.detailWidth,
      tab: this.tab,
      ipcScope: this.ipcScope,
      closedSections: [...this.closedSections],
      columnWidths: this.columnWidths,
      columns: this.columns,
      flat: this.flat,
    });
  }

  private watchedKeys(): ProcessKey[] {
    const keys = [...this.threadsOpen].filter((k) => this.store.byKey.has(k));
    if (this.selectedKey && this.store.byKey.has(this.selectedKey) && !keys.includes(this.selectedKey)) keys.push(this.selectedKey);
    return keys;
  }

  private updateWatch(): void {
    const pids = [...new Set(this.watchedKeys().map((k) => this.store.byKey.get(k)!.pid))].sort((a, b) => a - b);
    const sig = pids.join(',');
    if (sig === this.watched) return;
    this.watched = sig;
    this.post({ type: 'watchThreads', pids });
  }

  // ---------- building the DOM ----------

  private build(): void {
    this.root.replaceChildren();
    this.root.className = 'procscope';

    const toolbar = el('div', 'toolbar');
    toolbar.setAttribute('role', 'toolbar');
    toolbar.setAttribute('aria-label', t('app.title'));
    this.scopeButtons = el('div', 'segmented');
    this.scopeButtons.setAttribute('role', 'radiogroup');
    this.scopeButtons.setAttribute('aria-label', t('toolbar.scope'));
    toolbar.append(this.scopeButtons);

    this.filterField = custom('vscode-textfield', 'filter') as HTMLElement & { value: string };
    this.filterField.setAttribute('placeholder', t('toolbar.filter'));
    this.filterField.setAttribute('aria-label', t('toolbar.filterLabel'));
    this.filterField.id = 'filter';
    this.filterField.value = this.filter;
    const searchIcon = icon('search');
    searchIcon.setAttribute('slot', 'content-before');
    this.filterField.append(searchIcon);
    this.filterField.addEventListener('input', () => {
      this.filter = this.filterField.value;
      this.refresh();
      this.hierarchy.revealSelected();
      this.persist();
    });
    this.filterField.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        this.setFilter('');
        // Move focus only after the text field re-rendered: its blur 'change' would otherwise read the old text back.
        void (this.filterField as unknown as { updateComplete: Promise<unknown> }).updateComplete.then(() => this.hierarchy.focus());
      } else if (e.key === 'ArrowDown' || e.key === 'Enter') {
        e.preventDefault();
        this.hierarchy.focus();
        if (!this.hierarchy.selectedRow() && this.rows[0]) this.selectRow(this.rows[0]);
      }
    });
    toolbar.append(this.filterField);

    this.kernelBox = custom('vscode-checkbox', 'kernel-toggle') as HTMLElement & { checked: boolean };
    this.kernelBox.setAttribute('label', t('toolbar.kernelThreads'));
    this.kernelBox.checked = this.settings.showKernelThreads;
    this.kernelBox.addEventListener('change', () => {
      this.settings = { ...this.settings, showKernelThreads: this.kernelBox.checked };
      this.post({ type: 'setShowKernelThreads', show: this.kernelBox.checked });
      this.refresh();
    });
    toolbar.append(this.kernelBox);
    this.countLabel = el('span', 'count');
    this.countLabel.setAttribute('aria-live', 'off');
    this.pauseButton = el('button', 'chip-button pause-button');
    this.pauseButton.type = 'button';
    this.pauseButton.dataset.action = 'pause';
    this.pauseButton.addEventListener('click', () => this.setPaused(this.pausedAt === null));
    this.flatButton = el('button', 'chip-button flat-button');
    this.flatButton.type = 'button';
    this.flatButton.dataset.action = 'flat';
    this.flatButton.addEventListener('click', () => this.setFlat(!this.flat));
    const columnsButton = el('button', 'chip-button columns-button');
    columnsButton.type = 'button';
    columnsButton.dataset.action = 'columns';
    columnsButton.title = t('columns.hint');
    columnsButton.setAttribute('aria-haspopup', 'dialog');
    columnsButton.setAttribute('aria-label', t('columns.button'));
    columnsButton.append(icon('list-selection'), el('span', 'button-label', t('columns.button')));
    columnsButton.addEventListener('click', () => {
      const r = columnsButton.getBoundingClientRect();
      this.openColumnsMenu(r.left, r.bottom + 2);
    });
    toolbar.append(this.flatButton, this.pauseButton, columnsButton);
    const help = el('button', 'chip-button icon-button');
    help.type = 'button';
    help.dataset.action = 'help';
    help.title = t('help.open');
    help.setAttribute('aria-label', t('help.open'));
    help.append(icon('keyboard'));
    help.addEventListener('click', () => this.toggleHelp());
    toolbar.append(help);
    toolbar.append(this.countLabel);

    this.legend = el('div', 'legend');
    this.legend.setAttribute('role', 'group');
    this.legend.setAttribute('aria-label', t('legend.title'));
    this.banner = el('div', 'banner');

    const main = el('div', 'main');
    const left = el('div', 'left');
    this.hierarchy = new Hierarchy({
      select: (row) => this.selectRow(row),
      toggleChildren: (row, expand) => {
        if (expand) this.collapsed.delete(row.key);
        else this.collapsed.add(row.key);
        this.refresh();
        this.persist();
      },
      toggleThreads: (row, open) => this.setThreadsOpen(row.key, open),
      contextMenu: (row, x, y) => this.openMenu(row, x, y),
      activate: (row) => {
        if (row.kind === 'process' && row.hasChildren) {
          if (row.expanded) this.collapsed.add(row.key);
          else this.collapsed.delete(row.key);
          this.refresh();
          this.persist();
        } else if (row.kind === 'process' && row.proc.numThreads > 1) {
          this.setThreadsOpen(row.key, !row.threadsOpen);
        }
      },
      sort: (column) => this.setSort(column),
      mark: (key) => (this.store.isExited(key) ? 'exited' : this.store.added.has(key) ? 'new' : null),
      deleteKey: (row) => void this.runAction(row, { kind: this.hierarchy.selectionSize > 1 ? 'signalSelected' : 'signal', signal: 'SIGTERM' }),
      debugThreadName: (pid, tid) => this.debugThreads.get(pid)?.get(tid),
      waitOfProcess: (key) => this.waits.forProcess(key),
      waitOfThread: (key, tid) => this.waits.forThread(key, tid),
      columnsResized: (widths) => {
        this.columnWidths = widths;
        this.persist();
      },
      headerMenu: (x, y) => this.openColumnsMenu(x, y),
      memTotal: () => this.store.system?.memTotal ?? null,
      now: () => this.store.timestamp || Date.now(),
    });
    this.hierarchy.setColumnWidths(this.columnWidths);
    this.hierarchy.setVisibleColumns(this.columns);
    this.hierarchy.renderHeader(this.sort);
    this.emptyBox = el('div', 'empty-overlay');
    left.append(this.hierarchy.element, this.emptyBox);

    const splitter = el('div', 'splitter');
    splitter.setAttribute('role', 'separator');
    splitter.setAttribute('aria-orientation', 'vertical');
    splitter.tabIndex = 0;
    this.right = el('div', 'right');
    this.applyDetailWidth();
    this.installSplitter(splitter);

    this.tabs = custom('vscode-tabs', 'tabs') as HTMLElement & { selectedIndex: number };
    const headers: MessageKey[] = ['tab.details', 'tab.history', 'tab.ipc'];
    for (const h of headers) {
      const header = custom('vscode-tab-header', '', t(h));
      header.setAttribute('slot', 'header');
      header.dataset.tab = h;
      this.tabs.append(header);
    }
    this.detailPane = new DetailPane({
      requestEnv: () => void this.requestEnv(),
      sectionToggled: (id, open) => {
        if (open) this.closedSections.delete(id);
        else this.closedSections.add(id);
        this.persist();
      },
    }, this.closedSections);
    this.historyBox = el('div', 'history-pane');
    this.ipcView = new IpcView({
      selectPid: (pid) => this.selectPid(pid),
      processName: (pid) => this.store.byPid.get(pid)?.name ?? '?',
      scopeChanged: (s) => {
        this.ipcScope = s;
        this.persist();
      },
      maximizeChanged: () => this.renderSide(true),
    }, this.ipcScope);
    for (const content of [this.detailPane.element, this.historyBox, this.ipcView.element]) {
      const panel = custom('vscode-tab-panel');
      panel.append(content);
      this.tabs.append(panel);
    }
    this.tabs.selectedIndex = this.tab;
    this.tabs.addEventListener('vsc-tabs-select', (e) => {
      this.tab = (e as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex;
      this.persist();
      this.renderSide(true);
    });
    this.right.append(this.tabs);
    main.append(left, splitter, this.right);

    this.statusBar = el('div', 'statusbar');
    this.statusBar.setAttribute('role', 'status');
    this.statusBar.setAttribute('aria-live', 'polite');

    this.menu = new ActionMenu();
    this.root.append(toolbar, this.legend, this.banner, main, this.statusBar, this.menu.element);
    this.renderScope();
    this.renderPause();
    this.renderFlat();
    this.renderLegend();
    this.renderBanner();
    if (this.rows.length) this.refresh();
  }

  private renderScope(): void {
    this.scopeButtons.replaceChildren();
    for (const s of ['workspace', 'all'] as Scope[]) {
      const b = el('button', `chip-button${this.scope === s ? ' active' : ''}`);
      b.type = 'button';
      b.dataset.scope = s;
      b.setAttribute('role', 'radio');
      b.setAttribute('aria-checked', this.scope === s ? 'true' : 'false');
      b.append(icon(s === 'workspace' ? 'root-folder' : 'server-process'), el('span', '', t(s === 'workspace' ? 'toolbar.scope.workspace' : 'toolbar.scope.all')));
      b.addEventListener('click', () => this.setScope(s));
      this.scopeButtons.append(b);
    }
  }

  private renderLegend(): void {
    this.legend.replaceChildren(el('span', 'legend-title', t('legend.title')));
    for (const s of LEGEND_STATES) {
      const b = el('button', `legend-chip${this.states.has(s) ? ' active' : ''}`);
      b.type = 'button';
      b.dataset.state = s;
      b.setAttribute('aria-pressed', this.states.has(s) ? 'true' : 'false');
      b.title = `${s}: ${t(`state.${s}` as MessageKey)}`;
      b.append(el('span', `state-badge st-${stateClass(s)}`, s), el('span', 'legend-text', t(`stateShort.${s}` as MessageKey)));
      b.addEventListener('click', () => {
        if (this.states.has(s)) this.states.delete(s);
        else this.states.add(s);
        this.renderLegend();
        this.refresh();
        this.persist();
      });
      this.legend.append(b);
    }
    if (this.states.size > 0) {
      const clear = el('button', 'link-button', t('legend.clear'));
      clear.type = 'button';
      clear.dataset.action = 'clear-states';
      clear.addEventListener('click', () => {
        this.states.clear();
        this.renderLegend();
        this.refresh();
        this.persist();
      });
      this.legend.append(clear);
    }
  }

  private renderBanner(): void {
    this.banner.replaceChildren();
    if (this.errorMessage && this.store.hasSnapshot) {
      const box = el('div', 'notice error');
      box.setAttribute('role', 'alert');
      box.append(icon('error'), el('strong', '', t('error.title')), osEl('span', 'mono', ` ${this.errorMessage} `), el('span', '', t('error.hint')));
      const dismiss = el('button', 'link-button', t('error.dismiss'));
      dismiss.type = 'button';
      dismiss.addEventListener('click', () => {
        this.errorMessage = null;
        this.renderBanner();
      });
      box.append(dismiss);
      this.banner.append(box);
    }
    if (this.store.hasSnapshot && this.store.backend === 'portable') {
      const box = el('div', 'notice');
      box.append(icon('info'), el('span', '', t('notice.portable')));
      this.banner.append(box);
    }
    this.renderHiddenNotes();
    if (this.pausedAt !== null) {
      const box = el('div', 'notice warning paused-notice');
      box.setAttribute('role', 'status');
      box.append(icon('debug-pause'), el('strong', '', t('pause.title')), el('span', '', t('pause.notice', new Date(this.pausedAt).toLocaleTimeString(getLocale()))));
      const resume = el('button', 'link-button', t('toolbar.resume'));
      resume.type = 'button';
      resume.dataset.action = 'resume';
      resume.addEventListener('click', () => this.setPaused(false));
      box.append(resume);
      this.banner.append(box);
    }
    if (this.focusNote) {
      const box = el('div', 'notice');
      box.append(icon('target'), el('span', '', t('status.focus', visible(this.focusNote))));
      this.banner.append(box);
    }
    if (this.labCard) {
      const card = el('div', 'lab-card');
      card.append(el('div', 'lab-title', `${t('lab.title')}: ${this.labCard.title}`));
      const list = el('ul', 'lab-items');
      for (const item of this.labCard.items) {
        const li = el('li', item.done ? 'done' : '');
        li.append(icon(item.done ? 'pass-filled' : 'circle-large-outline'), el('span', '', item.text));
        list.append(li);
      }
      card.append(list);
      this.banner.append(card);
    }
  }

  /** One line per kind of thing the last poll could not see ("12 processes could not be seen: hidepid=2"). */
  private renderHiddenNotes(): void {
    if (!this.store.hasSnapshot) return;
    for (const h of this.store.hidden) {
      const box = el('div', 'notice hidden-note');
      box.append(icon('eye-closed'), osEl('span', '', t(h.unit === 'tasks' ? 'notice.hiddenTasks' : 'notice.hiddenProcesses', h.count, h.reason)));
      this.banner.append(box);
    }
  }

  private applyDetailWidth(): void {
    const max = Math.max(260, window.innerWidth - 300);
    this.detailWidth = Math.min(Math.max(260, this.detailWidth), max);
    this.right.style.width = `${this.detailWidth}px`;
  }

  private installSplitter(splitter: HTMLElement): void {
    let startX = 0;
    let startWidth = 0;
    const move = (e: PointerEvent): void => {
      this.detailWidth = startWidth - (e.clientX - startX);
      this.applyDetailWidth();
    };
    const up = (e: PointerEvent): void => {
      splitter.releasePointerCapture(e.pointerId);
      splitter.removeEventListener('pointermove', move);
      splitter.removeEventListener('pointerup', up);
      this.persist();
    };
    splitter.addEventListener('pointerdown', (e) => {
      startX = e.clientX;
      startWidth = this.detailWidth;
      splitter.setPointerCapture(e.pointerId);
      splitter.addEventListener('pointermove', move);
      splitter.addEventListener('pointerup', up);
    });
    splitter.addEventListener('keydown', (e) => {
      if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
      this.detailWidth += e.key === 'ArrowLeft' ? 20 : -20;
      this.applyDetailWidth();
      this.persist();
      e.preventDefault();
    });
  }

  // ---------- rendering ----------

  /** Rebuilds the visible rows and redraws the list (one pass per snapshot/delta/UI change). */
  refresh(): void {
    if (!this.hierarchy) return;
    this.rows = (this.flat ? buildFlatRows : buildRows)(this.store.all(), this.store.byPid, {
      collapsed: this.collapsed,
      threadsOpen: this.threadsOpen,
      filter: this.filter,
      states: this.states,
      sort: this.sort,
      showKernelThreads: this.settings.showKernelThreads,
      showThreads: this.settings.showThreads,
      scope: this.scope,
      workspace: this.store.workspaceByPid,
    });
    this.rowIndexByKey = null;
    // Keep the selection: by row id, else (a thread row that went away) the row of the selected process.
    this.hierarchy.selectedId = this.hierarchy.selectedId ?? this.restoredSelectedId;
    this.hierarchy.setRows(this.rows);
    const selectedId = this.hierarchy.selectedId;
    if (selectedId && this.selectedKey && this.hierarchy.indexOf(selectedId) === undefined && this.hierarchy.indexOf(`p${this.selectedKey}`) !== undefined) {
      this.hierarchy.select(`p${this.selectedKey}`, false);
    }
    if (this.restoredSelectedId && this.hierarchy.indexOf(this.restoredSelectedId) !== undefined) {
      this.restoredSelectedId = null;
      this.hierarchy.select(this.hierarchy.selectedId, false);
      if (this.selectedKey) this.post({ type: 'select', key: this.selectedKey });
      this.startDetail();
    }
    this.setCount(`${t('toolbar.count', this.store.size, this.store.threadCount())} · ${t('toolbar.shown', this.rows.length)}`);
    this.renderEmpty();
    this.renderBanner();
    this.updateWatch();
    this.renderSide(false);
  }

  private renderEmpty(): void {
    this.emptyBox.replaceChildren();
    let title: string | null = null;
    let hint = '';
    let cls = 'empty-state';
    const buttons: HTMLElement[] = [];
    if (!this.store.hasSnapshot) {
      if (this.errorMessage) {
        cls += ' error';
        title = t('error.title');
        hint = `${visible(this.errorMessage)} — ${t('error.hint')}`;
      } else {
        title = t('empty.waiting');
        hint = t('empty.waitingHint');
      }
    } else if (this.rows.length === 0) {
      if (this.filter || this.states.size) {
        title = t('empty.noMatch');
        hint = t('empty.noMatchHint');
        const b = custom('vscode-button', '', t('empty.clearFilter'));
        b.dataset.action = 'clear-filter';
        b.addEventListener('click', () => {
          this.setFilter('');
          this.states.clear();
          this.renderLegend();
          this.refresh();
        });
        buttons.push(b);
      } else if (this.scope === 'workspace') {
        title = t('empty.workspace');
        hint = t('empty.workspaceHint');
      }
      if (this.scope === 'workspace') {
        const b = custom('vscode-button', '', t('empty.showAll'));
        b.setAttribute('secondary', '');
        b.dataset.action = 'show-all';
        b.addEventListener('click', () => this.setScope('all'));
        buttons.push(b);
      }
    }
    this.emptyBox.hidden = title === null;
    if (title === null) return;
    const box = el('div', cls);
    if (cls.includes('error')) box.setAttribute('role', 'alert');
    box.append(icon(cls.includes('error') ? 'error' : this.store.hasSnapshot ? 'filter' : 'loading', cls.includes('error') ? '' : this.store.hasSnapshot ? '' : 'codicon-modifier-spin'));
    box.append(el('div', 'empty-title', title), el('div', 'empty-hint', hint));
    if (buttons.length) {
      const row = el('div', 'empty-buttons');
      row.append(...buttons);
      box.append(row);
    }
    this.emptyBox.append(box);
  }

  /** Redraws the visible side tab. `force`: also when the selected process did not change. */
  private renderSide(force: boolean): void {
    const p = this.selectedKey ? this.store.get(this.selectedKey) : undefined;
    // (The workspace pid set walks every process: only worth it while the IPC tab shows.)
    if (this.tab === 2) this.ipcView.setContext(p?.pid ?? null, this.workspacePids());
    this.ipcView.show(this.tab === 2);
    // A maximized graph gives the panel back when another tab is chosen.
    if (this.tab !== 2 && this.ipcView.maximized) this.ipcView.setMaximized(false);
    this.root.classList.toggle('ipc-maximized', this.tab === 2 && this.ipcView.maximized);
    this.waitsSection.setActive(p ? { pid: p.pid, key: p.key } : null, this.tab === 0);
    if (this.tab === 0) {
      if (!force && p === this.lastDetailProc) return;
      this.lastDetailProc = p;
      this.renderDetail();
    } else if (this.tab === 1) {
      if (!force && p === this.lastDetailProc) return;
      this.lastDetailProc = p;
      renderHistory(this.historyBox, this.selectedKey ? this.store.history.get(this.selectedKey) : undefined);
    } else {
      this.lastDetailProc = null;
    }
  }

  private renderDetail(): void {
    const key = this.selectedKey;
    const p = key ? this.store.get(key) : undefined;
    this.detailPane.render({
      proc: p,
      exited: key ? this.store.isExited(key) || (!p && this.detail?.key === key) : false,
      detail: this.detail,
      detailError: this.detailError,
      loading: this.detailLoading,
      env: this.env && this.env.key === key ? this.env.entries : null,
      envError: this.env && this.env.key === key ? this.env.error : null,
      unavailableFields: this.store.unavailableFields,
      now: this.store.timestamp || Date.now(),
      bootTime: this.store.system?.bootTime ?? null,
      ipc: this.ipcMap,
    });
    this.waitsSection.show(this.detailPane.element, p ? { pid: p.pid, key: p.key } : null, this.tab === 0);
  }

  /** Posts a request and resolves with its response, whatever it is (the caller shows a failure its own way). */
  private ask(request: Request): Promise<{ ok: true; result: unknown } | { ok: false; error: string }> {
    const requestId = ++this.requestId;
    return new Promise((resolve) => {
      this.pending.set(requestId, { resolve });
      this.post({ type: 'request', requestId, request });
    });
  }

  private workspacePids(): Set<number> {
    // Members and their descendants.
    if (this.store.workspace.length === 0) return new Set<number>();
    const tree = buildProcessTree(this.store.byKey.values(), { byPid: this.store.byPid });
    return descendantPids(tree, this.store.workspace.map((m) => m.pid));
  }

  private scheduleMarks(): void {
    const next = this.store.nextMarkExpiry();
    if (next === null || this.markTimer !== undefined) return;
    this.markTimer = setTimeout(() => {
      this.markTimer = undefined;
      if (this.store.expireMarks() && this.pausedAt === null) this.refresh();
      this.scheduleMarks();
    }, Math.max(50, next - Date.now() + 20));
  }

  // ---------- selection, detail ----------

  private selectRow(row: Row): void {
    const changed = row.key !== this.selectedKey;
    this.selectedKey = row.key;
    this.restoredSelectedId = null;
    if (this.hierarchy.selectedId !== row.id) this.hierarchy.select(row.id, false);
    if (changed) {
      this.post({ type: 'select', key: row.key });
      this.detail = null;
      this.detailError = null;
      this.lastDetailProc = null;
      this.startDetail();
    }
    this.persist();
    this.updateWatch();
    this.renderSide(true);
  }

  private selectPid(pid: number): void {
    const p = this.store.byPid.get(pid);
    if (!p) return;
    this.revealKey(p.key);
    const row = this.rows.find((r) => r.id === `p${p.key}`);
    if (row) this.hierarchy.select(row.id);
  }

  /** Makes a process row visible: opens its collapsed ancestors, widens the scope and clears a hiding filter. */
  private revealKey(key: ProcessKey): void {
    let p = this.store.get(key);
    if (!p) return;
    if (!this.rows.some((r) => r.id === `p${key}`)) {
      if (p.kernelThread && !this.settings.showKernelThreads) {
        this.settings = { ...this.settings, showKernelThreads: true };
        this.kernelBox.checked = true;
        this.post({ type: 'setShowKernelThreads', show: true });
      }
      const seen = new Set<number>();
      while (p && !seen.has(p.pid)) {
        seen.add(p.pid);
        const parent = this.store.byPid.get(p.ppid);
        if (parent) this.collapsed.delete(parent.key);
        p = parent;
      }
      this.refresh();
      if (!this.rows.some((r) => r.id === `p${key}`)) {
        this.filter = '';
        this.filterField.value = '';
        this.states.clear();
        this.renderLegend();
        if (this.scope === 'workspace') this.setScope('all');
        this.refresh();
      }
    }
  }

  private focusPids(pids: readonly number[], reason: string): void {
    this.focusNote = reason;
    const first = pids.map((pid) => this.store.byPid.get(pid)).find((p) => p !== undefined);
    if (first) this.selectPid(first.pid);
    this.renderBanner();
  }

  private startDetail(): void {
    clearTimeout(this.detailTimer);
    this.detailTimer = undefined;
    if (!this.selectedKey) return;
    this.detailLoading = true;
    void this.fetchDetail();
  }

  private async fetchDetail(): Promise<void> {
    const key = this.selectedKey;
    const p = key ? this.store.byKey.get(key) : undefined;
    if (!key || !p) {
      this.detailLoading = false;
      return;
    }
    if (this.detailInFlight) return;
    this.detailInFlight = true;
    const requestId = this.requestId + 1;
    const reply = await new Promise<{ ok: true; result: unknown } | { ok: false; error: string }>((resolve) => {
      this.requestId = requestId;
      this.pending.set(requestId, { resolve });
      this.post({ type: 'request', requestId, request: { kind: 'detail', pid: p.pid, key } });
    });
    this.detailInFlight = false;
    if (this.selectedKey !== key) {
      void this.fetchDetail();
      return;
    }
    this.detailLoading = false;
    if (reply.ok && (reply.result as ProcessDetail).key !== key) {
      // A reply about another process (its pid was reused) is never filed under this one.
      this.detail = null;
      this.detailError = t('status.requestFailed', t('request.detail'), t('status.otherProcess'));
    } else if (reply.ok) {
      const d = reply.result as RequestResults['detail'];
      this.detail = d;
      this.detailError = null;
      if (d.nodeRuntime) this.nodeRuntimeKeys.add(key);
      else this.nodeRuntimeKeys.delete(key);
    } else {
      this.detailError = t('status.requestFailed', t('request.detail'), reply.error);
    }
    if (this.tab === 0) this.renderDetail();
    clearTimeout(this.detailTimer);
    // Re-read every few seconds while selected (the PCB changes: fds, signals, memory).
    if (this.store.byKey.has(key)) this.detailTimer = setTimeout(() => void this.fetchDetail(), DETAIL_REFRESH_MS);
  }

  private async requestEnv(): Promise<void> {
    const key = this.selectedKey;
    const p = key ? this.store.byKey.get(key) : undefined;
    if (!key || !p) return;
    const requestId = ++this.requestId;
    const reply = await new Promise<{ ok: true; result: unknown } | { ok: false; error: string }>((resolve) => {
      this.pending.set(requestId, { resolve });
      this.post({ type: 'request', requestId, request: { kind: 'detail', pid: p.pid, key, includeEnv: true } });
    });
    if (reply.ok && (reply.result as ProcessDetail).key !== key) {
      this.env = { key, entries: null, error: t('status.requestFailed', t('request.detail'), t('status.otherProcess')) };
    } else if (reply.ok) {
      const d = reply.result as ProcessDetail;
      this.env = { key, entries: d.environ ?? null, error: d.environ ? null : t('detail.unavailableBecause', d.unavailable.environ ?? '?') };
    } else {
      this.env = { key, entries: null, error: t('status.requestFailed', t('request.detail'), reply.error) };
    }
    if (this.tab === 0 && this.selectedKey === key) this.renderDetail();
  }

  // ---------- user actions ----------

  private setThreadsOpen(key: ProcessKey, open: boolean): void {
    if (open) this.threadsOpen.add(key);
    else this.threadsOpen.delete(key);
    this.refresh();
    this.persist();
  }

  private setSort(column: SortColumn): void {
    const numeric = column === 'cpu' || column === 'rss' || column === 'threads' || column === 'mem' || column === 'time' || column === 'virt';
    this.sort = this.sort.column === column ? { column, descending: !this.sort.descending } : { column, descending: numeric };
    this.hierarchy.renderHeader(this.sort);
    this.refresh();
    this.persist();
  }

  private setScope(scope: Scope): void {
    if (scope === this.scope) return;
    this.scope = scope;
    this.post({ type: 'setScope', scope });
    this.renderScope();
    this.refresh();
    this.hierarchy.revealSelected();
    this.persist();
  }

  private setFilter(text: string): void {
    this.filter = text;
    this.filterField.value = text;
    this.refresh();
    this.hierarchy.revealSelected();
    this.persist();
  }

  private openMenu(row: Row, x: number, y: number): void {
    if (this.hierarchy.selectionSize > 1) {
      this.menu.openMany(this.selectedTargets().length, x, y, (action) => void this.runAction(row, action));
      return;
    }
    const p = row.proc;
    this.menu.open(p, x, y, (action) => void this.runAction(row, action), this.nodeRuntimeKeys.has(p.key));
  }

  private async runAction(row: Row, action: ActionId): Promise<void> {
    const p = row.proc;
    const pid = row.kind === 'thread' ? row.proc.pid : p.pid;
    const key = p.key;
    const who = `${visible(p.name)} (${pid})`;
    switch (action.kind) {
      case 'signal': {
        const r = await this.request({ kind: 'signal', pid, key, signal: action.signal });
        if (r) this.showStatus(r.sent ? t('status.signalSent', action.signal, who) : t('status.signalCancelled', action.signal), false);
        break;
      }
      case 'signalTree':
      case 'signalGroup': {
        const r = await this.request({ kind: action.kind, pid, key, signal: action.signal });
        if (r) this.showStatus(r.confirmed ? t('status.signalMany', action.signal, r.sent, r.total, r.gone) : t('status.signalCancelled', action.signal), false);
        break;
      }
      case 'signalSelected':
        await this.signalSelected(action.signal);
        break;
      case 'renice':
        openReniceDialog(this.root, p, (nice) => {
          void this.request({ kind: 'renice', pid, key, nice }).then((r) => {
            if (r) this.showStatus(t('status.reniced', who, r.nice), false);
          });
        });
        break;
      case 'copy': {
        const r = await this.request({ kind: 'copy', pid, key, format: action.format });
        if (r) this.showStatus(t('status.copied'), false);
        break;
      }
      case 'openTerminal': {
        const r = await this.request({ kind: 'openTerminal', pid, key });
        if (r) this.showStatus(t('status.openedTerminal', r.cwd), false);
        break;
      }
      case 'reveal': {
        const r = await this.request({ kind: 'reveal', pid, key, what: action.what });
        if (r) this.showStatus(t('status.revealed', r.path), false);
        break;
      }
      case 'attachDebugger': {
        const r = await this.request({ kind: 'attachDebugger', pid, key });
        if (r) this.showStatus(t('status.debuggerStarted', who), false);
        break;
      }
    }
  }

  /** The selected processes, once each (a selected thread row stands for its process), in display order. */
  private selectedTargets(): SignalTarget[] {
    const seen = new Set<ProcessKey>();
    const out: SignalTarget[] = [];
    for (const r of this.hierarchy.selectedRows()) {
      if (seen.has(r.key) || this.store.isExited(r.key)) continue;
      seen.add(r.key);
      out.push({ pid: r.proc.pid, key: r.key });
    }
    return out;
  }

  /**
   * One request for the whole selection: the host confirms once, listing the processes, then signals each by
   * its own identity. A selection beyond the host's per-request bound goes in parts, each confirmed.
   */
  private async signalSelected(signal: AllowedSignal): Promise<void> {
    const targets = this.selectedTargets();
    const max: MaxSignalTargets = 4096;
    let sent = 0;
    let total = 0;
    let gone = 0;
    for (let i = 0; i < targets.length; i += max) {
      const r = await this.request({ kind: 'signalMany', targets: targets.slice(i, i + max), signal });
      if (!r) return;
      if (!r.confirmed) {
        this.showStatus(t('status.signalCancelled', signal), false);
        return;
      }
      sent += r.sent;
      total += r.total;
      gone += r.gone;
    }
    if (total > 0) this.showStatus(t('status.signalMany', signal, sent, total, gone), false);
  }

  private showStatus(text: string, error: boolean): void {
    this.statusBar.replaceChildren();
    this.statusBar.className = `statusbar${error ? ' error' : ''}`;
    this.statusBar.setAttribute('role', error ? 'alert' : 'status');
    this.statusBar.append(icon(error ? 'error' : 'check'), osEl('span', 'status-text', text));
  }

  /** The in-panel keyboard help (`?`): a small modal listing every key the panel answers to. */
  private toggleHelp(): void {
    const open = this.root.querySelector<HTMLElement>('.help-overlay');
    if (open) {
      open.remove();
      this.helpReturnFocus?.focus();
      this.helpReturnFocus = null;
      return;
    }
    this.helpReturnFocus = document.activeElement as HTMLElement | null;
    const overlay = el('div', 'help-overlay');
    const dialog = el('div', 'help-dialog');
    dialog.setAttribute('role', 'dialog');
    dialog.setAttribute('aria-modal', 'true');
    dialog.setAttribute('aria-labelledby', 'help-title');
    const title = el('div', 'help-title', t('help.title'));
    title.id = 'help-title';
    const table = el('table', 'help-table');
    for (const k of HELP_KEYS) {
      const tr = el('tr');
      const keyCell = el('td', 'help-key');
      keyCell.append(el('kbd', '', t(`help.key.${k}` as MessageKey)));
      tr.append(keyCell, el('td', '', t(`help.${k}` as MessageKey)));
      table.append(tr);
    }
    const close = el('button', 'chip-button help-close', t('help.close'));
    close.type = 'button';
    close.addEventListener('click', () => this.toggleHelp());
    dialog.append(title, table, close);
    overlay.append(dialog);
    // A click on the backdrop (not the dialog) closes it; Escape too (onGlobalKey).
    overlay.addEventListener('click', (e) => {
      if (e.target === overlay) this.toggleHelp();
    });
    this.root.append(overlay);
    close.focus();
  }

  private helpReturnFocus: HTMLElement | null = null;

  /** The column chooser: a checkbox per column, applied and remembered as it is ticked. */
  private openColumnsMenu(x: number, y: number): void {
    this.closeColumnsMenu();
    const returnFocus = document.activeElement as HTMLElement | null;
    const menu = el('div', 'columns-menu');
    menu.setAttribute('role', 'dialog');
    menu.setAttribute('aria-label', t('columns.title'));
    menu.append(el('div', 'columns-title', t('columns.title')));
    const shown = new Set(this.hierarchy.visibleColumns);
    for (const c of COLUMNS) {
      const fixed = FIXED_COLUMNS.includes(c.column);
      const box = custom('vscode-checkbox', 'column-choice') as HTMLElement & { checked: boolean; disabled: boolean };
      box.dataset.column = c.column;
      box.setAttribute('label', fixed ? t('columns.fixed', t(c.key)) : t(c.key));
      box.title = t(c.hint);
      box.checked = shown.has(c.column);
      if (fixed) box.disabled = true;
      box.addEventListener('change', () => {
        const next = new Set(this.hierarchy.visibleColumns);
        if (box.checked) next.add(c.column);
        else next.delete(c.column);
        this.setColumns([...next]);
      });
      menu.append(box);
    }
    const reset = el('button', 'chip-button columns-reset', t('columns.reset'));
    reset.type = 'button';
    reset.addEventListener('click', () => {
      this.setColumns(DEFAULT_COLUMNS);
      for (const box of menu.querySelectorAll<HTMLElement & { checked: boolean }>('.column-choice')) box.checked = DEFAULT_COLUMNS.includes(box.dataset.column as never);
    });
    menu.append(reset);
    const close = (): void => {
      this.closeColumnsMenu();
      returnFocus?.focus();
    };
    menu.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        close();
      }
    });
    // A press anywhere outside closes it (after this opening click has finished bubbling).
    const outside = (e: Event): void => {
      if (!menu.contains(e.target as Node)) close();
    };
    this.columnsMenuOutside = outside;
    setTimeout(() => document.addEventListener('pointerdown', outside, true), 0);
    this.root.append(menu);
    const maxX = Math.max(0, window.innerWidth - menu.offsetWidth - 4);
    const maxY = Math.max(0, window.innerHeight - menu.offsetHeight - 4);
    menu.style.left = `${Math.min(x, maxX)}px`;
    menu.style.top = `${Math.min(y, maxY)}px`;
    menu.querySelector<HTMLElement>('.column-choice:not([disabled])')?.focus();
  }

  private columnsMenuOutside: ((e: Event) => void) | null = null;

  private closeColumnsMenu(): void {
    this.root.querySelector('.columns-menu')?.remove();
    if (this.columnsMenuOutside) document.removeEventListener('pointerdown', this.columnsMenuOutside, true);
    this.columnsMenuOutside = null;
  }

  private setColumns(columns: readonly string[]): void {
    this.hierarchy.setVisibleColumns(columns);
    this.columns = this.hierarchy.visibleColumns;
    // Sorting by a column no longer shown would order the rows by something the user cannot see.
    if (!this.columns.includes(this.sort.column)) {
      this.sort = { column: 'pid', descending: false };
      this.hierarchy.renderHeader(this.sort);
      this.refresh();
    }
    this.persist();
  }

  private onGlobalKey(e: KeyboardEvent): void {
    const target = e.target as HTMLElement;
    const typing = target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'VSCODE-TEXTFIELD';
    const helpOpen = this.root.querySelector('.help-overlay') !== null;
    if ((e.key === '?' && !typing) || (e.key === 'Escape' && helpOpen)) {
      e.preventDefault();
      this.toggleHelp();
    } else if (helpOpen) {
      return;
    } else if (e.key === 't' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      this.setFlat(!this.flat);
    } else if (e.key === '/' && !typing) {
      e.preventDefault();
      this.filterField.focus();
    } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'c' && !typing && document.getSelection()?.isCollapsed !== false) {
      const row = this.hierarchy.selectedRow();
      if (row && this.hierarchy.element.contains(target)) {
        e.preventDefault();
        void this.runAction(row, { kind: 'copy', format: 'ps' });
      }
    }
  }
}
