// The webview's pure logic, without a browser: the filter language, the process table's delta apply (against
// core's applyDelta on deltas recorded from a real /proc), which deltas may patch rows in place, the UI
// state's saved form, debugger thread names and the host client's request/response matching.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { applyDelta as coreApplyDelta } from '../../src/core/diff';
import type { Delta, ProcessInfo, Snapshot, ThreadInfo } from '../../src/core/model';
import type { FromWebview, WorkspaceMember } from '../../src/protocol';
import { DebugThreadNames, parseDebugThreads } from '../../webview/debugThreads';
import { HostClient } from '../../webview/hostClient';
import { buildRows, matches, parseFilter, type RowOptions } from '../../webview/rows';
import { canPatchRows, indexRows, patchRows } from '../../webview/rowPatch';
import { MARK_MS, ProcessStore } from '../../webview/store';
import { readStartup } from '../../webview/startup';
import { UiState } from '../../webview/uiState';
import { fakeProcess } from './fakeProcess';

const FIXTURES = join(__dirname, '..', 'webview', 'fixtures');
const recorded = JSON.parse(readFileSync(join(FIXTURES, 'snapshot.json'), 'utf8')) as { snapshot: Snapshot; workspace: WorkspaceMember[] };
const deltas = JSON.parse(readFileSync(join(FIXTURES, 'deltas.json'), 'utf8')) as Delta[];
/** A real thread from the recording, renamed per test. */
const recordedThread = recorded.snapshot.processes.flatMap((p) => p.threads ?? [])[0]!;
const thread = (tid: number, name: string): ThreadInfo => ({ ...recordedThread, tid, name });

function proc(pid: number, over: Partial<ProcessInfo> = {}): ProcessInfo {
  return fakeProcess(pid, { cmdline: [`/bin/p${pid}`, '--flag'], startTime: 1_000_000 + (over.startTicks ?? pid), ...over });
}

describe('webview filter', () => {
  const cases: { text: string; terms: { field: string; value: string }[] }[] = [
    { text: '', terms: [] },
    { text: '   ', terms: [] },
    { text: 'Node', terms: [{ field: 'any', value: 'node' }] },
    {
      text: 'node  user:Root',
      terms: [
        { field: 'any', value: 'node' },
        { field: 'user', value: 'root' },
      ],
    },
    // The state keeps its case: S (sleeping) and s are different letters.
    {
      text: 'state:Sd s:R',
      terms: [
        { field: 'state', value: 'Sd' },
        { field: 'state', value: 'R' },
      ],
    },
    {
      text: 'comm:BASH args:X command:y cmd:Z',
      terms: [
        { field: 'name', value: 'bash' },
        { field: 'cmd', value: 'x' },
        { field: 'cmd', value: 'y' },
        { field: 'cmd', value: 'z' },
      ],
    },
    // A field with nothing after it narrows nothing; an unknown prefix is plain text.
    { text: 'pid:', terms: [] },
    { text: 'foo:bar', terms: [{ field: 'any', value: 'foo:bar' }] },
    { text: 'PID:42', terms: [{ field: 'pid', value: '42' }] },
  ];
  for (const c of cases) {
    it(`parses ${JSON.stringify(c.text)}`, () => assert.deepEqual(parseFilter(c.text).terms, c.terms));
  }

  const p = proc(4242, { name: 'Python3', user: 'alice', uid: 1000, state: 'D', cmdline: ['/usr/bin/python3', 'serve.py'] });
  const matchCases: { filter: string; states?: string[]; match: boolean }[] = [
    { filter: '', match: true },
    { filter: 'python', match: true },
    { filter: '424', match: true }, // pid prefix in free text
    { filter: '242', match: false }, // ... but not a pid infix
    { filter: 'serve.py', match: true },
    { filter: 'pid:4242', match: true },
    { filter: 'pid:424', match: false }, // pid: is exact
    { filter: 'user:ali', match: true },
    { filter: 'user:1000', match: true }, // uid as a number
    { filter: 'user:bob', match: false },
    { filter: 'state:SD', match: true },
    { filter: 'state:d', match: false },
    { filter: 'name:python cmd:serve', match: true },
    { filter: 'name:python cmd:other', match: false }, // every term must match
    { filter: '', states: ['D'], match: true },
    { filter: '', states: ['R', 'S'], match: false },
  ];
  for (const c of matchCases) {
    it(`${c.match ? 'matches' : 'does not match'} ${JSON.stringify(c.filter)}${c.states ? ` with states ${c.states.join('')}` : ''}`, () => {
      assert.equal(matches(p, parseFilter(c.filter), new Set(c.states ?? [])), c.match);
    });
  }

  it('matches a kernel thread by its bracketed name in free text', () => {
    const k = proc(2, { name: 'kthreadd', kernelThread: true, cmdline: [] });
    assert.equal(matches(k, parseFilter('[kthreadd]'), new Set()), true);
  });
});

