// Kind 38385 — node instance info (protocol.md §6.3 as amended by reference-0.20.md §3.3: the tag
// order of mostrod 0.20's build_info_tags), and how clients read it (clients.md V6, mostro-web
// extractInfoFromEvent; transport choice as mostro-cli 0.16.3, reference-0.20.md §2.1: an explicit
// protocol_version 1 ⇒ gift-wrap, 2, absent or anything else ⇒ nip44). Parsing accepts the older orders too: tags are looked up by name.
import type { Transport } from '../message/enums.ts';
import { ProtocolError } from '../message/errors.ts';
import { rustF64Display } from '../message/floats.ts';
import { transportForProtocolVersion } from '../message/transport-choice.ts';
import {
  checkInt,
  checkText,
  type EventTemplate,
  findTag,
  nextCreatedAt,
  optionalFloat,
  optionalInt,
  platformTag,
  readEvent,
  tagValue,
} from './common.ts';

export const INFO_EVENT_KIND = 38385;

export const BOND_APPLY_TO = ['take', 'make', 'both'] as const;
export type BondApplyTo = (typeof BOND_APPLY_TO)[number];

export interface BondSettingsInfo {
  amount_pct: number;
  base_amount_sats: number;
  apply_to: BondApplyTo;
  slash_on_waiting_timeout: boolean;
  slash_node_share_pct: number;
  payout_claim_window_days: number;
}

/** What the node advertises. Builder input; the parser returns the same shape with nulls for absent tags. */
export interface NodeInfoInput {
  mostroPubkey: string;
  mostro_version: string;
  mostro_commit_hash: string;
  max_order_amount: number;
  min_order_amount: number;
  expiration_hours: number;
  expiration_seconds: number;
  /** Empty = every currency accepted. */
  fiat_currencies_accepted: readonly string[];
  max_orders_per_response: number;
  /** Total fee fraction (split between the parties), e.g. 0.006. */
  fee: number;
  pow: number;
  pow_first_contact: number;
  protocol_version: 1 | 2;
  hold_invoice_expiration_window: number;
  hold_invoice_cltv_delta: number;
  /** The buyer-invoice expiry floor (`[lightning].invoice_expiration_window`; mostrod ≥ 0.20 publishes it too). */
  invoice_expiration_window: number;
  /** Blocks before the hold HTLC's expiry at which the node cancels an active trade. */
  escrow_deadline_margin_blocks: number;
  lnd_version: string;
  lnd_node_pubkey: string;
  lnd_commit_hash: string;
  lnd_node_alias: string;
  lnd_chains: readonly string[];
  lnd_networks: readonly string[];
  lnd_uris: readonly string[];
  instanceName?: string | null;
  /** null/undefined ⇒ `bond_enabled` "false". */
  bond?: BondSettingsInfo | null;
  /** Hex pubkey of the node's read-only dispute assistant; absent ⇒ no tag. */
  serbero?: string | null;
  /** Trusted reputation issuer keys (hex) when reputation import is on (the tag may have no values); absent ⇒ no tag. */
  reputation_import_issuers?: readonly string[] | null;
  /** This node's reputation export key (hex) when export is on; absent ⇒ no tag. */
  reputation_issuer?: string | null;
  /** Default false. Always published, as the last tag. */
  maintenance_mode?: boolean;
  now: number;
  previousCreatedAt?: number | null;
}

/**
 * Tags in mostrod 0.20's emitted order (a Lightning node): the node block, y, z, the escrow block,
 * the bond block (`bond_*` details only when bonds are enabled), the optional serbero/reputation
 * tags, and `maintenance_mode` last. No expiration.
 */
