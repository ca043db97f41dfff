// Runs the reference node (mostrod 0.20.2, built by ./build.mjs) for the interop tests: a fresh
// settings directory with a settings.toml written from the crate's settings.tpl.toml defaults
// (reference-0.20.md §5), pointed at loopback only — one lnd of the regtest network, the given
// relays, and a local price server in the Yadio format (the node may not reach the internet).
//
//   const node = await startReferenceMostrod({ relays: [url], lnd: regtestLnd('node') });
//   … node.pubkey, node.dir …
//   await node.close();
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesToHex } from '@noble/hashes/utils.js';
import { generateSecretKey, getPublicKey, nip19 } from 'nostr-tools';
import { stopProcess } from '../regtest/proc.mjs';
import { ensureReferenceBinary } from './build.mjs';

/** One lnd of scripts/regtest (its MOSTRO_REGTEST_<NAME>_* environment). */
export function regtestLnd(name, env = process.env) {
  const p = `MOSTRO_REGTEST_${name.toUpperCase()}`;
  const grpcHost = env[`${p}_GRPC_HOST`];
  if (!grpcHost) throw new Error(`${p}_GRPC_HOST is not set: the interop tests need the regtest network`);
  return { grpcHost, certPath: env[`${p}_TLS_CERT_PATH`], macaroonPath: env[`${p}_MACAROON_PATH`] };
}

/** A loopback HTTP server answering GET /exrates/BTC like Yadio, with fixed prices. */
async function startPriceServer(prices) {
  const server = createServer((req, res) => {
    if (req.url?.replace(/\/+$/, '') === '/exrates/BTC') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ BTC: prices }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) };
}

const q = (s) => JSON.stringify(String(s));
const list = (xs) => `[${xs.map(q).join(', ')}]`;

/** settings.toml: the template's values, loopback endpoints, fast publication intervals for tests. */
export function referenceSettingsToml({
  dir,
  nsec,
  relays,
  lnd,
  priceUrl,
  fee = 0.006,
  currencies = ['USD', 'EUR'],
  extraToml = '',
}) {
  return `[lightning]
lnd_cert_file = ${q(lnd.certPath)}
lnd_macaroon_file = ${q(lnd.macaroonPath)}
lnd_grpc_host = ${q(`https://${lnd.grpcHost}`)}
invoice_expiration_window = 3600
hold_invoice_cltv_delta = 144
hold_invoice_expiration_window = 300
payment_attempts = 3
payment_retries_interval = 60
max_final_cltv_expiry_delta = 144
escrow_deadline_margin_blocks = 24
max_inflight_payouts = 100
max_inflight_payouts_per_destination = 10
payment_cltv_limit = 1008
allow_node_change = false

[nostr]
nsec_privkey = ${q(nsec)}
relays = ${list(relays)}

[mostro]
name = "mostro-ts interop reference"
fee = ${fee}
max_routing_fee = 0.002
max_order_amount = 1000000
min_payment_amount = 100
expiration_hours = 24
max_expiration_days = 15
expiration_seconds = 900
user_rates_sent_interval_seconds = 30
publish_relays_interval = 60
pow = 0
publish_mostro_info_interval = 30
bitcoin_price_api_url = ${q(priceUrl)}
fiat_currencies_accepted = ${list(currencies)}
max_orders_per_response = 10
dev_fee_percentage = 0.30

[database]
url = ${q(`sqlite://${join(dir, 'mostro.db')}`)}

[expiration]
order_days = 30
rating_days = 90
dispute_days = 90
fee_audit_days = 365
dm_days = 30

[rpc]
enabled = false
listen_address = "127.0.0.1"
port = 50051

[health]
enabled = true
interval = 60
watchdog_pubkey = ""
lnd_unsynced_fail_after = 600
auto_maintenance_on_lnd_unsynced = true
lnd_resynced_clear_after = 300
${extraToml}`;
}

/**
 * Starts mostrod with its own settings directory and node key; resolves once the process runs.
 * @param {{ relays: string[], lnd: {grpcHost: string, certPath: string, macaroonPath: string},
 *   prices?: Record<string, number>, fee?: number, currencies?: string[], extraToml?: string }} options
 *   (`extraToml`: more sections appended to settings.toml, e.g. `[reputation_import]`)
 */
export async function startReferenceMostrod({
  relays,
  lnd,
  prices = { USD: 50_000, EUR: 45_000 },
  fee,
  currencies,
  extraToml,
}) {
  const binary = await ensureReferenceBinary('mostrod');
  const dir = mkdtempSync(join(tmpdir(), 'mostrod-ref-'));
  const secretKey = generateSecretKey();
  const price = await startPriceServer(prices);
  writeFileSync(
    join(dir, 'settings.toml'),
    referenceSettingsToml({
      dir,
      nsec: nip19.nsecEncode(secretKey),
      relays,
      lnd,
      priceUrl: price.url,
      fee,
      currencies,
      extraToml,
    }),
  );
  const child = spawn(binary, ['-d', dir], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? 'info', HOME: dir },
  });
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let closing;
  const close = () => {
    closing ??= (async () => {
      await stopProcess(child.pid);
      await price.close();
      rmSync(dir, { recursive: true, force: true });
    })();
    return closing;
  };
  return {
    pubkey: getPublicKey(secretKey),
    secretKeyHex: bytesToHex(secretKey),
    dir,
    output: () => output,
    exited: () => child.exitCode !== null || child.signalCode !== null,
    close,
  };
}
