// Runs the test layers with node's own test runner. `npm test` type-checks, lints and runs every layer;
// `npm test -- unit` (or integration, webview, e2e) runs one layer only.
// Layers: unit (fixtures), integration (real processes), webview (headless Chromium), e2e (code-server).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const layers = ['unit', 'integration', 'webview', 'e2e'];
const asked = process.argv.slice(2).filter((a) => layers.includes(a));
const chosen = asked.length ? asked : layers;

function testFiles(dir) {
  const out = [];
  if (!existsSync(dir)) return out; // git keeps no empty folders
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) out.push(...testFiles(p));
    else if (entry.endsWith('.test.ts')) out.push(p);
  }
  return out.sort();
}

function step(title, command, args) {
  console.log(`\n== ${title}`);
  const r = spawnSync(command, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`${title} failed`);
    process.exit(r.status ?? 1);
  }
}

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
step('build', process.execPath, ['scripts/build.mjs']);
if (!asked.length) {
  step('typecheck', npx, ['tsc', '--noEmit', '-p', 'tsconfig.json']);
  step('lint', npx, ['eslint', '.']);
  step('format', npx, [
    'prettier',
    '--check',
    '--log-level',
    'warn',
    'src/**/*.ts',
    'webview/**/*.ts',
    'test/**/*.ts',
    'bench/**/*.ts',
    'scripts/**/*.mjs',
    'bench/**/*.mjs',
  ]);
}

const files = chosen.flatMap((layer) => testFiles(join('test', layer)));
if (files.length === 0) {
  console.error(`no test files found for: ${chosen.join(', ')}`);
  process.exit(1);
}
// One runner for all layers so the closing summary counts every test. Files run one at a time: the
// integration and e2e tests start real processes and measure them, and two cores are shared.
const tap = join(mkdtempSync(join(tmpdir(), 'procscope-test-')), 'results.tap');
const args = [
  '--import',
  'tsx',
  '--test',
  '--test-concurrency=1',
  '--test-reporter=spec',
  '--test-reporter-destination=stdout',
  '--test-reporter=tap',
  `--test-reporter-destination=${tap}`,
  ...files,
];
console.log(`\n== tests: ${chosen.join(', ')} (${files.length} files)`);
const run = spawnSync(process.execPath, args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } });
let summary = '';
try {
  const text = readFileSync(tap, 'utf8');
  const count = (k) => Number(new RegExp(`^# ${k} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  summary = `${count('pass')} passed, ${count('fail') + count('cancelled')} failed, ${count('skipped')} skipped`;
} catch {
  summary = 'no test results were written';
}
console.log(`\ntests: ${summary}`);
process.exit(run.status ?? 1);