export function buildInfoEvent(input: NodeInfoInput): EventTemplate {
  const int = (name: keyof NodeInfoInput) => [name, checkInt(input[name] as number, name)];
  const text = (name: keyof NodeInfoInput) => [name, checkText(input[name] as string, name)];
  const list = (name: keyof NodeInfoInput) => [name, checkText((input[name] as string[]).join(','), name)];
  if (!Number.isFinite(input.fee)) throw new ProtocolError('invalid_value', 'fee', 'expected a finite number');
  const tags: string[][] = [
    ['d', checkText(input.mostroPubkey, 'mostroPubkey')],
    text('mostro_version'),
    text('mostro_commit_hash'),
    int('max_order_amount'),
    int('min_order_amount'),
    int('expiration_hours'),
    int('expiration_seconds'),
    list('fiat_currencies_accepted'),
    int('max_orders_per_response'),
    ['fee', rustF64Display(input.fee)],
    int('pow'),
    int('pow_first_contact'),
    int('protocol_version'),
    platformTag(input.instanceName),
    ['z', 'info'],
    ['escrow_mode', 'lightning'],
    int('hold_invoice_cltv_delta'),
    int('escrow_deadline_margin_blocks'),
    text('lnd_version'),
    text('lnd_node_pubkey'),
    text('lnd_commit_hash'),
    text('lnd_node_alias'),
    list('lnd_chains'),
    list('lnd_networks'),
    list('lnd_uris'),
    int('invoice_expiration_window'),
    int('hold_invoice_expiration_window'),
    ['bond_enabled', input.bond ? 'true' : 'false'],
  ];
  const bond = input.bond;
  if (bond) {
    if (![bond.amount_pct, bond.slash_node_share_pct].every(Number.isFinite)) {
      throw new ProtocolError('invalid_value', 'bond', 'bond percentages must be finite');
    }
    tags.push(
      ['bond_amount_pct', rustF64Display(bond.amount_pct)],
      ['bond_base_amount_sats', checkInt(bond.base_amount_sats, 'bond.base_amount_sats')],
      ['bond_apply_to', bond.apply_to],
      ['bond_slash_on_waiting_timeout', bond.slash_on_waiting_timeout ? 'true' : 'false'],
      ['bond_slash_node_share_pct', rustF64Display(bond.slash_node_share_pct)],
      ['bond_payout_claim_window_days', checkInt(bond.payout_claim_window_days, 'bond.payout_claim_window_days')],
    );
  }
  if (input.serbero) tags.push(['serbero', checkText(input.serbero, 'serbero')]);
  if (input.reputation_import_issuers) {
    tags.push(['reputation_import_issuers', ...input.reputation_import_issuers.map((k) => checkText(k, 'issuer'))]);
  }
  if (input.reputation_issuer)
    tags.push(['reputation_issuer', checkText(input.reputation_issuer, 'reputation_issuer')]);
  tags.push(['maintenance_mode', input.maintenance_mode ? 'true' : 'false']);
  return { kind: INFO_EVENT_KIND, tags, content: '', created_at: nextCreatedAt(input.previousCreatedAt, input.now) };
}

export interface NodeInfo {
  /** `d` tag, else the event author. */
  mostro_pubkey: string;
  created_at: number;
  mostro_version: string | null;
  /** `mostro_commit_hash` (mostrod) or `mostro_commit_id` (what mostro-web's tests use). */
  mostro_commit_hash: string | null;
  max_order_amount: number | null;
  min_order_amount: number | null;
  expiration_hours: number | null;
  expiration_seconds: number | null;
  /** Empty = all currencies (or tag absent). */
  fiat_currencies_accepted: string[];
  max_orders_per_response: number | null;
  fee: number | null;
  pow: number | null;
  /** null = tag absent: an older daemon, requirement unknown. */
  pow_first_contact: number | null;
  /** null = tag absent. */
  protocol_version: number | null;
  /** protocol_version 1 ⇒ gift-wrap; 2, absent or anything else ⇒ nip44 (reference-0.20.md §2.1). */
  transport: Transport;
  hold_invoice_expiration_window: number | null;
  hold_invoice_cltv_delta: number | null;
  invoice_expiration_window: number | null;
  /** `escrow_mode` (`lightning`, `cashu`, …); null = tag absent (older daemon: clients assume lightning). */
  escrow_mode: string | null;
  escrow_deadline_margin_blocks: number | null;
  /** Cashu nodes: the mints a maker may choose (empty = any, or not a Cashu node). */
  cashu_mint_urls: string[];
  cashu_escrow_locktime_days: number | null;
  lnd_version: string | null;
  lnd_node_pubkey: string | null;
  lnd_commit_hash: string | null;
  lnd_node_alias: string | null;
  lnd_chains: string[];
  lnd_networks: string[];
  lnd_uris: string[];
  instance_name: string | null;
  /** null = `bond_enabled` absent (daemon predates bonds). */
  bond_enabled: boolean | null;
  /** Present only when bond_enabled is true and every bond tag is readable. */
  bond: BondSettingsInfo | null;
  serbero: string | null;
  /** null = tag absent (import off or older daemon); [] = import on with no trusted issuer. */
  reputation_import_issuers: string[] | null;
  reputation_issuer: string | null;
  /** null = tag absent (daemon predates maintenance mode). */
  maintenance_mode: boolean | null;
}

const csv = (value: string | undefined): string[] =>
  value === undefined ? [] : value.split(',').filter((s) => s !== '');

function optionalBool(tags: readonly string[][], name: string): boolean | null {
  const v = tagValue(tags, name);
  if (v === undefined) return null;
  if (v === 'true' || v === 'false') return v === 'true';
  throw new ProtocolError('invalid_tag', `tags.${name}`, `expected true or false, found ${v}`);
}

