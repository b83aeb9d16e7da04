// Runs the test layers with node's own test runner. `npm test` runs every layer; `npm test -- unit` one of them.
// Layers: unit (fixtures), integration (real processes), webview (headless Chromium), e2e (code-server).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const layers = ['unit', 'integration', 'webview', 'e2e'];
const asked = process.argv.slice(2).filter((a) => layers.includes(a));
const chosen = asked.length ? asked : layers;

function testFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) out.push(...testFiles(p));
    else if (entry.endsWith('.test.ts')) out.push(p);
  }
  return out.sort();
}

const build = spawnSync('node', ['scripts/build.mjs'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const files = chosen.flatMap((layer) => testFiles(join('test', layer)));
if (files.length === 0) {
  console.error(`no test files found for: ${chosen.join(', ')}`);
  process.exit(1);
}
// One runner for all layers so the closing summary counts every test. Files run one at a time: the
// integration and e2e tests start real processes and measure them, and two cores are shared.
const args = ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files];
const run = spawnSync(process.execPath, args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } });
process.exit(run.status ?? 1);
