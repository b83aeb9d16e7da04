// The process tree-table: a sortable header over a virtual list of rows (ARIA treegrid): selection (single,
// Ctrl/Cmd, Shift ranges), the keyboard, column widths and which columns fit. Its cells are drawn by RowCells.
import { el, icon, keepFocus } from './dom';
import { t } from './i18n';
import type { Row, SortColumn, SortSpec } from './rows';
import { VirtualList } from './virtualList';
import {
  columnRoom,
  COLUMN_SPEC,
  COLUMNS,
  DEFAULT_COLUMNS,
  FIXED_COLUMNS,
  HEADER_CHROME,
  MIN_COLUMN,
  planColumns,
  SORT_ARROW,
  UNSORTABLE,
  type ColumnWidths,
} from './columns';
import { INDENT_STEP, RowCells, type RowCellCallbacks } from './rowCells';
import { keyAction } from './treeKeys';

export const ROW_HEIGHT = 22;
/**
 * Levels of indentation drawn at most; deeper rows stay at the last indent and show their depth as a number.
 * The cap also shrinks with the name column so the indent takes at most about half of it.
 */
export const INDENT_CAP = 12;
const INDENT_SHARE = 0.5;
/** Below this many levels the indent never stops (an ordinary tree never shows depth numbers). */
const INDENT_CAP_MIN = 6;
/** Rows after a vanished anchor tried in turn as the new anchor (so a mass exit still holds the view). */
const ANCHOR_FALLBACK = 64;

export interface HierarchyCallbacks extends RowCellCallbacks {
  select(row: Row): void;
  toggleChildren(row: Row, expand: boolean): void;
  toggleThreads(row: Row, open: boolean): void;
  contextMenu(row: Row, x: number, y: number): void;
  activate(row: Row): void;
  sort(column: SortColumn): void;
  deleteKey(row: Row): void;
  /** The user resized a column (widths in px by column; a column absent takes its default width). */
  columnsResized?(widths: ColumnWidths): void;
  /** The header's context menu: where to open the column chooser. */
  headerMenu?(x: number, y: number): void;
}

export class Hierarchy {
  readonly element: HTMLElement;
  readonly viewport: HTMLElement;
  private readonly header: HTMLElement;
  private readonly list: VirtualList<Row>;
  private readonly cells: RowCells;
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
  /**
   * Where the focused row was when it left the list (its process exited, or the filter hides it) while it stays
   * the selection (the detail pane still shows it): the index of the row that took its place (the row count
   * when it was the last), so the arrows go on from there. Null while the focused row is in the list.
   */
  private gap: number | null = null;
  /** The header column whose sort button is the header's one Tab stop (the last one focused). */
  private headerStop: SortColumn | null = null;

  constructor(private readonly cb: HierarchyCallbacks) {
    this.cells = new RowCells(cb, {
      isSelected: (id) => this.selection.has(id),
      focusedId: () => this.selectedId,
      selectionSize: () => this.selection.size,
      indentCap: () => this.indentCap,
    });
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
      createRow: () => this.cells.create(),
      renderRow: (element, row, index) => this.cells.render(element, row, index),
      releaseRow: (element) => this.cells.release(element),
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
    // A click on a header, or Enter or Space on its sort button (a <button>'s key press is a click): one path.
    this.header.addEventListener('click', (e) => {
      if ((e.target as HTMLElement).closest('.col-resizer')) return;
      const cell = (e.target as HTMLElement).closest<HTMLElement>('[data-column]');
      if (cell?.dataset.column && !UNSORTABLE.has(cell.dataset.column as SortColumn)) this.cb.sort(cell.dataset.column as SortColumn);
    });
    this.header.addEventListener('keydown', (e) => this.onHeaderKey(e));
    // The header is one Tab stop (a roving tabindex): the sort button focused last.
    this.header.addEventListener('focusin', (e) => {
      const column = columnOf(e.target as HTMLElement);
      if (!column || column === this.headerStop) return;
      this.headerStop = column;
      this.syncHeaderTabStop();
    });
    new ResizeObserver(() => this.layoutColumns()).observe(this.element);
    // VS Code writes the font settings into the page's root style when the user changes them.
    watchFonts(() => this.fitRowHeight());
  }