describe('webview store: delta apply', () => {
  it('ends with the same live processes as core applyDelta on the recorded deltas', () => {
    const store = new ProcessStore();
    store.setSnapshot(recorded.snapshot, recorded.workspace, 0);
    let expected = recorded.snapshot;
    for (const d of deltas) {
      store.applyDelta(d, undefined, 0);
      expected = coreApplyDelta(expected, d);
      assert.deepEqual(
        [...store.byKey.values()].sort((a, b) => a.pid - b.pid),
        [...expected.processes].sort((a, b) => a.pid - b.pid),
      );
      assert.equal(
        store.threadCount(),
        expected.processes.reduce((n, p) => n + p.numThreads, 0),
      );
      assert.equal(store.timestamp, d.timestamp);
    }
    // Removed processes stay, marked exited, until their mark expires; added ones are marked new.
    const removed = deltas.flatMap((d) => d.removed);
    // (One recorded process starts in the first delta and exits in the second: it is exited, not new.)
    const added = deltas.flatMap((d) => d.added.map((p) => p.key)).filter((key) => !removed.includes(key));
    assert.ok(removed.length > 0 && added.length > 0, 'the recording holds exits and starts');
    for (const key of removed) assert.equal(store.isExited(key), true, key);
    for (const key of added) assert.equal(store.added.has(key), true, key);
    assert.equal(store.nextMarkExpiry(), MARK_MS);
    assert.equal(store.expireMarks(MARK_MS), true);
    for (const key of removed) assert.equal(store.get(key), undefined, key);
    assert.equal(store.added.size, 0);
    assert.equal(store.expireMarks(MARK_MS), false);
  });

  it('keeps the pid index on the live process when an exited one had the same pid', () => {
    const store = new ProcessStore();
    const old = proc(300, { startTicks: 5 });
    store.setSnapshot({ ...recorded.snapshot, processes: [proc(1), old], hidden: undefined }, [], 0);
    const reused = proc(300, { startTicks: 900, name: 'newcomer' });
    store.applyDelta({ timestamp: 1, intervalMs: 1, added: [reused], removed: [old.key], changed: [] }, undefined, 0);
    assert.equal(store.byPid.get(300)?.key, reused.key);
    assert.equal(store.isExited(old.key), true);
    assert.equal([...store.all()].length, 3);
  });

  it('changes only the fields a change names; a field sent as undefined goes', () => {
    const store = new ProcessStore();
    const p = proc(10, { threads: [thread(10, 'main')] });
    store.setSnapshot({ ...recorded.snapshot, processes: [p] }, [], 0);
    store.applyDelta(
      { timestamp: 2, intervalMs: 1, added: [], removed: [], changed: [{ key: p.key, cpuPercent: 12.5, threads: undefined }] },
      undefined,
      0,
    );
    const now = store.get(p.key)!;
    assert.equal(now.cpuPercent, 12.5);
    assert.equal(now.name, 'p10');
    assert.equal(now.threads, undefined);
    assert.equal('threads' in now, false, 'a field sent as undefined is gone from the row');
  });
});

