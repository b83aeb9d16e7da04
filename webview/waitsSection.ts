// The detail pane's "Waiting for" section: one sentence per blocked thread of the selected process (what it
// waits for, who can wake it, as a link that selects that process), how each fact was found (tooltip), what
// could not be read and why, and the deadlock cycles the process is in, in red. Asked for when the selection
// changes and again at the IPC refresh cadence while the Details tab shows it, never every tick.
import type { Reply } from './hostClient';
import type { TaskRef, ThreadWait } from '../src/core/waits/model';
import type { ProcessKey } from '../src/core/model';
import type { WaitsResult } from '../src/protocol';
import { el, custom, visible } from './dom';
import { getLocale, t, type MessageKey } from './i18n';
import { waitHowText, waitObjectText } from '../src/shared/channelText';

export type WaitsReply = Reply<'waits'>;

export interface WaitsCallbacks {
  /** Posts a `waits` request and resolves with its response. */
  ask(pid: number, key: ProcessKey): Promise<WaitsReply>;
  /** Selects (and reveals) this process in the tree. */
  selectPid(pid: number): void;
  /** How often to ask again while shown (the IPC refresh interval). */
  intervalMs(): number;
}

interface Target {
  readonly pid: number;
  readonly key: ProcessKey;
}

const HELD = new Set(['mutex', 'flock', 'posix-lock', 'ofd-lock']);

export class WaitsSection {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private target: Target | null = null;
  private active = false;
  private result: WaitsResult | null = null;
  private error: string | null = null;
  private inFlight = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** When the shown result was asked for: a section shown again after a pause asks at once if it is stale. */
  private askedAt = 0;

  constructor(private readonly cb: WaitsCallbacks) {
    const c = custom('vscode-collapsible', 'section waits-section') as HTMLElement & { heading: string; open: boolean };
    c.heading = t('wait.title');
    c.dataset.section = 'waits';
    // It lives in the detail pane but draws itself: the pane's redraws leave it where it is.
    c.dataset.foreign = '';
    c.open = true;
    this.body = el('div', 'section-body');
    c.append(this.body);
    this.element = c;
  }

  /**
   * Puts the section into the detail pane (after its head) for this process; `active` is whether the pane
   * is showing. A new process is asked about at once; the same one at the refresh cadence.
   */
  show(pane: HTMLElement, target: Target | null, active: boolean): void {
    (this.element as HTMLElement & { heading: string }).heading = t('wait.title');
    if (!target) {
      this.element.remove();
    } else {
      const head = pane.querySelector(':scope > .detail-head');
      // Moving it in place would still take it out and put it back (the browser restyles and lays it out).
      if (head) {
        if (head.nextSibling !== this.element) head.after(this.element);
      } else if (pane.firstChild !== this.element) pane.prepend(this.element);
    }
    this.setActive(target, active);
  }

  /** The Details tab was left (or came back); the target stays. */
  setActive(target: Target | null, active: boolean): void {
    const changed = target?.key !== this.target?.key;
    this.target = target;
    const was = this.active;
    this.active = active && target !== null;
    if (changed) {
      this.result = null;
      this.error = null;
      this.askedAt = 0;
      this.draw();
    }
    if (!this.active) {
      clearTimeout(this.timer);
      this.timer = undefined;
      return;
    }
    if (changed || (!was && Date.now() - this.askedAt >= this.cb.intervalMs())) void this.fetch();
    else if (!this.timer && !this.inFlight) this.schedule();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = this.active
      ? setTimeout(() => void this.fetch(), Math.max(500, this.cb.intervalMs() - (Date.now() - this.askedAt)))
      : undefined;
  }

  private async fetch(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const target = this.target;
    if (!target || !this.active) return;
    if (this.inFlight) return;
    this.inFlight = true;
    this.askedAt = Date.now();
    let reply: WaitsReply;
    try {
      reply = await this.cb.ask(target.pid, target.key);
    } finally {
      this.inFlight = false;
    }
    if (this.target?.key !== target.key) {
      // The selection moved while this was asked: ask about the new one now.
      if (this.active) void this.fetch();
      return;
    }
    if (reply.ok && reply.result.key === target.key) {
      // An unchanged answer is not redrawn: a redraw would take the focus from a holder link every refresh.
      const same = this.result !== null && this.error === null && JSON.stringify(this.result) === JSON.stringify(reply.result);
      this.result = reply.result;
      this.error = null;
      if (same) {
        this.schedule();
        return;
      }
    } else {
      this.result = null;
      this.error = reply.ok ? t('status.otherProcess') : reply.error;
    }
    this.draw();
    this.schedule();
  }

