// The IPC view: the graph (ipcGraph.ts) laid out (ipcLayout.ts) and drawn as SVG with DOM APIs only, with
// its scope buttons, the Waits layer toggle, zoom, fit, pan and a maximized mode; deadlocks as banners.
import type { IpcMap } from '../src/core/ipc/model';
import { el, icon, keepFocus, radioGroupKeys, replaceChildrenIfChanged, setText, svg, visible } from './dom';
import { t } from './i18n';
import { buildGraph, type Graph, type IpcScope } from './ipcGraph';
import { layoutGraph, midpoint, NODE_H, NODE_W, truncate, type Positioned } from './ipcLayout';
import type { WaitsStore } from './waitsOverview';

export type { IpcScope } from './ipcGraph';

const ZOOM_MIN = 0.1;
const ZOOM_MAX = 4;
const ZOOM_STEP = 1.25;

export interface IpcViewCallbacks {
  selectPid(pid: number): void;
  processName(pid: number): string;
  scopeChanged(scope: IpcScope): void;
  /** The graph asks for the whole panel (or gives it back). */
  maximizeChanged?(maximized: boolean): void;
  /** The portable backend: there is no /proc to scan, so no map will come. */
  portable?(): boolean;
}

export class IpcView {
  readonly element: HTMLElement;
  private readonly toolbar: HTMLElement;
  private readonly status: HTMLElement;
  private readonly alerts: HTMLElement;
  private readonly pastNote: HTMLElement;
  private readonly canvas: HTMLElement;
  private map: IpcMap | null = null;
  private signature = '';
  private positioned: Positioned | null = null;
  private generation = 0;
  private graph: Graph | null = null;
  private selectedPid: number | null = null;
  private centred = '';
  private workspacePids: ReadonlySet<number> = new Set();
  visible = false;
  /** The drawing's scale; `zoomFor` is the graph it was chosen for (a new graph starts from the automatic scale). */
  zoom = 1;
  private zoomFor = '';
  private full = { width: 0, height: 0 };
  maximized = false;
  private readonly scopes: HTMLElement;
  private readonly controls: HTMLElement;
  private zoomLabel!: HTMLElement;
  private waits: WaitsStore | null = null;
  private waitsGeneration = -1;
  /** The Waits layer: the wait-for graph drawn over the channels (on until the user turns it off). */
  showWaits = true;

  constructor(
    private readonly cb: IpcViewCallbacks,
    public scope: IpcScope,
  ) {
    this.element = el('div', 'ipc-view');
    this.toolbar = el('div', 'ipc-toolbar');
    this.scopes = el('div', 'ipc-scopes');
    this.scopes.setAttribute('role', 'radiogroup');
    this.scopes.setAttribute('aria-label', t('ipc.scopes'));
    radioGroupKeys(this.scopes);
    this.controls = el('div', 'ipc-controls');
    this.controls.setAttribute('role', 'toolbar');
    this.controls.setAttribute('aria-label', t('ipc.view'));
    this.toolbar.append(this.scopes, this.controls);
    this.status = el('div', 'ipc-status');
    this.status.setAttribute('aria-live', 'polite');
    this.pastNote = el('div', 'notice ipc-past');
    this.pastNote.hidden = true;
    // Deadlock alerts live outside the redrawn canvas and change only when the deadlocks do: an alert is
    // announced when it appears, not again at every scan while the deadlock lasts.
    this.alerts = el('div', 'ipc-alerts');
    this.canvas = el('div', 'ipc-canvas');
    this.canvas.tabIndex = -1;
    this.element.append(this.toolbar, this.pastNote, this.status, this.alerts, this.canvas);
    this.renderToolbar();
    this.renderControls();
    this.installNavigation();
  }

  private renderControls(): void {
    keepFocus(this.controls, () => this.buildControls());
  }

