// Open files in the PCB detail pane, in real headless Chromium (the fake host of page.ts with the recorded
// fixtures): every fd of a process with 5,000 of them is reachable (drawn a chunk at a time), and a socket
// shows its endpoint from the IPC scan (unix path and peer; TCP local ↔ remote) instead of socket:[inode],
// with a tooltip saying so where the scan does not know it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeHost, loadFixtures, REPO, type Fixtures, type PageOptions } from './page';
import { bootPanel, fakeHostForSuite, OUT } from './session';
import type { ProcessDetail } from '../../src/core/detail';
import type { FdEntry } from '../../src/core/procfs/fd';
import type { IpcMap } from '../../src/core/ipc/model';
import type { Request } from '../../src/protocol';
import { ipcMapOf } from '../unit/fakeIpc';

const fx: Fixtures = loadFixtures();
const details = JSON.parse(readFileSync(join(REPO, 'test', 'webview', 'fixtures', 'detail.json'), 'utf8')) as { detail: ProcessDetail };
const procs = fx.snapshot.snapshot.processes;
const hostile = procs.find((p) => p.pid === fx.meta.pids.hostile)!;
const peer = procs.find((p) => p.pid !== hostile.pid && !p.kernelThread)!;
const COUNT = 5000;

const fds: FdEntry[] = [
  { fd: 3, target: 'socket:[777001]', type: 'socket' },
  { fd: 4, target: 'socket:[777002]', type: 'socket', inode: 777002 },
  { fd: 5, target: 'socket:[777003]', type: 'socket', inode: 777003 },
  ...Array.from({ length: COUNT - 3 }, (_, i): FdEntry => ({
    fd: i + 6,
    target: `/tmp/procscope-test/file-${i + 6}`,
    type: 'file',
    mode: 'read',
  })),
];
const detail: ProcessDetail = { ...details.detail, fds };
/** fd 3 found by pid/fd (a unix stream to the peer); fd 4 only by its inode (a TCP connection); fd 5 unknown. */
const ipc: IpcMap = ipcMapOf([
  {
    kind: 'unix',
    id: 'unix:t:1',
    label: '/run/procscope-test.sock',
    inode: 777001,
    path: '/run/procscope-test.sock',
    abstract: false,
    socketType: 'stream',
    state: 'connected',
    inodes: [777001, 777011],
    peerKnown: true,
    endpoints: [
      { pid: hostile.pid, fd: 3, role: 'connected', processName: hostile.name, processKey: hostile.key },
      { pid: peer.pid, fd: 9, role: 'connected', processName: peer.name, processKey: peer.key },
    ],
  },
  {
    kind: 'tcp',
    id: 'tcp:t:2',
    label: 'tcp',
    family: 'ipv4',
    state: 'ESTABLISHED',
    local: '127.0.0.1:40000',
    remote: '10.1.2.3:443',
    joined: false,
    inodes: [777002],
    endpoints: [],
  },
]);

let host: FakeHost;

async function boot(options: PageOptions = {}): Promise<void> {
  await bootPanel(host, fx.snapshot, options);
}

function targetOf(fd: number) {
  return host.page
    .locator('.fd-table tr')
    .filter({ has: host.page.locator('td.num', { hasText: new RegExp(`^${fd}$`) }) })
    .locator('td.mono');
}

describe('ProcScope webview open files', { timeout: 180000 }, () => {
  fakeHostForSuite(
    (h) => (host = h),
    (request: Request) => {
      if (request.kind === 'detail' && request.pid === hostile.pid) return { ok: true, result: { ...detail, nodeRuntime: false } };
      return { ok: false, error: 'refused by the test host' };
    },
  );

  for (const locale of ['en', 'ko'] as const) {
    it(`shows every one of ${COUNT} fds, a chunk at a time, and sockets' endpoints (${locale})`, async () => {
      await boot({ locale, width: 1300, height: 800 });
      await host.send({ type: 'ipc', map: ipc });
      await host.page.locator('#filter input').fill(`pid:${hostile.pid}`);
      await host.page.locator(`.row[data-row-id="p${hostile.key}"]`).click();
      const rows = host.page.locator('.fd-table tbody tr');
      await rows.first().waitFor();
      assert.equal(await rows.count(), 500, 'the first chunk');
      // Sockets: the unix one by pid/fd with its path and peer; the TCP one by inode; the unknown one as is.
      assert.equal(await targetOf(3).textContent(), `unix /run/procscope-test.sock ↔ ${peer.name} (${peer.pid}) · connected`);
      assert.match((await targetOf(3).getAttribute('title'))!, /socket:\[777001\]/, 'the raw target stays in the tooltip');
      assert.equal(await targetOf(4).textContent(), 'TCP 127.0.0.1:40000 ↔ 10.1.2.3:443 · ESTABLISHED');
      assert.equal(await targetOf(5).textContent(), 'socket:[777003]');
      assert.equal(
        await targetOf(5).getAttribute('title'),
        locale === 'ko'
          ? '마지막 IPC 검사에 없는 엔드포인트 (IPC 탭을 열거나 다음 검사를 기다리세요)'
          : 'Endpoint not in the last IPC scan (open the IPC tab, or wait for its next scan)',
      );
      // Show more adds the next 500; the rows drawn stay drawn when the pane is rebuilt (it re-reads the PCB).
      const more = host.page.locator('[data-action="fds-more"]');
      assert.equal(await more.textContent(), locale === 'ko' ? '500개 더 보기' : 'Show 500 more');
      await more.click();
      assert.equal(await rows.count(), 1000);
      await host.next((m) => m.type === 'request' && m.request.kind === 'detail', 8000);
      await host.page.waitForTimeout(300);
      assert.equal(await rows.count(), 1000, 'a rebuild keeps the rows drawn');
      // Show all reaches the last fd.
      await host.page.locator('[data-action="fds-all"]').click();
      assert.equal(await rows.count(), COUNT);
      assert.equal(await targetOf(COUNT + 2).textContent(), `/tmp/procscope-test/file-${COUNT + 2}`);
      assert.equal(await host.page.locator('[data-action="fds-more"]').count(), 0, 'nothing more to show');
      // (Through evaluate: the pane is rebuilt every few seconds, and a rebuild keeps the scroll position.)
      const seen = await host.page.evaluate(() => {
        const last = [...document.querySelectorAll('.fd-table tbody tr')].pop()!;
        last.scrollIntoView({ block: 'end' });
        const r = last.getBoundingClientRect();
        const panel = last.closest('vscode-tab-panel')!.getBoundingClientRect();
        return { top: r.top, bottom: r.bottom, panelTop: panel.top, panelBottom: panel.bottom, text: last.textContent };
      });
      assert.ok(
        seen.top >= seen.panelTop && seen.bottom <= seen.panelBottom + 1,
        `the last fd is scrolled into the pane (${JSON.stringify(seen)})`,
      );
      await host.page.screenshot({ path: join(OUT, `open-files-${locale}.png`) });
      assert.deepEqual(host.pageErrors, []);
    });
  }
});
