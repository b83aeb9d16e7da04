// The recent past, in memory and bounded: the oldest kept tick as a full snapshot, then one delta per tick.
// When the size passes the bound, the oldest deltas are folded into that snapshot (it is "rebased"), so
// the history always starts with a whole table and reaches back as far as the bound allows, and says how far.
// Every tick is held as its JSON text (the recording's encoding), not as objects: a delta's objects measured
// about 8× their JSON length on V8's heap (small change objects, one per changed process) and a whole table
// about 1.4×, so a bound counted in JSON length held several times its size. A string's size is exact
// (one byte a character, two when any character is past U+00FF), so the bound is the memory it holds.
import { applyDelta, diffSnapshots } from '../diff';
import type { Delta, Snapshot } from '../model';
import {
  decodeDelta,
  encodeDelta,
  RECORDING_FORMAT,
  RECORDING_VERSION,
  type EncodedDelta,
  type RecordingHeader,
  type TickLine,
} from './format';
import { INDEX_LIMIT, indexLives, type HistoryIndex } from './historyIndex';
import { Recording, type RecordedTick } from './reader';
import { threadStrips } from './threadStrips';
import { LifeTracker } from './timeline';

interface Kept {
  readonly at: number;
  readonly forks: number | null;
  /** JSON of the encoded delta (format.ts encodeDelta). */
  readonly json: string;
  /** What it holds on the heap (jsonBytes): the bound counts this. */
  readonly size: number;
  /** Processes born in it (the timeline's count of births the polls missed needs only this). */
  readonly added: number;
}

/** A whole table is kept every this many ticks when a past tick is asked for, at most MAX_CHECKPOINTS of them. */
const CHECKPOINT_EVERY = 64;
const MAX_CHECKPOINTS = 6;
/** The string's header, the Kept record and its array slot, per tick: what a tick costs besides its text. */
export const PER_TICK_BYTES = 96;

/** Heap bytes of a flat V8 string: one byte per character, two when any character needs two (not Latin-1). */
function jsonBytes(json: string): number {
  // eslint-disable-next-line no-control-regex
  return (/[^\u0000-\u00ff]/.test(json) ? 2 * json.length : json.length) + PER_TICK_BYTES;
}

function decoded(k: Kept): Delta {
  return decodeDelta(JSON.parse(k.json) as EncodedDelta);
}

export class TickHistory {
  /** The oldest tick held, whole, as JSON; undefined before the first push. */
  private base: string | undefined;
  private baseAt = 0;
  private baseSize = 0;
  /** Ticks dropped from the front so far: tick numbers stay stable as the history moves. */
  private dropped = 0;
  private readonly kept: Kept[] = [];
  /** Whole tables (JSON) at absolute ticks (multiples of CHECKPOINT_EVERY), made by snapshotAt; counted in the bound. */
  private readonly checkpoints = new Map<number, { readonly json: string; readonly size: number }>();
  private deltaBytes = 0;
  private checkpointBytes = 0;
  private latest: Snapshot | undefined;
  /** Each process's life in the ticks held, kept up to date as ticks come and go (the Timeline's index). */
  private lives = new LifeTracker();

