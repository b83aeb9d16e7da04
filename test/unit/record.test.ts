// The recording format, its reader and the bounded history, on polls of the real /proc while this test
// starts and ends real processes between them (so births, exits and changes are in every recording).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { gunzipSync, gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { diffSnapshots } from '../../src/core/diff';
import type { Snapshot } from '../../src/core/model';
import { ProcSampler } from '../../src/core/sampler';
import { decodeDelta, encodeDelta, encodeLine, type TickLine } from '../../src/core/record/format';
import { PER_TICK_BYTES, TickHistory } from '../../src/core/record/history';
import { parseRecording, RecordingError } from '../../src/core/record/reader';
import { Recorder } from '../../src/core/record/recorder';
import { parseSize } from '../../src/cli/record';

/** A text's bytes as V8 holds it: one a character while all are Latin-1, else two. */
// eslint-disable-next-line no-control-regex
const heldBytes = (text: string): number => (/[^\u0000-\u00ff]/.test(text) ? 2 : 1) * text.length;

const children: ChildProcess[] = [];
function startSleep(): void {
  children.push(spawn('sleep', ['30'], { stdio: 'ignore' }));
}
function stopOne(): void {
  children.shift()?.kill('SIGKILL');
}
after(() => {
  for (const c of children) c.kill('SIGKILL');
});

/** Waits long enough for a spawned process to show in /proc (and a killed one to be reaped). */
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 30));

/** Polls `count` times, starting and killing processes between polls so that every delta has content. */
async function pollsWithChurn(count: number, poll: () => Snapshot): Promise<Snapshot[]> {
  const out: Snapshot[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 3 === 0) startSleep();
    if (i % 4 === 3) stopOne();
    await settle();
    out.push(poll());
  }
  return out;
}

/** A whole recording made by the Recorder: its bytes, and where each gzip member (line) ends. */
async function makeRecording(ticks: number): Promise<{ data: Buffer; ends: number[]; lines: TickLine[] }> {
  const recorder = new Recorder({ intervalMs: 30, threads: true });
  const lines: TickLine[] = [];
  try {
    await pollsWithChurn(ticks, () => {
      const line = recorder.next();
      lines.push(line);
      return 'full' in line ? line.full : ({} as Snapshot);
    });
    const members = [encodeLine(recorder.header(lines[0]!, Date.now())), ...lines.map((l) => encodeLine(l))];
    const ends: number[] = [];
    let total = 0;
    for (const m of members) ends.push((total += m.length));
    return { data: Buffer.concat(members), ends, lines };
  } finally {
    recorder.dispose();
  }
}

let recording: Awaited<ReturnType<typeof makeRecording>>;
before(async () => {
  recording = await makeRecording(12);
});

describe('the recording format', () => {
  it('keeps a field that went away (JSON has no undefined) through encode and decode', () => {
    const delta = { timestamp: 1, intervalMs: 2, added: [], removed: ['5@7'], changed: [{ key: '9@1', threads: undefined, rss: 4096 }] };
    const back = decodeDelta(JSON.parse(JSON.stringify(encodeDelta(delta))));
    assert.deepEqual(back.changed, [{ key: '9@1', threads: undefined, rss: 4096 }]);
    assert.ok('threads' in back.changed[0]!);
  });

  it('is a concatenation of gzip members that plain gunzip reads as NDJSON: a header, then tick 0 whole and deltas', () => {
    const lines = gunzipSync(recording.data).toString('utf8').split('\n');
    assert.equal(lines.pop(), '');
    const header = JSON.parse(lines[0]!);
    assert.equal(header.format, 'procscope-recording');
    assert.equal(header.version, 1);
    assert.equal(header.threads, true);
    for (const k of ['host', 'bootTime', 'clockTicks', 'intervalMs', 'startedAt']) assert.ok(k in header, k);
    assert.equal(lines.length, 13);
    assert.ok(JSON.parse(lines[1]!).full.processes.length > 0);
    for (let i = 2; i < lines.length; i++) assert.equal(JSON.parse(lines[i]!).tick, i - 1);
    assert.equal(recording.ends.length, 13);
  });

  it('replays every tick to the table that was polled', async () => {
    const rec = await parseRecording(recording.data);
    assert.equal(rec.cutOff, undefined);
    assert.equal(rec.ticks.length, 12);
    // The snapshots the recorder saw, rebuilt independently by applying the decoded deltas.
    const first = (recording.lines[0] as { full: Snapshot }).full;
    assert.deepEqual(rec.snapshotAt(0), first);
    const born = new Set<string>();
    for (let i = 1; i < 12; i++) {
      const line = recording.lines[i] as { delta: Parameters<typeof decodeDelta>[0] };
      for (const p of line.delta.added) born.add(p.key);
    }
    assert.ok(born.size >= 3, 'the sleeps started between polls are births');
    const last = rec.snapshotAt(11);
    for (const c of children)
      assert.ok(
        last.processes.some((p) => p.pid === c.pid),
        `sleep ${c.pid} is in the last tick`,
      );
  });

  it('reads a plain (gunzipped) copy the same', async () => {
    const plain = await parseRecording(gunzipSync(recording.data));
    const gz = await parseRecording(recording.data);
    assert.equal(plain.ticks.length, gz.ticks.length);
    assert.deepEqual(plain.snapshotAt(11), gz.snapshotAt(11));
  });
});

