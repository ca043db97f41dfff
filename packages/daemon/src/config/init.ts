// `mostrod init`: a data directory with a commented config and a fresh node key.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bytesToHex } from '@noble/hashes/utils.js';
import { npubEncode } from 'nostr-tools/nip19';
import { generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { defaultConfigToml } from './template.ts';

export const CONFIG_FILE_NAME = 'config.toml';

export type InitResult = { ok: true; path: string; pubkey: string; npub: string } | { ok: false; error: string };

export interface InitOptions {
  /** Overwrite an existing config (the old node key is lost). */
  force?: boolean;
  /** Use this key instead of a fresh one (tests, simulator). */
  secretKey?: Uint8Array;
}

/** Writes `<dataDir>/config.toml` (mode 0600) with the embedded defaults and a fresh node key. */
export function initConfig(dataDir: string, options: InitOptions = {}): InitResult {
  const secretKey = options.secretKey ?? generateSecretKey();
  const path = join(dataDir, CONFIG_FILE_NAME);
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    // The console's admin token: random, in the same private file as the node key.
    const rpcToken = bytesToHex(randomBytes(32));
    writeFileSync(path, defaultConfigToml(bytesToHex(secretKey), rpcToken), {
      mode: 0o600,
      flag: options.force ? 'w' : 'wx',
    });
    // The mode above applies only to a new file; an overwritten one keeps its old mode.
    chmodSync(path, 0o600);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST')
      return { ok: false, error: `${path} already exists (use --force to overwrite it and its key)` };
    return { ok: false, error: `cannot write ${path}: ${code ?? (err as Error).message}` };
  }
  const pubkey = getPublicKey(secretKey);
  return { ok: true, path, pubkey, npub: npubEncode(pubkey) };
}
