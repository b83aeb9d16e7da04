// `npm pack` makes a package whose `procscope` works after a global install, offline: the bundle has no
// runtime dependencies.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ROOT } from './cliBundle.helpers';

const temps: string[] = [];
after(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
  // prepack left the production bundle in dist/: put the development build (with source maps) back.
  spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT });
});

function temp(): string {
  const d = mkdtempSync(join(tmpdir(), 'procscope-pack-'));
  temps.push(d);
  return d;
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  files?: string[];
};

describe('npm pack and a global install', () => {
  it('needs nothing from the network: no runtime dependencies, and no "files" list to clash with .vscodeignore', () => {
    assert.deepEqual(Object.keys(pkg.dependencies ?? {}), []);
    assert.equal(pkg.files, undefined);
  });

  it('installs a working procscope command', () => {
    const out = temp();
    const pack = spawnSync(npm, ['pack', '--json', '--pack-destination', out], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, npm_config_update_notifier: 'false' },
    });
    assert.equal(pack.status, 0, pack.stderr);
    const info = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
    const files = info[0]!.files.map((f) => f.path).sort();
    assert.ok(files.includes('dist/cli.js') && files.includes('package.json'), files.join(' '));
    assert.ok(files.includes('dist/vendor/fastlist-0.3.0-x64.exe'));
    assert.ok(
      !files.some((f) => f.startsWith('src/') || f.startsWith('test/') || f.endsWith('.map') || f === 'dist/extension.js'),
      files.join(' '),
    );

    const prefix = temp();
    const install = spawnSync(
      npm,
      ['install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', join(out, info[0]!.filename)],
      { encoding: 'utf8', cwd: prefix },
    );
    assert.equal(install.status, 0, install.stderr);
    const bin = join(prefix, 'bin', 'procscope');
    const version = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    assert.equal(version.status, 0, version.stderr);
    assert.equal(version.stdout, `procscope ${pkg.version}\n`);
    const ps = spawnSync(bin, ['ps'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    assert.equal(ps.status, 0, ps.stderr);
    assert.match(ps.stdout.split('\n')[0]!, /^UID\s+PID\s+PPID\s+LWP\s+C\s+NLWP\s+SZ\s+RSS\s+PSR\s+STIME\s+TTY\s+TIME\s+CMD$/);
    assert.ok(
      ps.stdout.split('\n').some((l) => l.split(/\s+/)[1] === String(process.pid)),
      'this test process is listed',
    );
    const portable = spawnSync(bin, ['snapshot', '--backend', 'portable', '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    assert.equal(portable.status, 0, portable.stderr);
    assert.ok((JSON.parse(portable.stdout) as { processes: { pid: number }[] }).processes.some((p) => p.pid === process.pid));
  });
});