describe('a recording cut off mid-write', () => {
  it('reads up to the last whole tick at every cut, and says where it was cut', async () => {
    const full = await parseRecording(recording.data);
    const { data, ends } = recording;
    // Every member boundary, one byte either side of each, and pseudo-random offsets (a fixed seed: repeatable).
    const offsets = new Set<number>();
    for (const e of ends) for (const d of [-1, 0, 1]) if (e + d > 0 && e + d <= data.length) offsets.add(e + d);
    // The first bytes of the gzip magic alone (a cut that early leaves nothing else to recognise).
    for (const off of [1, 2, 3]) offsets.add(off);
    let seed = 12345;
    for (let i = 0; i < 60; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      offsets.add(1 + (seed % data.length));
    }
    for (const off of offsets) {
      const cut = data.subarray(0, off);
      if (off < ends[0]!) {
        await assert.rejects(
          parseRecording(cut),
          (e: unknown) => e instanceof RecordingError && e.code === 'NOT_RECORDING' && e.why === 'cutInHeader',
          `cut at ${off}`,
        );
        continue;
      }
      const rec = await parseRecording(cut);
      const whole = ends.filter((e) => e <= off).length - 1; // tick members wholly in the file
      const atBoundary = ends.includes(off);
      assert.equal(rec.ticks.length, whole, `cut at ${off}`);
      assert.equal(rec.cutOff === undefined, atBoundary, `cut at ${off}: ${JSON.stringify(rec.cutOff)}`);
      if (rec.cutOff) assert.equal(rec.cutOff.afterTick, rec.ticks.length - 1);
      if (rec.ticks.length > 0) {
        const k = rec.ticks.length - 1;
        assert.deepEqual(rec.snapshotAt(k), full.snapshotAt(k), `cut at ${off}, tick ${k}`);
      }
    }
  });

  it('reads up to damaged gzip data in the middle, then stops with the reason', async () => {
    const { data, ends } = recording;
    const damaged = Buffer.from(data);
    // Overwrite the deflate data inside the member of tick 6 (line 8): its header (10 bytes) stays intact.
    for (let i = ends[6]! + 12; i < ends[6]! + 40; i++) damaged[i] = 0xff;
    const rec = await parseRecording(damaged);
    assert.ok(rec.cutOff, 'damage is reported');
    assert.equal(rec.ticks.length, 6);
    assert.equal(rec.cutOff.afterTick, 5);
    assert.equal(rec.cutOff.why, 'gzip');
  });

  it('stops at a line that is not JSON or not the next tick', async () => {
    const text = gunzipSync(recording.data).toString('utf8').split('\n');
    const notJson = [...text.slice(0, 5), '{"tick":4,', ...text.slice(6)].join('\n');
    const a = await parseRecording(gzipSync(notJson));
    assert.deepEqual([a.ticks.length, a.cutOff?.why, a.cutOff?.line], [4, 'notJson', 6]);
    const skipped = [...text.slice(0, 5), ...text.slice(6)].join('\n');
    const b = await parseRecording(gzipSync(skipped));
    assert.deepEqual([b.ticks.length, b.cutOff?.why], [4, 'notTick']);
  });
});

