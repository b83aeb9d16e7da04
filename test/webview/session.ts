// What nearly every Chromium test of the panel does first, written once: one fake host (and browser) per
// suite, and a panel booted the way the real host boots it (load, `init`, a snapshot, the first row drawn).
// A change to the handshake is then made here, not in every test file.
import { after, before } from 'node:test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { IpcMap, PipeChannel } from '../../src/core/ipc/model';
import type { ProcessInfo } from '../../src/core/model';
import type { SnapshotMessage } from '../../src/protocol';
import { DEFAULT_SETTINGS, FakeHost, REPO, type PageOptions } from './page';
import { ipcMapOf } from '../unit/fakeIpc';

/** Where the tests write their screenshots. */
export const OUT = join(REPO, 'test-results');

/** A host that answers every request with an error, for tests that ask nothing of it. */
export const refuseRequests: FakeHost['onRequest'] = () => ({ ok: false, error: 'refused by the test host' });

/**
 * Starts a fake host before the suite's tests and closes it after them. `use` receives it (the test files
 * keep it in a module variable their helpers share); `onRequest` answers the webview's requests, FakeHost's
 * own "no handler" error when not given.
 */
export function fakeHostForSuite(use: (host: FakeHost) => void, onRequest?: FakeHost['onRequest']): void {
  let host: FakeHost | undefined;
  before(async () => {
    host = await FakeHost.start();
    if (onRequest) host.onRequest = onRequest;
    mkdirSync(OUT, { recursive: true });
    use(host);
  });
  after(async () => {
    await host?.close();
  });
}

/** Loads the panel, sends `init` (in the page's locale) and `snapshot`, and waits for the first row. */
export async function bootPanel(host: FakeHost, snapshot: SnapshotMessage, options: PageOptions = {}, keepState = false): Promise<void> {
  await host.load(options, keepState);
  await host.send({ type: 'init', settings: { ...DEFAULT_SETTINGS, locale: options.locale ?? 'en' }, platform: 'linux' });
  await host.send(snapshot);
  await host.page.locator('.row').first().waitFor();
}

/**
 * A hub joined by a pipe to each of the first 40 other user processes (real recorded ones, alternating
 * direction): an IPC graph whose layered layout is far larger than the pane.
 */
export function hubIpcMap(processes: readonly ProcessInfo[], hub: ProcessInfo): IpcMap {
  const others = processes.filter((p) => p.pid !== hub.pid && !p.kernelThread).slice(0, 40);
  const channels = others.map((p, i) => (i % 2 ? pipeChannel(hub, p, i, [1, 0]) : pipeChannel(p, hub, i, [1, 0])));
  return ipcMapOf(channels);
}

/** Pipe number `n` (inode 9000 + n) from a writer to a reader, at the given fds (by default 10 + n at both ends). */
export function pipeChannel(a: ProcessInfo, b: ProcessInfo, n: number, [writeFd, readFd] = [10 + n, 10 + n]): PipeChannel {
  return {
    kind: 'pipe',
    id: `pipe:t:${n}`,
    label: `pipe ${9000 + n}`,
    inode: 9000 + n,
    endpoints: [
      { pid: a.pid, fd: writeFd, role: 'write', processName: a.name, processKey: a.key },
      { pid: b.pid, fd: readFd, role: 'read', processName: b.name, processKey: b.key },
    ],
  };
}

/** The visible column headers whose label does not fit (drawn wider than shown), with their sizes. */
export function cutHeaderLabels(page: Page): Promise<{ column: string | undefined; label: string | null; full: number; shown: number }[]> {
  return page.locator('.grid-header .cell').evaluateAll((cells) =>
    cells
      .filter((c) => getComputedStyle(c).display !== 'none')
      .map((c) => {
        const text = c.querySelector('.header-text') as HTMLElement;
        return { column: (c as HTMLElement).dataset.column, label: text.textContent, full: text.scrollWidth, shown: text.clientWidth };
      })
      .filter((h) => h.full > h.shown + 0.5),
  );
}
