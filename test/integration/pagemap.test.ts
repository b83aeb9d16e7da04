// Copy-on-write seen through /proc/PID/pagemap (src/core/pagemap.ts) on a real parent and child this test
// starts: a mapping of 64 touched pages, then fork, then the child writes the first half.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ProcScopeError } from '../../src/core/errors';
import { PAGE_EXCLUSIVE, PAGE_SHARED, readPageMap, statesFromRuns } from '../../src/core/pagemap';
import { processKey } from '../../src/core/model';
import { pageMapOf } from '../../src/worker/pageMapQuery';
import { createBackend } from '../../src/extension/backend';
import { PROGRAMS, waitFor } from './helpers';

const PAGES = 64;
const started: ChildProcess[] = [];

after(() => {
  for (const p of started) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
});

function startCow(): { proc: ChildProcess; line: (want: RegExp) => Promise<string>; send: (text: string) => void } {
  const proc = spawn('python3', [join(PROGRAMS, 'cow_pages.py'), String(PAGES)], { stdio: ['pipe', 'pipe', 'inherit'] });
  started.push(proc);
  const lines: string[] = [];
  let buf = '';
  proc.stdout!.on('data', (d: Buffer) => {
    buf += d.toString('utf8');
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      lines.push(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
    }
  });
  return {
    proc,
    line: (want) => waitFor(`a line like ${want}`, () => lines.find((l) => want.test(l))),
    send: (text) => proc.stdin!.write(`${text}\n`),
  };
}

function keyOf(pid: number): string {
  const text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  return processKey(pid, Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[19]));
}

test('after fork the pages are present and shared in both; the pages the child writes become exclusive in both', async () => {
  const cow = startCow();
  const ready = await cow.line(/^ready /);
  const [, start, end, parentText, childText] = ready.split(' ') as [string, string, string, string, string];
  const parent = Number(parentText);
  const child = Number(childText);
  assert.equal(parent, cow.proc.pid);

  // The mapping is its own line of /proc/PID/maps (so the panel can offer its page map).
  const maps = readFileSync(`/proc/${child}/maps`, 'utf8');
  assert.match(maps, new RegExp(`^${start}-${end} rw-p `, 'm'));

  for (const pid of [parent, child]) {
    const before = readPageMap(pid, start, end);
    assert.equal(before.unavailable, null);
    assert.equal(before.pages, PAGES);
    assert.equal(before.read, PAGES);
    assert.deepEqual(before.counts, { notPresent: 0, shared: PAGES, exclusive: 0, swapped: 0 }, `pid ${pid} before the write`);
  }

  cow.send('write');
  await cow.line(/^wrote$/);
  const half = PAGES / 2;
  for (const [who, pid] of [
    ['child', child],
    ['parent', parent],
  ] as const) {
    const got = readPageMap(pid, start, end);
    const states = [...statesFromRuns(got.runs)];
    // The writer got a copy of each written page; the original is then mapped by the parent alone, so it is
    // exclusive there too. The pages nobody wrote are still shared.
    assert.deepEqual(states.slice(0, half), new Array(half).fill(PAGE_EXCLUSIVE), `${who}: written half exclusive`);
    assert.deepEqual(states.slice(half), new Array(half).fill(PAGE_SHARED), `${who}: unwritten half still shared`);
    assert.deepEqual(got.counts, { notPresent: 0, shared: half, exclusive: half, swapped: 0 });
  }

  // Through the worker's question: the key is checked, a successor's or a stale key is refused.
  const asked = pageMapOf(child, keyOf(child), start, end);
  assert.equal(asked.counts.exclusive, half);
  assert.throws(
    () => pageMapOf(child, `${child}@1`, start, end),
    (e: unknown) => e instanceof ProcScopeError && e.code === 'NO_SUCH_PROCESS',
  );
  assert.throws(
    () => pageMapOf(child, `${parent}@1`, start, end),
    (e: unknown) => e instanceof ProcScopeError && e.code === 'BAD_REQUEST',
  );

  // The same question as the panel asks it: through the worker thread (the `pageMap` kind and its reply).
  const backend = createBackend({
    evalSource: `require('tsx/cjs'); require(${JSON.stringify(require.resolve('../../src/worker/panelWorker.ts'))});`,
  });
  try {
    const viaWorker = await backend.pageMap(child, keyOf(child), start, end);
    assert.deepEqual(viaWorker.counts, { notPresent: 0, shared: half, exclusive: half, swapped: 0 });
    assert.deepEqual(viaWorker.runs, [
      [PAGE_EXCLUSIVE, half],
      [PAGE_SHARED, half],
    ]);
    await assert.rejects(
      backend.pageMap(child, `${child}@1`, start, end),
      (e: unknown) => e instanceof ProcScopeError && e.code === 'NO_SUCH_PROCESS',
    );
  } finally {
    backend.dispose();
  }

  const childKey = keyOf(child);
  cow.send('end');
  await new Promise((r) => cow.proc.once('exit', r));
  await waitFor('the child to be reaped', () => {
    try {
      readFileSync(`/proc/${child}/stat`);
      return false;
    } catch {
      return true;
    }
  });
  // Gone: the reader reports the errno, the keyed question refuses.
  assert.match(readPageMap(child, start, end).unavailable ?? '', /^(ENOENT|ESRCH)/);
  assert.throws(
    () => pageMapOf(child, childKey, start, end),
    (e: unknown) => e instanceof ProcScopeError && e.code === 'NO_SUCH_PROCESS',
  );
});
