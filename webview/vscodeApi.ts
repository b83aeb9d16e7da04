// The one object VS Code gives a webview. acquireVsCodeApi may be called only once per page.
import type { FromWebview } from '../src/protocol';

export interface VsCodeApi<S> {
  postMessage(message: FromWebview): void;
  getState(): S | undefined;
  setState(state: S): void;
}

declare function acquireVsCodeApi<S>(): VsCodeApi<S>;

export function vscodeApi<S>(): VsCodeApi<S> {
  return acquireVsCodeApi<S>();
}
