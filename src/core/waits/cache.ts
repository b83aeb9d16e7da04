// The panel asks about the same blocked threads every tick. A thread that still sleeps in the same state, in
// the same kernel function, without having used any CPU since, is in the same system call with the same
// arguments, so its syscall file (a ptrace permission check and a kernel formatting pass each) need not be
// read again; wchan is read every time because it is part of the key.
//
// The limit, by construction: a thread that wakes and blocks again in the same kernel function within one
// look, using less than one clock tick of CPU, keeps its old arguments until any of the three changes.
import type { StatFields } from '../procfs/stat';
import { probeThread, readWchan, type ThreadProbe } from './probe';

interface Entry {
  readonly key: string;
  readonly probe: ThreadProbe;
  generation: number;
}

export class WaitProbeCache {
  private readonly entries = new Map<string, Entry>();
  private generation = 0;
  /** How many lookups were answered from the cache and how many read the syscall file; for tests and benchmarks. */
  hits = 0;
  misses = 0;

  /** The probe of one thread, from the cache when its (state, wchan, CPU time) did not change. */
  lookup(taskDir: string, tid: number, stat: StatFields): ThreadProbe | 'gone' {
    const wchan = readWchan(taskDir);
    if (wchan === 'gone') {
      this.entries.delete(taskDir);
      return 'gone';
    }
    const key = `${tid}|${stat.state}|${typeof wchan === 'string' ? wchan : ''}|${stat.utime + stat.stime}`;
    const cached = this.entries.get(taskDir);
    // An entry whose syscall could not be read is not kept: permission may be granted later (Yama, setuid).
    if (cached && cached.key === key && typeof wchan === 'string') {
      cached.generation = this.generation;
      this.hits++;
      return cached.probe;
    }
    this.misses++;
    const probe = probeThread(taskDir, wchan);
    if (probe === 'gone') this.entries.delete(taskDir);
    else if (probe.line !== null && typeof wchan === 'string') this.entries.set(taskDir, { key, probe, generation: this.generation });
    else this.entries.delete(taskDir);
    return probe;
  }

  /** Ends one look: entries of threads not asked about since the previous call are dropped (exited, or no longer blocked). */
  sweep(): void {
    for (const [k, e] of this.entries) if (e.generation !== this.generation) this.entries.delete(k);
    this.generation++;
  }

  get size(): number {
    return this.entries.size;
  }
}
