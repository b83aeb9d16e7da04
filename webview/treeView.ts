// The process list's wiring: the rows built from the store and the UI state, the Hierarchy that draws
// them, and what the user does to them (open, sort, choose columns, reveal a process).
import type { ProcessInfo, ProcessKey } from '../src/core/model';
import { isParentOf } from '../src/shared/processTree';
import type { SignalTarget } from '../src/protocol';
import { DebugThreadNames } from './debugThreads';
import { Hierarchy } from './hierarchy';
import { buildFlatRows, buildRows, type Row, type SortColumn } from './rows';
import { indexRows, patchRows } from './rowPatch';
import type { ProcessStore } from './store';
import { DEFAULT_SORT, type UiState } from './uiState';
import { WaitsStore } from './waitsOverview';
import type { WaitsOverview } from '../src/protocol';

export interface TreeCallbacks {
  /** Rows, counts, notices and the side tab follow a change of what is shown. */
  refresh(): void;
  persist(): void;
  select(row: Row): void;
  contextMenu(row: Row, x: number, y: number): void;
  /** The Delete key: SIGTERM to the selected process (or processes). */
  deleteKey(row: Row): void;
  openColumns(x: number, y: number): void;
  /** Revealing a kernel thread turns kernel threads on. */
  showKernelThreads(): void;
  /** Revealing a process the filter hides clears the filter text and the state chips. */
  clearFilter(): void;
  /** Revealing a process outside the workspace scope widens it. */
  showAllScope(): void;
}

export class TreeView {
  hierarchy: Hierarchy | undefined;
  rows: readonly Row[] = [];
  /** Process key → index in `rows`, built on the first patch after the rows were rebuilt. */
  private rowIndexByKey: Map<ProcessKey, number> | null = null;
  /** Debuggee pid → OS tid → the debugger's name for that thread (only pairings the host marked certain). */
  readonly debugThreads = new DebugThreadNames();
  /** What the threads in scope wait for (the "Waiting for" column), from the host's look after each IPC scan. */
  readonly waits = new WaitsStore();

  constructor(
    private readonly ui: UiState,
    private readonly store: ProcessStore,
    private readonly cb: TreeCallbacks,
  ) {}

  /** The list (a new one: the panel is rebuilt when the language changes). */
  mount(): Hierarchy {
    const h = new Hierarchy({
      select: (row) => this.cb.select(row),
      toggleChildren: (row, expand) => this.setExpanded(row.key, expand),
      toggleThreads: (row, open) => this.setThreadsOpen(row.key, open),
      contextMenu: (row, x, y) => this.cb.contextMenu(row, x, y),
      activate: (row) => {
        if (row.kind === 'process' && row.hasChildren) this.setExpanded(row.key, !row.expanded);
        else if (row.kind === 'process' && row.proc.numThreads > 1) this.setThreadsOpen(row.key, !row.threadsOpen);
      },
      sort: (column) => this.setSort(column),
      mark: (key) => (this.store.isExited(key) ? 'exited' : this.store.added.has(key) ? 'new' : null),
      deleteKey: (row) => this.cb.deleteKey(row),
      debugThreadName: (pid, tid) => this.debugThreads.get(pid, tid),
      waitOfProcess: (key) => this.waits.forProcess(key),
      waitOfThread: (key, tid) => this.waits.forThread(key, tid),
      columnsResized: (widths) => {
        this.ui.columnWidths = widths;
        this.cb.persist();
      },
      headerMenu: (x, y) => this.cb.openColumns(x, y),
      memTotal: () => this.store.system?.memTotal ?? null,
      now: () => this.store.timestamp || Date.now(),
    });
    h.setColumnWidths(this.ui.columnWidths);
    h.setVisibleColumns(this.ui.columns);
    h.renderHeader(this.ui.sort);
    this.hierarchy = h;
    return h;
  }

  /** The "Waiting for" cells follow a new overview (the rows themselves did not change). */
  setWaits(overview: WaitsOverview): void {
    this.waits.set(overview);
    this.hierarchy?.redraw();
  }

