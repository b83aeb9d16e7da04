// The webview's row building on trees no recursion could walk: a 20,000-deep chain, filtered and not.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProcessInfo } from '../../src/core/model';
import { fakeProcess, rowOptions } from './fakeProcess';
import { buildRows, type RowOptions } from '../../webview/rows';

const DEPTH = 20_000;

function proc(pid: number, ppid: number, startTicks: number, name: string): ProcessInfo {
  return fakeProcess(pid, { ppid, startTicks, name, cmdline: [name], uid: 0, euid: 0, gid: 0, egid: 0, user: 'root', euser: 'root' });
}

const options = (filter = ''): RowOptions => rowOptions({ filter });

describe('buildRows on a deep chain', () => {
  // Listed deepest first: no parent comes before its child.
  const chain: ProcessInfo[] = [];
  for (let pid = DEPTH + 1; pid >= 2; pid--) chain.push(proc(pid, pid - 1, pid, pid === DEPTH + 1 ? 'deepest' : 'link'));
  chain.push(proc(1, 0, 1, 'init'));
  const byPid = new Map(chain.map((p) => [p.pid, p]));

  it('gives one row per process, each one level below its parent', () => {
    const rows = buildRows(chain, byPid, options());
    assert.equal(rows.length, DEPTH + 1);
    const last = rows.at(-1)!;
    assert.equal(last.proc.name, 'deepest');
    assert.equal(last.level, DEPTH + 1);
    assert.equal(last.parentId, `p${DEPTH}@${DEPTH}`);
  });

  it('keeps every ancestor of a deep match as context', () => {
    const rows = buildRows(chain, byPid, options('deepest'));
    assert.equal(rows.length, DEPTH + 1);
    assert.equal(rows.filter((r) => r.kind === 'process' && r.context).length, DEPTH);
    assert.equal(rows.at(-1)!.proc.name, 'deepest');
  });

  it('stops under a collapsed process', () => {
    const o = { ...options(), collapsed: new Set([`${DEPTH / 2}@${DEPTH / 2}`]) };
    assert.equal(buildRows(chain, byPid, o).length, DEPTH / 2);
  });

  it('puts a child whose parent pid was reused (younger parent) at the top level', () => {
    const parent = proc(50, 1, 500, 'new-owner-of-50');
    const orphan = proc(60, 50, 400, 'orphan');
    const init = proc(1, 0, 1, 'init');
    const rows = buildRows(
      [init, parent, orphan],
      new Map([
        [1, init],
        [50, parent],
        [60, orphan],
      ]),
      options(),
    );
    assert.deepEqual(
      rows.map((r) => `${r.proc.name}:${r.level}`),
      ['init:1', 'new-owner-of-50:2', 'orphan:1'],
    );
  });
});
