// Opening a recording file in the panel (loadRecordingFile, RecordingHistory): the fixtures under
// test/fixtures/recordings are a real recording of a captured /proc tree and copies of it damaged the ways a
// file gets damaged (make.py says how each was made), plus files that are not recordings at all.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
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
    assert.equal((await refusal(scratch)).detail, 'EISDIR');
  });
});
