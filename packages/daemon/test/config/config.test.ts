import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { nsecEncode } from 'nostr-tools/nip19';
import { getPublicKey } from 'nostr-tools/pure';
import {
  envName,
  initConfig,
  loadConfig,
  nodeSecretKey,
  parseSettings,
  SETTING_KINDS,
  type Settings,
  SIMULATED_PRICES,
} from '../../src/config/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'mostro-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const KEY = '1'.repeat(64);
/** The smallest valid document: a key, the embedded relay and simulated Lightning. */
const minimal = () => ({
  nostr: { nsec_privkey: KEY },
  relay: { embedded: true },
  lightning: { backend: 'simulated' },
});

const settingsOf = (doc: Record<string, unknown>, env: Record<string, string> = {}): Settings => {
  const r = parseSettings(doc, env);
  assert.ok(r.ok, `expected valid settings, got ${JSON.stringify(r)}`);
  return r.settings;
};
const errorsOf = (doc: Record<string, unknown>, env: Record<string, string> = {}): string[] => {
  const r = parseSettings(doc, env);
  assert.equal(r.ok, false, 'expected invalid settings');
  return r.ok ? [] : r.errors;
};

describe('defaults', () => {
  test('reference defaults apply to every absent setting', () => {
    const s = settingsOf(minimal());
    assert.deepEqual(s.nostr.relays, []);
    assert.equal(s.mostro.fee, 0);
    assert.equal(s.mostro.max_routing_fee, 0.002);
    assert.equal(s.mostro.max_order_amount, 1_000_000);
    assert.equal(s.mostro.min_payment_amount, 100);
    assert.equal(s.mostro.expiration_hours, 24);
    assert.equal(s.mostro.max_expiration_days, 15);
    assert.equal(s.mostro.expiration_seconds, 900);
    assert.equal(s.mostro.user_rates_sent_interval_seconds, 3600);
    assert.equal(s.mostro.publish_relays_interval, 60);
    assert.equal(s.mostro.publish_mostro_info_interval, 300);
    assert.equal(s.mostro.pow, 0);
    assert.equal(s.mostro.transport, 'nip44');
    assert.deepEqual(s.mostro.fiat_currencies_accepted, ['USD', 'EUR', 'ARS', 'CUP']);
    assert.equal(s.mostro.max_orders_per_response, 10);
    assert.equal(s.mostro.dev_fee_percentage, 0.3);
    assert.equal(s.lightning.invoice_expiration_window, 3600);
    assert.equal(s.lightning.hold_invoice_cltv_delta, 144);
    assert.equal(s.lightning.hold_invoice_expiration_window, 300);
    assert.equal(s.lightning.payment_attempts, 3);
    assert.equal(s.lightning.payment_retries_interval, 60);
    assert.equal(s.lightning.max_final_cltv_expiry_delta, 144);
    assert.equal(s.lightning.escrow_deadline_margin_blocks, 24);
    assert.equal(s.database.path, 'mostro.db');
    assert.deepEqual(s.relay, {
      embedded: true,
      host: '127.0.0.1',
      port: 7000,
      dm_max_bytes: 65_536,
      dm_per_minute: 600,
    });
    assert.deepEqual(s.orders, {
      max_premium: 100,
      max_payment_method_length: 256,
      max_payment_methods: 10,
      max_pending_per_identity: 10,
      max_pending_total: 1000,
    });
    assert.deepEqual(s.intake, { queue_size: 1000, known_queue_size: 10_000, pow_first_contact_max: 0 });
    assert.deepEqual(s.metrics, { enabled: false, host: '127.0.0.1', port: 9464 });
    assert.deepEqual(s.price.sources, [{ kind: 'yadio', url: 'https://api.yadio.io' }]);
    assert.equal(s.price.update_interval_seconds, 300);
    assert.equal(s.price.max_price_staleness_seconds, 1800);
    assert.equal(s.price.provider_timeout_seconds, 10);
    assert.deepEqual(s.expiration, {
      order_days: 30,
      rating_days: 90,
      dispute_days: 90,
      fee_audit_days: 365,
      dm_days: 30,
    });
  });

  test('pow_first_contact defaults to pow, and can differ from it', () => {
    assert.equal(settingsOf({ ...minimal(), mostro: { pow: 8 } }).mostro.pow_first_contact, 8);
    assert.equal(settingsOf({ ...minimal(), mostro: { pow: 8, pow_first_contact: 12 } }).mostro.pow_first_contact, 12);
  });

  test('the node key is accepted as hex or nsec and normalized to lowercase hex', () => {
    const sk = new Uint8Array(32).fill(7);
    const hex = Buffer.from(sk).toString('hex');
    assert.equal(settingsOf({ ...minimal(), nostr: { nsec_privkey: nsecEncode(sk) } }).nostr.nsec_privkey, hex);
    const upper = settingsOf({ ...minimal(), nostr: { nsec_privkey: hex.toUpperCase() } });
    assert.equal(upper.nostr.nsec_privkey, hex);
    assert.deepEqual(nodeSecretKey(upper), sk);
  });

  test('currency codes are uppercased', () => {
    assert.deepEqual(
      settingsOf({ ...minimal(), mostro: { fiat_currencies_accepted: ['usd', 'Ves'] } }).mostro
        .fiat_currencies_accepted,
      ['USD', 'VES'],
    );
  });
});

