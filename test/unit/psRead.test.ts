// `procscope ps`'s own reader (src/cli/psRead.ts, one thread or two) against what the command printed
// before it: ProcSampler's snapshot through psRows and renderPsTable. Same bytes on a fixture tree holding
// every case the two must agree on, on the captured edge tree, and row for row on the live /proc.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { HiddenTasks } from '../../src/core/model';
import { psRows, renderPsTable } from '../../src/core/psFormat';
import { ProcSampler } from '../../src/core/sampler';
import { readPsTable } from '../../src/cli/ps';
import { visible } from '../../src/shared/visible';

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
  const json = JSON.stringify(rows, null, 2);
  // eslint-disable-next-line no-control-regex
  const spaced = rows.map((r) => ({ ...r, CMD: r.CMD.replace(/[\x00-\x1f\x7f]/g, ' ') }));
  return { text: renderPsTable(spaced, visible), json, hidden: snapshot.hidden };
}

async function ownPs(
  root: string,
  parallel: 'always' | 'never',
): Promise<{ text: string; json: string; hidden: readonly HiddenTasks[] | undefined }> {
  const table = await readPsTable(root, parallel);
  return { text: table.text(), json: JSON.stringify(table.rows(), null, 2), hidden: table.hidden };
}

const temps: string[] = [];
after(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

/** stat fields 4..52 after "pid (comm) state", with the ones ps shows set. */
function statLine(
  pid: number,
  comm: string | Buffer,
  state: string,
  f: {
    ppid?: number;
    tty?: number;
    flags?: number;
    utime?: number;
    stime?: number;
    threads?: number;
    start?: number;
    vsize?: number;
    rss?: number;
    cpu?: number;
  },
): Buffer {
  const v = new Array<number>(49).fill(0);
  v[0] = f.ppid ?? 1;
  v[3] = f.tty ?? 0;
  v[5] = f.flags ?? 0x400100;
  v[10] = f.utime ?? 0;
  v[11] = f.stime ?? 0;
  v[14] = 20;
  v[16] = f.threads ?? 1;
  v[18] = f.start ?? 1000;
  v[19] = f.vsize ?? 10_000_000;
  v[20] = f.rss ?? 500;
  v[35] = f.cpu ?? 0;
  return Buffer.concat([Buffer.from(`${pid} (`), Buffer.from(comm), Buffer.from(`) ${state} ${v.join(' ')}\n`)]);
}

function statusText(name: string, euid: number | null, vmRssKb: number | null): string {
  const ids = euid === null ? '' : `Uid:\t${euid}\t${euid}\t${euid}\t${euid}\nGid:\t0\t0\t0\t0\n`;
  const vm = vmRssKb === null ? '' : `VmPeak:\t   20000 kB\nVmSize:\t   10000 kB\nVmRSS:\t    ${vmRssKb} kB\n`;
  return `Name:\t${name}\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t1\nPid:\t1\nPPid:\t0\n${ids}FDSize:\t64\nGroups:\t\n${vm}Threads:\t1\n`;
}

/** A procfs-like tree with every case the two readers must agree on. */
function fixtureTree(): string {
  const root = mkdtempSync(join(tmpdir(), 'procscope-psread-'));
  temps.push(root);
  const boot = Math.floor(Date.now() / 1000) - 3 * 86400;
  writeFileSync(join(root, 'stat'), `cpu  1 2 3 4\nbtime ${boot}\n`);
  writeFileSync(join(root, 'uptime'), `${3 * 86400 + 5}.25 100.00\n`);
  writeFileSync(join(root, 'loadavg'), '0.00 0.01 0.05 1/400 999\n');
  const proc = (
    pid: number,
    files: {
      stat?: Buffer | string | 'dir';
      status?: string | 'dir';
      cmdline?: Buffer | string | 'dir';
      tasks?: Record<number, Buffer | string | 'nostat'> | 'none';
    },
  ): void => {
    const dir = join(root, String(pid));
    mkdirSync(dir);
    for (const name of ['stat', 'status', 'cmdline'] as const) {
      const content = files[name];
      if (content === 'dir') mkdirSync(join(dir, name));
      else if (content !== undefined) writeFileSync(join(dir, name), content);
    }
    if (files.tasks !== undefined && files.tasks !== 'none') {
      for (const [tid, content] of Object.entries(files.tasks)) {
        mkdirSync(join(dir, 'task', tid), { recursive: true });
        if (content !== 'nostat') writeFileSync(join(dir, 'task', tid, 'stat'), content);
      }
    }
  };
  // Created out of pid order: both must sort.
  proc(1200, {
    stat: statLine(1200, 'esc', 'S', { utime: 5000, stime: 1234, start: 200 }),
    status: statusText('esc', 65534, 2048),
    cmdline: Buffer.from('a\xff\x1b[31m\0b\tc\0\0d', 'latin1'),
  });
  proc(100, {
    stat: statLine(100, 'a) (b', 'S', { tty: (136 << 8) | 3, utime: 12, stime: 3, start: 90_000, cpu: 1 }),
    status: statusText('a) (b', 0, 1536),
    cmdline: 'sleep\x00100\x00',
  });
  // Threaded: the leader's task stat agrees with /proc/PID/stat, as the kernel's do (the same task).
  const leader = statLine(200, 'threaded', 'S', { threads: 3, utime: 300, stime: 100, start: 5000, cpu: 1, rss: 900 });
  proc(200, {
    stat: leader,
    status: statusText('threaded', 12345, 3600),
    cmdline: './threaded\0--x\0',
    tasks: {
      200: statLine(200, 'threaded', 'S', { threads: 3, utime: 100, stime: 50, start: 5000, cpu: 1 }),
      201: statLine(201, 'worker one', 'R', { threads: 3, utime: 150, stime: 25, start: 5100, cpu: 0 }),
      202: statLine(202, 'w2', 'S', { threads: 3, utime: 50, stime: 25, start: 8_640_000, cpu: 1 }),
    },
  });
  // A leader that called pthread_exit: zombie, no cmdline of its own; state, memory and command from a live thread.
  proc(300, {
    stat: statLine(300, 'zl', 'Z', { threads: 3, vsize: 0, rss: 0, start: 7000 }),
    status: statusText('zl', 1000, null),
    cmdline: '',
    tasks: {
      300: statLine(300, 'zl', 'Z', { threads: 3, vsize: 0, rss: 0, start: 7000 }),
      301: statLine(301, 'zl-a', 'S', { threads: 3, vsize: 77_000_000, rss: 321, start: 7001, utime: 9 }),
      302: statLine(302, 'zl-b', 'D', { threads: 3, vsize: 77_000_000, rss: 321, start: 7002 }),
    },
  });
  mkdirSync(join(root, '300', 'task', '302'), { recursive: true });
  writeFileSync(join(root, '300', 'task', '302', 'cmdline'), 'from-thread\0arg\0');
  proc(400, { stat: statLine(400, 'gone', 'Z', { vsize: 0, rss: 0 }), status: statusText('gone', 0, null), cmdline: '' });
  proc(500, {
    stat: statLine(500, 'kworker/0:1', 'I', { flags: 0x208040, ppid: 2, vsize: 0, rss: 0 }),
    status: statusText('kworker/0:1', 0, null),
    cmdline: '',
  });
  proc(600, { stat: statLine(600, 'nostatus', 'S', { rss: 77 }), status: 'dir', cmdline: 'x\0' });
  proc(700, { stat: statLine(700, 'badstatus', 'S', { rss: 78 }), status: 'Name:\tbadstatus\nUid:\t5\n', cmdline: 'y\0' });
  proc(800, { stat: 'not a stat line', status: statusText('x', 0, 1), cmdline: 'z\0' });
  proc(900, { stat: 'dir', status: statusText('x', 0, 1), cmdline: 'z\0' });
  proc(1000, { stat: statLine(1000, 'notasks', 'S', { threads: 2 }), status: statusText('notasks', 0, 10), cmdline: 'nt\0' });
  proc(1100, {
    stat: statLine(1100, 'broken', 'S', { threads: 4 }),
    status: statusText('broken', 0, 10),
    cmdline: 'br\0',
    tasks: {
      1100: statLine(1100, 'broken', 'S', { threads: 4 }),
      1101: 'garbage',
      1102: 'nostat',
      1103: statLine(1103, 'ok', 'S', { threads: 4 }),
    },
  });
  proc(1300, { stat: statLine(1300, Buffer.from([0xff, 0xfe, 0x41]), 'S', {}), status: statusText('x', 0, 1), cmdline: 'dir' });
  proc(1400, { stat: statLine(1400, 'nul', 'S', {}), status: statusText('nul', 0, 1), cmdline: '\0' });
  // Without stat: a process that exited between the listing and the read; left out without a word.
  mkdirSync(join(root, '1500'));
  mkdirSync(join(root, 'self'));
  for (let pid = 2000; pid < 2080; pid++) {
    proc(pid, {
      stat: statLine(pid, `p${pid}`, 'S', { start: pid * 10, utime: pid }),
      status: statusText('p', pid % 3 === 0 ? 0 : 65534, pid),
      cmdline: `p\0${pid}\0`,
    });
  }
  return root;
}

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
        lines.some((l) => /^nobody +1200 .* a\\xff \[31m b c {2}d$/.test(l)),
        'control bytes as spaces, invalid UTF-8 as \\xNN',
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
