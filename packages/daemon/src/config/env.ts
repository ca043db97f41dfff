// Environment overrides: every setting `section.key` can be set by `MOSTRO_<SECTION>_<KEY>`
// (uppercase), e.g. MOSTRO_MOSTRO_FEE=0.006, MOSTRO_NOSTR_RELAYS=wss://a,wss://b.
// Values are read by the setting's type: numbers and booleans (true/false/1/0/yes/no) are parsed,
// lists are comma-separated, lists of tables (price.sources) are JSON, and an empty string
// setting unsets it. A value that does not
// parse is passed on as a string so that validation names the setting and what it expected.
import { SECTIONS, type SectionName } from './schema.ts';

export type ValueKind = 'string' | 'number' | 'boolean' | 'list' | 'json';

/** The kind of every setting that is not a plain string. */
export const SETTING_KINDS: Record<SectionName, Record<string, ValueKind>> = {
  nostr: { nsec_privkey: 'string', relays: 'list', catch_up_seconds: 'number' },
  mostro: {
    name: 'string',
    about: 'string',
    picture: 'string',
    website: 'string',
    fee: 'number',
    max_routing_fee: 'number',
    max_order_amount: 'number',
    min_payment_amount: 'number',
    expiration_hours: 'number',
    max_expiration_days: 'number',
    expiration_seconds: 'number',
    user_rates_sent_interval_seconds: 'number',
    publish_relays_interval: 'number',
    publish_mostro_info_interval: 'number',
    pow: 'number',
    pow_first_contact: 'number',
    transport: 'string',
    fiat_currencies_accepted: 'list',
    max_orders_per_response: 'number',
    dev_fee_percentage: 'number',
    dev_fee_destination: 'string',
    active_pubkeys_refresh_interval: 'number',
    max_messages_per_minute: 'number',
  },
  lightning: {
    backend: 'string',
    lnd_cert_file: 'string',
    lnd_macaroon_file: 'string',
    lnd_grpc_host: 'string',
    invoice_expiration_window: 'number',
    hold_invoice_cltv_delta: 'number',
    hold_invoice_expiration_window: 'number',
    payment_attempts: 'number',
    payment_retries_interval: 'number',
    max_final_cltv_expiry_delta: 'number',
    escrow_deadline_margin_blocks: 'number',
    allow_node_change: 'boolean',
  },
  database: { path: 'string' },
  relay: { embedded: 'boolean', host: 'string', port: 'number', dm_max_bytes: 'number', dm_per_minute: 'number' },
  price: {
    sources: 'json',
    update_interval_seconds: 'number',
    max_price_staleness_seconds: 'number',
    provider_timeout_seconds: 'number',
    provider_failure_threshold: 'number',
    outlier_threshold_pct: 'number',
    pegged: 'list',
  },
  expiration: {
    order_days: 'number',
    rating_days: 'number',
    dispute_days: 'number',
    fee_audit_days: 'number',
    dm_days: 'number',
  },
  health: {
    enabled: 'boolean',
    interval: 'number',
    watchdog_pubkey: 'string',
    lnd_unsynced_fail_after: 'number',
    auto_maintenance_on_lnd_unsynced: 'boolean',
    lnd_resynced_clear_after: 'number',
  },
  payer_history: {
    enabled: 'boolean',
    require_declaration: 'boolean',
    experienced_min_trades: 'number',
    experienced_min_days: 'number',
  },
  reputation_import: { enabled: 'boolean', max_lifetime_seconds: 'number', issuers: 'json' },
  reputation_export: { enabled: 'boolean', issuer_key_env: 'string', lifetime_seconds: 'number' },
  wallet: { host: 'string', port: 'number' },
  orders: {
    max_premium: 'number',
    max_payment_method_length: 'number',
    max_payment_methods: 'number',
    max_pending_per_identity: 'number',
    max_pending_total: 'number',
  },
  intake: {
    queue_size: 'number',
    known_queue_size: 'number',
    pow_first_contact_max: 'number',
    crypto_workers: 'number',
  },
  metrics: { enabled: 'boolean', host: 'string', port: 'number' },
  rpc: {
    enabled: 'boolean',
    listen_address: 'string',
    port: 'number',
    auth_token: 'string',
    rate_limiter_stale_duration: 'number',
  },
  web: { enabled: 'boolean', host: 'string', port: 'number' },
};

const SECTIONS_LONGEST_FIRST = [...SECTIONS].sort((a, b) => b.length - a.length);

export const envName = (section: string, key: string): string => `MOSTRO_${section}_${key}`.toUpperCase();

function parseValue(kind: ValueKind, raw: string): { ok: true; value: unknown } | { ok: false; error: string } {
  const v = raw.trim();
  switch (kind) {
    case 'string':
      // An empty variable unsets the setting (its default applies), as for an absent key.
      return { ok: true, value: v === '' ? undefined : raw };
    case 'number':
      return { ok: true, value: v !== '' && Number.isFinite(Number(v)) ? Number(v) : raw };
    case 'boolean': {
      const l = v.toLowerCase();
      if (['true', '1', 'yes'].includes(l)) return { ok: true, value: true };
      if (['false', '0', 'no'].includes(l)) return { ok: true, value: false };
      return { ok: true, value: raw };
    }
    case 'list':
      return {
        ok: true,
        value: v
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== ''),
      };
    case 'json':
      try {
        return { ok: true, value: JSON.parse(v) };
      } catch {
        return { ok: false, error: 'expected JSON' };
      }
  }
}

export interface EnvOverrides {
  /** `section.key` names that were set from the environment, with their variable's name. */
  applied: Map<string, string>;
  errors: string[];
}

/**
 * Writes the `MOSTRO_<SECTION>_<KEY>` variables of `env` into `doc` (a parsed TOML document,
 * modified in place). Variables of an unknown section (e.g. MOSTRO_DATA_DIR) are not settings and
 * are ignored; an unknown key in a known section is an error, since it is almost surely a typo.
 */
export function applyEnvOverrides(doc: Record<string, unknown>, env: Record<string, string | undefined>): EnvOverrides {
  const applied = new Map<string, string>();
  const errors: string[] = [];
  for (const [name, raw] of Object.entries(env)) {
    if (raw === undefined || !name.startsWith('MOSTRO_')) continue;
    const rest = name.slice('MOSTRO_'.length).toLowerCase();
    // Section names may hold an underscore (payer_history): the longest known prefix wins.
    const section = SECTIONS_LONGEST_FIRST.find((s) => rest.startsWith(`${s}_`));
    if (section === undefined) continue;
    const key = rest.slice(section.length + 1);
    const kind = SETTING_KINDS[section as SectionName][key];
    if (!kind) {
      errors.push(`${name}: unknown setting ${section}.${key}`);
      continue;
    }
    const parsed = parseValue(kind, raw);
    if (!parsed.ok) {
      errors.push(`${section}.${key} (from ${name}): ${parsed.error}`);
      continue;
    }
    const current = doc[section];
    const table =
      current !== null && typeof current === 'object' && !Array.isArray(current)
        ? (current as Record<string, unknown>)
        : {};
    if (parsed.value === undefined) delete table[key];
    else table[key] = parsed.value;
    doc[section] = table;
    applied.set(`${section}.${key}`, name);
  }
  return { applied, errors };
}
