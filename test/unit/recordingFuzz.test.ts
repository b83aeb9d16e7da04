// Fuzzing the recording reader: a real recording, made by the Recorder from this machine's /proc while the
// test starts and kills processes between polls, is damaged thousands of ways (cut at any byte, bytes flipped,
// gzip members dropped, doubled or swapped, lines deleted, doubled, swapped or joined, values replaced by huge,
// negative, fractional or non-finite numbers, by long strings, by JSON of the wrong shape or nested tens of
// thousands deep, invalid UTF-8, versions and headers changed). Each copy goes through what the panel's Open
// Recording and `procscope replay` do with a file. Each must be either refused with a RecordingError (the
// reader's one documented failure) or read as a recording whose every tick and table holds together, and what
// comes before the damage must read as it did whole. Then files shaped to cost the most for their size: the
// panel's and replay's answers must take time in proportion to reading the file.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { applyDelta } from '../../src/core/diff';
import type { Snapshot } from '../../src/core/model';
import {
  decodeDelta,
  encodeLine,
  RECORDING_FORMAT,
  RECORDING_VERSION,
  type EncodedDelta,
  type TickLine,
} from '../../src/core/record/format';
import { RecordingHistory } from '../../src/core/record/historyIndex';
import {
  loadRecordingFile,
  parseRecording,
  readRecording,
  Recording,
  RecordingError,
  type CutOff,
  type NotRecordingWhy,
} from '../../src/core/record/reader';
import { Recorder } from '../../src/core/record/recorder';
import { lifetimes, summarize } from '../../src/core/record/timeline';
import { splitProcessKey } from '../../src/shared/processKey';
import { run as replay } from '../../src/cli/replay';
import { chance, int, mulberry32, pick, type Rng } from './prng';

// Damaged copies come from a seeded PRNG (./prng.ts): each is made again the same way from its seed.
const SEED = 0x5eed2026;
/** Damaged copies made from the recording; one in REPLAY_EVERY is also replayed from a file by the CLI and the panel's loader. */
const CASES = 1500;
const REPLAY_EVERY = 12;

const scratch = mkdtempSync(join(tmpdir(), 'procscope-fuzz-'));
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(scratch, { recursive: true, force: true });
});

// ---- the recording to start from ----

interface Base {
  /** The recording as the Recorder writes it: one gzip member per line. */
  readonly data: Buffer;
  readonly members: readonly Buffer[];
  /** Its lines (header first), without their newlines. */
  readonly lines: readonly string[];
  /** The table at each tick, folded here from the lines, independently of the reader. */
  readonly tables: readonly Snapshot[];
  /** Every field name any of its objects has: names a damaged line may add. */
  readonly names: readonly string[];
}

/** The machine's processes kept in the recording, besides this test's own and those born while it records. */
const KEPT_PROCESSES = 12;

/**
 * The recording narrowed to this test's process (threads and all), the processes born while it recorded (the
 * sleeps this test starts) and the first KEPT_PROCESSES others: every copy then reads in about a millisecond,
 * however many processes the machine runs. Narrowed whole: each delta keeps its entries for the kept
 * processes, so it is the recording the Recorder would have made had the others not been there.
 */
function narrow(lines: readonly TickLine[]): TickLine[] {
  const [first, ...rest] = JSON.parse(JSON.stringify(lines)) as [{ full: Snapshot }, ...{ delta: EncodedDelta }[]];
  const processes = first.full.processes;
  const keep = new Set(
    [
      ...processes.filter((p) => p.pid === process.pid || (p.threads?.length ?? 0) > 1).slice(0, 4),
      ...processes.slice(0, KEPT_PROCESSES),
    ].map((p) => p.key),
  );
  const kept = { ...first, full: { ...first.full, processes: processes.filter((p) => keep.has(p.key)) } };
  const deltas = rest.map((line) => {
    for (const p of line.delta.added) keep.add(p.key);
    return {
      ...line,
      delta: {
        ...line.delta,
        removed: line.delta.removed.filter((k) => keep.has(k)),
        changed: line.delta.changed.filter((c) => keep.has(c.key)),
      },
    };
  });
  return [kept, ...deltas] as unknown as TickLine[];
}

/** Polls `ticks` times with the Recorder on the real /proc (threads too), starting and killing sleeps between polls. */
async function makeBase(ticks: number): Promise<Base> {
  const recorder = new Recorder({ intervalMs: 30, threads: true, producer: 'recordingFuzz' });
  const polled: TickLine[] = [];
  try {
    for (let i = 0; i < ticks; i++) {
      if (i % 2 === 0) children.push(spawn('sleep', ['30'], { stdio: 'ignore' }));
      if (i % 3 === 2) children.shift()?.kill('SIGKILL');
      await new Promise((r) => setTimeout(r, 30));
      polled.push(recorder.next());
    }
    const out = narrow(polled);
    const members = [encodeLine(recorder.header(out[0]!, Date.now())), ...out.map((l) => encodeLine(l))];
    const lines = Buffer.concat(members.map((m) => gunzipSync(m)))
      .toString('utf8')
      .split('\n')
      .slice(0, -1);
    const tables: Snapshot[] = [(JSON.parse(lines[1]!) as { full: Snapshot }).full];
    for (let i = 2; i < lines.length; i++)
      tables.push(applyDelta(tables.at(-1)!, decodeDelta((JSON.parse(lines[i]!) as { delta: EncodedDelta }).delta)));
    const names = new Set<string>();
    const collect = (v: unknown, depth: number): void => {
      if (typeof v !== 'object' || v === null || depth > 6) return;
      if (!Array.isArray(v)) for (const k of Object.keys(v)) names.add(k);
      for (const x of Object.values(v)) collect(x, depth + 1);
    };
    for (const line of lines) collect(JSON.parse(line), 0);
    return { data: Buffer.concat(members), members, lines, tables, names: [...names] };
  } finally {
    recorder.dispose();
  }
}

// ---- what a damaged copy may turn into ----

