// The panel: puts the parts together (toolbar, notices, process list, side tabs, actions) and is the one
// place host messages are dispatched and the parts are told to redraw. Each part lives in its own file;
// the UI state they share is UiState, the process table is ProcessStore, the host is HostClient.
import type { DeltaMessage, IpcNeed, Scope, ToWebview, ViewSettings } from '../src/protocol';
import type { ProcessKey } from '../src/core/model';
import { ActionRunner } from './actionRunner';
import { ColumnsMenu } from './columnsMenu';
import { DetailView } from './detailView';
import { el, visible } from './dom';
import { HelpDialog } from './helpDialog';
import { HostClient } from './hostClient';
import { getLocale, setLocale, t } from './i18n';
import { IpcPast } from './ipcPast';
import { Notices } from './notices';
import type { Row } from './rows';
import { canPatchRows } from './rowPatch';
import { SidePanel } from './sidePanel';
import { isLocale, readStartup, type Startup } from './startup';
import { ProcessStore, sameHidden } from './store';
import { Rewind } from './rewind';
import { SummaryStrip } from './summaryStrip';
import { Toolbar } from './toolbar';
import { TreeView } from './treeView';
import { UiState, type PersistedState } from './uiState';
import { FilterLookup } from './filterLookup';
import { parseFilter, rememberQuery } from './filterQuery';
import { vscodeApi, type VsCodeApi } from './vscodeApi';

export type { PersistedState } from './uiState';

/** How often the page checks that the host still sends ticks (see heardFromHost). */
const SILENCE_CHECK_MS = 1000;

export class App {
  private readonly api: VsCodeApi<PersistedState>;
  private readonly host: HostClient;
  private readonly store = new ProcessStore();
  private readonly ui = new UiState();
  private readonly startup: Startup;
  /** The watched pids last sent (watchThreads is posted only when they change). */
  private watched = '';
  private markTimer: ReturnType<typeof setTimeout> | undefined;

  // The parts (their elements are made anew by build(); what they know is kept across).
  private readonly notices: Notices;
  private readonly tree: TreeView;
  private readonly detail: DetailView;
  private readonly side: SidePanel;
  private readonly actions: ActionRunner;
  private readonly help: HelpDialog;
  private readonly columnsMenu: ColumnsMenu;
  private readonly summary: SummaryStrip;
  private readonly rewind: Rewind;
  /** The IPC scans received, for showing the one of a rewound tick. */
  private readonly ipcPast = new IpcPast();
  /** What of the IPC scan the shown tab uses, and what the host was last told (undefined: nothing yet). */
  private ipcNeed: IpcNeed = 'none';
  private sentIpcNeed: IpcNeed | undefined;
  /** The host has answered (a snapshot came): 'ready' goes first, everything else after it. */
  private hostAnswered = false;
  /** When the host last sent a tick or a poll's error (see heardFromHost). */
  private lastHeardAt = 0;
  private silenceTimer: ReturnType<typeof setInterval> | undefined;
  private toolbar!: Toolbar;
  /** The filter's look-up terms, asked of the host. */
  private readonly lookup: FilterLookup;

