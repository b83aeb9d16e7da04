// The filter's look-up terms, asked of the host: once the typing pauses (never per keystroke), then again at
// most every REFRESH_MS while the filter holds them (the answer ages as sockets open and threads block). One
// request at a time; an answer to terms the filter no longer holds is dropped and the current ones asked.
import type { ProcessKey } from '../src/core/model';
import type { LookupReason, LookupResult, LookupTerm } from '../src/protocol';
import { MAX_LOOKUP_TERMS } from '../src/shared/lookupLimits';
import type { HostClient } from './hostClient';
import { lookupSignature, type Filter } from './filterQuery';
import { t } from './i18n';

/** Typing pause before a look-up is asked. */
export const LOOKUP_DEBOUNCE_MS = 400;
/** The shortest time between two look-ups of the same terms. */
export const LOOKUP_REFRESH_MS = 3000;
/**
 * A look-up walks every process's fds (and maps, or threads) in the worker, where the ticks run too: on a
 * machine where one takes long, the next waits this many times as long, so look-ups never take most of it.
 */
const REFRESH_PER_COST = 5;
/** Found processes named in the note with why (more are only counted: their rows say why). */
const NOTE_NAMES = 3;

export interface LookupNote {
  readonly text: string;
  readonly kind: 'info' | 'pending' | 'problem';
}

/** What the rows and the note show for the filter now. */
export interface LookupView {
  /** Why each found process was found (null: no answer for these terms yet, so none matches). */
  readonly found: ReadonlyMap<ProcessKey, string> | null;
  readonly note: LookupNote | null;
}

export class FilterLookup {
  private filter: Filter | null = null;
  private signature = '';
  private answer: { readonly signature: string; readonly result: LookupResult } | null = null;
  private failure: { readonly signature: string; readonly error: string } | null = null;
  private inFlight = false;
  private lastAsked = 0;
  /** How long the last answer took to come, ms. */
  private lastCost = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private found: Map<ProcessKey, string> | null = null;

  constructor(
    private readonly host: Pick<HostClient, 'request'>,
    /** An answer came (or the state changed without one): redraw the rows and the note. */
    private readonly changed: () => void,
    /** The name the table knows for a process key (undefined: not in the table). */
    private readonly nameOf: (key: ProcessKey) => string | undefined,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** The filter text changed: new look-up terms are asked after a pause; none, and nothing is asked. */
  setFilter(filter: Filter): void {
    this.filter = filter;
    const signature = lookupSignature(filter);
    if (signature === this.signature) return;
    this.signature = signature;
    this.found = null;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (signature !== '') this.timer = setTimeout(() => this.ask(), LOOKUP_DEBOUNCE_MS);
  }

  /** New data came from the host: the look-up is asked again if it is old enough. */
  tick(): void {
    if (this.signature === '' || this.inFlight || this.timer !== undefined) return;
    if (this.now() - this.lastAsked >= Math.max(LOOKUP_REFRESH_MS, this.lastCost * REFRESH_PER_COST)) this.ask();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  view(): LookupView {
    const filter = this.filter;
    if (!filter) return { found: null, note: null };
    const problem = filter.problems[0];
    if (problem) {
      const text =
        problem.kind === 'tooMany'
          ? t('find.problem.tooMany', problem.text, MAX_LOOKUP_TERMS)
          : t(`find.problem.${problem.kind}`, problem.text);
      return { found: null, note: { text, kind: 'problem' } };
    }
    if (this.signature === '') return { found: null, note: null };
    const asked = filter.lookupTexts.join(' ');
    if (this.failure?.signature === this.signature)
      return { found: null, note: { text: t('find.failed', this.failure.error), kind: 'problem' } };
    const answer = this.answer?.signature === this.signature ? this.answer.result : null;
    if (!answer) return { found: null, note: { text: t('find.pending', asked), kind: 'pending' } };
    if (!answer.available) return { found: null, note: { text: t('find.unavailable', asked), kind: 'problem' } };
    this.found ??= new Map(answer.matches.map((m) => [m.key, m.reasons.map(reasonText).join('; ')]));
    const missing = answer.problems[0];
    if (missing) {
      const text = t('find.notFound', filter.lookupTexts[missing.term] ?? asked, missing.reason);
      return { found: this.found, note: { text, kind: 'problem' } };
    }
    let text = answer.matches.length === 0 ? t('find.none', asked) : t('find.count', asked, answer.matches.length);
    // The rows' own reason may be cut in a narrow name column: the first few are said here in full too.
    const found = this.found;
    const named = answer.matches.slice(0, NOTE_NAMES).map((m) => t('find.named', this.nameOf(m.key) ?? '?', m.pid, found.get(m.key) ?? ''));
    if (named.length > 0) text += ` · ${named.join(' · ')}`;
    if (answer.unreadable > 0) text += ` · ${t('find.unreadable', answer.unreadable)}`;
    return { found: this.found, note: { text, kind: 'info' } };
  }

  private ask(): void {
    this.timer = undefined;
    if (this.inFlight || this.signature === '' || !this.filter) return;
    const signature = this.signature;
    const terms: readonly LookupTerm[] = this.filter.lookups;
    this.inFlight = true;
    this.lastAsked = this.now();
    void this.host.request({ kind: 'lookup', terms }).then((reply) => {
      this.inFlight = false;
      this.lastCost = this.now() - this.lastAsked;
      if (signature !== this.signature) {
        // The filter moved on while this was asked: ask for what it holds now (after its own pause).
        if (this.signature !== '' && this.timer === undefined) this.timer = setTimeout(() => this.ask(), LOOKUP_DEBOUNCE_MS);
        return;
      }
      if (reply.ok) {
        this.answer = { signature, result: reply.result };
        this.failure = null;
      } else {
        this.failure = { signature, error: reply.error };
      }
      this.found = null;
      this.changed();
    });
  }
}

/** One reason as a sentence; OS strings in it are raw here and made visible by the cell that shows it. */
export function reasonText(r: LookupReason): string {
  switch (r.kind) {
    case 'socket': {
      const protocol = r.protocol.toUpperCase();
      if (r.how === 'listen') return t('find.reason.listen', protocol, r.local);
      if (r.how === 'bound') return t('find.reason.bound', protocol, r.local);
      return t('find.reason.connected', protocol, r.local, r.remote ?? '?');
    }
    case 'file':
      return r.how === 'fd' ? t('find.reason.fd', r.path, r.fd ?? '?') : t(`find.reason.${r.how}`, r.path);
    case 'lock':
      return t(r.how === 'holder' ? 'find.reason.holder' : 'find.reason.waiter', r.lockClass, r.access, r.path);
    case 'shm':
      return t('find.reason.shm', r.shmid);
    case 'thread':
      return t('find.reason.thread', r.name, r.tid, r.state);
  }
}
