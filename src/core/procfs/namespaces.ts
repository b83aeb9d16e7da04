// /proc/PID/ns/*: each link reads `type:[inode]`; two processes share a namespace when the inodes match.

export interface NamespaceLink {
  readonly type: string;
  readonly inode: number;
}

export function parseNamespaceLink(target: string): NamespaceLink | undefined {
  const m = /^([a-z_]+):\[(\d+)\]$/.exec(target);
  return m ? { type: m[1] as string, inode: Number(m[2]) } : undefined;
}
