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

/** Bounds on what a saved state may hold (longer strings and lists than the page ever writes are dropped). */
const KEY_MAX = 64;
const FILTER_MAX = 4096;
const MAX_SAVED_ITEMS = 100_000;

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
  restore(saved: unknown): void {
    // Whatever VS Code hands back is what an earlier page saved, perhaps an older version with other shapes,
    // perhaps damaged: each field is taken only when it has the shape this version writes.
    if (typeof saved !== 'object' || saved === null) return;
    const s = saved as Record<string, unknown>;
    const text = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;
    const texts = (v: unknown, max: number): string[] =>
      Array.isArray(v) ? v.filter((x): x is string => text(x, max)).slice(0, MAX_SAVED_ITEMS) : [];
    const count = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
    this.selectedKey = text(s.selectedKey, KEY_MAX) ? s.selectedKey : null;
    this.collapsed = new Set(texts(s.collapsed, KEY_MAX));
    this.threadsOpen = new Set(texts(s.threadsOpen, KEY_MAX));
    this.filter = text(s.filter, FILTER_MAX) ? s.filter : '';
    this.recentFilters = texts(s.recentFilters, FILTER_MAX)
      .filter((q) => q.trim() !== '')
      .slice(0, MAX_RECENT);
    this.states = new Set(texts(s.states, 8));
    const sort = s.sort as Partial<SortSpec> | null | undefined;
    if (typeof sort === 'object' && sort !== null && COLUMNS.some((c) => c.column === sort.column))
      this.sort = { column: sort.column!, descending: sort.descending === true };
    if (Array.isArray(s.columns)) this.columns = texts(s.columns, 64);
    if (s.scope === 'all' || s.scope === 'workspace') this.scope = s.scope;
    if (count(s.detailWidth)) this.detailWidth = Math.min(4096, Math.max(0, s.detailWidth));
    if (count(s.tab) && Number.isInteger(s.tab) && s.tab >= TAB_DETAILS && s.tab <= TAB_TIMELINE) this.tab = s.tab;
    if (s.ipcScope === 'selection' || s.ipcScope === 'workspace' || s.ipcScope === 'all') this.ipcScope = s.ipcScope;
    for (const id of texts(s.closedSections, 64)) this.closedSections.add(id);
    if (typeof s.columnWidths === 'object' && s.columnWidths !== null && !Array.isArray(s.columnWidths)) {
      const widths: Record<string, number> = {};
      for (const { column } of COLUMNS) {
        const w = (s.columnWidths as Record<string, unknown>)[column];
        if (count(w) && w > 0) widths[column] = Math.min(4096, w);
      }
      this.columnWidths = widths;
    }
    this.flat = s.flat === true;
    this.summaryOpen = s.summaryOpen === true;
    this.restoredSelectedId = text(s.selectedId, KEY_MAX) ? s.selectedId : null;
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
