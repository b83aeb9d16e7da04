// The right side of the panel: a splitter and the Details / History / IPC tabs, each redrawn only while shown.
import type { IpcMap } from '../src/core/ipc/model';
import type { IpcNeed } from '../src/protocol';
import { buildProcessTree, descendantPids } from '../src/shared/processTree';
import type { DetailView } from './detailView';
import { el, custom } from './dom';
import { renderHistory } from './history';
import { t, type MessageKey } from './i18n';
import { IpcView } from './ipcView';
import type { WaitsStore } from './waitsOverview';
import { TimelineView, type TimelineCallbacks } from './timelineView';
import type { ProcessStore } from './store';
import { TAB_DETAILS, TAB_HISTORY, TAB_IPC, TAB_TIMELINE, type UiState } from './uiState';

export interface SidePanelCallbacks {
  selectPid(pid: number): void;
  persist(): void;
  /** What of the IPC scan the shown tab uses (the host scans only as often as that needs). */
  ipcNeed(need: IpcNeed): void;
  /** The Timeline tab's questions and actions. */
  timeline: Omit<TimelineCallbacks, 'selectKey'> & { selectKey(key: string): void };
}

/** The narrowest the detail pane goes (styles.css gives .right the same min-width). */
const MIN_DETAIL_WIDTH = 260;

export class SidePanel {
  element!: HTMLElement;
  private tabs!: HTMLElement & { selectedIndex: number };
  private historyBox!: HTMLElement;
  private ipcView!: IpcView;
  timeline!: TimelineView;
  /** The newest IPC scan (the IPC view draws it; open files take sockets' endpoints from it). */
  ipcMap: IpcMap | null = null;
  /** The process the shown tab was last drawn for (a redraw for the same one is skipped unless forced). */
  private lastDrawn: unknown = null;

  constructor(
    private readonly root: HTMLElement,
    private readonly ui: UiState,
    private readonly store: ProcessStore,
    private readonly detail: DetailView,
    /** What the threads in scope wait for: the IPC view's Waits layer draws it. */
    private readonly waits: WaitsStore,
    private readonly cb: SidePanelCallbacks,
  ) {}

