// The entry of dist/webview/elk.js: ELK for the IPC graph, loaded on demand by elkLoader.ts.
import ELK from 'elkjs/lib/elk.bundled.js';

(globalThis as { ProcScopeELK?: typeof ELK }).ProcScopeELK = ELK;
