// The simulated Lightning network of the embedded default: see network.ts for the model.

export { createSimulatedBackend, SIMULATED_VERSION } from './backend.ts';
export { decodeInvoice, type EncodeInvoiceArgs, encodeInvoice, MAX_DESCRIPTION_BYTES } from './bolt11.ts';
export {
  DEFAULT_WALLET_API_PORT,
  type SimulatedLightning,
  type SimulatedLightningOptions,
  startSimulatedLightning,
} from './embedded.ts';
export {
  type AuditView,
  BLOCK_INTERVAL_SECONDS,
  FAILURE_KINDS,
  type FailureKind,
  type FailureRule,
  type InvoiceView,
  MAX_FUND_SATS,
  type PaymentView,
  type PayRequest,
  type SimClock,
  type SimErrorCode,
  type SimInvoiceState,
  type SimResult,
  SimulatedNetwork,
  type SimulatedNetworkOptions,
  type WalletView,
} from './network.ts';
export { startWalletServer, type WalletServer, type WalletServerOptions } from './wallet-server.ts';
