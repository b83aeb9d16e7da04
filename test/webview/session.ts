// What nearly every Chromium test of the panel does first, written once: one fake host (and browser) per
// suite, and a panel booted the way the real host boots it (load, `init`, a snapshot, the first row drawn).
// A change to the handshake is then made here, not in every test file.
import { after, before } from 'node:test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SnapshotMessage } from '../../src/protocol';
import { DEFAULT_SETTINGS, FakeHost, REPO, type PageOptions } from './page';

/** Where the tests write their screenshots. */
export const OUT = join(REPO, 'test-results');

/** A host that answers every request with an error, for tests that ask nothing of it. */
export const refuseRequests: FakeHost['onRequest'] = () => ({ ok: false, error: 'refused by the test host' });

/**
 * Starts a fake host before the suite's tests and closes it after them. `use` receives it (the test files
 * keep it in a module variable their helpers share); `onRequest` answers the webview's requests, FakeHost's
 * own "no handler" error when not given.
 */
export function fakeHostForSuite(use: (host: FakeHost) => void, onRequest?: FakeHost['onRequest']): void {
  let host: FakeHost | undefined;
  before(async () => {
    host = await FakeHost.start();
    if (onRequest) host.onRequest = onRequest;
    mkdirSync(OUT, { recursive: true });
    use(host);
  });
  after(async () => {
    await host?.close();
  });
}

/** Loads the panel, sends `init` (in the page's locale) and `snapshot`, and waits for the first row. */
export async function bootPanel(host: FakeHost, snapshot: SnapshotMessage, options: PageOptions = {}, keepState = false): Promise<void> {
  await host.load(options, keepState);
  await host.send({ type: 'init', settings: { ...DEFAULT_SETTINGS, locale: options.locale ?? 'en' }, platform: 'linux' });
  await host.send(snapshot);
  await host.page.locator('.row').first().waitFor();
}
