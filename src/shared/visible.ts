// OS strings (names, paths, argv) may hold anything a byte string can: newlines, terminal escape sequences,
// bidirectional overrides that make a name read backwards, invisible characters that make two names look
// the same, and bytes that are not UTF-8. Wherever such a string is shown as text (a terminal, a modal
// dialog, the panel) it goes through `visible`, so what the user reads is what the kernel holds and nothing
// in it can act on the display. Browser-safe: the webview imports it too. JSON output never uses it.
//
// The escapes, one form per class:
//   \n \t                      newline and tab
//   \xNN                       other C0 controls, DEL, C1 controls (U+0080–U+009F), and a byte that was not
//                              valid UTF-8 (carried as the lone surrogate U+DC80+byte, see src/core/procfs/decode.ts)
//   \uXXXX                     format characters (general category Cf: bidi embeddings, overrides, isolates
//                              and marks, zero-width space/joiners, word joiner, BOM, Mongolian vowel
//                              separator, soft hyphen, ...), U+2028/U+2029, Hangul fillers (blank letters
//                              used to fake empty names) and any other lone surrogate; uppercase hex
//   \u{XXXXX}                  the same classes above U+FFFF (tag characters, musical format marks)
// A backslash itself is left alone: escapes are for what cannot be seen, and paths may hold backslashes.

const ESCAPED = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\u115F\u1160\u3164\uFFA0]/gu;
const ESCAPED_TEST = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\u115F\u1160\u3164\uFFA0]/u;

function hex(n: number, width: number): string {
  return n.toString(16).toUpperCase().padStart(width, '0');
}

/** The escape for one code point that must not be shown raw (see the table above). */
export function escapeCodePoint(c: string): string {
  const cp = c.codePointAt(0)!;
  if (c === '\n') return '\\n';
  if (c === '\t') return '\\t';
  if (cp <= 0x1f || (cp >= 0x7f && cp <= 0x9f)) return `\\x${hex(cp, 2).toLowerCase()}`;
  if (cp >= 0xdc80 && cp <= 0xdcff) return `\\x${hex(cp - 0xdc00, 2).toLowerCase()}`;
  return cp > 0xffff ? `\\u{${hex(cp, 5)}}` : `\\u${hex(cp, 4)}`;
}

/** One line of OS text made safe to print: every control, format, separator and lone surrogate escaped. */
export function visible(text: string): string {
  return text.replace(ESCAPED, escapeCodePoint);
}

/** Does the text hold anything `visible` would escape (a control, an invisible or direction-changing character, a non-UTF-8 byte)? */
export function hasHiddenCharacters(text: string): boolean {
  return ESCAPED_TEST.test(text);
}

/** A piece of displayed text: `escape` pieces are escapes (to be marked as such in the panel), others plain text. */
export interface VisiblePart {
  readonly text: string;
  readonly escape: boolean;
}

/** `visible(text)` split into plain runs and escapes, so a UI can show the escapes as marks. */
export function visibleParts(text: string): VisiblePart[] {
  const parts: VisiblePart[] = [];
  let last = 0;
  for (const m of text.matchAll(ESCAPED)) {
    if (m.index > last) parts.push({ text: text.slice(last, m.index), escape: false });
    parts.push({ text: escapeCodePoint(m[0]), escape: true });
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), escape: false });
  return parts;
}

/**
 * The text with every `](` broken to `] (`: a VS Code notification turns `[label](command:…)` (and https:,
 * file: targets) into a link that runs or opens its target when clicked, and a process name, a file name or
 * a path the webview sent must not become one. No link pattern matches a `]` and `(` apart.
 */
export function inertLinks(text: string): string {
  return text.replaceAll('](', '] (');
}

/**
 * Whether text may stand in a label VS Code renders with `$(icon)` syntax and a Markdown hover (a terminal's
 * tab): false when it holds an icon (`$(`), link or image brackets (`[`, `]`), an autolink or HTML (`<`, `>`)
 * or a URL (`://`).
 */
export function fitsRenderedLabel(text: string): boolean {
  return !/\$\(|[[\]<>]|:\/\//.test(text);
}
