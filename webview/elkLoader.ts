// ELK, the IPC graph's layout engine, is about nine tenths of the webview's code (~1.5 MB of ~1.67 MB
// minified: a GWT build of the whole Java library, every algorithm included, which cannot be tree-shaken)
// and only the IPC tab uses it. It is a separate script, dist/webview/elk.js (webview/elkGlobal.ts), added
// on the first layout, so opening the panel does not download, parse and compile it.
import type ELK from 'elkjs/lib/elk.bundled.js';

export type ElkConstructor = typeof ELK;

// Read while this bundle's own <script> runs: its nonce lets the added script pass the panel's CSP
// (script-src 'nonce-...'), and its URL locates elk.js beside it (the same localResourceRoots folder).
const ownScript = document.currentScript as HTMLScriptElement | null;
let loading: Promise<ElkConstructor> | null = null;

function loaded(): ElkConstructor | undefined {
  return (globalThis as { ProcScopeELK?: ElkConstructor }).ProcScopeELK;
}

export function loadElk(): Promise<ElkConstructor> {
  const ready = loaded();
  if (ready) return Promise.resolve(ready);
  loading ??= new Promise<ElkConstructor>((resolve, reject) => {
    const script = document.createElement('script');
    script.nonce = ownScript?.nonce ?? '';
    script.src = new URL('elk.js', ownScript?.src ?? document.baseURI).href;
    script.addEventListener('load', () => {
      const engine = loaded();
      if (engine) resolve(engine);
      else reject(new Error(script.src));
    });
    script.addEventListener('error', () => {
      loading = null; // a later layout tries again
      script.remove();
      reject(new Error(script.src));
    });
    document.head.append(script);
  });
  return loading;
}
