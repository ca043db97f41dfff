// `mostro keys`: the identity and trade public keys of the mnemonic in MOSTRO_MNEMONIC.
// Secrets are printed only with --show-secret.
import { parseArgs } from 'node:util';
import { bytesToHex, deriveTradeKeyFromSeed, mnemonicToSeed, toNpub, toNsec, validateMnemonic } from '@mostro/protocol';
import { jsonFromEnv } from '../lib/globals.ts';

export const summary =
  'identity and trade public keys (hex, npub) from MOSTRO_MNEMONIC; --index N (repeatable), --json, --show-secret';
const USAGE = 'usage: mostro keys [--index N]... [--json] [--show-secret]   (mnemonic in MOSTRO_MNEMONIC)';

class Usage extends Error {}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        index: { type: 'string', multiple: true, short: 'i' },
        json: { type: 'boolean' },
        'show-secret': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
      strict: true,
    }).values;
  } catch (e) {
    throw new Usage((e as Error).message);
  }
}

function indexes(raw: string[] | undefined): number[] {
  const list = (raw ?? ['1']).map((s) => {
    if (!/^\d+$/.test(s) || Number(s) > 0x7fffffff)
      throw new Usage(`--index must be an integer in [0, 2147483647], got '${s}'`);
    return Number(s);
  });
  // The identity (index 0) always comes first: it is what reputation and restore hang on.
  return [...new Set([0, ...list])].sort((a, b) => a - b);
}

export async function run(argv: string[]): Promise<number> {
  let opts: ReturnType<typeof parse>;
  let wanted: number[];
  try {
    opts = parse(argv);
    if (opts.help) {
      console.log(`${USAGE}\n${summary}`);
      return 0;
    }
    wanted = indexes(opts.index);
  } catch (e) {
    console.error(`mostro keys: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const mnemonic = process.env.MOSTRO_MNEMONIC;
  if (!mnemonic?.trim()) {
    console.error('mostro keys: MOSTRO_MNEMONIC is not set (12 or 24 BIP-39 words)');
    return 2;
  }
  if (!validateMnemonic(mnemonic)) {
    console.error('mostro keys: MOSTRO_MNEMONIC is not a valid BIP-39 mnemonic (unknown word or bad checksum)');
    return 2;
  }
  const seed = mnemonicToSeed(mnemonic);
  const keys = wanted.map((i) => {
    const k = deriveTradeKeyFromSeed(seed, i);
    return {
      index: i,
      role: i === 0 ? 'identity' : 'trade',
      path: k.path,
      publicKey: k.publicKey,
      npub: toNpub(k.publicKey),
      ...(opts['show-secret'] ? { secretKey: bytesToHex(k.secretKey), nsec: toNsec(k.secretKey) } : {}),
    };
  });
  if (opts.json || jsonFromEnv()) {
    console.log(JSON.stringify({ keys }, null, 2));
    return 0;
  }
  for (const k of keys) {
    console.log(`${k.role === 'identity' ? 'identity' : `trade ${k.index}`}  ${k.path}`);
    console.log(`  hex   ${k.publicKey}`);
    console.log(`  npub  ${k.npub}`);
    if (k.secretKey) {
      console.log(`  secret hex  ${k.secretKey}`);
      console.log(`  nsec        ${k.nsec}`);
    }
  }
  if (opts['show-secret'])
    console.error('warning: secret keys printed above; anyone who sees them controls these keys');
  return 0;
}
