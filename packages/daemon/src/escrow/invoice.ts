// Buyer payout invoice validation (§5.9). A lightning address / LNURL must resolve to a LNURL-pay
// endpoint; a BOLT-11 request must be for the node's network, not about to expire, with a final
// CLTV the node accepts, and either amountless or for exactly the buyer's amount. Returns null when
// fine, else the reason (the caller answers `invalid_invoice`).
import type { Settings } from '../config/index.ts';
import type { LightningBackend } from '../lightning/backend.ts';
import { isLnurlTarget, type LnurlResolver, stripLightningPrefix } from './lnurl.ts';

export interface InvoiceCheckDeps {
  lightning: LightningBackend;
  settings: Settings;
  resolver: LnurlResolver;
  now(): number;
  /** The node's networks as BOLT-11 names (`bitcoin`, `regtest`, …). */
  networks(): Promise<readonly string[]>;
}

export async function checkBuyerInvoice(
  deps: InvoiceCheckDeps,
  invoice: string,
  expectedSats: number | null,
): Promise<string | null> {
  if (typeof invoice !== 'string' || invoice.trim() === '') return 'empty invoice';
  if (isLnurlTarget(invoice)) return deps.resolver.check(invoice, expectedSats);
  const decoded = await deps.lightning.decodeInvoice(stripLightningPrefix(invoice));
  if (!decoded.ok) return `cannot decode: ${decoded.error.message}`;
  const d = decoded.value;
  const networks = await deps.networks();
  if (!networks.includes(d.network)) return `invoice is for ${d.network}, the node is on ${networks.join(',')}`;
  const lightning = deps.settings.lightning;
  if (d.createdAt + d.expirySeconds < deps.now() + lightning.invoice_expiration_window) {
    return 'invoice expires too soon';
  }
  if (d.minFinalCltvExpiry > lightning.max_final_cltv_expiry_delta) return 'final CLTV delta too large';
  if (d.amountMsat !== null) {
    if (d.amountMsat % 1000n !== 0n) return 'amount is not a whole number of sats';
    const sats = Number(d.amountMsat / 1000n);
    if (expectedSats !== null && sats !== expectedSats) return `amount must be ${expectedSats} sats`;
    if (sats < deps.settings.mostro.min_payment_amount) return 'amount below the minimum payment';
  }
  return null;
}

/** BOLT-11 network names of what a backend reports (`mainnet` is `bitcoin`; testnet4 shares `lntb`). */
export function invoiceNetworkName(network: string): string {
  if (network === 'mainnet') return 'bitcoin';
  if (network === 'testnet4' || network === 'testnet3') return 'testnet';
  return network;
}
