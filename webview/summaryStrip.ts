// The machine at a glance, above the list, as htop's meters: per-core CPU (user, system, I/O wait, steal),
// load average, processes by state, memory as `free` shows it and pressure stall information, each with a
// sparkline of the last minutes. One line when folded; the host sends a summary with every tick.
import type { ProcessInfo } from '../src/core/model';
import type { MachineSummary } from '../src/core/summary';
import type { MachineMessage } from '../src/protocol';
import { el, icon, setText, formatBytes, reconcileChildren } from './dom';
import { sparkline } from './history';
import { getLocale, t } from './i18n';

/** Samples kept for the sparklines: five minutes at the default one tick a second. */
export const SUMMARY_HISTORY = 300;
const STATE_ORDER = ['R', 'S', 'D', 'T', 't', 'Z', 'I'] as const;

export interface SummaryCallbacks {
  /** The strip was opened or folded (the choice is kept with the panel's state). */
  toggled(open: boolean): void;
}

/** The history behind the sparklines, and the newest summary. Pure: no DOM. */
export class MachineHistory {
  readonly cpu: (number | null)[] = [];
  readonly memUsed: (number | null)[] = [];
  readonly load1: (number | null)[] = [];
  latest: MachineSummary | null = null;

  push(s: MachineSummary): void {
    this.latest = s;
    const add = (list: (number | null)[], v: number | null): void => {
      list.push(v);
      if (list.length > SUMMARY_HISTORY) list.shift();
    };
    add(this.cpu, s.cpu ? s.cpu.total.busy : null);
    add(this.memUsed, s.memory ? s.memory.used : null);
    add(this.load1, s.load ? s.load.load1 : null);
  }
}

/** Processes by state letter, and every thread, from the panel's table. */
export function countStates(processes: Iterable<ProcessInfo>): { byState: Map<string, number>; processes: number; threads: number } {
  const byState = new Map<string, number>();
  let count = 0;
  let threads = 0;
  for (const p of processes) {
    count++;
    threads += Math.max(1, p.numThreads);
    byState.set(p.state, (byState.get(p.state) ?? 0) + 1);
  }
  return { byState, processes: count, threads };
}

const pct = (n: number): string => `${n < 10 ? n.toFixed(1) : Math.round(n)}%`;

/** `45 s`, `12 min`, `3 h 05 min`: how far back the history reaches. */
export function reachText(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return t('duration.seconds', s);
  const m = Math.floor(s / 60);
  if (m < 60) return t('duration.minutes', m);
  // The minutes as two digits in English ("3 h 05 min"), as a plain number in Korean ("3시간 5분").
  const minutes = getLocale() === 'ko' ? String(m % 60) : String(m % 60).padStart(2, '0');
  return t('duration.hours', Math.floor(m / 60), minutes);
}

export class SummaryStrip {
  element!: HTMLElement;
  readonly history = new MachineHistory();
  private body!: HTMLElement;
  private line!: HTMLElement;
  private toggle!: HTMLButtonElement;

  constructor(
    public open: boolean,
    private readonly cb: SummaryCallbacks,
  ) {}

  /** New elements (the panel is rebuilt when the language changes); the history is kept. */
  mount(): HTMLElement {
    this.element = el('section', 'summary-strip');
    this.element.setAttribute('aria-label', t('summary.title'));
    const head = el('div', 'summary-head');
    this.toggle = el('button', 'summary-toggle icon-button');
    this.toggle.type = 'button';
    this.toggle.addEventListener('click', () => {
      this.open = !this.open;
      this.cb.toggled(this.open);
      this.render();
    });
    this.line = el('span', 'summary-line');
    head.append(this.toggle, this.line);
    this.body = el('div', 'summary-body');
    this.element.append(head, this.body);
    return this.element;
  }

  /** How far the panel's in-memory history of ticks reaches (from the host; absent when none is kept). */
  private reach: MachineMessage['history'];

