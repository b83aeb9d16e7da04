// Renders media/icon.svg to media/icon.png (128x128, the size the Marketplace shows) with headless Chromium.
// Run after changing the SVG: node scripts/renderIcon.mjs [path to chromium]. Commit both files.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const chromium = process.argv[2] ?? '/usr/bin/chromium';
const svg = readFileSync(join(root, 'media', 'icon.svg'), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'procscope-icon-'));
try {
  // A page exactly the icon's size with a transparent background, so the PNG keeps the rounded corners.
  const page = join(dir, 'icon.html');
  writeFileSync(
    page,
    `<!DOCTYPE html><html><head><style>html,body{margin:0;background:transparent;overflow:hidden}svg{display:block}</style></head><body>${svg}</body></html>`,
  );
  const out = join(dir, 'icon.png');
  execFileSync(
    chromium,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--hide-scrollbars',
      '--default-background-color=00000000',
      '--force-device-scale-factor=1',
      '--window-size=128,128',
      `--screenshot=${out}`,
      `file://${page}`,
    ],
    { stdio: 'ignore', timeout: 60_000 },
  );
  const png = readFileSync(out);
  // PNG header: width and height are big-endian at bytes 16 and 20.
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  if (width !== 128 || height !== 128) throw new Error(`rendered ${width}x${height}, expected 128x128`);
  writeFileSync(join(root, 'media', 'icon.png'), png);
  console.log(`media/icon.png: ${png.length} bytes, ${width}x${height}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