/** A value written as JSON text, so that what JSON.stringify cannot write (1e400, nesting past its stack) can be. */
function nastyToken(rng: Rng, siblings: readonly unknown[]): string {
  switch (int(rng, 0, 9)) {
    case 0:
    case 1:
      return pick(rng, [
        '0',
        '-0',
        '1',
        '-1',
        '0.5',
        '-0.5',
        '2',
        '7',
        '1e308',
        '-1e308',
        '1e400',
        '-1e400',
        '1e-400',
        '4194304',
        '4194305',
        '4294967296',
        '9007199254740993',
        '8.64e15',
        '8.640000000000001e15',
        '-8.64e15',
        '123456789012345678901234567890',
      ]);
    case 2:
      return pick(rng, [
        '""',
        '"R"',
        '"Z"',
        '"x"',
        '"\\udc80"',
        '"\\ud800"',
        '"\\u0000"',
        '"\\u001b[2J"',
        '"1@1"',
        '"0@0"',
        '"4194305@1"',
        '"1@1+1"',
        '"__proto__"',
        '"SCHED_OTHER"',
        '"procfs"',
        '"procscope-recording"',
        '"\\u202e"',
      ]);
    case 3:
      return pick(rng, [
        'null',
        'true',
        'false',
        '[]',
        '{}',
        '[null]',
        '[[]]',
        '[{}]',
        '{"__proto__":{"polluted":true}}',
        '["x",1]',
        '{"count":1,"unit":"tasks","reason":"x"}',
        '{"key":"1@1"}',
        '[{"key":"1@1","pid":1}]',
      ]);
    case 4:
      // Not JSON at all: the line is then no tick.
      return pick(rng, ['NaN', 'Infinity', '-Infinity', 'undefined', "'x'", '01', '1.', '.5', '+1', '0x10', '"\\x41"', '"open', '[1,]']);
    case 5: {
      const depth = pick(rng, [40, 1000, 30_000]);
      return chance(rng, 0.5) ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    }
    case 6:
      return JSON.stringify('x'.repeat(pick(rng, [300, 70_000, 300_000])));
    case 7:
      return `[${'0,'.repeat(pick(rng, [1000, 20_000]))}0]`;
    default: {
      // Another field's value: the right shape in the wrong place.
      const v = siblings.length > 0 ? pick(rng, siblings) : null;
      return JSON.stringify(v) ?? 'null';
    }
  }
}

const MARK = '\uE000FUZZ\uE000';

/** A container and one of its keys reached by a random walk down `root`, preferring to go deeper. */
function walk(rng: Rng, root: unknown): { holder: Record<string | number, unknown> | unknown[]; key: string | number } | undefined {
  let holder = root;
  if (typeof holder !== 'object' || holder === null) return undefined;
  for (;;) {
    const h = holder as Record<string, unknown> | unknown[];
    const keys: (string | number)[] = Array.isArray(h) ? h.map((_, i) => i) : Object.keys(h);
    if (keys.length === 0) return undefined;
    const deeper = keys.filter((k) => {
      const v = (h as Record<string | number, unknown>)[k];
      return typeof v === 'object' && v !== null && Object.keys(v).length > 0;
    });
    const key = deeper.length > 0 && chance(rng, 0.75) ? pick(rng, deeper) : pick(rng, keys);
    const v = (h as Record<string | number, unknown>)[key];
    if (typeof v === 'object' && v !== null && Object.keys(v).length > 0 && chance(rng, 0.72)) {
      holder = v;
      continue;
    }
    return { holder: h, key };
  }
}

/** Some values found in `root` (not deep): what a field may be given by mistake. */
function someValues(root: unknown, rng: Rng): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < 4; i++) {
    const at = walk(rng, root);
    if (at) out.push((at.holder as Record<string | number, unknown>)[at.key]);
  }
  return out;
}

/** The objects (not arrays) in `root`, down to a few levels: processes, threads, changes, a table, the header. */
function objectsIn(root: unknown): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length > 0 && out.length < 5000) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null || depth > 6) continue;
    if (!Array.isArray(v)) out.push(v as Record<string, unknown>);
    for (const x of Object.values(v)) stack.push([x, depth + 1]);
  }
  return out;
}

/** One line with one value changed, added or taken away (or more than one, now and then). */
function damageJsonLine(rng: Rng, line: string, names: readonly string[]): { line: string; what: string } {
  // A line an earlier round made no JSON, or JSON nested too deep to write back: a token goes into its text anywhere.
  const intoText = (): { line: string; what: string } => {
    const at = int(rng, 0, line.length);
    const t = nastyToken(rng, []);
    return { line: `${line.slice(0, at)}${t}${line.slice(at)}`, what: `${t.slice(0, 40)} put into its text at ${at}` };
  };
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return intoText();
  }
  const tokens: string[] = [];
  const whats: string[] = [];
  const objects = objectsIn(value);
  const edits = chance(rng, 0.8) ? 1 : int(rng, 2, 4);
  for (let e = 0; e < edits; e++) {
    // Half the time anywhere a random walk leads; half the time a field of an object (mostly processes and threads).
    let at = walk(rng, value);
    if (chance(rng, 0.5) && objects.length > 0) {
      const holder = pick(rng, objects);
      const keys = Object.keys(holder);
      if (keys.length > 0) at = { holder, key: pick(rng, keys) };
    }
    if (!at) break;
    const { holder, key } = at;
    const token = (): string => {
      const t = nastyToken(rng, someValues(value, rng));
      tokens.push(t);
      return `${MARK}${tokens.length - 1}`;
    };
    /** An own property even for __proto__, as JSON.parse makes it. */
    const define = (name: string, v: unknown): void => {
      Object.defineProperty(holder, name, { value: v, enumerable: true, writable: true, configurable: true });
    };
    const op = int(rng, 0, 11);
    if (op <= 3) {
      (holder as Record<string | number, unknown>)[key] = token();
      whats.push(`set ${String(key)} to ${tokens.at(-1)!.slice(0, 40)}`);
    } else if (op === 4) {
      if (Array.isArray(holder)) holder.splice(key as number, 1);
      else delete holder[key];
      whats.push(`deleted ${String(key)}`);
    } else if (op === 5 && !Array.isArray(holder)) {
      const name = chance(rng, 0.6) ? pick(rng, names) : pick(rng, ['future', '__proto__', 'constructor', 'unset', 'prototype']);
      define(name, token());
      whats.push(`added ${name}: ${tokens.at(-1)!.slice(0, 40)}`);
    } else if (op === 6 && !Array.isArray(holder) && objects.length > 0) {
      // A field of another object: the right shape in the wrong place (another pid, another key, a thread's state).
      const other = pick(rng, objects);
      const name = pick(rng, Object.keys(other).length > 0 ? Object.keys(other) : ['pid']);
      define(name, other[name]);
      whats.push(`copied ${name} from another object`);
    } else if (op === 7 && !Array.isArray(holder)) {
      const depth = pick(rng, [33, 1000, 30_000]);
      tokens.push(chance(rng, 0.5) ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
      define(pick(rng, ['future', 'extra', '__proto__']), `${MARK}${tokens.length - 1}`);
      whats.push(`a field nested ${depth} deep added`);
    } else if (op >= 8 && op <= 9 && Array.isArray(holder)) {
      holder.splice(key as number, 0, holder[key as number]);
      whats.push(`doubled [${String(key)}]`);
    } else if (op === 10 && Array.isArray(holder) && holder.length > 1) {
      const j = int(rng, 0, holder.length - 1);
      [holder[key as number], holder[j]] = [holder[j], holder[key as number]];
      whats.push(`swapped [${String(key)}] and [${j}]`);
    } else {
      const inner = (holder as Record<string | number, unknown>)[key];
      (holder as Record<string | number, unknown>)[key] = chance(rng, 0.5) ? [inner] : { v: inner };
      whats.push(`wrapped ${String(key)}`);
    }
  }
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch {
    return intoText();
  }
  // Each mark is a whole JSON string, quotes and all, so one never matches the start of another.
  for (let i = tokens.length - 1; i >= 0; i--) text = text.replace(JSON.stringify(`${MARK}${i}`), () => tokens[i]!);
  return { line: text, what: whats.join('; ') };
}

