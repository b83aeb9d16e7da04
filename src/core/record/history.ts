// The recent past, in memory and bounded: the oldest kept tick as a full snapshot, then one delta per tick.
// When the estimate passes the bound, the oldest deltas are folded into that snapshot (it is "rebased"), so
// the history always starts with a whole table and reaches back as far as the bound allows, and says how far.
import { applyDelta, diffSnapshots } from '../diff';
import type { Delta, Snapshot } from '../model';
import { encodeDelta, RECORDING_FORMAT, RECORDING_VERSION, type RecordingHeader, type TickLine } from './format';
import { Recording, type RecordedTick } from './reader';
import { INDEX_LIMIT, indexLives, type HistoryIndex } from './historyIndex';
import { threadStrips } from './threadStrips';
import { LifeTracker } from './timeline';

interface Kept {
  readonly at: number;
  readonly forks: number | null;
  readonly delta: Delta;
  /** Its JSON length: what it costs in a recording, and close to what it costs in memory. */
  readonly size: number;
}

/** A whole table is kept every this many ticks when a past tick is asked for, at most MAX_CHECKPOINTS of them. */
const CHECKPOINT_EVERY = 64;
const MAX_CHECKPOINTS = 6;

export class TickHistory {
  private base: Snapshot | undefined;
  private baseSize = 0;
  /** Ticks dropped from the front so far: tick numbers stay stable as the history moves. */
  private dropped = 0;
  private readonly kept: Kept[] = [];
  /** Whole tables at absolute ticks (multiples of CHECKPOINT_EVERY), made by snapshotAt; dropped with their ticks. */
  private readonly checkpoints = new Map<number, Snapshot>();
  private deltaBytes = 0;
  private latest: Snapshot | undefined;
  /** Each process's life in the ticks held, kept up to date as ticks come and go (the Timeline's index). */
  private lives = new LifeTracker();

  /** @param bound the bound on the estimated size (JSON length) of the oldest snapshot plus every delta. */
  constructor(private bound: number) {
    if (!(bound > 0)) throw new RangeError('maxBytes must be positive');
  }

  get maxBytes(): number {
    return this.bound;
  }

  /** A new bound (a changed setting): the oldest ticks go at once if the history is now over it. */
  set maxBytes(bytes: number) {
    if (!(bytes > 0)) throw new RangeError('maxBytes must be positive');
    this.bound = bytes;
    this.trim();
  }

  /** Adds the next poll. `forks`: how much the kernel's fork counter grew since the previous one, if known. */
  push(snapshot: Snapshot, forks: number | null = null): void {
    this.pushWith(snapshot, undefined, forks);
  }

  /**
   * Adds the next poll with its delta from the previous one already made (the panel's worker diffs each tick
   * anyway): the same as `push` without diffing twice. `delta` must lead from the newest tick held to `snapshot`.
   */
  pushDelta(snapshot: Snapshot, delta: Delta, forks: number | null = null): void {
    this.pushWith(snapshot, delta, forks);
  }

  private pushWith(snapshot: Snapshot, given: Delta | undefined, forks: number | null): void {
    const prev = this.latest;
    this.latest = snapshot;
    if (!prev || !this.base) {
      this.base = snapshot;
      this.baseSize = JSON.stringify(snapshot).length;
      this.lives = new LifeTracker();
      this.lives.full(snapshot, this.dropped);
      return;
    }
    const delta = given ?? diffSnapshots(prev, snapshot);
    const size = JSON.stringify(encodeDelta(delta)).length;
    this.kept.push({ at: snapshot.timestamp, forks, delta, size });
    this.deltaBytes += size;
    this.lives.delta(delta, this.dropped + this.kept.length, snapshot.timestamp);
    this.trim();
  }

  private trim(): void {
    while (this.bytes > this.bound && this.kept.length > 0) {
      // Fold deltas into the snapshot until the deltas alone would fit under the old snapshot's size, then
      // measure the new snapshot once (measuring after every fold would cost a whole table per dropped tick).
      let base = this.base!;
      do {
        const k = this.kept.shift()!;
        base = applyDelta(base, k.delta);
        this.deltaBytes -= k.size;
        this.dropped++;
      } while (this.baseSize + this.deltaBytes > this.bound && this.kept.length > 0);
      this.base = base;
      this.baseSize = JSON.stringify(base).length;
      this.lives.rebase(base, this.dropped);
      for (const t of [...this.checkpoints.keys()]) if (t <= this.dropped) this.checkpoints.delete(t);
    }
  }

  /** The estimated size now: the oldest snapshot and every delta. */
  get bytes(): number {
    return this.baseSize + this.deltaBytes;
  }

  /** Ticks held (0 before the first push). */
  get length(): number {
    return this.base ? this.kept.length + 1 : 0;
  }

  /** The number of the oldest tick held (ticks are numbered from the first push, and keep their numbers). */
  get firstTick(): number {
    return this.dropped;
  }

