// The process tree-table: a sortable header over a virtual list of rows (ARIA treegrid).
import { el, icon, setText, setOsText, visible, formatBytes, formatPercent } from './dom';
import { getLocale, t, type MessageKey } from './i18n';
import type { Row, SortColumn, SortSpec } from './rows';
import { commandLine } from './rows';
import { VirtualList } from './virtualList';
import type { DebugThreadName } from '../src/protocol';
import type { ProcessKey } from '../src/core/model';
import type { WaitCell } from './waitsOverview';
import { TITLED_STATES } from '../src/shared/stateText';

const isTitled = (state: string): boolean => (TITLED_STATES as readonly string[]).includes(state);

export const ROW_HEIGHT = 22;
/**
 * Levels of indentation drawn at most; deeper rows stay at the last indent and show their depth as a number.
 * The cap also shrinks with the name column so the indent takes at most about half of it.
 */
export const INDENT_CAP = 12;
const INDENT_STEP = 14;
const INDENT_SHARE = 0.5;
/** Below this many levels the indent never stops (an ordinary tree never shows depth numbers). */
const INDENT_CAP_MIN = 6;
/** Rows after a vanished anchor tried in turn as the new anchor (so a mass exit still holds the view). */
const ANCHOR_FALLBACK = 64;

export interface HierarchyCallbacks {
  select(row: Row): void;
  toggleChildren(row: Row, expand: boolean): void;
  toggleThreads(row: Row, open: boolean): void;
  contextMenu(row: Row, x: number, y: number): void;
  activate(row: Row): void;
  sort(column: SortColumn): void;
  /** 'new' | 'exited' | null for a process key. */
  mark(key: string): 'new' | 'exited' | null;
  deleteKey(row: Row): void;
  /** The debugger's name for an OS thread, where the pairing is certain (see DebugThreadsMessage). */
  debugThreadName(pid: number, tid: number): DebugThreadName | undefined;
  /** The user resized a column (widths in px by column; a column absent takes its default width). */
  columnsResized?(widths: ColumnWidths): void;
  /** The header's context menu: where to open the column chooser. */
  headerMenu?(x: number, y: number): void;
  /** Total memory of the machine in bytes (MEM%'s denominator), null where the backend does not know it. */
  memTotal(): number | null;
  /** What a process row's threads wait for ("Waiting for" column); undefined: nothing known. */
  waitOfProcess?(key: ProcessKey): WaitCell | undefined;
  /** What one thread waits for. */
  waitOfThread?(key: ProcessKey, tid: number): WaitCell | undefined;
  /** The data's time (START shows a clock time for processes started within a day of it). */
  now(): number;
}

export type ColumnWidths = Partial<Record<SortColumn, number>>;

/**
 * Default width of each column and how it shares spare room (grow > 0: a flexible track). A narrow panel
 * drops columns (command line and user first, then Waiting for, then CPU% and RSS) rather than letting the grid run under
 * the detail pane; the name column may then shrink to `narrowName`. Threads stays: its cell holds the button
 * that opens the thread rows.
 */
const COLUMN_SPEC: Record<SortColumn, { readonly base: number; readonly grow: number }> = {
  name: { base: 160, grow: 3 }, pid: { base: 64, grow: 0 }, state: { base: 44, grow: 0 }, cpu: { base: 54, grow: 0 },
  rss: { base: 72, grow: 0 }, threads: { base: 64, grow: 0 }, user: { base: 56, grow: 0.7 }, cmd: { base: 100, grow: 3 },
  mem: { base: 54, grow: 0 }, time: { base: 76, grow: 0 }, virt: { base: 72, grow: 0 }, nice: { base: 36, grow: 0 },
  pri: { base: 36, grow: 0 }, start: { base: 92, grow: 0 }, wait: { base: 120, grow: 0 },
};
// Each level drops more; the last level's list is what a very narrow panel keeps hidden.
const DROP_LEVELS: readonly (readonly SortColumn[])[] = [
  [],
  ['user', 'cmd'],
  ['user', 'cmd', 'wait'],
  ['user', 'cmd', 'wait', 'start', 'virt', 'pri', 'nice'],
  ['user', 'cmd', 'start', 'virt', 'pri', 'nice', 'wait', 'time', 'mem', 'cpu', 'rss'],
];
// While "Waiting for" shows, the name keeps room for a nested row's indent and a readable name (200 px);
// below that the wait column goes before the name gets narrower.
const NAME_BASE_AT_LEVEL = [160, 200, 120, 100, 90];
/** Room a header needs beside its label: cell padding (4 + 6) and a little air; the sorted one also its arrow. */
const HEADER_CHROME = 12;
const SORT_ARROW = 18;
const MIN_COLUMN = 28;

