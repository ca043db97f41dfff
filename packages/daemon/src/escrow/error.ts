// The escrow's error: which order, which step, and the Lightning error behind it.
import type { LnError } from '../lightning/backend.ts';

/** A Lightning call failed in a way the caller cannot fix; the state says what is left to do. */
export class EscrowError extends Error {
  constructor(
    readonly orderId: string,
    readonly step: string,
    readonly lnError: LnError | null,
    detail?: string,
  ) {
    super(`escrow ${step} for order ${orderId}: ${detail ?? lnError?.message ?? 'failed'}`);
    this.name = 'EscrowError';
  }
}
