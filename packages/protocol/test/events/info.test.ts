// Kind 38385 (§6.3) and the mostro-web extractInfoFromEvent cases of clients.md V6.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildInfoEvent, type NodeInfoInput, newerInfo, ProtocolError, parseInfoEvent } from '../../src/index.ts';

const MOSTRO = '8171eb680049f62ce8747d203f57c3f71de6eea308af6f995363896a1e47cc51';

const settings: NodeInfoInput = {
  mostroPubkey: MOSTRO,
  mostro_version: '0.18.5',
  mostro_commit_hash: 'abcdef',
  max_order_amount: 1000000,
  min_order_amount: 100,
  expiration_hours: 24,
  expiration_seconds: 900,
  fiat_currencies_accepted: ['USD', 'EUR', 'ARS', 'CUP'],
  max_orders_per_response: 10,
  fee: 0.006,
  pow: 0,
  pow_first_contact: 0,
  protocol_version: 2,
  hold_invoice_expiration_window: 300,
  hold_invoice_cltv_delta: 144,
  invoice_expiration_window: 3600,
  escrow_deadline_margin_blocks: 24,
  lnd_version: '0.18.4-beta commit=v0.18.4-beta',
  lnd_node_pubkey: '02aa',
  lnd_commit_hash: 'v0.18.4-beta',
  lnd_node_alias: 'alice',
  lnd_chains: ['bitcoin'],
  lnd_networks: ['regtest'],
  lnd_uris: ['02aa@127.0.0.1:9735'],
  instanceName: 'My Mostro',
  now: 1700000000,
};

describe('buildInfoEvent', () => {
  it('emits the tags in mostrod 0.20 order (build_info_tags, reference-0.20.md §3.3)', () => {
    const e = buildInfoEvent(settings);
    assert.equal(e.kind, 38385);
    assert.deepEqual(e.tags, [
      ['d', MOSTRO],
      ['mostro_version', '0.18.5'],
      ['mostro_commit_hash', 'abcdef'],
      ['max_order_amount', '1000000'],
      ['min_order_amount', '100'],
      ['expiration_hours', '24'],
      ['expiration_seconds', '900'],
      ['fiat_currencies_accepted', 'USD,EUR,ARS,CUP'],
      ['max_orders_per_response', '10'],
      ['fee', '0.006'],
      ['pow', '0'],
      ['pow_first_contact', '0'],
      ['protocol_version', '2'],
      ['y', 'mostro', 'My Mostro'],
      ['z', 'info'],
      ['escrow_mode', 'lightning'],
      ['hold_invoice_cltv_delta', '144'],
      ['escrow_deadline_margin_blocks', '24'],
      ['lnd_version', '0.18.4-beta commit=v0.18.4-beta'],
      ['lnd_node_pubkey', '02aa'],
      ['lnd_commit_hash', 'v0.18.4-beta'],
      ['lnd_node_alias', 'alice'],
      ['lnd_chains', 'bitcoin'],
      ['lnd_networks', 'regtest'],
      ['lnd_uris', '02aa@127.0.0.1:9735'],
      ['invoice_expiration_window', '3600'],
      ['hold_invoice_expiration_window', '300'],
      ['bond_enabled', 'false'],
      ['maintenance_mode', 'false'],
    ]);
    assert.ok(!e.tags.some((t) => t[0] === 'expiration'));
  });

  it('bond details follow bond_enabled in order; floats in Rust Display form', () => {
    const e = buildInfoEvent({
      ...settings,
      fee: 0,
      bond: {
        amount_pct: 0.01,
        base_amount_sats: 1000,
        apply_to: 'both',
        slash_on_waiting_timeout: true,
        slash_node_share_pct: 0.5,
        payout_claim_window_days: 7,
      },
    });
    assert.deepEqual(
      e.tags.find((t) => t[0] === 'fee'),
      ['fee', '0'],
    );
    assert.deepEqual(e.tags.slice(-8, -1), [
      ['bond_enabled', 'true'],
      ['bond_amount_pct', '0.01'],
      ['bond_base_amount_sats', '1000'],
      ['bond_apply_to', 'both'],
      ['bond_slash_on_waiting_timeout', 'true'],
      ['bond_slash_node_share_pct', '0.5'],
      ['bond_payout_claim_window_days', '7'],
    ]);
    const info = parseInfoEvent(e);
    assert.equal(info.bond_enabled, true);
    assert.equal(info.bond?.apply_to, 'both');
    assert.equal(info.bond?.amount_pct, 0.01);
  });

  it('serbero, reputation tags and maintenance_mode follow the bond block, maintenance_mode last; all read back', () => {
    const e = buildInfoEvent({
      ...settings,
      serbero: 'aa'.repeat(32),
      reputation_import_issuers: [],
      reputation_issuer: 'bb'.repeat(32),
      maintenance_mode: true,
    });
    assert.deepEqual(e.tags.slice(-5), [
      ['bond_enabled', 'false'],
      ['serbero', 'aa'.repeat(32)],
      ['reputation_import_issuers'],
      ['reputation_issuer', 'bb'.repeat(32)],
      ['maintenance_mode', 'true'],
    ]);
    const info = parseInfoEvent(e);
    assert.equal(info.maintenance_mode, true);
    assert.equal(info.serbero, 'aa'.repeat(32));
    assert.deepEqual(info.reputation_import_issuers, []);
    assert.equal(info.reputation_issuer, 'bb'.repeat(32));
    assert.equal(info.escrow_mode, 'lightning');
    assert.equal(info.escrow_deadline_margin_blocks, 24);
    const plain = parseInfoEvent(buildInfoEvent(settings));
    assert.equal(plain.maintenance_mode, false);
    assert.equal(plain.reputation_import_issuers, null, 'no tag: import off');
  });

  it('round-trips through the parser', () => {
    const info = parseInfoEvent(buildInfoEvent(settings));
    assert.equal(info.mostro_pubkey, MOSTRO);
    assert.equal(info.transport, 'nip44');
    assert.equal(info.fee, 0.006);
    assert.deepEqual(info.fiat_currencies_accepted, ['USD', 'EUR', 'ARS', 'CUP']);
    assert.equal(info.instance_name, 'My Mostro');
    assert.equal(info.bond_enabled, false);
    assert.equal(info.bond, null);
  });
});