  constructor(private readonly root: HTMLElement) {
    this.api = vscodeApi<PersistedState>();
    this.host = new HostClient(this.api);
    const startup = (this.startup = readStartup(document.body.dataset.procscope));
    setLocale(startup.locale);
    if (isLocale(startup.locale)) this.ui.settings = { ...this.ui.settings, locale: startup.locale };
    const saved = this.api.getState();
    if (saved) this.ui.restore(saved);

    const selectPid = (pid: number): void => this.tree.selectPid(pid);
    const persist = (): void => this.persist();
    this.summary = new SummaryStrip(this.ui.summaryOpen, {
      toggled: (open) => {
        this.ui.summaryOpen = open;
        persist();
      },
    });
    this.notices = new Notices(this.ui, this.store, {
      resume: () => this.setPaused(false),
      live: () => this.rewind.live(),
      clearFilter: () => {
        this.setFilter('');
        this.ui.states.clear();
        this.toolbar.renderLegend();
        this.refresh();
      },
      showAll: () => this.setScope('all'),
    });
    this.tree = new TreeView(this.ui, this.store, {
      refresh: () => this.refresh(),
      persist,
      select: (row) => this.selectRow(row),
      contextMenu: (row, x, y) => (this.startup.recording ? this.refuseInRecording() : this.actions.openMenu(row, x, y)),
      deleteKey: (row) =>
        this.startup.recording
          ? this.refuseInRecording()
          : void this.actions.run(row, { kind: this.tree.hierarchy!.selectionSize > 1 ? 'signalSelected' : 'signal', signal: 'SIGTERM' }),
      openColumns: (x, y) => this.columnsMenu.open(x, y),
      showKernelThreads: () => {
        this.ui.settings = { ...this.ui.settings, showKernelThreads: true };
        this.toolbar.setKernelThreads(true);
        this.host.post({ type: 'setShowKernelThreads', show: true });
      },
      clearFilter: () => {
        this.ui.filter = '';
        this.toolbar.setFilterText('');
        this.ui.states.clear();
        this.toolbar.renderLegend();
      },
      showAllScope: () => this.setScope('all'),
    });
    this.detail = new DetailView(this.ui, this.store, this.host, { selectPid, persist, ipcMap: () => this.side.ipcMap });
    this.rewind = new Rewind(this.ui, this.store, this.host, {
      redraw: () => {
        this.notices.renderBanner();
        this.side.timeline.setPast(this.ui.pastAt);
        this.showIpcAt(this.ui.pastAt);
        this.refresh();
      },
      failed: (text) => this.notices.showStatus(text, true),
    });
    this.side = new SidePanel(this.root, this.ui, this.store, this.detail, this.tree.waits, {
      selectPid,
      persist,
      ipcNeed: (need) => {
        this.ipcNeed = need;
        this.tellIpcNeed();
      },
      timeline: {
        fetchIndex: () => this.host.request({ kind: 'historyIndex', threads: this.watchedKeys().slice(0, 16) }),
        nameOf: (key) => this.store.get(key)?.name,
        rewind: (at) => void this.rewind.go(at),
        live: () => this.rewind.live(),
        selectKey: (key) => {
          const p = this.store.get(key);
          if (p) this.tree.selectPid(p.pid);
        },
      },
    });
    this.actions = new ActionRunner({
      root: this.root,
      host: this.host,
      showStatus: (text, error) => this.notices.showStatus(text, error),
      selectionSize: () => this.tree.hierarchy!.selectionSize,
      selectedTargets: () => this.tree.selectedTargets(),
      isNodeRuntime: (key) => this.detail.isNodeRuntime(key),
      canAct: () => this.store.backend !== 'portable',
    });
    this.help = new HelpDialog(this.root);
    this.lookup = new FilterLookup(
      this.host,
      () => {
        if (!this.ui.paused) this.refresh();
      },
      (key) => this.store.get(key)?.name,
    );
    this.columnsMenu = new ColumnsMenu(
      this.root,
      () => this.tree.hierarchy!.visibleColumns,
      (columns) => this.tree.setColumns(columns),
      () => this.tree.hierarchy?.resetColumnWidths(),
    );
  }

  start(): void {
    this.build();
    window.addEventListener('message', (e: MessageEvent) => this.onMessage(e.data as ToWebview));
    this.installDrop();
    document.addEventListener('keydown', (e) => this.onGlobalKey(e));
    this.refresh();
    this.host.announceReady(this.startup.page, this.startup.delayReadyMs);
  }

  private applyLiveDelta(m: DeltaMessage): void {
    // A poll that succeeded answers the error of the last one (whichever way the rows get redrawn).
    if (this.notices.errorMessage !== null) {
      this.notices.errorMessage = null;
      this.notices.renderBanner();
    }
    const hiddenBefore = this.store.hidden;
    this.store.applyDelta(m.delta, m.workspace);
    // A delta that only patches rows redraws no banner: the note of what is hidden must still follow it.
    if (!sameHidden(hiddenBefore, this.store.hidden)) this.notices.renderBanner();
    const patchable = canPatchRows(m.delta, m.workspace !== undefined, this.ui.filtering, this.ui.sort.column);
    this.afterData(m.delta.timestamp, patchable ? m.delta.changed.map((c) => c.key) : null);
  }

  /** Tells the host what of the IPC scan the page shows, when that changed (see IpcNeed). */
  private tellIpcNeed(): void {
    if (!this.hostAnswered || this.ipcNeed === this.sentIpcNeed) return;
    this.sentIpcNeed = this.ipcNeed;
    this.host.post({ type: 'ipcNeed', need: this.ipcNeed });
  }

