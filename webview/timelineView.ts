// The Timeline tab: the panel's in-memory history drawn as one lane per process life (a bar from birth, or the
// window's start, to exit, or now; marks for each exec, the zombie and the exit), and a scrubber that rewinds
// the tree to any tick of it. The host keeps the history (procscope.historyMemory); this asks for its index.
import type { HistoryIndex, LifeBrief } from '../src/core/record/historyIndex';
import type { StateRun, ThreadStrip } from '../src/core/record/threadStrips';
import { el, keepFocus, setText, svg, visible } from './dom';
import { getLocale, t } from './i18n';
import { stateClass, stateLabel } from './rowText';

export interface TimelineCallbacks {
  /** The history's index (null: none kept), or why it could not be had. */
  fetchIndex(): Promise<{ ok: true; result: HistoryIndex | null } | { ok: false; error: string }>;
  /** Show the tree as it was at this time (ms). */
  rewind(at: number): void;
  /** Back to the present. */
  live(): void;
  /** The process of a lane, selected in the tree (when it still lives). */
  selectKey(key: string): void;
  /** A process's name in the table shown (the thread strips' heading). */
  nameOf?(key: string): string | undefined;
}

const LANE_H = 16;
const LABEL_W = 150;
const WIDTH = 600;
/** How often the shown tab asks for the index again. */
export const TIMELINE_REFRESH_MS = 5000;

const clock = (ms: number): string => new Date(ms).toLocaleTimeString(getLocale());

/** x of a time on the lanes' axis (the window maps onto LABEL_W..WIDTH). */
export function xOf(at: number, first: number, last: number, width = WIDTH): number {
  const span = Math.max(1, last - first);
  return LABEL_W + ((Math.min(Math.max(at, first), last) - first) / span) * (width - LABEL_W - 12);
}

/** One line of a lane's tooltip per event. */
export function lifeText(l: LifeBrief): string {
  const lines = [`${visible(l.lastName)} (${l.pid}), ${t('timeline.parent', l.ppid)}`];
  lines.push(l.bornAt !== undefined ? t('timeline.born', clock(l.bornAt)) : t('timeline.before', clock(l.from)));
  for (const e of l.execs) lines.push(t('timeline.exec', clock(e.at), visible(e.name)));
  if (l.zombieAt !== undefined) lines.push(t('timeline.zombie', clock(l.zombieAt)));
  if (l.exitedAt !== undefined) lines.push(t('timeline.exited', clock(l.exitedAt)));
  lines.push(t('timeline.faults', l.minorFaultsFirst, l.minorFaultsLast));
  return lines.join('\n');
}

const STRIP_H = 10;

/**
 * Where each run of a thread's strip is drawn: a state seen at a tick holds until the next tick (the one that
 * showed it changed, or the first it was not read at), so runs of successive ticks meet with no gap.
 */
export function stripRuns(
  strip: ThreadStrip,
  times: readonly number[],
  X: (at: number) => number,
): { readonly run: StateRun; readonly x: number; readonly width: number; readonly until: number }[] {
  const nextTime = (at: number): number => {
    let lo = 0;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (times[mid]! <= at) lo = mid + 1;
      else hi = mid;
    }
    return times[lo] ?? at;
  };
  return strip.runs.map((run) => {
    const until = nextTime(run.to);
    const x = X(run.from);
    return { run, x, width: Math.max(2, X(until) - x), until };
  });
}

/** A run's tooltip: the thread, its state and when. */
export function runText(strip: ThreadStrip, run: StateRun, until: number): string {
  return t('timeline.threadRun', visible(strip.name), strip.tid, stateLabel(run.state), clock(run.from), clock(until));
}

export class TimelineView {
  readonly element: HTMLElement;
  private readonly head: HTMLElement;
  private readonly scrub: HTMLInputElement;
  private readonly liveButton: HTMLButtonElement;
  private readonly lanes: HTMLElement;
  private index: HistoryIndex | null = null;
  private shown = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private scrubTimer: ReturnType<typeof setTimeout> | undefined;
  /** The time shown while rewound (null: live). */
  private pastAt: number | null = null;
  /** How many times the whole history's span the lanes are magnified (1: all of it). */
  private zoom = 1;
  /** The middle of the shown window (ms), or null to keep its right edge on the newest tick. */
  private center: number | null = null;
  /** The window drawn last, for turning a pointer's x back into a time. */
  private view = { first: 0, last: 1, width: WIDTH };
  /** A pan just ended: the click that ends it is not a lane's click. */
  private panned = false;

