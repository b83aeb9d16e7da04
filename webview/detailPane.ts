// The PCB detail pane: the selected process's process control block in sections, from the live row
// (ProcessInfo, every refresh) and the on-demand detail (ProcessDetail, every few seconds).
import { LEGEND_STATES } from '../src/shared/stateText';
import type { ProcessDetail, MemoryMap, DecodedSignals, EnvEntry, ThreadDetail } from '../src/core/detail';
import type { ProcessInfo } from '../src/core/model';
import type { FdEntry } from '../src/core/procfs/fd';
import type { Channel, IpcMap } from '../src/core/ipc/model';
import { el, osEl, setOsText, visible, custom, svg, formatBytes, formatPercent, formatDuration } from './dom';
import { t, getLocale, DICTIONARIES, type MessageKey } from './i18n';
import { stateClass, stateLabel } from './hierarchy';

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
  readonly now: number;
  readonly bootTime: number | null;
  /** The newest IPC scan (where sockets' endpoints come from), null before the first. */
  readonly ipc?: IpcMap | null;
}

/** Open-file rows drawn at first, and added by each "show more". */
export const FD_CHUNK = 500;

export interface DetailCallbacks {
  requestEnv(): void;
  /** A section was opened or closed by the user (kept across re-renders). */
  sectionToggled(id: string, open: boolean): void;
}

const KIND_COLORS: Record<string, string> = {
  code: 'kind-code', data: 'kind-data', heap: 'kind-heap', stack: 'kind-stack', library: 'kind-library',
  file: 'kind-file', anonymous: 'kind-anonymous', shared: 'kind-shared', special: 'kind-special',
};

export class DetailPane {
  readonly element: HTMLElement;
  private readonly revealed = new Set<string>();
  private envKey: string | null = null;
  /** How many open-file rows are drawn for the process shown (kept across the pane's periodic rebuilds). */
  private fdShown = FD_CHUNK;
  /** Sockets' endpoints by "pid/fd" and by inode, rebuilt when a new IPC scan arrives. */
  private socketIndex: { map: IpcMap; byFd: Map<string, Channel>; byInode: Map<number, Channel> } | null = null;

  constructor(private readonly cb: DetailCallbacks, private readonly closedSections: Set<string>) {
    this.element = el('div', 'detail-pane');
    this.element.setAttribute('role', 'region');
    this.element.setAttribute('aria-label', t('tab.details'));
  }

  private socketsOf(map: IpcMap | null): SocketIndex {
    if (!map) return null;
    if (this.socketIndex?.map === map) return this.socketIndex;
    const byFd = new Map<string, Channel>();
    const byInode = new Map<number, Channel>();
    for (const c of map.channels) {
      if (c.kind !== 'unix' && c.kind !== 'tcp' && c.kind !== 'udp') continue;
      for (const e of c.endpoints) if (e.fd !== null) byFd.set(`${e.pid}/${e.fd}`, c);
      for (const inode of c.inodes) byInode.set(inode, c);
    }
    this.socketIndex = { map, byFd, byInode };
    return this.socketIndex;
  }

