// The node's settings: one zod schema, section by section, in the spirit of the reference's
// settings.toml. Keys keep the TOML spelling (snake_case) so that an error, an environment variable
// and the config file all name a setting the same way. Defaults are the reference's defaults; the
// embedded (no-real-money) values are written explicitly by `mostrod init`.
import { isIP } from 'node:net';
import { PEGGED_CODES, TRANSPORTS } from '@mostro/protocol';
import { decode as nip19decode } from 'nostr-tools/nip19';
import { z } from 'zod';

const HEX64 = /^[0-9a-f]{64}$/i;

/** An integer in [min, max] whose error message states the allowed range. */
const int = (min: number, max = Number.MAX_SAFE_INTEGER) => {
  const error =
    max === Number.MAX_SAFE_INTEGER ? `expected an integer >= ${min}` : `expected an integer between ${min} and ${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};
/** A number in [min, max] whose error message states the allowed range. */
const num = (min: number, max: number) =>
  z
    .number({ error: `expected a number between ${min} and ${max}` })
    .min(min, { error: `expected a number between ${min} and ${max}` })
    .max(max, { error: `expected a number between ${min} and ${max}` });
const bool = () => z.boolean({ error: 'expected true or false' });
const str = () => z.string({ error: 'expected a string' });
const url = (schemes: string[]) =>
  str().refine(
    (s) => {
      try {
        return schemes.includes(new URL(s).protocol);
      } catch {
        return false;
      }
    },
    { error: `expected a ${schemes.map((s) => `${s}//`).join(' or ')} URL` },
  );
const section = <T extends z.ZodRawShape>(
  shape: T, // An absent section is an empty one: its defaults apply and its required keys are reported.
) => z.strictObject(shape).prefault({} as never);

/** The node key, as 64 hex characters or NIP-19 `nsec1…`; normalized to lowercase hex. */
const secretKey = z
  .string({
    error: (iss) => (iss.input === undefined ? 'required: the node key (hex or nsec1…)' : 'expected a string'),
  })
  .transform((s, ctx) => {
    const v = s.trim();
    if (HEX64.test(v)) return v.toLowerCase();
    if (v.startsWith('nsec1')) {
      try {
        const d = nip19decode(v);
        if (d.type === 'nsec') return Buffer.from(d.data).toString('hex');
      } catch {
        // fall through to the error below
      }
    }
    ctx.addIssue({ code: 'custom', message: 'expected 64 hex characters or a valid nsec1… key' });
    return z.NEVER;
  });

/** A public key as 64 hex characters or NIP-19 `npub1…`; normalized to lowercase hex. */
const publicKey = z.string({ error: 'expected a key (hex or npub1…)' }).transform((s, ctx) => {
  const v = s.trim();
  if (HEX64.test(v)) return v.toLowerCase();
  if (v.startsWith('npub1')) {
    try {
      const d = nip19decode(v);
      if (d.type === 'npub') return d.data;
    } catch {
      // fall through to the error below
    }
  }
  ctx.addIssue({ code: 'custom', message: 'expected 64 hex characters or a valid npub1… key' });
  return z.NEVER;
});

const fiatCode = str()
  .regex(/^[A-Za-z]{3,5}$/, { error: 'expected a currency code such as USD' })
  .transform((s) => s.toUpperCase());

export const priceSourceSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('yadio'),
      /** Base URL of a Yadio-compatible API; the source calls `{url}/exrates/BTC`. */
      url: url(['http:', 'https:']).default('https://api.yadio.io'),
    }),
    z.strictObject({
      kind: z.literal('fixed'),
      /** Fiat per 1 BTC, by currency code. Simulated prices — not a market. */
      prices: z.record(fiatCode, z.number({ error: 'expected a positive number' }).positive()),
    }),
  ],
  { error: 'expected kind = "yadio" or "fixed"' },
);
export type PriceSourceConfig = z.output<typeof priceSourceSchema>;

/** The sections and keys, before the cross-setting rules below. */
export const settingsObject = z.strictObject({
  nostr: z
    .strictObject({
      nsec_privkey: secretKey,
      /** Relays to use. Empty with `relay.embedded = true` = only the embedded relay. */
      relays: z.array(url(['ws:', 'wss:']), { error: 'expected a list of relay URLs' }).default([]),
      /**
       * After a restart or reconnect, requests up to this old (seconds) that a relay stored while the
       * node was away are still processed; the node asks each relay from its last processed event on.
       * At most 7 days: processed ids are kept this long + 60 s + a day (node/jobs.ts,
       * processedRetentionSeconds), so a caught-up event is never accepted twice.
       */
      catch_up_seconds: int(0, 7 * 86_400).default(600),
    })
    .prefault({} as never),
  mostro: section({
    name: str().optional(),
    about: str().optional(),
    picture: url(['http:', 'https:']).optional(),
    website: url(['http:', 'https:']).optional(),
    fee: num(0, 1).default(0),
    max_routing_fee: num(0, 1).default(0.002),
    max_order_amount: int(1).default(1_000_000),
    min_payment_amount: int(1).default(100),
    expiration_hours: int(1).default(24),
    max_expiration_days: int(1).default(15),
    expiration_seconds: int(1).default(900),
    user_rates_sent_interval_seconds: int(1).default(3600),
    publish_relays_interval: int(1).default(60),
    publish_mostro_info_interval: int(1).default(300),
    pow: int(0, 256).default(0),
    /** Defaults to `pow`. */
    pow_first_contact: int(0, 256).optional(),
    transport: z.enum(TRANSPORTS, { error: 'expected "nip44" or "gift-wrap"' }).default('nip44'),
    /** Empty = every currency. */
    fiat_currencies_accepted: z
      .array(fiatCode, { error: 'expected a list of currency codes' })
      .default(['USD', 'EUR', 'ARS', 'CUP']),
    max_orders_per_response: int(1, 1000).default(10),
    dev_fee_percentage: num(0, 1).default(0.3),
    /**
     * Lightning address or LNURL the dev fee is paid to. Unset = the reference's address when LND is
     * on mainnet, otherwise not paid; "" = never paid.
     */
    dev_fee_destination: str().optional(),
    active_pubkeys_refresh_interval: int(1).default(60),
    /** Messages one trade key may send per minute before the intake drops the rest (flood guard). */
    max_messages_per_minute: int(1).default(120),
  }),
  lightning: section({
    backend: z.enum(['simulated', 'lnd'], { error: 'expected "simulated" or "lnd"' }).default('lnd'),
    lnd_cert_file: str().optional(),
    lnd_macaroon_file: str().optional(),
    lnd_grpc_host: str().optional(),
    invoice_expiration_window: int(1).default(3600),
    hold_invoice_cltv_delta: int(1).default(144),
    hold_invoice_expiration_window: int(1).default(300),
    payment_attempts: int(1).default(3),
    payment_retries_interval: int(1).default(60),
    max_final_cltv_expiry_delta: int(1).default(144),
    escrow_deadline_margin_blocks: int(13).default(24),
    /** Start even though LND is another node than the one holding open escrows (reference-0.20.md §4.1). */
    allow_node_change: bool().default(false),
  }),
  database: section({
    /** SQLite file; a relative path is relative to the config file's directory. */
    path: str().min(1, { error: 'expected a file path' }).default('mostro.db'),
  }),
  relay: section({
    /** Run the embedded Nostr relay (the no-setup default of `mostrod init`). */
    embedded: bool().default(false),
    host: str().min(1).default('127.0.0.1'),
    port: int(1, 65535).default(7000),
    /** Largest DM (kind 14 / 1059) a connection may publish, in bytes of its JSON. */
    dm_max_bytes: int(256).default(65_536),
    /** DMs one connection may publish per minute (bursts up to that many). */
    dm_per_minute: int(1).default(600),
  }),
  orders: section({
    /** Largest |premium| (percent) of a new order. */
    max_premium: int(0, 1_000_000).default(100),
    /** Longest payment-method string (characters) and most comma-separated methods. */
    max_payment_method_length: int(1).default(256),
    max_payment_methods: int(1).default(10),
    /** Pending orders one identity (or full-private trade key) may have at once. */
    max_pending_per_identity: int(1).default(10),
    /** Pending orders the whole node accepts at once. */
    max_pending_total: int(1).default(1000),
  }),
  intake: section({
    /** Events from first-contact keys waiting to be handled; beyond it the oldest are shed. */
    queue_size: int(1).default(1000),
    /** Events from known keys (open trades, solvers, admin) waiting; they are never shed before junk. */
    known_queue_size: int(1).default(10_000),
    /** First-contact PoW rises from `mostro.pow_first_contact` up to this under load (0 = never rises). */
    pow_first_contact_max: int(0, 256).default(0),
    /**
     * Worker threads that verify and unwrap inbound events (intake/crypto-pool.ts); absent = one per
     * core beyond the first, at least one; 0 = on the node's own thread.
     */
    crypto_workers: int(0, 64).optional(),
  }),
  metrics: section({
    /** Prometheus `/metrics` and `/healthz` over HTTP. */
    enabled: bool().default(false),
    host: str().min(1).default('127.0.0.1'),
    port: int(0, 65535).default(9464),
  }),
  price: section({
    sources: z
      .array(priceSourceSchema, { error: 'expected a list of price sources' })
      .min(1, { error: 'expected at least one price source' })
      .default([{ kind: 'yadio', url: 'https://api.yadio.io' }]),
    update_interval_seconds: int(1).default(300),
    max_price_staleness_seconds: int(1).default(1800),
    provider_timeout_seconds: int(1, 600).default(10),
    /** Consecutive failures after which a source is skipped for a while (circuit breaker). */
    provider_failure_threshold: int(1).default(3),
    /** With three or more quotes, drop those this many percent away from the median. */
    outlier_threshold_pct: num(0, 100).default(5),
    /** Pegged codes priced by rule (BTC/LBTC/RBTC = sats 1:1, USDT/USDC/DOC = USD); [] = off. */
    pegged: z.array(z.enum(PEGGED_CODES, { error: `expected codes among ${PEGGED_CODES.join(', ')}` })).default([]),
  }),
  expiration: section({
    order_days: int(1).default(30),
    rating_days: int(1).default(90),
    dispute_days: int(1).default(90),
    fee_audit_days: int(1).default(365),
    dm_days: int(1).default(30),
  }),
  /** LND sync monitor, automatic maintenance and the kind-38389 health event (reference-0.20.md §3.5, §4.2). */
  health: section({
    enabled: bool().default(true),
    /** Seconds between health events (clamped to 30..3600). */
    interval: int(1).default(60),
    /** Hex key of a watchdog that gets the encrypted details and a `p` tag. */
    watchdog_pubkey: z
      .union([z.literal(''), z.string().regex(/^[0-9a-f]{64}$/, { error: 'expected 64 lowercase hex' })])
      .default(''),
    lnd_unsynced_fail_after: int(61).default(600),
    auto_maintenance_on_lnd_unsynced: bool().default(true),
    lnd_resynced_clear_after: int(1).default(300),
  }),
  /** Payer declarations and the payment history shown to sellers (reference-0.20.md §4.5). */
  payer_history: section({
    enabled: bool().default(false),
    /** The buyer must declare who pays before fiat-sent (`payer_not_declared`). */
    require_declaration: bool().default(false),
    /** A counterparty counts as experienced with this many successful trades… */
    experienced_min_trades: int(1).default(5),
    /** …on an account at least this many days old. */
    experienced_min_days: int(0).default(30),
  }),
  /** Reputation portability, importer side (reference-0.20.md §4.4, §5). */
  reputation_import: section({
    enabled: bool().default(false),
    /** Longest lifetime (expiration − created_at) of an attestation this node accepts. */
    max_lifetime_seconds: int(1, 2_592_000).default(604_800),
    /** Trusted issuers: a name (never renamed: imports are recorded under it) and its keys. */
    issuers: z
      .array(
        z.strictObject({
          name: str()
            .min(1, { error: 'expected a name' })
            .refine((n) => n.trim() === n, { error: 'no surrounding spaces' }),
          keys: z.array(publicKey).min(1, { error: 'expected at least one key' }),
        }),
        { error: 'expected a list of { name, keys } tables' },
      )
      .default([]),
  }),
  /** Reputation portability, issuer side: the attestation key is read from the environment. */
  reputation_export: section({
    enabled: bool().default(false),
    /** Environment variable holding the issuer's secret key (hex or nsec1…), never the node key. */
    issuer_key_env: str().min(1).default('MOSTRO_REPUTATION_ISSUER_SK'),
    lifetime_seconds: int(1, 604_800).default(604_800),
  }),
  wallet: section({
    /** HTTP port of the simulated-Lightning wallet service (embedded mode only). */
    host: str().min(1).default('127.0.0.1'),
    port: int(1, 65535).default(7001),
  }),
  /** The admin gRPC (reference-0.20.md §6) and, with a token, the console's HTTP admin API. */
  rpc: section({
    enabled: bool().default(false),
    /** An IP literal (IPv4 or IPv6), never a host name: what is reachable must be explicit. */
    listen_address: str()
      .refine((s) => isIP(s) !== 0, { error: 'expected an IP address such as 127.0.0.1 or ::1' })
      .default('127.0.0.1'),
    port: int(0, 65535).default(50051),
    /** Bearer token of the mutating RPCs and of the console's /admin-api (unset: no console API). */
    auth_token: str().min(16, { error: 'expected at least 16 characters' }).optional(),
    /** Seconds after which a quiet client's ValidateDbPassword failures are forgotten. */
    rate_limiter_stale_duration: int(1).default(3600),
  }),
  web: section({
    /** Serve the built browser client (packages/web/dist), pre-configured for this node. */
    enabled: bool().default(true),
    host: str().min(1).default('127.0.0.1'),
    port: int(1, 65535).default(7002),
  }),
});

export const settingsSchema = settingsObject
  .superRefine((s, ctx) => {
    if (!s.relay.embedded && s.nostr.relays.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['nostr', 'relays'],
        message: 'required: at least one relay URL (or set relay.embedded = true)',
      });
    }
    const names = new Set<string>();
    const keys = new Set<string>();
    s.reputation_import.issuers.forEach((issuer, i) => {
      if (names.has(issuer.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['reputation_import', 'issuers', i, 'name'],
          message: 'names must be unique',
        });
      }
      names.add(issuer.name);
      for (const key of issuer.keys) {
        if (keys.has(key)) {
          ctx.addIssue({
            code: 'custom',
            path: ['reputation_import', 'issuers', i, 'keys'],
            message: `key ${key} is listed in more than one issuer entry`,
          });
        }
        keys.add(key);
      }
    });
    if (s.lightning.backend === 'lnd') {
      for (const key of ['lnd_cert_file', 'lnd_macaroon_file', 'lnd_grpc_host'] as const) {
        if (!s.lightning[key]) {
          ctx.addIssue({
            code: 'custom',
            path: ['lightning', key],
            message: 'required when lightning.backend = "lnd"',
          });
        }
      }
    }
  })
  .transform((s) => ({
    ...s,
    mostro: { ...s.mostro, pow_first_contact: s.mostro.pow_first_contact ?? s.mostro.pow },
  }));

/** Validated settings, every default applied. */
export type Settings = z.output<typeof settingsSchema>;
/** The shape accepted before validation (a parsed TOML document). */
export type SettingsInput = z.input<typeof settingsSchema>;

export const SECTIONS = [
  'nostr',
  'mostro',
  'lightning',
  'database',
  'relay',
  'orders',
  'intake',
  'metrics',
  'price',
  'expiration',
  'health',
  'payer_history',
  'reputation_import',
  'reputation_export',
  'wallet',
  'rpc',
  'web',
] as const;
export type SectionName = (typeof SECTIONS)[number];