  /** The IPC view follows a rewind: the newest kept scan at or before the tick, or a note saying there is none. */
  private showIpcAt(at: number | null): void {
    if (at === null) {
      this.side.setIpcPastNote(null);
      if (this.side.ipcMap !== this.ipcPast.latest) this.side.setIpcMap(this.ipcPast.latest);
      return;
    }
    const scan = this.ipcPast.at(at);
    const clock = (ms: number): string => new Date(ms).toLocaleTimeString(getLocale());
    if (scan) this.side.setIpcPastNote(t('ipc.pastScan', clock(scan.timestamp), Math.round((at - scan.timestamp) / 1000)));
    else if (this.startup.recording) this.side.setIpcPastNote(t('ipc.pastRecording'));
    else {
      const oldest = this.ipcPast.oldest;
      this.side.setIpcPastNote(oldest === null ? t('ipc.pastNoScans') : t('ipc.pastTooOld', clock(oldest)));
    }
    if (this.side.ipcMap !== scan) this.side.setIpcMap(scan);
  }

  // ---------- recording mode: the page replays a file (src/extension/recordingPanel.ts) ----------

  /** The banner that says which file is shown, and from when to when; the root is marked for the styles. */
  private recordingBanner(): HTMLElement | null {
    const r = this.startup.recording;
    if (!r) return null;
    this.root.classList.add('recording-mode');
    const stamp = (ms: number): string => new Date(ms).toLocaleString(getLocale());
    const parts = [t('recording.banner', visible(r.file), stamp(r.startedAt), stamp(r.endedAt))];
    if (r.host) parts.push(t('recording.host', visible(r.host)));
    if (r.cut) parts.push(t('recording.cut'));
    const banner = el('div', 'recording-notice', parts.join(', '));
    banner.setAttribute('role', 'status');
    banner.title = t('recording.noActions');
    return banner;
  }

  private refuseInRecording(): void {
    this.notices.showStatus(t('recording.noActions'), true);
  }

  /**
   * A file dropped on the panel opens as a recording: the page passes on only what the drop names (a uri, or a
   * path), the host checks it and reads the file. VS Code hands a drop to a webview only while Shift is held
   * (without it the editor area takes the drop and opens the file in an editor). A drag from VS Code's
   * Explorer or an editor tab carries its uri under these types; a file from the desktop's file manager
   * carries only its bytes (no path) and is not opened this way.
   */
  private installDrop(): void {
    const firstOfJson = (text: string): string => {
      try {
        const list = JSON.parse(text) as unknown;
        return Array.isArray(list) && typeof list[0] === 'string' ? list[0] : '';
      } catch {
        return '';
      }
    };
    const names = (e: DragEvent): string | undefined => {
      const dt = e.dataTransfer;
      if (!dt) return undefined;
      const found =
        dt.getData('application/vnd.code.uri-list') ||
        dt.getData('text/uri-list') ||
        firstOfJson(dt.getData('resourceurls')) ||
        firstOfJson(dt.getData('codefiles')) ||
        dt.getData('text/plain');
      return found.trim() ? found.trim().slice(0, 16384) : undefined;
    };
    this.root.addEventListener('dragover', (e) => {
      if (!e.dataTransfer) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    });
    this.root.addEventListener('drop', (e) => {
      e.preventDefault();
      const uri = names(e);
      if (uri) this.host.post({ type: 'openRecording', uri });
      else this.notices.showStatus(t('recording.dropOnly'), true);
    });
  }

  // ---------- host messages: every one is dispatched here ----------

