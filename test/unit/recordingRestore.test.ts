// The ids a recording panel's page keeps across a window reload: only ids the host issued name a file, and a
// page's saved state (untrusted) cannot name one of its own.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_RESTORABLE, RecordingRestore, type StateStore } from '../../src/extension/recordingRestore';

function memoryStore(initial?: unknown): StateStore & { value: unknown } {
  const store = {
    value: initial,
    get: () => store.value,
    update: (_key: string, value: unknown) => {
      store.value = value;
      return Promise.resolve();
    },
  };
  return store;
}

test('an issued id gives back its file; a closed panel is forgotten', () => {
  const store = memoryStore();
  const restore = new RecordingRestore(store);
  const a = restore.issue('file:///tmp/a.ndjson.gz');
  const b = restore.issue('file:///tmp/b.ndjson.gz');
  assert.match(a, /^[0-9a-f]{32}$/);
  assert.notEqual(a, b);
  assert.equal(restore.restored({ recording: a })?.uri, 'file:///tmp/a.ndjson.gz');
  assert.equal(restore.restored({ recording: b, filter: 'x' })?.uri, 'file:///tmp/b.ndjson.gz');
  restore.forget(a);
  assert.equal(restore.restored({ recording: a })?.uri, undefined);
  assert.equal(new RecordingRestore(store).restored({ recording: b })?.uri, 'file:///tmp/b.ndjson.gz', 'kept in the store, not in memory');
});

test("a page's state names nothing the host did not issue", () => {
  const restore = new RecordingRestore(memoryStore());
  const id = restore.issue('file:///tmp/a.ndjson.gz');
  for (const state of [
    undefined,
    null,
    'file:///etc/passwd',
    { recording: 'file:///etc/passwd' },
    { recording: '0'.repeat(32) },
    { recording: id.toUpperCase() },
    { recording: `${id} ` },
    { recording: 42 },
    [id],
  ])
    assert.equal(restore.restored(state)?.uri, undefined, JSON.stringify(state));
});

test('at most MAX_RESTORABLE ids are kept, the oldest dropped; a damaged store is read as empty', () => {
  const store = memoryStore();
  const restore = new RecordingRestore(store);
  const ids = Array.from({ length: MAX_RESTORABLE + 3 }, (_, i) => restore.issue(`file:///tmp/${i}.gz`));
  assert.equal((store.value as unknown[]).length, MAX_RESTORABLE);
  assert.equal(restore.restored({ recording: ids[0] })?.uri, undefined);
  assert.equal(restore.restored({ recording: ids.at(-1) })?.uri, `file:///tmp/${MAX_RESTORABLE + 2}.gz`);
  for (const damaged of ['x', { a: 1 }, [[1, 2]], [['zz', 'file:///a']], [null]]) {
    const r = new RecordingRestore(memoryStore(damaged));
    assert.equal(r.restored({ recording: '0'.repeat(32) })?.uri, undefined);
    const id = r.issue('file:///tmp/new.gz');
    assert.equal(r.restored({ recording: id })?.uri, 'file:///tmp/new.gz', 'a damaged store is replaced by good entries');
  }
});

test('a failed save is reported, not thrown', async () => {
  const errors: unknown[] = [];
  const restore = new RecordingRestore({ get: () => undefined, update: () => Promise.reject(new Error('disk full')) }, (e) =>
    errors.push(e),
  );
  restore.issue('file:///tmp/a.gz');
  await new Promise((r) => setImmediate(r));
  assert.equal(errors.length, 1);
});