describe('environment overrides', () => {
  test('numbers, lists, booleans, strings and JSON lists of tables', () => {
    const s = settingsOf(minimal(), {
      MOSTRO_MOSTRO_FEE: '0.006',
      MOSTRO_NOSTR_RELAYS: 'wss://a.example, wss://b.example',
      MOSTRO_RELAY_EMBEDDED: 'false',
      MOSTRO_RELAY_PORT: '7777',
      MOSTRO_MOSTRO_NAME: 'My node',
      MOSTRO_MOSTRO_TRANSPORT: 'gift-wrap',
      MOSTRO_MOSTRO_FIAT_CURRENCIES_ACCEPTED: '',
      MOSTRO_PRICE_SOURCES: '[{"kind":"fixed","prices":{"USD":50000}}]',
      MOSTRO_DATA_DIR: '/not/a/setting',
      HOME: '/root',
    });
    assert.equal(s.mostro.fee, 0.006);
    assert.deepEqual(s.nostr.relays, ['wss://a.example', 'wss://b.example']);
    assert.equal(s.relay.embedded, false);
    assert.equal(s.relay.port, 7777);
    assert.equal(s.mostro.name, 'My node');
    assert.equal(s.mostro.transport, 'gift-wrap');
    assert.deepEqual(s.mostro.fiat_currencies_accepted, []);
    assert.deepEqual(s.price.sources, [{ kind: 'fixed', prices: { USD: 50000 } }]);
  });

  test('an empty string variable unsets the setting', () => {
    const s = settingsOf(
      { ...minimal(), mostro: { name: 'file name', website: 'https://x.example' } },
      {
        MOSTRO_MOSTRO_WEBSITE: '',
      },
    );
    assert.equal(s.mostro.website, undefined);
    assert.equal(s.mostro.name, 'file name');
    assert.deepEqual(errorsOf(minimal(), { MOSTRO_NOSTR_NSEC_PRIVKEY: '' }), [
      'nostr.nsec_privkey (from MOSTRO_NOSTR_NSEC_PRIVKEY): required: the node key (hex or nsec1…)',
    ]);
  });

  test('the environment wins over the file', () => {
    const s = settingsOf({ ...minimal(), mostro: { fee: 0.01 } }, { MOSTRO_MOSTRO_FEE: '0.002' });
    assert.equal(s.mostro.fee, 0.002);
  });

  test('a bad value names the setting and its variable', () => {
    assert.deepEqual(errorsOf(minimal(), { MOSTRO_MOSTRO_FEE: 'lots' }), [
      'mostro.fee (from MOSTRO_MOSTRO_FEE): expected a number between 0 and 1',
    ]);
    assert.deepEqual(errorsOf(minimal(), { MOSTRO_RELAY_EMBEDDED: 'maybe' }), [
      'relay.embedded (from MOSTRO_RELAY_EMBEDDED): expected true or false',
    ]);
    assert.deepEqual(errorsOf(minimal(), { MOSTRO_PRICE_SOURCES: 'yadio' }), [
      'price.sources (from MOSTRO_PRICE_SOURCES): expected JSON',
    ]);
  });

  test('an unknown key in a known section is an error', () => {
    assert.deepEqual(errorsOf(minimal(), { MOSTRO_MOSTRO_FEES: '0.1' }), [
      'MOSTRO_MOSTRO_FEES: unknown setting mostro.fees',
    ]);
  });

  test('every environment variable is documented in the config README', () => {
    const readme = readFileSync(new URL('../../src/config/README.md', import.meta.url), 'utf8');
    for (const [section, keys] of Object.entries(SETTING_KINDS)) {
      for (const key of Object.keys(keys))
        assert.ok(readme.includes(`\`${envName(section, key)}\``), envName(section, key));
    }
  });

  test('every setting has an environment variable', () => {
    const full = settingsOf({
      ...minimal(),
      mostro: {
        name: 'n',
        about: 'a',
        picture: 'https://x.example/p.png',
        website: 'https://x.example',
        dev_fee_destination: 'dev@x.example',
      },
      lightning: {
        backend: 'lnd',
        lnd_cert_file: 'c',
        lnd_macaroon_file: 'm',
        lnd_grpc_host: 'https://127.0.0.1:10009',
      },
      intake: { crypto_workers: 1 },
      rpc: { auth_token: 'a-token-of-16-chars' },
    });
    for (const [section, table] of Object.entries(full)) {
      const kinds = SETTING_KINDS[section as keyof typeof SETTING_KINDS];
      assert.ok(kinds, `section ${section} has no environment kinds`);
      assert.deepEqual(Object.keys(table).sort(), Object.keys(kinds).sort(), `keys of section ${section}`);
    }
  });
});