describe('a file that is not a recording', () => {
  const cases: [string, Buffer, string][] = [
    ['an empty file', Buffer.alloc(0), 'empty'],
    ['gzip of other text', gzipSync('hello world\n'), 'notJson'],
    ['other JSON', gzipSync('{"format":"something-else","version":1}\n'), 'notHeader'],
    ['plain text without a newline', Buffer.from('just text'), 'notHeader'],
    ['binary', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), 'notJson'],
    ['a header without a version', gzipSync('{"format":"procscope-recording"}\n'), 'badVersion'],
    ['a header missing its times', gzipSync('{"format":"procscope-recording","version":1}\n'), 'badHeader'],
  ];
  for (const [name, data, why] of cases) {
    it(`refuses ${name} as not a recording (${why})`, async () => {
      await assert.rejects(
        parseRecording(data),
        (e: unknown) =>
          e instanceof RecordingError && e.code === 'NOT_RECORDING' && e.why === why && /not a ProcScope recording/.test(e.message),
      );
    });
  }

  it('refuses a newer version by number', async () => {
    const header = { format: 'procscope-recording', version: 7, host: 'h', bootTime: 0, clockTicks: 100, intervalMs: 1000, startedAt: 0 };
    await assert.rejects(
      parseRecording(encodeLine(header)),
      (e: unknown) =>
        e instanceof RecordingError &&
        e.code === 'TOO_NEW' &&
        e.version === 7 &&
        /version 7 is newer than this ProcScope understands/.test(e.message),
    );
  });
});

