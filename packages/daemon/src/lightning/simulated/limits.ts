// What the network's parts share and callers do not see: result constructors, the limits and
// formats every entry point checks.
import type { SimErrorCode, SimResult } from './types.ts';

export const ok = <T>(value: T): SimResult<T> => ({ ok: true, value });
export const fail = (code: SimErrorCode, message: string): SimResult<never> => ({
  ok: false,
  error: { code, message },
});

export const MAX_EXPIRY_SECONDS = 365 * 24 * 3600;
export const MAX_CLTV_DELTA = 5000;
// As LND: a day. Shorter would fail the node's own buyer-invoice rule (expiry ≥ now + 3600 s).
export const DEFAULT_INVOICE_EXPIRY = 86_400;
export const DEFAULT_INVOICE_CLTV = 40;
/** CLTV the simulated route adds on top of the final hop's, like the hops of a real route. */
export const ROUTE_CLTV = 40;
export const WALLET_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
export const HEX32 = /^[0-9a-f]{64}$/;

export const isWholeNumber = (n: unknown, min: number, max: number): n is number =>
  typeof n === 'number' && Number.isSafeInteger(n) && n >= min && n <= max;