describe('webview row patching', () => {
  const change = (fields: Record<string, unknown>): Delta => ({
    timestamp: 1,
    intervalMs: 1,
    added: [],
    removed: [],
    changed: [{ key: '1@1', ...fields }],
  });
  const cases: {
    name: string;
    delta: Delta;
    workspace?: boolean;
    filtering?: boolean;
    sort?: 'pid' | 'cpu' | 'time' | 'name';
    patch: boolean;
  }[] = [
    { name: 'a CPU change under the pid sort', delta: change({ cpuPercent: 3 }), patch: true },
    { name: 'a CPU change under the CPU sort', delta: change({ cpuPercent: 3 }), sort: 'cpu', patch: false },
    { name: 'a CPU time change under the time sort', delta: change({ stimeMs: 3 }), sort: 'time', patch: false },
    { name: 'an RSS change under the time sort', delta: change({ rss: 3 }), sort: 'time', patch: true },
    { name: 'a new parent', delta: change({ ppid: 7 }), patch: false },
    { name: 'new thread rows', delta: change({ threads: [] }), patch: false },
    { name: 'a new name', delta: change({ name: 'x' }), sort: 'cpu', patch: false },
    { name: 'a change while filtering', delta: change({ rss: 3 }), filtering: true, patch: false },
    { name: 'a change of the workspace', delta: change({ rss: 3 }), workspace: true, patch: false },
    { name: 'an added process', delta: { ...change({}), added: [proc(5)] }, patch: false },
    { name: 'a removed process', delta: { ...change({}), removed: ['5@5'] }, patch: false },
  ];
  for (const c of cases) {
    it(`${c.patch ? 'patches' : 'rebuilds'} for ${c.name}`, () => {
      assert.equal(canPatchRows(c.delta, c.workspace ?? false, c.filtering ?? false, c.sort ?? 'pid'), c.patch);
    });
  }

  it('points the changed processes’ rows at their latest info and leaves every other row as it was', () => {
    const a = proc(1, { ppid: 0, threads: [thread(1, 'a')] });
    const b = proc(2);
    const c = proc(3);
    const byPid = new Map([a, b, c].map((p) => [p.pid, p]));
    const options: RowOptions = {
      collapsed: new Set(),
      threadsOpen: new Set([a.key]),
      filter: '',
      states: new Set(),
      sort: { column: 'pid', descending: false },
      showKernelThreads: false,
      showThreads: true,
      scope: 'all',
      workspace: new Map(),
    };
    const rows = buildRows([a, b, c], byPid, options);
    assert.deepEqual(
      rows.map((r) => r.id),
      ['p1@1', 't1@1/1', 'p2@2', 'p3@3'],
    );
    const index = indexRows(rows);
    assert.deepEqual(
      [...index],
      [
        ['1@1', 0],
        ['2@2', 2],
        ['3@3', 3],
      ],
    );
    const b2 = { ...b, cpuPercent: 50 };
    const latest = new Map([
      [b.key, b2],
      [c.key, c],
    ]);
    const next = patchRows(rows, index, [b.key, c.key, 'gone@1'], (k) => latest.get(k));
    assert.notEqual(next, rows);
    assert.equal(next[2]!.proc, b2);
    assert.equal(next[2]!.id, 'p2@2');
    for (const i of [0, 1, 3]) assert.equal(next[i], rows[i], `row ${i} is the same object`);
    assert.equal(rows[2]!.proc, b, 'the old list is not changed');
  });
});

describe('webview UI state', () => {
  it('saves and restores every choice', () => {
    const ui = new UiState();
    ui.selectedKey = '5@5';
    ui.collapsed.add('1@1');
    ui.threadsOpen.add('5@5');
    ui.filter = 'user:root';
    ui.states.add('D');
    ui.sort = { column: 'cpu', descending: true };
    ui.scope = 'workspace';
    ui.flat = true;
    ui.columns = ['name', 'pid', 'threads', 'time'];
    ui.columnWidths = { name: 300 };
    ui.detailWidth = 500;
    ui.tab = 2;
    ui.ipcScope = 'all';
    ui.closedSections.add('memory');
    const saved = JSON.parse(JSON.stringify(ui.toPersisted('t5@5/6')));
    const back = new UiState();
    back.restore(saved);
    assert.deepEqual(back.toPersisted('t5@5/6'), saved);
    assert.equal(back.restoredSelectedId, 't5@5/6');
    assert.equal(back.filtering, true);
  });

  it('keeps the defaults for what an older or foreign saved state lacks or does not know', () => {
    const ui = new UiState();
    ui.restore({ sort: { column: 'nosuch' as 'pid', descending: true }, columns: ['name', 7 as unknown as string, 'pid'] });
    assert.deepEqual(ui.sort, { column: 'pid', descending: false });
    assert.deepEqual(ui.columns, ['name', 'pid']);
    assert.equal(ui.flat, false);
    assert.equal(ui.scope, 'all');
    assert.equal(ui.tab, 0);
    assert.equal(ui.detailWidth, 420);
    assert.equal(ui.restoredSelectedId, null);
    assert.equal(ui.filtering, false);
  });

  it('sorts numbers largest first, text smallest first, and flips on a second click', () => {
    const ui = new UiState();
    ui.toggleSort('cpu');
    assert.deepEqual(ui.sort, { column: 'cpu', descending: true });
    ui.toggleSort('cpu');
    assert.deepEqual(ui.sort, { column: 'cpu', descending: false });
    ui.toggleSort('name');
    assert.deepEqual(ui.sort, { column: 'name', descending: false });
    ui.toggleSort('name');
    assert.deepEqual(ui.sort, { column: 'name', descending: true });
  });
});

