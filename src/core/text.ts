// OS strings (names, paths, argv) may hold newlines, escape sequences and other control characters. Wherever
// they are printed as plain text (a terminal, a modal dialog) they are shown visibly and never allowed to act.

/** Control characters (C0, DEL and C1) written out: `\n`, `\t`, else `\xNN`; everything else unchanged. */
export function visible(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}
