// The detail pane's drawings: the memory map as one bar to scale by kind, and the classic five-state
// process model with the process's state lit.
import { LEGEND_STATES } from '../src/shared/stateText';
import type { MemoryMap } from '../src/core/detail';
import { el, svg, formatBytes } from './dom';
import { t, type MessageKey } from './i18n';

const KIND_COLORS: Record<string, string> = {
  code: 'kind-code',
  data: 'kind-data',
  heap: 'kind-heap',
  stack: 'kind-stack',
  library: 'kind-library',
  file: 'kind-file',
  anonymous: 'kind-anonymous',
  shared: 'kind-shared',
  special: 'kind-special',
};

/** The memory map summed by kind, one bar whose segment widths are to scale by size. */
export function memoryDrawing(map: MemoryMap): HTMLElement {
  const box = el('div', 'memory-drawing');
  box.append(
    el('div', 'memory-title', `${t('memory.title')} · ${t('memory.regions', map.regions.length)} · ${formatBytes(map.totalSize)}`),
  );
  const bar = el('div', 'memory-bar');
  bar.setAttribute('role', 'img');
  const legend = el('div', 'memory-legend');
  const parts: string[] = [];
  const total = map.totalSize || 1;
  for (const [kind, totals] of Object.entries(map.byKind)) {
    if (!totals || totals.size === 0) continue;
    const seg = el('div', `memory-seg ${KIND_COLORS[kind] ?? 'kind-special'}`);
    // Width by CSSOM (allowed by the CSP, unlike a style attribute).
    seg.style.width = `${(totals.size / total) * 100}%`;
    const label = t(`memory.${kind}` as MessageKey);
    seg.title = `${label}: ${formatBytes(totals.size)} (${totals.count})`;
    bar.append(seg);
    const item = el('span', 'legend-item');
    item.append(el('span', `swatch ${KIND_COLORS[kind] ?? 'kind-special'}`), el('span', '', `${label} ${formatBytes(totals.size)}`));
    legend.append(item);
    parts.push(`${label} ${formatBytes(totals.size)}`);
  }
  bar.setAttribute('aria-label', parts.join(', '));
  box.append(bar, legend);
  return box;
}

type ModelState = 'new' | 'ready' | 'running' | 'blocked' | 'terminated';

/** Where a kernel state letter sits in the five-state model (a stopped process counts as blocked). */
export function modelStates(state: string): ModelState[] {
  switch (state) {
    case 'R':
      return ['ready', 'running'];
    case 'S':
    case 'D':
    case 'I':
    case 'T':
    case 't':
    case 'W':
    case 'P':
    case 'K':
      return ['blocked'];
    case 'Z':
    case 'X':
    case 'x':
      return ['terminated'];
    default:
      return [];
  }
}

/** The classic five-state model as an SVG, with the process's current state(s) lit. */
export function stateDiagram(state: string): HTMLElement {
  const lit = new Set(modelStates(state));
  const box = el('div', 'state-model');
  box.append(el('div', 'memory-title', t('model.title')));
  const W = 340;
  const H = 150;
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'state-diagram', role: 'img' });
  const nodes: Record<ModelState, { x: number; y: number; label: MessageKey }> = {
    new: { x: 40, y: 30, label: 'model.new' },
    ready: { x: 95, y: 75, label: 'model.ready' },
    running: { x: 245, y: 75, label: 'model.running' },
    blocked: { x: 170, y: 128, label: 'model.blocked' },
    terminated: { x: 300, y: 30, label: 'model.terminated' },
  };
  const defs = svg('defs');
  const marker = svg('marker', {
    id: 'arrowhead',
    viewBox: '0 0 10 10',
    refX: 9,
    refY: 5,
    markerWidth: 6,
    markerHeight: 6,
    orient: 'auto-start-reverse',
  });
  marker.append(svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrow-head' }));
  defs.append(marker);
  root.append(defs);
  const edges: [ModelState, ModelState, number][] = [
    ['new', 'ready', 0],
    ['ready', 'running', -12],
    ['running', 'ready', 12],
    ['running', 'blocked', 0],
    ['blocked', 'ready', 0],
    ['running', 'terminated', 0],
  ];
  const rw = 76;
  const rh = 22;
  for (const [a, b, bend] of edges) {
    const p = nodes[a];
    const q = nodes[b];
    const dx = q.x - p.x;
    const dy = q.y - p.y;
    const len = Math.hypot(dx, dy);
    // Start and end at the boxes' edges (approximated by an ellipse around each box).
    const shrink = (ux: number, uy: number): number => 1 / Math.sqrt((ux * ux) / (rw / 2 + 2) ** 2 + (uy * uy) / (rh / 2 + 2) ** 2);
    const ux = dx / len;
    const uy = dy / len;
    const s = shrink(ux, uy);
    const x1 = p.x + ux * s;
    const y1 = p.y + uy * s;
    const x2 = q.x - ux * s;
    const y2 = q.y - uy * s;
    const mx = (x1 + x2) / 2 - uy * bend;
    const my = (y1 + y2) / 2 + ux * bend;
    root.append(svg('path', { d: `M${x1},${y1} Q${mx},${my} ${x2},${y2}`, class: 'model-edge', 'marker-end': 'url(#arrowhead)' }));
  }
  for (const [id, n] of Object.entries(nodes) as [ModelState, (typeof nodes)[ModelState]][]) {
    const g = svg('g', { class: `model-node${lit.has(id) ? ' lit' : ''}` });
    g.append(svg('rect', { x: n.x - rw / 2, y: n.y - rh / 2, width: rw, height: rh, rx: 11 }));
    g.append(svg('text', { x: n.x, y: n.y + 4, 'text-anchor': 'middle' }, t(n.label)));
    root.append(g);
  }
  const note = (LEGEND_STATES as readonly string[]).includes(state) ? t(`model.note.${state}` as MessageKey) : t('model.note.other');
  root.setAttribute('aria-label', `${t('model.title')}: ${note}`);
  box.append(root, el('div', 'model-note', note));
  return box;
}