  constructor(private readonly cb: TimelineCallbacks) {
    this.element = el('div', 'timeline-pane');
    this.head = el('div', 'timeline-head');
    // Not a live region: it is rewritten with new times at every refresh, and would be read out each time.
    const controls = el('div', 'timeline-controls');
    this.scrub = el('input', 'timeline-scrub');
    this.scrub.type = 'range';
    this.scrub.min = '0';
    this.scrub.max = '0';
    this.scrub.step = '1';
    this.scrub.setAttribute('aria-label', t('timeline.scrub'));
    this.scrub.title = t('timeline.scrub');
    this.scrub.addEventListener('input', () => this.onScrub());
    this.liveButton = el('button', 'chip-button', t('timeline.live'));
    this.liveButton.type = 'button';
    this.liveButton.dataset.action = 'live';
    this.liveButton.addEventListener('click', () => this.cb.live());
    const zoomButton = (action: string, text: string, label: string, run: () => void): HTMLButtonElement => {
      const b = el('button', 'chip-button', text);
      b.type = 'button';
      b.dataset.timelineZoom = action;
      b.title = label;
      b.setAttribute('aria-label', label);
      b.addEventListener('click', run);
      return b;
    };
    controls.append(
      this.scrub,
      this.liveButton,
      zoomButton('in', '+', t('timeline.zoomIn'), () => this.zoomAt(2, null)),
      zoomButton('out', '−', t('timeline.zoomOut'), () => this.zoomAt(0.5, null)),
      zoomButton('all', '⤢', t('timeline.zoomAll'), () => {
        this.zoom = 1;
        this.center = null;
        this.draw();
      }),
    );
    this.lanes = el('div', 'timeline-lanes');
    this.element.append(this.head, controls, this.lanes);
    this.installPanZoom();
  }

  /** Magnifies by `factor` around `at` (ms; null: the middle of the window shown). */
  private zoomAt(factor: number, at: number | null): void {
    const { first, last } = this.view;
    const next = Math.min(256, Math.max(1, this.zoom * factor));
    if (next === this.zoom) return;
    // Following the newest tick (not panned), the buttons keep following it: only the span changes.
    if (at === null && this.center === null) {
      this.zoom = next;
      this.draw();
      return;
    }
    const anchor = at ?? (first + last) / 2;
    // Keep the time under the pointer where it is on screen.
    const share = (anchor - first) / Math.max(1, last - first);
    const span = ((last - first) * this.zoom) / next;
    this.zoom = next;
    this.center = next === 1 ? null : anchor - share * span + span / 2;
    this.draw();
  }

  /** Ctrl+wheel zooms around the pointer; dragging the lanes pans (the window then stays put as ticks come). */
  private installPanZoom(): void {
    const timeAt = (clientX: number): number => {
      const box = this.lanes.getBoundingClientRect();
      const x = clientX - box.left + this.lanes.scrollLeft;
      const { first, last, width } = this.view;
      return first + ((x - LABEL_W) / Math.max(1, width - LABEL_W - 12)) * (last - first);
    };
    this.lanes.addEventListener(
      'wheel',
      (e) => {
        if (!e.ctrlKey) return;
        e.preventDefault();
        this.zoomAt(e.deltaY < 0 ? 2 : 0.5, timeAt(e.clientX));
      },
      { passive: false },
    );
    let drag: { x: number; center: number } | null = null;
    this.lanes.addEventListener('pointerdown', (e) => {
      if (this.zoom === 1 || e.button !== 0) return;
      const { first, last } = this.view;
      drag = { x: e.clientX, center: (first + last) / 2 };
      this.panned = false;
    });
    this.lanes.addEventListener('pointermove', (e) => {
      if (!drag) return;
      const { first, last, width } = this.view;
      const msPerPx = (last - first) / Math.max(1, width - LABEL_W - 12);
      if (Math.abs(e.clientX - drag.x) < 3) return;
      this.panned = true;
      this.center = drag.center - (e.clientX - drag.x) * msPerPx;
      this.draw();
    });
    const end = (): void => {
      drag = null;
    };
    this.lanes.addEventListener('pointerup', end);
    this.lanes.addEventListener('pointerleave', end);
  }

