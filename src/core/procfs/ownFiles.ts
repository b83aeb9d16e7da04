// The descriptors this thread keeps open on procfs files between reads: the sampler's stat files and the IPC
// scanner's schedstat signals. The IPC scan skips them when it walks this process's own fd table: they are
// this code's bookkeeping, never the program's IPC, and the panel scans from inside the extension host, whose
// main thread always runs, so its table is listed anew on every scan and each kept file would cost a readlink
// (thousands at 2000 processes). A hand-written set rather than a query of the open files: listing our own
// fd/ to learn which are ours is the very cost this avoids.
//
// Module state is per thread (each worker thread loads its own copy), so the set holds only this thread's
// files; another thread's kept files are listed like any other fd, which is correct, only slower. An owner
// removes an fd before closing it, so the number never stays in the set once another open could reuse it.

const kept = new Set<number>();

/** Called by an owner when it keeps fd open on a procfs file for later reads. */
export function keepOwnFile(fd: number): void {
  kept.add(fd);
}

/** Called by the owner just before it closes a kept fd. */
export function releaseOwnFile(fd: number): void {
  kept.delete(fd);
}

/** The procfs files this thread keeps open now (see the file's header). */
export function ownKeptFiles(): ReadonlySet<number> {
  return kept;
}