  /** Every column back to its default width (Default columns in the column chooser). */
  resetColumnWidths(): void {
    this.widths = {};
    this.layoutSignature = '';
    this.layoutColumns();
    this.cb.columnsResized?.(this.columnWidths);
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
    this.fitRowHeight();
    this.measureLabels();
    const { tracks, dropped } = planColumns(width, this.chosen, this.widths, this.labelMin);
    const signature = `${tracks.join(' ')}|${dropped.join(',')}`;
    if (signature !== this.layoutSignature) {
      this.layoutSignature = signature;
      this.element.style.setProperty('--grid-columns', tracks.join(' '));
      for (const c of COLUMNS) this.element.classList.toggle(`drop-${c.column}`, dropped.includes(c.column));
      this.syncHeaderTabStop();
    }
    const nameWidth = this.header.querySelector('.c-name')?.getBoundingClientRect().width ?? 0;
    const cap =
      nameWidth > 0 ? Math.max(INDENT_CAP_MIN, Math.min(INDENT_CAP, Math.floor((nameWidth * INDENT_SHARE - 4) / INDENT_STEP))) : INDENT_CAP;
    if (cap !== this.indentCap) {
      this.indentCap = cap;
      this.list.refresh();
    }
  }

  /** The widest a column may be made: as wide as fits without the panel dropping another column (or it). */
  private maxColumnWidth(column: SortColumn): number {
    return columnRoom(this.element.clientWidth, this.chosen, this.widths, this.labelMin, column);
  }

  /** Shift+←/→ on a focused column header: the column 16 px narrower or wider (the keyboard's column resize). */
  private resizeByKey(column: SortColumn, delta: number): void {
    const cell = this.header.querySelector<HTMLElement>(`[data-column="${column}"]`);
    if (!cell) return;
    const min = Math.max(this.labelMin[column] ?? 0, MIN_COLUMN);
    const now = this.widths[column] ?? Math.round(cell.getBoundingClientRect().width);
    // Widening never narrows: a column already past the bound (kept from a wider window) stays as it is.
    this.widths[column] = Math.max(min, Math.min(Math.max(this.maxColumnWidth(column), now), now + delta));
    this.layoutColumns();
    this.cb.columnsResized?.(this.columnWidths);
  }

