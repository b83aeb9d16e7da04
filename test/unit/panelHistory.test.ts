// The panel's in-memory history of ticks, kept in the worker's tick engine from the real /proc: each tick
// adds the delta the engine made anyway (no second diff), the bound (procscope.historyMemory) holds and can
// change, and the history exports as a recording that replays to the very tables the panel was sent.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { test } from 'node:test';
import { applyDelta, diffSnapshots } from '../../src/core/diff';
import type { Snapshot } from '../../src/core/model';
import { encodeLine, historyFileName } from '../../src/core/record/format';
import { TickHistory } from '../../src/core/record/history';
import { parseRecording } from '../../src/core/record/reader';
import { createSampler, ProcSampler } from '../../src/core/sampler';
import { TickEngine } from '../../src/worker/tickEngine';
import { quietScope } from '../../src/worker/vscodeProcesses';

const scope = quietScope();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('pushDelta keeps the same history as push, without diffing again', () => {
  const sampler = new ProcSampler();
  try {
    const polls: Snapshot[] = [];
    for (let i = 0; i < 6; i++) polls.push(sampler.pollSync());
    const byPush = new TickHistory(1 << 30);
    const byDelta = new TickHistory(1 << 30);
    polls.forEach((s, i) => {
      byPush.push(s, i);
      if (i === 0) byDelta.push(s, i);
      else byDelta.pushDelta(s, diffSnapshots(polls[i - 1]!, s), i);
    });
    assert.deepEqual(byDelta.toRecording({ intervalMs: 1000, threads: false }), byPush.toRecording({ intervalMs: 1000, threads: false }));
    // A smaller bound drops the oldest ticks at once, and the history still starts with a whole table.
    const before = byDelta.length;
    byDelta.maxBytes = byDelta.bytes - 1;
    assert.ok(byDelta.length < before && byDelta.bytes <= byDelta.maxBytes);
    assert.deepEqual(byDelta.snapshotAt(byDelta.firstTick + byDelta.length - 1), polls[5]);
  } finally {
    sampler.dispose();
  }
});

test('the tick engine keeps the history it is asked to, says how far it reaches, and exports it as a recording', async () => {
  const engine = new TickEngine(createSampler());
  const children: ChildProcess[] = [];
  try {
    const sent: Snapshot[] = [];
    let table: Snapshot | undefined;
    for (let i = 0; i < 5; i++) {
      // Churn between ticks: a process born and one gone, so the deltas hold births and deaths.
      children.push(spawn('sleep', ['30'], { stdio: 'ignore' }));
      if (i === 3) children[0]!.kill('SIGKILL');
      await sleep(120);
      const r = await engine.tick({ threads: [], full: i === 0, scope, historyBytes: 64 << 20 });
      table = r.kind === 'snapshot' ? r.snapshot : applyDelta(table!, r.delta);
      sent.push(table);
      assert.equal(r.history?.ticks, i + 1);
      assert.equal(r.history?.maxBytes, 64 << 20);
    }
    const lines = engine.historyLines('test')!;
    assert.equal(lines[0].producer, 'test');
    const rec = await parseRecording(Buffer.concat(lines.map((l) => encodeLine(l))));
    assert.equal(rec.ticks.length, 5);
    assert.equal(rec.cutOff, undefined);
    for (let i = 0; i < 5; i++) assert.deepEqual(rec.snapshotAt(i), sent[i], `tick ${i}`);
    // The fork counter's growth is kept with each tick after the first (births no poll could see).
    assert.ok(
      rec.ticks.slice(1).every((t) => typeof t.forks === 'number' && t.forks >= 1),
      JSON.stringify(rec.ticks.map((t) => t.forks)),
    );
    // Bound 0: no history kept, none exported.
    const off = await engine.tick({ threads: [], full: false, scope, historyBytes: 0 });
    assert.equal(off.history, undefined);
    assert.equal(engine.historyLines('test'), null);
  } finally {
    for (const c of children) c.kill('SIGKILL');
    engine.dispose();
  }
});

test('the file name offered names the machine and the time, in characters every file system takes', () => {
  assert.equal(historyFileName('build-01', Date.UTC(2026, 11, 1, 3, 4, 5, 678)), 'procscope-build-01-2026-12-01T03-04-05Z.ndjson.gz');
  assert.equal(historyFileName('a/b:c\u202E', 0), 'procscope-a_b_c_-1970-01-01T00-00-00Z.ndjson.gz');
  assert.equal(historyFileName('', 0), 'procscope-host-1970-01-01T00-00-00Z.ndjson.gz');
});
