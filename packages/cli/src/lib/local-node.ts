// The node on this machine, as `mostrod` would run it: its config file (`$MOSTRO_DATA_DIR` or
// ~/.mostrod, `config.toml`) with the same MOSTRO_RELAY_* / MOSTRO_WALLET_* overrides the node
// applies. Gives the CLI its defaults when nothing else is said: the node's pubkey, its embedded
// relay and its simulated wallet. The node's secret key is read only to derive its public key; it
// never leaves this function.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parsePublicKey, parseSecretKey, publicKeyOf } from '@mostro/protocol';
import { parse as parseToml } from 'smol-toml';

export interface LocalNode {
  configPath: string;
  /** The node's public key (hex), or null when the config has no valid key. */
  pubkey: string | null;
  /** The embedded relay's URL, or null when the node runs without one. */
  relay: string | null;
  /** The simulated wallet's HTTP API. */
  walletUrl: string;
  /** The admin gRPC as `[rpc]` describes it (served only when enabled) and its token. */
  rpc: { url: string; token: string | null };
}

export const DEFAULT_WALLET_URL = 'http://127.0.0.1:7001';

type Table = Record<string, unknown>;
const section = (doc: Table, name: string): Table => (doc[name] as Table | undefined) ?? {};
const text = (v: unknown, fallback: string): string => (typeof v === 'string' && v.trim() ? v.trim() : fallback);
const port = (env: string | undefined, file: unknown, fallback: number): number => {
  const n = Number(env?.trim() || file);
  return Number.isInteger(n) && n > 0 && n < 65536 ? n : fallback;
};
const bool = (env: string | undefined, file: unknown): boolean =>
  env?.trim() ? /^(1|true|yes|on)$/i.test(env.trim()) : file === true;

/** The host part of a URL: an IPv6 literal goes in brackets. */
const hostOf = (h: string) => (h.includes(':') && !h.startsWith('[') ? `[${h}]` : h);

export function localNodeConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(resolve(env.MOSTRO_DATA_DIR?.trim() || join(homedir(), '.mostrod')), 'config.toml');
}

/** The local node, or null when there is no readable config file. */
export function localNode(env: NodeJS.ProcessEnv = process.env): LocalNode | null {
  const configPath = localNodeConfigPath(env);
  let doc: Table;
  try {
    doc = parseToml(readFileSync(configPath, 'utf8')) as Table;
  } catch {
    return null;
  }
  const nostr = section(doc, 'nostr');
  const relay = section(doc, 'relay');
  const wallet = section(doc, 'wallet');
  const rpc = section(doc, 'rpc');
  // A node listening on every address is still reached over loopback from its own machine.
  const rpcHost = text(env.MOSTRO_RPC_LISTEN_ADDRESS || rpc.listen_address, '127.0.0.1');
  const rpcToken = text(env.MOSTRO_RPC_AUTH_TOKEN ?? rpc.auth_token, '');
  const sk = parseSecretKey(text(env.MOSTRO_NOSTR_NSEC_PRIVKEY ?? nostr.nsec_privkey, ''));
  const embedded = bool(env.MOSTRO_RELAY_EMBEDDED, relay.embedded);
  const relayUrl = embedded
    ? `ws://${hostOf(text(env.MOSTRO_RELAY_HOST || relay.host, '127.0.0.1'))}:${port(env.MOSTRO_RELAY_PORT, relay.port, 7000)}`
    : null;
  return {
    configPath,
    pubkey: sk ? (parsePublicKey(publicKeyOf(sk)) as string) : null,
    relay: relayUrl,
    walletUrl: `http://${hostOf(text(env.MOSTRO_WALLET_HOST || wallet.host, '127.0.0.1'))}:${port(env.MOSTRO_WALLET_PORT, wallet.port, 7001)}`,
    rpc: {
      url: `http://${hostOf(rpcHost === '0.0.0.0' ? '127.0.0.1' : rpcHost === '::' ? '::1' : rpcHost)}:${port(env.MOSTRO_RPC_PORT, rpc.port, 50051)}`,
      token: rpcToken || null,
    },
  };
}
