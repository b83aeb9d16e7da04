// The Timeline tab: the panel's in-memory history drawn as one lane per process life (a bar from birth, or the
// window's start, to exit, or now; marks for each exec, the zombie and the exit), and a scrubber that rewinds
// the tree to any tick of it. The host keeps the history (procscope.historyMemory); this asks for its index.
import type { HistoryIndex, LifeBrief } from '../src/core/record/historyIndex';
import type { StateRun, ThreadStrip } from '../src/core/record/threadStrips';
import { el, svg, visible } from './dom';
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

  constructor(private readonly cb: TimelineCallbacks) {
    this.element = el('div', 'timeline-pane');
    this.head = el('div', 'timeline-head');
    this.head.setAttribute('aria-live', 'polite');
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
    controls.append(this.scrub, this.liveButton);
    this.lanes = el('div', 'timeline-lanes');
    this.element.append(this.head, controls, this.lanes);
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
      this.head.textContent = t('timeline.none');
      this.scrub.max = '0';
      this.scrub.disabled = true;
      this.lanes.replaceChildren();
      return;
    }
    const first = x.times[0]!;
    const last = x.times[x.times.length - 1]!;
    const summary = [t('timeline.window', clock(first), clock(last), x.times.length)];
    summary.push(t('timeline.counts', x.lives.length + x.more, x.steady));
    if (x.unseen !== null && x.unseen > 0) summary.push(t('timeline.unseen', x.unseen));
    this.head.textContent = summary.join(' · ');
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
    const root = svg('svg', { class: 'timeline-svg', viewBox: `0 0 ${width} ${height}`, width, height, role: 'img' });
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
      g.append(svg('title', {}, lifeText(l)));
      g.append(svg('text', { x: 4, y: y + 12, class: 'timeline-name' }, `${truncate(visible(l.lastName), 18)} ${l.pid}`));
      const x1 = X(l.bornAt ?? l.from);
      const x2 = X(l.exitedAt ?? last);
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
      for (const e of l.execs) {
        const ex = X(e.at);
        g.append(svg('path', { d: `M${ex},${y + 2} l4,6 l-4,6 l-4,-6 z`, class: 'timeline-exec' }));
      }
      if (l.zombieAt !== undefined)
        g.append(svg('text', { x: X(l.zombieAt), y: y + 12, class: 'timeline-zombie', 'text-anchor': 'middle' }, 'Z'));
      if (l.exitedAt !== undefined) g.append(svg('text', { x: x2 + 2, y: y + 12, class: 'timeline-exit' }, '×'));
      g.addEventListener('click', () => this.cb.selectKey(l.key));
      g.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter' || ev.key === ' ') this.cb.selectKey(l.key);
      });
      root.append(g);
    });
    const nodes: Node[] = [root];
    if (x.more > 0) nodes.push(el('div', 'muted', t('timeline.more', x.more)));
    this.lanes.replaceChildren(...nodes);
  }
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