  private onMessage(m: ToWebview): void {
    if (!m || typeof m !== 'object' || typeof (m as { type?: unknown }).type !== 'string') return;
    if (m.type === 'snapshot' || m.type === 'delta' || m.type === 'error') this.heardFromHost();
    switch (m.type) {
      case 'init':
        // (The platform it names is the one the start-up data gave; nothing in the panel depends on it yet.)
        this.applySettings(m.settings, true);
        break;
      case 'settings':
        this.applySettings(m.settings, false);
        break;
      case 'snapshot':
        this.host.stopAnnouncing();
        this.hostAnswered = true;
        this.tellIpcNeed();
        if (!this.rewind.accepts('snapshot')) break;
        this.notices.errorMessage = null;
        this.store.setSnapshot(m.snapshot, m.workspace);
        this.afterData(m.snapshot.timestamp);
        break;
      case 'delta':
        if (this.rewind.accepts('delta')) this.applyLiveDelta(m);
        // The machine summary rides with the delta, and follows the live machine even while the table is rewound.
        if (m.machine) this.summary.update(m.machine, this.store.byKey.values(), m.history);
        break;
      case 'ipc': {
        // The kept scan shares what did not change with the one before; the view shows that one.
        const kept = this.ipcPast.keep(m.map);
        if (this.ui.pastAt === null) this.side.setIpcMap(kept);
        break;
      }
      case 'focus':
        this.focusPids(m.pids, m.reason);
        break;
      case 'clearFocus':
        if (this.notices.focusNote === m.reason) {
          this.notices.focusNote = null;
          this.notices.renderBanner();
        }
        break;
      case 'debugThreads':
        this.tree.setDebugThreads(m.pid, m.threads);
        break;
      case 'machine':
        this.summary.update(m.summary, this.store.byKey.values(), m.history);
        break;
      case 'waitsOverview':
        this.tree.setWaits(m.overview);
        this.side.waitsChanged();
        break;
      case 'labCard':
        this.notices.labCard = m.card;
        this.notices.renderBanner();
        break;
      case 'error':
        this.notices.errorMessage = m.message;
        this.notices.renderBanner();
        this.notices.renderEmpty(this.tree.rows.length);
        break;
      case 'response':
        this.host.settle(m);
        break;
    }
  }

  /**
   * The host sends a tick (or a poll's error) every refresh while the panel shows. When none has come for three
   * refresh intervals (at least 3 s), the extension host has stopped or is stuck (a crash, a breakpoint in it,
   * a poll that hangs), and the list would go on looking live: the banner says since when nothing came. A hidden
   * page, a paused view and a recording panel expect no ticks.
   */
  private heardFromHost(): void {
    this.lastHeardAt = Date.now();
    if (this.notices.silentSince !== null) {
      this.notices.silentSince = null;
      this.notices.renderBanner();
    }
    if (this.silenceTimer === undefined && !this.startup.recording)
      this.silenceTimer = setInterval(() => this.checkSilence(), SILENCE_CHECK_MS);
  }

  private checkSilence(): void {
    const now = Date.now();
    if (document.visibilityState === 'hidden' || this.ui.paused) {
      this.lastHeardAt = now; // nothing is expected now; the clock starts again when it is
      return;
    }
    const limit = Math.max(3000, 3 * this.ui.settings.refreshMs);
    if (now - this.lastHeardAt > limit && this.notices.silentSince === null) {
      this.notices.silentSince = this.lastHeardAt;
      this.notices.renderBanner();
    }
  }

  private applySettings(s: ViewSettings, initial: boolean): void {
    const localeChanged = s.locale !== this.ui.settings.locale;
    this.ui.settings = s;
    setLocale(s.locale);
    // The saved UI scope wins over the default scope setting after a reload.
    if (initial && !this.api.getState()) this.ui.scope = s.scope;
    if (localeChanged) this.build();
    this.toolbar.setKernelThreads(s.showKernelThreads);
    this.toolbar.renderScope();
    this.refresh();
  }

  /** `patchKeys`: the delta moved no row (see canPatchRows); only the rows of these processes changed. */
  private afterData(timestamp: number, patchKeys: readonly ProcessKey[] | null = null): void {
    this.store.recordHistory(this.watchedKeys(), timestamp);
    // Paused: the data is kept (so nothing is lost or out of order), the view is not redrawn.
    if (this.ui.paused) return;
    this.lookup.tick();
    if (patchKeys) this.patchRows(patchKeys);
    else this.refresh();
    this.scheduleMarks();
  }

  // ---------- building and redrawing ----------