  private buildControls(): void {
    this.controls.replaceChildren();
    const button = (action: string, iconName: string, label: string, run: () => void): HTMLButtonElement => {
      const b = el('button', 'chip-button icon-button');
      b.type = 'button';
      b.dataset.ipcAction = action;
      b.title = label;
      b.setAttribute('aria-label', label);
      b.append(icon(iconName));
      b.addEventListener('click', run);
      return b;
    };
    this.zoomLabel = el('span', 'ipc-zoom', `${Math.round(this.zoom * 100)}%`);
    this.zoomLabel.setAttribute('aria-live', 'polite');
    const max = button(
      'maximize',
      this.maximized ? 'screen-normal' : 'screen-full',
      this.maximized ? t('ipc.restore') : t('ipc.maximize'),
      () => this.setMaximized(!this.maximized),
    );
    max.setAttribute('aria-pressed', this.maximized ? 'true' : 'false');
    const layer = el('button', `chip-button${this.showWaits ? ' active' : ''}`, t('ipc.waitsLayer'));
    layer.type = 'button';
    layer.dataset.ipcAction = 'waits';
    layer.title = t('ipc.waitsLayerHint');
    layer.setAttribute('aria-pressed', this.showWaits ? 'true' : 'false');
    layer.addEventListener('click', () => this.setShowWaits(!this.showWaits));
    this.controls.append(
      layer,
      button('zoom-out', 'zoom-out', t('ipc.zoomOut'), () => this.setZoom(this.zoom / ZOOM_STEP)),
      this.zoomLabel,
      button('zoom-in', 'zoom-in', t('ipc.zoomIn'), () => this.setZoom(this.zoom * ZOOM_STEP)),
      button('fit', 'expand-all', t('ipc.fit'), () => this.fit()),
      max,
    );
  }

  setShowWaits(on: boolean): void {
    if (on === this.showWaits) return;
    this.showWaits = on;
    this.renderControls();
    void this.update();
  }

  /** A new wait overview: redrawn when the Waits layer shows it. */
  setWaits(waits: WaitsStore): void {
    this.waits = waits;
    if (waits.generation === this.waitsGeneration) return;
    this.waitsGeneration = waits.generation;
    if (this.showWaits) void this.update();
  }

  setMaximized(on: boolean): void {
    if (on === this.maximized) return;
    this.maximized = on;
    // The layout change may move this view in the page: the focus goes back to the button either way.
    keepFocus(this.element, () => {
      this.buildControls();
      this.cb.maximizeChanged?.(on);
    });
  }

  /** Scales the whole graph to the canvas. */
  fit(): void {
    if (!this.full.width || !this.full.height) return;
    const w = this.canvas.clientWidth - 16;
    const h = this.canvas.clientHeight - 8;
    if (w <= 0 || h <= 0) return;
    this.setZoom(Math.min(w / this.full.width, h / this.full.height, ZOOM_MAX));
  }

  /** Sets the scale, keeping the graph point under `at` (canvas pixels; default the middle) where it is. */
  setZoom(zoom: number, at?: { x: number; y: number }): void {
    const next = Math.max(ZOOM_MIN, Math.min(ZOOM_MAX, zoom));
    const graph = this.canvas.querySelector<SVGSVGElement>('svg.ipc-graph');
    const old = this.zoom;
    this.zoom = next;
    this.zoomFor = this.signature;
    this.zoomLabel.textContent = `${Math.round(next * 100)}%`;
    if (!graph) return;
    const point = at ?? { x: this.canvas.clientWidth / 2, y: this.canvas.clientHeight / 2 };
    const gx = (this.canvas.scrollLeft + point.x) / old;
    const gy = (this.canvas.scrollTop + point.y) / old;
    graph.setAttribute('width', String(Math.round(this.full.width * next)));
    graph.setAttribute('height', String(Math.round(this.full.height * next)));
    this.canvas.scrollLeft = gx * next - point.x;
    this.canvas.scrollTop = gy * next - point.y;
  }

