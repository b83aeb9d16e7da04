// The few lines of /proc/PID/status the sampler needs for every process (credentials, context switches).
// A byte scan for four keys rather than the full status parser: this runs for every process a poll sees.

export interface StatusSummary {
  readonly uid: number;
  readonly euid: number;
  readonly gid: number;
  readonly egid: number;
  readonly voluntaryCtxtSwitches: number | null;
  readonly nonvoluntaryCtxtSwitches: number | null;
  /** VmRSS in bytes: the exact count (stat's rss is the kernel's per-CPU cached one); null for kernel threads. */
  readonly vmRss: number | null;
}

const NL = 0x0a;

function startsWith(buf: Uint8Array, at: number, key: string): boolean {
  for (let k = 0; k < key.length; k++) if (buf[at + k] !== key.charCodeAt(k)) return false;
  return true;
}

/** Whitespace-separated non-negative integers from `at` to the end of the line. */
function numbersOnLine(buf: Uint8Array, at: number, length: number): number[] {
  const out: number[] = [];
  let i = at;
  while (i < length && buf[i] !== NL) {
    while (i < length && (buf[i] === 0x20 || buf[i] === 0x09)) i++;
    if (i >= length || buf[i] === NL) break;
    let v = 0;
    let digits = 0;
    while (i < length && buf[i]! >= 48 && buf[i]! <= 57) {
      v = v * 10 + (buf[i]! - 48);
      i++;
      digits++;
    }
    if (digits === 0) {
      while (i < length && buf[i] !== NL && buf[i] !== 0x20 && buf[i] !== 0x09) i++;
      continue;
    }
    out.push(v);
  }
  return out;
}

export function parseStatusSummary(buf: Uint8Array, length = buf.length): StatusSummary | undefined {
  let uids: number[] | undefined;
  let gids: number[] | undefined;
  let vol: number | null = null;
  let nonvol: number | null = null;
  let vmRss: number | null = null;
  let line = 0;
  while (line < length) {
    // "Name:" may hold any byte except newline (the kernel escapes \n as "\n" in status), so lines are safe.
    if (startsWith(buf, line, 'Uid:')) uids = numbersOnLine(buf, line + 4, length);
    else if (startsWith(buf, line, 'Gid:')) gids = numbersOnLine(buf, line + 4, length);
    else if (startsWith(buf, line, 'voluntary_ctxt_switches:')) vol = numbersOnLine(buf, line + 24, length)[0] ?? null;
    else if (startsWith(buf, line, 'VmRSS:')) vmRss = (numbersOnLine(buf, line + 6, length)[0] ?? 0) * 1024;
    else if (startsWith(buf, line, 'nonvoluntary_ctxt_switches:')) nonvol = numbersOnLine(buf, line + 27, length)[0] ?? null;
    let next = line;
    while (next < length && buf[next] !== NL) next++;
    line = next + 1;
  }
  if (!uids || uids.length < 2 || !gids || gids.length < 2) return undefined;
  return {
    uid: uids[0]!,
    euid: uids[1]!,
    gid: gids[0]!,
    egid: gids[1]!,
    voluntaryCtxtSwitches: vol,
    nonvoluntaryCtxtSwitches: nonvol,
    vmRss,
  };
}
