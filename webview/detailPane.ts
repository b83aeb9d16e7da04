// The PCB detail pane: the selected process's process control block in sections, from the live row
// (ProcessInfo, every refresh) and the on-demand detail (ProcessDetail, every few seconds).
// Its parts: detailFields (rows and formatters), openFiles, pcbDrawings (memory bar, state model), threadTable.
import type { ProcessDetail, EnvEntry } from '../src/core/detail';
import type { ProcessInfo } from '../src/core/model';
import type { IpcMap } from '../src/core/ipc/model';
import { el, osEl, visible, custom, formatBytes, formatPercent, formatDuration, reconcileChildren } from './dom';
import { emptyState, formatMs, kv, limitName, limitText, restoreScroll, signalRow, type Value } from './detailFields';
import { t, getLocale } from './i18n';
import { stateClass, stateLabel } from './rowText';
import { OpenFiles } from './openFiles';
import { memoryDrawing, stateDiagram } from './pcbDrawings';
import { addressSpaceBands, addressSpaceDrawing, PageMapView, type AddressSpaceTarget, type PageMapReply } from './addressSpace';
import type { MemoryRegion } from '../src/core/detail';
import { otherLiveThreads, threadTable } from './threadTable';

export interface DetailContext {
  readonly proc: ProcessInfo | undefined;
  readonly exited: boolean;
  readonly detail: ProcessDetail | null;
  readonly detailError: string | null;
  readonly loading: boolean;
  readonly env: readonly EnvEntry[] | null;
  readonly envError: string | null;
  /** Fields the backend never provides (snapshot.unavailableFields). */
  readonly unavailableFields: readonly string[];
  /** The portable backend: no /proc, so the table's fields are all there is (nothing more is asked for). */
  readonly portable: boolean;
  readonly now: number;
  readonly bootTime: number | null;
  /** The newest IPC scan (where sockets' endpoints come from), null before the first. */
  readonly ipc?: IpcMap | null;
}

export interface DetailCallbacks {
  requestEnv(): void;
  /** A section was opened or closed by the user (kept across re-renders). */
  sectionToggled(id: string, open: boolean): void;
  /** Something the pane keeps itself changed (a value revealed, more files asked for): draw it again. */
  redraw(): void;
  /** Reads the page map of the mapping [start, end) of the process with this key. */
  askPageMap(pid: number, key: string, start: string, end: string): Promise<PageMapReply>;
}

export class DetailPane {
  readonly element: HTMLElement;
  private readonly revealed = new Set<string>();
  private envKey: string | null = null;
  private readonly files = new OpenFiles();
  /** Where the render being built goes; reconciled into `element` when done. */
  private out: HTMLElement;
  /** The open page map (kept across redraws: it refreshes itself every second while shown). */
  private readonly pageMap: PageMapView;
  /** The regions drawn last and whose they are (a "Page map" click names its region by start address). */
  private drawnRegions: { target: AddressSpaceTarget; regions: readonly MemoryRegion[] } | null = null;

  constructor(
    private readonly cb: DetailCallbacks,
    private readonly closedSections: Set<string>,
  ) {
    this.element = el('div', 'detail-pane');
    this.element.setAttribute('role', 'region');
    this.element.setAttribute('aria-label', t('tab.details'));
    this.out = this.element;
    this.pageMap = new PageMapView({ ask: (pid, key, start, end) => this.cb.askPageMap(pid, key, start, end) });
    // It draws itself: the pane's redraws leave it alone and only put it back under the drawing.
    this.pageMap.element.dataset.foreign = '';
    // The pane's nodes carry no listeners of their own (a redraw reconciles them into the nodes already
    // shown, so a listener added at build time would be lost): the pane answers their clicks here.
    this.element.addEventListener('click', (e) => {
      const target = (e.target as Element).closest<HTMLElement>('[data-action]');
      if (!target || !this.element.contains(target)) return;
      switch (target.dataset.action) {
        case 'env':
          this.cb.requestEnv();
          break;
        case 'env-toggle': {
          const id = target.dataset.envId ?? '';
          if (!this.revealed.delete(id)) this.revealed.add(id);
          this.cb.redraw();
          break;
        }
        case 'fds-more':
        case 'fds-all':
          this.files.grow(target.dataset.action === 'fds-all');
          this.cb.redraw();
          break;
        case 'page-map': {
          const drawn = this.drawnRegions;
          const band = drawn && addressSpaceBands(drawn.regions).find((b) => b.type !== 'gap' && b.start === target.dataset.start);
          if (!drawn || !band || band.type === 'gap') break;
          this.placePageMap(drawn.target.key, true);
          this.pageMap.open(drawn.target, band);
          break;
        }
      }
    });
  }

