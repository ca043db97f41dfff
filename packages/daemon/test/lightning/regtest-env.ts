// Typed access to the real regtest Lightning network that scripts/regtest/setup.mjs starts for the
// `*.regtest.test.ts` files (npm run test:regtest) or that scripts/regtest/up.mjs leaves running.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { type AuthenticatedLnd, authenticatedLndGrpc } from 'lightning';
import type { LndConfig } from '../../src/lightning/lnd/config.ts';

const run = promisify(execFile);

export type RegtestNodeName = 'node' | 'buyer' | 'seller';

export interface RegtestLnd {
  name: RegtestNodeName;
  grpcHost: string;
  tlsCertBase64: string;
  tlsCertPath: string;
  macaroonBase64: string;
  macaroonPath: string;
  pubkey: string;
  p2pHost: string;
  lnddir: string;
}

export interface RegtestBtcd {
  rpcHost: string;
  rpcUser: string;
  rpcPass: string;
  rpcCertBase64: string;
  rpcCertPath: string;
}

export interface RegtestEnv {
  dir: string;
  lncli: string;
  mineScript: string;
  btcd: RegtestBtcd;
  nodes: Record<RegtestNodeName, RegtestLnd>;
}

const NAMES: RegtestNodeName[] = ['node', 'buyer', 'seller'];

/** True when the MOSTRO_REGTEST_* environment of a running network is present. */
export const hasRegtestEnv = (env: NodeJS.ProcessEnv = process.env): boolean => env.MOSTRO_REGTEST === '1';

/** Reads the network from the environment; throws a clear error when it is not there. */
export function regtestEnv(env: NodeJS.ProcessEnv = process.env): RegtestEnv {
  const need = (key: string): string => {
    const value = env[key];
    if (!value) {
      throw new Error(
        `${key} is not set: run regtest tests with \`npm run test:regtest\`, or start a network with \`node scripts/regtest/up.mjs\` and \`source\` the env file it prints`,
      );
    }
    return value;
  };
  const lnd = (name: RegtestNodeName): RegtestLnd => {
    const p = `MOSTRO_REGTEST_${name.toUpperCase()}`;
    return {
      name,
      grpcHost: need(`${p}_GRPC_HOST`),
      tlsCertBase64: need(`${p}_TLS_CERT`),
      tlsCertPath: need(`${p}_TLS_CERT_PATH`),
      macaroonBase64: need(`${p}_MACAROON`),
      macaroonPath: need(`${p}_MACAROON_PATH`),
      pubkey: need(`${p}_PUBKEY`),
      p2pHost: need(`${p}_P2P_HOST`),
      lnddir: need(`${p}_LNDDIR`),
    };
  };
  return {
    dir: need('MOSTRO_REGTEST_DIR'),
    lncli: need('MOSTRO_REGTEST_LNCLI'),
    mineScript: need('MOSTRO_REGTEST_MINE_SCRIPT'),
    btcd: {
      rpcHost: need('MOSTRO_REGTEST_BTCD_RPC_HOST'),
      rpcUser: need('MOSTRO_REGTEST_BTCD_RPC_USER'),
      rpcPass: need('MOSTRO_REGTEST_BTCD_RPC_PASS'),
      rpcCertBase64: need('MOSTRO_REGTEST_BTCD_RPC_CERT'),
      rpcCertPath: need('MOSTRO_REGTEST_BTCD_RPC_CERT_PATH'),
    },
    nodes: Object.fromEntries(NAMES.map((n) => [n, lnd(n)])) as Record<RegtestNodeName, RegtestLnd>,
  };
}

/** Config for createLndBackend pointing at one of the nodes. */
export const lndConfigOf = (node: RegtestLnd): LndConfig => ({
  grpcHost: node.grpcHost,
  tlsCertBase64: node.tlsCertBase64,
  macaroonBase64: node.macaroonBase64,
});

/** A `lightning` client of one of the network's LND nodes, for a test to act as that node's user. */
export const rawLnd = (n: RegtestLnd): AuthenticatedLnd =>
  authenticatedLndGrpc({ cert: n.tlsCertBase64, macaroon: n.macaroonBase64, socket: n.grpcHost }).lnd;

/** Mines `blocks` blocks (coinbase to `node`) and resolves with the new chain height. */
export async function mineBlocks(blocks: number, env: RegtestEnv = regtestEnv()): Promise<number> {
  const { stdout } = await run(process.execPath, [env.mineScript, String(blocks)], {
    env: {
      ...process.env,
      MOSTRO_REGTEST_BTCD_RPC_HOST: env.btcd.rpcHost,
      MOSTRO_REGTEST_BTCD_RPC_USER: env.btcd.rpcUser,
      MOSTRO_REGTEST_BTCD_RPC_PASS: env.btcd.rpcPass,
      MOSTRO_REGTEST_BTCD_RPC_CERT: env.btcd.rpcCertBase64,
    },
  });
  return Number(stdout.trim());
}

/** Runs lncli against a node and parses its JSON answer. */
export async function lncli(node: RegtestLnd, args: string[], env: RegtestEnv = regtestEnv()): Promise<unknown> {
  const { stdout } = await run(
    env.lncli,
    [
      '--network=regtest',
      `--rpcserver=${node.grpcHost}`,
      `--tlscertpath=${node.tlsCertPath}`,
      `--macaroonpath=${node.macaroonPath}`,
      ...args,
    ],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  return stdout.trim() === '' ? null : JSON.parse(stdout);
}
