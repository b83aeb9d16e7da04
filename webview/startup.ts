// What the host writes into the page's data-procscope attribute (src/extension/html.ts), read once at load.
import type { Locale, RecordingInfo } from '../src/protocol';

export interface Startup {
  /** The language to start in (the procscope.language setting when it names one, else VS Code's), if known. */
  readonly locale: string | undefined;
  /** The page generation, echoed in `ready` so the host can tell a replaced page's `ready` apart. */
  readonly page: number | undefined;
  /** Test hook (PROCSCOPE_TEST_DELAY_READY_MS on the host): the first `ready` waits this long. */
  readonly delayReadyMs: number;
  /** Set when the page replays a recording file (no live actions). */
  readonly recording?: RecordingInfo;
}

function recordingInfo(value: unknown): RecordingInfo | null {
  const r = value as Partial<RecordingInfo> | null | undefined;
  if (!r || typeof r !== 'object') return null;
  if (typeof r.file !== 'string' || typeof r.startedAt !== 'number' || typeof r.endedAt !== 'number') return null;
  return {
    file: r.file,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
    host: typeof r.host === 'string' ? r.host : '',
    cut: r.cut === true,
    ...(typeof r.restoreId === 'string' ? { restoreId: r.restoreId } : {}),
  };
}

export function readStartup(json: string | undefined): Startup {
  let boot: { locale?: string; language?: string; page?: number; testDelayReadyMs?: number; recording?: unknown } = {};
  try {
    boot = JSON.parse(json ?? '{}') as typeof boot;
  } catch {
    boot = {};
  }
  if (!boot || typeof boot !== 'object') boot = {};
  // `language` is the procscope.language setting when it names one ('auto' or absent: VS Code's locale);
  // later settings messages carry the host's resolved choice.
  const locale = boot.language === 'en' || boot.language === 'ko' ? boot.language : boot.locale;
  return {
    locale,
    page: typeof boot.page === 'number' ? boot.page : undefined,
    delayReadyMs: typeof boot.testDelayReadyMs === 'number' && boot.testDelayReadyMs > 0 ? boot.testDelayReadyMs : 0,
    ...(recordingInfo(boot.recording) ? { recording: recordingInfo(boot.recording)! } : {}),
  };
}

export function isLocale(locale: string | undefined): locale is Locale {
  return locale === 'en' || locale === 'ko';
}
