// One row of the tree: its cells made once per pooled element and rewritten in place for each row it shows
// (only what changed is written: same-value writes still cost style work in Chromium).
import type { ProcessKey } from '../src/core/model';
import type { DebugThreadName } from '../src/protocol';
import { el, icon, setText, setOsText, visible, formatBytes, formatPercent } from './dom';
import { getLocale, t } from './i18n';
import { commandLine, type Row } from './rows';
import { formatCpuTime, formatStart, memPercent, stateClass, stateLabel } from './rowText';
import type { WaitCell } from './waitsOverview';

/** Pixels of indent per tree level. */
export const INDENT_STEP = 14;

/** What a row asks of the panel to draw itself. */
export interface RowCellCallbacks {
  /** 'new' | 'exited' | null for a process key. */
  mark(key: string): 'new' | 'exited' | null;
  /** The debugger's name for an OS thread, where the pairing is certain (see DebugThreadsMessage). */
  debugThreadName(pid: number, tid: number): DebugThreadName | undefined;
  /** Total memory of the machine in bytes (MEM%'s denominator), null where the backend does not know it. */
  memTotal(): number | null;
  /** What a process row's threads wait for ("Waiting for" column); undefined: nothing known. */
  waitOfProcess?(key: ProcessKey): WaitCell | undefined;
  /** What one thread waits for. */
  waitOfThread?(key: ProcessKey, tid: number): WaitCell | undefined;
  /** The data's time (START shows a clock time for processes started within a day of it). */
  now(): number;
}

/** The selection and indent the list keeps, read as each row is drawn. */
export interface RowContext {
  isSelected(id: string): boolean;
  focusedId(): string | null;
  selectionSize(): number;
  indentCap(): number;
}

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

export class RowCells {
  private readonly cells = new WeakMap<HTMLElement, Cells>();
  /** The row each element shows now (events find their row through it). */
  readonly rowOf = new WeakMap<HTMLElement, Row>();
  /** What each threads cell currently shows (so a redraw rebuilds its button only when that changed). */
  private readonly threadsShown = new WeakMap<HTMLElement, string>();

  constructor(
    private readonly cb: RowCellCallbacks,
    private readonly ctx: RowContext,
  ) {}

  create(): HTMLElement {
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
    this.cells.set(row, {
      name,
      twistie,
      depth,
      nameText,
      label,
      pid,
      state,
      cpu,
      rss,
      threads,
      user,
      cmd,
      mem,
      time,
      virt,
      nice,
      pri,
      start,
      wait,
    });
    return row;
  }

