// The solver console's one state object: the solver's key sealed in its own IndexedDB session
// (like a user session, separate database), a relay pool of its own, the live dispute queue
// (38386), the disputes this solver took, a live chat with each party, and the buyer–seller chat a
// party handed over. Screens read it and call its methods; nothing here renders.
import {
  AdminClient,
  ClientError,
  type DisputeEntry,
  IndexedDbSessionStore,
  MostroClient,
  parseDisputeEvent,
  Session,
  type TakenDispute,
  TradeChat,
} from '@mostro/client';
import type { RelayPool } from '@mostro/nostr';
import { browserRelayPool } from '@mostro/nostr/browser';
import { publicKeyOf, toNpub } from '@mostro/protocol';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { getToken } from 'nostr-tools/nip98';
import { finalizeEvent } from 'nostr-tools/pure';
import { app, WEB_SCRYPT } from '../lib/app.svelte.ts';
import { DisputeChats } from './chats.svelte.ts';
import { mergeDispute } from './disputes.ts';
import { ct } from './i18n.ts';
import { type KeySource, solverKeyFrom } from './solver-key.ts';

export type ConsolePhase = 'loading' | 'signin' | 'locked' | 'ready' | 'no-node';
/** node: the node's own key (full rights); none: the node refused it as a solver. */
export type Permission = 'node' | 'read' | 'read-write' | 'none' | null;

const DAY = 86_400;

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** The text of a refusal or failure, for the screen. */
export function problemText(e: unknown): string {
  if (e instanceof ClientError) {
    if (e.code === 'cant_do') {
      const reason = String(e.detail ?? 'invalid_action');
      const known = ct(`refusal.${reason}`);
      return ct('refused', { reason: known === `refusal.${reason}` ? reason : known });
    }
    if (e.code === 'timeout') return ct('err.timeout');
    return e.message;
  }
  return e instanceof Error ? e.message : String(e);
}

class ConsoleState {
  phase = $state<ConsolePhase>('loading');
  solverPub = $state<string | null>(null);
  permission = $state<Permission>(null);
  disputes = $state.raw<DisputeEntry[]>([]);
  disputesLoaded = $state(false);
  taken = $state.raw<Record<string, TakenDispute>>({});
  /** When this solver took each dispute (this browser's clock). */
  takenAt = $state.raw<Record<string, number>>({});
  /** The chats of the disputes taken (null while locked). */
  chats = $state.raw<DisputeChats | null>(null);
  relayStatus = $state.raw<Record<string, string>>({});
  /** Fiat currency per order id, from the order's public event (SolverDisputeInfo has none). */
  currency = $state.raw<Record<string, string>>({});

  private store: IndexedDbSessionStore | null = null;
  private session: Session | null = null;
  private pool: RelayPool | null = null;
  private client: MostroClient | null = null;
  private admin: AdminClient | null = null;
  private subs = new Map<string, { close(): void }>();

  get npub(): string | null {
    return this.solverPub ? toNpub(this.solverPub) : null;
  }

  get nodePub(): string | null {
    return app.config?.nodeHex || null;
  }

  /** May this key decide disputes, as far as the node has shown? Unknown counts as yes: the node decides. */
  get mayDecide(): boolean {
    return this.permission !== 'read' && this.permission !== 'none';
  }

  async init(): Promise<void> {
    if (this.phase !== 'loading') return;
    // The trader app loads the config; the console waits for it rather than loading it twice.
    while (!app.config) await new Promise((r) => setTimeout(r, 50));
    if (!app.config.nodeHex || app.config.relays.length === 0) {
      this.phase = 'no-node';
      return;
    }
    this.store = new IndexedDbSessionStore({ name: 'mostro-console' });
    this.phase = (await this.store.read()) === null ? 'signin' : 'locked';
  }

  /** Seals the solver key under the passphrase (replacing any earlier console session). */
  async signIn(source: KeySource, secret: string, passphrase: string): Promise<void> {
    if (!this.store) throw new Error('not initialized');
    // Checked before anything is written: a typo never replaces a working console session.
    const key = solverKeyFrom(source, secret);
    if (!key) throw new ClientError('invalid_input', ct(source === 'nsec' ? 'signin.badNsec' : 'signin.badWords'), '');
    const session = await Session.create(this.store, passphrase, {
      privacy: 'full-private',
      overwrite: true,
      scrypt: WEB_SCRYPT,
      ...(source === 'nsec' ? {} : { mnemonic: secret }),
    });
    await session.update((d) => {
      d.solverConsole = { key: bytesToHex(key), permission: null };
    });
    this.start(session);
  }

  async unlock(passphrase: string): Promise<void> {
    if (!this.store) throw new Error('not initialized');
    this.start(await Session.open(this.store, passphrase));
  }

  lock(): void {
    for (const s of this.subs.values()) s.close();
    this.subs.clear();
    this.pool?.close();
    this.pool = null;
    this.chats?.close();
    this.chats = null;
    this.session = this.client = this.admin = null;
    this.solverPub = null;
    this.permission = null;
    this.disputes = [];
    this.disputesLoaded = false;
    this.taken = {};
    this.phase = this.store ? 'locked' : 'signin';
  }

  async forget(): Promise<void> {
    this.lock();
    await this.store?.clear();
    this.phase = 'signin';
  }