describe('parseInfoEvent (mostro-web extractInfoFromEvent, V6)', () => {
  const webEvent = {
    kind: 38385,
    pubkey: MOSTRO,
    created_at: 1700000000,
    content: '',
    tags: [
      ['mostro_version', '1.0.0'],
      ['mostro_commit_id', 'abc123'],
      ['max_order_amount', '1000'],
      ['min_order_amount', '10'],
      ['expiration_hours', '24'],
      ['expiration_seconds', '86400'],
      ['fee', '0.01'],
      ['hold_invoice_expiration_window', '3600'],
      ['invoice_expiration_window', '7200'],
    ],
  };

  it('parses numbers and adds mostro_pubkey and created_at', () => {
    const info = parseInfoEvent(webEvent);
    assert.equal(info.mostro_version, '1.0.0');
    assert.equal(info.mostro_commit_hash, 'abc123');
    assert.equal(info.max_order_amount, 1000);
    assert.equal(info.min_order_amount, 10);
    assert.equal(info.expiration_hours, 24);
    assert.equal(info.expiration_seconds, 86400);
    assert.equal(info.fee, 0.01);
    assert.equal(info.hold_invoice_expiration_window, 3600);
    assert.equal(info.invoice_expiration_window, 7200);
    assert.equal(info.mostro_pubkey, MOSTRO);
    assert.equal(info.created_at, 1700000000);
    // Absent protocol_version ⇒ nip44, as mostro-cli 0.16.3 (reference-0.20.md §2.1); absent
    // pow_first_contact / bond_enabled ⇒ unknown.
    assert.equal(info.protocol_version, null);
    assert.equal(info.transport, 'nip44');
    assert.equal(info.pow_first_contact, null);
    assert.equal(info.bond_enabled, null);
  });

  it('an older created_at never replaces newer info', () => {
    const newer = parseInfoEvent(webEvent);
    const older = parseInfoEvent({ ...webEvent, created_at: 1600000000, tags: [['fee', '0.5']] });
    assert.equal(newerInfo(newer, older), newer);
    assert.equal(newerInfo(older, newer), newer);
    assert.equal(newerInfo(null, older), older);
  });

  it('transport from protocol_version: 1 ⇒ gift-wrap; 2, 0, 3 ⇒ nip44', () => {
    const t = (v: string) => parseInfoEvent({ ...webEvent, tags: [['protocol_version', v]] }).transport;
    assert.equal(t('1'), 'gift-wrap');
    for (const v of ['2', '0', '3']) assert.equal(t(v), 'nip44');
  });

  it('malformed numbers are typed errors naming the tag', () => {
    assert.throws(
      () => parseInfoEvent({ ...webEvent, tags: [['fee', 'abc']] }),
      (e: unknown) => e instanceof ProtocolError && e.code === 'invalid_tag' && e.path === 'tags.fee',
    );
    assert.throws(
      () => parseInfoEvent({ ...webEvent, tags: [['max_order_amount', '1.5']] }),
      (e: unknown) => e instanceof ProtocolError && e.path === 'tags.max_order_amount',
    );
  });
});