  /** @param bound the bound on the heap held: the oldest snapshot, every delta and any checkpoints, as JSON text. */
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
    if (!prev || this.base === undefined) {
      this.setBase(JSON.stringify(snapshot), snapshot.timestamp);
      this.lives = new LifeTracker();
      this.lives.full(snapshot, this.dropped);
      return;
    }
    const delta = given ?? diffSnapshots(prev, snapshot);
    const json = JSON.stringify(encodeDelta(delta));
    const size = jsonBytes(json);
    this.kept.push({ at: snapshot.timestamp, forks, json, size, added: delta.added.length });
    this.deltaBytes += size;
    this.lives.delta(delta, this.dropped + this.kept.length, snapshot.timestamp);
    this.trim();
  }

  private setBase(json: string, at: number): void {
    this.base = json;
    this.baseAt = at;
    this.baseSize = jsonBytes(json);
  }

  private trim(): void {
    if (this.bytes <= this.bound) return;
    // Checkpoints are a cache: they go first.
    this.checkpoints.clear();
    this.checkpointBytes = 0;
    // Folding costs a parse and a stringify of the whole table, so fold a little under the bound (a sixteenth of
    // it, at most half the room the table leaves): a steady history rebases every several ticks, not every tick.
    const target = this.bound - Math.min(this.bound / 16, Math.max(0, this.bound - this.baseSize) / 2);
    while (this.bytes > this.bound && this.kept.length > 0) {
      // Fold deltas until the deltas alone would fit beside the old snapshot's size, then measure the new
      // snapshot once (measuring after every fold would cost a whole table per dropped tick).
      let base = JSON.parse(this.base!) as Snapshot;
      do {
        const k = this.kept.shift()!;
        base = applyDelta(base, decoded(k));
        this.deltaBytes -= k.size;
        this.dropped++;
      } while (this.baseSize + this.deltaBytes > target && this.kept.length > 0);
      this.setBase(JSON.stringify(base), base.timestamp);
      this.lives.rebase(base, this.dropped);
    }
  }

  /** The heap held now: the oldest snapshot, every delta and any checkpoints, as text. */
  get bytes(): number {
    return this.baseSize + this.deltaBytes + this.checkpointBytes;
  }

  /** Ticks held (0 before the first push). */
  get length(): number {
    return this.base !== undefined ? this.kept.length + 1 : 0;
  }

  /** The number of the oldest tick held (ticks are numbered from the first push, and keep their numbers). */
  get firstTick(): number {
    return this.dropped;
  }

  get oldestAt(): number | undefined {
    return this.base !== undefined ? this.baseAt : undefined;
  }

  get newestAt(): number | undefined {
    return this.latest?.timestamp;
  }

  /** How far back the history reaches from its newest tick, ms (0 when it holds one tick or none). */
  get reachMs(): number {
    return this.base !== undefined && this.latest ? this.latest.timestamp - this.baseAt : 0;
  }

  /**
   * The table at tick `tick` (firstTick .. firstTick + length - 1). Whole tables are kept every CHECKPOINT_EVERY
   * ticks as they are made (a few at most: each is a whole table), so scrubbing back and forth replays a few
   * dozen deltas, not the whole history.
   */
  snapshotAt(tick: number): Snapshot {
    const i = tick - this.dropped;
    if (this.base === undefined || !Number.isInteger(i) || i < 0 || i > this.kept.length)
      throw new RangeError(`tick ${tick} is not in the history`);
    let from = this.dropped;
    let json = this.base;
    for (const [t, table] of this.checkpoints)
      if (t <= tick && t > from) {
        from = t;
        json = table.json;
      }
    let s = JSON.parse(json) as Snapshot;
    for (let t = from + 1; t <= tick; t++) {
      s = applyDelta(s, decoded(this.kept[t - this.dropped - 1]!));
      if (t % CHECKPOINT_EVERY === 0 && !this.checkpoints.has(t)) {
        const text = JSON.stringify(s);
        const size = jsonBytes(text);
        if (this.bytes + size > this.bound) continue; // no room: scrubbing replays from further back instead
        this.checkpoints.set(t, { json: text, size });
        this.checkpointBytes += size;
        if (this.checkpoints.size > MAX_CHECKPOINTS) {
          const oldest = this.checkpoints.keys().next().value!;
          this.checkpointBytes -= this.checkpoints.get(oldest)!.size;
          this.checkpoints.delete(oldest);
        }
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
    return this.base !== undefined ? [this.baseAt, ...this.kept.map((k) => k.at)] : [];
  }

  /**
   * The Timeline's index of the ticks held. The lives are kept up to date as ticks are pushed and dropped, so
   * this costs the lives and the tick times, not a replay of every delta; only thread strips (for the few
   * processes asked for) read the deltas again.
   */
  index(threadKeys: readonly string[] = [], limit = INDEX_LIMIT): HistoryIndex | null {
    if (this.base === undefined) return null;
    let unseen: number | null = null;
    for (const k of this.kept) {
      if (k.forks === null) continue;
      unseen = (unseen ?? 0) + Math.max(0, k.forks - k.added);
    }
    const index = indexLives(this.tickTimes(), this.dropped, this.lives.lives.values(), unseen, limit);
    if (threadKeys.length === 0) return index;
    return { ...index, threads: threadStrips(this.asRecording({ intervalMs: 0, threads: false }), threadKeys) };
  }

  /** The history as a Recording (reader.ts) in memory: what lifetimes() and the timeline read. */
  asRecording(header: Omit<RecordingHeader, 'format' | 'version' | 'bootTime' | 'clockTicks' | 'host' | 'startedAt'>): Recording {
    const [head, full] = this.head(header);
    const ticks: RecordedTick[] = [{ tick: 0, at: this.baseAt, forks: null, full }];
    this.kept.forEach((k, i) => ticks.push({ tick: i + 1, at: k.at, forks: k.forks, delta: decoded(k) }));
    return new Recording(head, ticks, undefined);
  }

  /** The history as recording lines (format.ts): a header, the oldest tick whole, then the deltas. */
  toRecording(
    header: Omit<RecordingHeader, 'format' | 'version' | 'bootTime' | 'clockTicks' | 'host' | 'startedAt'> & { producer?: string },
  ): [RecordingHeader, ...TickLine[]] {
    const [head, full] = this.head(header);
    const lines: TickLine[] = [{ tick: 0, at: this.baseAt, forks: null, forksSinceBoot: null, full }];
    this.kept.forEach((k, i) => lines.push({ tick: i + 1, at: k.at, forks: k.forks, delta: JSON.parse(k.json) as EncodedDelta }));
    return [head, ...lines];
  }

  private head(
    header: Omit<RecordingHeader, 'format' | 'version' | 'bootTime' | 'clockTicks' | 'host' | 'startedAt'> & { producer?: string },
  ): [RecordingHeader, Snapshot] {
    if (this.base === undefined) throw new RangeError('the history is empty');
    const full = JSON.parse(this.base) as Snapshot;
    const system = full.system;
    const head: RecordingHeader = {
      format: RECORDING_FORMAT,
      version: RECORDING_VERSION,
      host: system.hostname,
      bootTime: system.bootTime,
      clockTicks: system.clockTicks,
      startedAt: this.baseAt,
      ...header,
    };
    return [head, full];
  }
}
