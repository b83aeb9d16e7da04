// The ProcScope panel in real headless Chromium, against a fake host that plays snapshots, deltas, an IPC map
// and PCB details recorded from this machine's real /proc (test/webview/recordFixtures.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeHost, loadFixtures, DEFAULT_SETTINGS, REPO, type Fixtures, type PageOptions } from './page';
import { fakeHostForSuite } from './session';
import { formatBytes } from '../../webview/dom';
import { PortableSampler } from '../../src/core/portable/portableSampler';
import type { ProcessInfo } from '../../src/core/model';
import type { ProcessDetail } from '../../src/core/detail';
import type { FromWebview, ViewSettings } from '../../src/protocol';

const fx: Fixtures = loadFixtures();
const details = JSON.parse(readFileSync(join(REPO, 'test', 'webview', 'fixtures', 'detail.json'), 'utf8')) as {
  detail: ProcessDetail;
  detailWithEnv: ProcessDetail;
  lockDetail: ProcessDetail;
};

const byPid = (pid: number): ProcessInfo => {
  const p = fx.snapshot.snapshot.processes.find((q) => q.pid === pid);
  assert.ok(p, `pid ${pid} is in the recorded snapshot`);
  return p;
};
const hostile = byPid(fx.meta.pids.hostile!);
const stopped = byPid(fx.meta.pids.stopped!);
const lockA = byPid(fx.meta.pids.lockA!);
const lockB = byPid(fx.meta.pids.lockB!);
const zombie = fx.snapshot.snapshot.processes.find((p) => p.state === 'Z' && p.ppid === fx.meta.pids.zombieParent);

let host: FakeHost;

async function boot(options: PageOptions = {}, settings: Partial<ViewSettings> = {}): Promise<void> {
  await host.load(options);
  await host.send({ type: 'init', settings: { ...DEFAULT_SETTINGS, ...settings }, platform: 'linux' });
  await host.send(fx.snapshot);
  await host.page.locator('.row').first().waitFor();
}

const row = (key: string) => host.page.locator(`.row[data-row-id="p${key}"]`);

async function filter(text: string): Promise<void> {
  await host.page.locator('#filter input').fill(text);
}

const CELLS = {
  name: '.c-name .name-text',
  pid: '.c-pid',
  state: '.c-state .state-badge',
  cpu: '.c-cpu',
  rss: '.c-rss',
  threads: '.c-threads',
  user: '.c-user',
  cmd: '.c-cmd',
  label: '.ws-label',
} as const;

async function rowTexts(key: string): Promise<Record<keyof typeof CELLS, string>> {
  // (No helper functions inside evaluate callbacks: tsx's __name wrapper does not exist in the page.)
  const texts = await row(key).evaluate(
    (el, cells) => Object.fromEntries(Object.entries(cells).map(([k, s]) => [k, el.querySelector(s)?.textContent ?? ''])),
    CELLS,
  );
  return texts as Record<keyof typeof CELLS, string>;
}

/** Text of a cell in each matching row, in the order the rows appear on screen (pooled rows are not in DOM order). */
async function inRowOrder(rows: import('playwright-core').Locator, cell: string): Promise<string[]> {
  const pairs = await rows.evaluateAll(
    (els, c) => els.map((e) => [Number(e.getAttribute('aria-rowindex')), e.querySelector(c)?.textContent ?? ''] as [number, string]),
    cell,
  );
  return pairs.sort((a, b) => a[0] - b[0]).map((p) => p[1]);
}

function defaultHandler(request: import('../../src/protocol').Request) {
  if (request.kind === 'detail') {
    if (request.pid === hostile.pid) return { ok: true as const, result: request.includeEnv ? details.detailWithEnv : details.detail };
    if (request.pid === lockA.pid) return { ok: true as const, result: details.lockDetail };
    return { ok: false as const, error: `no such process: ${request.pid}` };
  }
  return { ok: false as const, error: 'refused by the test host' };
}

