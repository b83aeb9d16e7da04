// Recording mode and the timeline's thread strips, in real headless Chromium. The fake host answers as the
// recording panel does (src/extension/recordingPanel.ts): from a Recording of the recorded fixtures (a real
// snapshot and two real deltas, with the threads of the watched processes), through RecordingHistory.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { applyDelta } from '../../src/core/diff';
import { TickHistory } from '../../src/core/record/history';
import { RecordingHistory } from '../../src/core/record/historyIndex';
import type { RecordingInfo, Request } from '../../src/protocol';
import { loadFixtures, type FakeHost, type Fixtures } from './page';
import { bootPanel, fakeHostForSuite, OUT } from './session';

const fx: Fixtures = loadFixtures();
const s0 = fx.snapshot.snapshot;
const s1 = applyDelta(s0, fx.deltas[0]!);
const s2 = applyDelta(s1, fx.deltas[1]!);
const ticks = new TickHistory(64 << 20);
ticks.push(s0);
ticks.pushDelta(s1, fx.deltas[0]!);
ticks.pushDelta(s2, fx.deltas[1]!);
const recorded = new RecordingHistory(ticks.asRecording({ intervalMs: 1000, threads: false }));
// The process with three named threads besides its main one (comm `<script>`: its name is text, never markup).
const threaded = s0.processes.find((p) => p.pid === fx.meta.pids.hostile)!;

const info: RecordingInfo = {
  file: 'procscope-lab-2026.ndjson.gz',
  startedAt: s0.timestamp,
  endedAt: s2.timestamp,
  host: 'build-box',
  cut: true,
  restoreId: '0123456789abcdef0123456789abcdef',
};

let host: FakeHost;
const asked: Request[] = [];

function answer(r: Request): { ok: true; result: unknown } | { ok: false; error: string } {
  asked.push(r);
  if (r.kind === 'historyIndex') return { ok: true, result: recorded.index(r.threads ?? []) };
  if (r.kind === 'historyAt') return { ok: true, result: recorded.at(r.at) };
  return { ok: false, error: 'This is a recording' };
}

