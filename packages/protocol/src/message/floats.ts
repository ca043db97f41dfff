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
 * serde_json (ryu) form: always a decimal point or an exponent — `0.0`, `4.0`, `2.5`, `1e16`,
 * `1.5e-7`, `-0.0`. Non-finite values become `null`, as serde_json writes them.
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
  else if (length === 1) body = `${digits}e${kk - 1}`;
  else body = `${digits[0]}.${digits.slice(1)}e${kk - 1}`;
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