interface Cells {
  name: HTMLElement;
  twistie: HTMLElement;
  depth: HTMLElement;
  nameText: HTMLElement;
  label: HTMLElement;
  pid: HTMLElement;
  state: HTMLElement;
  cpu: HTMLElement;
  rss: HTMLElement;
  threads: HTMLElement;
  user: HTMLElement;
  cmd: HTMLElement;
  mem: HTMLElement;
  time: HTMLElement;
  virt: HTMLElement;
  nice: HTMLElement;
  pri: HTMLElement;
  start: HTMLElement;
  wait: HTMLElement;
}

/** Every column in display order; `hint` is the header tooltip that says what a terse label means. */
export const COLUMNS: readonly { column: SortColumn; key: MessageKey; hint: MessageKey; cls: string }[] = [
  { column: 'name', key: 'col.name', hint: 'col.name', cls: 'c-name' },
  { column: 'pid', key: 'col.pid', hint: 'col.pid', cls: 'c-pid' },
  { column: 'state', key: 'col.state', hint: 'col.state', cls: 'c-state' },
  { column: 'wait', key: 'col.wait', hint: 'col.waitHint', cls: 'c-wait' },
  { column: 'cpu', key: 'col.cpu', hint: 'col.cpu', cls: 'c-cpu' },
  { column: 'mem', key: 'col.mem', hint: 'col.memHint', cls: 'c-mem' },
  { column: 'rss', key: 'col.rss', hint: 'col.rss', cls: 'c-rss' },
  { column: 'virt', key: 'col.virt', hint: 'col.virtHint', cls: 'c-virt' },
  { column: 'time', key: 'col.time', hint: 'col.timeHint', cls: 'c-time' },
  { column: 'nice', key: 'col.nice', hint: 'col.niceHint', cls: 'c-nice' },
  { column: 'pri', key: 'col.pri', hint: 'col.priHint', cls: 'c-pri' },
  { column: 'start', key: 'col.start', hint: 'col.startHint', cls: 'c-start' },
  { column: 'threads', key: 'col.threads', hint: 'col.threads', cls: 'c-threads' },
  { column: 'user', key: 'col.user', hint: 'col.user', cls: 'c-user' },
  { column: 'cmd', key: 'col.cmd', hint: 'col.cmd', cls: 'c-cmd' },
];
/** The columns shown until the user chooses: the ones the panel always had. */
export const DEFAULT_COLUMNS: readonly SortColumn[] = ['name', 'pid', 'state', 'wait', 'cpu', 'rss', 'threads', 'user', 'cmd'];
/** Columns whose header does not sort. */
const UNSORTABLE: ReadonlySet<SortColumn> = new Set(['wait']);
/** Columns that cannot be hidden: the name holds the tree, the threads cell the button that opens thread rows. */
export const FIXED_COLUMNS: readonly SortColumn[] = ['name', 'threads'];

/** TIME+ as htop prints it under an hour (m:ss.cc, hundredths), then as ps does (h:mm:ss, then d-hh:mm:ss). */
export function formatCpuTime(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  const hundredths = Math.floor(ms / 10);
  const total = Math.floor(hundredths / 100);
  const two = (n: number): string => String(n).padStart(2, '0');
  const s = total % 60;
  const m = Math.floor(total / 60) % 60;
  const h = Math.floor(total / 3600);
  if (h === 0) return `${Math.floor(total / 60)}:${two(s)}.${two(hundredths % 100)}`;
  if (h < 24) return `${h}:${two(m)}:${two(s)}`;
  return `${Math.floor(h / 24)}-${two(h % 24)}:${two(m)}:${two(s)}`;
}

