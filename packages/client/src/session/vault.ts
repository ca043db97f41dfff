// The at-rest format of a session: a versioned JSON blob holding scrypt parameters, a salt, a nonce
// and the XChaCha20-Poly1305 ciphertext of the session's JSON. The header is bound to the
// ciphertext as associated data, so a tampered parameter fails authentication like a wrong key.
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { base64 } from '@scure/base';
import { ClientError } from '../errors.ts';
import { deriveKey, isAcceptableScrypt, type ScryptParams, STRONG_SCRYPT } from './kdf.ts';

export const VAULT_VERSION = 1;

export interface VaultBlob {
  version: 1;
  kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: string };
  cipher: 'xchacha20-poly1305';
  nonce: string;
  ciphertext: string;
}

/** A derived key bound to the salt/params it came from, kept in memory to re-seal without re-deriving. */
export interface VaultKey {
  readonly key: Uint8Array;
  readonly salt: Uint8Array;
  readonly params: ScryptParams;
}

export async function newVaultKey(passphrase: string, params: ScryptParams = STRONG_SCRYPT): Promise<VaultKey> {
  if (passphrase.length === 0) {
    throw new ClientError(
      'invalid_input',
      'the passphrase is empty',
      'choose a passphrase (MOSTRO_PASSPHRASE or the prompt)',
    );
  }
  const salt = randomBytes(16);
  return { key: await deriveKey(passphrase, salt, params), salt, params };
}

function header(blob: Pick<VaultBlob, 'version' | 'kdf' | 'cipher'>): Uint8Array {
  const { N, r, p, salt } = blob.kdf;
  return new TextEncoder().encode(`mostro-session:${blob.version}:${blob.cipher}:scrypt:${N}:${r}:${p}:${salt}`);
}

export function sealVault(plaintext: string, vk: VaultKey): string {
  const nonce = randomBytes(24);
  const head: Omit<VaultBlob, 'nonce' | 'ciphertext'> = {
    version: VAULT_VERSION,
    kdf: { name: 'scrypt', ...vk.params, salt: base64.encode(vk.salt) },
    cipher: 'xchacha20-poly1305',
  };
  const ct = xchacha20poly1305(vk.key, nonce, header(head)).encrypt(new TextEncoder().encode(plaintext));
  const blob: VaultBlob = { ...head, nonce: base64.encode(nonce), ciphertext: base64.encode(ct) };
  return `${JSON.stringify(blob, null, 2)}\n`;
}

function parseBlob(text: string): VaultBlob {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw corrupt('it is not JSON');
  }
  const b = raw as Partial<VaultBlob> | null;
  if (!b || typeof b !== 'object') throw corrupt('it is not an object');
  if (b.version !== VAULT_VERSION) {
    throw new ClientError(
      'unsupported_session_version',
      `the session file has format version ${String(b.version)}, this client reads version ${VAULT_VERSION}`,
      'upgrade the client, or restore from your mnemonic into a new home directory',
    );
  }
  const k = b.kdf;
  if (
    k?.name !== 'scrypt' ||
    typeof k.salt !== 'string' ||
    b.cipher !== 'xchacha20-poly1305' ||
    typeof b.nonce !== 'string' ||
    typeof b.ciphertext !== 'string' ||
    !isAcceptableScrypt(k)
  ) {
    throw corrupt('a header field is missing or out of range');
  }
  return b as VaultBlob;
}

function corrupt(why: string): ClientError {
  return new ClientError(
    'corrupt_session',
    `the session file is damaged: ${why}`,
    'restore from your mnemonic into a new home directory (mostro import / mostro restore)',
  );
}

function decode(text: string): Uint8Array {
  try {
    return base64.decode(text);
  } catch {
    throw corrupt('bad base64');
  }
}

/** Opens a blob; returns the plaintext and the key to re-seal it with. */
export async function openVault(text: string, passphrase: string): Promise<{ plaintext: string; key: VaultKey }> {
  const blob = parseBlob(text);
  const salt = decode(blob.kdf.salt);
  const params = { N: blob.kdf.N, r: blob.kdf.r, p: blob.kdf.p };
  const key = await deriveKey(passphrase, salt, params);
  return { plaintext: openWithKey(blob, { key, salt, params }), key: { key, salt, params } };
}

/** Re-opens a blob with a key already derived, if the blob still uses that key's salt and params. */
export function reopenVault(text: string, vk: VaultKey): string | null {
  const blob = parseBlob(text);
  const same =
    blob.kdf.salt === base64.encode(vk.salt) &&
    blob.kdf.N === vk.params.N &&
    blob.kdf.r === vk.params.r &&
    blob.kdf.p === vk.params.p;
  return same ? openWithKey(blob, vk) : null;
}

function openWithKey(blob: VaultBlob, vk: VaultKey): string {
  const nonce = decode(blob.nonce);
  const ct = decode(blob.ciphertext);
  if (nonce.length !== 24) throw corrupt('bad nonce length');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(xchacha20poly1305(vk.key, nonce, header(blob)).decrypt(ct));
  } catch {
    throw new ClientError(
      'wrong_passphrase',
      'the passphrase does not open this session (or the file was altered)',
      'check MOSTRO_PASSPHRASE / the passphrase you typed; if it is lost, restore from the mnemonic in a new home directory',
    );
  }
}