describe('a recording shown in the panel', { timeout: 180000 }, () => {
  fakeHostForSuite((h) => {
    host = h;
  }, answer);

  it('says which file it shows, from when to when and where, and that it was cut', async () => {
    await bootPanel(host, { type: 'snapshot', snapshot: s2, workspace: [] }, { width: 1400, height: 800, recording: info });
    const banner = host.page.locator('.recording-notice');
    const text = (await banner.textContent())!;
    assert.match(text, /^Recording: procscope-lab-2026\.ndjson\.gz — .+ – .+, made on build-box, the file was cut short/);
    assert.equal(await host.page.locator('.procscope.recording-mode').count(), 1);
    // The page saves the host's restore id at once, untouched: a window reload gives it back to the host.
    const saved = await host.page.evaluate(
      () => JSON.parse(sessionStorage.getItem('vscodeState') ?? 'null') as { recording?: string } | null,
    );
    assert.equal(saved?.recording, info.restoreId);
    // The machine summary is the present machine's, not the recording's.
    assert.equal(await host.page.locator('.summary-strip').isVisible(), false);
  });

  it('shows a process’s recorded fields in Details, and why nothing more can be read', async () => {
    await host.page.locator(`.row[data-row-id="p${threaded.key}"]`).click();
    await host.page.locator('vscode-tab-header', { hasText: 'Details' }).click();
    await host.page.locator('.notice.error', { hasText: 'Reading the PCB failed: This is a recording' }).waitFor();
    assert.match((await host.page.locator('.detail, .detail-pane, .right').first().innerText())!, new RegExp(String(threaded.pid)));
  });

  it('acts on nothing: the context menu and Delete say why instead', async () => {
    const row = host.page.locator(`.row[data-row-id="p${threaded.key}"]`);
    await row.click({ button: 'right' });
    await host.page.locator('.statusbar', { hasText: 'This is a recording' }).waitFor();
    assert.equal(
      await host.page.locator('vscode-context-menu.action-menu').evaluate((m) => (m as HTMLElement & { show: boolean }).show),
      false,
    );
    const before = host.posted.length;
    await row.click();
    await host.page.keyboard.press('Delete');
    assert.ok(!host.posted.slice(before).some((m) => m.type === 'request' && m.request.kind === 'signal'));
  });

  it('passes a dropped file on to the host as the uri the drop names, and says how when the drop names none', async () => {
    const drop = (types: Record<string, string>) =>
      host.page.evaluate((t) => {
        const dataTransfer = new DataTransfer();
        for (const [type, value] of Object.entries(t)) dataTransfer.setData(type, value);
        document.querySelector('.main')!.dispatchEvent(new DragEvent('drop', { dataTransfer, bubbles: true, cancelable: true }));
      }, types);
    const before = host.posted.length;
    await drop({ 'text/uri-list': 'file:///tmp/a%20b.ndjson.gz\r\n' });
    await drop({ codefiles: JSON.stringify(['/tmp/from-explorer.ndjson.gz']) });
    const opened = () => host.posted.slice(before).flatMap((m) => (m.type === 'openRecording' ? [m.uri] : []));
    for (let i = 0; i < 50 && opened().length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(opened(), ['file:///tmp/a%20b.ndjson.gz', '/tmp/from-explorer.ndjson.gz']);
    await drop({});
    await host.page.locator('.statusbar', { hasText: 'hold Shift while dropping' }).waitFor();
    assert.equal(opened().length, 2);
  });

  it('draws a strip per thread of the selected process, coloured by state, with the thread in its tooltip', async () => {
    await host.page.locator(`.row[data-row-id="p${threaded.key}"]`).click();
    await host.page.locator('vscode-tab-header', { hasText: 'Timeline' }).click();
    await host.page.locator('.timeline-strip').first().waitFor();
    const ask = asked.filter((r) => r.kind === 'historyIndex').at(-1);
    assert.ok(ask && ask.kind === 'historyIndex' && ask.threads?.includes(threaded.key), JSON.stringify(ask));
    const strips = host.page.locator(`.timeline-strip[data-key="${threaded.key}"]`);
    assert.equal(await strips.count(), threaded.threads!.length);
    const tids = await strips.evaluateAll((gs) => gs.map((g) => Number((g as SVGElement).dataset.tid)));
    assert.deepEqual(
      [...tids].sort((a, b) => a - b),
      threaded.threads!.map((t) => t.tid).sort((a, b) => a - b),
    );
    assert.equal(tids[0], threaded.pid, 'the main thread comes first');
    const worker = threaded.threads!.find((t) => t.name === 'worker-1')!;
    const run = strips.locator(`xpath=self::*[@data-tid="${worker.tid}"]`).locator('rect').first();
    assert.equal(await run.getAttribute('data-state'), worker.state);
    assert.match((await run.getAttribute('class'))!, new RegExp(`st-${worker.state === 't' ? 'tt' : worker.state}\\b`));
    assert.match((await run.locator('title').textContent())!, new RegExp(`^thread worker-1 \\(tid ${worker.tid}\\): ${worker.state}: `));
    // The heading names the process as text: `<script>` is shown, never run.
    assert.match((await host.page.locator('.timeline-threads-title').first().textContent())!, /^<script> \(\d+\): threads/);
    // The lane tooltips carry the minor page faults of each life.
    assert.match(
      (await host.page.locator('.timeline-lane title').first().textContent())!,
      /minor page faults \(min_flt\): \d+ when first seen, \d+ when last seen/,
    );
    await host.page.screenshot({ path: join(OUT, 'recording-threads.png') });
    assert.deepEqual(host.pageErrors, []);
  });

  it('speaks Korean: the banner and a thread’s tooltip', async () => {
    await bootPanel(host, { type: 'snapshot', snapshot: s2, workspace: [] }, { width: 1400, height: 800, recording: info, locale: 'ko' });
    assert.match(
      (await host.page.locator('.recording-notice').textContent())!,
      /^기록 파일: procscope-lab-2026\.ndjson\.gz — .+, build-box에서 만듦, 파일이 중간에 잘렸습니다/,
    );
    await host.page.locator(`.row[data-row-id="p${threaded.key}"]`).click();
    await host.page.locator('vscode-tab-header', { hasText: '타임라인' }).click();
    await host.page.locator('.timeline-strip').first().waitFor();
    assert.match((await host.page.locator('.timeline-run title').first().textContent())!, /^스레드 .+ \(tid \d+\): /);
    assert.deepEqual(host.pageErrors, []);
  });
});
