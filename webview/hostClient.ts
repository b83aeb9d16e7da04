// The webview's one line to the extension host: messages out, and each request matched by its id to the one
// response the host always sends, typed by the request→result map in src/protocol.ts.
import type { FromWebview, Request, RequestResults, ResponseMessage } from '../src/protocol';
import type { VsCodeApi } from './vscodeApi';

export type RequestKind = Request['kind'];

/** The answer to a request of kind K: its result as RequestResults names it, or the host's error text. */
export type Reply<K extends RequestKind> =
  { readonly ok: true; readonly result: RequestResults[K] } | { readonly ok: false; readonly error: string };

type WireReply = { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly error: string };

/** `ready` is posted again after 0.5 s, 1 s, 2 s, ... up to every 8 s, until the first snapshot arrives. */
const READY_RETRY_FIRST_MS = 500;
const READY_RETRY_MAX_MS = 8000;

export class HostClient {
  private lastRequestId = 0;
  private readonly pending = new Map<number, (reply: WireReply) => void>();
  private readyTimer: ReturnType<typeof setTimeout> | undefined;
  private announcing = false;

  constructor(private readonly api: Pick<VsCodeApi<unknown>, 'postMessage'>) {}

  post(message: FromWebview): void {
    this.api.postMessage(message);
  }

  /** Posts a request; resolves with its response, whatever it is (the caller shows a failure its own way). */
  request<R extends Request>(request: R): Promise<Reply<R['kind']>> {
    const requestId = ++this.lastRequestId;
    return new Promise<WireReply>((resolve) => {
      this.pending.set(requestId, resolve);
      this.post({ type: 'request', requestId, request });
      // The host fills a response of kind K from the same RequestResults map (src/protocol.ts), so this is the
      // one place the wire's `unknown` becomes the kind's result type.
    }) as Promise<Reply<R['kind']>>;
  }

  /** Settles the request a response answers; one nobody waits for (answered already, or unknown) is dropped. */
  settle(m: ResponseMessage): void {
    const resolve = this.pending.get(m.requestId);
    if (!resolve) return;
    this.pending.delete(m.requestId);
    resolve(m.ok ? { ok: true, result: m.result } : { ok: false, error: m.error });
  }

  /**
   * Posts `ready` until stopAnnouncing, with backoff: a `ready` can be lost (posted while the host was
   * replacing the page, or before its listener was attached) and the host answers each one in full.
   * `delayMs`: the first one waits this long (a test hook).
   */
  announceReady(page: number | undefined, delayMs: number): void {
    this.announcing = true;
    let wait = READY_RETRY_FIRST_MS;
    const send = (): void => {
      if (!this.announcing) return;
      this.post(page === undefined ? { type: 'ready' } : { type: 'ready', page });
      this.readyTimer = setTimeout(send, wait);
      wait = Math.min(wait * 2, READY_RETRY_MAX_MS);
    };
    if (delayMs > 0) this.readyTimer = setTimeout(send, delayMs);
    else send();
  }

  /** The first snapshot came: the host heard us. */
  stopAnnouncing(): void {
    this.announcing = false;
    clearTimeout(this.readyTimer);
  }
}
