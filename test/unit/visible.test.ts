// visible(): what a terminal, a dialog or the panel shows for an OS string.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fitsRenderedLabel, hasHiddenCharacters, inertLinks, visible, visibleParts } from '../../src/shared/visible';

describe('visible', () => {
  const cases: [string, string, string][] = [
    ['plain ASCII unchanged', 'bash -c ls', 'bash -c ls'],
    ['Korean and emoji unchanged', '프로세스 🚀 café', '프로세스 🚀 café'],
    ['backslash unchanged', 'C:\\Windows', 'C:\\Windows'],
    ['newline and tab', 'a\nb\tc', 'a\\nb\\tc'],
    ['escape sequence', '\x1b[31mred', '\\x1b[31mred'],
    ['NUL and DEL', '\0\x7f', '\\x00\\x7f'],
    ['C1 control (CSI)', '\u009b2J', '\\x9b2J'],
    ['right-to-left override', 'evil\u202Etxt.exe', 'evil\\u202Etxt.exe'],
    ['every bidi embedding/override', '\u202A\u202B\u202C\u202D\u202E', '\\u202A\\u202B\\u202C\\u202D\\u202E'],
    ['bidi isolates', '\u2066\u2067\u2068\u2069', '\\u2066\\u2067\\u2068\\u2069'],
    ['bidi marks', '\u200E\u200F\u061C', '\\u200E\\u200F\\u061C'],
    ['zero-width characters', 'a\u200Bb\u200Cc\u200Dd\u2060e\uFEFFf\u180Eg', 'a\\u200Bb\\u200Cc\\u200Dd\\u2060e\\uFEFFf\\u180Eg'],
    ['line and paragraph separators', 'a\u2028b\u2029c', 'a\\u2028b\\u2029c'],
    ['soft hyphen', 'ad\u00ADmin', 'ad\\u00ADmin'],
    ['Hangul fillers', '\u3164\u115F\u1160\uFFA0', '\\u3164\\u115F\\u1160\\uFFA0'],
    ['tag characters above U+FFFF', 'a\u{E0041}b', 'a\\u{E0041}b'],
    ['non-UTF-8 bytes (surrogateescape) as \\xNN', 'caf\uDCE9 \uDC80\uDCFF', 'caf\\xe9 \\x80\\xff'],
    ['other lone surrogates as \\uDXXX', 'a\uD800b\uDC7F', 'a\\uD800b\\uDC7F'],
    ['a valid surrogate pair is a character, not two escapes', '\uD83D\uDE00', '😀'],
    ['the literal text \\xff stays as typed', '\\xff', '\\xff'],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => {
      assert.equal(visible(input), expected);
      assert.equal(hasHiddenCharacters(input), input !== expected);
    });
  }

  it('leaves nothing that would act on a terminal or reorder text', () => {
    let all = '';
    for (let cp = 0; cp <= 0x3000; cp++) all += String.fromCharCode(cp);
    const out = visible(all + '\u{E0001}\uFEFF');
    assert.equal(hasHiddenCharacters(out), false);
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(out, /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]/);
  });

  it('splits into plain text and escapes for marking in a UI', () => {
    assert.deepEqual(visibleParts('ab\u202Ec\n'), [
      { text: 'ab', escape: false },
      { text: '\\u202E', escape: true },
      { text: 'c', escape: false },
      { text: '\\n', escape: true },
    ]);
    assert.deepEqual(visibleParts('plain'), [{ text: 'plain', escape: false }]);
    assert.equal(
      visibleParts('x\u2066y')
        .map((q) => q.text)
        .join(''),
      visible('x\u2066y'),
    );
  });
});

describe('inertLinks', () => {
  // What VS Code's notifications turn into a link: `[label](target)` with a command:, https?: or file: target.
  const LINK = /\[[^\]]+\]\((?:command:|https?:\/\/|file:)[^)\s]+(?: (["'])[^"']*\1)?\)/i;
  const hostile = [
    '[Open the recording](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22id%5Cn%22%7D)',
    'Deadlock: [x](https://example.com "t") (pid 5) → b',
    '[a](file:///etc/passwd).ndjson.gz',
    'two: [a](command:x) and [b](command:y)',
  ];
  for (const text of hostile) {
    it(`leaves no link in ${JSON.stringify(text)}`, () => {
      assert.match(text, LINK, 'the case is a link before');
      assert.doesNotMatch(inertLinks(text), LINK);
      // Only the `](` pairs change: every other character is kept.
      assert.equal(inertLinks(text).replaceAll('] (', ']('), text);
    });
  }
  it('leaves text without `](` alone', () => {
    for (const text of ['plain', '[bracket] (space)', 'a(b)[c]', 'procscope (pid 1)']) assert.equal(inertLinks(text), text);
  });
});

describe('fitsRenderedLabel', () => {
  it("refuses what a terminal tab's label or Markdown hover would render: icons, links, images, HTML, URLs", () => {
    for (const name of ['$(check)', '$(alert) ok', '[a](http://x.y)', '![i](x)', '<b>x</b>', 'see https://x', 'x]y'])
      assert.equal(fitsRenderedLabel(name), false, name);
  });
  it('keeps ordinary names, with spaces, parentheses, dollars and Korean', () => {
    for (const name of ['node', 'python3', 'Web Content', 'a (b)', 'cost $5', 'kworker/0:1', '프로세스'])
      assert.equal(fitsRenderedLabel(name), true, name);
  });
});