  /** The window of time the lanes show: all of the history, or a part of it when zoomed. */
  private windowOf(first: number, last: number): { first: number; last: number } {
    if (this.zoom <= 1) return { first, last };
    const span = Math.max(1, (last - first) / this.zoom);
    const middle = this.center ?? last - span / 2;
    const from = Math.min(Math.max(first, middle - span / 2), last - span);
    return { first: from, last: from + span };
  }

  show(visible: boolean): void {
    this.shown = visible;
    clearTimeout(this.timer);
    if (visible) void this.refresh();
  }

  /** The host rewound (or returned to live): the scrubber follows. */
  setPast(at: number | null): void {
    this.pastAt = at;
    this.liveButton.disabled = at === null;
    this.liveButton.classList.toggle('active', at === null);
    if (at === null && this.index) this.scrub.value = this.scrub.max;
  }

  async refresh(): Promise<void> {
    clearTimeout(this.timer);
    const reply = await this.cb.fetchIndex();
    if (!this.shown) return;
    if (!reply.ok) {
      this.head.textContent = t('timeline.failed', reply.error);
    } else {
      this.index = reply.result;
      this.draw();
    }
    // While live the newest ticks keep coming; while rewound the window holds still (the index is kept).
    if (this.pastAt === null) this.timer = setTimeout(() => void this.refresh(), TIMELINE_REFRESH_MS);
  }

  private onScrub(): void {
    const times = this.index?.times;
    if (!times || times.length === 0) return;
    const i = Number(this.scrub.value);
    const at = times[Math.min(times.length - 1, Math.max(0, i))]!;
    clearTimeout(this.scrubTimer);
    // The last tick is the present; any other is a past table, asked for once the thumb rests a moment.
    this.scrubTimer = setTimeout(() => (i >= times.length - 1 ? this.cb.live() : this.cb.rewind(at)), 120);
  }

  /** The process's name in the table shown, if it is in it. */
  private nameOf(key: string): string | undefined {
    return this.cb.nameOf?.(key);
  }

