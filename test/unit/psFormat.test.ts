// The `ps -eLF` columns that come from a rule rather than from a file: STIME chosen by the calendar in local
// time, and the CMD text procps builds from a command line. The live comparison with the real ps is in
// psCommand.test.ts; here the rules meet the cases a live machine cannot stage (yesterday, last year).
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { commandColumn, commandLineText, formatStime, psCommandShown, psRows, renderPsTable, type PsRow } from '../../src/core/psFormat';
import { mainThreadOf, type ProcessInfo, type Snapshot } from '../../src/core/model';
import { fakeProcess } from './fakeProcess';
import { visible } from '../../src/shared/visible';

const savedTz = process.env.TZ;
after(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

/** formatStime of two ISO instants in a time zone (Node applies a TZ set at run time to the next Date). */
function stime(tz: string, start: string, now: string): string {
  process.env.TZ = tz;
  return formatStime(Date.parse(start), Date.parse(now));
}

describe('STIME by the calendar in local time', () => {
  it('shows the month and day for yesterday, however few hours ago', () => {
    // 20:33 on 30 November in Seoul, read at 10:00 the next morning: 13.5 hours old.
    assert.equal(stime('Asia/Seoul', '2026-11-30T11:33:00Z', '2026-12-01T01:00:00Z'), 'Nov30');
    // One minute before local midnight, read two minutes later.
    assert.equal(stime('Asia/Seoul', '2026-11-30T14:59:00Z', '2026-11-30T15:01:00Z'), 'Nov30');
  });

  it('shows the time of day for today, from local midnight on', () => {
    assert.equal(stime('Asia/Seoul', '2026-11-30T15:01:00Z', '2026-12-01T01:00:00Z'), '00:01');
    assert.equal(stime('Asia/Seoul', '2026-12-01T01:00:00Z', '2026-12-01T01:00:00Z'), '10:00');
    // 23 hours on the clock but the same day, across the start of summer time in New York (01:30 EST to 23:00 EDT).
    assert.equal(stime('America/New_York', '2026-03-08T06:30:00Z', '2026-03-09T03:00:00Z'), '01:30');
  });

  it('decides the day in local time, not in UTC', () => {
    // 23:59 UTC on 30 November and 00:30 UTC on 1 December: another day in UTC, the same day (1 December) in Seoul.
    assert.equal(stime('UTC', '2026-11-30T23:59:00Z', '2026-12-01T00:30:00Z'), 'Nov30');
    assert.equal(stime('Asia/Seoul', '2026-11-30T23:59:00Z', '2026-12-01T00:30:00Z'), '08:59');
    // 14:59 UTC on 30 November is 23:59 in Seoul: the same day in UTC, yesterday in Seoul.
    assert.equal(stime('UTC', '2026-11-30T14:59:00Z', '2026-11-30T15:30:00Z'), '14:59');
    assert.equal(stime('Asia/Seoul', '2026-11-30T14:59:00Z', '2026-11-30T15:30:00Z'), 'Nov30');
  });

  it('shows the year for a process of another year, even one started minutes before New Year', () => {
    assert.equal(stime('Asia/Seoul', '2026-12-31T14:59:00Z', '2026-12-31T15:30:00Z'), '2026');
    // 364 days old: within 365 days, but last year.
    assert.equal(stime('UTC', '2025-12-02T09:00:00Z', '2026-12-01T09:00:00Z'), '2025');
    assert.equal(stime('UTC', '2024-03-07T09:05:00Z', '2026-11-22T12:00:00Z'), '2024');
  });

  it('shows the month and day for an earlier day of this year, and for a start time after now', () => {
    assert.equal(stime('UTC', '2026-01-01T00:00:00Z', '2026-12-31T23:59:00Z'), 'Jan01');
    assert.equal(stime('UTC', '2026-03-07T09:05:00Z', '2026-11-22T12:00:00Z'), 'Mar07');
    // A clock set back after the process started: another day, this year.
    assert.equal(stime('UTC', '2026-12-02T09:00:00Z', '2026-12-01T09:00:00Z'), 'Dec02');
  });

  it('gives psRows the same STIME for every thread started on the same day', () => {
    process.env.TZ = 'UTC';
    const boot = Date.parse('2026-11-30T20:00:00Z');
    const now = Date.parse('2026-12-01T09:00:00Z');
    const process_ = processWith(['x'], 'S');
    // The leader started at 20:33 yesterday (12.5 hours before now), its second thread at 08:00 today.
    const threads = [
      { ...process_.threads![0]!, startTicks: 33 * 60 * 100 },
      { ...process_.threads![0]!, tid: 11, startTicks: 12 * 3600 * 100 },
    ];
    const rows = psRows(snapshotOf({ ...process_, threads }, boot, now), 1000);
    assert.deepEqual(
      rows.map((r) => r.STIME),
      ['Nov30', '08:00'],
    );
  });
});

describe('CMD as procps builds it', () => {
  it('joins the arguments with spaces and leaves out the NULs at the end', () => {
    assert.equal(commandLineText(['sleep', '100']), 'sleep 100');
    // A title rewritten shorter than the original command line (process.title, setproctitle): NUL padding.
    assert.equal(commandLineText(['short', '', '', '', '']), 'short');
    // Empty arguments inside the command line stay, one space each; spaces of an argument stay, at the end too.
    assert.equal(commandLineText(['a', '', 'b', '']), 'a  b');
    assert.equal(commandLineText(['trail  ', '']), 'trail  ');
    assert.equal(commandLineText(['', '100']), ' 100');
  });

  it('shows a command line of nothing but NULs as ?, and none at all as the name in brackets', () => {
    assert.equal(commandLineText(['']), '?');
    assert.equal(commandLineText(['', '', '']), '?');
    assert.equal(commandLineText([]), null);
    assert.equal(commandColumn(processWith([''], 'S')), '?');
    assert.equal(commandColumn(processWith([], 'S')), '[fake]');
    assert.equal(commandColumn(processWith(null, 'S')), '[fake]');
    assert.equal(commandColumn(processWith([], 'Z')), '[fake] <defunct>');
  });

  it('turns a newline of the command line into a space, and prints every other control character as ?', () => {
    assert.equal(commandLineText(['sh', '-c', 'echo a\nb']), 'sh -c echo a b');
    assert.equal(psCommandShown('a\tb\x1b[31m\x7f\x07\r\u0085\u009f c'), 'a?b?[31m????? c');
    assert.equal(psCommandShown('é 한글 \u00a0'), 'é 한글 \u00a0');
    // A newline in a kernel thread's or zombie's name is not a command line's: ps prints it as ?.
    assert.equal(psCommandShown(commandColumn({ ...processWith([], 'Z'), name: 'z\x1b[1m\tq\nw' })), '[z?[1m?q?w] <defunct>');
  });

  it('renders CMD like ps in the copied table, the rest of its OS text still escaped visibly', () => {
    const row: PsRow = {
      UID: 'root',
      PID: '1',
      PPID: '0',
      LWP: '1',
      C: '0',
      NLWP: '1',
      SZ: '0',
      RSS: '0',
      PSR: '0',
      STIME: '00:00',
      TTY: '?',
      TIME: '00:00:00',
      CMD: 'a\tb\x1b[31m \u202e \udcff',
    };
    assert.equal(renderPsTable([row], visible).split('\n')[1]!.split('00:00:00 ')[1], 'a?b?[31m \\u202E \\xff');
  });
});

/** A process of one thread (its leader) with the given command line and state. */
function processWith(cmdline: string[] | null, state: 'S' | 'Z'): ProcessInfo {
  const p = fakeProcess(10, { name: 'fake', cmdline, state });
  return { ...p, threads: [mainThreadOf(p)] };
}

function snapshotOf(p: ProcessInfo, bootTime: number, timestamp: number): Snapshot {
  return {
    backend: 'procfs',
    timestamp,
    intervalMs: null,
    system: { bootTime, clockTicks: 100, pageSize: 4096, cpuCount: 1, memTotal: null, hostname: 'test', platform: 'linux' },
    processes: [p],
    unavailableFields: [],
  };
}
