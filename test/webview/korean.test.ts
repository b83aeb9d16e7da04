// The panel in Korean, in real headless Chromium: the start-up data's `language` field (the
// procscope.language setting) chooses the language over VS Code's locale, and the labels that used to stay
// English in the Korean UI (thread rows, CPU affinity, limits, open-file types, IPC edge labels) are Korean.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeHost, loadFixtures, DEFAULT_SETTINGS, REPO, type Fixtures, type Theme } from './page';
import { fakeHostForSuite, OUT } from './session';
import type { ProcessDetail } from '../../src/core/detail';
import type { Request } from '../../src/protocol';
import type { Channel, Endpoint, IpcMap } from '../../src/core/ipc/model';

const fx: Fixtures = loadFixtures();
const details = JSON.parse(readFileSync(join(REPO, 'test', 'webview', 'fixtures', 'detail.json'), 'utf8')) as { detail: ProcessDetail };
const procs = fx.snapshot.snapshot.processes;
const hostile = procs.find((p) => p.pid === fx.meta.pids.hostile)!;

let host: FakeHost;

describe('ProcScope webview in Korean', { timeout: 180000 }, () => {
  fakeHostForSuite(
    (h) => (host = h),
    (request: Request) =>
      request.kind === 'detail' && request.pid === hostile.pid
        ? { ok: true, result: details.detail }
        : { ok: false, error: 'refused by the test host' },
  );

  for (const [locale, language, expected] of [
    ['en', 'ko', '이름'],
    ['ko', 'en', 'Name'],
    ['ko', 'auto', '이름'],
    ['en', undefined, 'Name'],
  ] as const) {
    it(`follows the start-up language field (locale ${locale}, language ${language ?? 'absent'})`, async () => {
      await host.load({ locale, language });
      // Before any message from the host: the start-up data alone decides.
      assert.equal(await host.page.locator('.grid-header .c-name .header-text').textContent(), expected);
      assert.equal(await host.page.evaluate(() => document.documentElement.lang), expected === 'Name' ? 'en' : 'ko');
    });
  }

  it('labels unix socket, message queue, lock and anonymous-inode edges in Korean', async () => {
    const shell = fx.meta.pids.pipelineShell!;
    const sleeper = procs.find((p) => p.ppid === shell && p.name === 'sleep')!;
    const ep = (pid: number, fd: number | null, role: Endpoint['role']): Endpoint => ({ pid, fd, role, processName: 'x' });
    const channels: Channel[] = [
      {
        kind: 'unix',
        id: 'unix:1',
        label: '/tmp/ps-sock (stream, peer unknown)',
        path: '/tmp/ps-sock',
        abstract: false,
        socketType: 'stream',
        state: 'connected',
        inodes: [1, 2],
        peerKnown: false,
        inode: 1,
        endpoints: [ep(shell, 3, 'connected'), ep(sleeper.pid, 4, 'connected')],
      },
      {
        kind: 'unix',
        id: 'unix:3',
        label: 'unnamed (dgram)',
        path: null,
        abstract: false,
        socketType: 'dgram',
        state: 'connected',
        inodes: [3, 4],
        peerKnown: true,
        inode: 3,
        endpoints: [ep(shell, 5, 'connected'), ep(sleeper.pid, 6, 'connected')],
      },
      {
        kind: 'sysv-msg',
        id: 'sysv-msg:7',
        label: 'SysV msg queue 7 (key 0x00000007)',
        key: '0x00000007',
        msqid: 7,
        bytes: 30,
        messages: 3,
        lastSendPid: 0,
        lastRecvPid: 0,
        perms: '600',
        uid: 0,
        endpoints: [ep(shell, null, 'sender'), ep(sleeper.pid, null, 'receiver')],
      },
      {
        kind: 'signalfd',
        id: `signalfd:${shell}:9`,
        label: `signalfd (pid ${shell}, fd 9)`,
        endpoints: [ep(shell, 9, 'open'), ep(sleeper.pid, 9, 'open')],
      },
      {
        kind: 'lock',
        id: 'lock:1',
        label: 'POSIX WRITE lock on /tmp/ps-lock',
        lockClass: 'POSIX',
        mode: 'ADVISORY',
        access: 'WRITE',
        start: 0,
        end: null,
        device: '08:01',
        fileInode: 9,
        path: '/tmp/ps-lock',
        endpoints: [ep(shell, 7, 'holder'), ep(sleeper.pid, null, 'waiter')],
      },
    ];
    const map: IpcMap = { ...fx.ipc, channels, waitFor: [{ waiter: sleeper.pid, holder: shell, channelId: 'lock:1' }], deadlocks: [] };
    await host.load({ locale: 'ko', width: 1300, height: 800 });
    await host.send({ type: 'init', settings: { ...DEFAULT_SETTINGS, locale: 'ko' }, platform: 'linux' });
    await host.send(fx.snapshot);
    await host.send({ type: 'ipc', map });
    await host.page.locator('#filter input').fill(`pid:${sleeper.pid}`);
    await host.page.locator(`.row[data-row-id="p${sleeper.key}"]`).click();
    await host.page.locator('vscode-tab-header').nth(2).click();
    await host.page.locator('.ipc-edge.kind-lock').first().waitFor({ state: 'attached' });
    // Every channel's label is in the tooltip of the edge it was drawn as (parallel ones are merged).
    const titles = (await host.page.locator('.ipc-edge-label > title').allTextContents()).join('\n');
    for (const want of [
      '유닉스 소켓 /tmp/ps-sock 스트림',
      '유닉스 소켓 (이름 없음) 데이터그램',
      '메시지 큐 0x00000007 (메시지 3개)',
      'POSIX 잠금 쓰기 /tmp/ps-lock',
      `signalfd (pid ${shell}, fd 9)`,
    ]) {
      assert.ok(titles.includes(want), `${want} in ${JSON.stringify(titles)}`);
    }
    const words = titles.replace(/\/tmp\/ps-[a-z]+/g, ' ').match(/[A-Za-z]{3,}/g) ?? [];
    assert.deepEqual(
      words.filter((w) => !['POSIX', 'signalfd', 'pid'].includes(w)),
      [],
      titles,
    );
    assert.deepEqual(host.pageErrors, []);
  });

  for (const theme of ['dark', 'light'] as Theme[]) {
    it(`shows thread rows, the PCB's labels, limits, open-file types and IPC labels in Korean (${theme})`, async () => {
      await host.load({ locale: 'ko', theme, width: 1300, height: 800 });
      await host.send({ type: 'init', settings: { ...DEFAULT_SETTINGS, locale: 'ko' }, platform: 'linux' });
      await host.send(fx.snapshot);
      await host.send({ type: 'ipc', map: fx.ipc });
      await host.page.locator('#filter input').fill(`pid:${hostile.pid}`);
      const row = host.page.locator(`.row[data-row-id="p${hostile.key}"]`);
      await row.locator('[data-action="threads"]').click();
      await row.click();
      const threadKinds = await host.page.locator('.thread-row:not([hidden]) .c-threads').allTextContents();
      assert.ok(threadKinds.includes('메인') && threadKinds.includes('LWP'), `thread rows: ${JSON.stringify(threadKinds)}`);
      assert.equal(
        await host.page.locator('.thread-row:not([hidden]) .c-threads', { hasText: '메인' }).first().getAttribute('title'),
        '메인 스레드: 스레드 ID가 프로세스 ID와 같습니다',
      );
      await host.page.locator('vscode-collapsible[data-section="more"]').waitFor();
      const labels = await host.page.locator('.detail-pane .kv-label').allTextContents();
      for (const want of ['CPU 친화성', '대기 채널(wchan)', '파일 모드 마스크(umask)', '열린 파일 수', 'CPU 시간', '자원 제한'])
        assert.ok(labels.includes(want), `${want} among ${JSON.stringify(labels)}`);
      const english = labels.filter((l) => /^(Max |CPU affinity|wchan$|umask$|root$|limits$)/.test(l));
      assert.deepEqual(english, [], 'no label of the old English set is left');
      const values = await host.page.locator('.detail-pane .kv-value').allTextContents();
      assert.ok(
        values.some((v) => v.includes('무제한')),
        'unlimited is 무제한',
      );
      const types = await host.page.locator('.fd-table td.fd-type').allTextContents();
      assert.ok(
        types.length > 0 && types.every((x) => !/^(file|pipe|socket|anon_inode|dev|dir)\b/.test(x)),
        `open-file types in Korean: ${JSON.stringify(types.slice(0, 8))}`,
      );
      // A Korean type wraps only between words too ("장치 (읽기/쓰기)" used to break inside "쓰기").
      const split = await host.page.locator('.fd-table td.fd-type').evaluateAll((cells) =>
        cells
          .filter((td) => {
            const text = td.firstChild!;
            let at = 0;
            for (const word of (text.textContent ?? '').split(' ')) {
              const range = document.createRange();
              range.setStart(text, at);
              range.setEnd(text, at + word.length);
              if (word && range.getClientRects().length > 1) return true;
              at += word.length + 1;
            }
            return false;
          })
          .map((td) => td.textContent),
      );
      assert.deepEqual(split, []);
      await host.page.locator('.fd-table').scrollIntoViewIfNeeded();
      await host.page.screenshot({ path: join(OUT, `korean-detail-${theme}.png`) });
      // IPC: the pipeline's pipe edge is labelled in Korean.
      const shell = fx.meta.pids.pipelineShell!;
      const sleeper = procs.find((p) => p.ppid === shell && p.name === 'sleep')!;
      await host.page.locator('#filter input').fill(`pid:${sleeper.pid}`);
      await host.page.locator(`.row[data-row-id="p${sleeper.key}"]`).click();
      await host.page.locator('vscode-tab-header').nth(2).click();
      await host.page.locator('.ipc-edge.kind-pipe').first().waitFor();
      const edgeLabels = await host.page.locator('.ipc-edge-label').evaluateAll((ts) => ts.map((x) => x.firstChild?.textContent ?? ''));
      assert.ok(
        edgeLabels.some((l) => l.startsWith('파이프')),
        `edge labels: ${JSON.stringify(edgeLabels)}`,
      );
      assert.equal(await host.page.locator('[data-ipc-action="fit"]').getAttribute('title'), '그래프 전체를 화면에 맞춤 (0)');
      await host.page.screenshot({ path: join(OUT, `korean-ipc-${theme}.png`) });
      assert.deepEqual(host.pageErrors, []);
    });
  }
});