  render(ctx: DetailContext): void {
    // The tab panel around the pane is what scrolls: keep its position across the rebuild (else every
    // refresh, each few seconds, would throw the reader back to the top).
    const scroller = this.element.parentElement ?? this.element;
    const scrollTop = scroller.scrollTop;
    this.element.replaceChildren();
    const p = ctx.proc;
    if (!p) {
      this.element.append(emptyState('info', t('detail.none')));
      return;
    }
    if (this.envKey !== p.key) {
      this.revealed.clear();
      this.envKey = p.key;
      this.fdShown = FD_CHUNK;
    }
    const d = ctx.detail && ctx.detail.key === p.key ? ctx.detail : null;
    const head = el('div', 'detail-head');
    const title = el('div', 'detail-title');
    const badge = el('span', `state-badge st-${stateClass(p.state)}`, p.state);
    badge.title = stateLabel(p.state);
    title.append(badge, osEl('span', 'detail-name', p.name), el('span', 'detail-pid', `PID ${p.pid}`));
    head.append(title);
    if (ctx.exited) head.append(el('div', 'notice warning', t('detail.exited')));
    if (!ctx.exited && (d ? d.leaderZombie : p.leaderZombie)) head.append(el('div', 'notice leader-zombie', t('detail.leaderZombie', otherLiveThreads(p, d))));
    if (ctx.loading && !d) head.append(el('div', 'notice', t('detail.loading', p.pid)));
    if (ctx.detailError) head.append(osEl('div', 'notice error', ctx.detailError));
    this.element.append(head);

    const unavailableOf = (field: string): string | null => {
      if (d && field in d.unavailable) return d.unavailable[field] ?? null;
      if (p.unavailable && field in p.unavailable) return p.unavailable[field] ?? null;
      if (ctx.unavailableFields.includes(field)) return t('detail.notProvided');
      // The sampler carries no reason for the rule: a multi-threaded process's sum needs its threads' status.
      if ((field === 'voluntaryCtxtSwitches' || field === 'nonvoluntaryCtxtSwitches') && !d && p.numThreads > 1) return t('detail.threadSum');
      return null;
    };
    const v = (field: string, value: string | null | undefined): Value => ({ text: value ?? null, reason: value === null || value === undefined ? unavailableOf(field) : null });

    // Identity
    {
      const s = this.section('identity', t('section.identity'));
      kv(s, t('field.pid'), v('pid', String(p.pid)));
      kv(s, t('field.name'), v('name', p.name));
      kv(s, t('field.ppid'), v('ppid', String(p.ppid)));
      kv(s, t('field.pgid'), v('pgid', String(p.pgid)));
      kv(s, t('field.sid'), v('sid', String(p.sid)));
      kv(s, t('field.tty'), v('tty', p.tty ?? (unavailableOf('tty') ? null : '–')));
      kv(s, t('field.cmdline'), v('cmdline', p.cmdline === null ? null : p.cmdline.length === 0 ? `[${p.name}]` : p.cmdline.join(' ')), 'mono');
      kv(s, t('field.exe'), v('exe', d ? d.exe : p.exe), 'mono');
      if (d) kv(s, t('field.cwd'), v('cwd', d.cwd), 'mono');
      kv(s, t('field.started'), v('startTime', p.startTime ? new Date(p.startTime).toLocaleString(getLocale()) : null));
      kv(s, t('field.elapsed'), v('startTime', p.startTime ? formatDuration(Math.max(0, ctx.now - p.startTime)) : null));
      kv(s, t('field.kernelThread'), { text: p.kernelThread ? t('value.yes') : t('value.no'), reason: null });
      kv(s, t('field.key'), v('key', p.key), 'mono');
    }

    // Credentials
    {
      const s = this.section('credentials', t('section.credentials'));
      kv(s, t('field.user'), v('user', p.user === null ? null : `${p.user} / ${p.euser ?? p.user}`));
      const c = d?.credentials;
      if (c) {
        kv(s, t('field.uid'), v('uid', `${c.uid.real} ${c.user.real} / ${c.uid.effective} ${c.user.effective} / ${c.uid.saved} ${c.user.saved} / ${c.uid.filesystem} ${c.user.filesystem}`));
        kv(s, t('field.gid'), v('gid', `${c.gid.real} ${c.group.real} / ${c.gid.effective} ${c.group.effective} / ${c.gid.saved} ${c.group.saved} / ${c.gid.filesystem} ${c.group.filesystem}`));
        kv(s, t('field.groups'), v('groups', c.groups.length ? c.groups.map((g) => `${g.gid} ${g.name}`).join(', ') : t('detail.none.value')));
      } else if (d) {
        kv(s, t('field.uid'), v('credentials', null));
      } else {
        kv(s, t('field.uid'), v('uid', p.uid === null ? null : `${p.uid} / ${p.euid ?? '?'}`));
        kv(s, t('field.gid'), v('gid', p.gid === null ? null : `${p.gid} / ${p.egid ?? '?'}`));
      }
      if (d?.capabilities) {
        const caps = d.capabilities as unknown as Record<string, { names?: readonly string[] } | null>;
        const eff = caps.effective ?? caps.eff ?? null;
        if (eff && Array.isArray(eff.names)) kv(s, t('field.capEff'), { text: eff.names.length ? eff.names.join(' ') : t('detail.none.value'), reason: null }, 'mono');
      }
    }

    // State and scheduling
    {
      const s = this.section('scheduling', t('section.scheduling'));
      kv(s, t('field.state'), { text: stateLabel(p.state), reason: null });
      s.append(stateDiagram(p.state));
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
        if (d.memoryMap) s.append(memoryDrawing(d.memoryMap));
        else s.append(el('div', 'muted', `${t('memory.noRegions')}${unavailableOf('memoryMap') ? ` (${unavailableOf('memoryMap')})` : ''}`));
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

    if (!d) {
      restoreScroll(scroller, scrollTop);
      return;
    }

    // Open files
    {
      const s = this.section('files', t('section.files'), d.fds ? t('files.count', d.fds.length) : undefined);
      if (!d.fds) kv(s, t('section.files'), v('fds', null));
      else {
        const table = el('table', 'fd-table');
        const hr = el('tr');
        for (const [h, cls] of [[t('files.fd'), ''], [t('files.type'), 'fd-type'], [t('files.target'), '']] as const) hr.append(el('th', cls, h));
        const body = el('tbody');
        table.append(hr, body);
        const fds = d.fds;
        const sockets = this.socketsOf(ctx.ipc ?? null);
        // Every fd is reachable, a chunk at a time: a plain table of 10,000 rows built at once (and again at
        // each rebuild) would stall the pane; the rows drawn so far stay drawn across rebuilds.
        const drawTo = (end: number): void => {
          const frag = document.createDocumentFragment();
          for (let i = body.childElementCount; i < Math.min(end, fds.length); i++) frag.append(fdRow(fds[i]!, p.pid, sockets));
          body.append(frag);
        };
        drawTo(this.fdShown);
        s.append(table);
        if (fds.length > this.fdShown) {
          const more = el('div', 'fd-more');
          const note = el('span', 'muted', t('files.more', fds.length - this.fdShown));
          const next = el('button', 'chip-button', t('files.showMore', Math.min(FD_CHUNK, fds.length - this.fdShown)));
          next.type = 'button';
          next.dataset.action = 'fds-more';
          const all = el('button', 'chip-button', t('files.showAll', fds.length));
          all.type = 'button';
          all.dataset.action = 'fds-all';
          const grow = (to: number): void => {
            this.fdShown = Math.min(to, fds.length);
            drawTo(this.fdShown);
            if (this.fdShown >= fds.length) more.remove();
            else {
              note.textContent = t('files.more', fds.length - this.fdShown);
              next.textContent = t('files.showMore', Math.min(FD_CHUNK, fds.length - this.fdShown));
            }
          };
          next.addEventListener('click', () => grow(this.fdShown + FD_CHUNK));
          all.addEventListener('click', () => grow(fds.length));
          more.append(note, next, all);
          s.append(more);
        }
      }
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
      if (d.pidNamespaceIds?.nsPid && d.pidNamespaceIds.nsPid.length > 1) kv(s, t('field.nspid'), { text: d.pidNamespaceIds.nsPid.join(' → '), reason: null });
      if (!d.cgroups) kv(s, t('field.cgroup'), v('cgroups', null));
      else for (const c of d.cgroups) kv(s, `${t('field.cgroup')} ${c.hierarchyId}${c.controllers.length ? ` (${c.controllers.join(',')})` : ''}`, { text: c.path, reason: null }, 'mono');
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
        button.addEventListener('click', () => this.cb.requestEnv());
        s.append(button);
      } else {
        const table = el('table', 'env-table');
        ctx.env.forEach((entry, i) => {
          const id = `${i}:${entry.name}`;
          const tr = el('tr');
          const shown = this.revealed.has(id);
          const value = osEl('td', `mono env-value${shown ? '' : ' hidden-value'}`, shown ? entry.value : t('env.hidden'));
          const toggle = el('button', 'link-button', shown ? t('env.hide') : t('env.reveal'));
          toggle.type = 'button';
          toggle.setAttribute('aria-label', `${shown ? t('env.hide') : t('env.reveal')} ${visible(entry.name)}`);
          toggle.addEventListener('click', () => {
            if (this.revealed.has(id)) this.revealed.delete(id);
            else this.revealed.add(id);
            const now = this.revealed.has(id);
            setOsText(value, now ? entry.value : t('env.hidden'));
            value.classList.toggle('hidden-value', !now);
            toggle.textContent = now ? t('env.hide') : t('env.reveal');
          });
          const td = el('td');
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
      }
      else kv(s, t('field.limits'), v('limits', null));
    }
    restoreScroll(scroller, scrollTop);
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
    this.element.append(c);
    return body;
  }
}

/**
 * Puts the pane back where it was, now and once more after the sections' own rendering (vscode-collapsible
 * draws its body a microtask later; until then the pane is short and the position would be clamped).
 */
function restoreScroll(scroller: HTMLElement, top: number): void {
  scroller.scrollTop = top;
  requestAnimationFrame(() => {
    scroller.scrollTop = top;
  });
}

interface Value { readonly text: string | null; readonly reason: string | null }

function kv(parent: HTMLElement, label: string, value: Value, cls = ''): void {
  const row = el('div', 'kv');
  // Labels and values may hold OS text (limit names, cgroup paths, names, argv): shown through setOsText.
  row.append(osEl('div', 'kv-label', label));
  if (value.text === null) {
    const u = osEl('div', 'kv-value unavailable', value.reason ? t('detail.unavailableBecause', value.reason) : t('detail.unavailable'));
    row.append(u);
  } else {
    row.append(osEl('div', `kv-value ${cls}`, value.text));
  }
  parent.append(row);
}

type SocketIndex = { byFd: Map<string, Channel>; byInode: Map<number, Channel> } | null;

/** One open-file row; a socket shows its endpoint from the IPC scan instead of `socket:[inode]`. */
function fdRow(f: FdEntry, pid: number, sockets: SocketIndex): HTMLElement {
  const tr = el('tr');
  const target = osEl('td', 'mono', f.target);
  if (f.type === 'socket') {
    const inode = f.inode ?? Number(/^socket:\[(\d+)\]$/.exec(f.target)?.[1] ?? NaN);
    const channel = sockets?.byFd.get(`${pid}/${f.fd}`) ?? (Number.isFinite(inode) ? sockets?.byInode.get(inode) : undefined);
    const text = channel ? socketEndpoint(channel, pid) : null;
    if (text !== null) {
      target.textContent = text;
      target.title = `${text}\n${visible(f.target)}`;
      target.classList.add('fd-endpoint');
    } else {
      target.title = t('files.endpointUnknown');
    }
  }
  tr.append(el('td', 'num', String(f.fd)), el('td', 'fd-type', fdTypeText(f.type, f.mode)), target);
  return tr;
}

/** "unix /run/x.sock ↔ sshd (812)", "TCP 10.0.0.2:5000 ↔ 10.0.0.9:443 ESTABLISHED": what a socket fd connects. */
function socketEndpoint(c: Channel, pid: number): string | null {
  const peers = c.endpoints.filter((e) => e.pid !== pid);
  const peerText = peers.slice(0, 3).map((e) => `${visible(e.processName)} (${e.pid})`).join(', ') + (peers.length > 3 ? ` ${t('files.morePeers', peers.length - 3)}` : '');
  if (c.kind === 'unix') {
    const name = c.path === null ? t('ipc.unnamed') : visible(c.path);
    return peerText ? t('files.socketUnixPeer', name, peerText, c.state) : t('files.socketUnix', name, c.state);
  }
  if (c.kind === 'tcp' || c.kind === 'udp') {
    return t('files.socketInet', c.kind.toUpperCase(), visible(c.local), visible(c.remote), c.state) + (peerText ? ` · ${peerText}` : '');
  }
  return null;
}

const FD_TYPES = new Set(['file', 'dir', 'pipe', 'socket', 'anon_inode', 'dev', 'memfd', 'mqueue', 'unknown']);
const FD_MODES = new Set(['read', 'write', 'readwrite']);

/** An open file's type and access mode in the UI language (anything the model does not name, as it is). */
function fdTypeText(type: string, mode: string | null | undefined): string {
  const name = FD_TYPES.has(type) ? t(`fdType.${type}` as MessageKey) : type;
  if (!mode) return name;
  return `${name} (${FD_MODES.has(mode) ? t(`fdMode.${mode}` as MessageKey) : mode})`;
}

const LIMIT_UNITS = new Set(['seconds', 'bytes', 'processes', 'files', 'locks', 'signals', 'us']);

/** The kernel's limit name ("Max open files") in the UI language, with the kernel's name kept if unknown. */
function limitName(name: string): string {
  const key = `limit.${name}` as MessageKey;
  return key in DICTIONARIES.en ? t(key) : name;
}

/** A limit in human units: sizes as KiB/MiB/GiB, microseconds as ms or s above a thousand, counts grouped. */
function limitText(l: { readonly soft: number | 'unlimited'; readonly hard: number | 'unlimited'; readonly units: string | null }): string {
  if (l.units === 'bytes') {
    const size = (x: number | 'unlimited'): string => (x === 'unlimited' ? t('limit.unlimited') : formatBytes(x));
    return `${size(l.soft)} / ${size(l.hard)}`;
  }
  let unit = l.units;
  let scale = 1;
  if (unit === 'us' && [l.soft, l.hard].every((x) => x === 'unlimited' || (x >= 1000 && x % 1000 === 0))) {
    unit = null;
    scale = 1000;
  }
  const value = (x: number | 'unlimited'): string => (x === 'unlimited' ? t('limit.unlimited') : `${(x / scale).toLocaleString(getLocale())}${scale === 1000 ? ' ms' : ''}`);
  const units = unit ? (LIMIT_UNITS.has(unit) ? t(`unit.${unit}` as MessageKey) : unit) : '';
  return `${value(l.soft)} / ${value(l.hard)}${units ? ` ${units}` : ''}`;
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(2)} s`;
}

function signalRow(parent: HTMLElement, label: string, set: DecodedSignals | null): void {
  const row = el('div', 'kv');
  row.append(el('div', 'kv-label', label));
  const value = el('div', 'kv-value signals');
  if (!set) value.append(el('span', 'unavailable', t('detail.unavailable')));
  else if (set.names.length === 0) value.append(el('span', 'muted', `${t('detail.none.value')} (${set.hex})`));
  else {
    for (const name of set.names) value.append(el('span', 'chip', name));
    value.append(el('span', 'muted mono', ` ${set.hex}`));
  }
  row.append(value);
  parent.append(row);
}

function emptyState(iconName: string, text: string): HTMLElement {
  const box = el('div', 'empty-state');
  const i = el('span', `codicon codicon-${iconName}`);
  i.setAttribute('aria-hidden', 'true');
  box.append(i, el('div', '', text));
  return box;
}

/** The memory map summed by kind, one bar whose segment widths are to scale by size. */
function memoryDrawing(map: MemoryMap): HTMLElement {
  const box = el('div', 'memory-drawing');
  box.append(el('div', 'memory-title', `${t('memory.title')} · ${t('memory.regions', map.regions.length)} · ${formatBytes(map.totalSize)}`));
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

function modelStates(state: string): ModelState[] {
  switch (state) {
    case 'R': return ['ready', 'running'];
    case 'S': case 'D': case 'I': case 'T': case 't': case 'W': case 'P': case 'K': return ['blocked'];
    case 'Z': case 'X': case 'x': return ['terminated'];
    default: return [];
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
  const marker = svg('marker', { id: 'arrowhead', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto-start-reverse' });
  marker.append(svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrow-head' }));
  defs.append(marker);
  root.append(defs);
  const edges: [ModelState, ModelState, number][] = [
    ['new', 'ready', 0], ['ready', 'running', -12], ['running', 'ready', 12], ['running', 'blocked', 0], ['blocked', 'ready', 0], ['running', 'terminated', 0],
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
    const shrink = (ux: number, uy: number): number => 1 / Math.sqrt((ux * ux) / ((rw / 2 + 2) ** 2) + (uy * uy) / ((rh / 2 + 2) ** 2));
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

/** Threads other than the exited main thread that still run or sleep (what keeps such a process alive). */
function otherLiveThreads(p: ProcessInfo, d: ProcessDetail | null): number {
  const threads = d?.threads ?? p.threads;
  if (!threads) return Math.max(p.numThreads - 1, 0);
  return threads.filter((th) => th.tid !== p.pid && th.state !== 'Z' && th.state !== 'X').length;
}

const THREAD_ROWS = 300;

/** Each thread's own state, context switches and wait channel (the values the process totals sum). */
function threadTable(threads: readonly ThreadDetail[]): HTMLElement[] {
  const title = el('div', 'thread-table-title', t('threads.title', threads.length));
  const table = el('table', 'thread-table');
  const hr = el('tr');
  for (const h of [t('threads.tid'), t('threads.name'), t('threads.state'), t('threads.ctxsw'), t('threads.wchan')]) hr.append(el('th', '', h));
  table.append(hr);
  const count = (n: number | null): string => (n === null ? '?' : String(n));
  for (const th of threads.slice(0, THREAD_ROWS)) {
    const tr = el('tr');
    tr.dataset.tid = String(th.tid);
    const state = el('span', `state-badge st-${stateClass(th.state)}`, th.state);
    state.title = stateLabel(th.state);
    const stateCell = el('td');
    stateCell.append(state);
    tr.append(el('td', 'num', String(th.tid)), osEl('td', '', th.name), stateCell,
      el('td', 'num', `${count(th.voluntaryCtxtSwitches)} / ${count(th.nonvoluntaryCtxtSwitches)}`),
      th.wchan !== null ? osEl('td', 'mono', th.wchan) : el('td', 'muted', th.state === 'R' ? t('threads.running') : '–'));
    table.append(tr);
  }
  const out: HTMLElement[] = [title, table];
  if (threads.length > THREAD_ROWS) out.push(el('div', 'muted', t('threads.more', threads.length - THREAD_ROWS)));
  return out;
}
