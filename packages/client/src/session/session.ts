// A Mostro session: the mnemonic (the only secret), the trade-index counter, the privacy mode, the
// nodes and the trades. Sealed at rest under a passphrase; every change goes through `update`, which
// re-reads the stored blob under the store's lock so concurrent processes never lose a reservation.
import {
  type DerivedKey,
  deriveTradeKeyFromSeed,
  generateMnemonic,
  mnemonicToSeed,
  normalizeMnemonic,
  validateMnemonic,
} from '@mostro/protocol';
import { ClientError } from '../errors.ts';
import type { ScryptParams } from './kdf.ts';
import type { SessionStore } from './store.ts';
import type { PrivacyMode, SessionData } from './types.ts';
import { newVaultKey, openVault, reopenVault, sealVault, type VaultKey } from './vault.ts';

export interface CreateSessionOptions {
  /** Import this mnemonic instead of generating one (checksum validated). */
  mnemonic?: string;
  privacy?: PrivacyMode;
  /** Overwrite an existing session (default: refuse). */
  overwrite?: boolean;
  /** KDF cost; defaults to STRONG_SCRYPT. Only tests lower it. */
  scrypt?: ScryptParams;
  now?: () => number;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

function checkMnemonic(mnemonic: string): string {
  const normalized = normalizeMnemonic(mnemonic);
  if (!validateMnemonic(normalized)) {
    throw new ClientError(
      'invalid_mnemonic',
      'the mnemonic is not a valid BIP-39 English phrase (unknown word or bad checksum)',
      'check the words and their order; 12 or 24 words from the BIP-39 English list',
    );
  }
  return normalized;
}

function parseData(plaintext: string): SessionData {
  try {
    const data = JSON.parse(plaintext) as SessionData;
    if (data.version !== 1 || typeof data.mnemonic !== 'string' || !Number.isInteger(data.lastTradeIndex)) {
      throw new Error('bad shape');
    }
    data.chat ??= {};
    data.inbox ??= [];
    data.trades ??= {};
    data.nodes ??= {};
    return data;
  } catch {
    throw new ClientError(
      'corrupt_session',
      'the session decrypted but its content is not a version-1 session',
      'restore from your mnemonic into a new home directory',
    );
  }
}

export class Session {
  private seed: Uint8Array | null = null;
  private readonly keyCache = new Map<number, DerivedKey>();

  private constructor(
    private readonly store: SessionStore,
    private vaultKey: VaultKey,
    private current: SessionData,
  ) {}

  /** Creates (or imports) a session and persists it. */
  static async create(store: SessionStore, passphrase: string, options: CreateSessionOptions = {}): Promise<Session> {
    const mnemonic = options.mnemonic === undefined ? generateMnemonic(12) : checkMnemonic(options.mnemonic);
    const vaultKey = await newVaultKey(passphrase, options.scrypt);
    const data: SessionData = {
      version: 1,
      mnemonic,
      lastTradeIndex: 0,
      privacy: options.privacy ?? 'reputation',
      defaultNode: null,
      nodes: {},
      trades: {},
      chat: {},
      inbox: [],
      createdAt: (options.now ?? nowSeconds)(),
    };
    await store.update((existing) => {
      if (existing !== null && !options.overwrite) {
        throw new ClientError(
          'session_exists',
          'a session already exists in this home directory',
          'use another --home, or pass --force to replace it (write down its mnemonic first: mostro keys --mnemonic)',
        );
      }
      return sealVault(JSON.stringify(data), vaultKey);
    });
    return new Session(store, vaultKey, data);
  }

  /** Opens the stored session with the passphrase. */
  static async open(store: SessionStore, passphrase: string): Promise<Session> {
    const blob = await store.read();
    if (blob === null) {
      throw new ClientError(
        'no_session',
        'there is no session in this home directory',
        'run `mostro init` (new) or `mostro import` (existing mnemonic) first',
      );
    }
    const { plaintext, key } = await openVault(blob, passphrase);
    return new Session(store, key, parseData(plaintext));
  }

  /** A read-only snapshot of the last loaded state. */
  get data(): Readonly<SessionData> {
    return this.current;
  }

  get privacy(): PrivacyMode {
    return this.current.privacy;
  }

  /** The mnemonic, for the user's own backup display only. Never put it in a message. */
  revealMnemonic(): string {
    return this.current.mnemonic;
  }

  /** Re-reads the stored blob (another process may have changed it). */
  async reload(): Promise<Readonly<SessionData>> {
    const blob = await this.store.read();
    if (blob !== null) this.current = await this.decrypt(blob);
    return this.current;
  }

  /** Applies `change` to the freshest stored state and persists the result before returning it. */
  async update<T>(change: (data: SessionData) => T): Promise<T> {
    let result!: T;
    await this.store.update(async (blob) => {
      const data = blob === null ? this.current : await this.decrypt(blob);
      result = change(data);
      this.current = data;
      return sealVault(JSON.stringify(data), this.vaultKey);
    });
    return result;
  }

  /** Re-seals under a new passphrase. */
  async changePassphrase(passphrase: string, scrypt?: ScryptParams): Promise<void> {
    const next = await newVaultKey(passphrase, scrypt);
    // Read under the old key and seal under the new one in the same locked step.
    await this.store.update(async (blob) => {
      const data = blob === null ? this.current : await this.decrypt(blob);
      this.current = data;
      return sealVault(JSON.stringify(data), next);
    });
    this.vaultKey = next;
  }

  /**
   * Reserves the next trade index and persists the reservation BEFORE returning it, so a crash or a
   * concurrent command can never hand the same key out twice. Gaps are allowed by the protocol.
   */
  async reserveTradeIndex(): Promise<DerivedKey> {
    const index = await this.update((d) => {
      d.lastTradeIndex += 1;
      return d.lastTradeIndex;
    });
    return this.key(index);
  }

  /** Raises the counter to at least `index` (after restore / last-trade-index). Never lowers it. */
  async raiseTradeIndex(index: number): Promise<void> {
    await this.update((d) => {
      if (index > d.lastTradeIndex) d.lastTradeIndex = index;
    });
  }

  /** Key at `index` (0 = identity). Cached; secret keys stay in this object. */
  key(index: number): DerivedKey {
    let k = this.keyCache.get(index);
    if (!k) {
      this.seed ??= mnemonicToSeed(this.current.mnemonic);
      k = deriveTradeKeyFromSeed(this.seed, index);
      this.keyCache.set(index, k);
    }
    return k;
  }

  identity(): DerivedKey {
    return this.key(0);
  }

  private async decrypt(blob: string): Promise<SessionData> {
    const fast = reopenVault(blob, this.vaultKey);
    if (fast !== null) return parseData(fast);
    throw new ClientError(
      'wrong_passphrase',
      'the session file was re-sealed under another passphrase by another process',
      'run the command again with the new passphrase',
    );
  }
}