  render(element: HTMLElement, row: Row, index: number): void {
    const c = this.cells.get(element)!;
    setAttr(element, 'aria-hidden', null);
    this.rowOf.set(element, row);
    // From the row's stable id, not its index: the active descendant keeps its id while rows above it come and go.
    setAttr(element, 'id', rowDomId(row.id));
    setAttr(element, 'aria-rowindex', String(index + 2));
    setAttr(element, 'aria-level', String(row.level));
    setAttr(element, 'data-key', row.key);
    setAttr(element, 'data-row-id', row.id);
    setAttr(element, 'data-parent', row.parentId ?? '');
    const selected = this.ctx.isSelected(row.id);
    setAttr(element, 'aria-selected', selected ? 'true' : 'false');
    const p = row.proc;
    const mark = this.cb.mark(row.key);
    let cls = 'row';
    if (selected) cls += ' selected';
    if (row.id === this.ctx.focusedId() && this.ctx.selectionSize() > 1) cls += ' focused';
    if (row.kind === 'thread') cls += ' thread-row';
    if (row.kind === 'process' && row.context) cls += ' context-row';
    if (mark === 'new') cls += ' is-new';
    if (mark === 'exited') cls += ' is-exited';
    if (p.kernelThread) cls += ' kernel';
    if (element.className !== cls) element.className = cls;
    // What the background, strike-through or faded text shows, in words for a screen reader.
    const context = row.kind === 'process' && row.context;
    const marks = [mark === 'new' ? t('row.new') : '', mark === 'exited' ? t('row.exited') : '', context ? t('row.context') : ''];
    setAttr(element, 'aria-description', marks.filter(Boolean).join(', ') || null);
    // A very deep tree would push the name out of its column: the indent stops growing at INDENT_CAP and
    // the depth is written instead.
    const indent = `${Math.min(row.level - 1, this.ctx.indentCap()) * INDENT_STEP + 4}px`;
    if (c.name.style.paddingLeft !== indent) c.name.style.paddingLeft = indent;
    const deep = row.level - 1 > this.ctx.indentCap();
    if (c.depth.hidden !== !deep) c.depth.hidden = !deep;
    setText(c.depth, deep ? String(row.level) : '');
    setAttr(c.depth, 'title', deep ? t('row.depth', row.level, this.ctx.indentCap()) : null);

    if (row.kind === 'process') {
      // Expandable: child processes, or thread rows that → opens (the same test as treeKeys); expanded while
      // any of its child rows (processes or threads) show below it.
      const threadable = row.threadsOpen || (row.threadsAllowed && p.numThreads > 1);
      setAttr(
        element,
        'aria-expanded',
        row.hasChildren || threadable ? ((row.hasChildren && row.expanded) || row.threadsOpen ? 'true' : 'false') : null,
      );
      if (row.hasChildren) {
        setAttr(c.twistie, 'class', `twistie codicon codicon-chevron-${row.expanded ? 'down' : 'right'}`);
      } else {
        setAttr(c.twistie, 'class', 'twistie');
      }
      setOsText(c.nameText, p.name);
      setAttr(c.nameText, 'title', row.found === undefined ? visible(p.name) : `${visible(p.name)}\n${visible(row.found)}`);
      // The workspace label, else why the filter's look-up found it (paths and thread names: OS text).
      const tag = row.member ? row.member.label : (row.found ?? '');
      setOsText(c.label, tag);
      c.label.classList.remove('dap-label');
      c.label.classList.toggle('found-label', !row.member && row.found !== undefined);
      setAttr(c.label, 'title', tag ? visible(tag) : '');
      if (c.label.hidden !== !tag) c.label.hidden = !tag;
      setText(c.pid, String(p.pid));
      this.renderState(c.state, p.state, p.leaderZombie ? t('row.leaderZombie') : null, p.leaderZombie === true);
      // A field the backend does not give (the portable backend's records hold 0 there) is a dash, not a value.
      const given = (field: string): boolean => p.unavailable === undefined || !(field in p.unavailable);
      setText(c.cpu, formatPercent(p.cpuPercent));
      setText(c.rss, given('rss') && (p.rss > 0 || !p.kernelThread) ? formatBytes(p.rss) : '–');
      setText(c.mem, given('rss') && (p.rss > 0 || !p.kernelThread) ? formatPercent(memPercent(p.rss, this.cb.memTotal())) : '–');
      setText(c.virt, given('vsize') && (p.vsize > 0 || !p.kernelThread) ? formatBytes(p.vsize) : '–');
      setText(c.time, given('utimeMs') ? formatCpuTime(p.utimeMs + p.stimeMs) : '–');
      setText(c.nice, given('nice') ? String(p.nice) : '–');
      setText(c.pri, given('priority') ? String(p.priority) : '–');
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
          setText(c.threads, given('numThreads') ? String(p.numThreads) : '–');
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
      c.label.classList.remove('found-label');
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

  /** Empties a row going back to the pool. */
  release(element: HTMLElement): void {
    // A pooled row is display:none already; also keep it out of the accessibility tree and of text
    // queries (its cells would otherwise still hold a process that scrolled away).
    element.setAttribute('aria-hidden', 'true');
    element.removeAttribute('aria-selected');
    const c = this.cells.get(element);
    if (c) {
      for (const cell of [
        c.nameText,
        c.label,
        c.pid,
        c.cpu,
        c.rss,
        c.threads,
        c.user,
        c.cmd,
        c.depth,
        c.mem,
        c.time,
        c.virt,
        c.nice,
        c.pri,
        c.start,
        c.wait,
      ])
        cell.replaceChildren();
      c.depth.hidden = true;
      this.threadsShown.delete(c.threads);
      c.state.replaceChildren();
      c.nameText.title = '';
      c.cmd.title = '';
      c.user.title = '';
      c.label.title = '';
      c.start.title = '';
      c.wait.title = '';
      c.wait.className = 'cell c-wait';
    }
    element.removeAttribute('id');
    delete element.dataset.rowId;
    delete element.dataset.key;
    delete element.dataset.parent;
    this.rowOf.delete(element);
  }
}

/**
 * The DOM id of a row's element, from its stable row id (`p<key>`, `t<key>/<tid>`): every character other than
 * an ASCII letter, digit or '-' is written as `_<hex code point>_`, so the id is safe in a CSS selector and
 * two row ids never give the same DOM id ('_' itself is escaped).
 */
export function rowDomId(id: string): string {
  return `row-${id.replace(/[^A-Za-z0-9-]/gu, (ch) => `_${ch.codePointAt(0)!.toString(16)}_`)}`;
}

/** Writes an attribute only when it differs (same-value writes still invalidate style in Chromium). */
export function setAttr(element: Element, name: string, value: string | null): void {
  if (value === null) {
    if (element.hasAttribute(name)) element.removeAttribute(name);
  } else if (element.getAttribute(name) !== value) {
    element.setAttribute(name, value);
  }
}