  /**
   * Rows as tall as their fonts need: 22 px at VS Code's default sizes, taller when the user's font size (the
   * panel's text) or editor font size (the Command column) is larger, so no cell's text is cut off at the bottom.
   */
  private fitRowHeight(): void {
    const h = rowHeightFor(document.body);
    if (h === this.list.rowHeight) return;
    // The row the view holds (the selected one, else the first in view) stays where it was on screen.
    const anchor = this.anchor();
    this.element.style.setProperty('--row-height', `${h}px`);
    this.list.setRowHeight(h);
    if (anchor) this.list.setItems(this.rows, anchor.index * h - anchor.offset);
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
    // No wider than fits beside the other columns (or than it is already): a drag never pushes columns out.
    const room = Math.max(Math.round(startWidth), this.maxColumnWidth(column));
    grip.setPointerCapture(e.pointerId);
    const move = (ev: PointerEvent): void => {
      this.widths[column] = Math.max(min, Math.min(room, Math.round(startWidth + ev.clientX - startX)));
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
    // Sorting draws the header again: a header button that had the keyboard focus keeps it (it is the Tab stop:
    // focusing a button makes its column the stop).
    keepFocus(this.header, () => this.drawHeader(sort));
  }

  private drawHeader(sort: SortSpec): void {
    this.headerStop ??= sort.column;
    this.header.replaceChildren();
    for (const c of COLUMNS) {
      const cell = el('div', `cell ${c.cls}`);
      cell.setAttribute('role', 'columnheader');
      cell.dataset.column = c.column;
      cell.title = t(c.hint);
      const label = el('span', 'header-text', t(c.key));
      // A real button inside the columnheader: reached with Tab, pressed with Enter or Space. Its name is
      // the label alone (the column's name for every cell under it); aria-sort stays on the columnheader.
      // A column that does not sort still has one, marked unavailable, so the arrows reach it and
      // Shift+Left/Right resize it as any other.
      const button = el('button', 'header-sort');
      button.type = 'button';
      button.tabIndex = -1;
      button.dataset.focusKey = `column-${c.column}`;
      button.append(label);
      cell.append(button);
      if (UNSORTABLE.has(c.column)) {
        cell.classList.add('unsortable');
        button.setAttribute('aria-disabled', 'true');
      } else if (sort.column === c.column) {
        cell.setAttribute('aria-sort', sort.descending ? 'descending' : 'ascending');
        button.append(icon(sort.descending ? 'arrow-small-down' : 'arrow-small-up', 'sort-icon'));
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
    this.syncHeaderTabStop();
    this.layoutColumns();
  }

  /** The header buttons of the columns shown now (not hidden by the column chooser or a narrow panel), in order. */
  private shownHeaderButtons(): HTMLButtonElement[] {
    return [...this.header.querySelectorAll<HTMLButtonElement>('.header-sort')].filter(
      (b) => !this.element.classList.contains(`drop-${columnOf(b) ?? ''}`),
    );
  }

  /** Gives the Tab stop to the header stop's button, or to the first shown one when that column is hidden. */
  private syncHeaderTabStop(): void {
    const shown = this.shownHeaderButtons();
    const stop = shown.find((b) => columnOf(b) === this.headerStop) ?? shown[0];
    for (const b of this.header.querySelectorAll<HTMLButtonElement>('.header-sort')) b.tabIndex = b === stop ? 0 : -1;
  }

  /**
   * Left/Right (Home/End) move between the sort buttons; Down goes to the rows; Shift+Left/Right resize the
   * column. Enter and Space click.
   */
  private onHeaderKey(e: KeyboardEvent): void {
    const button = (e.target as HTMLElement).closest<HTMLButtonElement>('.header-sort');
    if (!button || e.altKey || e.ctrlKey || e.metaKey) return;
    const column = columnOf(button);
    if (e.shiftKey && column && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) {
      e.preventDefault();
      this.resizeByKey(column, e.key === 'ArrowLeft' ? -16 : 16);
      return;
    }
    const shown = this.shownHeaderButtons();
    const i = shown.indexOf(button);
    let next: HTMLElement | undefined;
    if (e.key === 'ArrowRight') next = shown[i + 1];
    else if (e.key === 'ArrowLeft') next = i > 0 ? shown[i - 1] : undefined;
    else if (e.key === 'Home') next = shown[0];
    else if (e.key === 'End') next = shown.at(-1);
    else if (e.key === 'ArrowDown') next = this.viewport;
    else return;
    e.preventDefault();
    next?.focus();
  }

  setRows(rows: readonly Row[]): void {
    const anchor = this.anchor();
    const previous = this.rows;
    const previousIndex = this.indexById;
    this.rows = rows;
    this.indexById = new Map(rows.map((r, i) => [r.id, i]));
    this.gap = this.gapAfter(previous, previousIndex);
    this.viewport.setAttribute('aria-rowcount', String(rows.length + 1));
    // Keep the anchor row where it was on screen, however many rows appeared or vanished above it.
    let scrollTop: number | undefined;
    if (anchor) {
      for (let i = anchor.index; i < Math.min(previous.length, anchor.index + ANCHOR_FALLBACK); i++) {
        const now = this.indexById.get(previous[i]!.id);
        if (now === undefined) continue;
        scrollTop = now * this.list.rowHeight - anchor.offset - (i - anchor.index) * this.list.rowHeight;
        break;
      }
    }
    // Rows that left the list (exited, filtered out, collapsed away) leave the selection.
    for (const id of this.selection) if (!this.indexById.has(id) && id !== this.selectedId) this.selection.delete(id);
    this.list.setItems(rows, scrollTop);
    this.updateActiveDescendant();
  }

  /**
   * Where the focused row would be in the new rows when it is not among them: the new index of the first row
   * after it (in the old rows) still listed, else one past the last row before it still listed; null when it
   * is listed, or was never placed (a selection restored before any rows came).
   */
  private gapAfter(previous: readonly Row[], previousIndex: ReadonlyMap<string, number>): number | null {
    const id = this.selectedId;
    if (id === null || this.indexById.has(id)) return null;
    const was = previousIndex.get(id);
    // Listed before: the rows after it and before it. Already gone: the same around its gap.
    const [after, before] = was !== undefined ? [was + 1, was - 1] : this.gap !== null ? [this.gap, this.gap - 1] : [-1, -1];
    if (after < 0) return null;
    for (let i = after; i < previous.length; i++) {
      const now = this.indexById.get(previous[i]!.id);
      if (now !== undefined) return now;
    }
    for (let i = Math.min(before, previous.length - 1); i >= 0; i--) {
      const now = this.indexById.get(previous[i]!.id);
      if (now !== undefined) return now + 1;
    }
    return null;
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
    const h = this.list.rowHeight;
    const selected = this.selectedId === null ? undefined : this.indexById.get(this.selectedId);
    if (selected !== undefined) {
      const offset = selected * h - top;
      if (offset >= 0 && offset + h <= height) return { index: selected, offset };
    }
    if (top === 0) return null; // at the top, the view stays at the top
    const first = Math.ceil(top / h);
    return first < this.rows.length ? { index: first, offset: first * h - top } : null;
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
    if (id !== this.selectedId) this.gap = null;
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

  private rowFromEvent(e: Event): Row | undefined {
    const element = (e.target as HTMLElement).closest<HTMLElement>('.row');
    return element ? this.cells.rowOf.get(element) : undefined;
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
    const listed = this.selectedId === null ? undefined : this.indexById.get(this.selectedId);
    // A focused row that left the list (still selected: the detail pane says it exited) is a gap the arrows
    // go on from, not a jump back to the first row.
    const inGap = listed === undefined && this.gap !== null;
    const current = listed ?? (inGap ? this.gap! : -1);
    const row = listed === undefined ? undefined : this.rows[listed];
    const page = Math.max(1, Math.floor(this.viewport.clientHeight / this.list.rowHeight) - 1);
    const multi = this.selection.size > 1 || (this.selectedId !== null && !this.selection.has(this.selectedId));
    const action = keyAction(e, row, current, n, page, multi, inGap);
    if (!action) return;
    switch (action.kind) {
      case 'go': {
        const target = this.rows[action.index];
        // Shift extends the selection from the anchor, as in a list box.
        if (target && action.extend) this.selectRange(target.id);
        else if (target) this.select(target.id);
        break;
      }
      case 'children':
        this.cb.toggleChildren(row!, action.open);
        break;
      case 'threads':
        this.cb.toggleThreads(row!, action.open);
        break;
      case 'parent':
        this.select(action.id);
        break;
      case 'activate':
        this.cb.activate(row!);
        break;
      case 'toggle':
        this.toggleSelected(row!.id);
        break;
      case 'clearMulti':
        this.select(this.selectedId, false);
        break;
      case 'menu':
        this.openMenuAt(row!, current);
        break;
      case 'delete':
        this.cb.deleteKey(row!);
        break;
      case 'none':
        break;
    }
    e.preventDefault();
  }

  private openMenuAt(row: Row, index: number): void {
    const element = this.list.rowElement(index);
    const rect = (element ?? this.viewport).getBoundingClientRect();
    this.cb.contextMenu(row, rect.left + 40, rect.bottom);
  }
}

/**
 * The one observer of the page's root style, and what it calls: the table built last (it is built again when the
 * language changes, and an observer per table would keep every old one alive).
 */
let fontsChanged: (() => void) | null = null;
let fontObserver: MutationObserver | null = null;

function watchFonts(changed: () => void): void {
  fontsChanged = changed;
  if (fontObserver) return;
  fontObserver = new MutationObserver(() => fontsChanged?.());
  fontObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
}

/** The row height for the fonts in effect: 1.5 lines of the larger of the UI and Command fonts, plus 2 px; at least 22. */
export function rowHeightFor(body: HTMLElement): number {
  const ui = Number.parseFloat(getComputedStyle(body).fontSize) || 13;
  const editor = Number.parseFloat(getComputedStyle(document.documentElement).getPropertyValue('--vscode-editor-font-size')) || 14;
  // The Command column's font is the editor's, one pixel smaller (styles.css .c-cmd).
  return Math.max(ROW_HEIGHT, Math.ceil(Math.max(ui, editor - 1) * 1.5) + 2);
}

/** The sortable column a header element belongs to. */
function columnOf(element: HTMLElement): SortColumn | undefined {
  return element.closest<HTMLElement>('[data-column]')?.dataset.column as SortColumn | undefined;
}

/** Writes an attribute only when it differs (same-value writes still invalidate style in Chromium). */
