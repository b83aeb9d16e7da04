// What the user chose in the panel (selection, open rows, filter, sort, scope, layout): one object every part
// reads, and its saved form (VS Code's getState/setState keeps it across hide/show and reloads).
import type { Scope, ViewSettings } from '../src/protocol';
import type { ProcessKey } from '../src/core/model';
import { COLUMNS, DEFAULT_COLUMNS, type ColumnWidths } from './columns';
import type { IpcScope } from './ipcView';
import type { SortSpec } from './rows';
import { MAX_RECENT } from './filterQuery';

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
  /** The machine summary above the list is open (absent: folded to one line). */
  readonly summaryOpen?: boolean;
  /** Column widths the user dragged (absent: the default widths). */
  readonly columnWidths?: ColumnWidths;
  /** The columns the user chose to see (absent: the default columns). */
  readonly columns?: readonly string[];
  /** The filter's recent queries, newest first (absent: none yet). */
  readonly recentFilters?: readonly string[];
  /** A recording panel's restore id (RecordingInfo.restoreId): what a window reload gives back to the host. */
  readonly recording?: string;
}

export const DEFAULT_SORT: SortSpec = { column: 'pid', descending: false };

/** The side tabs, in order (`tab` is an index into this). */
export const TAB_DETAILS = 0;
export const TAB_HISTORY = 1;
export const TAB_IPC = 2;
export const TAB_TIMELINE = 3;

export class UiState {
  settings: ViewSettings = { refreshMs: 1000, ipcRefreshMs: 5000, showThreads: true, showKernelThreads: false, scope: 'all', locale: 'en' };
  selectedKey: ProcessKey | null = null;
  /** The saved row id, until that row is shown again after a reload (then it is selected). */
  restoredSelectedId: string | null = null;
  collapsed = new Set<ProcessKey>();
  threadsOpen = new Set<ProcessKey>();
  filter = '';
  /** Why each process the filter's look-up terms found was found; null while none answered (not kept). */
  found: ReadonlyMap<ProcessKey, string> | null = null;
  /** The filter's recent queries (used ones: committed with Enter or after a pause), newest first. */
  recentFilters: readonly string[] = [];
  states = new Set<string>();
  sort: SortSpec = DEFAULT_SORT;
  scope: Scope = 'all';
  flat = false;
  summaryOpen = false;
  /** The tick the tree shows while rewound (null: live); not kept across reloads. */
  pastAt: number | null = null;
  /** Left a past table: live deltas wait for the newest whole table. */
  resyncing = false;
  columns: readonly string[] = DEFAULT_COLUMNS;
  columnWidths: ColumnWidths = {};
  detailWidth = 420;
  tab = TAB_DETAILS;
  ipcScope: IpcScope = 'selection';
  readonly closedSections = new Set<string>();
  /** When the view was paused (the data time then), or null while it follows the data. */
  pausedAt: number | null = null;

  get paused(): boolean {
    return this.pausedAt !== null;
  }

  /** A filter text or a state chip narrows the rows. */
  get filtering(): boolean {
    return this.filter !== '' || this.states.size > 0;
  }

  /** Takes what a saved state holds; a field it lacks, or one this version does not know, keeps its default. */
  restore(s: Partial<PersistedState>): void {
    this.selectedKey = s.selectedKey ?? null;
    this.collapsed = new Set(s.collapsed ?? []);
    this.threadsOpen = new Set(s.threadsOpen ?? []);
    this.filter = s.filter ?? '';
    if (Array.isArray(s.recentFilters)) {
      this.recentFilters = s.recentFilters.filter((q): q is string => typeof q === 'string' && q.trim() !== '').slice(0, MAX_RECENT);
    }
    this.states = new Set(s.states ?? []);
    if (s.sort && COLUMNS.some((c) => c.column === s.sort!.column)) this.sort = s.sort;
    if (Array.isArray(s.columns)) this.columns = s.columns.filter((c): c is string => typeof c === 'string');
    if (s.scope) this.scope = s.scope;
    if (typeof s.detailWidth === 'number') this.detailWidth = s.detailWidth;
    if (typeof s.tab === 'number') this.tab = s.tab;
    if (s.ipcScope) this.ipcScope = s.ipcScope;
    for (const id of s.closedSections ?? []) this.closedSections.add(id);
    if (s.columnWidths && typeof s.columnWidths === 'object') this.columnWidths = s.columnWidths;
    this.flat = s.flat === true;
    this.summaryOpen = s.summaryOpen === true;
    this.restoredSelectedId = s.selectedId ?? null;
  }

  /** The saved form; `selectedId` is the list's selected row (a thread row can be selected, not only a process). */
  toPersisted(selectedId: string | null): PersistedState {
    return {
      selectedId,
      selectedKey: this.selectedKey,
      collapsed: [...this.collapsed],
      threadsOpen: [...this.threadsOpen],
      filter: this.filter,
      recentFilters: this.recentFilters,
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
      summaryOpen: this.summaryOpen,
    };
  }

  /** Clicking a header sorts by it; again, the other way. Numbers start largest first (what a user looks for). */
  toggleSort(column: SortSpec['column']): void {
    const numeric =
      column === 'cpu' || column === 'rss' || column === 'threads' || column === 'mem' || column === 'time' || column === 'virt';
    this.sort = this.sort.column === column ? { column, descending: !this.sort.descending } : { column, descending: numeric };
  }
}
