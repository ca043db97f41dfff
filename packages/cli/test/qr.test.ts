// The hold invoice's QR code as the CLI prints it: rendered to a bitmap the way a terminal draws it
// (default colours of a light or a dark theme, explicit ANSI colours honoured) and decoded by jsQR
// without trying inverted colours. It must fit 80 columns and decode in both themes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import jsqrModule from 'jsqr';
import { qrText } from '../src/lib/qr.ts';

// jsqr is CommonJS: depending on the interop its function is the module or its `default`.
const jsQR = ((jsqrModule as unknown as { default?: unknown }).default ?? jsqrModule) as typeof jsqrModule.default;

type Rgb = [number, number, number];
const BLACK: Rgb = [0, 0, 0];
const WHITE: Rgb = [255, 255, 255];
const SGR_FG: Record<number, Rgb> = { 30: BLACK, 37: WHITE, 90: [85, 85, 85], 97: WHITE };
const SGR_BG: Record<number, Rgb> = { 40: BLACK, 47: WHITE, 100: [85, 85, 85], 107: WHITE };

/** One character cell = 4 px wide, 8 px high (two 4×4 modules); a margin of the terminal's background. */
function render(text: string, theme: { fg: Rgb; bg: Rgb }) {
  const rows = text.split('\n');
  const cells = rows.map((line) => {
    const out: { top: Rgb; bottom: Rgb }[] = [];
    let fg = theme.fg;
    let bg = theme.bg;
    for (let i = 0; i < line.length; i++) {
      if (line[i] === '\x1b') {
        const end = line.indexOf('m', i);
        for (const code of line
          .slice(i + 2, end)
          .split(';')
          .map(Number)) {
          if (code === 0) [fg, bg] = [theme.fg, theme.bg];
          else if (SGR_FG[code]) fg = SGR_FG[code];
          else if (SGR_BG[code]) bg = SGR_BG[code];
        }
        i = end;
        continue;
      }
      const ch = line[i];
      out.push(
        ch === '█'
          ? { top: fg, bottom: fg }
          : ch === '▀'
            ? { top: fg, bottom: bg }
            : ch === '▄'
              ? { top: bg, bottom: fg }
              : { top: bg, bottom: bg },
      );
    }
    return out;
  });
  const cols = Math.max(...cells.map((r) => r.length));
  const margin = 16;
  const width = cols * 4 + 2 * margin;
  const height = rows.length * 8 + 2 * margin;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) data.set([...theme.bg, 255], p * 4);
  for (const [r, row] of cells.entries())
    for (const [c, cell] of row.entries())
      for (let y = 0; y < 8; y++)
        for (let x = 0; x < 4; x++)
          data.set([...(y < 4 ? cell.top : cell.bottom), 255], ((margin + r * 8 + y) * width + margin + c * 4 + x) * 4);
  return { data, width, height, cols };
}

const INVOICE =
  'lnbcrt1003u1pn7xq3hpp5qy8v4h0gdl7g8xz3n9yqz6gk5t7w8sy4mrhnlk0c6q2c9yuxcyfsdq8w3jhxaqcqzzsxqyz5vqsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygs9qxpqysgqkc8k6t5zy3gk9l7v5zq4xg4f0hj2pk7yq8mfj8w2n5zmq8zxk6l4gzw3y2z5c5ysm3v0qgtj3qz8a5p2w7y3ghdqfyvqg6u7cp0f3v7fx5dps2qz3e6q6c3hwk8r9f0t0v3vq2wgz5qgz7';

test('the QR code fits 80 columns and decodes on a light and on a dark terminal', () => {
  const text = qrText(INVOICE);
  const light = render(text, { fg: BLACK, bg: WHITE });
  const dark = render(text, { fg: WHITE, bg: BLACK });
  assert.ok(light.cols <= 80, `${light.cols} columns`);
  for (const [name, img] of [
    ['light', light],
    ['dark', dark],
  ] as const) {
    const found = jsQR(img.data, img.width, img.height, { inversionAttempts: 'dontInvert' });
    assert.ok(found, `decodes on a ${name} terminal`);
    assert.equal(found.data.toLowerCase(), INVOICE);
  }
});
