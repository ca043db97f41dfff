// Reconnect delays: exponential, capped, with jitter so that many clients dropped by the same
// relay restart do not all come back in the same instant.
export type BackoffOptions = {
  /** First delay in ms. Default 500. */
  initialMs?: number;
  /** Upper bound in ms. Default 30 000. */
  maxMs?: number;
  /** Growth per attempt. Default 2. */
  factor?: number;
};

/**
 * Delay before reconnect attempt number `attempt` (0 for the first retry): the capped exponential
 * value `d`, jittered uniformly into [d/2, d] by `random` (a number in [0, 1)).
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  const initial = options.initialMs ?? 500;
  const max = options.maxMs ?? 30_000;
  const factor = options.factor ?? 2;
  const capped = Math.min(max, initial * factor ** Math.max(0, Math.min(attempt, 64)));
  return Math.round(capped / 2 + (capped / 2) * random());
}
