// Webview entry point: the ProcScope panel UI (bundled by scripts/build.mjs into dist/webview/webview.js,
// with the imported CSS emitted as dist/webview/webview.css).
//
// The host page this script expects (the extension host builds it; test/webview/page.ts builds the same):
//
//   <!DOCTYPE html>
//   <html lang="en">
//   <head>
//     <meta charset="UTF-8">
//     <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${cspSource} 'nonce-${nonce}';
//       font-src ${cspSource}; script-src 'nonce-${nonce}'; img-src ${cspSource} data:;">
//     <meta name="viewport" content="width=device-width, initial-scale=1.0">
//     <link rel="stylesheet" id="vscode-codicon-stylesheet" nonce="${nonce}" href="${dist/webview/codicon.css}">
//     <link rel="stylesheet" nonce="${nonce}" href="${dist/webview/webview.css}">
//     <title>ProcScope</title>
//   </head>
//   <body data-procscope='{"locale":"en","platform":"linux"}'>
//     <div id="root"></div>
//     <script nonce="${nonce}" src="${dist/webview/webview.js}"></script>
//   </body>
//   </html>
//
// - The codicon <link> must have id="vscode-codicon-stylesheet" and the nonce: @vscode-elements' icons
//   (vscode-button's icon, vscode-collapsible's chevron) look it up by that id and copy it into their shadow DOM.
// - The data-procscope attribute is HTML-escaped JSON ({"locale":"en"|"ko","platform":"linux"}); no inline script.
// - No inline style attributes anywhere: this UI sets styles through CSSOM (el.style.x = ...) or classes.
//
// Protocol (src/protocol.ts): post `ready` on load; handle init, snapshot, delta, ipc, settings, focus, labCard,
// error, response. Requests carry an incrementing requestId and every response is shown (errors in the status bar).
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-context-menu/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import './styles.css';
import { App } from './app';

const app = new App(document.getElementById('root') ?? document.body);
app.start();