  /**
   * Rebuilds the visible rows and draws them, keeping the selection: by row id, else (a thread row that went
   * away) the row of the selected process. True when the selection saved before a reload was found again.
   */
  rebuild(): boolean {
    const h = this.hierarchy!;
    const ui = this.ui;
    this.rows = (ui.flat ? buildFlatRows : buildRows)(this.store.all(), this.store.byPid, {
      collapsed: ui.collapsed,
      threadsOpen: ui.threadsOpen,
      filter: ui.filter,
      states: ui.states,
      sort: ui.sort,
      showKernelThreads: ui.settings.showKernelThreads,
      showThreads: ui.settings.showThreads,
      scope: ui.scope,
      workspace: this.store.workspaceByPid,
      found: ui.found,
    });
    this.rowIndexByKey = null;
    h.selectedId = h.selectedId ?? ui.restoredSelectedId;
    h.setRows(this.rows);
    const selectedId = h.selectedId;
    if (selectedId && ui.selectedKey && h.indexOf(selectedId) === undefined && h.indexOf(`p${ui.selectedKey}`) !== undefined) {
      h.select(`p${ui.selectedKey}`, false);
    }
    if (ui.restoredSelectedId && h.indexOf(ui.restoredSelectedId) !== undefined) {
      ui.restoredSelectedId = null;
      h.select(h.selectedId, false);
      return true;
    }
    return false;
  }

  /** Points the rows of these processes at their latest info (the delta moved no row: see canPatchRows). */
  patch(keys: readonly ProcessKey[]): void {
    // Touch only the changed processes' rows, found through an index built once per row list, not all 10,000.
    this.rowIndexByKey ??= indexRows(this.rows);
    this.rows = patchRows(this.rows, this.rowIndexByKey, keys, (key) => this.store.get(key));
    this.hierarchy!.patchRows(this.rows);
  }

  setDebugThreads(pid: unknown, threads: unknown): void {
    if (this.debugThreads.apply(pid, threads)) this.hierarchy?.redraw();
  }

  private setExpanded(key: ProcessKey, expand: boolean): void {
    if (expand) this.ui.collapsed.delete(key);
    else this.ui.collapsed.add(key);
    this.cb.refresh();
    this.cb.persist();
  }

  private setThreadsOpen(key: ProcessKey, open: boolean): void {
    if (open) this.ui.threadsOpen.add(key);
    else this.ui.threadsOpen.delete(key);
    this.cb.refresh();
    this.cb.persist();
  }

  private setSort(column: SortColumn): void {
    this.ui.toggleSort(column);
    this.hierarchy!.renderHeader(this.ui.sort);
    this.cb.refresh();
    this.cb.persist();
  }

  /** The column chooser's choice; sorting by a column no longer shown would order rows by something unseen. */
  setColumns(columns: readonly string[]): void {
    const h = this.hierarchy!;
    h.setVisibleColumns(columns);
    this.ui.columns = h.visibleColumns;
    if (!this.ui.columns.includes(this.ui.sort.column)) {
      this.ui.sort = DEFAULT_SORT;
      h.renderHeader(this.ui.sort);
      this.cb.refresh();
    }
    this.cb.persist();
  }

  /** Selects a process by pid (a link in the IPC view or the waits section), revealing its row. */
  selectPid(pid: number): void {
    const p = this.store.byPid.get(pid);
    if (!p) return;
    this.revealKey(p.key);
    const row = this.rows.find((r) => r.id === `p${p.key}`);
    if (row) this.hierarchy!.select(row.id);
  }

  /** Makes a process row visible: opens its collapsed ancestors, widens the scope and clears a hiding filter. */
  private revealKey(key: ProcessKey): void {
    let p = this.store.get(key);
    if (!p || this.isShown(key)) return;
    if (p.kernelThread && !this.ui.settings.showKernelThreads) this.cb.showKernelThreads();
    const seen = new Set<number>();
    while (p && !seen.has(p.pid)) {
      seen.add(p.pid);
      const up = this.store.byPid.get(p.ppid);
      // A process that took a dead parent's pid is not an ancestor to open.
      const parent: ProcessInfo | undefined = up && isParentOf(up, p) ? up : undefined;
      if (parent) this.ui.collapsed.delete(parent.key);
      p = parent;
    }
    this.cb.refresh();
    if (!this.isShown(key)) {
      this.cb.clearFilter();
      if (this.ui.scope === 'workspace') this.cb.showAllScope();
      this.cb.refresh();
    }
  }

  private isShown(key: ProcessKey): boolean {
    return this.rows.some((r) => r.id === `p${key}`);
  }

  /** The selected processes, once each (a selected thread row stands for its process), in display order. */
  selectedTargets(): SignalTarget[] {
    const seen = new Set<ProcessKey>();
    const out: SignalTarget[] = [];
    for (const r of this.hierarchy!.selectedRows()) {
      if (seen.has(r.key) || this.store.isExited(r.key)) continue;
      seen.add(r.key);
      out.push({ pid: r.proc.pid, key: r.key });
    }
    return out;
  }
}
