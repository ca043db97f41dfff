// Builder inputs from parsed events: feeding what a foreign node published back into our builders
// shows whether we would publish the same tags (conformance and interop tests).
import type { NodeInfo, NodeInfoInput } from '../../src/index.ts';

/** NodeInfoInput carrying exactly the values read from a 38385 (absent numbers as published by 0.20 defaults). */
export function infoInputFrom(info: NodeInfo, now: number): NodeInfoInput {
  return {
    mostroPubkey: info.mostro_pubkey,
    mostro_version: info.mostro_version!,
    mostro_commit_hash: info.mostro_commit_hash!,
    max_order_amount: info.max_order_amount!,
    min_order_amount: info.min_order_amount!,
    expiration_hours: info.expiration_hours!,
    expiration_seconds: info.expiration_seconds!,
    fiat_currencies_accepted: info.fiat_currencies_accepted,
    max_orders_per_response: info.max_orders_per_response!,
    fee: info.fee!,
    pow: info.pow!,
    pow_first_contact: info.pow_first_contact ?? info.pow!,
    protocol_version: (info.protocol_version ?? 1) as 1 | 2,
    hold_invoice_expiration_window: info.hold_invoice_expiration_window!,
    hold_invoice_cltv_delta: info.hold_invoice_cltv_delta!,
    invoice_expiration_window: info.invoice_expiration_window!,
    escrow_deadline_margin_blocks: info.escrow_deadline_margin_blocks ?? 24,
    lnd_version: info.lnd_version!,
    lnd_node_pubkey: info.lnd_node_pubkey!,
    lnd_commit_hash: info.lnd_commit_hash!,
    lnd_node_alias: info.lnd_node_alias!,
    lnd_chains: info.lnd_chains,
    lnd_networks: info.lnd_networks,
    lnd_uris: info.lnd_uris,
    instanceName: info.instance_name,
    bond: info.bond,
    serbero: info.serbero,
    reputation_import_issuers: info.reputation_import_issuers,
    reputation_issuer: info.reputation_issuer,
    maintenance_mode: info.maintenance_mode ?? false,
    now,
  };
}
