// Source-level guarantees of the webview that a browser test cannot see whole: no HTML-string sinks at all
// (every OS string goes in through textContent), and the two UI dictionaries hold the same keys, none empty.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DICTIONARIES } from '../../webview/i18n';

const WEBVIEW = join(__dirname, '..', '..', 'webview');

describe('webview source', () => {
  it('never uses an HTML-string sink (innerHTML, outerHTML, insertAdjacentHTML, document.write)', () => {
    const files = readdirSync(WEBVIEW).filter((f) => f.endsWith('.ts'));
    assert.ok(files.length >= 10, `found ${files.length} webview sources`);
    const offenders: string[] = [];
    for (const f of files) {
      const lines = readFileSync(join(WEBVIEW, f), 'utf8').split('\n');
      lines.forEach((line, i) => {
        const code = line.replace(/\/\/.*$/, ''); // comments may name the sinks to forbid them
        if (/\b(innerHTML|outerHTML|insertAdjacentHTML|document\.write|createContextualFragment)\b/.test(code)) offenders.push(`${f}:${i + 1}: ${line.trim()}`);
      });
    }
    assert.deepEqual(offenders, []);
  });

  it('has English and Korean dictionaries with the same keys and no empty strings', () => {
    const en = Object.keys(DICTIONARIES.en).sort();
    const ko = Object.keys(DICTIONARIES.ko).sort();
    assert.deepEqual(ko, en);
    assert.ok(en.length > 100, `${en.length} keys`);
    const empty = [...Object.entries(DICTIONARIES.en), ...Object.entries(DICTIONARIES.ko)].filter(([, v]) => v.trim() === '').map(([k]) => k);
    assert.deepEqual(empty, []);
    // Placeholders match: a Korean string uses the same {n} arguments as the English one.
    const args = (s: string) => [...s.matchAll(/\{(\d+)\}/g)].map((m) => m[1]).sort().join(',');
    const mismatched = en.filter((k) => args(DICTIONARIES.en[k as keyof typeof DICTIONARIES.en]) !== args(DICTIONARIES.ko[k as keyof typeof DICTIONARIES.ko]));
    assert.deepEqual(mismatched, []);
  });
});