interface Damaged {
  readonly data: Buffer;
  readonly what: string;
  /** Lines (the header first) left whole and in place before the first damage. */
  readonly intact: number;
  /** A bound on the decompressed text the copy is read with (a gzip bomb is refused as TOO_LARGE under it). */
  readonly maxTextBytes?: number;
  /** Whole data follows the damage: a recording read from the copy must say it was cut. */
  readonly saysCut?: boolean;
}

const INVALID_UTF8 = [[0xff], [0xfe], [0x80], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80], [0xf8, 0x88]];

/** Lines damaged as text, then written plain, one gzip member a line (as recorded), all in one member, or a few lines a member. */
function damageLines(rng: Rng, base: Base): Damaged {
  let lines = [...base.lines];
  let intact = lines.length;
  const whats: string[] = [];
  const touch = (i: number): void => {
    intact = Math.min(intact, i);
  };
  const rounds = chance(rng, 0.75) ? 1 : int(rng, 2, 3);
  for (let r = 0; r < rounds; r++) {
    const i = int(rng, 0, lines.length - 1);
    const j = int(rng, 0, lines.length - 1);
    const op = int(rng, 0, 13);
    if (op <= 5) {
      // The header is damaged a tenth of the time; ticks (the full one and deltas) the rest.
      const at = chance(rng, 0.1) ? 0 : int(rng, 1, lines.length - 1);
      const d = damageJsonLine(rng, lines[at]!, base.names);
      lines[at] = d.line;
      touch(at);
      whats.push(`line ${at + 1}: ${d.what}`);
    } else if (op === 6) {
      lines.splice(i, 1);
      touch(i);
      whats.push(`deleted line ${i + 1}`);
    } else if (op === 7) {
      lines.splice(i, 0, lines[i]!);
      touch(i + 1);
      whats.push(`doubled line ${i + 1}`);
    } else if (op === 8 && i !== j) {
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      touch(Math.min(i, j));
      whats.push(`swapped lines ${i + 1} and ${j + 1}`);
    } else if (op === 9) {
      lines = [lines[0]!, ...lines.slice(1).reverse()];
      touch(1);
      whats.push('ticks in reverse');
    } else if (op === 10) {
      const foreign = pick(rng, [
        '',
        ' ',
        '{}',
        '[]',
        'null',
        '"x"',
        '{"tick":1}',
        lines[0]!,
        pick(rng, lines),
        ' '.repeat(pick(rng, [1000, 300_000])),
        `${'['.repeat(30_000)}${']'.repeat(30_000)}`,
        `{"tick":${i},"at":1,"delta":${'['.repeat(30_000)}}`,
      ]);
      lines.splice(i, 0, foreign);
      touch(i);
      whats.push(`inserted ${JSON.stringify(foreign.slice(0, 30))} as line ${i + 1}`);
    } else if (op === 11) {
      const keep = int(rng, 0, lines[i]!.length - 1);
      lines[i] = lines[i]!.slice(0, keep);
      touch(i);
      whats.push(`line ${i + 1} cut to ${keep} characters`);
    } else if (op === 12 && i < lines.length - 1) {
      lines.splice(i, 2, `${lines[i]!}${chance(rng, 0.5) ? '' : ' '}${lines[i + 1]!}`);
      touch(i);
      whats.push(`lines ${i + 1} and ${i + 2} joined`);
    } else {
      const d = damageJsonLine(rng, lines[i]!, base.names);
      lines[i] = d.line;
      touch(i);
      whats.push(`line ${i + 1}: ${d.what}`);
    }
  }
  let text = Buffer.from(`${lines.join('\n')}\n`);
  // Damage to the bytes of the text itself.
  if (chance(rng, 0.25)) {
    const at = int(rng, 0, text.length);
    const kind = int(rng, 0, 5);
    const lineOf = (offset: number): number => {
      let n = 0;
      for (let nl = text.indexOf(0x0a); nl >= 0 && nl < offset; nl = text.indexOf(0x0a, nl + 1)) n++;
      return n;
    };
    if (kind === 0) {
      const bytes = Buffer.from(pick(rng, INVALID_UTF8));
      text = Buffer.concat([text.subarray(0, at), bytes, text.subarray(at)]);
      whats.push(`invalid UTF-8 ${bytes.toString('hex')} at byte ${at}`);
    } else if (kind === 1) {
      text = text.subarray(0, at);
      whats.push(`text cut at byte ${at}`);
    } else if (kind === 2) {
      text = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), text]);
      whats.push('a byte order mark first');
    } else if (kind === 3) {
      text = Buffer.from(text.toString('latin1').replace(/\n/g, '\r\n'), 'latin1');
      whats.push('CRLF line ends');
    } else if (kind === 4) {
      text = Buffer.from(text);
      for (let k = int(rng, 1, 6); k > 0; k--) text[int(rng, 0, text.length - 1)]! ^= int(rng, 1, 255);
      whats.push('text bytes flipped');
      intact = 0;
    } else {
      text = Buffer.concat([text.subarray(0, at), Buffer.from([0, 0x1b, 0x07]), text.subarray(at)]);
      whats.push(`NUL and escapes at byte ${at}`);
    }
    if (kind !== 4) intact = Math.min(intact, kind === 2 || kind === 3 ? 0 : lineOf(at));
  }
  // As it is written.
  const encoding = int(rng, 0, 9);
  let data: Buffer;
  if (encoding <= 2) {
    data = text;
    whats.push('plain');
  } else if (encoding <= 6) {
    const parts: Buffer[] = [];
    for (let s = 0; s < text.length;) {
      const nl = text.indexOf(0x0a, s);
      const e = nl < 0 ? text.length : nl + 1;
      parts.push(gzipSync(text.subarray(s, e), { level: 1 }));
      s = e;
    }
    data = Buffer.concat(parts);
    whats.push('a gzip member a line');
  } else if (encoding <= 8) {
    data = gzipSync(text, { level: 1 });
    whats.push('one gzip member');
  } else {
    const parts: Buffer[] = [];
    let s = 0;
    while (s < text.length) {
      let e = s;
      for (let n = int(rng, 1, 4); n > 0 && e < text.length; n--) {
        const nl = text.indexOf(0x0a, e);
        e = nl < 0 ? text.length : nl + 1;
      }
      parts.push(gzipSync(text.subarray(s, e), { level: 1 }));
      s = e;
    }
    data = Buffer.concat(parts);
    whats.push('a few lines a gzip member');
  }
  return { data, what: whats.join('; '), intact };
}