describe('the bounded in-memory history', () => {
  let polls: Snapshot[];
  before(async () => {
    const sampler = new ProcSampler();
    try {
      polls = await pollsWithChurn(40, () => sampler.pollSync({ threads: 'all' }));
    } finally {
      sampler.dispose();
    }
  });

  it('holds every tick under a generous bound and replays each to the table that was polled', () => {
    const h = new TickHistory(1 << 30);
    polls.forEach((s) => h.push(s, 1));
    assert.equal(h.length, 40);
    assert.equal(h.firstTick, 0);
    assert.equal(h.reachMs, polls[39]!.timestamp - polls[0]!.timestamp);
    for (let i = 0; i < 40; i++) assert.deepEqual(h.snapshotAt(i), polls[i], `tick ${i}`);
  });

  it('stays under its bound by folding the oldest ticks into a rebased snapshot, and says how far back it reaches', () => {
    // The size is what the heap holds: the snapshot's and the deltas' JSON text, one byte a character (two for a
    // text with any character past U+00FF), plus a fixed cost per tick.
    const held = (text: string): number => heldBytes(text) + PER_TICK_BYTES;
    const deltaTexts = polls.slice(1).map((s, i) => JSON.stringify(encodeDelta(diffSnapshots(polls[i]!, s))));
    // Room for the largest of the last snapshots and twice the largest of the last deltas (a burst of processes
    // earlier, from anything else on the machine, does not widen it): at least one delta fits at the end, and
    // most of the 40 ticks must go.
    // An earlier table larger than that (the machine had more processes then) is kept alone.
    const max = Math.max(...polls.slice(-10).map((s) => held(JSON.stringify(s)))) + 2 * Math.max(...deltaTexts.slice(-10).map(held));
    const h = new TickHistory(max);
    polls.forEach((s, i) => {
      h.push(s);
      assert.ok(h.bytes <= max || h.length === 1, `after tick ${i}: ${h.bytes} > ${max} with ${h.length} ticks`);
      assert.equal(h.firstTick + h.length - 1, i, 'the newest tick is always kept');
    });
    assert.ok(h.firstTick > 10, `old ticks were dropped (first ${h.firstTick})`);
    assert.ok(h.length >= 2, 'more than the newest tick fits');
    assert.equal(h.oldestAt, polls[h.firstTick]!.timestamp);
    assert.equal(h.reachMs, polls[39]!.timestamp - polls[h.firstTick]!.timestamp);
    for (let t = h.firstTick; t < 40; t++) assert.deepEqual(h.snapshotAt(t), polls[t], `tick ${t}`);
    assert.throws(() => h.snapshotAt(h.firstTick - 1), RangeError);
    // The size is the rebased snapshot's and the kept deltas' as held.
    const expected = held(JSON.stringify(polls[h.firstTick])) + deltaTexts.slice(h.firstTick).reduce((a, t) => a + held(t), 0);
    assert.equal(h.bytes, expected);
  });

  it('keeps only the newest tick when even one snapshot is over the bound (it reaches back 0 ms)', () => {
    const h = new TickHistory(100);
    polls.slice(0, 5).forEach((s) => h.push(s));
    assert.equal(h.length, 1);
    assert.equal(h.firstTick, 4);
    assert.equal(h.reachMs, 0);
    assert.deepEqual(h.snapshotAt(4), polls[4]);
  });

  it('counts a table with a name past Latin-1 at two bytes a character, as V8 holds it', () => {
    const [first] = polls;
    const renamed = { ...first!, processes: first!.processes.map((p, i) => (i === 0 ? { ...p, name: '프로세스' } : p)) };
    const plain = new TickHistory(1 << 30);
    plain.push(first!);
    const wide = new TickHistory(1 << 30);
    wide.push(renamed);
    // The live table may hold a name past Latin-1 already (any process on the machine): held() says how V8 holds it.
    assert.equal(plain.bytes, heldBytes(JSON.stringify(first)) + PER_TICK_BYTES);
    assert.equal(wide.bytes, 2 * JSON.stringify(renamed).length + PER_TICK_BYTES);
  });

  it('counts the whole tables that scrubbing keeps, and keeps none that would pass the bound', () => {
    // 70 ticks (the polls, then the first ones again): scrubbing to the last keeps a whole table at tick 64.
    const ticks = Array.from({ length: 70 }, (_, i) => polls[i % polls.length]!);
    const roomy = new TickHistory(1 << 30);
    ticks.forEach((s) => roomy.push(s));
    const before = roomy.bytes;
    assert.deepEqual(roomy.snapshotAt(69), ticks[69]);
    assert.equal(roomy.bytes, before + heldBytes(JSON.stringify(ticks[64])) + PER_TICK_BYTES);
    const tight = new TickHistory(before);
    ticks.forEach((s) => tight.push(s));
    assert.equal(tight.firstTick, 0);
    assert.deepEqual(tight.snapshotAt(69), ticks[69]);
    assert.equal(tight.bytes, before, 'no room for the table: it is not kept');
  });

  it('exports to a recording that reads back tick for tick', async () => {
    const h = new TickHistory(1 << 30);
    polls.slice(0, 15).forEach((s) => h.push(s, 2));
    const [header, ...lines] = h.toRecording({ intervalMs: 30, threads: true });
    const rec = await parseRecording(Buffer.concat([encodeLine(header), ...lines.map((l) => encodeLine(l))]));
    assert.equal(rec.cutOff, undefined);
    assert.equal(rec.ticks.length, 15);
    for (let i = 0; i < 15; i++) assert.deepEqual(rec.snapshotAt(i), polls[i], `tick ${i}`);
    assert.equal(rec.ticks[3]!.forks, 2);
  });
});

describe('--max-size values', () => {
  const cases: [string, number | undefined][] = [
    ['1000', 1000],
    ['64k', 65536],
    ['64K', 65536],
    ['32M', 32 * 1024 ** 2],
    ['2G', 2 * 1024 ** 3],
    ['10KiB', 10240],
    ['5kb', 5120],
    ['0', undefined],
    ['', undefined],
    ['-5', undefined],
    ['1.5M', undefined],
    ['lots', undefined],
    ['12T', undefined],
  ];
  for (const [text, bytes] of cases) it(`${JSON.stringify(text)} is ${bytes ?? 'refused'}`, () => assert.equal(parseSize(text), bytes));
});
