// The extension host says nothing to the user in hard-coded English: every message, dialog, quick pick,
// terminal name, status bar text and action error goes through l10n.t (src/extension/l10n.ts), which follows
// `procscope.language`. Output-channel log lines are diagnostics for bug reports and stay English, as VS
// Code's own logs do; they are not checked here.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

const root = join(__dirname, '..', '..');
const bundle = JSON.parse(readFileSync(join(root, 'l10n', 'bundle.l10n.json'), 'utf8')) as Record<string, string>;
const bundleKo = JSON.parse(readFileSync(join(root, 'l10n', 'bundle.l10n.ko.json'), 'utf8')) as Record<string, string>;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const p = join(dir, entry);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The text of the first argument of a call whose '(' is at `open`, up to the top-level ',' or ')'. */
function firstArgument(source: string, open: number): string {
  let depth = 0;
  let quote: string | null = null;
  for (let i = open + 1; i < source.length; i++) {
    const c = source[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') quote = c;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) {
      if (depth === 0) return source.slice(open + 1, i).trim();
      depth--;
    } else if (c === ',' && depth === 0) return source.slice(open + 1, i).trim();
  }
  return source.slice(open + 1).trim();
}

const LITERAL = /^(['"`])/;

/** Places where text reaches the user, and how to find the text in each. */
const USER_FACING: readonly {
  readonly what: string;
  readonly pattern: RegExp;
  readonly text: (source: string, m: RegExpExecArray) => string;
}[] = [
  {
    what: 'a message box',
    pattern: /show(?:Information|Warning|Error)Message\(/g,
    text: (s, m) => firstArgument(s, m.index + m[0].length - 1),
  },
  { what: 'an action error', pattern: /new ActionError\(/g, text: (s, m) => firstArgument(s, m.index + m[0].length - 1) },
  { what: 'a focus reason', pattern: /\.focus\(\s*\[[^\]]*\],/g, text: (s, m) => firstArgument(s, m.index + m[0].length - 1) },
  {
    what: 'a terminal name, quick pick placeholder or debug configuration name',
    pattern: /[{,]\s*(?:name|placeHolder|title|tooltip|detail|label):\s*/g,
    text: (s, m) =>
      s
        .slice(m.index + m[0].length)
        .split(/[,\n}]/)[0]!
        .trim(),
  },
  {
    what: 'a status bar text',
    pattern: /\bstatus\w*\.(?:tooltip|name|text)\s*=\s*/g,
    text: (s, m) =>
      s
        .slice(m.index + m[0].length)
        .split(/[;\n]/)[0]!
        .trim(),
  },
];

/** Hard-coded English reaching the user in this source: `file:line what: text`. */
export function hardCodedStrings(file: string, source: string): string[] {
  const out: string[] = [];
  for (const { what, pattern, text } of USER_FACING) {
    for (const m of source.matchAll(pattern)) {
      const arg = text(source, m as RegExpExecArray);
      if (!LITERAL.test(arg)) continue; // l10n.t(...), a variable, a value from the OS or the session
      if (/^(['"`])\$\([a-z-]+\)\1$/.test(arg)) continue; // a codicon alone, no words
      const line = source.slice(0, m.index).split('\n').length;
      out.push(`${file}:${line} ${what}: ${arg}`);
    }
  }
  return out;
}

test('the checker finds hard-coded English where the user reads it (so it can fail)', () => {
  const bad = [
    "void vscode.window.showErrorMessage('Something broke');",
    'throw new ActionError(`Process ${pid} is gone`);',
    "const t = vscode.window.createTerminal({ name: 'Lab terminal' });",
    "panel.focus([pid], 'Debuggee');",
    "status.tooltip = 'Open';",
  ].join('\n');
  assert.equal(hardCodedStrings('sample.ts', bad).length, 5, hardCodedStrings('sample.ts', bad).join('\n'));
  const good = [
    "void vscode.window.showErrorMessage(l10n.t('Unknown lab: {0}', id));",
    "throw new ActionError(l10n.t('Process {0} ({1}) has exited.', pid, name));",
    'const t = vscode.window.createTerminal({ name: title, cwd });',
    "status.tooltip = l10n.t('ProcScope: Open Process Explorer');",
  ].join('\n');
  assert.deepEqual(hardCodedStrings('sample.ts', good), []);
});

test('no hard-coded user-facing English in src/extension', () => {
  const files = sourceFiles(join(root, 'src', 'extension'));
  assert.ok(files.length > 10);
  const found = files.flatMap((f) => hardCodedStrings(relative(root, f), readFileSync(f, 'utf8')));
  assert.deepEqual(found, []);
});

test('the host never calls vscode.l10n.t directly (it would ignore procscope.language)', () => {
  const offenders = sourceFiles(join(root, 'src', 'extension')).filter((f) => /vscode\.l10n\.t\(/.test(readFileSync(f, 'utf8')));
  assert.deepEqual(
    offenders.map((f) => relative(root, f)),
    [],
  );
});

test('every key of bundle.l10n.json has a non-empty Korean text in bundle.l10n.ko.json', () => {
  const missing = Object.keys(bundle).filter((k) => typeof bundleKo[k] !== 'string' || bundleKo[k]!.trim() === '');
  assert.deepEqual(missing, []);
});
