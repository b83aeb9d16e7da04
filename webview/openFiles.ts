// The detail pane's open files: one row per descriptor, a socket shown by what it connects (from the IPC
// scan), drawn a chunk at a time so a process with 10,000 descriptors does not stall the pane.
import type { FdEntry } from '../src/core/procfs/fd';
import type { Channel, IpcMap } from '../src/core/ipc/model';
import { el, osEl, visible } from './dom';
import { fdTypeText } from './detailFields';
import { t } from './i18n';

/** Open-file rows drawn at first, and added by each "show more". */
export const FD_CHUNK = 500;

export class OpenFiles {
  /** How many rows are drawn for the process shown (kept across the pane's periodic rebuilds). */
  private shown = FD_CHUNK;
  /** Sockets' endpoints by "pid/fd" and by inode, rebuilt when a new IPC scan arrives. */
  private index: { map: IpcMap; byFd: Map<string, Channel>; byInode: Map<number, Channel> } | null = null;

  /** Another process is shown: its table starts again at the first chunk. */
  reset(): void {
    this.shown = FD_CHUNK;
  }

  /** Draws the table of `pid`'s descriptors into a section's body. */
  draw(s: HTMLElement, fds: readonly FdEntry[], pid: number, ipc: IpcMap | null): void {
    const table = el('table', 'fd-table');
    const hr = el('tr');
    for (const [h, cls] of [
      [t('files.fd'), ''],
      [t('files.type'), 'fd-type'],
      [t('files.target'), ''],
    ] as const)
      hr.append(el('th', cls, h));
    const body = el('tbody');
    table.append(hr, body);
    const sockets = this.socketsOf(ipc);
    // Every fd is reachable, a chunk at a time: a plain table of 10,000 rows built at once would stall the
    // pane. The pane redraws by reconciling, so the rows drawn so far cost nothing at the next refresh.
    const frag = document.createDocumentFragment();
    for (let i = 0; i < Math.min(this.shown, fds.length); i++) frag.append(fdRow(fds[i]!, pid, sockets));
    body.append(frag);
    s.append(table);
    if (fds.length > this.shown) {
      const more = el('div', 'fd-more');
      const note = el('span', 'muted', t('files.more', fds.length - this.shown));
      // The pane handles these clicks (it delegates: its nodes carry no listeners) through `grow`.
      const next = el('button', 'chip-button', t('files.showMore', Math.min(FD_CHUNK, fds.length - this.shown)));
      next.type = 'button';
      next.dataset.action = 'fds-more';
      const all = el('button', 'chip-button', t('files.showAll', fds.length));
      all.type = 'button';
      all.dataset.action = 'fds-all';
      more.append(note, next, all);
      s.append(more);
    }
  }

  /** "Show more" (the next chunk) or "show all" was pressed: the next draw has that many rows. */
  grow(all: boolean): void {
    this.shown = all ? Number.MAX_SAFE_INTEGER : this.shown + FD_CHUNK;
  }

  private socketsOf(map: IpcMap | null): SocketIndex {
    if (!map) return null;
    if (this.index?.map === map) return this.index;
    const byFd = new Map<string, Channel>();
    const byInode = new Map<number, Channel>();
    for (const c of map.channels) {
      if (c.kind !== 'unix' && c.kind !== 'tcp' && c.kind !== 'udp') continue;
      for (const e of c.endpoints) if (e.fd !== null) byFd.set(`${e.pid}/${e.fd}`, c);
      for (const inode of c.inodes) byInode.set(inode, c);
    }
    this.index = { map, byFd, byInode };
    return this.index;
  }
}

export type SocketIndex = { byFd: Map<string, Channel>; byInode: Map<number, Channel> } | null;

/** One open-file row; a socket shows its endpoint from the IPC scan instead of `socket:[inode]`. */
export function fdRow(f: FdEntry, pid: number, sockets: SocketIndex): HTMLElement {
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
export function socketEndpoint(c: Channel, pid: number): string | null {
  const peers = c.endpoints.filter((e) => e.pid !== pid);
  const peerText =
    peers
      .slice(0, 3)
      .map((e) => `${visible(e.processName)} (${e.pid})`)
      .join(', ') + (peers.length > 3 ? ` ${t('files.morePeers', peers.length - 3)}` : '');
  if (c.kind === 'unix') {
    const name = c.path === null ? t('ipc.unnamed') : visible(c.path);
    return peerText ? t('files.socketUnixPeer', name, peerText, c.state) : t('files.socketUnix', name, c.state);
  }
  if (c.kind === 'tcp' || c.kind === 'udp') {
    return t('files.socketInet', c.kind.toUpperCase(), visible(c.local), visible(c.remote), c.state) + (peerText ? ` · ${peerText}` : '');
  }
  return null;
}
