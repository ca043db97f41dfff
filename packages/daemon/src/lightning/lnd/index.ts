// LightningBackend over LND's gRPC API through the `lightning` package.
import { authenticatedLndGrpc } from 'lightning';
import type { LightningBackend } from '../backend.ts';
import { addHoldInvoice } from './add-hold-invoice.ts';
import { cancelHoldInvoice } from './cancel-hold-invoice.ts';
import { type LndConfig, lndCredentials } from './config.ts';
import { decodeInvoice } from './decode-invoice.ts';
import { getHoldInvoice } from './get-hold-invoice.ts';
import { getInfo } from './get-info.ts';
import { getPayment } from './get-payment.ts';
import { pay } from './pay.ts';
import { probeRoute } from './probe-route.ts';
import { settleHoldInvoice } from './settle-hold-invoice.ts';
import { subscribeHoldInvoice } from './subscribe-hold-invoice.ts';

export type { LndConfig } from './config.ts';

/**
 * Connects lazily: a node that is down makes calls return 'unavailable' rather than failing here.
 * Throws only for a configuration mistake (bad host, unreadable certificate or macaroon).
 */
export async function createLndBackend(config: LndConfig): Promise<LightningBackend> {
  const { lnd } = authenticatedLndGrpc(lndCredentials(config));
  const subscriptions = new Set<() => void>();
  return {
    getInfo: () => getInfo(lnd),
    addHoldInvoice: (args) => addHoldInvoice(lnd, args),
    getHoldInvoice: (hash) => getHoldInvoice(lnd, hash),
    settleHoldInvoice: (preimage) => settleHoldInvoice(lnd, preimage),
    cancelHoldInvoice: (hash) => cancelHoldInvoice(lnd, hash),
    subscribeHoldInvoice: (hash, onUpdate) => {
      const stop = subscribeHoldInvoice(lnd, hash, onUpdate);
      const unsubscribe = () => {
        subscriptions.delete(unsubscribe);
        stop();
      };
      subscriptions.add(unsubscribe);
      return unsubscribe;
    },
    decodeInvoice: (request) => decodeInvoice(lnd, request),
    probeRoute: (request, amountSats, maxFeeSats) => probeRoute(lnd, request, amountSats, maxFeeSats),
    pay: (args) => pay(lnd, args),
    getPayment: (hash) => getPayment(lnd, hash),
    close: async () => {
      for (const unsubscribe of [...subscriptions]) unsubscribe();
      for (const service of Object.values(lnd) as { close?: () => void }[]) service?.close?.();
    },
  };
}
