// Rows in the format of `ps -eLF` (UID PID PPID LWP C NLWP SZ RSS PSR STIME TTY TIME CMD), computed the way
// procps computes each column, so a user can put the two side by side.
import type { ProcessInfo, Snapshot, ThreadInfo } from './model';

export const PS_COLUMNS = ['UID', 'PID', 'PPID', 'LWP', 'C', 'NLWP', 'SZ', 'RSS', 'PSR', 'STIME', 'TTY', 'TIME', 'CMD'] as const;

export type PsRow = Record<(typeof PS_COLUMNS)[number], string>;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** procps: the user name when it fits in 8 columns, else the number. */
function uidColumn(p: ProcessInfo): string {
  const name = p.euser ?? (p.euid === null ? '?' : String(p.euid));
  return name.length > 8 && p.euid !== null ? String(p.euid) : name;
}

/**
 * STIME as procps chooses it: by the calendar in local time, not by the process's age. The time of day
 * (HH:MM) when it started today, the month and day (MonDD) when it started on another day of this year,
 * else the year: a process started yesterday at 20:33 shows Nov30 even an hour later, and one started on
 * 31 December shows the year the next morning. Local time is the TZ of this process, as for ps.
 */
export function formatStime(startMs: number, nowMs: number): string {
  const d = new Date(startMs);
  const now = new Date(nowMs);
  if (Number.isNaN(d.getTime())) return '?';
  if (d.getFullYear() !== now.getFullYear()) return String(d.getFullYear());
  if (d.getMonth() !== now.getMonth() || d.getDate() !== now.getDate())
    return `${MONTHS[d.getMonth()]}${String(d.getDate()).padStart(2, '0')}`;
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/** procps pr_time: [DD-]HH:MM:SS of cumulative CPU time. */
export function formatCpuTime(totalMs: number): string {
  if (!(totalMs >= 0 && Number.isFinite(totalMs))) return '?';
  let s = Math.floor(totalMs / 1000);
  const days = Math.floor(s / 86400);
  s %= 86400;
  const hh = String(Math.floor(s / 3600)).padStart(2, '0');
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return days ? `${days}-${hh}:${mm}:${ss}` : `${hh}:${mm}:${ss}`;
}

/** procps pr_c: integer lifetime CPU%, (cpu ticks * 100 / HZ) / seconds since start, capped at 99. */
export function cColumn(totalTicks: number, startTicks: number, uptimeSeconds: number, hz: number): string {
  const seconds = Math.floor(uptimeSeconds - startTicks / hz);
  if (seconds <= 0) return '0';
  return String(Math.min(99, Math.floor(Math.floor((totalTicks * 100) / hz) / seconds)));
}

/**
 * The CMD text procps builds from a command line (its arguments, as split at NULs): joined by spaces, a
 * newline inside an argument shown as a space too, and the NULs at the end left out (those that end the last
 * argument, and those a process that rewrote its title with a shorter one left behind, which are not
 * arguments the user gave). A command line of nothing but NULs (argv [""]) shows as `?`. null when there is
 * no command line at all (kernel threads, zombies): ps then shows the name in brackets.
 */
export function commandLineText(args: readonly string[]): string | null {
  if (args.length === 0) return null;
  let end = args.length;
  while (end > 0 && args[end - 1] === '') end--;
  if (end === 0) return '?';
  const text = (end === args.length ? args : args.slice(0, end)).join(' ');
  return text.includes('\n') ? text.replaceAll('\n', ' ') : text;
}

export function commandColumn(p: ProcessInfo): string {
  return commandLineText(p.cmdline ?? []) ?? (p.state === 'Z' ? `[${p.name}] <defunct>` : `[${p.name}]`);
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f-\x9f]/;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\x00-\x1f\x7f-\x9f]/g;

