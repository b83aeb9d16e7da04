// The panel's HTML. Pure (no vscode import): the webview URIs and CSP source come in as strings.
// Start-up settings travel in a data- attribute (JSON, attribute-escaped), never in an inline script.
// The skeleton matches the one documented at the top of webview/main.ts.
import { randomBytes } from 'node:crypto';
import type { Locale, RecordingInfo, ViewSettings } from '../protocol';

/** What the webview reads from `document.body.dataset.procscope` before the first message arrives. */
export interface StartupData {
  readonly locale: Locale;
  readonly platform: NodeJS.Platform;
  readonly settings: ViewSettings;
  /** This page's number in the handshake (echoed in its `ready`, so a late one from an older page is told apart). */
  readonly page?: number;
  /** Test hook only (PROCSCOPE_TEST_DELAY_READY_MS): the page waits this long before its first `ready`. */
  readonly testDelayReadyMs?: number;
  /** Set when the page replays a recording file instead of the live table. */
  readonly recording?: RecordingInfo;
}

export interface HtmlInput {
  /** `webview.cspSource`. */
  readonly cspSource: string;
  /** `webview.asWebviewUri(...)` of dist/webview/{codicon.css,webview.css,webview.js}, as strings. */
  readonly codiconCss: string;
  readonly webviewCss: string;
  readonly webviewJs: string;
  readonly startup: StartupData;
  readonly lang: string;
  readonly title: string;
  /** For tests; a fresh one from crypto.randomBytes otherwise. */
  readonly nonce?: string;
}

export function makeNonce(): string {
  return randomBytes(18).toString('base64url');
}

/** Escapes text for a double-quoted HTML attribute value (and element text). */
export function escapeAttribute(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function panelHtml(input: HtmlInput): string {
  const nonce = input.nonce ?? makeNonce();
  const csp = [
    "default-src 'none'",
    // The nonce lets @vscode-elements copy the codicon <link> into its shadow roots.
    `style-src ${input.cspSource} 'nonce-${nonce}'`,
    `font-src ${input.cspSource}`,
    `img-src ${input.cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  const data = escapeAttribute(JSON.stringify(input.startup));
  return `<!DOCTYPE html>
<html lang="${escapeAttribute(input.lang)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" id="vscode-codicon-stylesheet" nonce="${nonce}" href="${escapeAttribute(input.codiconCss)}">
<link rel="stylesheet" nonce="${nonce}" href="${escapeAttribute(input.webviewCss)}">
<title>${escapeAttribute(input.title)}</title>
</head>
<body data-procscope="${data}">
<div id="root"></div>
<script nonce="${nonce}" src="${escapeAttribute(input.webviewJs)}"></script>
</body>
</html>
`;
}
