// How Rust prints an f64, in the two forms the protocol exposes. Both start from the shortest
// round-trip decimal digits, which JS (`toExponential()` without an argument) and Rust (ryu /
// Grisu-Dragon) agree on; only the layout differs.

/** Shortest round-trip digits and decimal exponent of a finite, non-zero |x|: x = 0.d1d2… × 10^exp. */
function shortestDigits(x: number): { digits: string; exp: number } {
  const [mantissa, e] = Math.abs(x).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  return { digits, exp: Number(e) + 1 };
}

/**
 * serde_json form: always a decimal point or an exponent — `0.0`, `4.0`, `2.5`, `1e+16`, `1.5e-7`,
 * `-0.0`. Non-finite values become `null`, as serde_json writes them. Checked against mostro-core
 * 0.14.0 built with serde_json 1.0.154 (test/message/reference); serde_json releases that still used
 * ryu wrote `1e16` without the `+`. Only |x| ≥ 1e16 is affected, which no Mostro field reaches.
 */
export function serdeF64(x: number): string {
  if (!Number.isFinite(x)) return 'null';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  if (x === 0) return `${sign}0.0`;
  const { digits, exp: kk } = shortestDigits(x);
  const length = digits.length;
  const k = kk - length; // x = digits × 10^k
  let body: string;
  if (k >= 0 && kk <= 16) body = `${digits}${'0'.repeat(k)}.0`;
  else if (kk > 0 && kk <= 16) body = `${digits.slice(0, kk)}.${digits.slice(kk)}`;
  else if (kk > -5 && kk <= 0) body = `0.${'0'.repeat(-kk)}${digits}`;
  else {
    const exponent = kk - 1 > 0 ? `e+${kk - 1}` : `e${kk - 1}`;
    body = length === 1 ? `${digits}${exponent}` : `${digits[0]}.${digits.slice(1)}${exponent}`;
  }
  return sign + body;
}

/** Rust `f64::to_string()` (Display): plain decimal, no exponent, no forced `.0` — `3`, `2.5`, `0.0001`. */
export function rustF64Display(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Number.POSITIVE_INFINITY) return 'inf';
  if (x === Number.NEGATIVE_INFINITY) return '-inf';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  if (x === 0) return `${sign}0`;
  const { digits, exp } = shortestDigits(x);
  if (exp <= 0) return `${sign}0.${'0'.repeat(-exp)}${digits}`;
  if (exp >= digits.length) return `${sign}${digits}${'0'.repeat(exp - digits.length)}`;
  return `${sign}${digits.slice(0, exp)}.${digits.slice(exp)}`;
}

const U64_MAX_DIV_10 = 1844674407370955161n;
const I32_MAX = 2 ** 31 - 1;
const I32_MIN = -(2 ** 31);
const POW10 = Array.from({ length: 309 }, (_, i) => Number(`1e${i}`));

/** Would `significand * 10 + digit` overflow a u64? (serde_json's `overflow!`.) */
const overflows = (significand: bigint, digit: number) =>
  significand > U64_MAX_DIV_10 || (significand === U64_MAX_DIV_10 && digit > 5);

const saturate = (n: number) => Math.min(I32_MAX, Math.max(I32_MIN, n));

/**
 * The f64 that serde_json (without its `float_roundtrip` feature, as mostro-core builds it) reads
 * from a JSON number token, or null where it reports "number out of range". Its fast algorithm —
 * up to 19 significant digits as a u64, then one multiplication or division by a power of ten —
 * can land one unit in the last place away from the correctly rounded value (`Number(raw)`); we
 * copy it so that a value Mostro sent re-serializes to the same bytes a Rust peer would produce.
 * `raw` must be a valid JSON number token.
 */
export function serdeParseF64(raw: string): number | null {
  let i = 0;
  const positive = raw[0] !== '-';
  if (!positive) i++;
  const isDigit = () => i < raw.length && raw.charCodeAt(i) >= 48 && raw.charCodeAt(i) <= 57;
  const digit = () => raw.charCodeAt(i) - 48;
  let significand = 0n;
  let exponent = 0;
  let integerToken = true;
  // Integer part; on u64 overflow the remaining integer digits only scale the exponent.
  if (raw[i] === '0') i++;
  else {
    while (isDigit()) {
      if (overflows(significand, digit())) {
        integerToken = false;
        while (isDigit()) {
          i++;
          exponent++;
        }
        break;
      }
      significand = significand * 10n + BigInt(digit());
      i++;
    }
  }
  if (raw[i] === '.') {
    integerToken = false;
    i++;
    while (isDigit()) {
      if (overflows(significand, digit())) {
        while (isDigit()) i++; // further digits are ignored
        break;
      }
      significand = significand * 10n + BigInt(digit());
      exponent--;
      i++;
    }
  }
  if (raw[i] === 'e' || raw[i] === 'E') {
    integerToken = false;
    i++;
    let positiveExp = true;
    if (raw[i] === '+' || raw[i] === '-') {
      positiveExp = raw[i] === '+';
      i++;
    }
    let exp = 0;
    while (isDigit()) {
      if (exp > (I32_MAX - digit()) / 10) {
        // Exponent beyond i32: an error for growth, ±0.0 for shrinking or a zero significand.
        if (significand !== 0n && positiveExp) return null;
        return positive ? 0 : -0;
      }
      exp = exp * 10 + digit();
      i++;
    }
    exponent = saturate(positiveExp ? exponent + exp : exponent - exp);
  }
  if (integerToken) {
    // A plain integer token reaches the f64 visitor as u64/i64 and is converted with `as f64`.
    if (!positive && significand === 0n) return -0;
    return positive ? Number(significand) : -Number(significand);
  }
  let f = Number(significand); // u64 as f64: round to nearest, ties to even
  while (true) {
    const pow = POW10[Math.abs(exponent)];
    if (pow !== undefined) {
      if (exponent >= 0) {
        f *= pow;
        if (!Number.isFinite(f)) return null;
      } else {
        f /= pow;
      }
      break;
    }
    if (f === 0) break;
    if (exponent >= 0) return null;
    f /= 1e308;
    exponent += 308;
  }
  return positive ? f : -f;
}
