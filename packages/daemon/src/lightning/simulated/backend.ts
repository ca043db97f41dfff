// The LightningBackend of the embedded default: one wallet of a SimulatedNetwork is the node's.
import type {
  DecodedInvoice,
  HoldInvoice,
  LightningBackend,
  LnErrorCode,
  LnResult,
  NodeInfo,
  Payment,
} from '../backend.ts';
import { fail, ok } from '../backend.ts';
import { decodeInvoice } from './bolt11.ts';
import type { InvoiceView, PaymentView, SimErrorCode, SimResult, SimulatedNetwork } from './network.ts';

export const SIMULATED_VERSION = '0.1.0-simulated';

const sats = (msat: bigint): number => Number(msat / 1000n);

const toHoldInvoice = (i: InvoiceView): HoldInvoice => ({
  hash: i.hash,
  request: i.request,
  amountSats: sats(i.amountMsat ?? 0n),
  state: i.state,
  htlcExpiryHeight: i.state === 'accepted' ? i.htlcExpiryHeight : null,
  expiresAt: i.expiresAt,
});

const toPayment = (p: PaymentView): Payment => ({
  hash: p.hash,
  state: p.state,
  amountSats: sats(p.amountMsat),
  feeSats: p.state === 'succeeded' ? sats(p.feeMsat) : 0,
  preimage: p.preimage,
  failure: p.failure === null ? null : toLnCode(p.failure, 'payment_failed'),
});

/** The network's extra code (bad arguments) becomes the backend code that fits the operation. */
const toLnCode = (code: SimErrorCode, invalidArgument: LnErrorCode): LnErrorCode =>
  code === 'invalid_argument' ? invalidArgument : code;

const lift = <T, U>(r: SimResult<T>, map: (v: T) => U, invalidArgument: LnErrorCode): LnResult<U> =>
  r.ok ? ok(map(r.value)) : fail(toLnCode(r.error.code, invalidArgument), r.error.message);

/** A storage failure (disk full, closed network) is the backend being unavailable, not a crash. */
function guard<T>(call: () => LnResult<T>): Promise<LnResult<T>> {
  try {
    return Promise.resolve(call());
  } catch (e) {
    return Promise.resolve(fail('unavailable', `simulated network: ${(e as Error).message}`));
  }
}

/** A LightningBackend for `walletName` (created on demand) on the simulated network. */
export function createSimulatedBackend(network: SimulatedNetwork, walletName: string): LightningBackend {
  const pubkey = network.nodePubkey(walletName);
  if (!pubkey.ok) throw new Error(`simulated backend: ${pubkey.error.message}`);
  network.claimWallet(walletName);
  const subscriptions = new Set<() => void>();

  return {
    getInfo(): Promise<LnResult<NodeInfo>> {
      return guard(() => {
        return ok({
          alias: 'simulated',
          pubkey: pubkey.value,
          version: SIMULATED_VERSION,
          commitHash: '',
          chains: ['bitcoin'],
          networks: ['regtest'],
          uris: [],
          blockHeight: network.height(),
          syncedToChain: network.syncedToChain,
          simulated: true,
        });
      });
    },

    addHoldInvoice(args): Promise<LnResult<HoldInvoice>> {
      return guard(() => {
        return lift(network.addHoldInvoice(walletName, args), toHoldInvoice, 'invalid_state');
      });
    },

    getHoldInvoice(hash): Promise<LnResult<HoldInvoice>> {
      return guard(() => {
        const r = network.getInvoice(hash, walletName);
        if (r.ok && r.value.kind !== 'hold') return fail('not_found', 'not a hold invoice');
        return lift(r, toHoldInvoice, 'invalid_state');
      });
    },

    settleHoldInvoice(preimage): Promise<LnResult<void>> {
      return guard(() => {
        return lift(network.settleHoldInvoice(walletName, preimage), () => undefined, 'invalid_state');
      });
    },

    cancelHoldInvoice(hash): Promise<LnResult<void>> {
      return guard(() => {
        return lift(network.cancelHoldInvoice(walletName, hash), () => undefined, 'invalid_state');
      });
    },

    subscribeHoldInvoice(hash, onUpdate): () => void {
      let last: string | null = null;
      const emit = (invoice: InvoiceView) => {
        if (invoice.hash !== hash || invoice.wallet !== walletName || invoice.kind !== 'hold') return;
        const key = `${invoice.state}:${invoice.htlcExpiryHeight}`;
        if (key === last) return; // every state change once, not every write
        last = key;
        onUpdate(toHoldInvoice(invoice));
        if (invoice.state === 'settled' || invoice.state === 'canceled') stop();
      };
      const off = network.onInvoiceUpdate(emit);
      const stop = () => {
        off();
        subscriptions.delete(stop);
      };
      subscriptions.add(stop);
      // Like LND's SubscribeSingleInvoice, start with the current state: a restart learns where it is.
      queueMicrotask(() => {
        if (!subscriptions.has(stop)) return;
        const current = network.getInvoice(hash, walletName);
        if (current.ok) emit(current.value);
      });
      return stop;
    },

    decodeInvoice(request): Promise<LnResult<DecodedInvoice>> {
      return guard(() => {
        return decodeInvoice(request);
      });
    },

    probeRoute(request, amountSats, maxFeeSats): Promise<LnResult<{ feeSats: number }>> {
      return guard(() => {
        const r = network.probeRoute(walletName, { request, amountSats, maxFeeSats });
        return lift(r, (v) => ({ feeSats: sats(v.feeMsat) }), 'invalid_invoice');
      });
    },

    pay(args): Promise<LnResult<Payment>> {
      return guard(() => {
        if (!Number.isSafeInteger(args.timeoutSeconds) || args.timeoutSeconds <= 0) {
          return fail('payment_failed', 'timeoutSeconds must be a positive integer');
        }
        const r = network.pay(walletName, {
          request: args.request,
          amountSats: args.amountSats,
          maxFeeSats: args.maxFeeSats,
        });
        return lift(r, toPayment, 'invalid_invoice');
      });
    },

    getPayment(hash): Promise<LnResult<Payment>> {
      return guard(() => {
        return lift(network.getPayment(walletName, hash), toPayment, 'not_found');
      });
    },

    async close(): Promise<void> {
      for (const stop of [...subscriptions]) stop();
    },
  };
}