  private draw(): void {
    const body = this.body;
    body.replaceChildren();
    if (this.error !== null) {
      body.append(el('div', 'notice error', t('wait.failed', visible(this.error))));
      return;
    }
    const r = this.result;
    if (!r) {
      body.append(el('div', 'muted', t('wait.loading')));
      return;
    }
    const nameOf = (ref: TaskRef): string => visible(r.names[ref.tid === null ? String(ref.pid) : `${ref.pid}/${ref.tid}`] ?? '?');
    const inCycle = new Set<string>();
    for (const c of r.cycles) {
      const path = [...c, c[0]!].map((n) => t('wait.cycleMember', n.tid, nameOf(n))).join(' → ');
      const box = el('div', 'wait-cycle', t('wait.deadlock', path));
      box.setAttribute('role', 'alert');
      body.append(box);
      for (const n of c) inCycle.add(`${n.pid}/${n.tid}`);
    }
    if (r.threads.length === 0) body.append(el('div', 'muted', t('wait.none')));
    const groups = new Map<string, number>();
    const groupKey = (th: ThreadWait): string | undefined => {
      const w = th.waitingFor;
      return w && (w.kind === 'mutex' || w.kind === 'futex') && w.object !== '' ? w.object : undefined;
    };
    for (const th of r.threads) {
      const k = groupKey(th);
      if (k) groups.set(k, (groups.get(k) ?? 0) + 1);
    }
    for (const th of r.threads) {
      const line = el('div', `wait-line${inCycle.has(`${th.pid}/${th.tid}`) ? ' in-cycle' : ''}`);
      line.dataset.tid = String(th.tid);
      line.append(...this.sentence(th, r, nameOf));
      const k = groupKey(th);
      const count = k ? groups.get(k)! : 1;
      if (count > 1) line.append(` ${t('wait.group', count)}`);
      if (th.waitingFor) line.title = t('wait.how', waitHowText(th.waitingFor, getLocale()));
      body.append(line);
      const unreadable = Object.entries(th.unavailable ?? {});
      if (unreadable.length > 0) {
        body.append(
          el(
            'div',
            'wait-unreadable muted',
            t('wait.notRead', unreadable.map(([file, why]) => `${visible(file)} (${visible(why)})`).join(', ')),
          ),
        );
      }
    }
  }

  /** The sentence as nodes: text, with each holder a button that selects its process. */
  private sentence(th: ThreadWait, r: WaitsResult, nameOf: (ref: TaskRef) => string): Node[] {
    const who = t('wait.threadStart', th.tid, visible(th.name));
    const w = th.waitingFor;
    if (!w) return [document.createTextNode(t('wait.running', who))];
    if (w.kind === 'unknown' && th.syscall === null) {
      const reason = th.unavailable?.['syscall'];
      if (reason === 'EACCES' || reason === 'EPERM') {
        const yama = r.ptraceScope !== null && r.ptraceScope > 0 ? ` ${t('wait.yama', r.ptraceScope)}` : '';
        return [document.createTextNode(`${t('wait.denied', who, reason)}${yama}`)];
      }
      if (reason !== undefined) return [document.createTextNode(t('wait.unreadable', who, visible(reason)))];
      return [document.createTextNode(t('wait.notInSyscall', who))];
    }
    const syscall = th.syscall ? (th.syscall.name ?? t('wait.syscallNumber', th.syscall.nr)) : '';
    // Kernel function names and polled fds go after the phrase, in parentheses, only when there are any.
    const trailing = w.kind === 'unknown' || w.kind === 'io' || w.kind === 'poll';
    const named = waitObjectText(w, getLocale());
    const phrase = t(`wait.obj.${w.kind}` as MessageKey, trailing ? '' : named, visible(syscall));
    const object = trailing && named !== '' ? `${phrase} (${named})` : phrase;
    const holders = w.holders ?? (w.holder ? [w.holder] : []);
    if (holders.length === 0) return fill(t('wait.plain'), [who, object]);
    const links = el('span', 'wait-holders');
    holders.forEach((h, i) => {
      if (i > 0) links.append(', ');
      const label = h.tid === null ? t('wait.process', h.pid, nameOf(h)) : t('wait.thread', h.tid, nameOf(h));
      const b = el('button', 'link-button wait-holder', label);
      b.type = 'button';
      b.dataset.pid = String(h.pid);
      b.title = t('wait.selectHolder', h.pid);
      b.addEventListener('click', () => this.cb.selectPid(h.pid));
      links.append(b);
    });
    return fill(t(HELD.has(w.kind) ? 'wait.held' : 'wait.woken'), [who, object, links]);
  }
}

/** A template's {0}, {1}, … replaced by text or nodes, in the order the language puts them. */
function fill(template: string, parts: readonly (string | Node)[]): Node[] {
  const out: Node[] = [];
  let last = 0;
  for (const m of template.matchAll(/\{(\d+)\}/g)) {
    if (m.index > last) out.push(document.createTextNode(template.slice(last, m.index)));
    const part = parts[Number(m[1])];
    if (part !== undefined) out.push(typeof part === 'string' ? document.createTextNode(part) : part);
    last = m.index + m[0].length;
  }
  if (last < template.length) out.push(document.createTextNode(template.slice(last)));
  return out;
}