  /** Ctrl/Cmd + wheel zooms around the pointer; dragging the background pans. */
  private installNavigation(): void {
    this.canvas.addEventListener(
      'wheel',
      (e) => {
        if (!e.ctrlKey && !e.metaKey) return;
        e.preventDefault();
        const box = this.canvas.getBoundingClientRect();
        this.setZoom(this.zoom * Math.exp(-e.deltaY * 0.002), { x: e.clientX - box.left, y: e.clientY - box.top });
      },
      { passive: false },
    );
    this.canvas.addEventListener('pointerdown', (e) => {
      if (e.button !== 0 || (e.target as Element).closest('.ipc-node')) return;
      const start = { x: e.clientX, y: e.clientY, left: this.canvas.scrollLeft, top: this.canvas.scrollTop };
      this.canvas.setPointerCapture(e.pointerId);
      this.canvas.classList.add('panning');
      const move = (ev: PointerEvent): void => {
        this.canvas.scrollLeft = start.left - (ev.clientX - start.x);
        this.canvas.scrollTop = start.top - (ev.clientY - start.y);
      };
      const up = (): void => {
        this.canvas.classList.remove('panning');
        this.canvas.removeEventListener('pointermove', move);
        this.canvas.removeEventListener('pointerup', up);
        this.canvas.removeEventListener('pointercancel', up);
      };
      this.canvas.addEventListener('pointermove', move);
      this.canvas.addEventListener('pointerup', up);
      this.canvas.addEventListener('pointercancel', up);
    });
    this.element.addEventListener('keydown', (e) => {
      if ((e.target as HTMLElement).closest('input, textarea')) return;
      if (e.key === '+' || e.key === '=') this.setZoom(this.zoom * ZOOM_STEP);
      else if (e.key === '-') this.setZoom(this.zoom / ZOOM_STEP);
      else if (e.key === '0') this.fit();
      else if (e.key === 'Escape' && this.maximized) this.setMaximized(false);
      else return;
      e.preventDefault();
    });
  }

  private renderToolbar(): void {
    keepFocus(this.scopes, () => this.buildScopes());
  }

  private buildScopes(): void {
    this.scopes.replaceChildren();
    for (const s of ['selection', 'workspace', 'all'] as IpcScope[]) {
      const b = el('button', `chip-button${this.scope === s ? ' active' : ''}`, t(`ipc.scope.${s}`));
      b.type = 'button';
      b.setAttribute('role', 'radio');
      b.setAttribute('aria-checked', this.scope === s ? 'true' : 'false');
      b.tabIndex = this.scope === s ? 0 : -1;
      b.dataset.ipcScope = s;
      b.addEventListener('click', () => {
        this.scope = s;
        this.renderToolbar();
        this.cb.scopeChanged(s);
        this.update();
      });
      this.scopes.append(b);
    }
  }

  setMap(map: IpcMap | null): void {
    this.map = map;
    this.update();
  }

  /** While the panel is rewound: which scan the graph shows, or why it shows none (null when live). */
  setPastNote(text: string | null): void {
    this.pastNote.hidden = text === null;
    this.pastNote.textContent = text ?? '';
  }

  setContext(selectedPid: number | null, workspacePids: ReadonlySet<number>): void {
    const changed = selectedPid !== this.selectedPid || workspacePids.size !== this.workspacePids.size;
    this.selectedPid = selectedPid;
    this.workspacePids = workspacePids;
    if (changed) this.update();
  }

  show(visible: boolean): void {
    this.visible = visible;
    if (visible) this.update();
  }

  /** Resolves once the current graph is drawn (tests and the benchmark wait on it). */
  async update(): Promise<void> {
    if (!this.visible) return;
    if (!this.map) {
      // Rewound to a time no kept scan reaches: the note above says so; nothing is awaited.
      setText(this.status, !this.pastNote.hidden ? '' : this.cb.portable?.() ? t('ipc.portable') : t('ipc.waiting'));
      replaceChildrenIfChanged(this.alerts, []);
      this.canvas.replaceChildren();
      return;
    }
    if (this.scope === 'selection' && this.selectedPid === null) {
      setText(this.status, t('ipc.noSelection'));
      replaceChildrenIfChanged(this.alerts, []);
      this.canvas.replaceChildren();
      this.signature = '';
      return;
    }
    const graph = buildGraph(this.map, this.scope, this.selectedPid, this.workspacePids, this.showWaits ? this.waits : null);
    this.graph = graph;
    if (graph.edges.length === 0 && graph.waitCycles.length === 0) {
      this.signature = '';
      setText(this.status, '');
      replaceChildrenIfChanged(this.alerts, []);
      const empty = el('div', 'empty-state');
      empty.append(el('div', '', t('ipc.empty')), el('div', 'muted', t('ipc.emptyHint')));
      this.canvas.replaceChildren(empty);
      return;
    }
    const signature = graph.nodes.join(',') + '|' + graph.edges.map((e) => e.id).join(',');
    if (signature !== this.signature || !this.positioned) {
      this.signature = signature;
      const generation = ++this.generation;
      try {
        const positioned = await layoutGraph(graph);
        if (generation !== this.generation) return;
        this.positioned = positioned;
      } catch (error) {
        this.status.textContent = t('ipc.layoutFailed', error instanceof Error ? error.message : String(error));
        return;
      }
    }
    this.draw(graph, this.positioned!);
  }

