// The CLI's catalogue: both languages complete, and no user-facing English outside it.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CATALOGUE, langFromEnv } from '../../src/cli/messages';

const ROOT = join(__dirname, '..', '..');
const SOURCES = [
  'src/cli.ts',
  ...readdirSync(join(ROOT, 'src', 'cli'))
    .filter((f) => f.endsWith('.ts') && f !== 'messages.ts')
    .map((f) => `src/cli/${f}`),
];

/** The static text of every string literal and template literal in a TypeScript source (comments dropped). */
export function stringLiterals(source: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  let i = 0;
  const lineAt = (pos: number): number => source.slice(0, pos).split('\n').length;
  const readQuoted = (quote: string): void => {
    const start = i;
    let text = '';
    i++;
    while (i < source.length && source[i] !== quote) {
      if (source[i] === '\\') {
        text += source.slice(i, i + 2);
        i += 2;
        continue;
      }
      text += source[i++];
    }
    i++;
    out.push({ text, line: lineAt(start) });
  };
  const readTemplate = (): void => {
    const start = i;
    let text = '';
    i++;
    while (i < source.length && source[i] !== '`') {
      if (source[i] === '\\') {
        text += source.slice(i, i + 2);
        i += 2;
        continue;
      }
      if (source[i] === '$' && source[i + 1] === '{') {
        // Skip the expression (its own literals are found by scanning it separately below).
        let depth = 0;
        const exprStart = i + 2;
        i++;
        do {
          if (source[i] === '{') depth++;
          else if (source[i] === '}') depth--;
          i++;
        } while (depth > 0 && i < source.length);
        out.push(...stringLiterals(source.slice(exprStart, i - 1)).map((s) => ({ text: s.text, line: s.line + lineAt(exprStart) - 1 })));
        text += ' ';
        continue;
      }
      text += source[i++];
    }
    i++;
    out.push({ text, line: lineAt(start) });
  };
  while (i < source.length) {
    const c = source[i]!;
    if (c === '/' && source[i + 1] === '/') {
      i = source.indexOf('\n', i);
      if (i < 0) break;
      continue;
    }
    if (c === '/' && source[i + 1] === '*') {
      i = source.indexOf('*/', i) + 2;
      continue;
    }
    if (c === '/' && /[(,=:!&|?{};]\s*$/.test(source.slice(Math.max(0, i - 20), i))) {
      // a regular expression literal: skip it
      i++;
      while (i < source.length && source[i] !== '/') {
        if (source[i] === '\\') i++;
        if (source[i] === '[') {
          while (source[i] !== ']') {
            if (source[i] === '\\') i++;
            i++;
          }
        }
        i++;
      }
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      readQuoted(c);
      continue;
    }
    if (c === '`') {
      readTemplate();
      continue;
    }
    i++;
  }
  return out;
}

describe('the CLI catalogue', () => {
  it('has every key in both languages, and no empty text', () => {
    assert.deepEqual(Object.keys(CATALOGUE.ko).sort(), Object.keys(CATALOGUE.en).sort());
    for (const lang of ['en', 'ko'] as const) {
      for (const [key, text] of Object.entries(CATALOGUE[lang])) assert.ok(text.length > 0, `${lang} ${key}`);
    }
  });

  it('uses the same placeholders in both languages', () => {
    const names = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
    for (const key of Object.keys(CATALOGUE.en) as (keyof typeof CATALOGUE.en)[]) {
      assert.deepEqual(names(CATALOGUE.ko[key]), names(CATALOGUE.en[key]), key);
    }
  });

  it('picks the language like the labs: PROCSCOPE_LANG, then LC_ALL, LC_MESSAGES, LANG', () => {
    const cases: [Record<string, string>, 'en' | 'ko'][] = [
      [{}, 'en'],
      [{ LANG: 'ko_KR.UTF-8' }, 'ko'],
      [{ LANG: 'ko_KR.UTF-8', LC_ALL: 'C' }, 'en'],
      [{ LANG: 'en_US.UTF-8', LC_MESSAGES: 'ko_KR' }, 'ko'],
      [{ LC_ALL: '', LANG: 'ko' }, 'ko'],
      [{ PROCSCOPE_LANG: 'en', LANG: 'ko_KR.UTF-8' }, 'en'],
      [{ PROCSCOPE_LANG: 'ko', LC_ALL: 'C.UTF-8' }, 'ko'],
    ];
    for (const [env, lang] of cases) assert.equal(langFromEnv(env), lang, JSON.stringify(env));
  });
});

describe('CLI sources', () => {
  it('the literal scanner finds text in quotes and templates and skips comments and regexes', () => {
    const found = stringLiterals("// 'not me'\nconst a = 'one two'; const r = /it's/g; const b = `three ${f('four five')} six`;").map(
      (s) => s.text,
    );
    assert.deepEqual(found, ['one two', 'four five', 'three   six']);
  });

  it('hold no English phrase outside the catalogue', () => {
    // Technical tokens that stay the same in every language (commands, options, column names, kernel terms).
    const allowed = /^procscope (snapshot|ps|show|ipc|ipcs|locks)$/;
    const offenders: string[] = [];
    for (const file of SOURCES) {
      for (const { text, line } of stringLiterals(readFileSync(join(ROOT, file), 'utf8'))) {
        // A phrase: two words of letters side by side. Keys ('error.badLang'), option names ('proc-root'),
        // module paths and single tokens are not phrases.
        const phrase = /\b[A-Za-z]{2,}[,:;]? +[A-Za-z]{2,}\b/.exec(text);
        if (phrase && !allowed.test(text.trim())) offenders.push(`${file}:${line}: ${JSON.stringify(text)}`);
      }
    }
    assert.deepEqual(offenders, []);
  });
});
