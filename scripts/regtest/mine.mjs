#!/usr/bin/env node
// `node scripts/regtest/mine.mjs N` mines N blocks on the regtest network described by the
// MOSTRO_REGTEST_BTCD_* environment (coinbase to the `node` lnd wallet) and prints the new height.
import { fileURLToPath } from 'node:url';
import { btcdCall, btcdFromEnv } from './btcd-rpc.mjs';

export async function mine(blocks, env = process.env) {
  if (!Number.isInteger(blocks) || blocks < 1 || blocks > 1000)
    throw new Error(`mine: expected 1..1000 blocks, got ${blocks}`);
  const rpc = btcdFromEnv(env);
  await btcdCall(rpc, 'generate', [blocks]);
  return btcdCall(rpc, 'getblockcount');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const n = Number(process.argv[2] ?? 1);
  try {
    console.log(await mine(n));
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}