/**
 * CMD as procps prints it: every control character left in it (C0, DEL, C1; a newline of a command line is
 * a space already) as `?`, so the two outputs compare byte for byte. What else a terminal would act on or
 * hide (format characters, bytes that are not UTF-8) is still escaped visibly by the caller.
 */
export function psCommandShown(cmd: string): string {
  return CONTROL.test(cmd) ? cmd.replace(CONTROLS, '?') : cmd;
}

export function psRows(snapshot: Snapshot, uptimeSeconds: number): PsRow[] {
  const { clockTicks: hz, pageSize } = snapshot.system;
  const rows: PsRow[] = [];
  for (const p of snapshot.processes) {
    const threads: readonly ThreadInfo[] = p.threads ?? [];
    // The process's columns once, not once per thread: a command line is joined for every process, not every LWP.
    const uid = uidColumn(p);
    const pid = String(p.pid);
    const ppid = String(p.ppid);
    const nlwp = String(p.numThreads);
    const sz = String(Math.floor(p.vsize / pageSize));
    const rss = String(Math.floor(p.rss / 1024));
    const tty = p.tty ?? '?';
    const cmd = threads.length > 0 ? commandColumn(p) : '';
    for (const t of threads) {
      // procps reads the thread-group leader's row from /proc/PID/stat (whole-process CPU time) and only the
      // other LWPs from task/TID/stat; the same here, so the columns match `ps -eLF` exactly.
      const cpuMs = t.tid === p.pid ? p.utimeMs + p.stimeMs : t.utimeMs + t.stimeMs;
      const ticks = Math.round((cpuMs * hz) / 1000);
      rows.push({
        UID: uid,
        PID: pid,
        PPID: ppid,
        LWP: String(t.tid),
        C: cColumn(ticks, t.startTicks, uptimeSeconds, hz),
        NLWP: nlwp,
        SZ: sz,
        RSS: rss,
        PSR: String(t.processor),
        STIME: formatStime(snapshot.system.bootTime + (t.startTicks * 1000) / hz, snapshot.timestamp),
        TTY: tty,
        TIME: formatCpuTime(cpuMs),
        CMD: cmd,
      });
    }
  }
  return rows;
}

/** The columns that carry OS text (user name, tty name, command line); the others are numbers and dates formatted here. */
const TEXT_COLUMNS: ReadonlySet<string> = new Set(['UID', 'TTY', 'CMD']);
const LEFT_COLUMNS: ReadonlySet<string> = new Set(['UID', 'STIME', 'TTY', 'CMD']);

/**
 * Columns padded like ps: numbers right-aligned, text left-aligned, CMD last and unpadded, its control
 * characters as ps prints them (psCommandShown). `printable` is applied once per cell of the columns that
 * carry OS text; the others are ASCII digits, colons, dashes and month names formatted above, which it would
 * return unchanged.
 */
export function renderPsTable(rows: readonly PsRow[], printable: (s: string) => string): string {
  const cell = (r: PsRow, c: (typeof PS_COLUMNS)[number]): string =>
    c === 'CMD' ? printable(psCommandShown(r.CMD)) : TEXT_COLUMNS.has(c) ? printable(r[c]) : r[c];
  const cells = rows.map((r) => PS_COLUMNS.map((c) => cell(r, c)));
  const header = PS_COLUMNS.map((c) => printable(c));
  const widths = PS_COLUMNS.map((c, i) => {
    let width = header[i]!.length;
    for (const row of cells) if (row[i]!.length > width) width = row[i]!.length;
    return width;
  });
  const line = (values: readonly string[]): string =>
    PS_COLUMNS.map((c, i) => {
      const v = values[i]!;
      if (c === 'CMD') return v;
      return LEFT_COLUMNS.has(c) ? v.padEnd(widths[i]!) : v.padStart(widths[i]!);
    }).join(' ');
  const out: string[] = [line(header)];
  for (const row of cells) out.push(line(row));
  return out.join('\n') + '\n';
}
