// The machine summary above the list in real headless Chromium: the folded line, the open meters (a bar per
// core, memory as free shows it, pressure) from this machine's own /proc read twice, a part that could not be
// read saying why, the choice kept across a reload, and Korean.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadFixtures, type FakeHost, type Fixtures } from './page';
import { join } from 'node:path';
import { bootPanel, fakeHostForSuite, OUT, refuseRequests } from './session';
import { readMachineSample, summarize, type MachineSummary } from '../../src/core/summary';
import { formatBytes } from '../../src/shared/format';

const fx: Fixtures = loadFixtures();
let host: FakeHost;

async function realSummary(): Promise<MachineSummary> {
  const before = readMachineSample();
  await new Promise((r) => setTimeout(r, 200));
  return summarize(readMachineSample(), before);
}

const line = () => host.page.locator('.summary-line');
const toggle = () => host.page.locator('.summary-toggle');

describe('the machine summary', { timeout: 180000 }, () => {
  fakeHostForSuite((h) => {
    host = h;
  }, refuseRequests);

  it('folded: one line with CPU, load, memory (and pressure where the kernel has it)', async () => {
    await bootPanel(host, fx.snapshot, { width: 1300, height: 700 });
    assert.equal(await line().textContent(), 'Reading the machine…');
    const s = await realSummary();
    await host.send({ type: 'machine', summary: s, history: { ticks: 750, bytes: 9_000_000, maxBytes: 32 << 20, reachMs: 749_000 } });
    const text = (await line().textContent())!;
    assert.match(text, / · history 12 min$/);
    assert.equal(
      await line().getAttribute('title'),
      'The panel keeps the last 750 ticks in memory (8.6 MiB of 32 MiB; setting procscope.historyMemory). ProcScope: Export History… writes them to a recording file.',
    );
    assert.match(text, /^CPU \d+(\.\d)?% · load \d+\.\d\d · Mem /);
    assert.ok(text.includes(`${formatBytes(s.memory!.used)} / ${formatBytes(s.memory!.total)}`), text);
    assert.equal(text.includes(' · pressure '), s.pressure.cpu !== null || s.pressure.io !== null || s.pressure.memory !== null);
    assert.equal(await host.page.locator('.summary-body').isHidden(), true);
    assert.equal(await toggle().getAttribute('aria-expanded'), 'false');
  });

  it('takes the summary from inside a delta, the one message a tick sends', async () => {
    const s = await realSummary();
    await host.send({
      type: 'delta',
      delta: { timestamp: fx.snapshot.snapshot.timestamp + 1000, intervalMs: 1000, added: [], removed: [], changed: [] },
      machine: s,
      history: { ticks: 60, bytes: 1_000_000, maxBytes: 32 << 20, reachMs: 59_000 },
    });
    const text = (await line().textContent())!;
    assert.match(text, /^CPU \d+(\.\d)?% · load \d+\.\d\d · Mem /);
    assert.equal(text.slice(text.lastIndexOf(' · ')), ' · history 59 s', 'the reach that came with it');
  });

  it('open: a bar per core, load and tasks, memory and swap as free shows them, pressure', async () => {
    const s = await realSummary();
    await toggle().click();
    await host.send({ type: 'machine', summary: s });
    assert.equal(await toggle().getAttribute('aria-expanded'), 'true');
    assert.equal(await host.page.locator('.summary-core').count(), s.cpu!.cores.length);
    const coreTitle = (await host.page.locator('.core-bar').first().getAttribute('title'))!;
    assert.match(coreTitle, /^core \d+: user .*%, system .*%, I\/O wait .*%, steal .*%, idle .*%/);
    const body = await host.page.locator('.summary-body').innerText();
    assert.ok(body.includes(`total ${formatBytes(s.memory!.total)} · used ${formatBytes(s.memory!.used)}`), body);
    assert.ok(body.includes(`available ${formatBytes(s.memory!.available)}`));
    assert.match(body, /\d+ processes, \d+ threads: \d+ [RSDTtZI]/);
    assert.match(body, /\d+\.\d\d \d+\.\d\d \d+\.\d\d \(1, 5, 15 min\)/);
    assert.equal(await host.page.locator('.summary-body svg.sparkline').count(), 3);
    await host.page.screenshot({ path: join(OUT, 'summary-strip.png'), clip: { x: 0, y: 0, width: 1300, height: 260 } });
  });

  it('a part that could not be read says why; the rest still shows', async () => {
    const s = await realSummary();
    await host.send({
      type: 'machine',
      summary: { ...s, memory: null, unavailable: { ...s.unavailable, memory: 'EACCES: permission denied' } },
    });
    const body = await host.page.locator('.summary-body').innerText();
    assert.match(body, /Mem\s+not available \(EACCES: permission denied\)/);
    assert.equal(await host.page.locator('.summary-core').count(), s.cpu!.cores.length);
  });

  it('stays open across a reload, and speaks Korean', async () => {
    await bootPanel(host, fx.snapshot, { width: 1300, height: 700, locale: 'ko' }, true);
    await host.send({ type: 'machine', summary: await realSummary() });
    assert.equal(await toggle().getAttribute('aria-expanded'), 'true');
    assert.match((await line().textContent())!, /^CPU .* · 부하 \d+\.\d\d · 메모리 /);
    assert.match(await host.page.locator('.summary-body').innerText(), /프로세스 \d+개, 스레드 \d+개/);
    assert.deepEqual(host.pageErrors, []);
  });
});
