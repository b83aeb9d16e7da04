// The address space as a textbook draws it: one band per region of /proc/PID/maps in address order (high
// addresses at the top), each named by what it holds (text, data, bss, heap, libraries, stack, vdso ...),
// with the empty stretches between them as "gap" bands; and, on request, the page map of one writable
// region (which pages are shared with another process, which are this process's own copy).
import type { MemoryRegion } from '../src/core/detail';
import type { PageMapResult } from '../src/core/pagemap';
import type { ProcessKey } from '../src/core/model';
import type { Reply } from './hostClient';
import { el, osEl, formatBytes, keepFocus } from './dom';
import { t, type MessageKey } from './i18n';

export type BandKind =
  | 'text'
  | 'rodata'
  | 'data'
  | 'bss'
  | 'heap'
  | 'library'
  | 'file'
  | 'shared'
  | 'anonymous'
  | 'stack'
  | 'vvar'
  | 'vdso'
  | 'vsyscall'
  | 'special';

export interface RegionBand {
  readonly type: 'region';
  readonly kind: BandKind;
  /** Hex, without 0x, as in /proc/PID/maps. */
  readonly start: string;
  readonly end: string;
  readonly size: number;
  /** The permissions of each region of the band, in address order (one unless a file's regions are joined). */
  readonly perms: string;
  readonly path: string | null;
  readonly deleted: boolean;
  /** How many /proc/PID/maps lines the band stands for (a library's r--p, r-xp, r--p, rw-p are one band). */
  readonly regions: number;
  /** A single writable region: the page map (copy-on-write) is offered for it. */
  readonly pageMap: boolean;
}

export interface GapBand {
  readonly type: 'gap';
  readonly start: string;
  readonly end: string;
  /** Bytes; a JSON number (the gap below [vsyscall] is ~2^64, shown rounded). */
  readonly size: number;
}

export type Band = RegionBand | GapBand;

/** Unmapped stretches smaller than this are not drawn as gaps (the loader leaves small holes between libraries). */
export const GAP_MIN_BYTES = 16 * 1024 * 1024;

function bandKind(region: MemoryRegion): BandKind {
  switch (region.kind) {
    case 'code':
      return 'text';
    case 'data':
      // The program's own mappings: writable ones are its data, the anonymous one right after them its bss
      // (src/core/procfs/maps.ts decides that), read-only ones its headers and constants.
      if (region.path === null) return 'bss';
      return region.perms[1] === 'w' ? 'data' : 'rodata';
    case 'special':
      if (region.path === '[vdso]') return 'vdso';
      if (region.path === '[vsyscall]') return 'vsyscall';
      if (region.path?.startsWith('[vvar')) return 'vvar';
      return 'special';
    default:
      return region.kind;
  }
}

const JOINED: ReadonlySet<BandKind> = new Set(['library', 'file']);

/**
 * The bands of an address space, lowest address first: each region classified, the regions of one library
 * or file that follow each other joined into one band, and a gap band wherever at least GAP_MIN_BYTES lie
 * unmapped between two regions. Pure: no DOM.
 */