  get oldestAt(): number | undefined {
    return this.base?.timestamp;
  }

  get newestAt(): number | undefined {
    return this.latest?.timestamp;
  }

  /** How far back the history reaches from its newest tick, ms (0 when it holds one tick or none). */
  get reachMs(): number {
    return this.base && this.latest ? this.latest.timestamp - this.base.timestamp : 0;
  }

  /**
   * The table at tick `tick` (firstTick .. firstTick + length - 1). Whole tables are kept every CHECKPOINT_EVERY
   * ticks as they are made (a few at most: each is a whole table), so scrubbing back and forth replays a few
   * dozen deltas, not the whole history.
   */
  snapshotAt(tick: number): Snapshot {
    const i = tick - this.dropped;
    if (!this.base || !Number.isInteger(i) || i < 0 || i > this.kept.length) throw new RangeError(`tick ${tick} is not in the history`);
    let from = this.dropped;
    let s = this.base;
    for (const [t, table] of this.checkpoints)
      if (t <= tick && t > from) {
        from = t;
        s = table;
      }
    for (let t = from + 1; t <= tick; t++) {
      s = applyDelta(s, this.kept[t - this.dropped - 1]!.delta);
      if (t % CHECKPOINT_EVERY === 0 && !this.checkpoints.has(t)) {
        this.checkpoints.set(t, s);
        if (this.checkpoints.size > MAX_CHECKPOINTS) this.checkpoints.delete(this.checkpoints.keys().next().value!);
      }
    }
    return s;
  }

  /** The last tick taken at or before `at` (ms), or the oldest for an earlier time; undefined when empty. */
  tickAtTime(at: number): number | undefined {
    const times = this.tickTimes();
    if (times.length === 0) return undefined;
    let lo = 0;
    let hi = times.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (times[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return this.dropped + lo;
  }

  /** The time of each tick held, oldest first (tick firstTick + i at index i). */
  tickTimes(): number[] {
    return this.base ? [this.base.timestamp, ...this.kept.map((k) => k.at)] : [];
  }

  /** The history as a Recording (reader.ts) in memory: what lifetimes() and the timeline read. */
  asRecording(header: Omit<RecordingHeader, 'format' | 'version' | 'bootTime' | 'clockTicks' | 'host' | 'startedAt'>): Recording {
    if (!this.base) throw new RangeError('the history is empty');
    // The header alone: toRecording would encode every delta only for it to be thrown away.
    const system = this.base.system;
    const head: RecordingHeader = {
      format: RECORDING_FORMAT,
      version: RECORDING_VERSION,
      host: system.hostname,
      bootTime: system.bootTime,
      clockTicks: system.clockTicks,
      startedAt: this.base.timestamp,
      ...header,
    };
    const ticks: RecordedTick[] = [{ tick: 0, at: this.base!.timestamp, forks: null, full: this.base! }];
    this.kept.forEach((k, i) => ticks.push({ tick: i + 1, at: k.at, forks: k.forks, delta: k.delta }));
    return new Recording(head, ticks, undefined);
  }

  /**
   * The Timeline's index of the ticks held. The lives are kept up to date as ticks are pushed and dropped, so
   * this costs the lives and the tick times, not a replay of every delta; only thread strips (for the few
   * processes asked for) read the deltas again.
   */
  index(threadKeys: readonly string[] = [], limit = INDEX_LIMIT): HistoryIndex | null {
    if (!this.base) return null;
    let unseen: number | null = null;
    for (const k of this.kept) {
      if (k.forks === null) continue;
      unseen = (unseen ?? 0) + Math.max(0, k.forks - k.delta.added.length);
    }
    const index = indexLives(this.tickTimes(), this.dropped, this.lives.lives.values(), unseen, limit);
    if (threadKeys.length === 0) return index;
    return { ...index, threads: threadStrips(this.asRecording({ intervalMs: 0, threads: false }), threadKeys) };
  }

  /** The history as recording lines (format.ts): a header, the oldest tick whole, then the deltas. */
  toRecording(
    header: Omit<RecordingHeader, 'format' | 'version' | 'bootTime' | 'clockTicks' | 'host' | 'startedAt'> & { producer?: string },
  ): [RecordingHeader, ...TickLine[]] {
    if (!this.base) throw new RangeError('the history is empty');
    const system = this.base.system;
    const head: RecordingHeader = {
      format: RECORDING_FORMAT,
      version: RECORDING_VERSION,
      host: system.hostname,
      bootTime: system.bootTime,
      clockTicks: system.clockTicks,
      startedAt: this.base.timestamp,
      ...header,
    };
    const lines: TickLine[] = [{ tick: 0, at: this.base.timestamp, forks: null, forksSinceBoot: null, full: this.base }];
    this.kept.forEach((k, i) => lines.push({ tick: i + 1, at: k.at, forks: k.forks, delta: encodeDelta(k.delta) }));
    return [head, ...lines];
  }
}
