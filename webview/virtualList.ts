// A fixed-row-height virtual list (one height for every row, changed only when the fonts change): only the rows in view (plus a small overscan) exist in the DOM, placed
// absolutely inside a spacer as tall as all rows. Written here because @vscode-elements' vscode-table and
// vscode-tree render every row (no virtualization), which does not hold up at 10,000 processes.

export interface VirtualListOptions<T> {
  readonly rowHeight: number;
  readonly overscan?: number;
  /** Creates an empty row element (reused for many items). */
  readonly createRow: () => HTMLElement;
  /** Fills a row element for an item; called only when the item or its index changed or on refresh. */
  readonly renderRow: (element: HTMLElement, item: T, index: number) => void;
  /** Clears a row element that goes back to the pool (so hidden rows carry no stale ids). */
  readonly releaseRow?: (element: HTMLElement) => void;
}

export class VirtualList<T> {
  readonly viewport: HTMLElement;
  readonly spacer: HTMLElement;
  private items: readonly T[] = [];
  private readonly pool: HTMLElement[] = [];
  private readonly active = new Map<number, HTMLElement>();
  /** The item each active row element last drew (so patchItems can skip unchanged rows). */
  private readonly drawn = new WeakMap<HTMLElement, T>();
  private frame = 0;
  private lastHeight = 0;
  private rowHeightPx: number;

  constructor(
    viewport: HTMLElement,
    private readonly options: VirtualListOptions<T>,
  ) {
    this.viewport = viewport;
    this.rowHeightPx = options.rowHeight;
    this.spacer = document.createElement('div');
    this.spacer.className = 'vl-spacer';
    this.viewport.appendChild(this.spacer);
    this.viewport.addEventListener('scroll', () => this.schedule(), { passive: true });
    new ResizeObserver(() => this.schedule()).observe(this.viewport);
  }

  get length(): number {
    return this.items.length;
  }

  get rowHeight(): number {
    return this.rowHeightPx;
  }

  /** A new row height (the fonts changed): every row is placed again and the window redrawn. */
  setRowHeight(height: number): void {
    if (height === this.rowHeightPx || !(height > 0)) return;
    this.rowHeightPx = height;
    for (const [index, element] of this.active) element.style.transform = `translateY(${index * height}px)`;
    this.spacer.style.height = `${this.items.length * height}px`;
    this.render(true);
  }

  /** Replaces the items and redraws the visible window now (synchronously, so a delta paints in one frame). */
  setItems(items: readonly T[], scrollTop?: number): void {
    this.items = items;
    this.spacer.style.height = `${items.length * this.rowHeightPx}px`;
    // After the spacer has its new height, so the position is not clamped to the old one.
    if (scrollTop !== undefined) this.viewport.scrollTop = Math.max(0, scrollTop);
    this.render(true);
  }

  /**
   * Same length and order, some items replaced by newer objects: redraws only the rows in the window whose
   * item is a different object than the one last drawn there (a delta touching 2,000 of 10,000 processes
   * changes a handful of the ~60 rows in the window; the rest keep their DOM untouched).
   */
  patchItems(items: readonly T[]): void {
    if (items.length !== this.items.length) {
      this.setItems(items);
      return;
    }
    this.items = items;
    // First the window (reads the viewport size once, draws rows that scrolled in), then the writes only.
    this.render(false);
    for (const [index, element] of this.active) {
      const item = items[index] as T;
      if (this.drawn.get(element) !== item) {
        this.drawn.set(element, item);
        this.options.renderRow(element, item, index);
      }
    }
  }

  /** The range of item indexes currently in view (without overscan). */
  visibleRange(): { first: number; last: number } {
    const h = this.rowHeightPx;
    const first = Math.floor(this.viewport.scrollTop / h);
    const count = Math.ceil((this.viewport.clientHeight || this.lastHeight) / h);
    return { first, last: Math.min(this.items.length - 1, first + count - 1) };
  }

  /** Scrolls the least amount needed to show the item. */
  scrollToIndex(index: number): void {
    const h = this.rowHeightPx;
    const top = index * h;
    const view = this.viewport.clientHeight;
    if (top < this.viewport.scrollTop) this.viewport.scrollTop = top;
    else if (top + h > this.viewport.scrollTop + view) this.viewport.scrollTop = top + h - view;
    this.render(false);
  }

  rowElement(index: number): HTMLElement | undefined {
    return this.active.get(index);
  }

  refresh(): void {
    this.render(true);
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render(false);
    });
  }

  private render(all: boolean): void {
    const h = this.rowHeightPx;
    const overscan = this.options.overscan ?? 8;
    const height = this.viewport.clientHeight;
    if (height > 0) this.lastHeight = height;
    const first = Math.max(0, Math.floor(this.viewport.scrollTop / h) - overscan);
    const last = Math.min(this.items.length - 1, Math.ceil((this.viewport.scrollTop + (height || this.lastHeight || 800)) / h) + overscan);
    for (const [index, element] of this.active) {
      if (index < first || index > last) {
        this.active.delete(index);
        element.hidden = true;
        this.drawn.delete(element);
        this.options.releaseRow?.(element);
        this.pool.push(element);
      }
    }
    for (let i = first; i <= last; i++) {
      const item = this.items[i] as T;
      let element = this.active.get(i);
      if (element && !all) continue;
      if (!element) {
        element = this.pool.pop() ?? this.spacer.appendChild(this.options.createRow());
        element.hidden = false;
        element.style.transform = `translateY(${i * h}px)`;
        this.active.set(i, element);
      }
      this.drawn.set(element, item);
      this.options.renderRow(element, item, i);
    }
  }
}