describe('ProcScope webview in headless Chromium', { timeout: 120000 }, () => {
  fakeHostForSuite((h) => (host = h), defaultHandler);

  it('posts ready on load, then renders the snapshot sent after init', async () => {
    await host.load();
    assert.deepEqual(host.posted[0], { type: 'ready' });
    assert.match((await host.page.locator('.empty-title').textContent()) ?? '', /Waiting for the first snapshot/);
    await host.send({ type: 'init', settings: DEFAULT_SETTINGS, platform: 'linux' });
    await host.send(fx.snapshot);
    await host.page.locator('.row').first().waitFor();
    assert.equal(await host.page.locator('.empty-overlay').isHidden(), true);
    const userProcesses = fx.snapshot.snapshot.processes.filter((p) => !p.kernelThread).length;
    assert.match(
      (await host.page.locator('.count').textContent()) ?? '',
      new RegExp(`${fx.snapshot.snapshot.processes.length} processes .* ${userProcesses} shown`),
    );
  });

  it('renders rows with the real values of the recorded processes', async () => {
    await boot();
    await filter(`pid:${hostile.pid}`);
    const cells = await rowTexts(hostile.key);
    assert.equal(cells.pid, String(hostile.pid));
    assert.equal(cells.name, '<script>');
    assert.equal(cells.state, hostile.state);
    assert.equal(cells.rss, formatBytes(hostile.rss));
    assert.equal(cells.threads, String(hostile.numThreads));
    assert.equal(cells.user, hostile.user);
    // (Its newlines are written as \n: a row is one line of text.)
    assert.equal(cells.cmd, hostile.cmdline!.join(' ').replaceAll('\n', '\\n'));
    await filter(`pid:${stopped.pid}`);
    assert.equal((await rowTexts(stopped.key)).state, 'T');
    assert.ok(zombie, 'the recording holds the zombie');
    await filter(`pid:${zombie.pid}`);
    assert.equal((await rowTexts(zombie.key)).state, 'Z');
    // Virtualized: far fewer row elements than processes.
    await filter('');
    const rendered = await host.page.locator('.row:not([hidden])').count();
    assert.ok(rendered > 10 && rendered < 120, `rendered ${rendered} row elements`);
  });

  it('shows HTML-like process names as literal text and runs nothing', async () => {
    await boot();
    // A longer name than Linux's 15-byte comm (the portable backend has such names): the recorded process, renamed.
    const renamed: ProcessInfo = {
      ...hostile,
      key: `${hostile.pid + 100000}@1`,
      pid: hostile.pid + 100000,
      name: '<img src=x onerror=alert(1)>',
      threads: undefined,
    };
    await host.send({
      type: 'delta',
      delta: { timestamp: fx.snapshot.snapshot.timestamp + 1000, intervalMs: 1000, added: [renamed], removed: [], changed: [] },
    });
    await filter('onerror');
    assert.equal((await rowTexts(hostile.key)).name, '<script>');
    assert.ok((await rowTexts(hostile.key)).cmd.startsWith('<img src=x onerror=alert(1)>'), 'argv[0] shown literally');
    assert.equal((await rowTexts(renamed.key)).name, '<img src=x onerror=alert(1)>');
    await row(renamed.key).click();
    await host.page.locator('.detail-name').waitFor();
    assert.equal(await host.page.locator('.detail-name').textContent(), '<img src=x onerror=alert(1)>');
    await host.page.waitForTimeout(200);
    const counts = await host.page.evaluate(() => ({
      img: document.querySelectorAll('img').length,
      script: document.querySelectorAll('script').length,
    }));
    assert.deepEqual(counts, { img: 0, script: 2 }, 'no element was created from a process name');
    assert.deepEqual(host.dialogs, []);
    assert.deepEqual(await host.violations(), []);
  });

  it('keeps the selection across deltas that add and remove other rows, and marks new and exited rows', async () => {
    await boot();
    await filter(`pid:${hostile.pid}`);
    await row(hostile.key).click();
    const select = await host.waitFor((m) => m.type === 'select');
    assert.deepEqual(select, { type: 'select', key: hostile.key });
    await filter('');
    const [first, second] = fx.deltas;
    assert.ok(first && second && first.added.length > 0 && second.removed.length > 0, 'the recorded deltas add and remove processes');
    await host.send({ type: 'delta', delta: first });
    assert.equal(await row(hostile.key).getAttribute('aria-selected'), 'true');
    const added = first.added[0]!;
    await filter(`pid:${added.pid}`);
    assert.match((await row(added.key).getAttribute('class')) ?? '', /\bis-new\b/);
    await filter('');
    await host.send({ type: 'delta', delta: second });
    assert.equal(await row(hostile.key).getAttribute('aria-selected'), 'true');
    assert.equal(await host.page.locator('.row.selected').count(), 1);
    const leaver = fx.meta.pids.leaver!;
    const leaverKey = first.added.find((p) => p.pid === leaver)!.key;
    assert.ok(second.removed.includes(leaverKey), 'the second delta removes the leaver');
    await filter(`pid:${leaver}`);
    assert.match((await row(leaverKey).getAttribute('class')) ?? '', /\bis-exited\b/);
    // After the mark time the exited row is gone; the selection is still the same process.
    await row(leaverKey).waitFor({ state: 'detached', timeout: 5000 });
    await filter('');
    assert.equal(await row(hostile.key).getAttribute('aria-selected'), 'true');
  });

  it('updates the values of shown rows from a delta that changes only live fields', async () => {
    await boot();
    await filter(`pid:${hostile.pid}`);
    await filter('');
    // No filter, nothing added or removed: the rows are patched in place rather than rebuilt.
    const rowsBefore = await host.page.locator('.row:not([hidden])').count();
    const t = fx.snapshot.snapshot.timestamp + 1000;
    await host.send({
      type: 'delta',
      delta: {
        timestamp: t,
        intervalMs: 1000,
        added: [],
        removed: [],
        changed: [{ key: hostile.key, cpuPercent: 55.5, rss: 123 * 1024 * 1024, state: 'R' }],
      },
    });
    await filter(`pid:${hostile.pid}`);
    const cells = await rowTexts(hostile.key);
    assert.deepEqual([cells.cpu, cells.rss, cells.state], ['56', formatBytes(123 * 1024 * 1024), 'R']);
    await filter('');
    // A visible row the next delta does not touch keeps its DOM as it is (only changed rows are redrawn):
    // scribble on one of its cells and see the scribble survive the delta.
    const firstId = `p${fx.snapshot.snapshot.processes[0]!.key}`;
    const other = host.page.locator(`.row:not([hidden]):not([data-row-id="${firstId}"])`).first();
    const otherId = await other.getAttribute('data-row-id');
    await other.locator('.c-cpu').evaluate((e) => {
      e.textContent = 'untouched';
    });
    await host.send({
      type: 'delta',
      delta: {
        timestamp: t + 1000,
        intervalMs: 1000,
        added: [],
        removed: [],
        changed: [{ key: fx.snapshot.snapshot.processes[0]!.key, cpuPercent: 12.25 }],
      },
    });
    const first = host.page.locator(`.row[data-row-id="${firstId}"]`);
    assert.equal(await first.locator('.c-cpu').textContent(), '12');
    assert.equal(await host.page.locator(`.row[data-row-id="${otherId}"] .c-cpu`).textContent(), 'untouched');
    assert.equal(await host.page.locator('.row:not([hidden])').count(), rowsBefore);
    // The toolbar's thread count follows the store (kept incrementally): the recorded snapshot's sum.
    const threads = fx.snapshot.snapshot.processes.reduce((n, p) => n + p.numThreads, 0);
    assert.match((await host.page.locator('.count').textContent()) ?? '', new RegExp(`· ${threads} threads`));
  });

  it('expands a process into its thread (LWP) rows and asks the host to watch its threads', async () => {
    await boot();
    await filter(`pid:${hostile.pid}`);
    await row(hostile.key).locator('[data-action="threads"]').click();
    const threadRows = host.page.locator(`.thread-row[data-key="${hostile.key}"]`);
    await threadRows.first().waitFor();
    const names = await inRowOrder(threadRows, '.name-text');
    assert.deepEqual(
      names,
      hostile.threads!.map((t) => t.name),
    );
    assert.deepEqual(names, ['<script>', 'worker-0', 'worker-1', 'worker-2']);
    const tids = await inRowOrder(threadRows, '.c-pid');
    assert.deepEqual(
      tids.map(Number),
      hostile.threads!.map((t) => t.tid),
    );
    const watch = await host.waitFor((m) => m.type === 'watchThreads' && m.pids.includes(hostile.pid));
    assert.ok(watch.type === 'watchThreads' && watch.pids.includes(hostile.pid), 'watchThreads holds the pid');
    assert.equal(
      await threadRows.first().getAttribute('aria-level'),
      String(Number(await row(hostile.key).getAttribute('aria-level')) + 1),
    );
  });

  it('filters by name, pid, user and command line, and by the state legend', async () => {
    await boot();
    const visibleOwn = async () =>
      host.page
        .locator('.row:not([hidden]):not(.context-row):not(.thread-row)')
        .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.key!));
    await filter('s3cret');
    assert.equal(await host.page.locator('.empty-title').textContent(), 'No process matches this filter.');
    await host.page.locator('[data-action="clear-filter"]').click();
    assert.equal(await host.page.locator('#filter').evaluate((e) => (e as HTMLInputElement).value), '');
    await filter(`cmd:${fx.meta.lockFiles[0]!.split('/').pop()}`);
    assert.deepEqual((await visibleOwn()).sort(), [lockA.key, lockB.key].sort());
    await filter(`user:root pid:${lockB.pid}`);
    assert.deepEqual(await visibleOwn(), [lockB.key]);
    await filter('');
    await host.page.locator('.legend-chip[data-state="T"]').click();
    const stoppedKeys = fx.snapshot.snapshot.processes.filter((p) => p.state === 'T' && !p.kernelThread).map((p) => p.key);
    assert.deepEqual((await visibleOwn()).sort(), stoppedKeys.sort());
    assert.ok(stoppedKeys.includes(stopped.key), 'the stopped helper is among them');
    await host.page.locator('.legend-chip[data-state="Z"]').click();
    const states = await host.page.locator('.row:not([hidden]):not(.context-row) .c-state').allTextContents();
    assert.ok(states.length >= 2 && states.every((s) => s === 'T' || s === 'Z'), `states shown: ${states.join(',')}`);
    assert.equal(await host.page.locator('.legend-chip[data-state="Z"]').getAttribute('aria-pressed'), 'true');
  });

  it('sorts siblings by the clicked column, toggling the direction', async () => {
    await boot({ height: 1400 });
    const groups = async (cell: string) =>
      host.page.locator('.row:not([hidden]):not(.thread-row)').evaluateAll((els, c) => {
        const out: Record<string, { top: number; v: string }[]> = {};
        for (const e of els as HTMLElement[])
          (out[e.dataset.parent ?? ''] ??= []).push({ top: e.getBoundingClientRect().top, v: e.querySelector(c)?.textContent ?? '' });
        return Object.values(out).map((g) => g.sort((a, b) => a.top - b.top).map((x) => x.v));
      }, cell);
    const checkSorted = (lists: string[][], cmp: (a: string, b: string) => number) => {
      let pairs = 0;
      for (const l of lists)
        for (let i = 1; i < l.length; i++, pairs++) assert.ok(cmp(l[i - 1]!, l[i]!) <= 0, `${l[i - 1]} before ${l[i]}`);
      assert.ok(pairs > 5, 'enough sibling pairs to check');
    };
    checkSorted(await groups('.c-pid'), (a, b) => Number(a) - Number(b));
    await host.page.locator('.grid-header [data-column="pid"]').click();
    assert.equal(await host.page.locator('.grid-header [data-column="pid"]').getAttribute('aria-sort'), 'descending');
    checkSorted(await groups('.c-pid'), (a, b) => Number(b) - Number(a));
    await host.page.locator('.grid-header [data-column="name"]').click();
    assert.equal(await host.page.locator('.grid-header [data-column="name"]').getAttribute('aria-sort'), 'ascending');
    checkSorted(await groups('.c-name .name-text'), (a, b) => a.localeCompare(b));
    const sortState = await host.page.evaluate(() => JSON.parse(sessionStorage.getItem('vscodeState')!).sort);
    assert.deepEqual(sortState, { column: 'name', descending: false });
  });

  it('navigates with the keyboard (arrows, Home/End, Left/Right, Enter, /, Escape)', async () => {
    await boot();
    const grid = host.page.locator('#process-grid');
    await grid.focus();
    const selected = async () =>
      host.page
        .locator('.row.selected')
        .evaluate((e) => ({ id: (e as HTMLElement).dataset.rowId!, index: Number(e.getAttribute('aria-rowindex')) }));
    await host.page.keyboard.press('Home');
    assert.equal((await selected()).index, 2);
    assert.equal(await grid.getAttribute('aria-activedescendant'), await host.page.locator('.row.selected').getAttribute('id'));
    await host.page.keyboard.press('ArrowDown');
    await host.page.keyboard.press('ArrowDown');
    assert.equal((await selected()).index, 4);
    await host.page.keyboard.press('ArrowUp');
    assert.equal((await selected()).index, 3);
    // Left on a leaf goes to its parent; on an expanded parent it collapses; Right expands; Enter toggles.
    const leaf = host.page.locator('.row:not([hidden]):not([aria-expanded]):not([data-parent=""])').first();
    const parentId = await leaf.getAttribute('data-parent');
    const leafId = await leaf.getAttribute('data-row-id');
    await leaf.click();
    assert.equal((await selected()).id, leafId);
    await host.page.keyboard.press('ArrowLeft');
    assert.equal((await selected()).id, parentId, 'Left on a leaf goes to its parent');
    assert.equal(await host.page.locator('.row.selected').getAttribute('aria-expanded'), 'true');
    await host.page.keyboard.press('ArrowLeft');
    assert.equal(await host.page.locator('.row.selected').getAttribute('aria-expanded'), 'false', 'Left collapses');
    assert.equal(await host.page.locator(`.row[data-row-id="${leafId}"]`).count(), 0);
    await host.page.keyboard.press('ArrowRight');
    assert.equal(await host.page.locator('.row.selected').getAttribute('aria-expanded'), 'true', 'Right expands');
    assert.equal(await host.page.locator(`.row[data-row-id="${leafId}"]`).count(), 1);
    await host.page.keyboard.press('Enter');
    assert.equal(await host.page.locator('.row.selected').getAttribute('aria-expanded'), 'false', 'Enter toggles');
    await host.page.keyboard.press('End');
    const total = Number(await grid.getAttribute('aria-rowcount'));
    assert.equal((await selected()).index, total);
    await host.page.keyboard.press('/');
    assert.equal(await host.page.evaluate(() => document.activeElement?.id), 'filter');
    await host.page.keyboard.type('sleep');
    assert.equal(await host.page.locator('#filter').evaluate((e) => (e as HTMLInputElement).value), 'sleep');
    await host.page.keyboard.press('Escape');
    assert.equal(await host.page.locator('#filter').evaluate((e) => (e as HTMLInputElement).value), '');
    assert.equal(await host.page.evaluate(() => document.activeElement?.id), 'process-grid');
    assert.equal(await grid.getAttribute('role'), 'treegrid');
  });

  it('follows the theme: a row takes its colour from --vscode-foreground', async () => {
    await boot({ theme: 'dark' });
    const color = () =>
      host.page
        .locator('.row:not(.selected) .c-name')
        .first()
        .evaluate((e) => getComputedStyle(e).color);
    assert.equal(await color(), 'rgb(204, 204, 204)');
    await host.page.evaluate(() => document.body.style.setProperty('--vscode-foreground', '#ff0000'));
    assert.equal(await color(), 'rgb(255, 0, 0)');
    await host.page.evaluate(() => document.body.style.setProperty('--vscode-foreground', 'rgb(1, 2, 3)'));
    assert.equal(await color(), 'rgb(1, 2, 3)');
    assert.deepEqual(await host.violations(), []);
  });

  it('shows Korean text for the Korean locale (data attribute and init settings)', async () => {
    await boot({ locale: 'ko' }, { locale: 'ko' });
    assert.equal(await host.page.locator('.grid-header [data-column="name"]').textContent(), '이름');
    assert.equal(await host.page.locator('[data-scope="all"]').textContent(), '모든 프로세스');
    assert.equal(await host.page.locator('.legend-chip[data-state="Z"] .legend-text').textContent(), '좀비');
    assert.equal(await host.page.evaluate(() => document.documentElement.lang), 'ko');
    // Switching the setting live re-labels the view.
    await host.send({ type: 'settings', settings: { ...DEFAULT_SETTINGS, locale: 'en' } });
    assert.equal(await host.page.locator('.grid-header [data-column="name"]').textContent(), 'Name');
    await host.send({ type: 'settings', settings: { ...DEFAULT_SETTINGS, locale: 'ko' } });
    assert.equal(await host.page.locator('.grid-header [data-column="name"]').textContent(), '이름');
    assert.match((await host.page.locator('.count').textContent()) ?? '', /^프로세스 \d+개/);
  });

  it('requests the PCB detail on select and renders its sections, the state model and the memory drawing', async () => {
    await boot();
    await filter(`pid:${hostile.pid}`);
    const request = host.next((m) => m.type === 'request' && m.request.kind === 'detail');
    await row(hostile.key).click();
    const r = await request;
    assert.ok(
      r.type === 'request' && r.request.kind === 'detail' && r.request.pid === hostile.pid && !r.request.includeEnv,
      'a detail request for the selected pid, without env',
    );
    await host.page.locator('vscode-collapsible[data-section="signals"]').waitFor();
    const sections = await host.page
      .locator('.detail-pane vscode-collapsible')
      .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.section));
    assert.deepEqual(sections, [
      'waits',
      'identity',
      'credentials',
      'scheduling',
      'accounting',
      'memory',
      'ctxsw',
      'files',
      'signals',
      'namespaces',
      'environment',
      'more',
    ]);
    // The state model lights Blocked for S.
    assert.equal(hostile.state, 'S');
    assert.deepEqual(await host.page.locator('.model-node.lit text').allTextContents(), ['Blocked']);
    // Memory: one segment per non-empty region kind, widths in proportion to size.
    const map = details.detail.memoryMap!;
    const kinds = Object.entries(map.byKind).filter(([, v]) => v.size > 0);
    const widths = await host.page.locator('.memory-seg').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
    assert.equal(widths.length, kinds.length);
    const barWidth = await host.page.locator('.memory-bar').evaluate((e) => e.clientWidth);
    const anonIndex = kinds.findIndex(([k]) => k === 'anonymous');
    const expected = (kinds[anonIndex]![1].size / map.totalSize) * barWidth;
    // (1-px minimum widths of tiny segments take a few pixels from the big ones)
    assert.ok(Math.abs(widths[anonIndex]! - expected) < 6, `anonymous segment ${widths[anonIndex]} px, to scale ${expected} px`);
    // Signals decoded to names; fds listed with their targets.
    const caught = details.detail.signals!.caught!.names;
    assert.ok(caught.length > 0, 'python installs a SIGINT handler');
    assert.deepEqual(await host.page.locator('vscode-collapsible[data-section="signals"] .kv').nth(4).locator('.chip').allTextContents(), [
      ...caught,
    ]);
    assert.equal(await host.page.locator('.fd-table tr').count(), details.detail.fds!.length + 1);
    // A null field shows "unavailable" with the reason.
    assert.equal(details.detail.environ, null);
    await host.page.locator('[data-action="env"]').click();
    const envCell = host.page.locator('.env-table tr').filter({ hasText: 'PROCSCOPE_FIXTURE_SECRET' }).locator('.env-value');
    await envCell.waitFor();
    assert.equal(await envCell.textContent(), '••••••', 'values stay hidden until revealed');
    await host.page.locator('.env-table tr').filter({ hasText: 'PROCSCOPE_FIXTURE_SECRET' }).locator('button').click();
    assert.equal(await envCell.textContent(), 's3cret-value');
    assert.equal(await host.page.locator('.env-table .hidden-value').count(), details.detailWithEnv.environ!.length - 1);
  });

  it('shows an environment entry without "=" as such, with nothing to reveal', async () => {
    // The host's parser marks such an entry (test/integration/detail.test.ts execs a process with one).
    const withBare: ProcessDetail = {
      ...details.detailWithEnv,
      environ: [...details.detailWithEnv.environ!, { name: 'PROCSCOPE_BARE', value: '', noEquals: true }],
    };
    host.onRequest = (req) => (req.kind === 'detail' && req.includeEnv ? { ok: true, result: withBare } : defaultHandler(req));
    try {
      await boot();
      await filter(`pid:${hostile.pid}`);
      await row(hostile.key).click();
      await host.page.locator('[data-action="env"]').click();
      const bare = host.page.locator('.env-table tr').filter({ hasText: 'PROCSCOPE_BARE' });
      await bare.waitFor();
      assert.equal(await bare.locator('.env-value').textContent(), "no '=': the entry is not NAME=value");
      assert.equal(await bare.locator('button').count(), 0);
      assert.equal(await host.page.locator('.env-table .hidden-value').count(), details.detailWithEnv.environ!.length);
    } finally {
      host.onRequest = defaultHandler;
    }
  });

  it('shows an error response to a request (detail and signal)', async () => {
    await boot();
    await filter(`pid:${stopped.pid}`);
    await row(stopped.key).click();
    await host.page.locator('.detail-head .notice.error').waitFor();
    assert.equal(
      await host.page.locator('.detail-head .notice.error').textContent(),
      `Reading the PCB failed: no such process: ${stopped.pid}`,
    );
    // The context menu's SIGTERM goes to the host with a request id; the refusal is shown in the status bar.
    await row(stopped.key).click({ button: 'right' });
    const signal = host.next((m) => m.type === 'request' && m.request.kind === 'signal');
    await host.page.locator('vscode-context-menu').getByText('Send SIGTERM').click();
    const m = await signal;
    assert.ok(m.type === 'request' && m.request.kind === 'signal', 'a signal request');
    assert.deepEqual(m.request, { kind: 'signal', pid: stopped.pid, key: stopped.key, signal: 'SIGTERM' });
    await host.page.locator('.statusbar.error').waitFor();
    assert.equal(await host.page.locator('.statusbar .status-text').textContent(), 'Sending the signal failed: refused by the test host');
    // Request ids increase.
    const ids = host.posted.filter((p): p is Extract<FromWebview, { type: 'request' }> => p.type === 'request').map((p) => p.requestId);
    assert.ok(ids.length >= 2 && ids.every((id, i) => i === 0 || id > ids[i - 1]!), `request ids increase: ${ids.join(',')}`);
    // A successful reply is shown too.
    host.onRequest = (req) => (req.kind === 'copy' ? { ok: true, result: { text: 'line' } } : defaultHandler(req));
    await host.page.locator('#process-grid').focus();
    await host.page.keyboard.press('Shift+F10');
    await host.page.locator('vscode-context-menu').getByText('Copy as JSON').click();
    await host.page.locator('.statusbar:not(.error) .status-text').waitFor();
    assert.equal(await host.page.locator('.statusbar .status-text').textContent(), 'Copied to the clipboard.');
    host.onRequest = defaultHandler;
  });

  it("files a detail reply only under the key it asked for, and offers Attach debugger only on the host's word", async () => {
    await boot();
    await filter(`pid:${hostile.pid}`);
    // The host answers with another process's detail (its pid was reused): it must not appear as this one's.
    host.onRequest = (req) => (req.kind === 'detail' ? { ok: true, result: details.lockDetail } : defaultHandler(req));
    const asked = host.next((m) => m.type === 'request' && m.request.kind === 'detail');
    await row(hostile.key).click();
    const m = await asked;
    assert.ok(m.type === 'request' && m.request.kind === 'detail' && m.request.key === hostile.key, 'the request names the key');
    await host.page.locator('.detail-head .notice.error').waitFor();
    assert.equal(
      await host.page.locator('.detail-head .notice.error').textContent(),
      'Reading the PCB failed: the process has exited and its pid now belongs to another process',
    );
    assert.notEqual(details.lockDetail.key, hostile.key);
    // A detail without the host's Node verdict: no attach item; with it: the item.
    host.onRequest = defaultHandler;
    const menuHasAttach = async (): Promise<boolean> => {
      await row(hostile.key).click({ button: 'right' });
      await host.page.locator('vscode-context-menu').getByText('Send SIGTERM').waitFor();
      const has = (await host.page.locator('vscode-context-menu').getByText('Attach debugger').count()) > 0;
      await host.page.keyboard.press('Escape');
      return has;
    };
    await row(hostile.key).click();
    await host.page.locator('.detail-head .notice.error').waitFor({ state: 'detached' });
    assert.equal(await menuHasAttach(), false);
    host.onRequest = (req) =>
      req.kind === 'detail' && req.pid === hostile.pid
        ? { ok: true, result: { ...details.detail, nodeRuntime: true } }
        : defaultHandler(req);
    await filter(`pid:${stopped.pid}`);
    await filter(`pid:${hostile.pid}`);
    const again = host.next((q) => q.type === 'request' && q.request.kind === 'detail');
    await row(hostile.key).click();
    await again;
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await menuHasAttach(), true);
    host.onRequest = defaultHandler;
  });

  it('kill process tree and kill process group post their requests by key and show the counts', async () => {
    await boot({}, { showKernelThreads: true });
    host.onRequest = (req) =>
      req.kind === 'signalTree' || req.kind === 'signalGroup'
        ? { ok: true, result: { confirmed: true, total: 4, sent: 3, gone: 1, denied: 0, failed: 0 } }
        : defaultHandler(req);
    await filter(`pid:${stopped.pid}`);
    for (const [label, kind] of [
      ['Kill process tree (SIGTERM)', 'signalTree'],
      ['Kill process group (SIGTERM)', 'signalGroup'],
    ] as const) {
      await row(stopped.key).click({ button: 'right' });
      const sent = host.next((m) => m.type === 'request' && m.request.kind === kind);
      await host.page.locator('vscode-context-menu').getByText(label, { exact: true }).click();
      const m = await sent;
      assert.ok(m.type === 'request', 'a request');
      assert.deepEqual(m.request, { kind, pid: stopped.pid, key: stopped.key, signal: 'SIGTERM' });
      await host.page
        .locator('.statusbar:not(.error) .status-text')
        .filter({ hasText: 'SIGTERM sent to 3 of 4 processes; 1 had already exited or were replaced.' })
        .waitFor();
      await host.page.locator('.statusbar .status-text').evaluate((e) => {
        e.textContent = '';
      });
    }
    // A kernel thread has no tree or group of its own to end: the menu does not offer them.
    const kthread = fx.snapshot.snapshot.processes.find((p) => p.kernelThread);
    assert.ok(kthread, 'the recording holds a kernel thread');
    await filter(`pid:${kthread.pid}`);
    await row(kthread.key).click({ button: 'right' });
    await host.page.locator('vscode-context-menu').getByText('Send SIGTERM').waitFor();
    assert.equal(await host.page.locator('vscode-context-menu').getByText('Kill process tree (SIGTERM)').count(), 0);
    await host.page.keyboard.press('Escape');
    host.onRequest = defaultHandler;
  });

  it('renices through the dialog: validates the value and sends the request', async () => {
    await boot();
    await filter(`pid:${hostile.pid}`);
    host.onRequest = (req) => (req.kind === 'renice' ? { ok: true, result: { nice: req.nice } } : defaultHandler(req));
    await row(hostile.key).click({ button: 'right' });
    await host.page.locator('vscode-context-menu').getByText('Renice…').click();
    const input = host.page.locator('.renice-dialog input');
    assert.equal(await input.inputValue(), String(hostile.nice));
    await input.fill('42');
    await input.press('Enter');
    assert.equal(await host.page.locator('.renice-dialog').count(), 1, 'an out-of-range value keeps the dialog open');
    const sent = host.next((m) => m.type === 'request' && m.request.kind === 'renice');
    await input.fill('7');
    await input.press('Enter');
    const m = await sent;
    assert.ok(m.type === 'request', 'a request');
    assert.deepEqual(m.request, { kind: 'renice', pid: hostile.pid, key: hostile.key, nice: 7 });
    await host.page.locator('.statusbar:not(.error) .status-text').waitFor();
    assert.equal(await host.page.locator('.statusbar .status-text').textContent(), `Nice value of <script> (${hostile.pid}) is now 7.`);
    host.onRequest = defaultHandler;
  });

  it('loads the layout engine (elk.js) only when the IPC tab lays out a graph', async () => {
    await boot();
    const loadedElk = () =>
      host.page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/dist/webview/elk.js')).length);
    await host.send({ type: 'ipc', map: fx.ipc });
    await filter(`pid:${lockA.pid}`);
    await row(lockA.key).click();
    await host.page.locator('.detail-head').waitFor();
    assert.equal(await loadedElk(), 0, 'the panel opened without elk.js');
    await host.page.locator('vscode-tab-header').nth(2).click();
    await host.page.locator('.ipc-graph .ipc-node').first().waitFor();
    assert.equal(await loadedElk(), 1, 'the first layout loaded elk.js once');
    // Its script passed the panel's CSP through the nonce of the panel's own script.
    assert.equal(await host.page.evaluate(() => typeof (globalThis as { ProcScopeELK?: unknown }).ProcScopeELK), 'function');
  });

  it('draws the IPC graph with the recorded flock deadlock and the pipeline pipe', async () => {
    await boot();
    await host.send({ type: 'ipc', map: fx.ipc });
    assert.equal(fx.ipc.deadlocks.length, 1);
    await filter(`pid:${lockA.pid}`);
    await row(lockA.key).click();
    await host.page.locator('vscode-tab-header').nth(2).click();
    await host.page.locator('.ipc-graph').waitFor();
    const banner = host.page.locator('.deadlock-banner');
    assert.equal(await banner.getAttribute('role'), 'alert');
    assert.match(
      (await banner.textContent()) ?? '',
      new RegExp(`python3 \\(${lockA.pid}\\) ⇄ python3 \\(${lockB.pid}\\)|python3 \\(${lockB.pid}\\) ⇄ python3 \\(${lockA.pid}\\)`),
    );
    const deadNodes = await host.page
      .locator('.ipc-node.deadlock')
      .evaluateAll((els) => els.map((e) => Number((e as SVGElement).dataset.pid)).sort());
    assert.deepEqual(deadNodes, [lockA.pid, lockB.pid].sort());
    assert.equal(await host.page.locator('.ipc-edge.deadlock').count(), 2);
    assert.equal(await host.page.locator('.ipc-edge.deadlock').first().getAttribute('marker-end'), 'url(#ipc-arrow-dead)');
    // The pipeline: sleep writes into the pipe that cat reads.
    const shell = fx.meta.pids.pipelineShell!;
    const kids = fx.snapshot.snapshot.processes.filter((p) => p.ppid === shell);
    const sleeper = kids.find((p) => p.name === 'sleep');
    const cat = kids.find((p) => p.name === 'cat');
    assert.ok(sleeper && cat, 'the pipeline children were recorded');
    await host.page.locator('.ipc-node', { hasText: `PID ${lockB.pid}` }).click();
    assert.equal(await host.page.locator('.row.selected').getAttribute('data-key'), lockB.key, 'clicking a node selects its process');
    await filter(`pid:${sleeper.pid}`);
    await row(sleeper.key).click();
    const edge = host.page.locator('.ipc-edge.kind-pipe');
    await edge.first().waitFor();
    const titles = await edge.locator('title').allTextContents();
    const toCat = titles.filter((x) => x.includes(`sleep (${sleeper.pid}) → cat (${cat.pid})`));
    assert.equal(toCat.length, 1, `one directed pipe edge sleep → cat among: ${titles.join('; ')}`);
    assert.deepEqual(await host.violations(), []);
    assert.deepEqual(host.pageErrors, []);
  });

  it('records history for the selected process: sparklines and per-thread state strips', async () => {
    await boot();
    await filter(`pid:${hostile.pid}`);
    await row(hostile.key).click();
    // Replay the recorded deltas, shifted in time, as further refreshes.
    let t = fx.snapshot.snapshot.timestamp;
    for (let i = 0; i < 4; i++) {
      for (const d of fx.deltas) {
        t += 1000;
        await host.send({ type: 'delta', delta: { ...d, timestamp: t, added: [], removed: [] } });
      }
    }
    await host.page.locator('vscode-tab-header').nth(1).click();
    await host.page.locator('.thread-history-row').first().waitFor();
    assert.equal(await host.page.locator('.spark-row').count(), 2);
    assert.ok((await host.page.locator('.spark-row .spark-line').count()) >= 1, 'a sparkline is drawn');
    const rows = await host.page.locator('.thread-history-row .th-name').allTextContents(); // (not virtualized: DOM order)
    assert.deepEqual(rows, ['<script>', 'worker-0', 'worker-1', 'worker-2']);
    const strip = await host.page.locator('.thread-history-row').first().locator('.state-strip').getAttribute('aria-label');
    assert.equal(strip, 'S × 8', 'one state per refresh since the process was selected: eight deltas');
  });

  it('tells the host what of the IPC scan it shows, after ready and only on a change', async () => {
    await boot();
    assert.equal(host.posted[0]?.type, 'ready', 'ready goes first');
    const needs = (): string[] => host.posted.flatMap((m) => (m.type === 'ipcNeed' ? [m.need] : []));
    await host.waitFor((m) => m.type === 'ipcNeed');
    assert.deepEqual(needs(), ['none'], 'Details with nothing selected uses no scan');
    await row(hostile.key).click();
    await host.waitFor((m) => m.type === 'ipcNeed' && m.need === 'details');
    await host.page.locator('vscode-tab-header[data-tab="tab.ipc"]').click();
    await host.waitFor((m) => m.type === 'ipcNeed' && m.need === 'live');
    await host.page.locator('vscode-tab-header[data-tab="tab.timeline"]').click();
    await host.waitFor((m) => m.type === 'ipcNeed' && m.need === 'none' && needs().length === 4);
    // A refresh that changes nothing the scan is for sends nothing.
    await host.send({
      type: 'delta',
      delta: { timestamp: fx.snapshot.snapshot.timestamp + 500, intervalMs: 500, added: [], removed: [], changed: [] },
    });
    await host.page.locator('vscode-tab-header[data-tab="tab.timeline"]').click();
    assert.deepEqual(needs(), ['none', 'details', 'live', 'none']);
  });

  it('switches scope to this workspace, with the host labels, and says what to do when it is empty', async () => {
    await boot();
    await host.page.locator('[data-scope="workspace"]').click();
    const posted = await host.waitFor((m) => m.type === 'setScope');
    assert.deepEqual(posted, { type: 'setScope', scope: 'workspace' });
    const labels = await host.page.locator('.row:not([hidden]) .ws-label:not([hidden])').allTextContents();
    assert.deepEqual(labels.sort(), fx.snapshot.workspace.map((w) => w.label).sort());
    const keys = await host.page
      .locator('.row:not([hidden]):not(.thread-row)')
      .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.key));
    assert.ok(keys.includes(hostile.key) && keys.includes(lockA.key) && !keys.includes(stopped.key), 'members shown, others not');
    await host.send({
      type: 'delta',
      delta: { timestamp: fx.snapshot.snapshot.timestamp + 500, intervalMs: 500, added: [], removed: [], changed: [] },
      workspace: [],
    });
    assert.equal(await host.page.locator('.empty-title').textContent(), 'No process belongs to this workspace yet.');
    await host.page.locator('[data-action="show-all"]').click();
    assert.equal(await host.page.locator('[data-scope="all"]').getAttribute('aria-checked'), 'true');
  });

  it('follows a focus message from the host and shows a lab card', async () => {
    await boot();
    await host.send({ type: 'focus', pids: [lockB.pid], reason: 'Debug: Launch Program' });
    await row(lockB.key).waitFor();
    assert.equal(await row(lockB.key).getAttribute('aria-selected'), 'true');
    assert.deepEqual(await host.waitFor((m) => m.type === 'select' && m.key === lockB.key), { type: 'select', key: lockB.key });
    assert.match((await host.page.locator('.banner').textContent()) ?? '', /Focused: Debug: Launch Program/);
    await host.send({
      type: 'labCard',
      card: {
        id: 'deadlock',
        title: 'Two processes, two locks',
        pids: [lockA.pid, lockB.pid],
        items: [
          { id: 'a', text: 'Find the cycle', done: true },
          { id: 'b', text: 'Kill one <b>side</b>', done: false },
        ],
      },
    });
    assert.equal(await host.page.locator('.lab-title').textContent(), 'Lab: Two processes, two locks');
    assert.deepEqual(await host.page.locator('.lab-items li').allTextContents(), ['Find the cycle', 'Kill one <b>side</b>']);
    assert.deepEqual(await host.page.locator('.lab-items li').evaluateAll((els) => els.map((e) => e.className)), ['done', '']);
    await host.send({ type: 'labCard', card: null });
    assert.equal(await host.page.locator('.lab-card').count(), 0);
  });

  it('marks the portable backend: a notice, and its missing fields shown as unavailable', async () => {
    await host.load();
    await host.send({ type: 'init', settings: { ...DEFAULT_SETTINGS, showThreads: false }, platform: 'linux' });
    // A real poll of the portable backend (ps-list on this machine's ps), as the host would send it.
    const portable = await new PortableSampler().poll();
    const me = portable.processes.find((p) => p.pid === process.pid)!;
    assert.ok(me, 'this test runner is listed');
    // One process as a poll that only pidtree answered lists it (no name, no command line): the sampler's
    // own words for that, as the record carries them.
    const lone = portable.processes.find((p) => p.pid === process.ppid)!;
    const loneEntry = {
      ...lone,
      name: '',
      cmdline: null,
      unavailable: {
        ...lone.unavailable,
        name: 'listed by pidtree only (no details from ps-list: spawn ps EAGAIN)',
        cmdline: 'not provided by the portable backend (ps-list + pidtree)',
      },
    };
    const sent = { ...portable, processes: portable.processes.map((p) => (p === lone ? loneEntry : p)) };
    host.posted.length = 0;
    await host.send({ type: 'snapshot', snapshot: sent, workspace: [] });
    await host.page.locator('.row').first().waitFor();
    assert.match(
      (await host.page.locator('.banner .notice').first().textContent()) ?? '',
      /No \/proc here: showing the portable backend's fields/,
    );
    await filter(`pid:${me.pid}`);
    await row(me.key).waitFor();
    // The record holds placeholders (0) for what ps-list does not give: the table shows dashes instead.
    const cells = await rowTexts(me.key);
    assert.equal(cells.rss, '–');
    assert.equal(cells.threads, '–');
    assert.equal(await row(me.key).locator('.c-time').textContent(), '–');
    assert.equal(await row(me.key).locator('[data-action="threads"]').count(), 0, 'no thread toggle');
    await row(me.key).click();
    const value = (label: string) =>
      host.page
        .locator('.detail-pane .kv')
        .filter({ has: host.page.getByText(label, { exact: true }) })
        .first()
        .locator('.kv-value');
    await host.page.locator('.detail-pane .portable-detail').waitFor();
    assert.match((await host.page.locator('.detail-pane .portable-detail').textContent()) ?? '', /needs Linux/);
    for (const label of ['Terminal', 'Process group', 'Threads', 'Kernel thread']) {
      assert.equal(await value(label).textContent(), 'unavailable: not provided by this backend', label);
      assert.match((await value(label).getAttribute('class')) ?? '', /\bunavailable\b/, label);
    }
    assert.equal(await value('PID').textContent(), String(me.pid));
    // ps's uid is the effective one: the real uid is shown as unknown.
    assert.equal(await value('UID real / effective / saved / fs').textContent(), `? / ${me.uid}`);
    // What one process lacks is said in the reader's words, not the sampler's English.
    await filter(`pid:${lone.pid}`);
    await row(lone.key).click();
    await host.page.locator('.detail-pane .detail-pid', { hasText: `PID ${lone.pid}` }).waitFor();
    assert.equal(
      await value('Name (comm)').textContent(),
      'unavailable: listed by pidtree only: ps-list could not run, so there are no details',
    );
    assert.equal(await value('Command line').textContent(), 'unavailable: not provided by this backend');
    await filter(`pid:${me.pid}`);
    await row(me.key).click();
    // Nothing beyond the table is asked of the host: no PCB read, no waits, no page map.
    await host.page.waitForTimeout(500);
    const asked = host.posted.filter((m) => m.type === 'request').map((m) => (m as { request: { kind: string } }).request.kind);
    assert.deepEqual(
      asked.filter((k) => k === 'detail' || k === 'waits' || k === 'pageMap'),
      [],
      `requests: ${asked.join(', ')}`,
    );
    // The IPC view says why it stays empty instead of waiting for a map.
    await host.page.locator('vscode-tab-header', { hasText: 'IPC' }).click();
    await host.page.locator('.ipc-status', { hasText: 'No IPC map here' }).waitFor();
    // History would draw the records' placeholders as flat lines: it says why it draws none.
    await host.page.locator('vscode-tab-header', { hasText: 'History' }).click();
    await host.page.locator('.history-portable', { hasText: 'No history here' }).waitFor();
    await host.page.locator('vscode-tab-header', { hasText: 'Details' }).click();
    // No /proc to check a pid still names the process picked: the menu offers copying as JSON only, and says why.
    await row(me.key).click({ button: 'right' });
    const menu = host.page.locator('vscode-context-menu');
    await menu.getByText('Signals and other actions need Linux /proc').waitFor();
    assert.equal(await menu.getByText('Send SIGTERM').count(), 0);
    assert.equal(await menu.getByText('Renice…').count(), 0);
    assert.equal(await menu.getByText('Copy as ps -eLF line').count(), 0);
    assert.equal(await menu.getByText('Copy as JSON').count(), 1);
    await host.page.keyboard.press('Escape');
  });

  it('says when the host has sent nothing for three refresh intervals, and stops saying it at the next tick', async () => {
    await boot({}, { refreshMs: 250 });
    const silent = host.page.locator('.banner .silent-notice');
    assert.equal(await silent.count(), 0);
    // 250 ms refreshes: the notice after 3 s (its floor) of silence.
    await silent.waitFor({ timeout: 8000 });
    assert.match((await silent.textContent()) ?? '', /No update\. Nothing has come from the extension since .*Restart Extension Host/);
    assert.equal(await silent.getAttribute('role'), 'alert');
    await host.send({ type: 'delta', delta: { ...fx.deltas[0]!, timestamp: fx.snapshot.snapshot.timestamp + 1000 } });
    await silent.waitFor({ state: 'detached' });
    // A paused view expects no redraw: no notice while paused.
    await host.page.locator('.pause-button').click();
    await host.page.waitForTimeout(4000);
    assert.equal(await silent.count(), 0, 'no notice while paused');
  });

  it('shows the host error state, with what to do', async () => {
    await host.load();
    await host.send({ type: 'error', message: 'no /proc: this platform has no procfs' });
    const box = host.page.locator('.empty-state.error');
    await box.waitFor();
    assert.equal(await box.getAttribute('role'), 'alert');
    assert.match(
      (await box.textContent()) ?? '',
      /could not read the process table.*no \/proc: this platform has no procfs.*output channel/,
    );
  });

  it('hides kernel threads until the toggle is on, and tells the host', async () => {
    await boot({ height: 1600 });
    assert.equal(await host.page.locator('.row.kernel').count(), 0);
    await host.page.locator('vscode-checkbox.kernel-toggle').click();
    const m = await host.waitFor((x) => x.type === 'setShowKernelThreads');
    assert.deepEqual(m, { type: 'setShowKernelThreads', show: true });
    const kthreadd = fx.snapshot.snapshot.processes.find((p) => p.pid === 2 && p.kernelThread);
    assert.ok(kthreadd, 'kthreadd recorded');
    await filter('kworker');
    await host.page.locator('.row.kernel').first().waitFor();
    assert.match((await row(kthreadd.key).getAttribute('class')) ?? '', /\bkernel\b/);
    assert.match(
      (await row(kthreadd.key).getAttribute('class')) ?? '',
      /\bcontext-row\b/,
      'kthreadd is shown as the context of matching kworkers',
    );
    assert.equal(await host.page.locator(`.row.kernel[data-parent="p${kthreadd.key}"]`).first().getAttribute('aria-level'), '2');
  });

  it('restores selection, expanded threads and filter from getState after a reload', async () => {
    await boot();
    await filter(`pid:${hostile.pid}`);
    await row(hostile.key).click();
    await row(hostile.key).locator('[data-action="threads"]').click();
    await host.page.locator('.thread-row').first().waitFor();
    await host.load({}, true);
    await host.send({ type: 'init', settings: DEFAULT_SETTINGS, platform: 'linux' });
    await host.send(fx.snapshot);
    await row(hostile.key).waitFor();
    assert.equal(await host.page.locator('#filter').evaluate((e) => (e as HTMLInputElement).value), `pid:${hostile.pid}`);
    assert.equal(await row(hostile.key).getAttribute('aria-selected'), 'true');
    assert.equal(await host.page.locator(`.thread-row[data-key="${hostile.key}"]`).count(), hostile.threads!.length);
    const watch = await host.waitFor((m) => m.type === 'watchThreads');
    assert.ok(watch.type === 'watchThreads' && watch.pids.includes(hostile.pid), 'restored threads are watched');
    assert.deepEqual(
      await host.waitFor((m) => m.type === 'select'),
      { type: 'select', key: hostile.key },
      'the host hears the restored selection',
    );
  });

  it('starts from a damaged or older saved state without an error, taking only the fields that have their shape', async () => {
    const damaged: unknown[] = [
      42,
      'state',
      [1, 2],
      { collapsed: 5, threadsOpen: 'abc', states: {}, filter: 7, recentFilters: 'x', closedSections: 3 },
      { filter: { trim: 1 }, sort: { column: 'pid', descending: 'yes' }, tab: 99, detailWidth: 'wide', columns: 'cmd' },
      { tab: -1, detailWidth: 1e308, columnWidths: { pid: 'x', name: -5, cmd: 1e9 }, scope: 'everything', ipcScope: 3 },
      { selectedKey: { key: 1 }, selectedId: 12, collapsed: [null, 3, { a: 1 }], sort: null, tab: 1.5 },
    ];
    for (const state of damaged) {
      await boot();
      await host.page.evaluate((text) => sessionStorage.setItem('vscodeState', text), JSON.stringify(state));
      await host.load({}, true);
      await host.send({ type: 'init', settings: DEFAULT_SETTINGS, platform: 'linux' });
      await host.send(fx.snapshot);
      await host.page.locator('.row').first().waitFor();
      assert.deepEqual(host.pageErrors, [], `page errors with ${JSON.stringify(state)}`);
      assert.deepEqual(host.consoleErrors, [], `console errors with ${JSON.stringify(state)}`);
      assert.equal(await host.page.locator('#filter input').inputValue(), '', 'a filter that is no text is not taken');
      // The page works on: a filter narrows the rows.
      await filter(`pid:${hostile.pid}`);
      await row(hostile.key).waitFor();
      await row(lockA.key).waitFor({ state: 'detached' });
    }
  });

  it('has no CSP violations, console errors or page errors while in use; screenshots in light and dark', async () => {
    const out = join(REPO, 'test-results');
    mkdirSync(out, { recursive: true });
    for (const theme of ['light', 'dark'] as const) {
      await boot({ theme, width: 1400, height: 860 });
      await host.send({ type: 'ipc', map: fx.ipc });
      await filter('import');
      await row(hostile.key).locator('[data-action="threads"]').click();
      await row(hostile.key).click();
      await host.page.locator('vscode-collapsible[data-section="signals"]').waitFor();
      await host.page.waitForTimeout(300);
      await host.page.screenshot({ path: join(out, `webview-${theme}.png`) });
      await row(lockA.key).click();
      await host.page.locator('vscode-tab-header').nth(2).click();
      await host.page.locator('.ipc-graph').waitFor();
      await host.page.screenshot({ path: join(out, `webview-ipc-${theme}.png`) });
      await filter(`pid:${hostile.pid}`);
      await row(hostile.key).click();
      let t = fx.snapshot.snapshot.timestamp;
      for (let i = 0; i < 6; i++)
        for (const d of fx.deltas) await host.send({ type: 'delta', delta: { ...d, timestamp: (t += 1000), added: [], removed: [] } });
      await host.page.locator('vscode-tab-header').nth(1).click();
      await host.page.locator('.thread-history-row').first().waitFor();
      await host.page.screenshot({ path: join(out, `webview-history-${theme}.png`) });
      await host.page.locator('vscode-tab-header').nth(0).click();
      assert.deepEqual(await host.violations(), [], `CSP violations (${theme})`);
      assert.deepEqual(host.consoleErrors, [], `console errors (${theme})`);
      assert.deepEqual(host.pageErrors, [], `page errors (${theme})`);
    }
  });
});
