// The commented config that `mostrod init` writes: the embedded, no-real-money defaults (embedded
// relay, simulated Lightning, fixed simulated prices) and a fresh node key. Every key is listed with
// the reference default so an operator can see what there is to change.

/** Fiat per 1 BTC for the embedded default. Round numbers on purpose: these are not market prices. */
export const SIMULATED_PRICES: Readonly<Record<string, number>> = {
  USD: 100_000,
  EUR: 90_000,
  ARS: 120_000_000,
  CUP: 36_000_000,
};

export function defaultConfigToml(secretKeyHex: string, rpcToken?: string): string {
  const prices = Object.entries(SIMULATED_PRICES)
    .map(([code, price]) => `${code} = ${price}`)
    .join(', ');
  return `# mostrod configuration. Every setting can be overridden by an environment variable
# MOSTRO_<SECTION>_<KEY> (uppercase): e.g. MOSTRO_MOSTRO_FEE=0.006,
# MOSTRO_NOSTR_RELAYS=wss://relay.one,wss://relay.two (lists: comma-separated;
# MOSTRO_PRICE_SOURCES takes JSON). Relative paths are relative to this file.
#
# These are the EMBEDDED defaults: a local relay, a SIMULATED Lightning network and
# SIMULATED prices. No real money moves. For production set relay.embedded = false,
# nostr.relays, lightning.backend = "lnd" with its files, and a real price source.

[nostr]
# The node's private key (hex or nsec1…). Keep this file private (mode 0600).
nsec_privkey = "${secretKeyHex}"
# Relays (ws:// or wss://). Empty with relay.embedded = true: the embedded relay only.
relays = []
# Requests a relay stored while the node was down or disconnected are processed up to this old (s).
catch_up_seconds = 600

[mostro]
# Kind-0 profile (optional)
name = "Mostro (simulated)"
about = "A local Mostro node on a simulated Lightning network: no real money moves"
# picture = "https://example.com/avatar.png"
# website = "https://example.com"
# Node fee: total fraction of the amount, split between buyer and seller
fee = 0.006
# Max routing fee to pay when paying the buyer, 0.002 = 0.2 %
max_routing_fee = 0.002
# Max order amount (sats)
max_order_amount = 1000000
# Minimum payment (sats)
min_payment_amount = 100
# Lifetime of a pending order (hours)
expiration_hours = 24
# Max expiration a maker may request (days)
max_expiration_days = 15
# Time a party has in a waiting state (seconds)
expiration_seconds = 900
# Interval of the user-rates publication (seconds)
user_rates_sent_interval_seconds = 3600
# Interval of the relay-list (kind 10002) publication (seconds)
publish_relays_interval = 60
# Interval of the info event (kind 38385) publication (seconds)
publish_mostro_info_interval = 300
# Required proof of work (NIP-13 difficulty) of incoming events
pow = 0
# Proof of work required on a first contact (defaults to pow)
pow_first_contact = 0
# Advertised transport: "nip44" (kind 14, current) or "gift-wrap" (kind 1059, deprecated).
# The node listens on both and answers in the transport a request came in.
transport = "nip44"
# Fiat currencies accepted; [] = all
fiat_currencies_accepted = ["USD", "EUR", "ARS", "CUP"]
# Max orders in one answer to the orders action
max_orders_per_response = 10
# Share of the node's fee that goes to the development fund
dev_fee_percentage = 0.30
# Lightning address or LNURL the dev fee is paid to (a kind-8383 audit event follows each payment).
# Unset: the reference's dev@pay.mostro.foundation on mainnet, not paid elsewhere; "" = never.
# dev_fee_destination = "dev@pay.mostro.foundation"
# With the simulated backend a simulated wallet is a lightning address: "devfund@127.0.0.1:7001"
# Refresh interval of the active-pubkeys set (seconds)
active_pubkeys_refresh_interval = 60
# Messages one trade key may send per minute; the rest are dropped (flood guard)
max_messages_per_minute = 120

[lightning]
# "simulated" (embedded, no real money) or "lnd"
backend = "simulated"
# For backend = "lnd":
# lnd_cert_file = "/path/to/tls.cert"
# lnd_macaroon_file = "/path/to/admin.macaroon"
# lnd_grpc_host = "https://127.0.0.1:10009"
# Minimum remaining expiry of a buyer's invoice (seconds)
invoice_expiration_window = 3600
# Hold invoice CLTV delta (blocks)
hold_invoice_cltv_delta = 144
# Time the taker has to pay the hold invoice or add an invoice (seconds)
hold_invoice_expiration_window = 300
# Payout attempts and the interval between them (seconds)
payment_attempts = 3
payment_retries_interval = 60
# Max final CLTV expiry delta of a payout invoice (blocks)
max_final_cltv_expiry_delta = 144
# Safety margin before an accepted hold invoice's HTLC expires (blocks; must exceed LND's
# invoices.holdexpirydelta, default 12)
escrow_deadline_margin_blocks = 24
# Start even if LND is another node than the one that holds open escrows (after a migration)
allow_node_change = false

[database]
# SQLite file
path = "mostro.db"

[relay]
# Run the embedded Nostr relay
embedded = true
host = "127.0.0.1"
port = 7000
# Per-connection limits on DMs (kinds 14 and 1059): largest event (bytes) and events per minute
dm_max_bytes = 65536
dm_per_minute = 600

[orders]
# Bounds on what a new order may be; beyond them new-order is refused with a cant-do reason
max_premium = 100
max_payment_method_length = 256
max_payment_methods = 10
# Pending orders one identity (a full-private trade key counts as one) and the whole node may hold
max_pending_per_identity = 10
max_pending_total = 1000

[intake]
# Events waiting from first-contact keys; under load the oldest of them are shed first
queue_size = 1000
# Events waiting from known keys (open trades, solvers, the admin)
known_queue_size = 10000
# First-contact PoW rises under load from mostro.pow_first_contact up to this (advertised in the
# info event); 0 = it never rises
pow_first_contact_max = 16
# Worker threads that verify and unwrap inbound events; absent = one per core beyond the first (at
# least one), 0 = on the node's own thread
# crypto_workers = 1

[metrics]
# Prometheus /metrics and /healthz over HTTP (keep it on loopback)
enabled = true
host = "127.0.0.1"
port = 9464

[price]
# Simulated prices — not a market. For production use:
# [[price.sources]]
# kind = "yadio"
# url = "https://api.yadio.io"
sources = [{ kind = "fixed", prices = { ${prices} } }]
update_interval_seconds = 300
max_price_staleness_seconds = 1800
provider_timeout_seconds = 10
provider_failure_threshold = 3
outlier_threshold_pct = 5
# Pegged codes priced by rule: BTC/LBTC/RBTC in sats, USDT/USDC/DOC as USD ([] = none)
pegged = []

[expiration]
# NIP-40 lifetimes of published events (days)
order_days = 30
rating_days = 90
dispute_days = 90
fee_audit_days = 365
dm_days = 30

[health]
# LND sync monitor and the kind-38389 health event
enabled = true
# Seconds between health events (30..3600)
interval = 60
# Hex key of a watchdog that gets encrypted details ("" = none)
watchdog_pubkey = ""
# Seconds LND may be unsynced before the node enters maintenance itself (if allowed)
lnd_unsynced_fail_after = 600
auto_maintenance_on_lnd_unsynced = true
# Seconds LND must be synced again before that maintenance is lifted
lnd_resynced_clear_after = 300

[payer_history]
# Buyers may declare who pays the fiat (a hash of the payer's details); the seller then sees how
# that payer did in earlier trades on this node, at fiat-sent or on request.
enabled = false
# Refuse fiat-sent until the buyer declared the payer
require_declaration = false
# A seller counts as experienced with this many successful trades on an account this many days old
experienced_min_trades = 5
experienced_min_days = 30

[reputation_import]
# Accept reputation attestations (kind 38388) signed by the issuers listed below
enabled = false
# Longest attestation lifetime accepted (seconds)
max_lifetime_seconds = 604800
# One table per trusted issuer; the name is recorded with every import: never rename it.
# [[reputation_import.issuers]]
# name = "another-mostro"
# keys = ["npub1…"]

[reputation_export]
# Sign attestations of users' native reputation on request (export-reputation)
enabled = false
# Environment variable holding the issuer secret key (hex or nsec1…; never the node key)
issuer_key_env = "MOSTRO_REPUTATION_ISSUER_SK"
# Lifetime of an attestation (seconds, at most 604800)
lifetime_seconds = 604800

[wallet]
# HTTP service of the simulated Lightning wallet (embedded mode)
host = "127.0.0.1"
port = 7001

[rpc]
# Admin gRPC (mostro.admin.v1.AdminService), e.g. for \`mostro admin --rpc\`
enabled = false
# An IP address, not a host name; keep it on loopback
listen_address = "127.0.0.1"
port = 50051
# Bearer token of the mutating admin RPCs and of the web console (<web url>/#/console).
# Unset: no console and no token check on the gRPC. Keep this file private.
${rpcToken ? `auth_token = "${rpcToken}"` : '# auth_token = ""'}
# Seconds after which a client's ValidateDbPassword failures are forgotten
rate_limiter_stale_duration = 3600

[web]
# The browser client (static files of packages/web/dist), pre-configured for this node
enabled = true
host = "127.0.0.1"
port = 7002
`;
}
