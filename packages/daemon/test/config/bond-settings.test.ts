// `[anti_abuse_bond]` (reference-0.20.md §5): the reference's names and defaults, off by default,
// settable from the environment (a section name with underscores), and the CLTV rule.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { parse as parseToml } from 'smol-toml';
import { bondPolicy, bondRequired, bondSats, winnerShareSats } from '../../src/bonds/policy.ts';
import { defaultConfigToml, parseSettings } from '../../src/config/index.ts';

const doc = (bond: Record<string, unknown> = {}) => ({
  nostr: { nsec_privkey: randomBytes(32).toString('hex') },
  relay: { embedded: true },
  lightning: { backend: 'simulated' },
  anti_abuse_bond: bond,
});

describe('[anti_abuse_bond]', () => {
  test('defaults: off, the reference values, no bond tags in the info event', () => {
    const r = parseSettings(doc());
    assert.ok(r.ok);
    assert.deepEqual(r.settings.anti_abuse_bond, {
      enabled: false,
      amount_pct: 0.01,
      base_amount_sats: 1000,
      apply_to: 'take',
      slash_on_waiting_timeout: false,
      slash_node_share_pct: 0.5,
      payout_invoice_window_seconds: 300,
      payout_max_retries: 5,
      payout_claim_window_days: 15,
      maker_bond_payment_timeout_seconds: 900,
      bond_cltv_delta: 432,
    });
    assert.equal(bondPolicy(r.settings), null);
    assert.equal(bondRequired(r.settings, 'taker'), false);
  });

  test('environment overrides reach a section whose name has underscores', () => {
    const r = parseSettings(doc(), {
      MOSTRO_ANTI_ABUSE_BOND_ENABLED: 'true',
      MOSTRO_ANTI_ABUSE_BOND_APPLY_TO: 'both',
      MOSTRO_PAYER_HISTORY_ENABLED: 'true',
    });
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.settings.anti_abuse_bond.enabled, true);
    assert.equal(r.settings.payer_history.enabled, true);
    assert.equal(bondRequired(r.settings, 'maker'), true);
    assert.equal(bondRequired(r.settings, 'taker'), true);
    assert.deepEqual(bondPolicy(r.settings), {
      amount_pct: 0.01,
      base_amount_sats: 1000,
      apply_to: 'both',
      slash_on_waiting_timeout: false,
      slash_node_share_pct: 0.5,
      payout_claim_window_days: 15,
    });
    const bad = parseSettings(doc(), { MOSTRO_ANTI_ABUSE_BOND_TYPO: '1' });
    assert.equal(bad.ok, false);
  });

  test('sizes: max(round(sats × pct), base); the winner gets bond − floor(bond × node share)', () => {
    const r = parseSettings(doc({ enabled: true, slash_node_share_pct: 0.3 }));
    assert.ok(r.ok);
    assert.equal(bondSats(r.settings, 200_000), 2000);
    assert.equal(bondSats(r.settings, 50_000), 1000);
    assert.equal(bondSats(r.settings, 150_050), 1501, 'rounded');
    assert.equal(winnerShareSats(r.settings, 1001), 1001 - 300);
  });

  test('bad values are named; the bond CLTV must exceed the escrow CLTV + 144', () => {
    const apply = parseSettings(doc({ apply_to: 'everyone' }));
    assert.equal(apply.ok, false);
    assert.match(JSON.stringify(apply), /anti_abuse_bond\.apply_to/);
    const cltv = parseSettings(doc({ enabled: true, bond_cltv_delta: 288 }));
    assert.equal(cltv.ok, false);
    assert.match(JSON.stringify(cltv), /anti_abuse_bond\.bond_cltv_delta.*must be above .*288/);
    assert.equal(parseSettings(doc({ enabled: false, bond_cltv_delta: 288 })).ok, true, 'only checked when on');
  });

  test('the template writes the section with the defaults', () => {
    const written = parseToml(defaultConfigToml(randomBytes(32).toString('hex'))) as Record<string, unknown>;
    const r = parseSettings(written);
    assert.ok(r.ok, JSON.stringify(r));
    const defaults = parseSettings(doc());
    assert.ok(defaults.ok);
    assert.deepEqual({ ...(written.anti_abuse_bond as object) }, defaults.settings.anti_abuse_bond);
  });
});