describe('webview debugger thread names', () => {
  it('keeps only well-formed certain pairings', () => {
    const parsed = parseDebugThreads(40, [
      { tid: 41, dapName: 'Main Thread', session: 'Launch', reason: 'single-thread' },
      { tid: 42, dapName: 'worker', session: 'Launch', reason: 'guess' },
      { tid: '43', dapName: 'x', session: 'Launch', reason: 'name-match' },
      null,
      { tid: 44, dapName: 'io', session: 'Launch', reason: 'name-match', extra: '<b>' },
    ]);
    assert.deepEqual([...parsed!.byTid.keys()], [41, 44]);
    assert.deepEqual(parsed!.byTid.get(44), { tid: 44, dapName: 'io', session: 'Launch', reason: 'name-match' });
    assert.equal(parseDebugThreads('40', []), null);
    assert.equal(parseDebugThreads(40, {}), null);
  });

  it('replaces a debuggee’s names per message and drops them on an empty list', () => {
    const names = new DebugThreadNames();
    assert.equal(names.apply(40, [{ tid: 41, dapName: 'Main', session: 's', reason: 'single-thread' }]), true);
    assert.equal(names.get(40, 41)?.dapName, 'Main');
    assert.equal(names.apply('junk', []), false);
    assert.equal(names.get(40, 41)?.dapName, 'Main');
    assert.equal(names.apply(40, []), true);
    assert.equal(names.get(40, 41), undefined);
  });
});

describe('webview host client', () => {
  it('matches each response to its request by id, once, and ignores a stray one', async () => {
    const posted: FromWebview[] = [];
    const client = new HostClient({ postMessage: (m) => posted.push(m) });
    const first = client.request({ kind: 'signal', pid: 5, key: '5@5', signal: 'SIGTERM' });
    const second = client.request({ kind: 'openTerminal', pid: 6, key: '6@6' });
    assert.deepEqual(
      posted.map((m) => (m.type === 'request' ? [m.requestId, m.request.kind] : m.type)),
      [
        [1, 'signal'],
        [2, 'openTerminal'],
      ],
    );
    client.settle({ type: 'response', requestId: 99, ok: true, result: {} });
    client.settle({ type: 'response', requestId: 2, ok: false, error: 'EACCES' });
    client.settle({ type: 'response', requestId: 1, ok: true, result: { sent: true } });
    client.settle({ type: 'response', requestId: 1, ok: true, result: { sent: false } });
    const a = await first;
    const b = await second;
    assert.ok(a.ok);
    // Typed by RequestResults: `sent` is a boolean field of a signal's result, with no cast.
    assert.equal(a.result.sent, true);
    assert.deepEqual(b, { ok: false, error: 'EACCES' });
  });

  it('posts ready with the page generation, backing off, until told to stop', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const posted: FromWebview[] = [];
    const client = new HostClient({ postMessage: (m) => posted.push(m) });
    client.announceReady(7, 0);
    assert.deepEqual(posted, [{ type: 'ready', page: 7 }]);
    t.mock.timers.tick(499);
    assert.equal(posted.length, 1);
    t.mock.timers.tick(1);
    assert.equal(posted.length, 2);
    t.mock.timers.tick(1000);
    assert.equal(posted.length, 3);
    client.stopAnnouncing();
    t.mock.timers.tick(60_000);
    assert.equal(posted.length, 3);
  });

  it('waits the test hook’s delay before the first ready; a page without a generation sends a bare ready', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const posted: FromWebview[] = [];
    const client = new HostClient({ postMessage: (m) => posted.push(m) });
    client.announceReady(undefined, 300);
    assert.equal(posted.length, 0);
    t.mock.timers.tick(300);
    assert.deepEqual(posted, [{ type: 'ready' }]);
    client.stopAnnouncing();
  });
});

describe('webview start-up data', () => {
  const cases: { json: string | undefined; want: ReturnType<typeof readStartup> }[] = [
    { json: undefined, want: { locale: undefined, page: undefined, delayReadyMs: 0 } },
    { json: 'not json', want: { locale: undefined, page: undefined, delayReadyMs: 0 } },
    { json: 'null', want: { locale: undefined, page: undefined, delayReadyMs: 0 } },
    { json: '{"locale":"ko","page":3}', want: { locale: 'ko', page: 3, delayReadyMs: 0 } },
    // The language setting, when it names a language, wins over VS Code's locale; 'auto' does not.
    { json: '{"locale":"ko","language":"en"}', want: { locale: 'en', page: undefined, delayReadyMs: 0 } },
    { json: '{"locale":"ko","language":"auto"}', want: { locale: 'ko', page: undefined, delayReadyMs: 0 } },
    { json: '{"page":"3","testDelayReadyMs":-5}', want: { locale: undefined, page: undefined, delayReadyMs: 0 } },
    { json: '{"testDelayReadyMs":1500}', want: { locale: undefined, page: undefined, delayReadyMs: 1500 } },
  ];
  for (const c of cases) it(`reads ${String(c.json)}`, () => assert.deepEqual(readStartup(c.json), c.want));
});
