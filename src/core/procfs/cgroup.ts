// /proc/PID/cgroup: `hierarchy-ID:controllers:path` per line (v2: one `0::/path` line).
// Own code: @stroncium/procfs splits on every ':' and so cuts paths that contain one.

export interface CgroupEntry {
  readonly hierarchyId: number;
  /** Controllers bound to this v1 hierarchy (`memory`, `name=systemd`); [] for the v2 unified hierarchy. */
  readonly controllers: readonly string[];
  readonly path: string;
}

export function parseCgroup(text: string): CgroupEntry[] | undefined {
  const entries: CgroupEntry[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const first = line.indexOf(':');
    const second = first < 0 ? -1 : line.indexOf(':', first + 1);
    if (second < 0 || !/^\d+$/.test(line.slice(0, first))) return undefined;
    const controllers = line.slice(first + 1, second);
    entries.push({
      hierarchyId: Number(line.slice(0, first)),
      controllers: controllers === '' ? [] : controllers.split(','),
      path: line.slice(second + 1),
    });
  }
  return entries;
}
