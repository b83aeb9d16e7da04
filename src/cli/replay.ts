// procscope replay FILE [--at SECONDS | --tick N] [--events] [--json]: what a recording holds (its span, the
// births, exits and execs in it, the short-lived processes it could not see) and the process table as it
// was at one moment of it.
//
// The file may be a pipe (`replay <(zcat f)`, `replay /dev/stdin`) and may be anything at all: at most
// MAX_CLI_RECORDING_FILE bytes of it are read (a larger or endless one is replayed up to there, with a warning
// that only its start was read, as a file cut short is) and at most MAX_RECORDING_TEXT bytes decompressed (more
// is refused). Every value from the file that is printed as text goes through visible(): the reader checks
// each field's type, but what reaches the terminal must not depend on that check being complete.
import {
  MAX_CLI_RECORDING_FILE,
  MAX_RECORDING_TEXT,
  readRecording,
  RecordingError,
  type CutOff,
  type Recording,
} from '../core/record/reader';
import { lifetimes, summarize, type Lifetime } from '../core/record/timeline';
import { visible } from '../shared/visible';
import { parseCliArgs, usageError } from './common';
import { EXIT, type CliCommand } from './io';
import { errnoText, t, type MessageKey } from './messages';
import { renderTree } from './snapshot';
import { pushAll } from '../shared/arrays';
import { errorWords } from '../core/errors';

export const run: CliCommand = async (args, io) => {
  const parsed = parseCliArgs(
    args,
    {
      at: { type: 'string' },
      tick: { type: 'string' },
      events: { type: 'boolean' },
      json: { type: 'boolean' },
    },
    io,
    'replay',
    true,
  );
  if (typeof parsed === 'number') return parsed;
  const v = parsed.values as { at?: string; tick?: string; events?: boolean; json?: boolean };
  const [file, extra] = parsed.positionals;
  if (file === undefined) return usageError(io, 'replay', t('error.missingFile'));
  if (extra !== undefined) return usageError(io, 'replay', t('error.unexpectedArgument', { arg: visible(extra) }));
  if (v.at !== undefined && v.tick !== undefined) return usageError(io, 'replay', t('error.atAndTick'));
  if (v.at !== undefined && !/^\d+(\.\d+)?$/.test(v.at)) return usageError(io, 'replay', t('error.badAt', { value: visible(v.at) }));
  if (v.tick !== undefined && !/^\d{1,9}$/.test(v.tick)) return usageError(io, 'replay', t('error.badTick', { value: visible(v.tick) }));

  let recording: Recording;
  try {
    recording = await readRecording(file, { maxFileBytes: MAX_CLI_RECORDING_FILE, maxTextBytes: MAX_RECORDING_TEXT });
  } catch (error) {
    if (!(error instanceof RecordingError)) {
      io.err(`procscope: ${t('error.cannotRead', { file: visible(file), reason: visible(errnoText(errorWords(error))) })}\n`);
      return EXIT.failure;
    }
    io.err(
      `procscope: ${
        error.code === 'TOO_NEW'
          ? t('replay.tooNew', { file: visible(file), version: shown(error.version ?? '?') })
          : error.code === 'TOO_LARGE'
            ? t('replay.tooLarge', { file: visible(file), max: MAX_RECORDING_TEXT })
            : t('replay.notRecording', { file: visible(file), why: t(`replay.why.${error.why ?? 'notHeader'}` as MessageKey) })
      }\n`,
    );
    return EXIT.failure;
  }
  if (recording.cutOff) io.err(`procscope: ${cutOffText(recording.cutOff, file)}\n`);
  if (recording.ticks.length === 0) {
    if (v.json)
      io.out(
        `${JSON.stringify({ header: recording.header, summary: summarize(recording), cutOff: recording.cutOff ?? null, tick: null, snapshot: null }, null, 2)}\n`,
      );
    else io.out(`${headerText(recording)}\n${t('replay.noTicks')}\n`);
    return EXIT.ok;
  }

  const last = recording.ticks.length - 1;
  let index = last;
  if (v.tick !== undefined) {
    index = Number(v.tick);
    if (index > last) return usageError(io, 'replay', t('error.tickOutOfRange', { tick: index, last }));
  } else if (v.at !== undefined) {
    index = recording.tickAt(recording.ticks[0]!.at + Number(v.at) * 1000);
  }
  const snapshot = recording.snapshotAt(index);
  const summary = summarize(recording);
  const lives = v.events || v.json ? [...lifetimes(recording).values()] : [];
  const offset = (at: number): number => (at - recording.ticks[0]!.at) / 1000;

  if (v.json) {
    io.out(
      `${JSON.stringify(
        {
          header: recording.header,
          summary,
          cutOff: recording.cutOff ?? null,
          tick: index,
          at: recording.ticks[index]!.at,
          offsetSeconds: offset(recording.ticks[index]!.at),
          lifetimes: lives,
          snapshot,
        },
        null,
        2,
      )}\n`,
    );
    return EXIT.ok;
  }
  const lines = [
    headerText(recording),
    t('replay.span', {
      ticks: summary.ticks,
      seconds: (summary.durationMs / 1000).toFixed(1),
      interval: shown(recording.header.intervalMs),
      threads: t(recording.header.threads ? 'replay.threadsYes' : 'replay.threadsNo'),
    }),
  ];
  lines.push(
    t('replay.processes', {
      start: summary.processesAtStart,
      born: summary.born,
      exited: summary.exited,
      execs: summary.execs,
      end: summary.processesAtEnd,
    }),
  );
  lines.push(
    summary.notSeen === null
      ? t('replay.forksUnknown')
      : t('replay.notSeen', { forks: shown(summary.forks ?? 0), count: shown(summary.notSeen) }),
  );
  if (v.events) pushAll(pushAll(lines, ['', t('replay.events')]), eventLines(recording, lives, offset));
  lines.push(
    '',
    t('replay.at', {
      tick: index,
      seconds: offset(recording.ticks[index]!.at).toFixed(1),
      time: isoTime(recording.ticks[index]!.at),
    }),
  );
  io.out(`${lines.join('\n')}\n${renderTree(snapshot)}`);
  return EXIT.ok;
};

