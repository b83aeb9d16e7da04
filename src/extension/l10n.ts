// The extension host's one translation function. `vscode.l10n.t` follows VS Code's display language only, and
// only when a language pack for it is installed; ProcScope's own UI follows the `procscope.language` setting
// (auto = VS Code's display language) with or without a language pack, so the bundle is loaded here.
// Same keys and placeholder syntax ({0}, {1}, ...) as vscode.l10n.t: the English text is the key.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { Locale } from '../protocol';

let l10nDir: string | undefined;
let cached: { readonly locale: Locale; readonly table: Readonly<Record<string, string>> } | undefined;

/** Reads `procscope.language` again on change; the extension's l10n folder holds the bundles. */
export function initL10n(extensionPath: string): vscode.Disposable {
  l10nDir = join(extensionPath, 'l10n');
  cached = undefined;
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('procscope.language')) cached = undefined;
  });
}

/** The language ProcScope's UI speaks: the setting, or VS Code's display language for `auto`. */
export function uiLocale(): Locale {
  const setting = vscode.workspace.getConfiguration('procscope').get<string>('language');
  if (setting === 'en' || setting === 'ko') return setting;
  return vscode.env.language.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

function table(): Readonly<Record<string, string>> {
  const locale = uiLocale();
  if (cached?.locale === locale) return cached.table;
  let loaded: Record<string, string> = {};
  if (locale !== 'en' && l10nDir) {
    try {
      loaded = JSON.parse(readFileSync(join(l10nDir, `bundle.l10n.${locale}.json`), 'utf8')) as Record<string, string>;
    } catch {
      loaded = {}; // a missing or broken bundle shows English rather than nothing
    }
  }
  cached = { locale, table: loaded };
  return loaded;
}

export function format(template: string, args: readonly unknown[]): string {
  return template.replace(/\{(\d+)\}/g, (whole, index: string) => {
    const i = Number(index);
    return i < args.length ? String(args[i]) : whole;
  });
}

/** `message` is the English text (a key of l10n/bundle.l10n.json). */
function t(message: string, ...args: Array<string | number | boolean>): string {
  const translated = table()[message];
  return format(typeof translated === 'string' && translated !== '' ? translated : message, args);
}

/** Call sites write l10n.t with the English text as a literal: the form the bundle tests look for. */
export const l10n = { t } as const;
