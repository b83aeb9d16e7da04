// Cards from observations, the completion command, and the command line that starts a lab.
import type { LabCard, Locale } from './card';
import { LABS, type LabId } from './cards';
import { labProcesses, observeLab, observeLabNotes, type LabObservation } from './observe';

export interface EvaluateOptions {
  /** The card from the previous tick: items it had ticked stay ticked. */
  readonly previous?: LabCard | null;
  readonly locale?: Locale;
}

const NO_KERNEL_THREADS: Readonly<Record<Locale, string>> = {
  en: 'this system shows no kernel threads: no kthreadd, PID 2, as in a container or WSL; this item cannot tick here',
  ko: '이 시스템에는 커널 스레드가 보이지 않습니다: 컨테이너나 WSL처럼 kthreadd(PID 2)가 없어서 이 항목은 여기서 체크될 수 없습니다',
};

/** The lab's card for this observation, in the learner's language. */
export function evaluateLab(labId: LabId, observation: LabObservation, options: EvaluateOptions = {}): LabCard {
  const def = LABS[labId];
  const locale = options.locale ?? 'en';
  const seen = observeLab(labId, observation);
  const notes = observeLabNotes(labId, observation);
  const previous = options.previous && options.previous.id === labId ? options.previous.items : [];
  const before = new Map(previous.filter((i) => i.done).map((i) => [i.id, i.text] as const));
  const pids = observation.pids ?? (labId === 'vscode_itself' ? [] : labProcesses(labId, observation.snapshot));
  // In a container's or WSL's pid namespace there is no kthreadd (PID 2) and no kernel thread to select: the
  // item says so rather than stay open without a word.
  const noKernelThreads =
    labId === 'threads' && !observation.snapshot.processes.some((p) => p.kernelThread || p.pid === 2)
      ? NO_KERNEL_THREADS[locale]
      : undefined;
  const text = (item: (typeof def.items)[number]): string => {
    if (item.id === 'kernel-threads' && noKernelThreads && !seen.has(item.id) && !before.has(item.id))
      return `${item[locale]} (${noKernelThreads})`;
    const note = seen.has(item.id) ? notes.get(item.id) : undefined;
    if (note !== undefined) return `${item[locale]} (${note})`;
    // A note once observed stays with the tick (the deadlocked threads are gone after the lab ends them).
    const earlier = before.get(item.id);
    return !seen.has(item.id) && earlier?.startsWith(`${item[locale]} (`) ? earlier : item[locale];
  };
  return {
    id: labId,
    title: def.title[locale],
    pids,
    items: def.items.map((item) => ({ id: item.id, text: text(item), done: seen.has(item.id) || before.has(item.id) })),
  };
}

/** An empty card (nothing observed yet), e.g. right after the lab starts. */
export function emptyCard(labId: LabId, locale: Locale = 'en'): LabCard {
  const def = LABS[labId];
  return {
    id: labId,
    title: def.title[locale],
    pids: [],
    items: def.items.map((item) => ({ id: item.id, text: item[locale], done: false })),
  };
}

export function isLabComplete(card: LabCard): boolean {
  return card.items.length > 0 && card.items.every((item) => item.done);
}

/**
 * The command the host runs when the table is rewound to a moment at or after the fork lab started: the
 * walkthrough's "Rewind the fork lab" step completes on it.
 */
export const FORK_REWIND_OBSERVED = 'procscope.labObserved.fork_cow_rewind';

/** The command the host runs when a lab's card is complete; the walkthrough step completes on it. */
export function labObservedCommand(labId: LabId): string {
  return `procscope.labObserved.${labId}`;
}

/**
 * How long a lab started from the walkthrough may run before it stops and cleans up by itself: a safety net
 * for a lab nobody watches. Each pause waits up to 60 s for Enter and a lab has up to eight, so 15 minutes
 * leaves every part time to run even when the learner waits at each pause.
 */
export const LAB_LIFETIME_S = 900;

/**
 * The shell command line that runs a lab from the extension's folder, e.g.
 * `env PROCSCOPE_LANG=ko python3 '/ext/labs/fork_cow.py' --seconds 900`, quoted for a POSIX shell: the lab's
 * terminal runs /bin/sh (labRunner.ts), whatever the user's default shell is. null for the VS Code step (no
 * program).
 */
export function labCommandLine(labId: LabId, extensionPath: string, locale: Locale = 'en', seconds = LAB_LIFETIME_S): string | null {
  const script = LABS[labId].script;
  if (!script) return null;
  const path = `${extensionPath.replace(/\/+$/, '')}/labs/${script}`;
  return `env PROCSCOPE_LANG=${locale} python3 ${shellQuote(path)} --seconds ${Math.max(1, Math.floor(seconds))}`;
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
