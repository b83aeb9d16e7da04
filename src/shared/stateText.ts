// What each Linux task state letter means, in English and Korean, in one table: the CLI catalogue, the
// panel's dictionaries and the core's `stateMeaning` all take their words from here. Browser-safe (no Node
// imports). The Korean names follow media/walkthroughs/KOREAN_TERMS.md (test/unit/koreanTerms.test.ts
// holds this table to it): in the study notes 대기 is *ready*, so a blocked state is never called 대기.

/** Linux task state letters, as `ps` prints them (fs/proc/array.c `task_state_array`). */
export type StateLetter = 'R' | 'S' | 'D' | 'T' | 't' | 'X' | 'Z' | 'P' | 'I' | 'W' | 'K' | 'x' | '?';

export type StateLang = 'en' | 'ko';

export interface StateWords {
  /** The panel's legend word (only for the states the legend lists). */
  readonly short?: string;
  /** The panel's tooltip for a state badge (only for the states the panel names; the rest are "other"). */
  readonly title?: string;
  /** The full sentence fragment: the CLI's `show` and the core's `stateMeaning`. */
  readonly meaning: string;
}

/** Korean has one long form per state (KOREAN_TERMS.md's "long" column): the panel's tooltip is the CLI's meaning. */
function ko(short: string | undefined, long: string): StateWords {
  return short === undefined ? { title: long, meaning: long } : { short, title: long, meaning: long };
}

export const STATE_WORDS: Readonly<Record<StateLang, Readonly<Record<StateLetter, StateWords>>>> = {
  en: {
    R: { short: 'Running', title: 'Running or runnable', meaning: 'running or runnable (on a CPU or in the run queue)' },
    S: { short: 'Sleeping', title: 'Sleeping (interruptible)', meaning: 'interruptible sleep (waiting for an event)' },
    D: { short: 'Disk sleep', title: 'Disk sleep (uninterruptible)', meaning: 'uninterruptible sleep (usually waiting for I/O)' },
    T: { short: 'Stopped', title: 'Stopped (job control)', meaning: 'stopped by a job-control signal' },
    t: { short: 'Traced', title: 'Stopped by a debugger', meaning: 'stopped by a debugger (ptrace)' },
    Z: { short: 'Zombie', title: 'Zombie (exited, not reaped)', meaning: 'zombie (exited, not yet reaped by its parent)' },
    I: { short: 'Idle', title: 'Idle kernel thread', meaning: 'idle kernel thread' },
    X: { title: 'Dead', meaning: 'dead (should never be seen)' },
    P: { meaning: 'parked' },
    W: { meaning: 'paging (obsolete) or waking' },
    K: { meaning: 'wakekill' },
    x: { meaning: 'dead' },
    '?': { meaning: 'unknown state' },
  },
  ko: {
    R: ko('실행 또는 대기', '실행 또는 대기: CPU에서 실행 중이거나 차례를 기다림'),
    S: ko('중단', '중단(인터럽트 가능): 이벤트를 기다림'),
    D: ko('중단(불가)', '중단(인터럽트 불가): 커널 안에서, 주로 디스크 입출력을 기다림'),
    T: ko('정지', '정지: 시그널(SIGSTOP, SIGTSTP)로 멈춤'),
    t: ko('추적 정지', '추적 정지: 디버거가 멈춤'),
    Z: ko('좀비', '좀비: 종료했지만 부모가 아직 회수하지 않음'),
    I: ko('유휴', '유휴 커널 스레드'),
    X: ko(undefined, '소멸: 사라지는 중'),
    P: { meaning: '파킹됨' },
    W: { meaning: '페이징 (옛 상태) 또는 깨어나는 중' },
    K: { meaning: '치명적 시그널에만 깨어남(wakekill)' },
    x: { meaning: '소멸' },
    '?': { meaning: '알 수 없는 상태' },
  },
};

export const STATE_LETTERS = Object.keys(STATE_WORDS.en) as readonly StateLetter[];

/** The states the panel's legend lists, in its order. */
export const LEGEND_STATES = ['R', 'S', 'D', 'T', 't', 'Z', 'I'] as const;
/** The states the panel names in a tooltip; any other letter is shown as "other state". */
export const TITLED_STATES = [...LEGEND_STATES, 'X'] as const;

/**
 * Dictionary entries `${prefix}${letter}` → one column of the table, typed so that a catalogue spreading them
 * keeps its keys checked. A letter missing that column is a programming error and throws at load.
 */
export function stateEntries<P extends string, L extends StateLetter>(
  lang: StateLang,
  prefix: P,
  letters: readonly L[],
  column: keyof StateWords,
): Record<`${P}${L}`, string> {
  const out: Record<string, string> = {};
  for (const letter of letters) {
    const text = STATE_WORDS[lang][letter][column];
    if (text === undefined) throw new Error(`no ${column} for state ${letter} in ${lang}`);
    out[`${prefix}${letter}`] = text;
  }
  return out as Record<`${P}${L}`, string>;
}