  private draw(): void {
    const x = this.index;
    if (!x || x.times.length === 0) {
      setText(this.head, t('timeline.none'));
      this.scrub.max = '0';
      this.scrub.disabled = true;
      this.lanes.replaceChildren();
      return;
    }
    const whole = { first: x.times[0]!, last: x.times[x.times.length - 1]! };
    const { first, last } = this.windowOf(whole.first, whole.last);
    const summary = [t('timeline.window', clock(whole.first), clock(whole.last), x.times.length)];
    if (this.zoom > 1) summary.push(t('timeline.zoomed', clock(first), clock(last), this.zoom));
    summary.push(t('timeline.counts', x.lives.length + x.more, x.steady));
    if (x.unseen !== null && x.unseen > 0) summary.push(t('timeline.unseen', x.unseen));
    setText(this.head, summary.join(' · '));
    const keepEnd = this.scrub.value === this.scrub.max;
    this.scrub.disabled = false;
    this.scrub.max = String(x.times.length - 1);
    if (this.pastAt === null || keepEnd) this.scrub.value = this.scrub.max;
    else {
      const i = x.times.findIndex((tm) => tm >= this.pastAt!);
      this.scrub.value = String(i < 0 ? x.times.length - 1 : i);
    }

    // The thread strips of the expanded or selected processes go above the lanes, one group per process.
    const groups = new Map<string, ThreadStrip[]>();
    for (const s of x.threads?.strips ?? []) groups.set(s.key, [...(groups.get(s.key) ?? []), s]);
    const stripRows = [...groups.values()].reduce((n, g) => n + 1 + g.length, 0);
    const top = stripRows * STRIP_H + (stripRows > 0 ? 6 : 0);
    const height = top + Math.max(1, x.lives.length) * LANE_H + 20;
    // Drawn at the pane's own width (text keeps its size); below 360 px the pane scrolls sideways.
    const width = this.lanes.clientWidth > 0 ? Math.max(360, this.lanes.clientWidth - 4) : WIDTH;
    const X = (at: number): number => xOf(at, first, last, width);
    this.view = { first, last, width };
    this.element.dataset.zoom = String(this.zoom);
    this.element.dataset.window = `${Math.round(first)},${Math.round(last)}`;
    const root = svg('svg', { class: 'timeline-svg', viewBox: `0 0 ${width} ${height}`, width, height, role: 'group' });
    root.setAttribute('aria-label', t('timeline.label', x.lives.length));
    // The axis: the window's start, middle and end.
    for (const at of [first, (first + last) / 2, last]) {
      const px = X(at);
      root.append(svg('line', { x1: px, y1: 0, x2: px, y2: height - 14, class: 'timeline-grid' }));
      root.append(
        svg(
          'text',
          { x: px, y: height - 3, 'text-anchor': at === first ? 'start' : at === last ? 'end' : 'middle', class: 'timeline-axis' },
          clock(at),
        ),
      );
    }
    let row = 0;
    for (const [key, strips] of groups) {
      const pid = Number.parseInt(key, 10);
      const name = this.nameOf(key) ?? strips[0]!.name;
      const more = x.threads?.more[key] ?? 0;
      const label = `${t('timeline.threads', truncate(visible(name), 18), pid)}${more > 0 ? ` ${t('timeline.threadsMore', more)}` : ''}`;
      root.append(svg('text', { x: 4, y: row * STRIP_H + 9, class: 'timeline-threads-title' }, label));
      row++;
      for (const s of strips) {
        const y = row * STRIP_H;
        const g = svg('g', { class: 'timeline-strip' });
        g.dataset.key = key;
        g.dataset.tid = String(s.tid);
        g.append(svg('text', { x: 12, y: y + 8, class: 'timeline-thread-name' }, `${truncate(visible(s.name), 14)} ${s.tid}`));
        for (const r of stripRuns(s, x.times, X)) {
          const rect = svg('rect', {
            x: r.x,
            y: y + 1,
            width: r.width,
            height: STRIP_H - 2,
            class: `timeline-run st-${stateClass(r.run.state)}`,
          });
          rect.dataset.state = r.run.state;
          rect.append(svg('title', {}, runText(s, r.run, r.until)));
          g.append(rect);
        }
        root.append(g);
        row++;
      }
    }
    x.lives.forEach((l, i) => {
      const y = top + i * LANE_H;
      const g = svg('g', { class: 'timeline-lane', tabindex: 0, role: 'button' });
      g.dataset.key = l.key;
      // The thread strips above carry the same data-key: the focus comes back to the lane by this one.
      g.dataset.focusKey = `lane:${l.key}`;
      g.append(svg('title', {}, lifeText(l)));
      g.append(svg('text', { x: 4, y: y + 12, class: 'timeline-name' }, `${truncate(visible(l.lastName), 18)} ${l.pid}`));
      const x1 = X(l.bornAt ?? l.from);
      const x2 = X(l.exitedAt ?? whole.last);
      // Zoomed: a life wholly outside the window keeps its row and name, with no bar.
      const inside = (l.bornAt ?? l.from) <= last && (l.exitedAt ?? whole.last) >= first;
      if (inside)
        g.append(
          svg('rect', {
            x: x1,
            y: y + 4,
            width: Math.max(2, x2 - x1),
            height: LANE_H - 8,
            rx: 2,
            class: `timeline-bar${l.exitedAt !== undefined ? ' exited' : ''}`,
          }),
        );
      const shown = (at: number): boolean => at >= first && at <= last;
      for (const e of l.execs.filter((ev) => shown(ev.at))) {
        const ex = X(e.at);
        g.append(svg('path', { d: `M${ex},${y + 2} l4,6 l-4,6 l-4,-6 z`, class: 'timeline-exec' }));
      }
      if (l.zombieAt !== undefined && shown(l.zombieAt))
        g.append(svg('text', { x: X(l.zombieAt), y: y + 12, class: 'timeline-zombie', 'text-anchor': 'middle' }, 'Z'));
      if (l.exitedAt !== undefined && shown(l.exitedAt)) g.append(svg('text', { x: x2 + 2, y: y + 12, class: 'timeline-exit' }, '×'));
      g.addEventListener('click', () => {
        if (this.panned) this.panned = false;
        else this.cb.selectKey(l.key);
      });
      g.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter' || ev.key === ' ') this.cb.selectKey(l.key);
      });
      root.append(g);
    });
    const nodes: Node[] = [root];
    if (x.more > 0) nodes.push(el('div', 'muted', t('timeline.more', x.more)));
    // Redrawn at every refresh: a focused lane gets the focus back.
    keepFocus(this.lanes, () => this.lanes.replaceChildren(...nodes));
  }
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
