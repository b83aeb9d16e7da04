// The panel's start-up handshake as a small state machine, apart from the panel so every ordering of its
// events can be tested without VS Code.
//
// Events that may cross in any order: the page's `ready` (possibly late, from a page the host has already
// replaced), the watchdog (the page said nothing in time: load it again), the worker's first snapshot, and
// the panel being hidden or shown. The rules that make it idempotent and self-healing:
// - every HTML load gets a new page number, written into the page's start-up data and echoed in its `ready`;
//   a `ready` from another page is logged and ignored (it must not stop the watchdog of the current page);
// - every `ready` of the current page is answered in full (init and a full snapshot), however many arrive:
//   the page repeats it until a snapshot reaches it;
// - a snapshot that arrives before the page is ready is held and sent when `ready` comes; one that arrives
//   after is sent at once;
// - the watchdog never gives up: it reloads the page with a growing delay, and once replaces the whole panel
//   (which recovers the one case a reload did not), logging every step.
// No vscode import.

export type HandshakeEffect =
  | { readonly kind: 'log'; readonly level: 'info' | 'warn'; readonly text: string }
  /** Write the panel's HTML again with this page number in its start-up data. */
  | { readonly kind: 'load'; readonly page: number }
  /** (Re)start the watchdog. */
  | { readonly kind: 'arm'; readonly ms: number }
  | { readonly kind: 'disarm' }
  /** Post `init` (and the state a page needs: lab card, debug thread names). */
  | { readonly kind: 'sendInit' }
  /** Post the newest full snapshot (the host has one). */
  | { readonly kind: 'sendSnapshot' }
  /** Ask the worker for a full snapshot now (the host has none yet). */
  | { readonly kind: 'requestSnapshot' }
  /** Replace the panel by a new one in the same place. */
  | { readonly kind: 'recreate' };

export interface HandshakeOptions {
  /** The first watchdog delay; each further attempt doubles it up to `maxTimeoutMs`. */
  readonly timeoutMs: number;
  readonly maxTimeoutMs: number;
  /** Whether replacing the panel is still allowed (a budget shared by all panels). */
  readonly canRecreate: () => boolean;
}

export class Handshake {
  private page = 0;
  private readyPage: number | undefined;
  private attempts = 0;
  private haveSnapshot = false;
  private recreateTried = false;
  private visible = true;

  constructor(private readonly options: HandshakeOptions) {}

  /** The page number the current HTML carries. */
  get currentPage(): number {
    return this.page;
  }

  /** The current page said `ready` and has not been hidden since: messages to it arrive. */
  get isReady(): boolean {
    return this.readyPage !== undefined && this.readyPage === this.page;
  }

  private get timeout(): number {
    return Math.min(this.options.timeoutMs * 2 ** this.attempts, this.options.maxTimeoutMs);
  }

  /** The panel was created (or revived): load page 1. */
  start(): HandshakeEffect[] {
    this.page += 1;
    return [
      { kind: 'log', level: 'info', text: `handshake: loading page ${this.page}; expecting its ready within ${this.timeout} ms` },
      { kind: 'load', page: this.page },
      { kind: 'arm', ms: this.timeout },
    ];
  }

  /** A `ready` arrived; `page` is undefined for a page that does not number itself (taken as the current one). */
  ready(page: number | undefined): HandshakeEffect[] {
    const from = page ?? this.page;
    if (from !== this.page) {
      return [{ kind: 'log', level: 'info', text: `handshake: ignored a late ready from page ${from}; page ${this.page} is current` }];
    }
    const again = this.isReady;
    this.readyPage = from;
    this.attempts = 0;
    return [
      {
        kind: 'log',
        level: 'info',
        text: again
          ? `handshake: page ${from} said ready again (its snapshot has not reached it); answering again`
          : `handshake: page ${from} is ready; sending init and ${this.haveSnapshot ? 'the newest snapshot' : 'the first snapshot when the worker has it'}`,
      },
      { kind: 'disarm' },
      { kind: 'sendInit' },
      this.haveSnapshot ? { kind: 'sendSnapshot' } : { kind: 'requestSnapshot' },
    ];
  }

  /** The worker answered with a full snapshot. */
  snapshot(): HandshakeEffect[] {
    const first = !this.haveSnapshot;
    this.haveSnapshot = true;
    if (this.isReady) {
      return first
        ? [
            { kind: 'log', level: 'info', text: `handshake: the worker's first snapshot arrived; sending it to page ${this.page}` },
            { kind: 'sendSnapshot' },
          ]
        : [{ kind: 'sendSnapshot' }];
    }
    return first
      ? [
          {
            kind: 'log',
            level: 'info',
            text: `handshake: the worker's first snapshot arrived before page ${this.page} said ready; holding it`,
          },
        ]
      : [];
  }

  /** The panel was hidden: VS Code destroys the page (retainContextWhenHidden is off). */
  hidden(): HandshakeEffect[] {
    this.visible = false;
    this.readyPage = undefined;
    return [{ kind: 'log', level: 'info', text: `handshake: panel hidden; page ${this.page} is gone until shown` }, { kind: 'disarm' }];
  }

  /** The panel was shown again: VS Code re-creates the page from the same HTML (same page number). */
  shown(): HandshakeEffect[] {
    this.visible = true;
    if (this.isReady) return [];
    return [
      { kind: 'log', level: 'info', text: `handshake: panel shown; expecting ready from page ${this.page} within ${this.timeout} ms` },
      { kind: 'arm', ms: this.timeout },
    ];
  }

  /** The watchdog fired. */
  watchdog(): HandshakeEffect[] {
    if (this.isReady || !this.visible) return [];
    const waited = this.timeout;
    this.attempts += 1;
    // The second silence replaces the panel once (seen in code-server: a page stuck waiting for its service
    // worker, which reloading the HTML did not cure); every other one reloads the page.
    if (this.attempts === 2 && !this.recreateTried && this.options.canRecreate()) {
      this.recreateTried = true;
      return [
        {
          kind: 'log',
          level: 'warn',
          text: `handshake: page ${this.page} did not report ready within ${waited} ms; opening a new panel in its place`,
        },
        { kind: 'recreate' },
      ];
    }
    const stale = this.page;
    this.page += 1;
    return [
      {
        kind: 'log',
        level: 'warn',
        text: `handshake: page ${stale} did not report ready within ${waited} ms; loading page ${this.page} (attempt ${this.attempts}), next check in ${this.timeout} ms`,
      },
      { kind: 'load', page: this.page },
      { kind: 'arm', ms: this.timeout },
    ];
  }
}