describe('bad or missing settings', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['missing key', { relay: { embedded: true }, lightning: { backend: 'simulated' } }, 'nostr.nsec_privkey: required'],
    ['short key', { ...minimal(), nostr: { nsec_privkey: 'abcd' } }, 'nostr.nsec_privkey: expected 64 hex characters'],
    [
      'bad nsec',
      { ...minimal(), nostr: { nsec_privkey: 'nsec1qqqq' } },
      'nostr.nsec_privkey: expected 64 hex characters',
    ],
    [
      'relay not ws',
      { ...minimal(), nostr: { nsec_privkey: KEY, relays: ['https://x'] } },
      'nostr.relays.0: expected a ws:// or wss:// URL',
    ],
    [
      'relays not a list',
      { ...minimal(), nostr: { nsec_privkey: KEY, relays: 'wss://x' } },
      'nostr.relays: expected a list',
    ],
    ['no relay at all', { ...minimal(), relay: { embedded: false } }, 'nostr.relays: required'],
    ['fee above 1', { ...minimal(), mostro: { fee: 2 } }, 'mostro.fee: expected a number between 0 and 1'],
    ['fee negative', { ...minimal(), mostro: { fee: -0.1 } }, 'mostro.fee: expected a number between 0 and 1'],
    ['fee as string', { ...minimal(), mostro: { fee: '0.1' } }, 'mostro.fee: expected a number between 0 and 1'],
    [
      'fractional amount',
      { ...minimal(), mostro: { max_order_amount: 1.5 } },
      'mostro.max_order_amount: expected an integer >= 1',
    ],
    [
      'zero interval',
      { ...minimal(), mostro: { expiration_seconds: 0 } },
      'mostro.expiration_seconds: expected an integer >= 1',
    ],
    ['pow too high', { ...minimal(), mostro: { pow: 300 } }, 'mostro.pow: expected an integer between 0 and 256'],
    [
      'bad transport',
      { ...minimal(), mostro: { transport: 'nip04' } },
      'mostro.transport: expected "nip44" or "gift-wrap"',
    ],
    [
      'bad currency',
      { ...minimal(), mostro: { fiat_currencies_accepted: ['US$'] } },
      'mostro.fiat_currencies_accepted.0: expected a currency code',
    ],
    [
      'bad website',
      { ...minimal(), mostro: { website: 'not a url' } },
      'mostro.website: expected a http:// or https:// URL',
    ],
    ['unknown key', { ...minimal(), mostro: { feee: 1 } }, 'mostro.feee: unknown setting'],
    ['unknown section', { ...minimal(), grpc: { enabled: true } }, 'grpc: unknown setting'],
    [
      'rpc host name',
      { ...minimal(), rpc: { listen_address: 'localhost' } },
      'rpc.listen_address: expected an IP address',
    ],
    [
      'short rpc token',
      { ...minimal(), rpc: { auth_token: 'short' } },
      'rpc.auth_token: expected at least 16 characters',
    ],
    [
      'bad backend',
      { ...minimal(), lightning: { backend: 'cln' } },
      'lightning.backend: expected "simulated" or "lnd"',
    ],
    [
      'lnd without files',
      { ...minimal(), lightning: { backend: 'lnd' } },
      'lightning.lnd_cert_file: required when lightning.backend = "lnd"',
    ],
    [
      'small margin',
      { ...minimal(), lightning: { backend: 'simulated', escrow_deadline_margin_blocks: 12 } },
      'lightning.escrow_deadline_margin_blocks: expected an integer >= 13',
    ],
    [
      'bad port',
      { ...minimal(), relay: { embedded: true, port: 70000 } },
      'relay.port: expected an integer between 1 and 65535',
    ],
    ['embedded not bool', { ...minimal(), relay: { embedded: 'yes' } }, 'relay.embedded: expected true or false'],
    ['no price source', { ...minimal(), price: { sources: [] } }, 'price.sources: expected at least one price source'],
    [
      'bad source kind',
      { ...minimal(), price: { sources: [{ kind: 'coingecko' }] } },
      'price.sources.0.kind: expected kind = "yadio" or "fixed"',
    ],
    [
      'bad fixed price',
      { ...minimal(), price: { sources: [{ kind: 'fixed', prices: { USD: 0 } }] } },
      'price.sources.0.prices.USD: expected a positive number',
    ],
    [
      'bad yadio url',
      { ...minimal(), price: { sources: [{ kind: 'yadio', url: 'ftp://x' }] } },
      'price.sources.0.url: expected a http:// or https:// URL',
    ],
    ['section not a table', { ...minimal(), expiration: 5 }, 'expiration: '],
    ['bad database path', { ...minimal(), database: { path: '' } }, 'database.path: expected a file path'],
  ];
  for (const [name, doc, expected] of cases) {
    test(name, () => {
      const errors = errorsOf(doc);
      assert.ok(
        errors.some((e) => e.startsWith(expected)),
        `expected an error starting with ${JSON.stringify(expected)}, got ${JSON.stringify(errors)}`,
      );
    });
  }

  test('several errors are all reported', () => {
    const errors = errorsOf({ ...minimal(), mostro: { fee: 5, pow: -1 } });
    assert.equal(errors.length, 2);
  });
});

