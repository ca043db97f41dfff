#!/usr/bin/env node
// Starts the regtest network by hand and leaves it running: `node scripts/regtest/up.mjs`, then
// `source $TMPDIR/mostro-regtest.env` (printed) to get the MOSTRO_REGTEST_* variables; stop with down.mjs.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setupRegtest } from './setup.mjs';

export const pointerFile = join(tmpdir(), 'mostro-regtest-up.json');
export const envFile = join(tmpdir(), 'mostro-regtest.env');

if (existsSync(pointerFile)) {
  const { env } = JSON.parse(readFileSync(pointerFile, 'utf8'));
  console.error(`a network started by up.mjs may still be running (${env.MOSTRO_REGTEST_DIR}); run down.mjs first`);
  process.exit(1);
}
const { env, stateFile } = await setupRegtest({ persistent: true });
writeFileSync(pointerFile, JSON.stringify({ stateFile, env }));
const quote = (v) => `'${v.replaceAll("'", "'\\''")}'`;
writeFileSync(
  envFile,
  `${Object.entries(env)
    .map(([k, v]) => `export ${k}=${quote(v)}`)
    .join('\n')}\n`,
);
const lncli = (name) =>
  `${env.MOSTRO_REGTEST_LNCLI} --network=regtest --rpcserver=${env[`MOSTRO_REGTEST_${name}_GRPC_HOST`]} --tlscertpath=${env[`MOSTRO_REGTEST_${name}_TLS_CERT_PATH`]} --macaroonpath=${env[`MOSTRO_REGTEST_${name}_MACAROON_PATH`]}`;
console.log(`regtest network running in ${env.MOSTRO_REGTEST_DIR}
  environment:  source ${envFile}
  mine blocks:  node ${env.MOSTRO_REGTEST_MINE_SCRIPT} 6
  node:   ${lncli('NODE')} getinfo
  buyer:  ${lncli('BUYER')} getinfo
  seller: ${lncli('SELLER')} getinfo
  stop:   node scripts/regtest/down.mjs`);
process.exit(0);
