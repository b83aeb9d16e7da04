// Opening a recording file in the panel (loadRecordingFile, RecordingHistory): the fixtures under
// test/fixtures/recordings are a real recording of a captured /proc tree and copies of it damaged the ways a
// file gets damaged (make.py says how each was made), plus files that are not recordings at all.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { RecordingHistory } from '../../src/core/record/historyIndex';
import { loadRecordingFile, RecordingError, type NotRecordingWhy } from '../../src/core/record/reader';

const dir = join(__dirname, '..', 'fixtures', 'recordings');
const fixture = (name: string): string => join(dir, name);
const scratch = mkdtempSync(join(tmpdir(), 'procscope-load-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

async function refusal(path: string, limits = {}): Promise<RecordingError> {
  try {
    await loadRecordingFile(path, limits);
  } catch (e) {
    assert.ok(e instanceof RecordingError, `expected a RecordingError, got ${String(e)}`);
    return e;
  }
  assert.fail(`${path} was read as a recording`);
}

describe('a sound recording file', () => {
  it('reads every tick, with the threads it recorded, and answers the panel as the worker does', async () => {
    const r = await loadRecordingFile(fixture('edge.ndjson.gz'));
    assert.equal(r.cutOff, undefined);
    assert.equal(r.ticks.length, 4);
    assert.equal(r.header.threads, true);
    const history = new RecordingHistory(r);
    const index = history.index()!;
    assert.deepEqual(
      index.times,
      r.ticks.map((t) => t.at),
    );
    // A time before the first tick gives the first; one after the last gives the last.
    assert.equal(history.at(0)!.at, r.ticks[0]!.at);
    assert.equal(history.at(r.ticks[3]!.at + 60_000)!.at, r.ticks[3]!.at);
    assert.deepEqual(history.newest(), r.snapshotAt(3));
    const threaded = r.ticks[0]!.full!.processes.find((p) => (p.threads?.length ?? 0) > 1)!;
    const strips = history.index([threaded.key])!.threads!.strips;
    assert.deepEqual(
      strips.map((s) => s.tid),
      threaded.threads!.map((t) => t.tid).sort((a, b) => Number(b === threaded.pid) - Number(a === threaded.pid)),
    );
  });
});

describe('a recording cut or damaged mid-write', () => {
  it('cut in the middle of a gzip member: read up to the last whole tick, with the reason', async () => {
    const r = await loadRecordingFile(fixture('cut-mid-gzip.ndjson.gz'));
    assert.equal(r.ticks.length, 2);
    assert.equal(r.cutOff?.afterTick, 1);
    assert.ok(r.cutOff?.why === 'gzip' || r.cutOff?.why === 'incomplete', JSON.stringify(r.cutOff));
    assert.equal(new RecordingHistory(r).index()!.times.length, 2);
  });

  it('damaged bytes in the middle: read up to the damage', async () => {
    const r = await loadRecordingFile(fixture('corrupt-middle.ndjson.gz'));
    assert.equal(r.ticks.length, 2);
    assert.equal(r.cutOff?.why, 'gzip');
  });

  it('larger than the file bound: only its start is read, and it says so', async () => {
    const whole = readFileSync(fixture('edge.ndjson.gz')).length;
    const r = await loadRecordingFile(fixture('edge.ndjson.gz'), { maxFileBytes: Math.floor(whole * 0.8) });
    assert.ok(r.ticks.length >= 1 && r.ticks.length < 4, String(r.ticks.length));
    assert.equal(r.cutOff?.afterTick, r.ticks.length - 1);
    // Cut inside a member, the damage is what the reader sees first; the bound is named when the cut fell between members.
    assert.ok(['gzip', 'limit', 'incomplete'].includes(r.cutOff!.why), JSON.stringify(r.cutOff));
  });

  it('over the bound once decompressed (a small file may hold much text): refused as too large', async () => {
    const e = await refusal(fixture('edge.ndjson.gz'), { maxTextBytes: 1000 });
    assert.equal(e.code, 'TOO_LARGE');
    assert.equal(e.detail, 1000);
    const plain = join(scratch, 'plain.ndjson');
    writeFileSync(plain, `${'x'.repeat(2000)}\n`);
    assert.equal((await refusal(plain, { maxTextBytes: 1000 })).code, 'TOO_LARGE');
  });
});

describe('a file that is not a recording', () => {
  const cases: [string, 'TOO_NEW' | NotRecordingWhy][] = [
    ['foreign.json', 'notHeader'],
    ['foreign.ndjson.gz', 'notHeader'],
    ['empty.ndjson.gz', 'empty'],
    ['cut-in-header.ndjson.gz', 'cutInHeader'],
    ['version-as-text.ndjson.gz', 'badVersion'],
    ['newer-version.ndjson.gz', 'TOO_NEW'],
  ];
  for (const [name, why] of cases) {
    it(`${name}: refused (${why})`, async () => {
      const e = await refusal(fixture(name));
      if (why === 'TOO_NEW') {
        assert.equal(e.code, 'TOO_NEW');
        assert.equal(e.version, 2);
      } else {
        assert.equal(e.code, 'NOT_RECORDING');
        assert.equal(e.why, why);
      }
    });
  }

  it('a file that cannot be read: refused with its errno', async () => {
    assert.equal((await refusal(join(scratch, 'missing.ndjson.gz'))).detail, 'ENOENT');
    // A directory is not a regular file: refused before any read.
    const dirRefusal = await refusal(scratch);
    assert.equal(dirRefusal.code, 'NOT_RECORDING');
    assert.equal(dirRefusal.why, 'notFile');
  });

  it('a FIFO or a device: refused at once, without waiting for a writer or reading forever', { timeout: 20_000 }, async () => {
    const fifo = join(scratch, 'named-pipe.ndjson.gz');
    execFileSync('mkfifo', [fifo]);
    // The thread must stay free while the file is looked at: a timer set now fires before the answer.
    let ticked = false;
    const timer = setTimeout(() => (ticked = true), 0);
    const pending = refusal(fifo);
    await new Promise((r) => setTimeout(r, 20));
    assert.ok(ticked, 'the event loop ran while the FIFO was opened');
    clearTimeout(timer);
    const e = await pending;
    assert.equal(e.code, 'NOT_RECORDING');
    assert.equal(e.why, 'notFile');
    assert.equal((await refusal('/dev/zero')).why, 'notFile');
  });
});

describe('a recording whose ticks hold what no sampler writes', () => {
  // The real recording's lines, changed one way each: the reader stops before the changed tick, as at damage.
  const lines = gunzipSync(readFileSync(fixture('edge.ndjson.gz')))
    .toString('utf8')
    .split('\n')
    .filter((l) => l.length > 0);
  const write = (name: string, edited: string[]): string => {
    const path = join(scratch, name);
    writeFileSync(path, `${edited.join('\n')}\n`);
    return path;
  };
  interface ProcessJson {
    [field: string]: unknown;
    pid: number;
    key: string;
    threads?: { tid: number }[];
  }
  interface TickJson {
    at: unknown;
    full: { processes: ProcessJson[] };
    delta: { added: unknown[]; removed: unknown[]; changed: unknown[] };
  }
  const withTick = (index: number, edit: (tick: TickJson) => void): string[] => {
    const out = [...lines];
    const tick = JSON.parse(out[index + 1]!) as TickJson;
    edit(tick);
    out[index + 1] = JSON.stringify(tick);
    return out;
  };
  const firstKey = (JSON.parse(lines[1]!) as TickJson).full.processes[0]!.key;
  const cases: [string, number, (tick: TickJson) => void][] = [
    ['a process name that is a number', 0, (t) => (t.full.processes[0]!.name = 1)],
    ['a command line that is text, not a list', 0, (t) => (t.full.processes[0]!.cmdline = 'x')],
    ['a command line nested 200,000 deep', 0, (t) => (t.full.processes[0]!.cmdline = 'NESTED')],
    ['a key naming another pid', 0, (t) => (t.full.processes[0]!.key = `${t.full.processes[0]!.pid + 1}@1`)],
    ['a thread whose tid is negative', 0, (t) => (t.full.processes.find((p) => (p.threads?.length ?? 0) > 0)!.threads![0]!.tid = -1)],
    ['a born process that is null', 1, (t) => (t.delta.added = [null])],
    ['a removed key that is an object', 2, (t) => (t.delta.removed = [{}])],
    ['a change whose state is a number', 2, (t) => (t.delta.changed = [{ key: firstKey, state: 3 }])],
    ['a time past what a double holds', 1, (t) => (t.at = 'INF')],
    ['a time past what a Date holds', 1, (t) => (t.at = 1e300)],
    ['a state that is an escape sequence', 0, (t) => (t.full.processes[0]!.state = '\u001b')],
    ['a start time past what a Date holds', 0, (t) => (t.full.processes[0]!.startTime = -1e300)],
  ];
  for (const [what, index, edit] of cases) {
    it(`${what}: read up to the tick before`, async () => {
      let edited = withTick(index, edit);
      // What JSON.stringify cannot write but JSON.parse reads from a file goes in as text: 1e400 (Infinity), and
      // arrays nested deeper than the stack JSON.stringify recurses on.
      edited = edited.map((l) =>
        l.replace('"at":"INF"', '"at":1e400').replace('"cmdline":"NESTED"', `"cmdline":[${'['.repeat(200_000)}${']'.repeat(200_000)}]`),
      );
      const r = await loadRecordingFile(write(`${what.replace(/\W+/g, '-')}.ndjson`, edited));
      assert.equal(r.ticks.length, index);
      assert.equal(r.cutOff?.why, 'notTick');
      assert.equal(r.cutOff?.line, index + 2);
    });
  }

  for (const value of ['1e400', '1e300']) {
    it(`a header whose start is ${value} (past what a Date holds): not a recording`, async () => {
      const edited = [...lines];
      edited[0] = edited[0]!.replace(/"startedAt":\d+/, `"startedAt":${value}`);
      assert.notEqual(edited[0], lines[0]);
      assert.equal((await refusal(write(`header-${value}.ndjson`, edited))).why, 'badHeader');
    });
  }

  it('fields this reader does not know, and a "__proto__" key, are read and change nothing else', async () => {
    const edited = withTick(0, (t) => {
      t.full.processes[0]!.futureField = { any: 'thing' };
    }).map((l, i) => (i === 1 ? l.replace('"futureField"', '"__proto__":{"polluted":true},"futureField"') : l));
    const r = await loadRecordingFile(write('unknown-fields.ndjson', edited));
    assert.equal(r.ticks.length, lines.length - 1);
    assert.equal(r.cutOff, undefined);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