/** Writes lines as the Recorder does (a gzip member each), or plain. */
function written(rng: Rng, lines: readonly string[]): { data: Buffer; how: string } {
  if (chance(rng, 0.3)) return { data: Buffer.from(`${lines.join('\n')}\n`), how: 'plain' };
  return { data: Buffer.concat(lines.map((l) => gzipSync(`${l}\n`, { level: 1 }))), how: 'a gzip member a line' };
}

interface TickJson {
  [field: string]: unknown;
  full?: Record<string, unknown> & { processes: Record<string, unknown>[] };
  delta?: Record<string, unknown> & { added: Record<string, unknown>[]; removed: unknown[]; changed: Record<string, unknown>[] };
}

/**
 * Damage aimed at what the reader promises of what it returns (each table's lists are lists, a key once per table
 * and naming its pid, fields nested no deeper than anything can print, a header it knows): which promise and
 * where in the recording is the PRNG's choice.
 */
function damageShape(rng: Rng, base: Base): Damaged {
  const lines = [...base.lines];
  const at = int(rng, 1, lines.length - 1);
  const tick = JSON.parse(lines[at]!) as TickJson;
  const processes = (JSON.parse(lines[1]!) as TickJson).full!.processes;
  const aProcess = (): Record<string, unknown> => structuredClone(pick(rng, processes));
  /** Where this tick lists whole processes: its table, or its births. */
  const listed = tick.full ? tick.full.processes : tick.delta!.added;
  const deep: string[] = [];
  let what: string;
  const kind = int(rng, 0, 7);
  if (kind === 0) {
    const holder = (tick.full ?? tick.delta)!;
    const field = pick(rng, Object.keys(holder));
    if (chance(rng, 0.5)) delete holder[field];
    else holder[field] = pick(rng, [null, 0, 'x', {}, [], [1], true]);
    what = `the tick's ${field} taken away or made wrong`;
  } else if (kind === 1) {
    listed.push(chance(rng, 0.5) && listed.length > 0 ? structuredClone(pick(rng, listed)) : aProcess());
    what = 'a process listed twice';
  } else if (kind === 2) {
    const field = pick(rng, ['pid', 'pid', 'key', 'ppid', 'startTicks', 'threads', 'name', 'cmdline', 'state', 'unset']);
    const donor = aProcess();
    // A change in a delta (a new one when it has none), or a process of the first table.
    const target: Record<string, unknown> = tick.full
      ? pick(rng, tick.full.processes)
      : tick.delta!.changed.length > 0 && chance(rng, 0.7)
        ? pick(rng, tick.delta!.changed)
        : { key: pick(rng, processes).key };
    target[field] = field === 'unset' ? [pick(rng, ['pid', 'key', 'threads', 'name', 'future'])] : donor[field];
    if (tick.delta && !tick.delta.changed.includes(target)) tick.delta.changed.push(target);
    what = `${tick.full ? 'a process' : 'a change'} given another process's ${field}`;
  } else if (kind === 3) {
    const objects = objectsIn(tick);
    const holder = pick(rng, objects);
    const depth = pick(rng, [33, 200, 30_000]);
    deep.push(chance(rng, 0.5) ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
    holder[pick(rng, ['future', 'extra'])] = `${MARK}0`;
    what = `a field nested ${depth} deep in an object of ${Object.keys(holder).slice(0, 3).join(',')}`;
  } else if (kind === 4) {
    const withThreads = [...listed, ...(tick.delta?.changed ?? [])].filter((p) => Array.isArray(p.threads) && p.threads.length > 0);
    if (withThreads.length === 0) return damageShape(rng, base);
    const threads = pick(rng, withThreads).threads as Record<string, unknown>[];
    const one = pick(rng, threads);
    if (chance(rng, 0.5)) threads.push(structuredClone(one));
    else pick(rng, threads).tid = one.tid;
    what = "a thread listed twice, or given another's tid";
  } else if (kind === 5) {
    if (!tick.delta) return damageShape(rng, base);
    const p = aProcess();
    const choice = int(rng, 0, 2);
    if (choice === 0) tick.delta.removed.push(`${int(rng, 1, 4_000_000)}@1`);
    else if (choice === 1) tick.delta.changed.push({ key: `${int(rng, 1, 4_000_000)}@1`, name: 'ghost' });
    else tick.delta.added.push(p);
    what = ['a process removed that is not there', 'a change of a process that is not there', 'a birth of a process already there'][
      choice
    ]!;
  } else if (kind === 6) {
    if (listed.length === 0) return damageShape(rng, base);
    const p = pick(rng, listed);
    if (chance(rng, 0.5)) p.key = `${(p.pid as number) + 1}@${String(p.startTicks)}`;
    else p.pid = (p.pid as number) + 1;
    what = 'a process whose key names another pid';
  } else {
    const header = JSON.parse(lines[0]!) as Record<string, unknown>;
    const field = pick(rng, [
      'version',
      'version',
      'format',
      'bootTime',
      'clockTicks',
      'intervalMs',
      'startedAt',
      'host',
      'threads',
      'producer',
      'future',
    ]);
    const value = pick(rng, [
      undefined,
      0,
      2,
      1.5,
      '1',
      -1,
      null,
      1,
      'procscope-recording',
      'PROCSCOPE-RECORDING',
      1e300,
      [],
      { a: 1 },
      `${MARK}0`,
    ]);
    deep.push(pick(rng, ['1e400', '-1e400', `${'['.repeat(30_000)}${']'.repeat(30_000)}`]));
    if (value === undefined) delete header[field];
    else header[field] = value;
    lines[0] = JSON.stringify(header).replace(JSON.stringify(`${MARK}0`), () => deep[0]!);
    const { data, how } = written(rng, lines);
    return { data, what: `the header's ${field} made ${String(value).slice(0, 20)}; ${how}`, intact: 0 };
  }
  lines[at] = JSON.stringify(tick).replace(JSON.stringify(`${MARK}0`), () => deep[0] ?? 'null');
  const { data, how } = written(rng, lines);
  return { data, what: `tick ${at - 1}: ${what}; ${how}`, intact: at };
}

/** The recorded bytes damaged as gzip data: cut, flipped, members dropped, doubled or swapped, junk appended. */
function damageGzip(rng: Rng, base: Base, bomb: Buffer): Damaged {
  const { data, members } = base;
  const ends: number[] = [];
  let total = 0;
  for (const m of members) ends.push((total += m.length));
  /** Members wholly before byte `offset`. */
  const before = (offset: number): number => ends.filter((e) => e <= offset).length;
  const at = int(rng, 0, data.length);
  const op = int(rng, 0, 13);
  switch (op) {
    case 0:
    case 1: {
      const cut = chance(rng, 0.3) ? Math.max(0, Math.min(data.length, pick(rng, ends) + int(rng, -2, 2))) : at;
      return { data: data.subarray(0, cut), what: `cut at byte ${cut}`, intact: before(cut) };
    }
    case 2:
    case 3: {
      const out = Buffer.from(data);
      let first = out.length;
      for (let k = int(rng, 1, 8); k > 0; k--) {
        const o = int(rng, 0, out.length - 1);
        out[o]! ^= int(rng, 1, 255);
        first = Math.min(first, o);
      }
      return { data: out, what: 'bytes flipped', intact: before(first) };
    }
    case 4: {
      const out = Buffer.from(data);
      const len = int(rng, 1, 64);
      const fill = pick(rng, [0x00, 0xff, -1]);
      for (let o = at; o < Math.min(out.length, at + len); o++) out[o] = fill < 0 ? int(rng, 0, 255) : fill;
      return { data: out, what: `${len} bytes overwritten at ${at}`, intact: before(at) };
    }
    case 5: {
      const len = int(rng, 1, 200);
      return {
        data: Buffer.concat([data.subarray(0, at), data.subarray(at + len)]),
        what: `${len} bytes deleted at ${at}`,
        intact: before(at),
      };
    }
    case 6: {
      const junk = chance(rng, 0.5)
        ? Buffer.from([0x1f, 0x8b, 0x08, ...Array.from({ length: int(rng, 0, 12) }, () => int(rng, 0, 255))])
        : Buffer.from(Array.from({ length: int(rng, 1, 32) }, () => int(rng, 0, 255)));
      return { data: Buffer.concat([data.subarray(0, at), junk, data.subarray(at)]), what: `junk inserted at ${at}`, intact: before(at) };
    }
    case 7: {
      const i = int(rng, 0, members.length - 1);
      const out = [...members];
      const kind = int(rng, 0, 2);
      if (kind === 0) out.splice(i, 1);
      else if (kind === 1) out.splice(i, 0, members[i]!);
      else {
        const j = int(rng, 0, members.length - 1);
        [out[i], out[j]] = [out[j]!, out[i]!];
        return { data: Buffer.concat(out), what: `members ${i} and ${j} swapped`, intact: i === j ? members.length : Math.min(i, j) };
      }
      return { data: Buffer.concat(out), what: `member ${i} ${kind === 0 ? 'dropped' : 'doubled'}`, intact: kind === 0 ? i : i + 1 };
    }
    case 8: {
      const i = int(rng, 0, members.length - 1);
      const other = gzipSync(pick(rng, ['', '\n', 'hello\n', '{"tick":0}\n', '\u00ff\u00fe\n', `${'['.repeat(30_000)}\n`]));
      const out = [...members];
      out[i] = other;
      return { data: Buffer.concat(out), what: `member ${i} replaced`, intact: i };
    }
    case 9: {
      const tail = pick(rng, [
        Buffer.from('garbage'),
        members.at(-1)!,
        members.at(-1)!.subarray(0, int(rng, 1, members.at(-1)!.length - 1)),
        Buffer.from([0x1f]),
        Buffer.from([0x1f, 0x8b]),
        Buffer.alloc(int(rng, 1, 4096)),
      ]);
      return { data: Buffer.concat([data, tail]), what: `${tail.length} bytes appended`, intact: members.length };
    }
    case 10: {
      // A member that decompresses to far more than the text is allowed to be.
      const i = int(rng, 1, members.length);
      const out = [...members];
      out.splice(i, 0, bomb);
      const maxTextBytes = 4 * gunzipSync(data).length;
      return { data: Buffer.concat(out), what: `gzip bomb as member ${i}`, intact: i, maxTextBytes };
    }
    case 11: {
      const out = [...members].reverse();
      return { data: Buffer.concat(out), what: 'members in reverse', intact: 0 };
    }
    case 12: {
      // Zero bytes where a member starts (zlib reads them as padding and stops): at the end they are padding, as
      // a crash leaves; before more members they hide data, and the reader must say the recording is cut there.
      const i = int(rng, 1, members.length);
      const zeros = Buffer.alloc(int(rng, 1, 600));
      const out = [...members];
      if (chance(rng, 0.5) || i === members.length) out.splice(i, 0, zeros);
      else out[i] = Buffer.concat([zeros.subarray(0, 1), members[i]!.subarray(1)]);
      return {
        data: Buffer.concat(out),
        what: `zero bytes where member ${i} starts`,
        intact: i,
        saysCut: i < members.length,
      };
    }
    default: {
      // Several kinds of damage at once.
      const out = Buffer.from(data);
      let first = out.length;
      for (let k = int(rng, 2, 40); k > 0; k--) {
        const o = int(rng, 0, out.length - 1);
        out[o] = int(rng, 0, 255);
        first = Math.min(first, o);
      }
      const cut = chance(rng, 0.5) ? int(rng, first, out.length) : out.length;
      return { data: out.subarray(0, cut), what: 'bytes scribbled, then cut', intact: before(Math.min(first, cut)) };
    }
  }
}

// ---- what must hold of what the reader gives ----

const CODES = new Set(['NOT_RECORDING', 'TOO_NEW', 'TOO_LARGE']);
const WHYS = new Set<NotRecordingWhy>(['empty', 'cutInHeader', 'notJson', 'notHeader', 'badVersion', 'badHeader']);
const CUT_WHYS = new Set<CutOff['why']>(['incomplete', 'notJson', 'notTick', 'gzip', 'limit']);
const DATE_MAX = 8.64e15;

/** The one failure the reader documents for data it is given: a RecordingError saying why, in words. */
function assertDocumentedFailure(e: unknown, label: string): asserts e is RecordingError {
  if (!(e instanceof RecordingError)) assert.fail(`${label}: ${e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e)}`);
  assert.ok(CODES.has(e.code), `${label}: code ${e.code}`);
  assert.ok(e.message.length > 0 && !e.message.includes('undefined'), `${label}: message ${e.message}`);
  if (e.code === 'NOT_RECORDING') assert.ok(e.why !== undefined && WHYS.has(e.why), `${label}: why ${String(e.why)}`);
  if (e.code === 'TOO_NEW') assert.ok(typeof e.version === 'number' && e.version > RECORDING_VERSION, `${label}: version ${e.version}`);
}

/** A table as the panel and replay show it: its lists are lists, its keys are unique and name their pids, it prints as JSON. */
function checkTable(s: Snapshot, label: string): void {
  assert.ok(s.backend === 'procfs' || s.backend === 'portable', `${label}: backend`);
  assert.ok(Number.isFinite(s.timestamp) && Math.abs(s.timestamp) <= DATE_MAX, `${label}: timestamp`);
  assert.ok(Array.isArray(s.processes), `${label}: processes`);
  assert.ok(Array.isArray(s.unavailableFields) && s.unavailableFields.every((f) => typeof f === 'string'), `${label}: unavailableFields`);
  const keys = new Set<string>();
  for (const p of s.processes) {
    assert.ok(typeof p === 'object' && p !== null, `${label}: a process`);
    assert.equal(splitProcessKey(p.key)?.pid, p.pid, `${label}: key ${String(p.key)} names pid ${String(p.pid)}`);
    assert.ok(!keys.has(p.key), `${label}: key ${p.key} twice in one table`);
    keys.add(p.key);
    assert.ok(typeof p.name === 'string' && Number.isInteger(p.ppid), `${label}: ${p.key}'s name and parent`);
    if (p.threads !== undefined) assert.ok(Array.isArray(p.threads), `${label}: ${p.key}'s threads`);
  }
  // What replay --json prints and the panel posts to its page.
  assert.doesNotThrow(() => JSON.stringify(s), `${label}: the table prints as JSON`);
}

/** Everything a returned recording promises, and the answers the panel and replay get from it. */
function checkRecording(rec: Recording, label: string, rng: Rng, full: boolean): void {
  const h = rec.header;
  assert.equal(h.format, RECORDING_FORMAT, `${label}: format`);
  assert.ok(Number.isInteger(h.version) && h.version >= 1 && h.version <= RECORDING_VERSION, `${label}: version ${h.version}`);
  for (const f of ['bootTime', 'startedAt'] as const) assert.ok(Number.isFinite(h[f]) && Math.abs(h[f]) <= DATE_MAX, `${label}: ${f}`);
  for (const f of ['clockTicks', 'intervalMs'] as const) assert.ok(Number.isFinite(h[f]), `${label}: ${f}`);
  assert.equal(typeof h.host, 'string', `${label}: host`);
  assert.equal(typeof h.threads, 'boolean', `${label}: threads`);
  assert.ok(h.producer === undefined || typeof h.producer === 'string', `${label}: producer`);
  assert.doesNotThrow(() => JSON.stringify(h), `${label}: the header prints as JSON`);

  const ticks = rec.ticks;
  ticks.forEach((t, i) => {
    assert.equal(t.tick, i, `${label}: tick ${i} numbered ${t.tick}`);
    assert.ok(
      i === 0 ? t.full !== undefined && t.delta === undefined : t.delta !== undefined && t.full === undefined,
      `${label}: tick ${i}'s kind`,
    );
    assert.ok(Number.isFinite(t.at) && Math.abs(t.at) <= DATE_MAX, `${label}: tick ${i} at ${t.at}`);
    if (i > 0) assert.ok(t.at >= ticks[i - 1]!.at, `${label}: tick ${i} before tick ${i - 1}`);
    assert.ok(t.forks === null || (Number.isSafeInteger(t.forks) && t.forks >= 0), `${label}: tick ${i} forks ${t.forks}`);
  });
  const cut = rec.cutOff;
  if (cut !== undefined) {
    assert.equal(cut.afterTick, ticks.length - 1, `${label}: cut after tick ${cut.afterTick} of ${ticks.length}`);
    assert.ok(CUT_WHYS.has(cut.why), `${label}: cut why ${cut.why}`);
    assert.ok(cut.line === undefined || (Number.isInteger(cut.line) && cut.line >= 2), `${label}: cut line ${cut.line}`);
    assert.ok(cut.detail === undefined || typeof cut.detail === 'string', `${label}: cut detail`);
  }
  assert.ok(Number.isFinite(rec.durationMs) && rec.durationMs >= 0, `${label}: duration ${rec.durationMs}`);
  if (ticks.length === 0) return;

  // Tables: every one when asked for, else the first, the last and one between.
  const last = ticks.length - 1;
  const which = full ? ticks.map((_, i) => i) : [...new Set([0, last, int(rng, 0, last)])];
  for (const i of which) checkTable(rec.snapshotAt(i), `${label}, table ${i}`);

  // What the panel asks: the timeline's index, a past table, the newest; thread strips of a few processes.
  const history = new RecordingHistory(rec);
  const index = history.index()!;
  assert.deepEqual(
    index.times,
    ticks.map((t) => t.at),
    `${label}: the index's times`,
  );
  assert.ok(Number.isInteger(index.more) && index.more >= 0 && Number.isInteger(index.steady) && index.steady >= 0, `${label}: counts`);
  assert.ok(index.unseen === null || index.unseen >= 0, `${label}: unseen ${index.unseen}`);
  for (const life of index.lives) {
    assert.ok(splitProcessKey(life.key) !== undefined, `${label}: a life's key ${life.key}`);
    assert.ok(life.exitedAt === undefined || life.exitedAt >= life.from, `${label}: ${life.key} gone before it was seen`);
  }
  const first = rec.snapshotAt(0).processes;
  const keys = [...first.filter((p) => (p.threads?.length ?? 0) > 1).slice(0, 3), ...(first.length > 0 ? [pick(rng, first)] : [])].map(
    (p) => p.key,
  );
  const strips = history.index(keys)!.threads!;
  for (const s of strips.strips) {
    assert.ok(keys.includes(s.key), `${label}: a strip of ${s.key}, not asked for`);
    for (let r = 0; r < s.runs.length; r++) {
      const run = s.runs[r]!;
      assert.ok(run.from <= run.to, `${label}: a run of ${s.key}/${s.tid} ends before it starts`);
      if (r > 0) assert.ok(run.from >= s.runs[r - 1]!.to, `${label}: runs of ${s.key}/${s.tid} out of order`);
    }
  }
  const when = pick(rng, [ticks[0]!.at - 1000, ticks[last]!.at + 1000, ticks[int(rng, 0, last)]!.at, Number.NaN]);
  const past = history.at(when)!;
  assert.ok(
    ticks.some((t) => t.at === past.at),
    `${label}: history.at(${when}) is no tick's time`,
  );
  assert.deepEqual(history.newest(), rec.snapshotAt(last), `${label}: newest`);

  // What replay prints: the summary and the lives.
  const summary = summarize(rec);
  for (const [k, v] of Object.entries(summary))
    assert.ok(v === null || (Number.isFinite(v) && v >= 0), `${label}: summary ${k} is ${String(v)}`);
  assert.equal(summary.ticks, ticks.length, `${label}: summary ticks`);
  for (const life of lifetimes(rec).values())
    assert.ok(life.firstTick >= 0 && life.firstTick <= last && (life.bornAt ?? 0) <= last, `${label}: ${life.key}'s ticks`);
}

/** What the damaged copy gives when read as the panel and replay read it: a recording, or the documented failure. */
async function readCopy(copy: Damaged): Promise<Recording | RecordingError> {
  try {
    return await parseRecording(copy.data, copy.maxTextBytes !== undefined ? { maxTextBytes: copy.maxTextBytes } : {});
  } catch (e) {
    return e as RecordingError;
  }
}

/** The copy as a file, read by the panel's loader and replayed by the CLI (plain and --json --events). */
async function throughFiles(copy: Damaged, parsed: Recording | RecordingError, label: string, n: number): Promise<void> {
  const file = join(scratch, `case-${n}.ndjson.gz`);
  writeFileSync(file, copy.data);
  const limits = copy.maxTextBytes !== undefined ? { maxTextBytes: copy.maxTextBytes } : {};
  for (const [name, read] of [
    ['the panel', () => loadRecordingFile(file, limits)],
    ['replay', () => readRecording(file, limits)],
  ] as const) {
    let got: Recording | RecordingError;
    try {
      got = await read();
    } catch (e) {
      assertDocumentedFailure(e, `${label} (${name})`);
      got = e;
    }
    if (parsed instanceof Recording) {
      assert.ok(got instanceof Recording, `${label}: ${name} refused what parseRecording read: ${String(got)}`);
      assert.equal(got.ticks.length, parsed.ticks.length, `${label}: ${name}'s tick count`);
      assert.deepEqual(got.cutOff, parsed.cutOff, `${label}: ${name}'s cut`);
    } else {
      assert.ok(got instanceof RecordingError, `${label}: ${name} read what parseRecording refused`);
      assert.deepEqual([got.code, got.why], [parsed.code, parsed.why], `${label}: ${name}'s refusal`);
    }
  }
  if (copy.maxTextBytes !== undefined) return; // replay reads with its own bound
  for (const args of [[file], [file, '--json', '--events']]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await replay(args, { out: (s) => out.push(s), err: (s) => err.push(s) });
    if (parsed instanceof Recording) {
      assert.equal(code, 0, `${label}: replay ${args.join(' ')} failed: ${err.join('')}`);
      if (args.includes('--json')) assert.doesNotThrow(() => JSON.parse(out.join('')), `${label}: replay --json prints JSON`);
    } else {
      assert.equal(code, 1, `${label}: replay of a refused file exits 1`);
      assert.match(err.join(''), /^procscope: /, `${label}: replay says why`);
    }
  }
}

// ---- the tests ----

let base: Base;
before(async () => {
  base = await makeBase(7);
});

describe('the recording as recorded', () => {
  it('reads whole, every tick the table that was recorded, by both loaders and replay', async () => {
    const rec = await parseRecording(base.data);
    assert.equal(rec.cutOff, undefined);
    assert.equal(rec.ticks.length, base.lines.length - 1);
    assert.equal(rec.header.producer, 'recordingFuzz');
    base.tables.forEach((table, i) => assert.deepEqual(rec.snapshotAt(i), table, `tick ${i}`));
    assert.ok(
      base.tables.some((t) => t.processes.some((p) => (p.threads?.length ?? 0) > 1)),
      'threads were recorded',
    );
    checkRecording(rec, 'the whole recording', mulberry32(1), true);
    const plain = await parseRecording(gunzipSync(base.data));
    assert.deepEqual(plain.snapshotAt(plain.ticks.length - 1), base.tables.at(-1));
    await throughFiles({ data: base.data, what: 'whole', intact: base.lines.length }, rec, 'the whole recording', 0);
  });
});

describe('damaged copies of the recording', () => {
  it(
    `${CASES} copies: each refused with a RecordingError or read consistently, up to the damage at least`,
    { timeout: 120_000 },
    async (t) => {
      const rng = mulberry32(SEED);
      const bomb = gzipSync(Buffer.alloc(8 << 20, 0x20), { level: 9 });
      const started = performance.now();
      let read = 0;
      let refused = 0;
      let cut = 0;
      let slowest = { ms: 0, what: '' };
      for (let n = 1; n <= CASES; n++) {
        const family = rng();
        const copy = family < 0.15 ? damageShape(rng, base) : family < 0.6 ? damageLines(rng, base) : damageGzip(rng, base, bomb);
        const label = `case ${n} (seed ${SEED}): ${copy.what}`;
        const t0 = performance.now();
        const got = await readCopy(copy);
        if (got instanceof Recording) {
          read++;
          if (got.cutOff) cut++;
          checkRecording(got, label, rng, n % REPLAY_EVERY === 0);
          // What came before the damage reads as it did whole.
          const whole = Math.min(copy.intact, base.lines.length) - 1;
          assert.ok(got.ticks.length >= whole, `${label}: ${got.ticks.length} ticks read, ${whole} were whole`);
          if (whole > 0) assert.deepEqual(got.snapshotAt(whole - 1), base.tables[whole - 1], `${label}: tick ${whole - 1} as recorded`);
          if (copy.saysCut) assert.ok(got.cutOff !== undefined, `${label}: read ${got.ticks.length} ticks as if whole`);
        } else {
          refused++;
          assertDocumentedFailure(got, label);
          // A whole header is a recording: only a bound on its text may refuse it then.
          if (copy.intact >= 1)
            assert.ok(copy.maxTextBytes !== undefined && got.code === 'TOO_LARGE', `${label}: refused (${got.message})`);
        }
        if (n % REPLAY_EVERY === 0) await throughFiles(copy, got, label, n);
        const ms = performance.now() - t0;
        if (ms > slowest.ms) slowest = { ms, what: label };
        // The biggest copies are a few MB: no one of them may take long.
        assert.ok(ms < 5000, `${label}: took ${ms.toFixed(0)} ms`);
      }
      const seconds = (performance.now() - started) / 1000;
      // Every kind of outcome came up, so the damage reached every path.
      assert.ok(read > CASES / 4 && refused > CASES / 50 && cut > CASES / 5, `read ${read}, refused ${refused}, cut ${cut}`);
      t.diagnostic(
        `${CASES} damaged copies in ${seconds.toFixed(1)} s: ${read} read (${cut} cut short), ${refused} refused; slowest ${slowest.ms.toFixed(0)} ms (${slowest.what.slice(0, 120)})`,
      );
    },
  );
});

describe('files made to cost the most for their size', () => {
  /** The base's header and tick 0 with this table, then `ticks` deltas that change nothing, as text. */
  function quietRecording(processes: readonly Snapshot['processes'][number][], ticks: number): Buffer {
    const header = base.lines[0]!;
    const first = JSON.parse(base.lines[1]!) as { at: number; full: Snapshot };
    const out = [header, JSON.stringify({ ...first, full: { ...first.full, processes } })];
    for (let i = 1; i <= ticks; i++)
      out.push(
        JSON.stringify({
          tick: i,
          at: first.at + i,
          forks: 0,
          delta: { timestamp: first.at + i, intervalMs: 1, added: [], removed: [], changed: [] },
        }),
      );
    return Buffer.from(`${out.join('\n')}\n`);
  }
  const template = (): Snapshot['processes'][number] => base.tables[0]!.processes.find((p) => (p.threads?.length ?? 0) > 0)!;
  const timed = async <T>(fn: () => T | Promise<T>): Promise<{ value: T; ms: number }> => {
    const t0 = performance.now();
    const value = await fn();
    return { value, ms: performance.now() - t0 };
  };

  it('a table of thousands of processes that stays the same over thousands of ticks: past tables cost about a table each', async () => {
    const p = template();
    const { threads: _threads, ...bare } = p;
    const processes = Array.from({ length: 2000 }, (_, i) => ({ ...bare, pid: i + 1, key: `${i + 1}@${bare.startTicks}` }));
    const text = quietRecording(processes, 8000);
    const { value: rec, ms: readMs } = await timed(() => parseRecording(text));
    assert.equal(rec.ticks.length, 8001);
    const history = new RecordingHistory(rec);
    const { ms } = await timed(() => {
      assert.equal(history.newest()!.processes.length, 2000);
      for (let k = 0; k < 16; k++) history.at(rec.ticks[0]!.at + Math.floor((k * 8000) / 16) + 7);
      history.index();
    });
    assert.ok(
      ms < 3 * readMs + 250,
      `the newest table and 16 past ones took ${ms.toFixed(0)} ms; reading the file took ${readMs.toFixed(0)} ms`,
    );
  });

  it('a process with thousands of threads over thousands of ticks: its thread strips cost in proportion to the file', async () => {
    const p = template();
    const t = p.threads![0]!;
    const threads = Array.from({ length: 3000 }, (_, i) => ({ ...t, tid: p.pid + i }));
    const text = quietRecording([{ ...p, threads, numThreads: threads.length }], 6000);
    const { value: rec, ms: readMs } = await timed(() => parseRecording(text));
    const history = new RecordingHistory(rec);
    const { value: index, ms } = await timed(() => history.index([p.key])!);
    const strips = index.threads!.strips;
    assert.equal(strips.length, 32);
    assert.equal(index.threads!.more[p.key], 3000 - 32);
    for (const s of strips) assert.deepEqual(s.runs, [{ from: rec.ticks[0]!.at, to: rec.ticks.at(-1)!.at, state: t.state }]);
    assert.ok(ms < 3 * readMs + 250, `the strips took ${ms.toFixed(0)} ms; reading the file took ${readMs.toFixed(0)} ms`);
  });

  it('a header, then millions of empty lines (a few KB of gzip): read in about the time it takes to decompress', async () => {
    const text = Buffer.alloc(base.lines[0]!.length + 1 + 6_000_000, 0x0a);
    text.write(base.lines[0]!);
    const data = gzipSync(text, { level: 9 });
    assert.ok(data.length < 64 * 1024);
    const { ms: gunzipMs } = await timed(() => gunzipSync(data));
    const { value: rec, ms } = await timed(() => parseRecording(data));
    assert.equal(rec.ticks.length, 0);
    assert.deepEqual(rec.cutOff, { afterTick: -1, why: 'notJson', line: 2 });
    assert.ok(ms < 10 * gunzipMs + 200, `read in ${ms.toFixed(0)} ms; decompressing takes ${gunzipMs.toFixed(0)} ms`);
  });
});
