// Source-level guarantees of the webview that a browser test cannot see whole: no HTML-string sinks at all
// (every OS string goes in through textContent), and the two UI dictionaries hold the same keys, none empty.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
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
        if (/\b(innerHTML|outerHTML|insertAdjacentHTML|document\.write|createContextualFragment)\b/.test(code))
          offenders.push(`${f}:${i + 1}: ${line.trim()}`);
      });
    }
    assert.deepEqual(offenders, []);
  });

  it('has English and Korean dictionaries with the same keys and no empty strings', () => {
    const en = Object.keys(DICTIONARIES.en).sort();
    const ko = Object.keys(DICTIONARIES.ko).sort();
    assert.deepEqual(ko, en);
    assert.ok(en.length > 100, `${en.length} keys`);
    const empty = [...Object.entries(DICTIONARIES.en), ...Object.entries(DICTIONARIES.ko)]
      .filter(([, v]) => v.trim() === '')
      .map(([k]) => k);
    assert.deepEqual(empty, []);
    // Placeholders match: a Korean string uses the same {n} arguments as the English one.
    const args = (s: string) =>
      [...s.matchAll(/\{(\d+)\}/g)]
        .map((m) => m[1])
        .sort()
        .join(',');
    const mismatched = en.filter(
      (k) => args(DICTIONARIES.en[k as keyof typeof DICTIONARIES.en]) !== args(DICTIONARIES.ko[k as keyof typeof DICTIONARIES.ko]),
    );
    assert.deepEqual(mismatched, []);
  });

  it('holds no hard-coded user-facing English outside the English dictionary', () => {
    const offenders = hardCodedEnglish();
    assert.deepEqual(offenders, []);
  });

  it('would catch hard-coded English in each kind of place text reaches the user', () => {
    // The check itself, on a sample with one offence per sink (so a blind checker fails here).
    const sample = [
      "el('div', 'x', 'Open files');",
      "custom('vscode-button', '', `Read ${n} files`);",
      "kv(s, 'CPU affinity', v);",
      "const v = { text: ok ? 'yes' : 'no', reason: null };",
      "node.textContent = 'Waiting for data';",
      "node.title = 'Zoom in';",
      "node.setAttribute('aria-label', 'Zoom out');",
      "setText(cell, th.tid === p.pid ? 'main' : 'LWP');",
      "svg('text', {}, 'msg queue');",
      "t('status.requestFailed', 'detail', e);",
      "data.push({ label: 'Kill tree', value: 'x' });",
      'function shortLabel(c) { return `fifo of ${c.path}`; }',
    ].join('\n');
    const found = hardCodedEnglish([{ name: 'sample.ts', text: sample }]);
    assert.equal(new Set(found.map((f) => f.split(':')[1])).size, 12, found.join('\n'));
    // And lets through what is not English text: keys, classes, escapes, units and acronyms.
    const clean = [
      "el('div', 'kv-label', t('field.pid'));",
      'setText(c, `${n} ms`);',
      "el('span', 'detail-pid', `PID ${p.pid}`);",
      'node.title = visible(name);',
    ].join('\n');
    assert.deepEqual(hardCodedEnglish([{ name: 'clean.ts', text: clean }]), []);
  });
});

/** Sinks: the calls and properties through which a string reaches the screen or a screen reader. */
const CALL_ARG = new Map<string, number[]>([
  ['el', [2]],
  ['custom', [2]],
  ['svg', [2]],
  ['kv', [1]],
  ['setText', [1]],
]);
const TEXT_PROPERTIES = new Set(['textContent', 'title', 'placeholder', 'heading', 'description', 'label', 'ariaLabel']);
const TEXT_ATTRIBUTES = new Set(['aria-label', 'title', 'placeholder', 'label', 'heading', 'description']);
/** Allowed inside user-facing literals: units and acronyms that read the same in every language. */
const NEUTRAL = /\b(PID|TID|CPU|RSS|ms|KiB|MiB|GiB|TiB|B|s)\b/g;

