// One Korean name per process state everywhere ProcScope speaks Korean: the panel (webview/i18n.ts) and the
// CLI (src/cli/messages.ts) use the names of media/walkthroughs/KOREAN_TERMS.md, the table the walkthroughs
// and labs follow. In the study notes 대기 is *ready*, so a blocked state (S, D) must never be called 대기.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setLang, tDynamic } from '../../src/cli/messages';
import { STATE_WORDS, type StateLetter } from '../../src/shared/stateText';
import { DICTIONARIES } from '../../webview/i18n';

const ROOT = join(__dirname, '..', '..');

/** Letter → short and long Korean names, from the "Linux's state letters" table of KOREAN_TERMS.md. */
function termsTable(): Map<string, { short: string; long: string }> {
  const text = readFileSync(join(ROOT, 'media/walkthroughs/KOREAN_TERMS.md'), 'utf8');
  const out = new Map<string, { short: string; long: string }>();
  for (const m of text.matchAll(/^\| `(.)` \| [^|]+ \| ([^|]+) \| ([^|]+) \|/gm))
    out.set(m[1]!, { short: m[2]!.trim(), long: m[3]!.trim() });
  return out;
}

const table = termsTable();
const terms = new Map([...table].map(([letter, { short }]) => [letter, short]));

test("the one state table (src/shared/stateText.ts) holds the terms table's Korean, short and long, word for word", () => {
  for (const [letter, { short, long }] of table) {
    const words = STATE_WORDS.ko[letter as StateLetter];
    assert.equal(words.meaning, long, `meaning of ${letter}`);
    assert.equal(words.title, long, `title of ${letter}`);
    // X has no legend entry in the panel, so no short word there.
    if (words.short !== undefined) assert.equal(words.short, short, `short of ${letter}`);
  }
});

test('the terms table names every state letter the panel and the CLI describe', () => {
  assert.deepEqual([...terms.keys()].sort(), ['D', 'I', 'R', 'S', 'T', 'X', 'Z', 't'].sort());
});

test('the panel names each state as the terms table does', () => {
  const ko = DICTIONARIES.ko as Record<string, string>;
  for (const [letter, short] of terms) {
    const shortKey = `stateShort.${letter}`;
    if (shortKey in ko) assert.equal(ko[shortKey], short, shortKey);
    const long = ko[`state.${letter}`];
    assert.ok(long !== undefined, `state.${letter}`);
    // The long form starts with the short name, e.g. "중단(인터럽트 가능): …" for S's "중단".
    assert.ok(long.startsWith(short.replace(/\(.*\)$/, '')), `state.${letter}: "${long}" should start with "${short}"`);
  }
  assert.equal(ko['model.ready'], '대기');
  assert.equal(ko['model.blocked'], '중단');
  for (const letter of ['S', 'D']) assert.ok(!ko[`state.${letter}`]!.includes('대기'), `state.${letter} is 중단, not 대기`);
});

test('the CLI names each state as the terms table does', () => {
  setLang('ko');
  try {
    for (const [letter, short] of terms) {
      const long = tDynamic(`state.${letter}`);
      assert.ok(long !== undefined, `state.${letter}`);
      assert.ok(long.startsWith(short.replace(/\(.*\)$/, '')), `state.${letter}: "${long}" should start with "${short}"`);
    }
  } finally {
    setLang('en');
  }
});