  update(summary: MachineSummary, processes: Iterable<ProcessInfo>, reach?: MachineMessage['history']): void {
    this.history.push(summary);
    this.reach = reach;
    this.render(processes);
  }

  render(processes?: Iterable<ProcessInfo>): void {
    if (!this.element) return;
    if (this.toggle.dataset.open !== String(this.open)) {
      this.toggle.dataset.open = String(this.open);
      this.toggle.replaceChildren(icon(this.open ? 'chevron-down' : 'chevron-right'));
    }
    this.toggle.setAttribute('aria-expanded', this.open ? 'true' : 'false');
    this.toggle.title = this.open ? t('summary.fold') : t('summary.unfold');
    this.toggle.setAttribute('aria-label', this.toggle.title);
    const s = this.history.latest;
    this.body.hidden = !this.open;
    if (!s) {
      setText(this.line, t('summary.waiting'));
      return;
    }
    const parts: string[] = [];
    parts.push(s.cpu ? t('summary.cpuLine', pct(s.cpu.total.busy)) : t('summary.cpuLine', '–'));
    if (s.load) parts.push(t('summary.loadLine', s.load.load1.toFixed(2)));
    if (s.memory) parts.push(t('summary.memLine', formatBytes(s.memory.used), formatBytes(s.memory.total)));
    const some = (r: 'cpu' | 'memory' | 'io'): string => (s.pressure[r]?.some ? pct(s.pressure[r]!.some!.avg10) : '–');
    if (s.pressure.cpu || s.pressure.memory || s.pressure.io) parts.push(t('summary.psiLine', some('cpu'), some('memory'), some('io')));
    if (this.reach) parts.push(t('summary.historyLine', reachText(this.reach.reachMs)));
    setText(this.line, parts.join(' · '));
    this.line.title = this.reach
      ? t('summary.historyTitle', this.reach.ticks, formatBytes(this.reach.bytes), formatBytes(this.reach.maxBytes))
      : '';
    if (this.open && processes) this.renderBody(s, processes);
    else if (this.open && this.body.childElementCount === 0) this.renderBody(s, []);
  }