describe('files', () => {
  test('init writes a private config with a fresh key that loads as the embedded defaults', () => {
    const dataDir = join(dir, 'node');
    const r = initConfig(dataDir);
    assert.ok(r.ok);
    assert.equal(statSync(r.path).mode & 0o777, 0o600);
    const loaded = loadConfig(r.path, {});
    assert.ok(loaded.ok, JSON.stringify(loaded));
    const s = loaded.settings;
    assert.equal(getPublicKey(nodeSecretKey(s)), r.pubkey);
    assert.ok(r.npub.startsWith('npub1'));
    assert.equal(s.relay.embedded, true);
    assert.equal(s.relay.host, '127.0.0.1');
    assert.equal(s.relay.port, 7000);
    assert.deepEqual(s.nostr.relays, []);
    assert.equal(s.lightning.backend, 'simulated');
    assert.deepEqual(s.price.sources, [{ kind: 'fixed', prices: SIMULATED_PRICES }]);
    assert.equal(s.database.path, join(dataDir, 'mostro.db'));
    assert.match(readFileSync(r.path, 'utf8'), /Simulated prices — not a market/);
    // The console's admin token: random per node, off the gRPC until rpc.enabled.
    assert.match(s.rpc.auth_token ?? '', /^[0-9a-f]{64}$/);
    assert.equal(s.rpc.enabled, false);
    const otherInit = initConfig(join(dir, 'other'));
    assert.ok(otherInit.ok);
    const other = loadConfig(otherInit.path, {});
    assert.ok(other.ok);
    assert.notEqual(other.settings.rpc.auth_token, s.rpc.auth_token);
  });

  test('two inits make two different keys, and init never overwrites without force', () => {
    const a = initConfig(join(dir, 'a'));
    const b = initConfig(join(dir, 'b'));
    assert.ok(a.ok && b.ok);
    assert.notEqual(a.pubkey, b.pubkey);
    const again = initConfig(join(dir, 'a'));
    assert.equal(again.ok, false);
    const loaded = loadConfig(a.path, {});
    assert.ok(loaded.ok);
    assert.equal(getPublicKey(nodeSecretKey(loaded.settings)), a.pubkey);
    const forced = initConfig(join(dir, 'a'), { force: true });
    assert.ok(forced.ok);
    assert.notEqual(forced.pubkey, a.pubkey);
  });

  test('a missing file is reported with how to make one', () => {
    const r = loadConfig(join(dir, 'nope.toml'), {});
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.errors[0]!, /config file not found: .*mostrod init/);
  });

  test('invalid TOML is reported with the file name', () => {
    const path = join(dir, 'broken.toml');
    writeFileSync(path, '[mostro\nfee = ');
    const r = loadConfig(path, {});
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.errors[0]!, /broken\.toml: invalid TOML/);
  });

  test('an absolute database path is kept; env overrides apply to files', () => {
    const path = join(dir, 'abs.toml');
    writeFileSync(
      path,
      `[nostr]\nnsec_privkey = "${KEY}"\nrelays = ["wss://relay.example"]\n[lightning]\nbackend = "simulated"\n[database]\npath = "/var/lib/mostro/x.db"\n`,
    );
    const r = loadConfig(path, { MOSTRO_MOSTRO_FEE: '0.01' });
    assert.ok(r.ok);
    assert.equal(r.settings.database.path, '/var/lib/mostro/x.db');
    assert.equal(r.settings.mostro.fee, 0.01);
    assert.deepEqual(r.settings.nostr.relays, ['wss://relay.example']);
  });
});