function hardCodedEnglish(files?: { name: string; text: string }[]): string[] {
  const sources =
    files ??
    readdirSync(WEBVIEW)
      .filter((f) => f.endsWith('.ts') && f !== 'i18n.ts')
      .map((f) => ({ name: f, text: readFileSync(join(WEBVIEW, f), 'utf8') }));
  const out: string[] = [];
  for (const { name, text } of sources) {
    const src = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true);
    const flagged = new Set<ts.Node>();
    const flag = (n: ts.Node, piece: string): void => {
      const where = `${name}:${src.getLineAndCharacterOfPosition(n.getStart()).line + 1}: ${JSON.stringify(piece)}`;
      if (!out.includes(where)) out.push(where);
    };
    const report = (n: ts.Node): void => {
      for (const piece of literalText(n)) {
        if (KEYS.has(piece)) continue;
        if (/[A-Za-z]{2,}/.test(piece.replace(NEUTRAL, ''))) flag(n, piece);
      }
      flagged.add(n);
    };
    const visit = (n: ts.Node): void => {
      if (ts.isCallExpression(n)) {
        const callee = n.expression.getText(src).split('.').pop()!;
        if (callee === 't') n.arguments.slice(1).forEach(report);
        else for (const i of CALL_ARG.get(callee) ?? []) if (n.arguments[i]) report(n.arguments[i]);
        if ((callee === 'setAttribute' || callee === 'setAttr') && n.arguments.length >= 2) {
          const [a, b] = callee === 'setAttr' ? [n.arguments[1], n.arguments[2]] : [n.arguments[0], n.arguments[1]];
          if (a && b && ts.isStringLiteral(a) && TEXT_ATTRIBUTES.has(a.text)) report(b);
        }
      } else if (
        ts.isBinaryExpression(n) &&
        n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        ts.isPropertyAccessExpression(n.left) &&
        TEXT_PROPERTIES.has(n.left.name.text)
      ) {
        report(n.right);
      } else if (ts.isPropertyAssignment(n) && ts.isIdentifier(n.name) && (n.name.text === 'text' || n.name.text === 'label')) {
        report(n.initializer);
      } else if (ts.isReturnStatement(n) && n.expression) {
        const fn = ts.findAncestor(n, ts.isFunctionLike);
        const fnName = fn && 'name' in fn && fn.name && ts.isIdentifier(fn.name) ? fn.name.text : '';
        if (/label$/i.test(fnName)) report(n.expression);
      }
      // Anywhere else: a phrase (two words or more) that is not a selector, a class list or a message key.
      if (
        (ts.isStringLiteral(n) ||
          ts.isNoSubstitutionTemplateLiteral(n) ||
          ts.isTemplateHead(n) ||
          ts.isTemplateMiddle(n) ||
          ts.isTemplateTail(n)) &&
        !flagged.has(n)
      ) {
        const piece = n.text;
        // (Lower-case words joined by hyphens are class lists: "ipc-edge deadlock".)
        if (
          /\b[A-Za-z][a-z]+ [a-z]{2,}\b/.test(piece.replace(NEUTRAL, '')) &&
          !/^[a-z0-9 ]*-[a-z0-9 -]*$/.test(piece) &&
          !KEYS.has(piece) &&
          !isMachineText(n, src)
        )
          flag(n, piece);
      }
      ts.forEachChild(n, visit);
    };
    visit(src);
  }
  return out;
}

const KEYS = new Set(Object.keys(DICTIONARIES.en));

/** A string that is not shown as text: a CSS selector or class list, an attribute name or value, an import. */
function isMachineText(n: ts.Node, src: ts.SourceFile): boolean {
  let at: ts.Node = n;
  while (
    ts.isTemplateLiteralTypeSpan(at.parent) ||
    ts.isTemplateSpan(at.parent) ||
    ts.isTemplateExpression(at.parent) ||
    ts.isConditionalExpression(at.parent) ||
    ts.isParenthesizedExpression(at.parent) ||
    ts.isBinaryExpression(at.parent)
  )
    at = at.parent;
  const p = at.parent;
  if (ts.isImportDeclaration(p) || ts.isLiteralTypeNode(p)) return true;
  if (ts.isCallExpression(p)) {
    const callee = p.expression.getText(src).split('.').pop()!;
    const i = p.arguments.indexOf(at as ts.Expression);
    if (['querySelector', 'querySelectorAll', 'closest', 'matches', 'add', 'remove', 'toggle', 'contains'].includes(callee)) return true;
    if ((callee === 'el' || callee === 'custom' || callee === 'osEl' || callee === 'icon') && i <= 1) return true;
    if ((callee === 'setAttribute' && i === 1) || (callee === 'setAttr' && i === 2)) {
      const attr = p.arguments[callee === 'setAttr' ? 1 : 0];
      return !(attr && ts.isStringLiteral(attr) && TEXT_ATTRIBUTES.has(attr.text));
    }
  }
  if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && ['class', 'className', 'd', 'viewBox', 'transform'].includes(p.name.text))
    return true;
  if (ts.isBinaryExpression(p) && ts.isPropertyAccessExpression(p.left) && p.left.name.text === 'className') return true;
  return false;
}

/** The literal text an expression contributes (branches of ?:, parts of +, static parts of a template). */
function literalText(n: ts.Node): string[] {
  if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) return [n.text];
  if (ts.isTemplateExpression(n)) return [n.head.text, ...n.templateSpans.flatMap((s) => [s.literal.text, ...literalText(s.expression)])];
  // `pipe ${inode}`.trim() and the like: the text is the template's.
  if (
    ts.isCallExpression(n) &&
    ts.isPropertyAccessExpression(n.expression) &&
    ['trim', 'concat', 'padStart', 'padEnd'].includes(n.expression.name.text)
  )
    return literalText(n.expression.expression);
  if (ts.isParenthesizedExpression(n)) return literalText(n.expression);
  if (ts.isConditionalExpression(n)) return [...literalText(n.whenTrue), ...literalText(n.whenFalse)];
  if (
    ts.isBinaryExpression(n) &&
    (n.operatorToken.kind === ts.SyntaxKind.PlusToken ||
      n.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken ||
      n.operatorToken.kind === ts.SyntaxKind.BarBarToken)
  )
    return [...literalText(n.left), ...literalText(n.right)];
  return [];
}