  private build(): void {
    this.root.replaceChildren();
    this.root.className = 'procscope';
    this.toolbar = new Toolbar(this.ui, {
      setScope: (s) => this.setScope(s),
      filterTyped: (text) => {
        this.ui.filter = text;
        this.refresh();
        this.tree.hierarchy!.revealSelected();
        this.persist();
        this.toolbar.announceFound(() => this.tree.rows.length);
      },
      filterCleared: () => {
        this.setFilter('');
        // Move focus only after the text field re-rendered: its blur 'change' would otherwise read the old text back.
        void this.toolbar.filterDrawn().then(() => this.tree.hierarchy!.focus());
      },
      filterLeft: () => {
        const h = this.tree.hierarchy!;
        h.focus();
        if (!h.selectedRow() && this.tree.rows[0]) this.selectRow(this.tree.rows[0]);
      },
      filterCommitted: () => this.rememberFilter(),
      recentChosen: (text) => {
        this.setFilter(text);
        this.rememberFilter();
      },
      kernelThreadsChanged: (show) => {
        this.ui.settings = { ...this.ui.settings, showKernelThreads: show };
        this.host.post({ type: 'setShowKernelThreads', show });
        this.refresh();
      },
      togglePaused: () => this.setPaused(!this.ui.paused),
      toggleFlat: () => this.setFlat(!this.ui.flat),
      openColumns: (x, y) => this.columnsMenu.open(x, y),
      toggleHelp: () => this.help.toggle(),
      statesChanged: () => {
        this.refresh();
        this.persist();
      },
    });
    this.notices.mount();
    const main = el('div', 'main');
    const left = el('div', 'left');
    left.append(this.tree.mount().element, this.notices.emptyBox);
    main.append(left, ...this.side.mount());
    const recordingBanner = this.recordingBanner();
    // A recording panel saves its restore id at once, so a reload reopens the file even if nothing was touched.
    if (this.startup.recording?.restoreId) this.persist();
    this.root.append(
      ...(recordingBanner ? [recordingBanner] : []),
      this.toolbar.element,
      this.toolbar.lookupNote,
      this.toolbar.legend,
      this.summary.mount(),
      this.notices.banner,
      main,
      this.notices.statusBar,
      this.actions.mount(),
    );
    this.summary.render(this.store.byKey.values());
    this.toolbar.renderScope();
    this.renderPause();
    this.toolbar.renderFlat();
    this.toolbar.renderLegend();
    this.notices.renderBanner();
    if (this.tree.rows.length) this.refresh();
  }

  /** Rebuilds the visible rows and redraws what follows them (one pass per snapshot/delta/UI change). */
  refresh(): void {
    if (!this.tree.hierarchy) return;
    this.lookup.setFilter(parseFilter(this.ui.filter));
    const lookup = this.lookup.view();
    this.ui.found = lookup.found;
    // A rewound table is filtered by what the look-up finds now: the note says so.
    const note = lookup.note && this.ui.pastAt !== null ? { ...lookup.note, text: `${lookup.note.text} · ${t('find.now')}` } : lookup.note;
    this.toolbar.setLookupNote(note);
    if (this.tree.rebuild()) {
      // The selection saved before a reload is shown again: the host and the detail follow it.
      if (this.ui.selectedKey) this.host.post({ type: 'select', key: this.ui.selectedKey });
      this.detail.start();
    }
    this.renderCount();
    this.notices.renderEmpty(this.tree.rows.length);
    this.notices.renderBanner();
    this.updateWatch();
    this.side.render(false);
  }

  private patchRows(keys: readonly ProcessKey[]): void {
    if (!this.tree.hierarchy) return;
    this.tree.patch(keys);
    this.renderCount();
    this.updateWatch();
    this.side.render(false);
  }

  private renderCount(): void {
    this.toolbar.setCount(
      `${t('toolbar.count', this.store.size, this.store.threadCount())} · ${t('toolbar.shown', this.tree.rows.length)}`,
    );
  }

  private renderPause(): void {
    this.toolbar.renderPause();
    this.root.classList.toggle('paused', this.ui.paused);
  }

  private scheduleMarks(): void {
    const next = this.store.nextMarkExpiry();
    if (next === null || this.markTimer !== undefined) return;
    this.markTimer = setTimeout(
      () => {
        this.markTimer = undefined;
        if (this.store.expireMarks() && !this.ui.paused) this.refresh();
        this.scheduleMarks();
      },
      Math.max(50, next - Date.now() + 20),
    );
  }

  // ---------- state ----------

  private persist(): void {
    const restoreId = this.startup.recording?.restoreId;
    // A selection restored from the saved state but not yet in the table (no rows yet) is kept as it was.
    const selectedId = this.tree.hierarchy?.selectedId ?? this.ui.restoredSelectedId ?? null;
    this.api.setState({ ...this.ui.toPersisted(selectedId), ...(restoreId ? { recording: restoreId } : {}) });
  }