export function addressSpaceBands(regions: readonly MemoryRegion[]): Band[] {
  const sorted = [...regions].sort((a, b) => {
    const x = BigInt(`0x${a.start}`);
    const y = BigInt(`0x${b.start}`);
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const bands: Band[] = [];
  let last: RegionBand | undefined;
  for (const region of sorted) {
    const kind = bandKind(region);
    if (last) {
      const gap = BigInt(`0x${region.start}`) - BigInt(`0x${last.end}`);
      if (gap >= BigInt(GAP_MIN_BYTES)) bands.push({ type: 'gap', start: last.end, end: region.start, size: Number(gap) });
      else if (gap === 0n && JOINED.has(kind) && last.kind === kind && last.path === region.path && region.path !== null) {
        last = {
          ...last,
          end: region.end,
          size: last.size + region.size,
          perms: `${last.perms} ${region.perms}`,
          regions: last.regions + 1,
          pageMap: false,
        };
        bands[bands.length - 1] = last;
        continue;
      }
    }
    last = {
      type: 'region',
      kind,
      start: region.start,
      end: region.end,
      size: region.size,
      perms: region.perms,
      path: region.path,
      deleted: region.deleted,
      regions: 1,
      pageMap: region.perms[1] === 'w' && kind !== 'vsyscall',
    };
    bands.push(last);
  }
  return bands;
}

/**
 * A band's height. A 47-bit address space cannot be drawn to scale (the gap between the heap and the
 * libraries alone is ~10^7 times the program's text), so heights grow with the logarithm of the size: a
 * band twice as large is a little taller, and the drawing says it is not to scale.
 */
export function bandHeight(size: number): number {
  return Math.round(22 + 3 * Math.log2(Math.max(1, size / 4096)));
}

/** Bytes in the largest fitting binary unit: the gap below [vsyscall] is about 16 EiB, beyond formatBytes' TiB. */
export function spanBytes(n: number): string {
  if (n >= 2 ** 60) return `${(n / 2 ** 60).toFixed(1)} EiB`;
  if (n >= 2 ** 50) return `${(n / 2 ** 50).toFixed(1)} PiB`;
  return formatBytes(n);
}

export interface AddressSpaceTarget {
  readonly pid: number;
  readonly key: ProcessKey;
}

/** Draws the bands, highest address first (as textbooks do), as an ordered list a screen reader reads. */
export function addressSpaceDrawing(regions: readonly MemoryRegion[]): HTMLElement {
  const bands = addressSpaceBands(regions);
  const box = el('div', 'as-drawing');
  box.append(el('div', 'memory-title', t('as.title')), el('div', 'muted as-note', t('as.notToScale')));
  const list = el('ol', 'as-bands');
  list.setAttribute('aria-label', t('as.listLabel', bands.length));
  list.reversed = true;
  for (const band of [...bands].reverse()) {
    const li = el('li', `as-band as-${band.type === 'gap' ? 'gap' : band.kind}`);
    li.style.minHeight = `${band.type === 'gap' ? 22 : bandHeight(band.size)}px`;
    li.dataset.start = band.start;
    if (band.type === 'gap') {
      li.dataset.kind = 'gap';
      li.append(el('span', 'as-kind', t('as.gap')), el('span', 'as-size', spanBytes(band.size)), el('span', 'muted', t('as.gapNote')));
    } else {
      li.dataset.kind = band.kind;
      li.append(
        el('span', 'as-kind', t(`as.kind.${band.kind}` as MessageKey)),
        el('span', 'as-addr mono', band.start),
        el('span', 'as-size', formatBytes(band.size)),
        el('span', 'as-perms mono', band.perms),
      );
      if (band.path !== null) {
        li.append(osEl('span', 'as-path mono', band.path));
        if (band.deleted) li.append(el('span', 'muted', t('as.deleted')));
      }
      if (band.pageMap) {
        const button = el('button', 'link-button as-pagemap-open', t('pm.open'));
        button.type = 'button';
        button.setAttribute('aria-label', t('pm.openLabel', t(`as.kind.${band.kind}` as MessageKey), band.start));
        // The detail pane answers the click (its nodes carry no listeners: its redraws reconcile them).
        button.dataset.action = 'page-map';
        button.dataset.start = band.start;
        li.append(button);
      }
    }
    list.append(li);
  }
  box.append(list);
  return box;
}

export type PageMapReply = Reply<'pageMap'>;

export interface PageMapCallbacks {
  ask(pid: number, key: ProcessKey, start: string, end: string): Promise<PageMapReply>;
}

/** At most this many cells: a larger region gets one cell per N pages (coloured by what most of them are). */
export const MAX_CELLS = 1024;
export const PAGE_MAP_REFRESH_MS = 1000;
const STATE_CLASS = ['pm-absent', 'pm-shared', 'pm-exclusive', 'pm-swapped'] as const;

/** One cell per `per` pages: the state most of them are in (a tie goes to the later state: exclusive over shared). */
export function pageCells(states: Uint8Array, maxCells = MAX_CELLS): { per: number; cells: Uint8Array } {
  const per = Math.max(1, Math.ceil(states.length / maxCells));
  const cells = new Uint8Array(Math.ceil(states.length / per));
  for (let c = 0; c < cells.length; c++) {
    const n = [0, 0, 0, 0];
    const end = Math.min(states.length, (c + 1) * per);
    for (let i = c * per; i < end; i++) n[states[i]!]!++;
    let best = 0;
    for (let s = 1; s < 4; s++) if (n[s]! >= n[best]!) best = s;
    cells[c] = best;
  }
  return { per, cells };
}

/**
 * The page map of one region, kept across the detail pane's redraws (the pane moves its element into each
 * new drawing) and asked for again every second while it is on screen, so the colours follow the process.
 */
export class PageMapView {
  readonly element: HTMLElement;
  private target: (AddressSpaceTarget & { band: RegionBand }) | null = null;
  private result: PageMapResult | null = null;
  private error: string | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight = false;

  constructor(private readonly cb: PageMapCallbacks) {
    this.element = el('div', 'pm-view');
    this.element.setAttribute('role', 'region');
  }

  /** Whether a page map of this process is open. */
  isOpenFor(key: ProcessKey): boolean {
    return this.target?.key === key;
  }

  open(target: AddressSpaceTarget, band: RegionBand): void {
    this.target = { ...target, band };
    this.result = null;
    this.error = null;
    this.draw();
    // The map sits under the whole drawing, which may be taller than the pane: bring it into view.
    if (this.element.isConnected) this.element.scrollIntoView({ block: 'nearest' });
    void this.fetch();
  }

  /** The pane now shows `key` (or nothing): a map of another process is closed. */
  follow(key: ProcessKey | null): void {
    if (this.target && this.target.key !== key) this.close();
  }

  close(): void {
    this.target = null;
    this.result = null;
    this.error = null;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.element.replaceChildren();
    this.element.remove();
  }

  private async fetch(): Promise<void> {
    const target = this.target;
    if (!target || this.inFlight) return;
    clearTimeout(this.timer);
    // The pane redraws synchronously and puts the map back at once: one not in the page at a tick was
    // dropped (another process, the pane rebuilt for a new language, the memory map gone), so it stops.
    if (!this.element.isConnected) {
      this.close();
      return;
    }
    // Asked only while on screen: a hidden tab (display: none) has no offsetParent.
    if (this.element.isConnected && this.element.offsetParent !== null) {
      this.inFlight = true;
      const reply = await this.cb.ask(target.pid, target.key, target.band.start, target.band.end);
      this.inFlight = false;
      if (this.target !== target) return;
      if (reply.ok) {
        this.result = reply.result;
        this.error = reply.result.unavailable;
      } else {
        this.error = reply.error;
        // The process is gone or another holds its pid: nothing more to ask.
        this.draw();
        return;
      }
      this.draw();
    }
    this.timer = setTimeout(() => void this.fetch(), PAGE_MAP_REFRESH_MS);
  }

  private draw(): void {
    const target = this.target;
    if (!target) return;
    const band = target.band;
    const kindText = t(`as.kind.${band.kind}` as MessageKey);
    this.element.setAttribute('aria-label', t('pm.title', kindText, band.start));
    const head = el('div', 'pm-head');
    head.append(el('span', 'memory-title', t('pm.title', kindText, band.start)));
    const close = el('button', 'link-button pm-close', t('pm.close'));
    close.type = 'button';
    close.dataset.action = 'page-map-close';
    close.addEventListener('click', () => this.close());
    head.append(close);
    const parts: HTMLElement[] = [head, el('div', 'muted pm-explain', t('pm.explain'))];
    if (this.error) parts.push(osEl('div', 'notice error pm-error', t('pm.unavailable', this.error)));
    const r = this.result;
    if (!r && !this.error) parts.push(el('div', 'muted', t('pm.loading')));
    if (r && r.read > 0) {
      let total = 0;
      const states = new Uint8Array(r.read);
      for (const [state, count] of r.runs) {
        states.fill(state, total, Math.min(r.read, total + count));
        total += count;
      }
      const { per, cells } = pageCells(states);
      const counts = el('div', 'pm-counts');
      counts.setAttribute('aria-live', 'polite');
      const count = (cls: string, key: MessageKey, n: number): void => {
        const item = el('span', `legend-item pm-count ${cls}-count`);
        item.append(el('span', `swatch ${cls}`), el('span', '', t(key, n)));
        counts.append(item);
      };
      count('pm-shared', 'pm.shared', r.counts.shared);
      count('pm-exclusive', 'pm.exclusive', r.counts.exclusive);
      count('pm-absent', 'pm.absent', r.counts.notPresent);
      if (r.counts.swapped > 0) count('pm-swapped', 'pm.swapped', r.counts.swapped);
      parts.push(counts);
      parts.push(el('div', 'muted pm-scale', per === 1 ? t('pm.perPage', r.read) : t('pm.perCells', per, cells.length)));
      if (r.read < r.pages) parts.push(el('div', 'muted pm-capped', t('pm.capped', r.read, r.pages)));
      const grid = el('div', 'pm-grid');
      // The counts above are the accessible reading; the cells are a picture of them.
      grid.setAttribute('aria-hidden', 'true');
      for (const c of cells) grid.append(el('span', `pm-cell ${STATE_CLASS[c]}`));
      parts.push(grid);
    } else if (r && !this.error) parts.push(el('div', 'muted', t('pm.empty')));
    // Redrawn every refresh: a focused Close button keeps the focus.
    keepFocus(this.element, () => this.element.replaceChildren(...parts));
  }
}