/** START: the local clock time for a process started within a day of `now`, else its local date. */
export function formatStart(startMs: number, now: number): string {
  if (!Number.isFinite(startMs) || startMs <= 0) return '–';
  const d = new Date(startMs);
  const two = (n: number): string => String(n).padStart(2, '0');
  if (now - startMs < 86_400_000) return `${two(d.getHours())}:${two(d.getMinutes())}`;
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

/** MEM%: resident memory over the machine's total, as top and htop show it. */
export function memPercent(rss: number, memTotal: number | null): number | null {
  return memTotal && memTotal > 0 ? (rss / memTotal) * 100 : null;
}

export class Hierarchy {
  readonly element: HTMLElement;
  readonly viewport: HTMLElement;
  private readonly header: HTMLElement;
  private readonly list: VirtualList<Row>;
  private readonly cells = new WeakMap<HTMLElement, Cells>();
  private readonly rowOf = new WeakMap<HTMLElement, Row>();
  /** What each threads cell currently shows (so a redraw rebuilds its button only when that changed). */
  private readonly threadsShown = new WeakMap<HTMLElement, string>();
  private rows: readonly Row[] = [];
  private indexById = new Map<string, number>();
  /** The focused row: the one the keyboard moves from and the detail pane shows (the last one chosen). */
  selectedId: string | null = null;
  /** Every selected row (Ctrl/Cmd-click, Shift-click, Space); holds the focused row unless it was toggled off. */
  private selection = new Set<string>();
  /** Where a Shift-click or Shift+arrow range starts. */
  private anchorId: string | null = null;
  /** Widths the user dragged, and the width each header's label needs (measured once it is laid out). */
  private widths: ColumnWidths = {};
  private labelMin: ColumnWidths = {};
  /** The columns the user chose to see (the layout may still drop some when the panel is narrow). */
  private chosen = new Set<SortColumn>(DEFAULT_COLUMNS);
  private layoutSignature = '';
  private indentCap = INDENT_CAP;

  constructor(private readonly cb: HierarchyCallbacks) {
    this.element = el('div', 'hierarchy');
    this.header = el('div', 'grid-header');
    this.header.setAttribute('role', 'row');
    this.viewport = el('div', 'grid-viewport');
    this.viewport.id = 'process-grid';
    this.viewport.tabIndex = 0;
    this.viewport.setAttribute('role', 'treegrid');
    this.viewport.setAttribute('aria-multiselectable', 'true');
    // The header lives outside the scrolling viewport; aria-owns keeps it part of the grid for screen readers.
    this.header.id = 'process-grid-header';
    this.viewport.setAttribute('aria-owns', 'process-grid-header');
    this.element.append(this.header, this.viewport);
    this.list = new VirtualList<Row>(this.viewport, {
      rowHeight: ROW_HEIGHT,
      createRow: () => this.createRow(),
      renderRow: (element, row, index) => this.renderRow(element, row, index),
      releaseRow: (element) => {
        // A pooled row is display:none already; also keep it out of the accessibility tree and of text
        // queries (its cells would otherwise still hold a process that scrolled away).
        element.setAttribute('aria-hidden', 'true');
        element.removeAttribute('aria-selected');
        const c = this.cells.get(element);
        if (c) {
          for (const cell of [c.nameText, c.label, c.pid, c.cpu, c.rss, c.threads, c.user, c.cmd, c.depth, c.mem, c.time, c.virt, c.nice, c.pri, c.start]) cell.replaceChildren();
          c.depth.hidden = true;
          this.threadsShown.delete(c.threads);
          c.state.replaceChildren();
          c.nameText.title = '';
          c.cmd.title = '';
          c.user.title = '';
          c.label.title = '';
          c.start.title = '';
        }
        element.removeAttribute('id');
        delete element.dataset.rowId;
        delete element.dataset.key;
        delete element.dataset.parent;
        this.rowOf.delete(element);
      },
    });
    this.viewport.addEventListener('keydown', (e) => this.onKey(e));
    this.viewport.addEventListener('click', (e) => this.onClick(e));
    // Shift-click selects a range of rows, not the text between two clicks.
    this.viewport.addEventListener('mousedown', (e) => {
      if (e.shiftKey && this.rowFromEvent(e)) e.preventDefault();
    });
    this.viewport.addEventListener('dblclick', (e) => {
      const row = this.rowFromEvent(e);
      if (row) this.cb.activate(row);
    });
    this.viewport.addEventListener('contextmenu', (e) => {
      const row = this.rowFromEvent(e);
      if (!row) return;
      e.preventDefault();
      // A right-click inside a multi-selection acts on the selection; elsewhere it selects that row alone.
      if (this.selection.size > 1 && this.selection.has(row.id)) this.setFocus(row.id);
      else this.select(row.id);
      this.cb.contextMenu(row, e.clientX, e.clientY);
    });
    this.header.addEventListener('contextmenu', (e) => {
      if (!this.cb.headerMenu) return;
      e.preventDefault();
      this.cb.headerMenu(e.clientX, e.clientY);
    });
    this.header.addEventListener('click', (e) => {
      if ((e.target as HTMLElement).closest('.col-resizer')) return;
      const cell = (e.target as HTMLElement).closest<HTMLElement>('[data-column]');
      if (cell?.dataset.column && !UNSORTABLE.has(cell.dataset.column as SortColumn)) this.cb.sort(cell.dataset.column as SortColumn);
    });
    new ResizeObserver(() => this.layoutColumns()).observe(this.element);
  }

  /** Column widths restored from the saved UI state. */
  setColumnWidths(widths: ColumnWidths): void {
    this.widths = {};
    for (const c of Object.keys(COLUMN_SPEC) as SortColumn[]) {
      const w = widths[c];
      if (typeof w === 'number' && Number.isFinite(w) && w >= MIN_COLUMN && w <= 4000) this.widths[c] = Math.round(w);
    }
    this.layoutColumns();
  }

  get columnWidths(): ColumnWidths {
    return { ...this.widths };
  }

  /** The columns to show (unknown names are ignored; the fixed ones are always shown). */
  setVisibleColumns(columns: readonly string[]): void {
    const known = new Set<string>(COLUMNS.map((c) => c.column));
    this.chosen = new Set([...FIXED_COLUMNS, ...columns.filter((c): c is SortColumn => known.has(c))]);
    this.layoutSignature = '';
    this.layoutColumns();
  }

  get visibleColumns(): SortColumn[] {
    return COLUMNS.filter((c) => this.chosen.has(c.column)).map((c) => c.column);
  }

  /**
   * Sets the grid's tracks from the panel's width: every column at least as wide as its header label, the
   * user's dragged widths, and columns dropped (in DROP_LEVELS order) until the rest fit.
   */
  layoutColumns(): void {
    const width = this.element.clientWidth;
    if (width === 0) return;
    this.measureLabels();
    const need = (c: SortColumn, level: number): number => {
      const base = c === 'name' ? NAME_BASE_AT_LEVEL[level]! : COLUMN_SPEC[c].base;
      return Math.max(this.widths[c] ?? base, this.labelMin[c] ?? 0, MIN_COLUMN);
    };
    const hidden = (level: number): SortColumn[] => COLUMNS.map((c) => c.column).filter((c) => !this.chosen.has(c) || DROP_LEVELS[level]!.includes(c));
    let level = 0;
    for (; level < DROP_LEVELS.length - 1; level++) {
      const gone = hidden(level);
      const shown = COLUMNS.filter((c) => !gone.includes(c.column));
      if (shown.reduce((sum, c) => sum + need(c.column, level), 0) <= width) break;
    }
    const dropped = hidden(level);
    const shownColumns = COLUMNS.filter((c) => !dropped.includes(c.column)).map((c) => c.column);
    const last = shownColumns.at(-1);
    const flexible = (c: SortColumn): boolean => COLUMN_SPEC[c].grow > 0 && this.widths[c] === undefined;
    // The last column shown takes the spare room when the user sized it or when no other column is flexible
    // (no gap at the right, whichever columns were chosen).
    const lastGrows = last !== undefined && (this.widths[last] !== undefined || !shownColumns.some(flexible));
    const tracks = shownColumns.map((column) => {
      const w = need(column, level);
      const spec = COLUMN_SPEC[column];
      return flexible(column) || (column === last && lastGrows) ? `minmax(${w}px, ${spec.grow || 1}fr)` : `${w}px`;
    });
    const signature = `${tracks.join(' ')}|${dropped.join(',')}`;
    if (signature !== this.layoutSignature) {
      this.layoutSignature = signature;
      this.element.style.setProperty('--grid-columns', tracks.join(' '));
      for (const c of COLUMNS) this.element.classList.toggle(`drop-${c.column}`, dropped.includes(c.column));
    }
    const nameWidth = this.header.querySelector('.c-name')?.getBoundingClientRect().width ?? 0;
    const cap = nameWidth > 0 ? Math.max(INDENT_CAP_MIN, Math.min(INDENT_CAP, Math.floor((nameWidth * INDENT_SHARE - 4) / INDENT_STEP))) : INDENT_CAP;
    if (cap !== this.indentCap) {
      this.indentCap = cap;
      this.list.refresh();
    }
  }

  private measureLabels(): void {
    if (Object.keys(this.labelMin).length > 0) return;
    for (const text of this.header.querySelectorAll<HTMLElement>('.header-text')) {
      const column = (text.closest('[data-column]') as HTMLElement | null)?.dataset.column as SortColumn | undefined;
      // scrollWidth: the label's full width even while the cell still cuts it.
      const sorted = text.parentElement?.querySelector('.sort-icon') ? SORT_ARROW : 0;
      if (column && text.scrollWidth > 0) this.labelMin[column] = Math.ceil(text.scrollWidth) + HEADER_CHROME + sorted;
    }
  }

  private startResize(e: PointerEvent, column: SortColumn, cell: HTMLElement, grip: HTMLElement): void {
    e.preventDefault();
    e.stopPropagation();
    const startX = e.clientX;
    const startWidth = cell.getBoundingClientRect().width;
    const min = Math.max(this.labelMin[column] ?? 0, MIN_COLUMN);
    grip.setPointerCapture(e.pointerId);
    const move = (ev: PointerEvent): void => {
      this.widths[column] = Math.max(min, Math.round(startWidth + ev.clientX - startX));
      this.layoutColumns();
    };
    const up = (): void => {
      grip.removeEventListener('pointermove', move);
      grip.removeEventListener('pointerup', up);
      grip.removeEventListener('pointercancel', up);
      this.cb.columnsResized?.(this.columnWidths);
    };
    grip.addEventListener('pointermove', move);
    grip.addEventListener('pointerup', up);
    grip.addEventListener('pointercancel', up);
  }

  renderHeader(sort: SortSpec): void {
    this.header.replaceChildren();
    for (const c of COLUMNS) {
      const cell = el('div', `cell ${c.cls}`);
      cell.setAttribute('role', 'columnheader');
      cell.dataset.column = c.column;
      cell.title = t(c.hint);
      cell.append(el('span', 'header-text', t(c.key)));
      if (UNSORTABLE.has(c.column)) {
        cell.classList.add('unsortable');
      } else if (sort.column === c.column) {
        cell.setAttribute('aria-sort', sort.descending ? 'descending' : 'ascending');
        cell.append(icon(sort.descending ? 'arrow-small-down' : 'arrow-small-up', 'sort-icon'));
      } else {
        cell.setAttribute('aria-sort', 'none');
      }
      const grip = el('span', 'col-resizer');
      grip.setAttribute('aria-hidden', 'true');
      grip.title = t('col.resize');
      grip.addEventListener('pointerdown', (e) => this.startResize(e, c.column, cell, grip));
      // Double-click: back to the default width.
      grip.addEventListener('dblclick', (e) => {
        e.stopPropagation();
        delete this.widths[c.column];
        this.layoutColumns();
        this.cb.columnsResized?.(this.columnWidths);
      });
      cell.append(grip);
      this.header.append(cell);
    }
    // The labels (and the locale) may have changed: measure them again once laid out.
    this.labelMin = {};
    this.layoutSignature = '';
    this.layoutColumns();
  }

  setRows(rows: readonly Row[]): void {
    const anchor = this.anchor();
    const previous = this.rows;
    this.rows = rows;
    this.indexById = new Map(rows.map((r, i) => [r.id, i]));
    this.viewport.setAttribute('aria-rowcount', String(rows.length + 1));
    // Keep the anchor row where it was on screen, however many rows appeared or vanished above it.
    let scrollTop: number | undefined;
    if (anchor) {
      for (let i = anchor.index; i < Math.min(previous.length, anchor.index + ANCHOR_FALLBACK); i++) {
        const now = this.indexById.get(previous[i]!.id);
        if (now === undefined) continue;
        scrollTop = now * ROW_HEIGHT - anchor.offset - (i - anchor.index) * ROW_HEIGHT;
        break;
      }
    }
    // Rows that left the list (exited, filtered out, collapsed away) leave the selection.
    for (const id of this.selection) if (!this.indexById.has(id) && id !== this.selectedId) this.selection.delete(id);
    this.list.setItems(rows, scrollTop);
    this.updateActiveDescendant();
  }

  /**
   * The row the view holds still across a rebuild: the selected row while it is on screen, else the first
   * row in view; with its offset from the top of the viewport.
   */
  private anchor(): { index: number; offset: number } | null {
    if (this.rows.length === 0) return null;
    const top = this.viewport.scrollTop;
    const height = this.viewport.clientHeight;
    if (height === 0) return null;
    const selected = this.selectedId === null ? undefined : this.indexById.get(this.selectedId);
    if (selected !== undefined) {
      const offset = selected * ROW_HEIGHT - top;
      if (offset >= 0 && offset + ROW_HEIGHT <= height) return { index: selected, offset };
    }
    if (top === 0) return null; // at the top, the view stays at the top
    const first = Math.ceil(top / ROW_HEIGHT);
    return first < this.rows.length ? { index: first, offset: first * ROW_HEIGHT - top } : null;
  }

  /** Same rows (same ids, same order), newer values: redraws the visible rows without re-indexing. */
  patchRows(rows: readonly Row[]): void {
    this.rows = rows;
    this.list.patchItems(rows);
  }

  /** Redraws the rows in view (their data did not change, something they show beside it did). */
  redraw(): void {
    this.list.refresh();
  }

  get rowCount(): number {
    return this.rows.length;
  }

  selectedRow(): Row | undefined {
    const i = this.selectedId === null ? undefined : this.indexById.get(this.selectedId);
    return i === undefined ? undefined : this.rows[i];
  }

  /** The selected rows in display order (one row, the focused one, when nothing else is selected). */
  selectedRows(): Row[] {
    const out: Row[] = [];
    for (const id of this.selection) {
      const i = this.indexById.get(id);
      if (i !== undefined) out.push(this.rows[i]!);
    }
    return out.sort((a, b) => this.indexById.get(a.id)! - this.indexById.get(b.id)!);
  }

  get selectionSize(): number {
    return this.selection.size;
  }

  /** Selects a row by id alone (the multi-selection goes) and scrolls it into view. */
  select(id: string | null, notify = true): void {
    this.selection = new Set(id === null ? [] : [id]);
    this.anchorId = id;
    this.setFocus(id, notify);
  }

  /** Ctrl/Cmd-click and Space: the row joins or leaves the selection and becomes the focused row. */
  toggleSelected(id: string): void {
    if (this.selection.has(id)) this.selection.delete(id);
    else this.selection.add(id);
    this.anchorId = id;
    this.setFocus(id);
  }

  /** Shift-click and Shift+arrows: the rows from the anchor to this one, inclusive, become the selection. */
  selectRange(id: string): void {
    const from = this.anchorId === null ? undefined : this.indexById.get(this.anchorId);
    const to = this.indexById.get(id);
    if (to === undefined) return;
    if (from === undefined) {
      this.select(id);
      return;
    }
    this.selection = new Set(this.rows.slice(Math.min(from, to), Math.max(from, to) + 1).map((r) => r.id));
    this.setFocus(id);
  }

  /** Moves the focus (and the detail pane) without changing which rows are selected. */
  private setFocus(id: string | null, notify = true): void {
    this.selectedId = id;
    const i = id === null ? undefined : this.indexById.get(id);
    if (i !== undefined) this.list.scrollToIndex(i);
    this.list.refresh();
    this.updateActiveDescendant();
    const row = i === undefined ? undefined : this.rows[i];
    if (notify && row) this.cb.select(row);
  }

  /** Scrolls the selected row into view (after the filter or scope changed around it). */
  revealSelected(): void {
    const i = this.selectedId === null ? undefined : this.indexById.get(this.selectedId);
    if (i !== undefined) this.list.scrollToIndex(i);
  }

  indexOf(id: string): number | undefined {
    return this.indexById.get(id);
  }

  focus(): void {
    this.viewport.focus();
  }

  private updateActiveDescendant(): void {
    const i = this.selectedId === null ? undefined : this.indexById.get(this.selectedId);
    const element = i === undefined ? undefined : this.list.rowElement(i);
    if (element) this.viewport.setAttribute('aria-activedescendant', element.id);
    else this.viewport.removeAttribute('aria-activedescendant');
  }

  private createRow(): HTMLElement {
    const row = el('div', 'row');
    row.setAttribute('role', 'row');
    const mk = (cls: string): HTMLElement => {
      const c = el('div', `cell ${cls}`);
      c.setAttribute('role', 'gridcell');
      row.append(c);
      return c;
    };
    const name = mk('c-name');
    const twistie = el('span', 'twistie codicon');
    twistie.setAttribute('aria-hidden', 'true');
    const depth = el('span', 'depth-mark');
    depth.hidden = true;
    const nameText = el('span', 'name-text');
    const label = el('span', 'ws-label');
    name.append(twistie, depth, nameText, label);
    const pid = mk('c-pid');
    const state = mk('c-state');
    // Cells in COLUMNS order (the grid places them by order).
    const wait = mk('c-wait');
    const cpu = mk('c-cpu');
    const mem = mk('c-mem');
    const rss = mk('c-rss');
    const virt = mk('c-virt');
    const time = mk('c-time');
    const nice = mk('c-nice');
    const pri = mk('c-pri');
    const start = mk('c-start');
    const threads = mk('c-threads');
    const user = mk('c-user');
    const cmd = mk('c-cmd');
    this.cells.set(row, { name, twistie, depth, nameText, label, pid, state, cpu, rss, threads, user, cmd, mem, time, virt, nice, pri, start, wait });
    return row;
  }

  private renderRow(element: HTMLElement, row: Row, index: number): void {
    const c = this.cells.get(element)!;
    setAttr(element, 'aria-hidden', null);
    this.rowOf.set(element, row);
    setAttr(element, 'id', `row-${index}`);
    setAttr(element, 'aria-rowindex', String(index + 2));
    setAttr(element, 'aria-level', String(row.level));
    setAttr(element, 'data-key', row.key);
    setAttr(element, 'data-row-id', row.id);
    setAttr(element, 'data-parent', row.parentId ?? '');
    const selected = this.selection.has(row.id);
    setAttr(element, 'aria-selected', selected ? 'true' : 'false');
    const p = row.proc;
    const mark = this.cb.mark(row.key);
    let cls = 'row';
    if (selected) cls += ' selected';
    if (row.id === this.selectedId && this.selection.size > 1) cls += ' focused';
    if (row.kind === 'thread') cls += ' thread-row';
    if (row.kind === 'process' && row.context) cls += ' context-row';
    if (mark === 'new') cls += ' is-new';
    if (mark === 'exited') cls += ' is-exited';
    if (p.kernelThread) cls += ' kernel';
    if (element.className !== cls) element.className = cls;
    // A very deep tree would push the name out of its column: the indent stops growing at INDENT_CAP and
    // the depth is written instead.
    const indent = `${Math.min(row.level - 1, this.indentCap) * INDENT_STEP + 4}px`;
    if (c.name.style.paddingLeft !== indent) c.name.style.paddingLeft = indent;
    const deep = row.level - 1 > this.indentCap;
    if (c.depth.hidden !== !deep) c.depth.hidden = !deep;
    setText(c.depth, deep ? String(row.level) : '');
    setAttr(c.depth, 'title', deep ? t('row.depth', row.level, this.indentCap) : null);

    if (row.kind === 'process') {
      if (row.hasChildren) {
        setAttr(element, 'aria-expanded', row.expanded ? 'true' : 'false');
        setAttr(c.twistie, 'class', `twistie codicon codicon-chevron-${row.expanded ? 'down' : 'right'}`);
      } else {
        setAttr(element, 'aria-expanded', null);
        setAttr(c.twistie, 'class', 'twistie');
      }
      setOsText(c.nameText, p.name);
      setAttr(c.nameText, 'title', visible(p.name));
      setOsText(c.label, row.member ? row.member.label : '');
      c.label.classList.remove('dap-label');
      setAttr(c.label, 'title', row.member ? visible(row.member.label) : '');
      if (c.label.hidden !== !row.member) c.label.hidden = !row.member;
      setText(c.pid, String(p.pid));
      this.renderState(c.state, p.state, p.leaderZombie ? t('row.leaderZombie') : null, p.leaderZombie === true);
      setText(c.cpu, formatPercent(p.cpuPercent));
      setText(c.rss, p.rss > 0 || !p.kernelThread ? formatBytes(p.rss) : '–');
      setText(c.mem, p.rss > 0 || !p.kernelThread ? formatPercent(memPercent(p.rss, this.cb.memTotal())) : '–');
      setText(c.virt, p.vsize > 0 || !p.kernelThread ? formatBytes(p.vsize) : '–');
      setText(c.time, formatCpuTime(p.utimeMs + p.stimeMs));
      setText(c.nice, String(p.nice));
      setText(c.pri, String(p.priority));
      setText(c.start, formatStart(p.startTime, this.cb.now()));
      setAttr(c.start, 'title', Number.isFinite(p.startTime) && p.startTime > 0 ? new Date(p.startTime).toLocaleString(getLocale()) : null);
      // Rebuilt only when what it shows changed (a new button per redraw was most of a row's DOM churn).
      const threadsSig = p.numThreads > 1 && row.threadsAllowed ? `${p.numThreads}:${row.threadsOpen ? 1 : 0}` : `n${p.numThreads}`;
      if (this.threadsShown.get(c.threads) !== threadsSig) {
        this.threadsShown.set(c.threads, threadsSig);
        c.threads.replaceChildren();
        if (p.numThreads > 1 && row.threadsAllowed) {
          const toggle = el('button', `threads-toggle${row.threadsOpen ? ' open' : ''}`);
          toggle.type = 'button';
          toggle.tabIndex = -1;
          toggle.dataset.action = 'threads';
          toggle.title = t('row.threadsToggle', p.numThreads);
          toggle.setAttribute('aria-label', t('row.threadsToggle', p.numThreads));
          toggle.setAttribute('aria-pressed', row.threadsOpen ? 'true' : 'false');
          toggle.append(icon(row.threadsOpen ? 'chevron-down' : 'chevron-right'), el('span', '', String(p.numThreads)));
          c.threads.append(toggle);
        } else {
          setText(c.threads, String(p.numThreads));
        }
      }
      const user = p.user ?? (p.uid === null ? '?' : String(p.uid));
      setOsText(c.user, user);
      setAttr(c.user, 'title', visible(user));
      const cmd = commandLine(p);
      setOsText(c.cmd, cmd);
      setAttr(c.cmd, 'title', visible(cmd));
      this.renderWait(c.wait, this.cb.waitOfProcess?.(row.key));
    } else {
      const th = row.thread;
      setAttr(element, 'aria-expanded', null);
      setAttr(c.twistie, 'class', 'twistie codicon codicon-debug-stackframe-dot');
      setOsText(c.nameText, th.name);
      setAttr(c.nameText, 'title', visible(th.name));
      // "worker 1 · DAP: Worker Thread" where the debug tracker is certain which DAP thread this LWP is.
      const dap = this.cb.debugThreadName(p.pid, th.tid);
      setText(c.label, dap ? `· ${t('row.dap', visible(dap.dapName))}` : '');
      setAttr(c.label, 'title', dap ? t(`row.dapWhy.${dap.reason}`, visible(dap.session), visible(dap.dapName)) : '');
      c.label.classList.toggle('dap-label', dap !== undefined);
      if (c.label.hidden !== !dap) c.label.hidden = !dap;
      setText(c.pid, String(th.tid));
      // The thread's own wait channel, where this poll read it: in the state's tooltip, not a new column.
      this.renderState(c.state, th.state, typeof th.wchan === 'string' ? t('row.wchan', visible(th.wchan)) : null);
      setText(c.cpu, formatPercent(th.cpuPercent));
      setText(c.rss, '');
      for (const cell of [c.mem, c.virt, c.time, c.nice, c.pri, c.start]) setText(cell, '');
      setAttr(c.start, 'title', null);
      this.threadsShown.delete(c.threads);
      c.threads.replaceChildren();
      setText(c.threads, th.tid === p.pid ? t('thread.main') : t('thread.lwp'));
      setAttr(c.threads, 'title', th.tid === p.pid ? t('thread.mainTitle') : t('thread.lwpTitle'));
      setText(c.user, '');
      setAttr(c.user, 'title', '');
      setText(c.cmd, '');
      setAttr(c.cmd, 'title', '');
      this.renderWait(c.wait, this.cb.waitOfThread?.(row.key, th.tid));
    }
  }

  /** The "Waiting for" cell: the brief text (OS names already made visible), red for a deadlock. */
  private renderWait(cell: HTMLElement, wait: WaitCell | undefined): void {
    setText(cell, wait?.text ?? '');
    setAttr(cell, 'title', wait ? wait.title : null);
    const cls = wait?.deadlock ? 'cell c-wait deadlock' : 'cell c-wait';
    if (cell.className !== cls) cell.className = cls;
  }

  /** `note`: a second tooltip line; `marked`: a live process whose main thread is a zombie (small mark). */
  private renderState(cell: HTMLElement, state: string, note: string | null = null, marked = false): void {
    let badge = cell.firstElementChild as HTMLElement | null;
    if (!badge) {
      badge = el('span', 'state-badge');
      cell.append(badge);
    }
    const cls = `state-badge st-${stateClass(state)}`;
    if (badge.className !== cls) badge.className = cls;
    setText(badge, state);
    setAttr(badge, 'title', note === null ? stateLabel(state) : `${stateLabel(state)}\n${note}`);
    let mark = badge.nextElementSibling as HTMLElement | null;
    if (marked && !mark) {
      mark = el('span', 'leader-zombie-mark', 'z');
      cell.append(mark);
    } else if (!marked && mark) mark.remove();
    if (mark) setAttr(mark, 'title', note);
  }

  private rowFromEvent(e: Event): Row | undefined {
    const element = (e.target as HTMLElement).closest<HTMLElement>('.row');
    return element ? this.rowOf.get(element) : undefined;
  }

  private onClick(e: MouseEvent): void {
    const row = this.rowFromEvent(e);
    if (!row) return;
    const target = e.target as HTMLElement;
    if (row.kind === 'process' && target.closest('[data-action="threads"]')) {
      this.cb.toggleThreads(row, !row.threadsOpen);
      return;
    }
    if (row.kind === 'process' && target.classList.contains('twistie') && row.hasChildren) {
      this.cb.toggleChildren(row, !row.expanded);
      return;
    }
    if (e.ctrlKey || e.metaKey) this.toggleSelected(row.id);
    else if (e.shiftKey) this.selectRange(row.id);
    else this.select(row.id);
    this.viewport.focus();
  }

  private onKey(e: KeyboardEvent): void {
    const n = this.rows.length;
    if (n === 0) return;
    const current = this.selectedId === null ? -1 : this.indexById.get(this.selectedId) ?? -1;
    const row = current >= 0 ? this.rows[current] : undefined;
    const page = Math.max(1, Math.floor(this.viewport.clientHeight / ROW_HEIGHT) - 1);
    const go = (i: number): void => {
      const target = this.rows[Math.max(0, Math.min(n - 1, i))];
      // Shift extends the selection from the anchor, as in a list box.
      if (target && e.shiftKey) this.selectRange(target.id);
      else if (target) this.select(target.id);
    };
    switch (e.key) {
      case 'ArrowDown': go(current + 1); break;
      case 'ArrowUp': go(current <= 0 ? 0 : current - 1); break;
      case 'Home': go(0); break;
      case 'End': go(n - 1); break;
      case 'PageDown': go(current + page); break;
      case 'PageUp': go(current - page); break;
      case 'ArrowRight':
        if (row?.kind === 'process') {
          if (row.hasChildren && !row.expanded) this.cb.toggleChildren(row, true);
          else if (row.threadsAllowed && row.proc.numThreads > 1 && !row.threadsOpen) this.cb.toggleThreads(row, true);
          else go(current + 1);
        }
        break;
      case 'ArrowLeft':
        if (row?.kind === 'process' && row.threadsOpen) this.cb.toggleThreads(row, false);
        else if (row?.kind === 'process' && row.hasChildren && row.expanded) this.cb.toggleChildren(row, false);
        else if (row?.parentId) this.select(row.parentId);
        break;
      case 'Enter':
        if (row) this.cb.activate(row);
        break;
      case ' ':
        if (!row || e.ctrlKey || e.metaKey || e.altKey) return;
        this.toggleSelected(row.id);
        break;
      case 'Escape':
        // Only a multi-selection is cleared here; otherwise Escape goes on to whatever else answers it.
        if (this.selection.size <= 1 && (this.selectedId === null || this.selection.has(this.selectedId))) return;
        this.select(this.selectedId, false);
        break;
      case 'ContextMenu':
        if (row) this.openMenuAt(row, current);
        break;
      case 'F10':
        if (!e.shiftKey || !row) return;
        this.openMenuAt(row, current);
        break;
      case 'Delete':
        if (row) this.cb.deleteKey(row);
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  private openMenuAt(row: Row, index: number): void {
    const element = this.list.rowElement(index);
    const rect = (element ?? this.viewport).getBoundingClientRect();
    this.cb.contextMenu(row, rect.left + 40, rect.bottom);
  }
}

/** Writes an attribute only when it differs (same-value writes still invalidate style in Chromium). */
function setAttr(element: Element, name: string, value: string | null): void {
  if (value === null) {
    if (element.hasAttribute(name)) element.removeAttribute(name);
  } else if (element.getAttribute(name) !== value) {
    element.setAttribute(name, value);
  }
}

export function stateClass(state: string): string {
  return isTitled(state) ? (state === 't' ? 'tt' : state) : 'other';
}

export function stateLabel(state: string): string {
  const key = `state.${state}` as MessageKey;
  return isTitled(state) ? `${state}: ${t(key)}` : `${state}: ${t('state.other')}`;
}