  private start(session: Session): void {
    const cfg = app.config;
    const sc = session.data.solverConsole;
    if (!cfg || !sc) throw new ClientError('corrupt_session', ct('signin.noKey'), '');
    const secretKey = hexToBytes(sc.key);
    this.session = session;
    this.solverPub = publicKeyOf(secretKey);
    this.permission = this.solverPub === cfg.nodeHex ? 'node' : sc.permission;
    this.pool = browserRelayPool({ relays: cfg.relays, connectTimeoutMs: 5000 });
    this.relayStatus = this.pool.statuses();
    this.pool.onStatus(() => {
      if (this.pool) this.relayStatus = this.pool.statuses();
    });
    this.client = new MostroClient({
      session,
      pool: this.pool,
      node: cfg.nodeHex,
      privacy: 'full-private',
      timeoutMs: 30_000,
    });
    this.admin = new AdminClient(this.client, { secretKey, publicKey: this.solverPub });
    this.chats = new DisputeChats(this.admin, new TradeChat(session, this.pool), this.client);
    this.taken = { ...this.admin.taken() };
    this.phase = 'ready';
    this.watchDisputes();
    for (const t of Object.values(this.taken)) this.follow(t);
    void this.askNode();
  }

  /**
   * Asks the node that served this page what the key may do (a NIP-98 proof of the key, answered
   * about that key only). Another node, or one without the route, leaves the permission to be
   * learnt from its answers (a take or a decision refused, or allowed).
   */
  async askNode(): Promise<void> {
    const key = this.session?.data.solverConsole?.key;
    if (!key) return;
    const secretKey = hexToBytes(key);
    try {
      const served = (await (await fetch('/config.json', { cache: 'no-store' })).json()) as { node?: string };
      if (!app.config || served.node !== app.config.npub) return;
      const url = `${location.origin}/solver-api/permission`;
      const authorization = await getToken(url, 'GET', (e) => finalizeEvent(e, secretKey), true);
      const res = await fetch(url, { headers: { authorization }, cache: 'no-store' });
      if (!res.ok) return;
      const answer = (await res.json()) as { pubkey?: string; permission?: string | null };
      if (answer.pubkey !== this.solverPub) return;
      if (answer.permission === 'read' || answer.permission === 'read-write')
        await this.learnPermission(answer.permission);
      else if (answer.permission === null) await this.learnPermission('none');
    } catch {
      // Not answered: the node's refusals will tell.
    }
  }

  private async learnPermission(p: 'read' | 'read-write' | 'none'): Promise<void> {
    if (this.permission === 'node' || (this.permission === p && this.session?.data.solverConsole?.permission === p))
      return;
    this.permission = p;
    await this.session?.update((d) => {
      if (d.solverConsole) d.solverConsole.permission = p;
    });
  }

  /** What the operator's solver list says about this key (when the console has the admin API). */
  fromSolverList(rows: readonly { pubkey: string; permission: 'read' | 'read-write' }[]): void {
    if (!this.solverPub || this.permission === 'node') return;
    const row = rows.find((r) => r.pubkey === this.solverPub);
    void this.learnPermission(row ? row.permission : 'none');
  }

  private watchDisputes(): void {
    const node = this.nodePub;
    if (!this.pool || !node) return;
    this.subs.set(
      'disputes',
      this.pool.subscribe([{ kinds: [38386], authors: [node], since: nowSeconds() - 90 * DAY }], {
        onevent: (e) => {
          const d = parseDisputeEvent(e);
          if (d) this.disputes = mergeDispute(this.disputes, d);
        },
        oneose: () => {
          this.disputesLoaded = true;
        },
      }),
    );
  }

  dispute(id: string): DisputeEntry | null {
    return this.disputes.find((d) => d.id === id) ?? null;
  }

  // ── Decisions ───────────────────────────────────────────────────────────────────────────────

  async take(disputeId: string): Promise<TakenDispute> {
    if (!this.admin) throw new Error('locked');
    try {
      const t = await this.admin.takeDispute(disputeId);
      this.taken = { ...this.admin.taken() };
      this.takenAt = { ...this.takenAt, [t.disputeId]: nowSeconds() };
      this.follow(t);
      return t;
    } catch (e) {
      // Any solver may take a waiting dispute: a refusal of one says this key is no solver here.
      if (e instanceof ClientError && e.detail === 'invalid_pubkey' && this.dispute(disputeId)?.status === 'initiated')
        await this.learnPermission('none');
      throw e;
    }
  }

  async decide(t: TakenDispute, how: 'settle' | 'cancel'): Promise<void> {
    if (!this.admin) throw new Error('locked');
    try {
      if (how === 'settle') await this.admin.settle(t.info.id);
      else await this.admin.cancel(t.info.id);
      await this.learnPermission('read-write');
    } catch (e) {
      if (e instanceof ClientError && e.detail === 'not_authorized') await this.learnPermission('read');
      throw e;
    }
  }

  /** The node's own key adds a solver over Nostr (admin-add-solver), as the reference's tools do. */
  async addSolverOverNostr(solver: string): Promise<void> {
    if (!this.admin || this.permission !== 'node') throw new ClientError('not_allowed', ct('op.needNodeKey'), '');
    await this.admin.addSolver(solver);
  }

  private async lookUpCurrency(orderId: string): Promise<void> {
    const node = this.nodePub;
    if (!this.client || !node || this.currency[orderId]) return;
    const events = await this.client.query([{ kinds: [38383], authors: [node], '#d': [orderId] }]).catch(() => []);
    const code = events.flatMap((e) => e.tags).find((t) => t[0] === 'f')?.[1];
    if (code && /^[A-Za-z]{3,5}$/.test(code)) this.currency = { ...this.currency, [orderId]: code.toUpperCase() };
  }

  private follow(t: TakenDispute): void {
    void this.lookUpCurrency(t.info.id);
    this.chats?.follow(t);
  }
}

export const consoleState = new ConsoleState();
