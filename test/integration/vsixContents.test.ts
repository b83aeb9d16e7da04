// What the .vsix holds, as vsce lists it from .vscodeignore: what runs or is shown, nothing else.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = join(__dirname, '..', '..');

describe('the .vsix file list (vsce ls)', () => {
  it('ships the bundles, media, labs and translations, and no sources, tests, maps or development files', () => {
    const r = spawnSync(join(ROOT, 'node_modules', '.bin', 'vsce'), ['ls'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const files = r.stdout.split('\n').filter(Boolean);
    for (const needed of ['package.json', 'package.nls.ko.json', 'l10n/bundle.l10n.ko.json', 'media/icon.png', 'README.md', 'LICENSE'])
      assert.ok(files.includes(needed), needed);
    assert.ok(
      files.some((f) => f.startsWith('media/walkthroughs/') && f.endsWith('.ko.md')),
      'the Korean walkthrough pages',
    );
    assert.ok(
      files.some((f) => f.startsWith('labs/')),
      'the lab programs',
    );
    const unwanted = files.filter(
      (f) =>
        /^(src|test|bench|scripts|\.ci|node_modules|webview)\//.test(f) ||
        f.endsWith('.map') ||
        f.endsWith('.ts') ||
        f.endsWith('.pyc') ||
        ['media/icon.svg', 'media/walkthroughs/pictures.py', 'media/walkthroughs/KOREAN_TERMS.md'].includes(f),
    );
    assert.deepEqual(unwanted, []);
  });
});
