// Every user-facing string of the manifest and the extension host exists in English and in Korean.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const root = join(__dirname, '..', '..');
const json = (path: string) => JSON.parse(readFileSync(join(root, path), 'utf8')) as Record<string, unknown>;

const nls = json('package.nls.json');
const nlsKo = json('package.nls.ko.json');
const bundle = json('l10n/bundle.l10n.json');
const bundleKo = json('l10n/bundle.l10n.ko.json');

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\d+)\}/g)].map((m) => m[1]!).sort();
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** The first argument of every vscode.l10n.t('...') / l10n.t("...") call (string literals only). */
function l10nKeys(source: string): string[] {
  const keys: string[] = [];
  for (const m of source.matchAll(/l10n\.t\(\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")/g)) {
    const raw = m[1] ?? m[2] ?? '';
    keys.push(raw.replace(/\\(.)/g, '$1'));
  }
  return keys;
}

for (const [name, en, ko] of [
  ['package.nls', nls, nlsKo],
  ['bundle.l10n', bundle, bundleKo],
] as const) {
  test(`every ${name}.json key has a Korean text with the same placeholders`, () => {
    const missing = Object.keys(en).filter((k) => typeof ko[k] !== 'string' || (ko[k] as string).trim() === '');
    assert.deepEqual(missing, [], `missing in ${name}.ko.json`);
    for (const [k, v] of Object.entries(en)) {
      assert.deepEqual(placeholders(ko[k] as string), placeholders(v as string), `placeholders of "${k}"`);
    }
  });

  test(`${name}.ko.json has no keys the English file lacks`, () => {
    assert.deepEqual(
      Object.keys(ko).filter((k) => !(k in en)),
      [],
    );
  });
}

test('every %key% in package.json is in package.nls.json', () => {
  const manifest = readFileSync(join(root, 'package.json'), 'utf8');
  const used = [...manifest.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]!);
  assert.ok(used.includes('command.open'));
  assert.deepEqual(
    used.filter((k) => !(k in nls)),
    [],
  );
});

test('every vscode.l10n.t string of the extension host is in bundle.l10n.json', () => {
  const used = new Set(sourceFiles(join(root, 'src', 'extension')).flatMap((f) => l10nKeys(readFileSync(f, 'utf8'))));
  assert.ok(used.size > 10, `found only ${used.size} l10n.t strings`);
  assert.deepEqual([...used].filter((k) => !(k in bundle)).sort(), []);
});

test('the English bundle maps each key to itself (VS Code uses the key when no translation is loaded)', () => {
  for (const [k, v] of Object.entries(bundle)) assert.equal(v, k);
});
