// The address-space drawing and the page map in the PCB detail pane, in real headless Chromium (the fake host
// of page.ts with the recorded fixtures and a real /proc/PID/maps of bash, test/fixtures/proc/address-space):
// bands top to bottom from the highest address, labelled in both languages, a hostile path drawn as text,
// and a page map whose cells and counts follow the host's answers as pages are copied.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeHost, loadFixtures, REPO, type Fixtures } from './page';
import { bootPanel, fakeHostForSuite, OUT } from './session';
import type { ProcessDetail } from '../../src/core/detail';
import { parseMaps } from '../../src/core/procfs/maps';
import { PAGE_EXCLUSIVE, PAGE_NOT_PRESENT, PAGE_SHARED, type PageMapResult } from '../../src/core/pagemap';
import { visible } from '../../src/shared/visible';
import type { Request } from '../../src/protocol';

const fx: Fixtures = loadFixtures();
const details = JSON.parse(readFileSync(join(REPO, 'test', 'webview', 'fixtures', 'detail.json'), 'utf8')) as { detail: ProcessDetail };
const procs = fx.snapshot.snapshot.processes;
const hostile = procs.find((p) => p.pid === fx.meta.pids.hostile)!;

/** A library path with markup, a right-to-left override and a byte that is not UTF-8 (surrogateescape). */
const HOSTILE_PATH = '/tmp/<img src=x onerror="document.title=1">\u202Eos.evil\udcff.so';
const mapsText =
  readFileSync(join(REPO, 'test', 'fixtures', 'proc', 'address-space', 'bash.maps'), 'utf8') +
  `7ffff0000000-7ffff0001000 r--p 00000000 fe:00 1234 ${HOSTILE_PATH}\n`;
const memoryMap = parseMaps(mapsText, '/usr/bin/bash');
const BSS = { start: '55bc90d99000', end: '55bc90da4000' };
const BSS_PAGES = 11;

/** The host's page map answers, one per request: the child writes one more page each time. */
let pageMapAsks = 0;
/** When set, the host answers every page map with this reason (what an errno from the reader looks like). */
let unreadable: string | null = null;
function pageMapAnswer(start: string, end: string): PageMapResult {
  const exclusive = Math.min(BSS_PAGES - 1, pageMapAsks++);
  const shared = BSS_PAGES - 1 - exclusive;
  return {
    start,
    end,
    pageSize: 4096,
    pages: BSS_PAGES,
    read: BSS_PAGES,
    runs: [
      [PAGE_EXCLUSIVE, exclusive],
      [PAGE_SHARED, shared],
      [PAGE_NOT_PRESENT, 1],
    ].filter(([, n]) => n! > 0) as [0 | 1 | 2 | 3, number][],
    counts: { notPresent: 1, shared, exclusive, swapped: 0 },
    unavailable: null,
  };
}

let host: FakeHost;
const asked: Request[] = [];