  private renderBody(s: MachineSummary, processes: Iterable<ProcessInfo>): void {
    const rows: HTMLElement[] = [];
    const unavailable = (part: string): HTMLElement =>
      el('span', 'muted', t('summary.unavailable', s.unavailable[part] ?? t('summary.unknown')));

    // CPU: one bar per core, split as top splits it; the sparkline is every core together.
    const cpu = el('div', 'summary-row summary-cpu');
    cpu.append(el('span', 'summary-label', t('summary.cpu')));
    if (s.cpu) {
      const cores = el('div', 'summary-cores');
      for (const c of s.cpu.cores) {
        const bar = el('div', 'core-bar');
        bar.title = t(
          'summary.coreTitle',
          c.cpu,
          pct(c.percent.user + c.percent.nice),
          pct(c.percent.system + c.percent.irq + c.percent.softirq),
          pct(c.percent.iowait),
          pct(c.percent.steal),
          pct(c.percent.idle),
        );
        // The segments are colours only: the bar's accessible name is its tooltip's text.
        bar.setAttribute('role', 'img');
        bar.setAttribute('aria-label', bar.title);
        for (const [cls, v] of [
          ['seg-user', c.percent.user + c.percent.nice],
          ['seg-system', c.percent.system + c.percent.irq + c.percent.softirq],
          ['seg-iowait', c.percent.iowait],
          ['seg-steal', c.percent.steal],
        ] as const) {
          const seg = el('span', `core-seg ${cls}`);
          seg.style.width = `${Math.max(0, Math.min(100, v)).toFixed(1)}%`;
          bar.append(seg);
        }
        const item = el('div', 'summary-core');
        item.append(el('span', 'core-name', String(c.cpu)), bar, el('span', 'core-pct', pct(c.percent.busy)));
        cores.append(item);
      }
      cpu.append(cores, sparkline(this.history.cpu, 100, 'spark-cpu', SUMMARY_HISTORY));
    } else cpu.append(unavailable('cpu'));
    rows.push(cpu);

    // Load and tasks.
    const load = el('div', 'summary-row');
    load.append(el('span', 'summary-label', t('summary.load')));
    if (s.load) {
      load.append(
        el(
          'span',
          '',
          t('summary.loadValues', s.load.load1.toFixed(2), s.load.load5.toFixed(2), s.load.load15.toFixed(2), s.load.running, s.load.total),
        ),
      );
      load.append(sparkline(this.history.load1, Math.max(1, ...this.history.load1.map((v) => v ?? 0)), 'spark-load', SUMMARY_HISTORY));
    } else load.append(unavailable('load'));
    rows.push(load);
    const counts = countStates(processes);
    const tasks = el('div', 'summary-row');
    tasks.append(el('span', 'summary-label', t('summary.tasks')));
    const states = STATE_ORDER.filter((st) => counts.byState.has(st)).map((st) => `${counts.byState.get(st)} ${st}`);
    const other = [...counts.byState.entries()]
      .filter(([st]) => !(STATE_ORDER as readonly string[]).includes(st))
      .reduce((n, [, c]) => n + c, 0);
    if (other > 0) states.push(`${other} ?`);
    tasks.append(el('span', '', t('summary.tasksValues', counts.processes, counts.threads, states.join(', '))));
    rows.push(tasks);

    // Memory, as free shows it.
    const mem = el('div', 'summary-row summary-mem');
    mem.append(el('span', 'summary-label', t('summary.mem')));
    if (s.memory) {
      const m = s.memory;
      const bar = el('div', 'mem-bar');
      bar.title = t('summary.memBarTitle');
      for (const [cls, v] of [
        ['seg-used', m.used],
        ['seg-cache', Math.max(0, m.total - m.used - m.free)],
      ] as const) {
        const seg = el('span', `mem-seg ${cls}`);
        seg.style.width = `${m.total > 0 ? Math.min(100, (v / m.total) * 100).toFixed(1) : 0}%`;
        bar.append(seg);
      }
      mem.append(
        bar,
        el(
          'span',
          'mono',
          t(
            'summary.memValues',
            formatBytes(m.total),
            formatBytes(m.used),
            formatBytes(m.free),
            formatBytes(m.shared),
            formatBytes(m.buffCache),
            formatBytes(m.available),
          ),
        ),
      );
      mem.append(sparkline(this.history.memUsed, m.total, 'spark-mem', SUMMARY_HISTORY));
      const swap = el('div', 'summary-row');
      swap.append(
        el('span', 'summary-label', t('summary.swap')),
        el('span', 'mono', t('summary.swapValues', formatBytes(m.swapTotal), formatBytes(m.swapUsed), formatBytes(m.swapFree))),
      );
      rows.push(mem, swap);
    } else {
      mem.append(unavailable('memory'));
      rows.push(mem);
    }

    // Pressure stall information: the share of the last 10 / 60 / 300 s in which some task waited for it.
    const psi = el('div', 'summary-row');
    psi.append(el('span', 'summary-label', t('summary.psi')));
    psi.title = t('summary.psiTitle');
    const resources = (['cpu', 'memory', 'io'] as const).map((r) => {
      const p = s.pressure[r];
      if (!p?.some) return t('summary.psiNone', t(`summary.psi.${r}`), s.unavailable[`pressure.${r}`] ?? t('summary.unknown'));
      return t('summary.psiValues', t(`summary.psi.${r}`), pct(p.some.avg10), pct(p.some.avg60), pct(p.some.avg300));
    });
    psi.append(el('span', '', resources.join(' · ')));
    rows.push(psi);
    // Once a second: reconcile, so the browser restyles only the numbers and lines that moved.
    const fresh = el('div');
    fresh.append(...rows);
    reconcileChildren(this.body, fresh);
  }
}
