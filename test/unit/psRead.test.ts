// `procscope ps`'s own reader (src/cli/psRead.ts, one thread or two) against what the command printed
// before it: ProcSampler's snapshot through psRows and renderPsTable. Same bytes on a fixture tree holding
// every case the two must agree on, on the captured edge tree, and row for row on the live /proc.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { HiddenTasks } from '../../src/core/model';
import { psRows, renderPsTable } from '../../src/core/psFormat';
import { ProcSampler } from '../../src/core/sampler';
import { readPsTable } from '../../src/cli/ps';
import { visible } from '../../src/shared/visible';
import { fixtureTree, removeFixtureTrees } from './procTreeFixture';

/** What `procscope ps` printed before its own reader: the panel's sampler, then psRows. */
function sampledPs(root: string): { text: string; json: string; hidden: readonly HiddenTasks[] | undefined } {
  const sampler = new ProcSampler({ procRoot: root, exe: false });
  const snapshot = sampler.pollSync({ threads: 'all' });
  sampler.dispose();
  let uptime: number;
  try {
    uptime = Number(readFileSync(`${root}/uptime`, 'latin1').split(' ')[0]);
  } catch {
    uptime = (snapshot.timestamp - snapshot.system.bootTime) / 1000;
  }
  const rows = psRows(snapshot, uptime);
  return { text: renderPsTable(rows, visible), json: JSON.stringify(rows, null, 2), hidden: snapshot.hidden };
}

async function ownPs(
  root: string,
  parallel: 'always' | 'never',
): Promise<{ text: string; json: string; hidden: readonly HiddenTasks[] | undefined }> {
  const table = await readPsTable(root, parallel);
  return { text: table.text(), json: JSON.stringify(table.rows(), null, 2), hidden: table.hidden };
}

after(removeFixtureTrees);

describe('procscope ps reads what psRows would show from a ProcSampler snapshot', () => {
  const root = fixtureTree();
  for (const parallel of ['never', 'always'] as const) {
    it(`prints the same table, JSON and notes on a tree with every edge case (${parallel === 'always' ? 'two threads' : 'one thread'})`, async () => {
      const expected = sampledPs(root);
      const own = await ownPs(root, parallel);
      assert.equal(own.text, expected.text);
      assert.equal(own.json, expected.json);
      assert.deepEqual(own.hidden, expected.hidden);
      // The cases are really in it (so equality above is not two empty tables).
      const lines = own.text.split('\n');
      assert.ok(
        lines.some((l) => /^nobody +1200 .* a\\xff\?\[31m b\?c {2}d$/.test(l)),
        'control characters as ?, NULs as spaces, invalid UTF-8 as \\xNN',
      );
      assert.ok(
        lines.some((l) => /^12345 +200 +1 +202 .* \.\/threaded --x$/.test(l)),
        'a uid without a name shows as its number',
      );
      assert.ok(
        lines.some((l) => / 300 +1 +302 .* from-thread arg$/.test(l)),
        "a zombie leader's command line comes from a live thread",
      );
      assert.ok(lines.some((l) => / 400 .* \[gone\] <defunct>$/.test(l)));
      assert.ok(
        lines.some((l) => /^\? +600 /.test(l)),
        'an unreadable status leaves the user unknown',
      );
      assert.equal(lines.filter((l) => / 1100 +1 +110\d /.test(l)).length, 2, 'threads whose stat is unreadable are left out');
      assert.ok(!lines.some((l) => / 1000 +1 /.test(l)), 'a process whose task/ is gone has no rows');
      assert.ok(lines.some((l) => /^root +1300 .* \[\\xff\\xfeA\]$/.test(l)));
      assert.ok(
        lines.some((l) => / 1400 .* \?$/.test(l)),
        'a command line of only NULs as ?',
      );
      assert.deepEqual(own.hidden, [
        { count: 1, unit: 'processes', reason: 'unexpected content' },
        { count: 1, unit: 'processes', reason: 'EISDIR: illegal operation on a directory' },
      ]);
    });
  }

  it('prints the same on the captured edge tree', async () => {
    const edge = join(__dirname, '..', 'fixtures', 'proc', 'edge');
    const expected = sampledPs(edge);
    assert.equal((await ownPs(edge, 'never')).text, expected.text);
    assert.equal((await ownPs(edge, 'always')).json, expected.json);
  });

  it('gives the same rows as the sampler on the live /proc, for the processes that sit still', async () => {
    const expected = sampledPs('/proc');
    const own = await ownPs('/proc', 'always');
    // Between the two readings other processes run, start and exit: compare the rows of tasks that used no
    // CPU in between and kept their memory, which is most of an idle machine. Kernel threads are left out:
    // a kworker's name follows the work it runs.
    const byLwp = (json: string): Map<string, Record<string, string>> =>
      new Map((JSON.parse(json) as Record<string, string>[]).map((r) => [`${r.PID}/${r.LWP}`, r]));
    const a = byLwp(expected.json);
    const b = byLwp(own.json);
    let same = 0;
    for (const [key, row] of a) {
      const other = b.get(key);
      if (!other || other.TIME !== row.TIME || other.RSS !== row.RSS || other.SZ !== row.SZ || row.PPID === '2' || row.PID === '2')
        continue;
      for (const c of ['UID', 'PPID', 'NLWP', 'STIME', 'TTY', 'CMD']) assert.equal(other[c], row[c], `${c} of ${key}`);
      same++;
    }
    // On a busy machine (a test run beside it) many rows move between the two readings; enough sit still.
    assert.ok(same >= Math.min(20, a.size / 4), `${same} of ${a.size} rows compared`);
    assert.ok(b.has(`${process.pid}/${process.pid}`));
  });

  it('shows the effective user of a process that is not dumpable, whose files the kernel gives to root', async () => {
    // As root: drop to nobody without exec (which also makes the process non-dumpable); as anyone: say so
    // with prctl(PR_SET_DUMPABLE, 0). Either way /proc/PID/stat is root's and only the directory, or
    // status, still names the effective user.
    const python = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim();
    const root = process.geteuid?.() === 0;
    const code = [
      'import ctypes, os, sys, time',
      ...(root ? ['os.setgroups([])', 'os.setresgid(65534, 65534, 65534)', 'os.setresuid(65534, 65534, 65534)'] : []),
      'ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)',
      'print("ready", flush=True)',
      'time.sleep(60)',
    ].join('\n');
    const child = spawn(python, ['-c', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.once('data', () => resolve());
        child.once('exit', (c) => reject(new Error(`python exited ${c}`)));
      });
      const pid = child.pid!;
      assert.equal(statSync(`/proc/${pid}/stat`).uid, 0, "not dumpable: its files are root's");
      const euid = Number(/^Uid:\s+\d+\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))![1]);
      if (root) assert.equal(euid, 65534);
      const user = (await readPsTable('/proc', 'never')).rows().find((r) => r.PID === String(pid))!.UID;
      const expected = JSON.parse(sampledPs('/proc').json) as Record<string, string>[];
      assert.equal(user, expected.find((r) => r.PID === String(pid))!.UID);
      if (root) assert.equal(user, 'nobody');
      else assert.ok(user === String(euid) || user === spawnSync('id', ['-un'], { encoding: 'utf8' }).stdout.trim());
    } finally {
      child.kill('SIGKILL');
    }
  });
});