  /** New elements (the panel is rebuilt when the language changes); returns the splitter and the tabs' side. */
  mount(): HTMLElement[] {
    const splitter = el('div', 'splitter');
    splitter.setAttribute('role', 'separator');
    splitter.setAttribute('aria-orientation', 'vertical');
    splitter.setAttribute('aria-label', t('layout.splitter'));
    splitter.tabIndex = 0;
    this.splitter = splitter;
    this.element = el('div', 'right');
    // Shown narrowed to the window, the saved width kept for a wider one.
    this.showDetailWidth();
    this.installSplitter(splitter);
    if (!this.resizeListening) {
      // Once for the page (mount runs again when the language changes): a window made narrower than the saved
      // width shows the pane narrower, and the saved width comes back when there is room again.
      this.resizeListening = true;
      window.addEventListener('resize', () => this.showDetailWidth());
    }

    this.tabs = custom('vscode-tabs', 'tabs') as HTMLElement & { selectedIndex: number };
    const headers: MessageKey[] = ['tab.details', 'tab.history', 'tab.ipc', 'tab.timeline'];
    for (const h of headers) {
      const header = custom('vscode-tab-header', '', t(h));
      header.setAttribute('slot', 'header');
      header.dataset.tab = h;
      this.tabs.append(header);
    }
    const detailElement = this.detail.mount();
    this.historyBox = el('div', 'history-pane');
    this.ipcView = new IpcView(
      {
        selectPid: (pid) => this.cb.selectPid(pid),
        processName: (pid) => this.store.byPid.get(pid)?.name ?? '?',
        scopeChanged: (s) => {
          this.ui.ipcScope = s;
          this.cb.persist();
        },
        maximizeChanged: () => this.render(true),
        portable: () => this.store.backend === 'portable',
      },
      this.ui.ipcScope,
    );
    this.ipcView.setWaits(this.waits);
    this.timeline = new TimelineView(this.cb.timeline);
    this.timeline.setPast(this.ui.pastAt);
    for (const content of [detailElement, this.historyBox, this.ipcView.element, this.timeline.element]) {
      const panel = custom('vscode-tab-panel');
      panel.append(content);
      this.tabs.append(panel);
    }
    this.tabs.selectedIndex = this.ui.tab;
    this.tabs.addEventListener('vsc-tabs-select', (e) => {
      this.ui.tab = (e as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex;
      this.cb.persist();
      this.render(true);
    });
    this.element.append(this.tabs);
    return [splitter, this.element];
  }

  /** A new wait overview arrived (the store already holds it). */
  waitsChanged(): void {
    this.ipcView.setWaits(this.waits);
  }

  setIpcMap(map: IpcMap | null): void {
    this.ipcMap = map;
    this.ipcView.setMap(map);
    // Open files name sockets' endpoints from this scan.
    if (this.ui.tab === TAB_DETAILS && this.detail.hasDetail) this.detail.render();
  }

  /** While rewound: which scan the IPC view shows, or why none (null when live). */
  setIpcPastNote(text: string | null): void {
    this.ipcView.setPastNote(text);
  }

  /** The selection moved: the next render draws the shown tab even if the process object is the same. */
  forgetDrawn(): void {
    this.lastDrawn = null;
  }

  /** Redraws the visible side tab. `force`: also when the selected process did not change. */
  render(force: boolean): void {
    const tab = this.ui.tab;
    const p = this.ui.selectedKey ? this.store.get(this.ui.selectedKey) : undefined;
    this.cb.ipcNeed(tab === TAB_IPC ? 'live' : tab === TAB_DETAILS && p ? 'details' : 'none');
    // (The workspace pid set walks every process: only worth it while the IPC tab shows.)
    if (tab === TAB_IPC) this.ipcView.setContext(p?.pid ?? null, this.workspacePids());
    this.ipcView.show(tab === TAB_IPC);
    if (tab === TAB_TIMELINE) {
      if (force || this.lastDrawn !== 'timeline') this.timeline.show(true);
    } else this.timeline.show(false);
    // A maximized graph gives the panel back when another tab is chosen.
    if (tab !== TAB_IPC && this.ipcView.maximized) this.ipcView.setMaximized(false);
    this.root.classList.toggle('ipc-maximized', tab === TAB_IPC && this.ipcView.maximized);
    this.detail.setActive(p ? { pid: p.pid, key: p.key } : null, tab === TAB_DETAILS);
    if (tab === TAB_DETAILS) {
      if (!force && p === this.lastDrawn) return;
      this.lastDrawn = p;
      this.detail.render();
    } else if (tab === TAB_HISTORY) {
      if (!force && p === this.lastDrawn) return;
      this.lastDrawn = p;
      renderHistory(
        this.historyBox,
        this.ui.selectedKey ? this.store.history.get(this.ui.selectedKey) : undefined,
        this.store.backend === 'portable',
      );
    } else {
      this.lastDrawn = tab === TAB_TIMELINE ? 'timeline' : null;
    }
  }

  private splitter: HTMLElement | undefined;
  private resizeListening = false;

  private workspacePids(): Set<number> {
    // Members and their descendants.
    if (this.store.workspace.length === 0) return new Set<number>();
    const tree = buildProcessTree(this.store.byKey.values(), { byPid: this.store.byPid });
    return descendantPids(
      tree,
      this.store.workspace.map((m) => m.pid),
    );
  }

  /** The widest the detail pane may be: the list keeps its 200 px, the splitter its 4 and the border 1. */
  private maxDetailWidth(): number {
    return Math.max(MIN_DETAIL_WIDTH, window.innerWidth - 205);
  }

  /** A width within what the pane may take now. */
  private clampDetailWidth(width: number): number {
    return Math.min(Math.max(MIN_DETAIL_WIDTH, width), this.maxDetailWidth());
  }

  /** Sets the user's width (dragged or keyed), within what the window allows, and shows it. */
  private applyDetailWidth(width: number): void {
    this.ui.detailWidth = Math.round(this.clampDetailWidth(width));
    this.showDetailWidth();
  }

  /** The width shown now (the saved width may be wider than the window allows). */
  private shownDetailWidth(): number {
    return this.clampDetailWidth(this.ui.detailWidth);
  }

  /** Shows the user's width, narrowed to the window now without changing the saved width. */
  private showDetailWidth(): void {
    const shown = this.shownDetailWidth();
    this.element.style.width = `${shown}px`;
    this.splitter?.setAttribute('aria-valuemin', String(MIN_DETAIL_WIDTH));
    this.splitter?.setAttribute('aria-valuemax', String(Math.round(this.maxDetailWidth())));
    this.splitter?.setAttribute('aria-valuenow', String(Math.round(shown)));
  }

  private installSplitter(splitter: HTMLElement): void {
    let startX = 0;
    let startWidth = 0;
    const move = (e: PointerEvent): void => this.applyDetailWidth(startWidth - (e.clientX - startX));
    const up = (e: PointerEvent): void => {
      splitter.releasePointerCapture(e.pointerId);
      splitter.removeEventListener('pointermove', move);
      splitter.removeEventListener('pointerup', up);
      this.cb.persist();
    };
    splitter.addEventListener('pointerdown', (e) => {
      startX = e.clientX;
      // From the width on screen, not the saved one (wider than this window allows, it would not move at first).
      startWidth = this.shownDetailWidth();
      splitter.setPointerCapture(e.pointerId);
      splitter.addEventListener('pointermove', move);
      splitter.addEventListener('pointerup', up);
    });
    splitter.addEventListener('keydown', (e) => {
      if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
      this.applyDetailWidth(this.shownDetailWidth() + (e.key === 'ArrowLeft' ? 20 : -20));
      this.cb.persist();
      e.preventDefault();
    });
  }
}
