// The detail pane's per-thread table and the count of threads that keep a process with an exited leader alive.
import type { ProcessDetail, ThreadDetail } from '../src/core/detail';
import type { ProcessInfo } from '../src/core/model';
import { el, osEl } from './dom';
import { stateClass, stateLabel } from './rowText';
import { t } from './i18n';

/** Threads other than the exited main thread that still run or sleep (what keeps such a process alive). */
export function otherLiveThreads(p: ProcessInfo, d: ProcessDetail | null): number {
  const threads = d?.threads ?? p.threads;
  if (!threads) return Math.max(p.numThreads - 1, 0);
  return threads.filter((th) => th.tid !== p.pid && th.state !== 'Z' && th.state !== 'X').length;
}

const THREAD_ROWS = 300;

/** Each thread's own state, context switches and wait channel (the values the process totals sum). */
export function threadTable(threads: readonly ThreadDetail[]): HTMLElement[] {
  const title = el('div', 'thread-table-title', t('threads.title', threads.length));
  const table = el('table', 'thread-table');
  const hr = el('tr');
  for (const h of [t('threads.tid'), t('threads.name'), t('threads.state'), t('threads.ctxsw'), t('threads.wchan')])
    hr.append(el('th', '', h));
  table.append(hr);
  const count = (n: number | null): string => (n === null ? '?' : String(n));
  for (const th of threads.slice(0, THREAD_ROWS)) {
    const tr = el('tr');
    tr.dataset.tid = String(th.tid);
    const state = el('span', `state-badge st-${stateClass(th.state)}`, th.state);
    state.title = stateLabel(th.state);
    const stateCell = el('td');
    stateCell.append(state);
    tr.append(
      el('td', 'num', String(th.tid)),
      osEl('td', '', th.name),
      stateCell,
      el('td', 'num', `${count(th.voluntaryCtxtSwitches)} / ${count(th.nonvoluntaryCtxtSwitches)}`),
      th.wchan !== null ? osEl('td', 'mono', th.wchan) : el('td', 'muted', th.state === 'R' ? t('threads.running') : '–'),
    );
    table.append(tr);
  }
  const out: HTMLElement[] = [title, table];
  if (threads.length > THREAD_ROWS) out.push(el('div', 'muted', t('threads.more', threads.length - THREAD_ROWS)));
  return out;
}
