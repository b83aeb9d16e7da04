// Turning kernel bytes into strings without losing anything: names are arbitrary bytes (comm, argv, paths).
//
// The representation ("surrogateescape", as Python's PEP 383): valid UTF-8 decodes as usual; each byte that is
// not part of a valid UTF-8 sequence (always 0x80..0xFF) becomes the lone surrogate U+DC80+byte. Valid UTF-8
// never decodes to a lone surrogate, so this is lossless and reversible (`encodeBytes`), and in JSON the byte
// 0xff is "\udcff", distinct from the four characters `\xff` a process may really have in its name. U+FFFD
// would merge every invalid byte into one character; the text `\xNN` would collide with real text. Display
// code shows such code units visibly (\xNN) through src/shared/visible.ts; core values keep them exact.

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeBytes(buf: Uint8Array, start = 0, end = buf.length): string {
  const view = buf.subarray(start, end);
  // Fast path: pure ASCII (the common case) needs no validation.
  let ascii = true;
  for (let i = 0; i < view.length; i++) {
    if (view[i]! >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return Buffer.from(view.buffer, view.byteOffset, view.length).toString('latin1');
  try {
    return strictUtf8.decode(view);
  } catch {
    return decodeLossless(view);
  }
}

/** Length of the valid UTF-8 sequence starting at i, or 0 if the bytes there are not one. */
function utf8SequenceLength(b: Uint8Array, i: number): number {
  const c = b[i]!;
  let n: number;
  let min: number;
  if (c < 0x80) return 1;
  if (c >= 0xc2 && c <= 0xdf) {
    n = 2;
    min = 0x80;
  } else if (c >= 0xe0 && c <= 0xef) {
    n = 3;
    min = 0x800;
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4;
    min = 0x10000;
  } else return 0;
  if (i + n > b.length) return 0;
  let cp = c & (0xff >> (n + 1));
  for (let k = 1; k < n; k++) {
    const cc = b[i + k]!;
    if ((cc & 0xc0) !== 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return n;
}

function decodeLossless(b: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < b.length) {
    const n = utf8SequenceLength(b, i);
    if (n === 0) {
      out += String.fromCharCode(0xdc00 + b[i]!);
      i++;
    } else {
      out += Buffer.from(b.buffer, b.byteOffset + i, n).toString('utf8');
      i += n;
    }
  }
  return out;
}

/** argv from /proc/PID/cmdline: NUL-separated, usually NUL-terminated; empty for kernel threads and zombies. */
export function parseCmdline(buf: Uint8Array, length = buf.length): string[] {
  const args: string[] = [];
  let start = 0;
  for (let i = 0; i < length; i++) {
    if (buf[i] === 0) {
      args.push(decodeBytes(buf, start, i));
      start = i + 1;
    }
  }
  // A process that rewrote its argv (setproctitle) may leave no trailing NUL.
  if (start < length) args.push(decodeBytes(buf, start, length));
  return args;
}

/** The bytes a `decodeBytes` string came from: UTF-8, with each lone U+DC80..U+DCFF turned back into its byte. */
export function encodeBytes(text: string): Buffer {
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xdc80 || c > 0xdcff) continue;
    // A low surrogate preceded by a high one is half of a real pair, not an escaped byte.
    const prev = i > 0 ? text.charCodeAt(i - 1) : 0;
    if (prev >= 0xd800 && prev <= 0xdbff) continue;
    parts.push(Buffer.from(text.slice(start, i), 'utf8'), Buffer.of(c - 0xdc00));
    start = i + 1;
  }
  parts.push(Buffer.from(text.slice(start), 'utf8'));
  return Buffer.concat(parts);
}