  render(ctx: DetailContext): void {
    // The tab panel around the pane is what scrolls: keep its position (a reconcile rarely moves it, but a
    // section that grows or shrinks above the reader can).
    const scroller = this.element.parentElement ?? this.element;
    const scrollTop = scroller.scrollTop;
    this.out = el('div');
    this.pageMap.follow(ctx.proc?.key ?? null);
    this.build(ctx);
    reconcileChildren(this.element, this.out);
    this.out = this.element;
    this.placePageMap(ctx.proc?.key ?? null);
    restoreScroll(scroller, scrollTop);
  }

  /** The open page map of this process (or the one opening: `opening`) goes right under the address-space drawing. */
  private placePageMap(key: string | null, opening = false): void {
    const drawing = this.element.querySelector('.as-drawing');
    if (!key || !drawing || !(opening || this.pageMap.isOpenFor(key))) return;
    if (drawing.nextSibling !== this.pageMap.element) drawing.after(this.pageMap.element);
  }

  private build(ctx: DetailContext): void {
    const p = ctx.proc;
    if (!p) {
      this.out.append(emptyState('info', t('detail.none')));
      return;
    }
    if (this.envKey !== p.key) {
      this.revealed.clear();
      this.envKey = p.key;
      this.files.reset();
    }
    const d = ctx.detail && ctx.detail.key === p.key ? ctx.detail : null;
    const head = el('div', 'detail-head');
    const title = el('div', 'detail-title');
    const badge = el('span', `state-badge st-${stateClass(p.state)}`, p.state);
    badge.title = stateLabel(p.state);
    title.append(badge, osEl('span', 'detail-name', p.name), el('span', 'detail-pid', `PID ${p.pid}`));
    head.append(title);
    if (ctx.exited) head.append(el('div', 'notice warning', t('detail.exited')));
    if (!ctx.exited && (d ? d.leaderZombie : p.leaderZombie))
      head.append(el('div', 'notice leader-zombie', t('detail.leaderZombie', otherLiveThreads(p, d))));
    if (ctx.portable) head.append(el('div', 'notice portable-detail', t('detail.portable')));
    else if (ctx.loading && !d) head.append(el('div', 'notice', t('detail.loading', p.pid)));
    if (ctx.detailError) head.append(osEl('div', 'notice error', ctx.detailError));
    this.out.append(head);

    const unavailableOf = (field: string): string | null => {
      // A field the backend never gives says so in the reader's language (the backend's own reason is English);
      // so does one the portable backend lacks for this process only (ps gave no uid, command line or start
      // time, or only pidtree listed it).
      if (ctx.unavailableFields.includes(field)) return t('detail.notProvided');
      if (ctx.portable && p.unavailable && field in p.unavailable)
        return field === 'name' ? t('detail.pidtreeOnly') : t('detail.notProvided');
      if (d && field in d.unavailable) return d.unavailable[field] ?? null;
      if (p.unavailable && field in p.unavailable) return p.unavailable[field] ?? null;
      // The sampler carries no reason for the rule: a multi-threaded process's sum needs its threads' status.
      if ((field === 'voluntaryCtxtSwitches' || field === 'nonvoluntaryCtxtSwitches') && !d && p.numThreads > 1)
        return t('detail.threadSum');
      return null;
    };
    // A field the backend declares unavailable is shown so even where the record holds a placeholder for it
    // (the portable backend's records have numbers there: 0, -1).
    const declared = (field: string): boolean =>
      ctx.unavailableFields.includes(field) || (!d && p.unavailable !== undefined && field in p.unavailable);
    const v = (field: string, value: string | null | undefined): Value =>
      value === null || value === undefined || declared(field)
        ? { text: null, reason: unavailableOf(field) }
        : { text: value, reason: null };

    // Identity
    {
      const s = this.section('identity', t('section.identity'));
      kv(s, t('field.pid'), v('pid', String(p.pid)));
      kv(s, t('field.name'), v('name', p.name));
      kv(s, t('field.ppid'), v('ppid', String(p.ppid)));
      kv(s, t('field.pgid'), v('pgid', String(p.pgid)));
      kv(s, t('field.sid'), v('sid', String(p.sid)));
      kv(s, t('field.tty'), v('tty', p.tty ?? (unavailableOf('tty') ? null : '–')));
      kv(
        s,
        t('field.cmdline'),
        v('cmdline', p.cmdline === null ? null : p.cmdline.length === 0 ? `[${p.name}]` : p.cmdline.join(' ')),
        'mono',
      );
      kv(s, t('field.exe'), v('exe', d ? d.exe : p.exe), 'mono');
      if (d) kv(s, t('field.cwd'), v('cwd', d.cwd), 'mono');
      kv(s, t('field.started'), v('startTime', p.startTime ? new Date(p.startTime).toLocaleString(getLocale()) : null));
      kv(s, t('field.elapsed'), v('startTime', p.startTime ? formatDuration(Math.max(0, ctx.now - p.startTime)) : null));
      kv(s, t('field.kernelThread'), v('kernelThread', p.kernelThread ? t('value.yes') : t('value.no')));
      kv(s, t('field.key'), v('key', p.key), 'mono');
    }

    // Credentials
    {
      const s = this.section('credentials', t('section.credentials'));
      // ps (the portable backend) gives the effective uid only: the real one is shown as unknown there.
      const realUser = ctx.portable ? '?' : p.user;
      kv(s, t('field.user'), v('user', p.user === null ? null : `${realUser} / ${p.euser ?? p.user}`));
      const c = d?.credentials;
      if (c) {
        kv(
          s,
          t('field.uid'),
          v(
            'uid',
            `${c.uid.real} ${c.user.real} / ${c.uid.effective} ${c.user.effective} / ${c.uid.saved} ${c.user.saved} / ${c.uid.filesystem} ${c.user.filesystem}`,
          ),
        );
        kv(
          s,
          t('field.gid'),
          v(
            'gid',
            `${c.gid.real} ${c.group.real} / ${c.gid.effective} ${c.group.effective} / ${c.gid.saved} ${c.group.saved} / ${c.gid.filesystem} ${c.group.filesystem}`,
          ),
        );
        kv(
          s,
          t('field.groups'),
          v('groups', c.groups.length ? c.groups.map((g) => `${g.gid} ${g.name}`).join(', ') : t('detail.none.value')),
        );
      } else if (d) {
        kv(s, t('field.uid'), v('credentials', null));
      } else {
        kv(s, t('field.uid'), v('uid', p.uid === null ? null : ctx.portable ? `? / ${p.uid}` : `${p.uid} / ${p.euid ?? '?'}`));
        kv(s, t('field.gid'), v('gid', p.gid === null ? null : `${p.gid} / ${p.egid ?? '?'}`));
      }
      if (d?.capabilities) {
        const caps = d.capabilities as unknown as Record<string, { names?: readonly string[] } | null>;
        const eff = caps.effective ?? caps.eff ?? null;
        if (eff && Array.isArray(eff.names))
          kv(s, t('field.capEff'), { text: eff.names.length ? eff.names.join(' ') : t('detail.none.value'), reason: null }, 'mono');
      }
    }

    // State and scheduling
    {
      const s = this.section('scheduling', t('section.scheduling'));
      kv(s, t('field.state'), v('state', stateLabel(p.state)));
      if (!declared('state')) s.append(stateDiagram(p.state));
      kv(s, t('field.policy'), v('policy', p.policy));
      kv(s, t('field.priority'), v('priority', `${p.priority} / ${p.nice}`));
      kv(s, t('field.rtPriority'), v('rtPriority', String(p.rtPriority)));
      kv(s, t('field.processor'), v('processor', String(p.processor)));
      kv(s, t('field.threads'), v('numThreads', String(p.numThreads)));
      if (d) {
        kv(s, t('field.affinity'), v('scheduling', d.scheduling.cpusAllowedList));
        kv(s, t('field.wchan'), v('wchan', d.wchan));
        if (d.tracerPid) kv(s, t('field.tracerPid'), v('tracerPid', String(d.tracerPid)));
      }
    }

    // Accounting
    {
      const s = this.section('accounting', t('section.accounting'));
      kv(s, t('field.cpu'), v('cpuPercent', p.cpuPercent === null ? null : `${formatPercent(p.cpuPercent)} %`));
      kv(s, t('field.utime'), v('utimeMs', formatMs(p.utimeMs)));
      kv(s, t('field.stime'), v('stimeMs', formatMs(p.stimeMs)));
      if (d?.io) {
        kv(s, t('field.ioStorage'), v('io', `${formatBytes(d.io.readBytes)} / ${formatBytes(d.io.writeBytes)}`));
        kv(s, t('field.ioChars'), v('io', `${formatBytes(d.io.rchar)} / ${formatBytes(d.io.wchar)}`));
        kv(s, t('field.syscalls'), v('io', `${d.io.syscr} / ${d.io.syscw}`));
      } else if (d) {
        kv(s, t('field.io'), v('io', null));
      }
    }

    // Memory
    {
      const s = this.section('memory', t('section.memory'));
      kv(s, t('field.vsize'), v('vsize', formatBytes(p.vsize)));
      kv(s, t('field.rss'), v('rss', formatBytes(p.rss)));
      const r = d?.memoryRollup;
      if (d) {
        kv(s, t('field.pss'), v('memoryRollup', r ? formatBytes(r.pss) : null));
        kv(s, t('field.uss'), v('memoryRollup', r ? formatBytes(r.uss) : null));
        kv(s, t('field.swap'), v('memoryRollup', r ? formatBytes(r.swap) : null));
      }
      kv(s, t('field.faults'), v('minorFaults', `${p.minorFaults} / ${p.majorFaults}`));
      if (d) {
        if (d.memoryMap) {
          this.drawnRegions = { target: { pid: p.pid, key: p.key }, regions: d.memoryMap.regions };
          s.append(memoryDrawing(d.memoryMap), addressSpaceDrawing(d.memoryMap.regions));
        } else
          s.append(el('div', 'muted', `${t('memory.noRegions')}${unavailableOf('memoryMap') ? ` (${unavailableOf('memoryMap')})` : ''}`));
      }
    }

    // Context switches
    {
      const s = this.section('ctxsw', t('section.ctxsw'));
      const vol = d ? d.scheduling.voluntaryCtxtSwitches : p.voluntaryCtxtSwitches;
      const inv = d ? d.scheduling.nonvoluntaryCtxtSwitches : p.nonvoluntaryCtxtSwitches;
      kv(s, t('field.voluntary'), v('voluntaryCtxtSwitches', vol === null ? null : String(vol)));
      kv(s, t('field.nonvoluntary'), v('nonvoluntaryCtxtSwitches', inv === null ? null : String(inv)));
      // The totals are the sum over the threads (not the main thread's alone): say so, and show each one's.
      const threads = d ? (d.threads ?? null) : null;
      const over = threads?.length ?? p.threads?.length ?? p.numThreads;
      if (vol !== null && over > 1) s.append(el('div', 'muted ctxsw-sum', t('ctxsw.sumOver', over)));
      if (threads && threads.length > 0) s.append(...threadTable(threads));
    }

    if (!d) return;

    // Open files
    {
      const s = this.section('files', t('section.files'), d.fds ? t('files.count', d.fds.length) : undefined);
      if (!d.fds) kv(s, t('section.files'), v('fds', null));
      else this.files.draw(s, d.fds, p.pid, ctx.ipc ?? null);
    }

    // Signals
    {
      const s = this.section('signals', t('section.signals'));
      const sig = d.signals;
      if (!sig) kv(s, t('section.signals'), v('signals', null));
      else {
        signalRow(s, t('field.pending'), sig.pending);
        signalRow(s, t('field.sharedPending'), sig.sharedPending);
        signalRow(s, t('field.blocked'), sig.blocked);
        signalRow(s, t('field.ignored'), sig.ignored);
        signalRow(s, t('field.caught'), sig.caught);
      }
    }

    // Namespaces and cgroup
    {
      const s = this.section('namespaces', t('section.namespaces'));
      if (!d.namespaces) kv(s, t('field.namespaces'), v('namespaces', null));
      else for (const ns of d.namespaces) kv(s, ns.name, { text: `${ns.type}:[${ns.inode}]`, reason: null }, 'mono');
      if (d.pidNamespaceIds?.nsPid && d.pidNamespaceIds.nsPid.length > 1)
        kv(s, t('field.nspid'), { text: d.pidNamespaceIds.nsPid.join(' → '), reason: null });
      if (!d.cgroups) kv(s, t('field.cgroup'), v('cgroups', null));
      else
        for (const c of d.cgroups)
          kv(
            s,
            `${t('field.cgroup')} ${c.hierarchyId}${c.controllers.length ? ` (${c.controllers.join(',')})` : ''}`,
            { text: c.path, reason: null },
            'mono',
          );
    }

    // Environment, on request; values hidden until revealed one by one.
    {
      const s = this.section('environment', t('section.environment'));
      if (!ctx.env) {
        s.append(el('div', 'muted', t('env.hint')));
        if (ctx.envError) s.append(osEl('div', 'notice error', ctx.envError));
        const button = custom('vscode-button');
        button.setAttribute('secondary', '');
        button.textContent = t('env.request');
        button.dataset.action = 'env';
        s.append(button);
      } else {
        const table = el('table', 'env-table');
        ctx.env.forEach((entry, i) => {
          const id = `${i}:${entry.name}`;
          const tr = el('tr');
          const shown = this.revealed.has(id);
          const td = el('td');
          // An entry without '=' has no value to hide: its whole text is the name.
          if (entry.noEquals) {
            tr.append(osEl('td', 'mono env-name', entry.name), el('td', 'muted env-value', t('env.noEquals')), td);
            table.append(tr);
            return;
          }
          const value = osEl('td', `mono env-value${shown ? '' : ' hidden-value'}`, shown ? entry.value : t('env.hidden'));
          const toggle = el('button', 'link-button', shown ? t('env.hide') : t('env.reveal'));
          toggle.type = 'button';
          toggle.dataset.action = 'env-toggle';
          toggle.dataset.envId = id;
          toggle.setAttribute('aria-label', `${shown ? t('env.hide') : t('env.reveal')} ${visible(entry.name)}`);
          td.append(toggle);
          tr.append(osEl('td', 'mono env-name', entry.name), value, td);
          table.append(tr);
        });
        s.append(table);
      }
    }

    // More
    {
      const s = this.section('more', t('section.more'));
      kv(s, t('field.root'), v('root', d.root), 'mono');
      kv(s, t('field.umask'), v('umask', d.umask));
      kv(s, t('field.oom'), v('oomScore', d.oomScore === null ? null : `${d.oomScore} / ${d.oomScoreAdj ?? '?'}`));
      kv(s, t('field.seccomp'), v('seccomp', d.seccomp === null ? null : `${d.seccomp} / ${d.noNewPrivs ? 1 : 0}`));
      if (d.limits) {
        kv(s, t('field.limits'), { text: t('limit.softHard'), reason: null });
        for (const l of d.limits) kv(s, limitName(l.name), { text: limitText(l), reason: null });
      } else kv(s, t('field.limits'), v('limits', null));
    }
  }

  private section(id: string, heading: string, description?: string): HTMLElement {
    const c = custom('vscode-collapsible', 'section') as HTMLElement & { heading: string; open: boolean; description: string };
    c.heading = heading;
    c.dataset.section = id;
    if (description) c.description = description;
    c.open = !this.closedSections.has(id);
    c.addEventListener('vsc-collapsible-toggle', () => this.cb.sectionToggled(id, c.open));
    const body = el('div', 'section-body');
    c.append(body);
    this.out.append(c);
    return body;
  }
}
