// The IPC view's graph as plain data (no browser): directed channel edges, parallel channels merged, the Waits
// layer's edges beside them (never merged with a channel), what each scope keeps, and deadlocks kept whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IpcMap, PipeChannel } from '../../src/core/ipc/model';
import type { WaitBrief } from '../../src/protocol';
import { setLocale } from '../../webview/i18n';
import { buildGraph } from '../../webview/ipcGraph';
import { WaitsStore } from '../../webview/waitsOverview';
import { ipcMapOf } from './fakeIpc';

setLocale('en');

const pipe = (id: number, writer: number, reader: number): PipeChannel => ({
  kind: 'pipe',
  id: `pipe:${id}`,
  label: `pipe ${id}`,
  inode: id,
  endpoints: [
    { pid: writer, fd: 1, role: 'write', processName: `p${writer}`, processKey: `${writer}@1` },
    { pid: reader, fd: 0, role: 'read', processName: `p${reader}`, processKey: `${reader}@1` },
  ],
});
const map = (channels: IpcMap['channels']): IpcMap => ipcMapOf(channels, { timestamp: 0 });
const brief = (pid: number, tid: number, holder: number): WaitBrief => ({
  pid,
  tid,
  key: `${pid}@1`,
  name: `t${tid}`,
  kind: 'pipe',
  holders: [{ pid: holder, tid: null, name: `p${holder}` }],
  holderCount: 1,
  object: '',
});

test('parallel pipes between two processes are one counted edge; a pipe elsewhere stays its own', () => {
  const g = buildGraph(map([pipe(1, 10, 20), pipe(2, 10, 20), pipe(3, 10, 20), pipe(4, 30, 40)]), 'all', null, new Set());
  assert.deepEqual(g.nodes, [10, 20, 30, 40]);
  assert.deepEqual(
    g.edges.map((e) => [e.from, e.to, e.count, e.label]),
    [
      [10, 20, 3, '3 × pipe'],
      [30, 40, 1, 'pipe 4'],
    ],
  );
});

test('the Waits layer adds waiting → waking edges beside the channels, red in a cycle, and keeps the cycle whole around the selection', () => {
  const waits = new WaitsStore();
  waits.set({
    threads: [brief(20, 20, 10), brief(10, 10, 20), brief(40, 41, 30)],
    cycles: [
      {
        members: [
          { pid: 10, tid: 10, key: '10@1', name: 't10' },
          { pid: 20, tid: 20, key: '20@1', name: 't20' },
        ],
      },
    ],
  });
  const channels = map([pipe(1, 10, 20), pipe(4, 30, 40)]);
  const all = buildGraph(channels, 'all', null, new Set(), waits);
  const waitEdges = all.edges
    .filter((e) => e.kind === 'wait')
    .map((e) => `${e.from}>${e.to}${e.deadlock ? '!' : ''}`)
    .sort();
  assert.deepEqual(waitEdges, ['10>20!', '20>10!', '40>30']);
  assert.equal(all.edges.filter((e) => e.kind === 'pipe').length, 2, 'no wait edge is merged into a channel edge');
  assert.deepEqual([...all.deadlockPids].sort(), [10, 20]);
  assert.deepEqual(
    all.waitCycles.map((c) => c.map((m) => m.pid)),
    [[10, 20]],
  );
  // Without the layer: the channels alone.
  assert.equal(buildGraph(channels, 'all', null, new Set()).edges.length, 2);
  // Around process 20: its neighbours, and the whole cycle.
  assert.deepEqual(buildGraph(channels, 'selection', 20, new Set(), waits).nodes, [10, 20]);
});

test('a deadlock inside one process keeps its process in the graph though it draws no edge', () => {
  const waits = new WaitsStore();
  waits.set({
    threads: [],
    cycles: [
      {
        members: [
          { pid: 50, tid: 51, key: '50@1', name: 'a' },
          { pid: 50, tid: 52, key: '50@1', name: 'b' },
        ],
      },
    ],
  });
  const g = buildGraph(map([]), 'selection', 50, new Set(), waits);
  assert.deepEqual(g.nodes, [50]);
  assert.deepEqual(g.edges, []);
  assert.deepEqual(
    g.waitCycles.map((c) => c.map((m) => m.tid)),
    [[51, 52]],
  );
});