describe('ProcScope webview address space and page map', { timeout: 180000 }, () => {
  fakeHostForSuite(
    (h) => (host = h),
    (request: Request) => {
      asked.push(request);
      if (request.kind === 'detail' && request.pid === hostile.pid)
        return { ok: true, result: { ...details.detail, memoryMap, nodeRuntime: false } };
      if (request.kind === 'pageMap' && unreadable !== null)
        return {
          ok: true,
          result: { ...pageMapAnswer(request.start, request.end), read: 0, runs: [], unavailable: unreadable },
        };
      if (request.kind === 'pageMap') return { ok: true, result: pageMapAnswer(request.start, request.end) };
      return { ok: false, error: 'refused by the test host' };
    },
  );

  for (const locale of ['en', 'ko'] as const) {
    it(`draws the bands highest address first, labelled, with a hostile path as text (${locale})`, async () => {
      await bootPanel(host, fx.snapshot, { locale, width: 1200, height: 900 });
      await host.page.locator('#filter input').fill(`pid:${hostile.pid}`);
      await host.page.locator(`.row[data-row-id="p${hostile.key}"]`).click();
      const bands = host.page.locator('.as-bands > li');
      await bands.first().waitFor();
      const kinds = await bands.evaluateAll((items) => items.map((li) => (li as HTMLElement).dataset.kind));
      assert.deepEqual(kinds.slice(0, 6), ['vsyscall', 'gap', 'library', 'gap', 'stack', 'gap']);
      assert.deepEqual(kinds.slice(-8), ['heap', 'gap', 'bss', 'data', 'rodata', 'rodata', 'text', 'rodata']);
      const starts = await bands.evaluateAll((items) => items.map((li) => BigInt(`0x${(li as HTMLElement).dataset.start}`)));
      for (let i = 1; i < starts.length; i++) assert.ok(starts[i]! < starts[i - 1]!, 'descending addresses');

      const text = host.page.locator('.as-band.as-text');
      assert.equal(await text.locator('.as-kind').textContent(), locale === 'ko' ? '텍스트 (코드)' : 'text (code)');
      assert.equal(await text.locator('.as-addr').textContent(), '55bc90c93000');
      assert.equal(await text.locator('.as-size').textContent(), '772 KiB');
      assert.equal(await text.locator('.as-perms').textContent(), 'r-xp');
      assert.equal(await text.locator('.as-path').textContent(), '/usr/bin/bash');
      const libc = host.page.locator('.as-band.as-library', { hasText: 'libc.so.6' });
      assert.equal(await libc.locator('.as-perms').textContent(), 'r--p r-xp r--p r--p rw-p');
      assert.equal(await libc.locator('.as-kind').textContent(), locale === 'ko' ? '공유 라이브러리' : 'shared library');
      assert.match((await host.page.locator('.as-note').textContent())!, locale === 'ko' ? /크기 비례가 아닙니다/ : /Not to scale/);
      // A screen reader hears an ordered list: its name says how many bands and in which order.
      assert.equal(await host.page.locator('.as-bands').evaluate((ol) => ol.tagName), 'OL');
      assert.equal(kinds.length, 38, '33 regions and 5 gaps');
      assert.equal(
        await host.page.locator('.as-bands').getAttribute('aria-label'),
        locale === 'ko' ? '주소 공간, 띠 38개, 높은 주소부터' : 'Address space, 38 bands, highest address first',
      );

      // The hostile path: its text escaped visibly, no element made from it, nothing ran.
      const evil = host.page.locator('.as-band', { hasText: 'os.evil' }).locator('.as-path');
      assert.equal(await evil.textContent(), visible(HOSTILE_PATH));
      assert.equal(await evil.locator('img').count(), 0);
      assert.equal(await host.page.locator('.as-drawing img').count(), 0);
      assert.ok((await evil.locator('.esc').count()) >= 2, 'the override and the byte are marked escapes');
      assert.notEqual(await host.page.title(), '1');

      // Page maps are offered on writable single regions only.
      assert.equal(await text.locator('.as-pagemap-open').count(), 0);
      assert.equal(await libc.locator('.as-pagemap-open').count(), 0);
      assert.equal(await host.page.locator('.as-band.as-heap .as-pagemap-open').count(), 1);
      await host.page.locator('.as-band.as-stack').scrollIntoViewIfNeeded();
      await host.page.screenshot({ path: join(OUT, `address-space-${locale}.png`) });
    });
  }

  it('opens the page map of the bss, draws one cell per page, and follows the copies every second', async () => {
    await bootPanel(host, fx.snapshot, { width: 1200, height: 900 });
    await host.page.locator('#filter input').fill(`pid:${hostile.pid}`);
    await host.page.locator(`.row[data-row-id="p${hostile.key}"]`).click();
    pageMapAsks = 0;
    const open = host.page.locator('.as-band.as-bss .as-pagemap-open');
    await open.click();
    const first = asked.filter((r) => r.kind === 'pageMap').pop();
    assert.deepEqual(first, { kind: 'pageMap', pid: hostile.pid, key: hostile.key, start: BSS.start, end: BSS.end });
    const cells = host.page.locator('.pm-grid .pm-cell');
    await cells.first().waitFor();
    assert.equal(await cells.count(), BSS_PAGES);
    assert.equal(await host.page.locator('.pm-title, .pm-head .memory-title').first().textContent(), 'Page map: bss at 55bc90d99000');
    assert.match((await host.page.locator('.pm-explain').textContent())!, /shared.*copies that page for the writer/);
    assert.equal(await host.page.locator('.pm-grid .pm-absent').count(), 1);
    const firstExclusive = await host.page.locator('.pm-grid .pm-exclusive').count();
    // Refreshed while shown: more exclusive (copied) pages each second, the counts with them.
    await host.page.waitForFunction((n) => document.querySelectorAll('.pm-grid .pm-exclusive').length >= n + 2, firstExclusive, {
      timeout: 8000,
    });
    const exclusive = await host.page.locator('.pm-grid .pm-exclusive').count();
    const shared = await host.page.locator('.pm-grid .pm-shared').count();
    assert.equal(exclusive + shared + 1, BSS_PAGES);
    const countText = (await host.page.locator('.pm-exclusive-count').textContent())!;
    const shown = Number(/(\d+)$/.exec(countText)![1]);
    assert.ok(shown >= exclusive, `count ${countText} vs ${exclusive} cells`);
    await host.page.screenshot({ path: join(OUT, 'page-map.png'), fullPage: false });
    // A detail refresh redraws the pane: the open map stays, under the drawing.
    await host.next((m) => m.type === 'request' && m.request.kind === 'detail', 8000);
    await host.page.waitForTimeout(300);
    assert.equal(await host.page.locator('.pm-grid').count(), 1);
    // Closed: no more questions.
    await host.page.locator('.pm-close').click();
    assert.equal(await host.page.locator('.pm-grid').count(), 0);
    const after = asked.filter((r) => r.kind === 'pageMap').length;
    await host.page.waitForTimeout(2200);
    assert.equal(asked.filter((r) => r.kind === 'pageMap').length, after, 'closed maps are not read');
  });

  it('shows why a page map could not be read, as text, and closes the map when another process is selected', async () => {
    await bootPanel(host, fx.snapshot, { locale: 'ko', width: 1200, height: 900 });
    await host.page.locator('#filter input').fill(`pid:${hostile.pid}`);
    await host.page.locator(`.row[data-row-id="p${hostile.key}"]`).click();
    unreadable = 'EACCES: pagemap of process 1: <b>permission denied</b>';
    try {
      await host.page.locator('.as-band.as-heap .as-pagemap-open').click();
      const error = host.page.locator('.pm-error');
      await error.waitFor();
      assert.equal(await error.textContent(), `페이지 맵을 읽지 못했습니다: ${unreadable}`);
      assert.equal(await error.locator('b').count(), 0);
      assert.equal(await host.page.locator('.pm-grid').count(), 0);
      assert.equal(await host.page.locator('.pm-head .memory-title').textContent(), '페이지 맵: 55bcc4fdf000의 힙');
    } finally {
      unreadable = null;
    }
    const other = procs.find((p) => p.pid !== hostile.pid && !p.kernelThread)!;
    await host.page.locator('#filter input').fill(`pid:${other.pid}`);
    await host.page.locator(`.row[data-row-id="p${other.key}"]`).click();
    await host.page.waitForFunction(() => document.querySelectorAll('.pm-view:not(:empty)').length === 0);
    const count = asked.filter((r) => r.kind === 'pageMap').length;
    await host.page.waitForTimeout(2200);
    assert.equal(asked.filter((r) => r.kind === 'pageMap').length, count, "another process's pane asks nothing");
  });
});