export function parseInfoEvent(event: unknown): NodeInfo {
  const e = readEvent(event, INFO_EVENT_KIND);
  const { tags } = e;
  const mostro_pubkey = tagValue(tags, 'd') ?? e.pubkey;
  if (mostro_pubkey === undefined) throw new ProtocolError('missing_tag', 'tags.d', 'no d tag and no pubkey');
  const protocol_version = optionalInt(tags, 'protocol_version');
  const bond_enabled = optionalBool(tags, 'bond_enabled');
  let bond: BondSettingsInfo | null = null;
  if (bond_enabled) {
    const applyTo = tagValue(tags, 'bond_apply_to');
    const amount_pct = optionalFloat(tags, 'bond_amount_pct');
    const base = optionalInt(tags, 'bond_base_amount_sats');
    const slash = optionalBool(tags, 'bond_slash_on_waiting_timeout');
    const share = optionalFloat(tags, 'bond_slash_node_share_pct');
    const days = optionalInt(tags, 'bond_payout_claim_window_days');
    if (applyTo !== undefined && !(BOND_APPLY_TO as readonly string[]).includes(applyTo)) {
      throw new ProtocolError('invalid_tag', 'tags.bond_apply_to', `unknown value ${applyTo}`);
    }
    if (amount_pct !== null && base !== null && applyTo && slash !== null && share !== null && days !== null) {
      bond = {
        amount_pct,
        base_amount_sats: base,
        apply_to: applyTo as BondApplyTo,
        slash_on_waiting_timeout: slash,
        slash_node_share_pct: share,
        payout_claim_window_days: days,
      };
    }
  }
  return {
    mostro_pubkey,
    created_at: e.created_at,
    mostro_version: tagValue(tags, 'mostro_version') ?? null,
    mostro_commit_hash: tagValue(tags, 'mostro_commit_hash') ?? tagValue(tags, 'mostro_commit_id') ?? null,
    max_order_amount: optionalInt(tags, 'max_order_amount'),
    min_order_amount: optionalInt(tags, 'min_order_amount'),
    expiration_hours: optionalInt(tags, 'expiration_hours'),
    expiration_seconds: optionalInt(tags, 'expiration_seconds'),
    fiat_currencies_accepted: csv(tagValue(tags, 'fiat_currencies_accepted')),
    max_orders_per_response: optionalInt(tags, 'max_orders_per_response'),
    fee: optionalFloat(tags, 'fee'),
    pow: optionalInt(tags, 'pow'),
    pow_first_contact: optionalInt(tags, 'pow_first_contact'),
    protocol_version,
    transport: transportForProtocolVersion(protocol_version),
    hold_invoice_expiration_window: optionalInt(tags, 'hold_invoice_expiration_window'),
    hold_invoice_cltv_delta: optionalInt(tags, 'hold_invoice_cltv_delta'),
    invoice_expiration_window: optionalInt(tags, 'invoice_expiration_window'),
    escrow_mode: tagValue(tags, 'escrow_mode') ?? null,
    escrow_deadline_margin_blocks: optionalInt(tags, 'escrow_deadline_margin_blocks'),
    cashu_mint_urls: findTag(tags, 'cashu_mint_url') ?? [],
    cashu_escrow_locktime_days: optionalInt(tags, 'cashu_escrow_locktime_days'),
    lnd_version: tagValue(tags, 'lnd_version') ?? null,
    lnd_node_pubkey: tagValue(tags, 'lnd_node_pubkey') ?? null,
    lnd_commit_hash: tagValue(tags, 'lnd_commit_hash') ?? null,
    lnd_node_alias: tagValue(tags, 'lnd_node_alias') ?? null,
    lnd_chains: csv(tagValue(tags, 'lnd_chains')),
    lnd_networks: csv(tagValue(tags, 'lnd_networks')),
    lnd_uris: csv(tagValue(tags, 'lnd_uris')),
    instance_name: findTag(tags, 'y')?.[1] ?? null,
    bond_enabled,
    bond,
    serbero: tagValue(tags, 'serbero') ?? null,
    reputation_import_issuers: findTag(tags, 'reputation_import_issuers') ?? null,
    reputation_issuer: tagValue(tags, 'reputation_issuer') ?? null,
    maintenance_mode: optionalBool(tags, 'maintenance_mode'),
  };
}

/** Keeps the newer of two infos: an older created_at never replaces newer info (ties keep current). */
export function newerInfo(current: NodeInfo | null, candidate: NodeInfo): NodeInfo {
  return current === null || candidate.created_at > current.created_at ? candidate : current;
}
