// One build script, two bundles: the extension host (Node, `vscode` external) and the webview (browser).
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, chmodSync, readFileSync, readdirSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

// The Node bundles are CommonJS, where `import.meta` does not exist; ES modules bundled into them (ps-list
// finds its vendored Windows helper from `import.meta.url`) would get undefined and throw at load. Every
// Node bundle defines it as the URL of the bundle file itself, so such a module resolves paths relative to
// dist/, where copyAssets puts what they look for (dist/vendor).
const nodeCommon = {
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  inject: ['scripts/importMetaUrl.js'],
  define: { 'import.meta.url': 'importMetaUrl', PROCSCOPE_VERSION: JSON.stringify(pkg.version) },
};

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'info',
  legalComments: 'none',
};

// procscope ps's second reading thread runs src/cli/psWorkerThread.ts bundled on its own, handed to the
// Worker as a string: dist/cli.js stays one file, and the thread compiles the reader alone (22 KB) instead of
// the whole CLI. This plugin replaces src/cli/psWorkerSource.ts in the CLI bundle by that string.
const psWorkerSource = {
  name: 'ps-worker-source',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/]cli[\\/]psWorkerSource\.ts$/ }, async () => {
      const worker = await esbuild.build({
        entryPoints: ['src/cli/psWorkerThread.ts'],
        bundle: true,
        write: false,
        metafile: true,
        minify: production,
        legalComments: 'none',
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        logLevel: 'warning',
      });
      return {
        contents: `export const PS_WORKER_SOURCE = ${JSON.stringify(worker.outputFiles[0].text)};`,
        loader: 'js',
        watchFiles: Object.keys(worker.metafile.inputs),
      };
    });
  },
};

/** @type {import('esbuild').BuildOptions[]} */
const builds = [
  {
    ...common,
    entryPoints: { extension: 'src/extension/extension.ts', panelWorker: 'src/worker/panelWorker.ts' },
    outdir: 'dist',
    ...nodeCommon,
    external: ['vscode'],
  },
  {
    ...common,
    entryPoints: { cli: 'src/cli.ts' },
    outdir: 'dist',
    ...nodeCommon,
    banner: { js: '#!/usr/bin/env node' },
    plugins: [psWorkerSource],
  },
  {
    ...common,
    // elk: the IPC graph's layout engine, ~90% of the webview's code, loaded only when the IPC tab lays out a
    // graph (webview/elkLoader.ts).
    entryPoints: { webview: 'webview/main.ts', elk: 'webview/elkGlobal.ts' },
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    loader: { '.ttf': 'file', '.css': 'css' },
  },
];

function copyAssets() {
  mkdirSync('dist/webview', { recursive: true });
  // codicons are loaded by the webview as a stylesheet + font from the extension's own folder (CSP: no remote loads).
  cpSync('node_modules/@vscode/codicons/dist/codicon.css', 'dist/webview/codicon.css');
  cpSync('node_modules/@vscode/codicons/dist/codicon.ttf', 'dist/webview/codicon.ttf');
  // ps-list runs its bundled fastlist helper on Windows, from <its module dir>/vendor: dist/vendor once bundled.
  mkdirSync('dist/vendor', { recursive: true });
  for (const f of readdirSync('node_modules/ps-list/vendor')) cpSync(`node_modules/ps-list/vendor/${f}`, `dist/vendor/${f}`);
}

if (watch) {
  copyAssets();
  for (const b of builds) {
    const ctx = await esbuild.context(b);
    await ctx.watch();
  }
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  copyAssets();
  chmodSync('dist/cli.js', 0o755);
}
