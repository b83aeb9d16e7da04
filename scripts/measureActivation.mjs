// Measures what ProcScope's activation costs the extension host: loading dist/extension.js and running
// activate(), against a stand-in `vscode` module whose every call returns another stand-in (so only
// ProcScope's own work is timed, not VS Code's). Run after a build: node scripts/measureActivation.mjs [runs]
import { createRequire } from 'node:module';
import Module from 'node:module';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function standIn() {
  const fn = function () {};
  return new Proxy(fn, {
    get: (_t, key) => (key === Symbol.toPrimitive ? () => '' : key === 'then' ? undefined : standIn()),
    apply: () => standIn(),
    construct: () => standIn(),
    set: () => true,
  });
}
// esbuild copies the module's own properties, so the namespaces ProcScope uses are listed.
const vscode = Object.fromEntries(
  [
    'commands',
    'debug',
    'env',
    'extensions',
    'l10n',
    'tasks',
    'window',
    'workspace',
    'Disposable',
    'EventEmitter',
    'StatusBarAlignment',
    'Uri',
    'UIKind',
    'ViewColumn',
    'ThemeColor',
    'ThemeIcon',
    'RelativePattern',
    'TreeItem',
  ].map((name) => [name, standIn()]),
);
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
};
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscode };

const runs = Number(process.argv[2] ?? 1);
const bundle = join(root, 'dist', 'extension.js');
const t0 = performance.now();
const ext = require(bundle);
const t1 = performance.now();
const context = { subscriptions: [], extensionUri: { fsPath: root, path: root }, extensionPath: root };
ext.activate(context);
const t2 = performance.now();
for (let i = 1; i < runs; i++) {
  ext.deactivate();
  ext.activate({ ...context, subscriptions: [] });
}
console.log(
  JSON.stringify({
    loadMs: +(t1 - t0).toFixed(2),
    activateMs: +(t2 - t1).toFixed(2),
    bundleBytes: (await import('node:fs')).statSync(bundle).size,
  }),
);
ext.deactivate();
