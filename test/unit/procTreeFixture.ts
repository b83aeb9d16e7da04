// A procfs-like tree holding every case a reader of /proc must agree with the sampler on (zombie leader,
// unreadable or malformed status and stat, unreadable threads, a gone task/, invalid UTF-8 and control bytes,
// unsorted pids), shared by the tests of the CLI's one-shot readers.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const temps: string[] = [];

/** Removes the trees made so far (call from the test file's after()). */
export function removeFixtureTrees(): void {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** stat fields 4..52 after "pid (comm) state", with the ones ps shows set. */
export function statLine(
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

export function statusText(name: string, euid: number | null, vmRssKb: number | null): string {
  const ids = euid === null ? '' : `Uid:\t${euid}\t${euid}\t${euid}\t${euid}\nGid:\t0\t0\t0\t0\n`;
  const vm = vmRssKb === null ? '' : `VmPeak:\t   20000 kB\nVmSize:\t   10000 kB\nVmRSS:\t    ${vmRssKb} kB\n`;
  return `Name:\t${name}\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t1\nPid:\t1\nPPid:\t0\n${ids}FDSize:\t64\nGroups:\t\n${vm}Threads:\t1\n`;
}

/**
 * A procfs-like tree with every case the two readers must agree on, plus `bulk` plain processes (80 by
 * default; more give a second reading thread runs to take).
 */
export function fixtureTree(bulk = 80): string {
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
  for (let pid = 2000; pid < 2000 + bulk; pid++) {
    proc(pid, {
      stat: statLine(pid, `p${pid}`, 'S', { start: pid * 10, utime: pid }),
      status: statusText('p', pid % 3 === 0 ? 0 : 65534, pid),
      cmdline: `p\0${pid}\0`,
    });
  }
  return root;
}
