// Rust f64 → integer conversions the reference uses in its money math.

/** Rust `f64::round`: halves round AWAY from zero (JS Math.round sends −2.5 to −2). */
export function rustRound(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** i64::MAX as the nearest double (2^63); saturated results are only ever this bound. */
const I64_MAX = 2 ** 63;
/** Rust `x as i64`: truncation toward zero, saturating, NaN → 0 (kept within JS numbers). */
export function rustAsI64(x: number): number {
  if (Number.isNaN(x)) return 0;
  if (x >= I64_MAX) return I64_MAX;
  if (x <= -I64_MAX) return -I64_MAX;
  return Math.trunc(x) || 0;
}
