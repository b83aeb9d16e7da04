import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test/fixtures/**', 'labs/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly', globalThis: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  {
    // Plain Node programs the end-to-end tests run (a debuggee): CommonJS, and a `debugger;` statement is the
    // breakpoint the debug test stops at.
    files: ['test/**/programs/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', setInterval: 'readonly', clearInterval: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off', 'no-debugger': 'off' },
  },
  {
    // The core, the worker (src/worker) and the CLI run in unit tests, benchmarks, a worker thread and a terminal:
    // none of them has VS Code.
    files: ['src/worker/**/*.ts', 'src/cli.ts', 'src/cli/**/*.ts', 'src/protocol.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/worker, the CLI and the protocol are pure Node: they must not import vscode.' }] }],
    },
  },
  {
    // The core sits under everything else: it knows neither VS Code nor the layers built on it.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'src/core is pure Node: it must not import vscode.' }],
        patterns: [{ group: ['**/protocol', '**/cli/*', '**/extension/*', '**/worker/*'], message: 'src/core must not depend on the layers above it (protocol, CLI, worker, extension).' }],
      }],
    },
  },
  {
    // The extension host shares code with the CLI through src/core or src/shared, never by reaching into the CLI.
    files: ['src/extension/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/cli/*', '**/cli'], message: 'Put code the CLI and the extension share in src/core or src/shared.' }] }],
    },
  },
  {
    // Notifications turn `[label](command:…)` into a link that runs the command: every message goes through
    // src/extension/notify.ts, which makes it inert.
    files: ['src/extension/**/*.ts'],
    ignores: ['src/extension/notify.ts'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: 'MemberExpression[property.name=/^show(Information|Warning|Error)Message$/]',
        message: 'Show notifications through src/extension/notify.ts (showInfo, showWarning, showError, showModalWarning).',
      }],
    },
  },
  {
    // The webview runs in a browser sandbox: no Node, no vscode API, only types from the protocol.
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'The webview cannot use the vscode API.' }],
        patterns: [{ group: ['node:*', 'fs', 'child_process'], message: 'The webview runs in a browser.' }],
      }],
    },
  },
);
