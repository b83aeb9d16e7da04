// Whether a process runs Node.js, decided from the executable the kernel loaded, never from argv[0] or the
// process name (both are chosen by whoever starts the process: `exec -a node sleep 100` is named "node").
//
// The rule, and why each half is needed:
// 1. The real executable (/proc/PID/exe, resolved by the kernel) is named like Node's binary (node, nodejs,
//    node22, ...). This alone is weak: any file can be copied to a file named "node".
// 2. Node's inspector is compiled into it: the file contains the inspector's "Debugger listening on" message,
//    either in the executable itself (official builds, code-server's bundled node) or in a libnode shared
//    library the process has mapped (Debian and Ubuntu link /usr/bin/node against libnode.so).
// Only both together mean "SIGUSR1 opens an inspector" rather than "SIGUSR1 kills it" (SIGUSR1's default
// action is to terminate). Electron-based executables also embed the inspector but are named otherwise and
// include renderer and GPU processes whose SIGUSR1 is fatal, so they are deliberately left out.
// No vscode import: unit-tested on real processes.
import { closeSync, openSync, readFileSync, readSync, readlinkSync, statSync } from 'node:fs';
import { basename } from 'node:path';

const NODE_NAME = /^(node|nodejs|node\d+(?:\.\d+)*)$/;
const SIGNATURE = Buffer.from('Debugger listening on ');
const CHUNK = 1 << 20;

/** (device, inode, size, mtime) → whether the file holds the signature: a 100 MB scan happens once per binary. */
const signatureCache = new Map<string, boolean>();

/** Whether the file at `path` (opened through /proc, so it is the mapped inode itself) holds Node's inspector. */
function fileHasSignature(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return false;
  }
  try {
    const st = statSync(path);
    const id = `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;
    const cached = signatureCache.get(id);
    if (cached !== undefined) return cached;
    const buf = Buffer.alloc(CHUNK + SIGNATURE.length);
    let carry = 0;
    let position = 0;
    let found = false;
    for (;;) {
      const n = readSync(fd, buf, carry, CHUNK, position);
      if (n <= 0) break;
      position += n;
      const filled = carry + n;
      if (buf.subarray(0, filled).indexOf(SIGNATURE) >= 0) {
        found = true;
        break;
      }
      // Keep the tail so a signature split across two chunks is still found.
      carry = Math.min(SIGNATURE.length - 1, filled);
      buf.copy(buf, 0, filled - carry, filled);
    }
    signatureCache.set(id, found);
    return found;
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}

/** The first mapping of a shared library named libnode.so*: its path and its map_files name (start-end). */
function mappedLibnode(pid: number, procRoot: string): { readonly path: string; readonly range: string } | undefined {
  let maps: string;
  try {
    maps = readFileSync(`${procRoot}/${pid}/maps`, 'latin1');
  } catch {
    return undefined;
  }
  for (const line of maps.split('\n')) {
    const slash = line.indexOf('/');
    if (slash < 0) continue;
    const path = line.slice(slash);
    if (/^libnode\.so(\.|$)/.test(basename(path))) return { path, range: line.split(' ')[0] ?? '' };
  }
  return undefined;
}

export function isNodeRuntime(pid: number, procRoot = '/proc'): boolean {
  let exe: string;
  try {
    exe = readlinkSync(`${procRoot}/${pid}/exe`).replace(/ \(deleted\)$/, '');
  } catch {
    return false; // kernel threads, other users' processes without ptrace access, exited
  }
  if (!NODE_NAME.test(basename(exe))) return false;
  // Read through /proc/PID/exe, not the path: the path may have been replaced since the process started.
  if (fileHasSignature(`${procRoot}/${pid}/exe`)) return true;
  const lib = mappedLibnode(pid, procRoot);
  if (!lib) return false;
  // map_files opens the mapped inode itself but needs CAP_SYS_ADMIN; the path is the fallback.
  return (lib.range !== '' && fileHasSignature(`${procRoot}/${pid}/map_files/${lib.range}`)) || fileHasSignature(lib.path);
}
