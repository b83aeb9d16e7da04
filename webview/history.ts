// History of the selected process: CPU% and RSS sparklines, and per thread a CPU sparkline and a state
// strip (one cell per refresh, coloured by state) so a thread blocking and waking is visible.
import type { History } from './store';
import { el, osEl, svg, visible, formatBytes, formatPercent } from './dom';
import { t } from './i18n';
import { stateClass } from './rowText';

const WIDTH = 300;
const HEIGHT = 28;

export function renderHistory(container: HTMLElement, history: History | undefined, portable = false): void {
  container.replaceChildren();
  container.append(el('div', 'history-title', t('history.title')));
  if (portable) {
    // The portable backend's records hold placeholders for CPU, memory and state: a flat line would be a lie.
    container.append(el('div', 'muted history-portable', t('history.portable')));
    return;
  }
  if (!history || history.times.length === 0) {
    container.append(el('div', 'muted', t('history.empty')));
    return;
  }
  const n = history.times.length;
  const lastCpu = history.cpu[n - 1] ?? null;
  const lastRss = history.rss[n - 1] ?? 0;
  const cpuText = (v: number | null): string => `${formatPercent(v)} %`;
  container.append(
    sparkRow(
      t('history.cpu'),
      cpuText(lastCpu),
      history.cpu,
      Math.max(100, ...history.cpu.map((c) => c ?? 0)),
      'spark-cpu',
      history.times,
      cpuText,
    ),
  );
  container.append(
    sparkRow(t('history.rss'), formatBytes(lastRss), history.rss, Math.max(1, ...history.rss), 'spark-rss', history.times, (v) =>
      formatBytes(v),
    ),
  );
  container.append(timeAxis(history.times));

  container.append(el('div', 'history-subtitle', t('history.threads')));
  if (history.threads.size === 0) {
    container.append(el('div', 'muted', t('history.noThreads')));
    return;
  }
  const table = el('div', 'thread-history');
  table.setAttribute('role', 'list');
  for (const [tid, th] of history.threads) {
    const row = el('div', 'thread-history-row');
    row.setAttribute('role', 'listitem');
    const label = el('div', 'th-label');
    label.append(el('span', 'mono', String(tid)), thName(th.name));
    row.append(label);
    row.append(sparkline(th.cpu, Math.max(100, ...th.cpu.map((c) => c ?? 0)), 'spark-cpu', n));
    row.append(stateStrip(th.states, n));
    const last = th.states[th.states.length - 1];
    row.append(el('span', `state-badge st-${stateClass(last ?? '?')}`, last ?? '–'));
    table.append(row);
  }
  container.append(table);
  container.append(el('div', 'muted legend-line', t('history.legend')));
}

/** Where the pointer rests over a sparkline (by its class, as a share of the width): the pane is rebuilt every refresh. */
let hover: { cls: string; at: number } | null = null;
let leaveWatched = false;

/**
 * A sparkline rebuilt under a resting pointer was never entered, so it gets no pointerleave when the pointer
 * goes: a move anywhere outside a sparkline (or out of the page) hides every tip but the one under the pointer.
 */
function watchLeave(): void {
  if (leaveWatched) return;
  leaveWatched = true;
  const end = (target: EventTarget | null): void => {
    if (!hover) return;
    const under = target instanceof Element ? target.closest('.spark-box') : null;
    if (!under) hover = null;
    for (const box of document.querySelectorAll('.spark-box')) {
      if (box === under) continue;
      for (const e of box.querySelectorAll<HTMLElement>('.spark-tip, .spark-marker')) e.hidden = true;
    }
  };
  document.addEventListener('pointermove', (e) => end(e.target), { passive: true });
  document.documentElement.addEventListener('pointerleave', () => end(null));
}

function sparkRow(
  label: string,
  current: string,
  values: readonly (number | null)[],
  max: number,
  cls: string,
  times: readonly number[],
  format: (v: number | null) => string,
): HTMLElement {
  watchLeave();
  const row = el('div', 'spark-row');
  const box = el('div', 'spark-box');
  const tip = el('div', 'spark-tip');
  tip.hidden = true;
  tip.setAttribute('role', 'status');
  const marker = el('div', 'spark-marker');
  marker.hidden = true;
  const n = values.length;
  // The sample under a share of the width (0 = oldest, 1 = newest), its value and how long ago it was taken.
  const show = (at: number): void => {
    const i = Math.max(0, Math.min(n - 1, Math.round(at * (n - 1))));
    const x = n > 1 ? i / (n - 1) : 1;
    tip.textContent = t('history.valueAgo', format(values[i] ?? null), agoText(times, i));
    tip.hidden = false;
    marker.hidden = false;
    marker.style.left = `${(x * 100).toFixed(2)}%`;
    // The tip stays inside the box: anchored left in the left half, right in the right half.
    tip.style.left = x <= 0.5 ? `${(x * 100).toFixed(2)}%` : '';
    tip.style.right = x > 0.5 ? `${((1 - x) * 100).toFixed(2)}%` : '';
    tip.dataset.index = String(i);
  };
  box.addEventListener('pointermove', (e) => {
    const r = box.getBoundingClientRect();
    if (r.width <= 0) return;
    hover = { cls, at: Math.max(0, Math.min(1, (e.clientX - r.left) / r.width)) };
    show(hover.at);
  });
  box.addEventListener('pointerleave', () => {
    hover = null;
    tip.hidden = true;
    marker.hidden = true;
  });
  box.append(sparkline(values, max, cls, n), marker, tip);
  if (hover?.cls === cls) show(hover.at);
  row.append(el('div', 'spark-label', label), box, el('div', 'spark-value', current));
  return row;
}

