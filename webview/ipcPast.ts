// The IPC scans the panel received, kept for rewinding: the scanner runs in the host's worker every few
// seconds and keeps nothing, and the history of ticks holds processes, not channels. So the panel keeps the
// scans it was sent, bounded, and a rewound panel shows the newest scan taken at or before the rewound tick.
//
// Most of a scan is the scan before it: the same channels with the same endpoints. Each scan arrives as new
// objects (a message is a copy), so kept as they came, 240 scans of a busy machine held 150 MiB and more in
// the page. A kept scan therefore shares what did not change with the scan kept before it: a channel equal
// to the earlier one (same JSON text) is the earlier object; in a channel that changed, each endpoint equal to
// an earlier one of that channel is the earlier object. What the scans hold is counted as the JSON text of
// what each one brought new (about what V8 holds for it), and the oldest scans go first past IPC_PAST_BYTES.
import type { Channel, Endpoint, IpcMap } from '../src/core/ipc/model';

/** Scans kept: at the usual one scan every 3 to 5 s, a quarter of an hour or more. */
export const IPC_PAST_SCANS = 240;
/** What the kept scans may hold, counted as the JSON text of what each brought new: the oldest go first. */
export const IPC_PAST_BYTES = 16 * 1024 * 1024;
/** What one reference in a kept list is counted as (a pointer). */
const REF_BYTES = 8;

interface Kept {
  readonly map: IpcMap;
  /** The channels and endpoints this scan brought new (or took over from scans dropped before it). */
  owned: object[];
  /** Their counted bytes, plus this scan's own lists and other fields. */
  bytes: number;
}

/** The newest kept scan's channels by id, with their text, to share with the next scan. */
interface Previous {
  readonly channels: Map<string, { readonly channel: Channel; readonly text: string }>;
}

export class IpcPast {
  private readonly scans: Kept[] = [];
  private previous: Previous | null = null;
  /** Counted bytes of each shared object (a channel, an endpoint), set when it was first kept. */
  private readonly sizes = new WeakMap<object, number>();
  private total = 0;

  /**
   * Keeps `map` (unless it is older than the newest kept) and returns the map as kept, sharing what did not
   * change with the scan before: the caller shows that one, so the message's own copies can go.
   */
  keep(map: IpcMap): IpcMap {
    const last = this.scans[this.scans.length - 1];
    if (last && map.timestamp < last.map.timestamp) return map;
    const owned: object[] = [];
    const byId = new Map<string, { channel: Channel; text: string }>();
    let refs = map.channels.length;
    const channels = map.channels.map((channel) => {
      const text = JSON.stringify(channel);
      const before = this.previous?.channels.get(channel.id);
      let kept: Channel = channel;
      if (before && before.text === text) kept = before.channel;
      else {
        // Endpoints equal to one the channel had in the scan before are that one; the others are new.
        const earlier = new Map<string, Endpoint>();
        for (const e of before?.channel.endpoints ?? []) earlier.set(JSON.stringify(e), e);
        let endpointsText = 0;
        const endpoints = channel.endpoints.map((e) => {
          const t = JSON.stringify(e);
          endpointsText += t.length;
          const same = earlier.get(t);
          if (same) return same;
          this.own(e, t.length, owned);
          return e;
        });
        if (before) kept = { ...channel, endpoints } as Channel;
        this.own(kept, text.length - endpointsText, owned);
      }
      refs += kept.endpoints.length;
      byId.set(channel.id, { channel: kept, text });
      return kept;
    });
    const kept: IpcMap = { ...map, channels };
    let bytes = REF_BYTES * refs + JSON.stringify({ ...map, channels: [] }).length;
    for (const o of owned) bytes += this.sizes.get(o)!;
    this.scans.push({ map: kept, owned, bytes });
    this.total += bytes;
    this.previous = { channels: byId };
    while (this.scans.length > 1 && (this.scans.length > IPC_PAST_SCANS || this.total > IPC_PAST_BYTES)) this.dropOldest();
    return kept;
  }

  /** What the kept scans are counted as, bytes (see the file's comment). */
  get bytes(): number {
    return this.total;
  }

  get length(): number {
    return this.scans.length;
  }

  /** Every kept scan, oldest first. */
  get all(): IpcMap[] {
    return this.scans.map((k) => k.map);
  }

  /** The newest scan taken at or before `at` (ms since the epoch), or null when none kept is that old. */
  at(at: number): IpcMap | null {
    let lo = 0;
    let hi = this.scans.length - 1;
    let found: IpcMap | null = null;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.scans[mid]!.map.timestamp <= at) {
        found = this.scans[mid]!.map;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  get latest(): IpcMap | null {
    return this.scans[this.scans.length - 1]?.map ?? null;
  }

  /** When the oldest kept scan was taken, or null before the first. */
  get oldest(): number | null {
    return this.scans[0]?.map.timestamp ?? null;
  }

  /** Records `o` as brought new by the scan being kept, counted as `size` bytes. */
  private own(o: object, size: number, owned: object[]): void {
    this.sizes.set(o, size);
    owned.push(o);
  }

  /**
   * Drops the oldest scan. What it brought that the next scan still holds is not freed: it passes to the next
   * scan, with its bytes; the rest is freed and uncounted.
   */
  private dropOldest(): void {
    const oldest = this.scans.shift()!;
    const next = this.scans[0];
    const held = new Set<object>();
    if (next) {
      for (const c of next.map.channels) {
        held.add(c);
        for (const e of c.endpoints) held.add(e);
      }
    }
    let freed = oldest.bytes;
    for (const o of oldest.owned) {
      if (!held.has(o)) continue;
      const size = this.sizes.get(o) ?? 0;
      next!.owned.push(o);
      next!.bytes += size;
      freed -= size;
    }
    this.total -= freed;
  }
}
