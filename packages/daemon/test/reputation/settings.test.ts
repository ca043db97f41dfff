// Reputation settings: the trust list's rules, the issuer key from the environment, the info tags
// present exactly when a feature is on, and the start-up refusal of a renamed issuer.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { npubEncode } from 'nostr-tools/nip19';
import { parseSettings } from '../../src/config/index.ts';
import { rememberIssuerKey } from '../../src/db/reputation.ts';
import { reputationInfo, setupReputation } from '../../src/node/reputation.ts';
import { readIssuerKey } from '../../src/reputation/issuer.ts';
import { Harness, testSettings } from '../app/harness.ts';
import { issuerKey } from './support.ts';

const base = (extra: Record<string, unknown>) => ({
  nostr: { nsec_privkey: 'a'.repeat(64), relays: ['wss://relay.example'] },
  lightning: { backend: 'simulated' },
  ...extra,
});
const quiet = { info() {}, warn() {}, error() {}, debug() {} };

describe('reputation settings', () => {
  it('trust list: npub or hex keys (as hex), unique names, a key in one entry only', () => {
    const k = issuerKey();
    const ok = parseSettings(
      base({ reputation_import: { enabled: true, issuers: [{ name: 'a', keys: [npubEncode(k.pubkey)] }] } }),
    );
    assert.ok(ok.ok);
    assert.deepEqual(ok.settings.reputation_import.issuers, [{ name: 'a', keys: [k.pubkey] }]);
    const twice = parseSettings(
      base({
        reputation_import: {
          issuers: [
            { name: 'a', keys: [k.pubkey] },
            { name: 'a', keys: [k.pubkey] },
          ],
        },
      }),
    );
    assert.ok(!twice.ok);
    assert.ok(twice.errors.some((e) => e.includes('names must be unique')));
    assert.ok(twice.errors.some((e) => e.includes('more than one issuer entry')));
    const bad = parseSettings(base({ reputation_import: { issuers: [{ name: ' a', keys: ['nope'] }] } }));
    assert.ok(!bad.ok);
    const life = parseSettings(base({ reputation_export: { lifetime_seconds: 604_801 } }));
    assert.ok(!life.ok);
  });

  it('the issuer key: hex or nsec from the named variable; export stays off without it', () => {
    assert.equal(readIssuerKey(undefined), null);
    assert.equal(readIssuerKey('zz'), null);
    assert.equal(readIssuerKey('0'.repeat(64)), null, 'not a valid secret key');
    const h = new Harness({ settings: { reputation_export: { enabled: true, issuer_key_env: 'MY_ISSUER' } } });
    try {
      const hex = 'b'.repeat(64);
      const key = setupReputation(h.settings, h.db, { MY_ISSUER: hex }, quiet);
      assert.equal(key?.pubkey, readIssuerKey(hex)?.pubkey);
      assert.equal(setupReputation(h.settings, h.db, {}, quiet), null);
    } finally {
      h.close();
    }
  });

  it('info tags: reputation_import_issuers when import is on (maybe empty), reputation_issuer with export and key', () => {
    const k = issuerKey();
    assert.deepEqual(reputationInfo(testSettings(), k), {});
    const on = testSettings({
      reputation_import: { enabled: true, issuers: [{ name: 'x', keys: [k.pubkey] }] },
      reputation_export: { enabled: true },
    });
    assert.deepEqual(reputationInfo(on, k), { reputation_import_issuers: [k.pubkey], reputation_issuer: k.pubkey });
    assert.deepEqual(reputationInfo(on, null), { reputation_import_issuers: [k.pubkey] });
    assert.deepEqual(reputationInfo(testSettings({ reputation_import: { enabled: true } }), null), {
      reputation_import_issuers: [],
    });
  });

  it('refuses to start when a trusted key was recorded under another issuer name', () => {
    const k = issuerKey();
    const h = new Harness({
      settings: { reputation_import: { enabled: true, issuers: [{ name: 'new', keys: [k.pubkey] }] } },
    });
    try {
      assert.equal(setupReputation(h.settings, h.db, {}, quiet), null);
      rememberIssuerKey(h.db, k.pubkey, 'old', 1);
      assert.throws(() => setupReputation(h.settings, h.db, {}, quiet), /recorded under "old", now "new"/);
    } finally {
      h.close();
    }
  });
});
