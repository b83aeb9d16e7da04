// /proc/PID/environ: NUL-separated NAME=value strings, as the process was started (later setenv calls
// inside the process do not show). Own code: @stroncium/procfs mangles entries without '='.

export interface EnvEntry {
  readonly name: string;
  readonly value: string;
}

export function parseEnviron(data: Buffer | string): EnvEntry[] {
  const text = typeof data === 'string' ? data : data.toString('utf8');
  const entries: EnvEntry[] = [];
  for (const item of text.split('\0')) {
    if (item === '') continue;
    const eq = item.indexOf('=');
    // Nothing forces NAME=value (execve takes any strings): keep such an entry whole as a name.
    entries.push(eq < 0 ? { name: item, value: '' } : { name: item.slice(0, eq), value: item.slice(eq + 1) });
  }
  return entries;
}