  private draw(graph: Graph, pos: Positioned): void {
    const channels = graph.edges.reduce((n, e) => n + (e.kind === 'wait' ? 0 : e.count), 0);
    const status: string[] = [t('ipc.laidOut', graph.nodes.length, channels, Math.round(pos.ms))];
    if (graph.total > graph.nodes.length) status.push(t('ipc.truncated', graph.nodes.length, graph.total));
    setText(this.status, status.join(' · '));
    const frag: Node[] = [];
    const alerts: HTMLElement[] = [];
    const shown = this.map!.deadlocks.filter((d) => d.pids.every((p) => graph.nodes.includes(p)));
    for (const d of shown) {
      const banner = el('div', 'deadlock-banner');
      banner.setAttribute('role', 'alert');
      const i = el('span', 'codicon codicon-error');
      i.setAttribute('aria-hidden', 'true');
      const names = d.pids.map((p) => `${visible(this.cb.processName(p))} (${p})`).join(' ⇄ ');
      banner.append(i, el('span', '', `${t('ipc.deadlock', names)} — ${d.files.map(visible).join(', ')}`));
      alerts.push(banner);
    }
    // Wait-for cycles: a file-lock deadlock is already announced above from the lock table.
    const lockSets = new Set(shown.map((d) => [...d.pids].sort((a, b) => a - b).join(',')));
    for (const c of graph.waitCycles) {
      const pids = [...new Set(c.map((m) => m.pid))].sort((a, b) => a - b).join(',');
      if (lockSets.has(pids)) continue;
      const banner = el('div', 'deadlock-banner wait-cycle');
      banner.setAttribute('role', 'alert');
      const i = el('span', 'codicon codicon-error');
      i.setAttribute('aria-hidden', 'true');
      const path = [...c, c[0]!].map((m) => `${visible(m.name)} (${m.pid === m.tid ? m.pid : `${m.pid}/${m.tid}`})`).join(' → ');
      banner.append(i, el('span', '', t('ipc.waitDeadlock', path)));
      alerts.push(banner);
    }
    replaceChildrenIfChanged(this.alerts, alerts);
    const pad = 12;
    const fullWidth = pos.width + pad * 2;
    const fullHeight = pos.height + pad * 2;
    this.full = { width: fullWidth, height: fullHeight };
    // A new graph starts shrunk to the pane, but not below 75% (text must stay readable; the canvas scrolls
    // beyond); the user's zoom holds while the same graph is redrawn.
    if (this.zoomFor !== this.signature) {
      const available = Math.max(200, this.canvas.clientWidth - 16);
      this.zoom = Math.max(0.75, Math.min(1, available / fullWidth));
      this.zoomFor = this.signature;
      this.zoomLabel.textContent = `${Math.round(this.zoom * 100)}%`;
    }
    const scale = this.zoom;
    const root = svg('svg', {
      class: 'ipc-graph',
      width: Math.round(fullWidth * scale),
      height: Math.round(fullHeight * scale),
      viewBox: `${-pad} ${-pad} ${fullWidth} ${fullHeight}`,
      // A group, not an image: its process nodes are buttons a screen reader must reach.
      role: 'group',
    });
    root.setAttribute('aria-label', t('ipc.graphLabel', graph.nodes.length, channels));
    const defs = svg('defs');
    for (const [id, cls] of [
      ['ipc-arrow', 'ipc-arrowhead'],
      ['ipc-arrow-dead', 'ipc-arrowhead deadlock'],
    ] as const) {
      const m = svg('marker', {
        id,
        viewBox: '0 0 10 10',
        refX: 9,
        refY: 5,
        markerWidth: 7,
        markerHeight: 7,
        orient: 'auto-start-reverse',
      });
      m.append(svg('path', { d: 'M0,0 L10,5 L0,10 z', class: cls }));
      defs.append(m);
    }
    root.append(defs);
    const edgeLayer = svg('g', { class: 'edges', 'aria-hidden': 'true' });
    const labelLayer = svg('g', { class: 'edge-labels', 'aria-hidden': 'true' });
    // What the lines say, for a screen reader (the drawing is hidden from it): one item per channel.
    const channelList = el('ul', 'sr-only ipc-channel-list');
    channelList.setAttribute('aria-label', t('ipc.channelList'));
    for (const e of graph.edges) {
      const route = pos.edges.get(e.id);
      if (!route) continue;
      const d = route.points.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join('');
      const path = svg('path', { d, class: `ipc-edge kind-${e.kind}${e.deadlock ? ' deadlock' : ''}` });
      if (e.directed) path.setAttribute('marker-end', `url(#${e.deadlock ? 'ipc-arrow-dead' : 'ipc-arrow'})`);
      const ends = `${visible(this.cb.processName(e.from))} (${e.from}) ${e.directed ? '→' : '↔'} ${visible(this.cb.processName(e.to))} (${e.to})`;
      path.append(svg('title', {}, e.labels.map((l) => `${l}: ${ends}`).join('\n')));
      for (const l of e.labels) channelList.append(el('li', '', `${l}: ${ends}`));
      if (e.count > 1) path.dataset.count = String(e.count);
      path.dataset.channel = e.channelId;
      edgeLayer.append(path);
      const mid = route.label ? { x: route.label.x + route.label.width / 2, y: route.label.y + 14 } : midpoint(route.points);
      // The whole label (ELK made room for it); a merged edge's tooltip lists every channel.
      const text = svg(
        'text',
        {
          x: mid.x.toFixed(1),
          y: (mid.y - 4).toFixed(1),
          'text-anchor': 'middle',
          class: `ipc-edge-label${e.deadlock ? ' deadlock' : ''}${e.count > 1 ? ' merged' : ''}`,
        },
        e.label,
      );
      text.append(svg('title', {}, e.labels.join('\n')));
      labelLayer.append(text);
    }
    root.append(edgeLayer);
    const nodeLayer = svg('g', { class: 'nodes' });
    for (const pid of graph.nodes) {
      const p = pos.nodes.get(pid);
      if (!p) continue;
      const g = svg('g', {
        class: `ipc-node${pid === this.selectedPid ? ' selected' : ''}${graph.deadlockPids.has(pid) ? ' deadlock' : ''}`,
        transform: `translate(${p.x},${p.y})`,
        tabindex: 0,
        role: 'button',
      });
      g.dataset.pid = String(pid);
      const name = visible(this.cb.processName(pid));
      g.setAttribute('aria-label', `${name} ${pid}`);
      // The drawn name is cut to the box: the tooltip holds it whole.
      g.append(svg('title', {}, `${name} (PID ${pid})`));
      g.append(svg('rect', { width: NODE_W, height: NODE_H, rx: 4 }));
      g.append(svg('text', { x: 8, y: 15, class: 'ipc-node-name' }, truncate(name, 20)));
      g.append(svg('text', { x: 8, y: 29, class: 'ipc-node-pid' }, `PID ${pid}`));
      g.addEventListener('click', () => this.cb.selectPid(pid));
      g.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter' || ev.key === ' ') this.cb.selectPid(pid);
      });
      nodeLayer.append(g);
    }
    root.append(nodeLayer, labelLayer);
    frag.push(root, channelList);
    // Redrawn at every scan and on selection: the focused process node gets the focus back.
    keepFocus(this.canvas, () => this.canvas.replaceChildren(...frag));
    this.centreSelected();
  }

  /** Scrolls the selected node to the middle of the view (a hub with many neighbours lays out wider than the pane). */
  private centreSelected(): void {
    const node = this.canvas.querySelector<SVGGElement>('.ipc-node.selected');
    if (!node || this.canvas.clientWidth === 0) return;
    // Only when the selection or the graph changed: a periodic IPC refresh must not undo the user's scrolling.
    const what = `${this.selectedPid}|${this.signature}`;
    if (what === this.centred) return;
    this.centred = what;
    // The canvas scrolls sideways; the tab panel around it scrolls down. Read both boxes, then write.
    for (const scroller of [this.canvas, this.canvas.closest<HTMLElement>('vscode-tab-panel')]) {
      if (!scroller) continue;
      const box = scroller.getBoundingClientRect();
      const r = node.getBoundingClientRect();
      const dx = r.left + r.width / 2 - (box.left + box.width / 2);
      const dy = r.top + r.height / 2 - (box.top + box.height / 2);
      if (scroller.scrollWidth > scroller.clientWidth) scroller.scrollLeft += dx;
      if (scroller.scrollHeight > scroller.clientHeight) scroller.scrollTop += dy;
    }
  }
}