  /** Processes whose history is kept and whose threads the poll reads: those with threads shown, and the selected one. */
  private watchedKeys(): ProcessKey[] {
    const keys = [...this.ui.threadsOpen].filter((k) => this.store.byKey.has(k));
    const selected = this.ui.selectedKey;
    if (selected && this.store.byKey.has(selected) && !keys.includes(selected)) keys.push(selected);
    return keys;
  }

  private updateWatch(): void {
    const pids = [...new Set(this.watchedKeys().map((k) => this.store.byKey.get(k)!.pid))].sort((a, b) => a - b);
    const sig = pids.join(',');
    if (sig === this.watched) return;
    this.watched = sig;
    this.host.post({ type: 'watchThreads', pids });
  }

  // ---------- what the user changes ----------

  /** Pauses or resumes redrawing with new data (the host keeps polling; the store keeps every update). */
  private setPaused(paused: boolean): void {
    if (paused === this.ui.paused) return;
    this.ui.pausedAt = paused ? this.store.timestamp || Date.now() : null;
    this.renderPause();
    if (!paused) {
      this.refresh();
      this.scheduleMarks();
    } else {
      this.notices.renderBanner();
    }
  }

  /** Tree or flat list (htop's `t`); the selected row keeps its place on screen across the switch. */
  private setFlat(flat: boolean): void {
    if (flat === this.ui.flat) return;
    this.ui.flat = flat;
    this.toolbar.renderFlat();
    this.refresh();
    this.tree.hierarchy!.revealSelected();
    this.persist();
  }

  private setScope(scope: Scope): void {
    if (scope === this.ui.scope) return;
    this.ui.scope = scope;
    this.host.post({ type: 'setScope', scope });
    this.toolbar.renderScope();
    this.refresh();
    this.tree.hierarchy!.revealSelected();
    this.persist();
  }

  /** The filter's query was used: it becomes the newest of the recent queries (kept across reloads). */
  private rememberFilter(): void {
    const next = rememberQuery(this.ui.recentFilters, this.ui.filter);
    if (next.join('\n') === this.ui.recentFilters.join('\n')) return;
    this.ui.recentFilters = next;
    this.persist();
  }

  private setFilter(text: string): void {
    this.ui.filter = text;
    this.toolbar.setFilterText(text);
    this.refresh();
    this.tree.hierarchy!.revealSelected();
    this.persist();
  }

  private selectRow(row: Row): void {
    const changed = row.key !== this.ui.selectedKey;
    this.ui.selectedKey = row.key;
    this.ui.restoredSelectedId = null;
    const h = this.tree.hierarchy!;
    if (h.selectedId !== row.id) h.select(row.id, false);
    if (changed) {
      this.host.post({ type: 'select', key: row.key });
      this.detail.forget();
      this.side.forgetDrawn();
      this.detail.start();
    }
    this.persist();
    this.updateWatch();
    this.side.render(true);
  }

  private focusPids(pids: readonly number[], reason: string): void {
    this.notices.focusNote = reason;
    const first = pids.map((pid) => this.store.byPid.get(pid)).find((p) => p !== undefined);
    if (first) this.tree.selectPid(first.pid);
    this.notices.renderBanner();
  }

  private onGlobalKey(e: KeyboardEvent): void {
    const target = e.target as HTMLElement;
    const typing = target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'VSCODE-TEXTFIELD';
    const helpOpen = this.help.isOpen;
    if ((e.key === '?' && !typing) || (e.key === 'Escape' && helpOpen)) {
      e.preventDefault();
      this.help.toggle();
    } else if (helpOpen) {
      return;
    } else if (e.key === 't' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      this.setFlat(!this.ui.flat);
    } else if (e.key === '/' && !typing) {
      e.preventDefault();
      this.toolbar.filterField.focus();
    } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'c' && !typing && document.getSelection()?.isCollapsed !== false) {
      const h = this.tree.hierarchy!;
      const row = h.selectedRow();
      if (row && h.element.contains(target)) {
        e.preventDefault();
        // The portable backend cannot fill a ps -eLF line (its columns come from /proc): Ctrl+C copies JSON there.
        void this.actions.run(row, { kind: 'copy', format: this.store.backend === 'portable' ? 'json' : 'ps' });
      }
    }
  }
}
