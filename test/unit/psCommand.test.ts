// CMD and STIME of `procscope ps` against the real `ps -eLF`, row for row and byte for byte, on processes
// this test starts with the command lines that are easy to get wrong: control characters in an argument, a
// title rewritten shorter than the command line (NUL padding), argv [""], an empty argv[0] before other
// arguments, zombies (one with control characters in its name). Both ways the table is built are compared:
// the command's own reader (readPsTable) and the panel's "copy as ps" (copyText: the sampler's snapshot
// through psRows and renderPsTable).
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { readPsTable } from '../../src/cli/ps';
import { ProcSampler } from '../../src/core/sampler';
import { copyText, uptimeSeconds } from '../../src/extension/copyText';

const children: ChildProcess[] = [];
after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

function start(command: string, args: string[], argv0?: string): ChildProcess {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'], ...(argv0 !== undefined ? { argv0 } : {}) });
  children.push(child);
  return child;
}

function cmdline(pid: number): Buffer | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`);
  } catch {
    return undefined;
  }
}

async function until(what: string, probe: () => boolean): Promise<void> {
  const end = Date.now() + 15_000;
  while (!probe()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** The first line a child prints. */
function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (d: Buffer) => {
      text += d.toString('utf8');
      if (text.includes('\n')) resolve(text.slice(0, text.indexOf('\n')));
    });
    child.once('exit', (code) => reject(new Error(`exited (${code}) before it was ready`)));
  });
}

interface Row {
  UID: string;
  PID: string;
  PPID: string;
  LWP: string;
  NLWP: string;
  STIME: string;
  TTY: string;
  CMD: string;
}

/**
 * The rows of a `ps -eLF` table by PID/LWP. CMD is everything after the single space that follows TIME, kept
 * exactly (leading and trailing spaces included): no column before it holds a space.
 */
function parseTable(text: string): Map<string, Row> {
  const rows = new Map<string, Row>();
  const lines = text.split('\n');
  assert.match(lines[0]!, /^UID +PID +PPID +LWP +C +NLWP +SZ +RSS +PSR +STIME +TTY +TIME +CMD$/);
  for (const line of lines.slice(1)) {
    if (line === '') continue;
    const m = /^(\S+) +(\d+) +(\d+) +(\d+) +\S+ +(\d+) +\S+ +\S+ +\S+ +(\S+) +(\S+) +\S+ (.*)$/.exec(line);
    assert.ok(m, `a row of the table: ${JSON.stringify(line)}`);
    const [, UID, PID, PPID, LWP, NLWP, STIME, TTY, CMD] = m as unknown as string[];
    rows.set(`${PID}/${LWP}`, { UID: UID!, PID: PID!, PPID: PPID!, LWP: LWP!, NLWP: NLWP!, STIME: STIME!, TTY: TTY!, CMD: CMD! });
  }
  return rows;
}

function realPs(): Map<string, Row> {
  // A UTF-8 locale, as the text procscope prints is UTF-8 (in the C locale ps prints other bytes as ?).
  const r = spawnSync('ps', ['-eLF'], { env: { ...process.env, LC_ALL: 'C.UTF-8' }, maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, String(r.stderr));
  return parseTable(r.stdout.toString('utf8'));
}

/** The panel's "copy as ps -eLF line" of each of `pids`, from one poll of the sampler, as one table. */
function copiedTable(pids: readonly number[]): Map<string, Row> {
  const sampler = new ProcSampler({ exe: false });
  const snapshot = sampler.pollSync({ threads: pids });
  sampler.dispose();
  const rows = new Map<string, Row>();
  for (const pid of pids) {
    const p = snapshot.processes.find((x) => x.pid === pid);
    assert.ok(p, `the sampler sees ${pid}`);
    for (const [key, row] of parseTable(`${copyText(p, snapshot, 'ps', uptimeSeconds(snapshot.system.bootTime))}\n`)) rows.set(key, row);
  }
  return rows;
}

const PY_SLEEP =
  'import threading, time\nthreading.Thread(target=time.sleep, args=(60,)).start()\nprint("ready", flush=True)\ntime.sleep(60)';
const PY_ZOMBIE = [
  'import ctypes, os, sys, time',
  'pid = os.fork()',
  'if pid == 0:',
  '    if len(sys.argv) > 1: ctypes.CDLL(None).prctl(15, ctypes.c_char_p(sys.argv[1].encode()), 0, 0, 0)',
  '    os._exit(0)',
  'while open(f"/proc/{pid}/stat", "rb").read().rsplit(b") ", 1)[1][:1] != b"Z": time.sleep(0.01)',
  'print(pid, flush=True)',
  'time.sleep(60)',
].join('\n');

describe('procscope ps prints CMD and STIME as ps -eLF does', () => {
  /** pid -> what its CMD must read (checked against ps too, so the cases are what this test says they are). */
  const expected = new Map<number, string>();
  before(async () => {
    const controls = start('python3', [
      '-c',
      PY_SLEEP,
      'tab\there',
      'esc\x1b[31mred',
      'new\nline',
      'del\x7f',
      'c1\u0085',
      'bell\x07',
      'é 한글',
    ]);
    const padded = start('python3', ['-c', PY_SLEEP, 'a', '', 'b', '  spaces  ', '', '', '']);
    const retitled = start(process.execPath, [
      '-e',
      'process.title = "short"; console.log("ready"); setTimeout(() => {}, 60000)',
      'pad'.repeat(20),
    ]);
    const retitledControls = start(process.execPath, [
      '-e',
      'process.title = "ti\\ttle\\x1b "; console.log("ready"); setTimeout(() => {}, 60000)',
      'pad'.repeat(20),
    ]);
    const untitled = start(process.execPath, [
      '-e',
      'process.title = ""; console.log("ready"); setTimeout(() => {}, 60000)',
      'pad'.repeat(20),
    ]);
    const emptyArgv = start('/bin/cat', [], ''); // argv [""]: cat reads the pipe this test keeps open
    const emptyArgv0 = start('/bin/sleep', ['60'], '');
    const zombieParent = start('python3', ['-c', PY_ZOMBIE, 'z\x1b[1m\tq\nw']);
    const plainZombieParent = start('python3', ['-c', PY_ZOMBIE]);
    const [, , , , , , zombie, plainZombie] = await Promise.all([
      firstLine(controls),
      firstLine(padded),
      firstLine(retitled),
      firstLine(retitledControls),
      firstLine(untitled),
      until('cat to run with argv [""]', () => cmdline(emptyArgv.pid!)?.equals(Buffer.of(0)) === true),
      firstLine(zombieParent),
      firstLine(plainZombieParent),
    ]);
    await until('sleep to run with an empty argv[0]', () => cmdline(emptyArgv0.pid!)?.toString('latin1') === '\x0060\x00');
    expected.set(
      controls.pid!,
      '-c import threading, time threading.Thread(target=time.sleep, args=(60,)).start() print("ready", flush=True) time.sleep(60) tab?here esc?[31mred new line del? c1? bell? é 한글',
    );
    expected.set(
      padded.pid!,
      '-c import threading, time threading.Thread(target=time.sleep, args=(60,)).start() print("ready", flush=True) time.sleep(60) a  b   spaces  ',
    );
    expected.set(retitled.pid!, 'short');
    expected.set(retitledControls.pid!, 'ti?tle? ');
    expected.set(untitled.pid!, '?');
    expected.set(emptyArgv.pid!, '?');
    expected.set(emptyArgv0.pid!, ' 60');
    expected.set(Number(zombie), '[z?[1m?q?w] <defunct>');
    const plainName = readFileSync(`/proc/${plainZombie}/comm`, 'utf8').replace(/\n$/, '');
    expected.set(Number(plainZombie), `[${plainName}] <defunct>`);
    // The title padding is really there: NULs after the new title, up to the end of the old command line.
    assert.match(cmdline(retitled.pid!)!.toString('latin1'), /^short\0\0\0+$/);
  });

  for (const how of ['the command (readPsTable)', 'copy as ps (copyText)'] as const) {
    it(`gives each of these processes the rows and CMD of ps, byte for byte: ${how}`, async () => {
      const ours =
        how === 'the command (readPsTable)' ? parseTable((await readPsTable('/proc', 'never')).text()) : copiedTable([...expected.keys()]);
      const theirs = realPs();
      for (const [pid, cmd] of expected) {
        const mine = [...ours.values()].filter((r) => r.PID === String(pid));
        const ps = [...theirs.values()].filter((r) => r.PID === String(pid));
        assert.ok(ps.length > 0, `ps lists ${pid}`);
        assert.deepEqual(
          mine.map((r) => `${r.PID}/${r.LWP}`),
          ps.map((r) => `${r.PID}/${r.LWP}`),
          `the rows of ${pid}`,
        );
        for (const [i, row] of ps.entries()) {
          // CMD ends the line: compare its bytes as the terminal gets them.
          assert.deepEqual(Buffer.from(mine[i]!.CMD, 'utf8'), Buffer.from(row.CMD, 'utf8'), `CMD of ${row.PID}/${row.LWP}`);
          for (const c of ['UID', 'PPID', 'NLWP', 'STIME', 'TTY'] as const)
            assert.equal(mine[i]![c], row[c], `${c} of ${row.PID}/${row.LWP}`);
        }
        // What ps prints is what this test expects, so the comparison above is over these cases.
        assert.ok(ps[0]!.CMD.endsWith(expected.get(pid)!), `${JSON.stringify(ps[0]!.CMD)} ends with ${JSON.stringify(cmd)}`);
      }
      // The threaded python has two rows, each with the command line.
      const threaded = [...expected.keys()][0]!;
      assert.equal([...theirs.values()].filter((r) => r.PID === String(threaded)).length, 2);
    });
  }

  it('keeps the control characters of CMD in --json, where nothing is printed to a terminal', async () => {
    const rows = (await readPsTable('/proc', 'never')).rows();
    const [controls, padded, retitled, retitledControls, untitled] = [...expected.keys()];
    const cmdOf = (pid: number): string => rows.find((r) => r.PID === String(pid))!.CMD;
    assert.ok(cmdOf(controls!).endsWith(' tab\there esc\x1b[31mred new line del\x7f c1\u0085 bell\x07 é 한글'));
    assert.ok(cmdOf(padded!).endsWith(' a  b   spaces  '));
    assert.equal(cmdOf(retitled!), 'short');
    assert.equal(cmdOf(retitledControls!), 'ti\ttle\x1b ');
    assert.equal(cmdOf(untitled!), '?');
  });

  it('gives every row the STIME ps gives it, yesterday and last year included', async () => {
    // Every task both list (kernel threads and the first processes show the boot day when the machine was
    // started on another day); a pid reused in between would show a different command line and is skipped.
    const day = new Date().toDateString();
    const ours = parseTable((await readPsTable('/proc', 'never')).text());
    const theirs = realPs();
    if (new Date().toDateString() !== day) return; // local midnight passed between the readings
    let compared = 0;
    for (const [key, row] of theirs) {
      const mine = ours.get(key);
      if (!mine || mine.CMD !== row.CMD) continue;
      assert.equal(mine.STIME, row.STIME, `STIME of ${key}`);
      compared++;
    }
    assert.ok(compared >= expected.size, `${compared} rows compared`);
  });
});