function headerText(recording: Recording): string {
  const h = recording.header;
  return t('replay.header', {
    host: visible(h.host),
    started: isoTime(h.startedAt),
    version: shown(h.version),
    producer: visible(h.producer ?? '?'),
  });
}

/** A value read from the file, as text that cannot act on the terminal whatever its type turned out to be. */
function shown(value: unknown): string {
  return visible(String(value));
}

/** A time from the file as an ISO date, or as the number it is when no Date can hold it. */
function isoTime(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? shown(ms) : date.toISOString();
}

function cutOffText(cut: CutOff, file: string): string {
  if (cut.why === 'limit') {
    const values = { file: visible(file), max: MAX_CLI_RECORDING_FILE, tick: cut.afterTick };
    return cut.afterTick < 0 ? t('replay.limitedNoTick', values) : t('replay.limited', values);
  }
  const detail = cut.why === 'gzip' ? visible(cut.detail ?? '') : cut.line !== undefined ? t('replay.line', { line: cut.line }) : '';
  const why = t(`replay.cut.${cut.why}` as MessageKey);
  // -1 is the reader's "no tick after the header": a cut before the first tick, not after a tick -1.
  return cut.afterTick < 0 ? t('replay.cutOffBeforeFirst', { why, detail }) : t('replay.cutOff', { tick: cut.afterTick, why, detail });
}

/** Births, execs and exits in time order, each with its offset from the first tick. */
function eventLines(recording: Recording, lives: readonly Lifetime[], offset: (at: number) => number): string[] {
  const events: { at: number; order: number; text: string }[] = [];
  const atTick = (tick: number): number => recording.ticks[tick]!.at;
  for (const l of lives) {
    const who = { pid: shown(l.pid), ppid: shown(l.ppid), name: visible(l.name) };
    if (l.bornAt !== undefined) events.push({ at: atTick(l.bornAt), order: 0, text: t('replay.born', who) });
    for (const e of l.execs) {
      events.push({
        at: e.at,
        order: 1,
        text: t('replay.exec', { pid: shown(l.pid), name: visible(e.name), argv: visible((e.cmdline ?? []).join(' ')) }),
      });
    }
    // A process has ended when it turns zombie; being reaped later is its parent's doing.
    const ended = l.zombieAt ?? l.exitedAt;
    const lastName = visible(l.execs.at(-1)?.name ?? l.name);
    if (ended !== undefined) events.push({ at: atTick(ended), order: 2, text: t('replay.exited', { ...who, name: lastName }) });
  }
  events.sort((a, b) => a.at - b.at || a.order - b.order);
  if (events.length === 0) return [t('replay.noEvents')];
  return events.map((e) => `  +${offset(e.at).toFixed(2).padStart(8)} s  ${e.text}`);
}
