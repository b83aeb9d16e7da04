// The filter's language: words that must all match. Local terms (pid:, name:, user:, state:, cmd:, free text)
// are matched here against the rows the webview has; look-up terms (port:, file:, lock:, shm:, shmid:,
// thread:, tstate:) need what only the host can read (every process's fds and threads), so they are sent to
// it as a request and matched by the set of processes it answers with. A value may be quoted
// (`file:"/tmp/a b"`) to hold spaces.
import type { LookupTerm } from '../src/protocol';
import { MAX_LOOKUP_TERMS, MAX_LOOKUP_TEXT } from '../src/shared/lookupLimits';

export type LocalField = 'any' | 'pid' | 'name' | 'user' | 'state' | 'cmd';

export interface LocalTerm {
  readonly field: LocalField;
  readonly value: string;
}

/** Why a look-up term as typed cannot be asked: it narrows to nothing and the UI says why. */
export type FilterProblemKind = 'badPort' | 'relativePath' | 'badShm' | 'badShmid' | 'badState' | 'tooLong' | 'tooMany';

export interface FilterProblem {
  readonly kind: FilterProblemKind;
  /** The word as typed. */
  readonly text: string;
}

export interface Filter {
  readonly terms: readonly LocalTerm[];
  /** The look-up terms, in the order typed, and each one's word as typed (for the notes about them). */
  readonly lookups: readonly LookupTerm[];
  readonly lookupTexts: readonly string[];
  readonly problems: readonly FilterProblem[];
}

const FIELD_ALIASES: Readonly<Record<string, Exclude<LocalField, 'any'>>> = {
  pid: 'pid',
  name: 'name',
  comm: 'name',
  user: 'user',
  state: 'state',
  s: 'state',
  cmd: 'cmd',
  command: 'cmd',
  args: 'cmd',
};

type LookupField = LookupTerm['kind'];

const LOOKUP_ALIASES: Readonly<Record<string, LookupField>> = {
  port: 'port',
  file: 'file',
  lock: 'lock',
  shm: 'shm',
  shmid: 'shmid',
  thread: 'thread',
  tstate: 'tstate',
};

/** The longest thread name worth asking about (the kernel keeps 15 bytes; the host accepts up to 64). */
const MAX_THREAD_TEXT = 64;

/** Words split on blanks outside double quotes; the quotes themselves are dropped. */
export function splitWords(text: string): { word: string; raw: string }[] {
  const out: { word: string; raw: string }[] = [];
  let word = '';
  let raw = '';
  let quoted = false;
  let any = false;
  for (const ch of text) {
    if (ch === '"') {
      quoted = !quoted;
      raw += ch;
      any = true;
    } else if (!quoted && /\s/.test(ch)) {
      if (any) out.push({ word, raw });
      word = '';
      raw = '';
      any = false;
    } else {
      word += ch;
      raw += ch;
      any = true;
    }
  }
  if (any) out.push({ word, raw });
  return out;
}

/** `node user:root state:S port:8080` → the terms that must all match. */
export function parseFilter(text: string): Filter {
  const terms: LocalTerm[] = [];
  const lookups: LookupTerm[] = [];
  const lookupTexts: string[] = [];
  const problems: FilterProblem[] = [];
  for (const { word, raw } of splitWords(text)) {
    if (!word) continue;
    const m = /^([a-z]+):([\s\S]*)$/i.exec(word);
    const name = m ? m[1]!.toLowerCase() : '';
    const field = m ? FIELD_ALIASES[name] : undefined;
    const lookup = m ? LOOKUP_ALIASES[name] : undefined;
    if (m && field) {
      if (m[2]) terms.push({ field, value: field === 'state' ? m[2] : m[2].toLowerCase() });
    } else if (m && lookup) {
      // A field with nothing after it (still being typed) narrows nothing, as the local ones do.
      if (!m[2]) continue;
      const parsed = lookupTerm(lookup, m[2]);
      if ('problem' in parsed) problems.push({ kind: parsed.problem, text: raw });
      else if (lookups.length >= MAX_LOOKUP_TERMS) problems.push({ kind: 'tooMany', text: raw });
      else {
        lookups.push(parsed);
        lookupTexts.push(raw);
      }
    } else {
      terms.push({ field: 'any', value: word.toLowerCase() });
    }
  }
  return { terms, lookups, lookupTexts, problems };
}

function lookupTerm(kind: LookupField, value: string): LookupTerm | { problem: FilterProblemKind } {
  if (value.length > MAX_LOOKUP_TEXT) return { problem: 'tooLong' };
  switch (kind) {
    case 'port':
      return /^\d{1,5}$/.test(value) && Number(value) >= 1 && Number(value) <= 65535
        ? { kind, port: Number(value) }
        : { problem: 'badPort' };
    case 'file':
    case 'lock':
      return value.startsWith('/') && !value.includes('\0') ? { kind, path: value } : { problem: 'relativePath' };
    case 'shm': {
      const name = value.replace(/^\/+/, '');
      // shm_open names one object in /dev/shm: no directories, and not `.` or `..`.
      return name === '' || name.includes('/') || name === '.' || name === '..' || name.length > 255 || name.includes('\0')
        ? { problem: 'badShm' }
        : { kind, name };
    }
    case 'shmid':
      return /^\d{1,10}$/.test(value) && Number(value) <= 0x7fffffff ? { kind, shmid: Number(value) } : { problem: 'badShmid' };
    case 'thread':
      return value.length <= MAX_THREAD_TEXT ? { kind, name: value } : { problem: 'tooLong' };
    case 'tstate':
      return /^[A-Za-z]{1,16}$/.test(value) ? { kind, states: value } : { problem: 'badState' };
  }
}

/** The look-up terms as one comparable value: the same terms in another order are another question. */
export function lookupSignature(filter: Filter): string {
  return filter.lookups.length === 0 ? '' : JSON.stringify(filter.lookups);
}

/** The filter needs the host: it has look-up terms, or look-up words that could not be asked. */
export function needsHost(filter: Filter): boolean {
  return filter.lookups.length > 0 || filter.problems.length > 0;
}

/** The most recent queries kept. */
export const MAX_RECENT = 10;

/** `query` first, without an earlier copy of it; blank queries are not kept. */
export function rememberQuery(recent: readonly string[], query: string): string[] {
  const q = query.trim();
  if (q === '') return [...recent];
  return [q, ...recent.filter((r) => r !== q)].slice(0, MAX_RECENT);
}
