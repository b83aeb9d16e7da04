// `procscope record` and `procscope replay` at their edges, as users run them (dist/cli.js): replay escapes
// everything it prints from the file, reads a bounded amount (an endless device, a gzip bomb, a file larger
// than its bound) and still reads pipes; record stops on the clock, leaves an existing file alone when it fails
// before its first tick, reports the same span replay does, and says how far it got when the disk fills.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { renderTree } from '../../src/cli/snapshot';
import { encodeLine } from '../../src/core/record/format';
import { readRecording, type Recording } from '../../src/core/record/reader';
import { setLang } from '../../src/cli/messages';
import { buildBundle, bundle, CLI } from './cliBundle.helpers';

const dir = mkdtempSync(join(tmpdir(), 'procscope-bounds-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Raw bytes that act on a terminal: ESC, BEL, CSI as one C1 byte, a right-to-left override. */
// eslint-disable-next-line no-control-regex
const RAW = /[\x1b\x07\x9b\u202e]/u;

/** The lines of a recording, decompressed and parsed. */
function linesOf(file: string): Record<string, unknown>[] {
  return gunzipSync(readFileSync(file))
    .toString('utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** A recording of the given lines, one gzip member each, as record writes it. */
function writeLines(file: string, lines: readonly unknown[]): void {
  writeFileSync(file, Buffer.concat(lines.map((l) => encodeLine(l))));
}

let base: string;
before(() => {
  buildBundle();
  base = join(dir, 'base.ndjson.gz');
  const r = bundle(['record', '--interval', '100', '--seconds', '0.3', '-o', base]);
  assert.equal(r.status, 0, r.stderr);
});

describe('procscope replay: every value from the file is printed escaped', () => {
  it('escapes the header, the unavailable fields and the hidden-task reasons of a crafted file', () => {
    const lines = linesOf(base);
    const header = lines[0] as Record<string, unknown>;
    header.host = 'evil\x1b]0;owned\x07';
    header.producer = 'me\u202eexe';
    const full = (lines[1] as { full: Record<string, unknown> }).full;
    full.unavailableFields = ['\x1b[31mred\x1b[0m', '\x9b2J'];
    full.hidden = [{ count: 1, unit: 'tasks', reason: '\x1b[2Jgone' }];
    const file = join(dir, 'crafted.ndjson.gz');
    writeLines(file, lines);
    const r = bundle(['replay', file, '--tick', '0', '--events']);
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stdout + r.stderr, RAW);
    assert.match(r.stdout, /cannot read: \\x1b\[31mred\\x1b\[0m, \\x9b2J\./);
    assert.match(r.stdout, /recording of evil\\x1b\]0;owned\\x07, /);
    assert.match(r.stdout, /made by me\\u202Eexe\)/);
  });

  it('the tree escapes state, pid, thread count, thread state and id, and the backend, whatever their type', async () => {
    setLang('en');
    const snap = (await readRecording(base)).snapshotAt(0);
    const p = { ...snap.processes[0]!, state: '\x1b[2J', numThreads: '\x1b[5m' as unknown as number, pid: '\x9b1m' as unknown as number };
    const th = { ...p, tid: '\x1b[7m' as unknown as number, state: '\x07', name: 't' };
    const crafted = {
      ...snap,
      backend: '\x1b[41m' as 'procfs',
      unavailableFields: ['\x1b[1m'],
      processes: [{ ...p, threads: [th, { ...th, tid: 2 }] }],
    };
    const text = renderTree(crafted as unknown as typeof snap);
    assert.doesNotMatch(text, RAW);
    assert.match(text, /\\x9b1m \\x1b\[2J \\x1b\[5m/);
    assert.match(text, / \\x07 .*LWP \\x1b\[7m t/);
    assert.match(text, /The \\x1b\[41m backend cannot read: \\x1b\[1m\./);
  });
});

describe('procscope replay: huge and crafted recordings', () => {
  /** The header and first tick of the real recording, and delta lines built from its first process. */
  function parts(): { header: Record<string, unknown>; first: Record<string, unknown>; proc: Record<string, unknown>; at: number } {
    const lines = linesOf(base);
    const first = lines[1]!;
    const proc = (first.full as { processes: Record<string, unknown>[] }).processes[0]!;
    return { header: lines[0]!, first, proc, at: first.at as number };
  }
  function delta(tick: number, at: number, body: Record<string, unknown>): Record<string, unknown> {
    return { tick, at, forks: 0, delta: { timestamp: at, intervalMs: 1000, added: [], removed: [], changed: [], ...body } };
  }

  it('lists 140,000 births and exits with --events (no call-stack overflow on long lists)', () => {
    const { header, first, proc, at } = parts();
    const lines: unknown[] = [header, first];
    let prev: string[] = [];
    let pid = 4_000_000;
    for (let k = 1; k <= 70; k++) {
      const added = Array.from({ length: 1000 }, () => {
        pid++;
        return { ...proc, pid, ppid: 1, key: `${pid}@${k}`, name: 'cc1' };
      });
      lines.push(delta(k, at + k * 1000, { added, removed: prev }));
      prev = added.map((p) => p.key);
    }
    const file = join(dir, 'events.ndjson.gz');
    writeLines(file, lines);
    const r = bundle(['replay', file, '--events']);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(r.stdout.split('\n').length > 139_000, `${r.stdout.split('\n').length} lines`);
    // And 200,000 notes of hidden tasks in one tick.
    const crafted = structuredClone(first) as { full: Record<string, unknown> };
    crafted.full.hidden = Array.from({ length: 200_000 }, () => ({ count: 1, unit: 'tasks', reason: 'x' }));
    writeLines(file, [header, crafted]);
    const h = bundle(['replay', file]);
    assert.equal(h.status, 0, h.stderr);
  });

  it('a producer that is not text, a __proto__ change, an unset of a required field: read or refused, never a crash', () => {
    const { header, first, proc, at } = parts();
    const key = proc.key as string;
    const file = join(dir, 'crafted2.ndjson');
    writeFileSync(file, [{ ...header, producer: 7 }, first].map((l) => JSON.stringify(l)).join('\n') + '\n');
    let r = bundle(['replay', file]);
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /made by 7/);
    // An own "__proto__" key, as only JSON text can make one: the change would replace the process's prototype.
    const proto = JSON.stringify(delta(1, at + 1000, {})).replace(
      '"changed":[]',
      `"changed":[{"key":${JSON.stringify(key)},"__proto__":{"threads":"xyz"}}]`,
    );
    writeFileSync(file, [JSON.stringify(header), JSON.stringify(first), proto].join('\n') + '\n');
    r = bundle(['replay', file]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /cut off after tick 0: the rest is unreadable \(a line is not the next tick, line 3\)/);
    for (const field of ['pid', 'name', 'state', 'cmdline', 'key']) {
      const unset = delta(1, at + 1000, { changed: [{ key, unset: [field] }] });
      writeFileSync(file, [header, first, unset].map((l) => JSON.stringify(l)).join('\n') + '\n');
      r = bundle(['replay', file]);
      assert.equal(r.status, 0, `${field}: ${r.stderr}`);
      assert.match(r.stderr, /cut off after tick 0/, field);
      assert.doesNotMatch(r.stdout, /undefined/, field);
    }
  });

  it('a tick stamped before the one before and a fork count of 1e300: no negative span, no such count', () => {
    const { header, first, at } = parts();
    const back = { ...delta(1, at - 1e12, {}), forks: 1e300 };
    const file = join(dir, 'backwards.ndjson');
    writeFileSync(file, [header, first, back].map((l) => JSON.stringify(l)).join('\n') + '\n');
    const r = bundle(['replay', file]);
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /over -|1e\+300/);
    assert.match(r.stdout, /2 ticks over 0\.0 s/);
  });
});

describe('procscope replay: a bounded read', () => {
  it('refuses /dev/zero at once instead of reading it forever', () => {
    const r = bundle(['replay', '/dev/zero'], { timeout: 30_000 });
    assert.equal(r.signal, null, 'still reading after 30 s');
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /\/dev\/zero is not a ProcScope recording: its first line is not a ProcScope recording header/);
  });

  it('refuses a gzip bomb (more than 1 GiB once decompressed) with a clear message', () => {
    // 17 members of 64 MiB of zeros: 1.06 GiB of text in 1 MB of file.
    const member = gzipSync(Buffer.alloc(64 << 20), { level: 9 });
    const bomb = join(dir, 'bomb.ndjson.gz');
    writeFileSync(bomb, Buffer.concat(Array<Buffer>(17).fill(member)));
    const r = bundle(['replay', bomb], { timeout: 120_000 });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /bomb\.ndjson\.gz is larger than 1073741824 bytes once decompressed \(damaged, or a gzip bomb\): not read/);
    rmSync(bomb);
  });

  it('reads the first 1 GiB of a larger file and says only its start was read', () => {
    // A recording followed by a hole: 1.1 GiB on disk, nearly none of it stored.
    const big = join(dir, 'big.ndjson.gz');
    copyFileSync(base, big);
    truncateSync(big, 1100 * 1024 * 1024);
    const ticks = linesOf(base).length - 1;
    const r = bundle(['replay', big], { timeout: 120_000 });
    rmSync(big);
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(`warning: .*big\\.ndjson\\.gz holds more than 1073741824 bytes: only its start was read, up to tick ${ticks - 1}\\n`),
    );
    assert.match(r.stdout, new RegExp(`process table at tick ${ticks - 1} `));
  });

  it('reads a pipe: /dev/stdin and a process substitution', () => {
    const ticks = linesOf(base).length - 1;
    const env = { ...process.env, LANG: 'C.UTF-8', LC_ALL: '', PROCSCOPE_LANG: '' };
    // A shell's pipe and process substitution (Node's own stdio pipes are sockets, which /dev/stdin cannot open).
    for (const command of [
      `cat "${base}" | "${process.execPath}" "${CLI}" replay /dev/stdin`,
      `"${process.execPath}" "${CLI}" replay <(zcat "${base}")`,
    ]) {
      const r = spawnSync('bash', ['-c', command], { encoding: 'utf8', env });
      assert.equal(r.status, 0, `${command}: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`^${ticks} ticks over`, 'm'), command);
    }
  });

  it('reads a FIFO up to the bound it is given, and marks the rest as not read', async () => {
    const fifo = join(dir, 'fifo');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    const size = readFileSync(base).length;
    // Twice the recording through the pipe, read up to the recording's size: all of it, and a note of more.
    const writer = spawn('sh', ['-c', `cat "${base}" "${base}" > "${fifo}"`]);
    const rec: Recording = await readRecording(fifo, { maxFileBytes: size });
    writer.kill();
    assert.equal(rec.ticks.length, linesOf(base).length - 1);
    assert.equal(rec.cutOff?.why, 'limit');
    const whole = spawn('sh', ['-c', `cat "${base}" > "${fifo}"`]);
    const done = new Promise((resolve) => whole.on('exit', resolve));
    const all = await readRecording(fifo, { maxFileBytes: size });
    await done;
    assert.equal(all.cutOff, undefined, 'exactly the bound, and nothing more, is not cut');
  });
});

describe('procscope replay: a file cut before its first tick', () => {
  it('says so, in English and in Korean, instead of "after tick -1"', () => {
    const lines = linesOf(base);
    const cut = join(dir, 'cut-first.ndjson.gz');
    writeFileSync(cut, Buffer.concat([encodeLine(lines[0]), gzipSync(JSON.stringify(lines[1]).slice(0, 200))]));
    const en = bundle(['replay', cut]);
    assert.equal(en.status, 0, en.stderr);
    assert.match(
      en.stderr,
      /warning: the recording is cut off before its first tick: the rest is unreadable \(the file ends in the middle of a tick, line 2\)/,
    );
    assert.match(en.stdout, /the recording holds no ticks/);
    const ko = bundle(['replay', cut, '--lang', 'ko']);
    assert.match(ko.stderr, /경고: 기록이 첫 틱 전에 잘렸습니다/);
    assert.doesNotMatch(en.stderr + ko.stderr, /-1/);
  });
});

/** "1.2" of "12 ticks over 1.2 s", in record's closing line or replay's span line. */
function spanOf(text: string): string {
  const m = /ticks over (\d+\.\d) s/.exec(text);
  assert.ok(m, text);
  return m[1]!;
}

describe('procscope record: stopping on the clock, failing early, reporting its span', () => {
  it('--seconds is elapsed time from the first tick even when polls are slower than the interval', async () => {
    // 3,000 threads make a poll with --threads far slower than 10 ms: 150 ticks would take many seconds.
    const crowd = spawn(
      'python3',
      [
        '-c',
        'import threading, time\nfor _ in range(3000): threading.Thread(target=time.sleep, args=(60,), daemon=True).start()\nprint("up", flush=True)\ntime.sleep(60)',
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    try {
      await new Promise<void>((resolve) => crowd.stdout!.once('data', () => resolve()));
      const file = join(dir, 'clock.ndjson.gz');
      const r = bundle(['record', '--threads', '--interval', '10', '--seconds', '1.5', '-o', file], { timeout: 60_000 });
      assert.equal(r.status, 0, r.stderr);
      const rec = await readRecording(file);
      const at = rec.ticks.map((tk) => tk.at - rec.ticks[0]!.at);
      assert.ok(at.length >= 3, `${at.length} ticks`);
      assert.ok(at.length < 151, 'the polls were slower than the interval: fewer ticks than 1.5 s / 10 ms');
      // The last tick started at or before 1.5 s (it started after the one before it ended) ...
      assert.ok(at.at(-2)! <= 1500 + 50, `the tick before the last ended at ${at.at(-2)} ms`);
      // ... and the run lasted until then: no tick was left out before the limit.
      assert.ok(at.at(-1)! >= 1400, `the last tick at ${at.at(-1)} ms`);
      assert.equal(spanOf(r.stderr), (rec.durationMs / 1000).toFixed(1));
    } finally {
      crowd.kill('SIGKILL');
    }
  });

  it('reports the span replay reports: first tick to last', () => {
    const file = join(dir, 'span.ndjson.gz');
    const r = bundle(['record', '--threads', '--interval', '100', '--seconds', '1', '-o', file]);
    assert.equal(r.status, 0, r.stderr);
    const replay = bundle(['replay', file]);
    assert.equal(replay.status, 0, replay.stderr);
    assert.equal(spanOf(r.stderr), spanOf(replay.stdout));
  });

  it('leaves an existing file untouched when --max-size is too small for the first tick', () => {
    const file = join(dir, 'precious.txt');
    writeFileSync(file, 'precious\n');
    const r = bundle(['record', '-o', file, '--max-size', '1']);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /smaller than the header and the first full snapshot: nothing recorded/);
    assert.equal(readFileSync(file, 'utf8'), 'precious\n');
  });

  it('leaves an existing file untouched when the first poll fails (a procfs without btime)', () => {
    const file = join(dir, 'precious2.txt');
    writeFileSync(file, 'precious\n');
    const root = join(dir, 'fakeproc');
    mkdirSync(join(root, '1'), { recursive: true });
    writeFileSync(join(root, 'stat'), 'cpu  1 2 3 4 5 6 7 8 9 10\n');
    const r = bundle(['record', '-o', file, '--proc-root', root]);
    assert.equal(r.status, 5, r.stderr);
    assert.match(r.stderr, /has no btime line/);
    assert.equal(readFileSync(file, 'utf8'), 'precious\n');
  });

  it('on a full device says that nothing was written, not only the errno', () => {
    const r = bundle(['record', '-o', '/dev/full', '--seconds', '1']);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /stopped: writing to \/dev\/full failed \(no space left on the device\) before any tick was written/);
    const ko = bundle(['record', '-o', '/dev/full', '--seconds', '1', '--lang', 'ko']);
    assert.match(ko.stderr, /\/dev\/full에 쓰기 실패 \(장치에 남은 공간이 없음\); 틱을 하나도 쓰지 못함/);
  });

  it('on a disk that fills up says how many ticks were written, and the file reads to the last of them', () => {
    // A tmpfs of its own (a mount namespace) with room for the header, the first snapshot (about as large as
    // the one recorded just before) and some ticks after it.
    const lines = linesOf(base);
    const first = encodeLine(lines[0]).length + encodeLine(lines[1]).length;
    const kib = Math.ceil((first + 24 * 1024) / 4096) * 4;
    const mnt = join(dir, 'small');
    mkdirSync(mnt);
    const file = join(mnt, 'r.ndjson.gz');
    const script = `mount -t tmpfs -o size=${kib}k tmpfs "${mnt}" && "${process.execPath}" "${CLI}" record --interval 20 --seconds 30 -o "${file}"; code=$?; "${process.execPath}" "${CLI}" replay --json "${file}"; exit $code`;
    const r = spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script], {
      encoding: 'utf8',
      timeout: 60_000,
      maxBuffer: 256 << 20,
      env: { ...process.env, LANG: 'C.UTF-8', LC_ALL: '', PROCSCOPE_LANG: '' },
    });
    assert.equal(r.status, 1, r.stderr);
    const m =
      /stopped: writing to .*r\.ndjson\.gz failed \(no space left on the device\) after (\d+) whole ticks; the file reads up to the last of them/.exec(
        r.stderr,
      );
    assert.ok(m, r.stderr);
    const doc = JSON.parse(r.stdout) as { summary: { ticks: number } };
    assert.ok(Number(m[1]) >= 1);
    assert.equal(doc.summary.ticks, Number(m[1]));
  });
});
