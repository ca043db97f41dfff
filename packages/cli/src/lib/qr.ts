// A QR code for the terminal: two modules per character cell (half blocks), drawn black on white
// with explicit colours so it reads the same on a light and on a dark terminal, with a quiet zone
// of 2 modules. Uppercase text uses the QR alphanumeric mode (a BOLT-11 invoice is
// case-insensitive), which keeps a hold invoice within 80 columns.
import QRCode from 'qrcode';

const QUIET = 2;
const ON_WHITE = '\x1b[30;107m'; // black foreground, bright white background
const RESET = '\x1b[0m';

export function qrText(text: string): string {
  const { modules } = QRCode.create(text.toUpperCase(), { errorCorrectionLevel: 'L' });
  const size = modules.size;
  const dark = (row: number, col: number): boolean =>
    row >= 0 && col >= 0 && row < size && col < size && modules.get(row, col) === 1;
  const lines: string[] = [];
  for (let row = -QUIET; row < size + QUIET; row += 2) {
    let line = '';
    for (let col = -QUIET; col < size + QUIET; col++) {
      const top = dark(row, col);
      const bottom = dark(row + 1, col);
      line += top && bottom ? '█' : top ? '▀' : bottom ? '▄' : ' ';
    }
    lines.push(`${ON_WHITE}${line}${RESET}`);
  }
  return lines.join('\n');
}
