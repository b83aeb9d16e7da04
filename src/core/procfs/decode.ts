// Turning kernel bytes into strings without losing anything: names are arbitrary bytes (comm, argv, paths).
// Valid UTF-8 decodes as usual; each byte of an invalid sequence becomes `\xNN`, so a name is shown exactly
// as the kernel holds it rather than with U+FFFD replacement characters that would hide what is there.

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeBytes(buf: Uint8Array, start = 0, end = buf.length): string {
  const view = buf.subarray(start, end);
  // Fast path: pure ASCII (the common case) needs no validation.
  let ascii = true;
  for (let i = 0; i < view.length; i++) {
    if (view[i]! >= 0x80) { ascii = false; break; }
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
  if (c >= 0xc2 && c <= 0xdf) { n = 2; min = 0x80; }
  else if (c >= 0xe0 && c <= 0xef) { n = 3; min = 0x800; }
  else if (c >= 0xf0 && c <= 0xf4) { n = 4; min = 0x10000; }
  else return 0;
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
      out += `\\x${b[i]!.toString(16).padStart(2, '0')}`;
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