/** "12 s ago" for sample i, counted from the newest sample; "now" for the newest. */
function agoText(times: readonly number[], i: number): string {
  const newest = times[times.length - 1] ?? 0;
  const s = Math.round((newest - (times[i] ?? newest)) / 1000);
  return s <= 0 ? t('history.now') : t('history.ago', s);
}

/** Seconds-ago labels under the sparklines: the oldest sample, the middle one and now. */
function timeAxis(times: readonly number[]): HTMLElement {
  const axis = el('div', 'spark-axis');
  axis.setAttribute('aria-hidden', 'true');
  const ticks = el('div', 'spark-ticks');
  const n = times.length;
  const spots = n > 2 ? [0, Math.floor((n - 1) / 2), n - 1] : n === 2 ? [0, 1] : [n - 1];
  for (const i of spots) {
    const tick = el('span', 'spark-tick', agoText(times, i));
    const x = n > 1 ? i / (n - 1) : 1;
    tick.style.left = `${(x * 100).toFixed(2)}%`;
    tick.classList.add(x === 0 ? 'at-start' : x === 1 ? 'at-end' : 'at-middle');
    ticks.append(tick);
  }
  axis.append(el('div', ''), ticks, el('div', ''));
  return axis;
}

/** A polyline of the values, newest on the right; gaps (null) break the line. */
export function sparkline(values: readonly (number | null)[], max: number, cls: string, slots: number): SVGSVGElement {
  const root = svg('svg', { class: `sparkline ${cls}`, viewBox: `0 0 ${WIDTH} ${HEIGHT}`, preserveAspectRatio: 'none', role: 'img' });
  const step = WIDTH / Math.max(1, slots - 1);
  const offset = slots - values.length;
  let d = '';
  let pen = false;
  values.forEach((value, i) => {
    if (value === null) {
      pen = false;
      return;
    }
    const x = (i + offset) * step;
    const y = HEIGHT - 1 - (Math.min(value, max) / max) * (HEIGHT - 2);
    d += `${pen ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)}`;
    pen = true;
  });
  root.append(svg('line', { x1: 0, y1: HEIGHT - 0.5, x2: WIDTH, y2: HEIGHT - 0.5, class: 'spark-base' }));
  if (d) root.append(svg('path', { d, class: 'spark-line' }));
  const last = [...values].reverse().find((v) => v !== null);
  root.setAttribute('aria-label', last === undefined || last === null ? '–' : String(Math.round(last)));
  return root;
}

/** One rectangle per sample, coloured by the thread's state (class st-X); empty where the thread did not exist. */
export function stateStrip(states: readonly (string | null)[], slots: number): SVGSVGElement {
  const root = svg('svg', { class: 'state-strip', viewBox: `0 0 ${WIDTH} 10`, preserveAspectRatio: 'none', role: 'img' });
  const w = WIDTH / Math.max(1, slots);
  const offset = slots - states.length;
  // Runs of the same state become one rect (fewer nodes), and one "S × 8" of the spoken label.
  const runs: string[] = [];
  let i = 0;
  while (i < states.length) {
    const s = states[i];
    let j = i + 1;
    while (j < states.length && states[j] === s) j++;
    if (s !== null && s !== undefined) {
      const r = svg('rect', {
        x: ((i + offset) * w).toFixed(2),
        y: 0,
        width: ((j - i) * w).toFixed(2),
        height: 10,
        class: `strip-${stateClass(s)}`,
      });
      r.append(svg('title', {}, `${s} × ${j - i}`));
      root.append(r);
      runs.push(`${s} × ${j - i}`);
    }
    i = j;
  }
  // What the colours say, in words: the runs of states, oldest first.
  root.setAttribute('aria-label', runs.join(', '));
  return root;
}

/** A thread name, cut to its column, with the whole name as its tooltip. */
function thName(name: string): HTMLElement {
  const span = osEl('span', 'th-name', name);
  span.title = visible(name);
  return span;
}
