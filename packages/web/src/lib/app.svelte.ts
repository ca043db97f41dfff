// The app's one state object: config, session (sealed in IndexedDB), the SDK client and relay pool,
// the live order book, trades, chats and notifications. Screens read it and call its methods;
// nothing here renders. Data from the SDK is kept in $state.raw snapshots (the SDK owns its objects).
import {
  ClientError,
  discoverNodes,
  IndexedDbSessionStore,
  MostroClient,
  type NodeInfo,
  OrderBook,
  type OrderBookEntry,
  type PrivacyMode,
  Session,
  type TradeRecord,
} from '@mostro/client';
import type { RelayPool } from '@mostro/nostr';
import { browserRelayPool } from '@mostro/nostr/browser';
import { ChatHub } from './chat.svelte.ts';
import { type AppConfig, loadConfig, loadPrefs, type Prefs, savePrefs } from './config.ts';
import { type Lang, lang, setLang, t } from './i18n.svelte.ts';
import { randomWalletName, SimWallet } from './wallet.ts';

/** 64 MiB scrypt: the vault's cost in a browser tab (the CLI uses 128 MiB). */
export const WEB_SCRYPT = { N: 2 ** 16, r: 8, p: 1 };

export type Phase = 'loading' | 'welcome' | 'locked' | 'ready';

export interface Note {
  id: number;
  orderId: string | null;
  text: string;
  at: number;
  read: boolean;
}

export function errorText(e: unknown): string {
  if (e instanceof ClientError) {
    const refusal = e.code === 'cant_do' && e.detail ? t(`refusal.${e.detail}`) : null;
    if (refusal && refusal !== `refusal.${e.detail}`) return refusal;
    const text = t(`err.${e.code}`, { detail: String(e.detail ?? ''), message: e.message });
    return text === `err.${e.code}` ? e.message : text;
  }
  return e instanceof Error ? e.message : String(e);
}

/** The browser lets this page show notifications (the person said yes when asked). */
export function browserNotificationsAllowed(): boolean {
  return typeof Notification !== 'undefined' && Notification.permission === 'granted';
}

class AppState {
  phase = $state<Phase>('loading');
  config = $state.raw<AppConfig | null>(null);
  prefs = $state.raw<Prefs>({});
  info = $state.raw<NodeInfo | null>(null);
  infoError = $state<string | null>(null);
  relayStatus = $state.raw<Record<string, string>>({});
  book = $state.raw<OrderBookEntry[]>([]);
  bookLoaded = $state(false);
  trades = $state.raw<TradeRecord[]>([]);
  notes = $state.raw<Note[]>([]);
  privacy = $state<PrivacyMode>('reputation');

  session: Session | null = null;
  client: MostroClient | null = null;
  // Reactive: switching to another node removes the simulated wallet (and its nav link).
  wallet = $state.raw<SimWallet | null>(null);
  readonly chat = new ChatHub(this);
  private store: IndexedDbSessionStore | null = null;
  private pool: RelayPool | null = null;
  private bookSub: { close(): void } | null = null;
  private watchSub: { close(): void } | null = null;
  private orderBook = new OrderBook({ status: 'pending' });
  private lockTimer: ReturnType<typeof setTimeout> | null = null;
  private noteId = 0;

  async init(): Promise<void> {
    this.prefs = loadPrefs();
    setLang(this.prefs.lang ?? (navigator.language.startsWith('es') ? 'es' : 'en'));
    this.config = await loadConfig(this.prefs);
    this.setUpWallet();
    this.store = new IndexedDbSessionStore();
    this.connect();
    this.phase = (await this.store.read()) === null ? 'welcome' : 'locked';
  }

  setPrefs(p: Partial<Prefs>): void {
    this.prefs = { ...this.prefs, ...p };
    savePrefs(this.prefs);
    if (p.lang) setLang(p.lang as Lang);
  }

  private setUpWallet(): void {
    this.wallet = null;
    if (!this.config?.simulated || !this.config.wallet) return;
    let name = this.prefs.walletName;
    if (!name) {
      name = randomWalletName();
      this.setPrefs({ walletName: name });
    }
    this.wallet = new SimWallet(this.config.wallet, name);
  }

  /** Switches to another node and its relays; the choice is kept for the next visit. */
  useNode(node: string, relays: string[]): Promise<void> {
    this.setPrefs({ node, relays });
    return this.reconnect();
  }

  /** Back to the node that served this page (/config.json). */
  useServedNode(): Promise<void> {
    const { node: _node, relays: _relays, ...rest } = this.prefs;
    this.prefs = rest;
    savePrefs(rest);
    return this.reconnect();
  }

  /**
   * Starts over on the node the preferences name, without a reload: relays, book, info, watch and
   * chats are rebuilt; an open session stays open.
   */
  private async reconnect(): Promise<void> {
    this.watchSub?.close();
    this.watchSub = null;
    this.chat.closeAll();
    this.bookSub?.close();
    this.bookSub = null;
    this.pool?.close();
    this.pool = null;
    this.client = null;
    this.orderBook = new OrderBook({ status: 'pending' });
    this.book = [];
    this.bookLoaded = false;
    this.info = null;
    this.infoError = null;
    this.relayStatus = {};
    this.config = await loadConfig(this.prefs);
    this.setUpWallet();
    this.connect();
    if (this.session) {
      this.makeClient();
      await this.rewatch();
    }
  }

  /** The nodes that announce themselves (kind 38385) on `relays`, asked through a pool of their own. */
  async findNodes(relays: string[]): Promise<NodeInfo[]> {
    const pool = browserRelayPool({ relays, connectTimeoutMs: 5000 });
    try {
      return await discoverNodes(pool, { timeoutMs: 8000 });
    } finally {
      pool.close();
    }
  }

  /** Relays and the public order book work without a session. */
  private connect(): void {
    const cfg = this.config;
    if (!cfg || cfg.relays.length === 0 || !cfg.nodeHex) return;
    this.pool = browserRelayPool({ relays: cfg.relays, connectTimeoutMs: 5000 });
    this.relayStatus = this.pool.statuses();
    this.pool.onStatus(() => {
      if (this.pool) this.relayStatus = this.pool.statuses();
    });
    // The book's subscription lives as long as the page (it needs no session).
    this.bookSub = this.orderBook.subscribe(this.pool, cfg.nodeHex, {
      onLoad: () => {
        this.book = this.orderBook.entries();
        this.bookLoaded = true;
      },
      onChange: () => {
        this.book = this.orderBook.entries();
      },
    });
    void this.loadInfo();
  }

  async loadInfo(): Promise<void> {
    const c = this.readOnlyClient();
    if (!c) return;
    try {
      this.info = await c.info(true);
      this.infoError = null;
    } catch (e) {
      this.infoError = errorText(e);
    }
  }

  /** A client without a session, for public reads (info). */
  private readOnlyClient(): MostroClient | null {
    if (this.client) return this.client;
    if (!this.pool || !this.config) return null;
    return new MostroClient({
      session: null as unknown as Session,
      pool: this.pool,
      node: this.config.nodeHex,
      privacy: 'reputation',
      timeoutMs: 8000,
    });
  }

  // ── Identity ────────────────────────────────────────────────────────────────────────────────

  async createSession(passphrase: string, privacy: PrivacyMode, mnemonic?: string): Promise<Session> {
    if (!this.store) throw new Error('not initialized');
    const s = await Session.create(this.store, passphrase, {
      privacy,
      overwrite: true,
      scrypt: WEB_SCRYPT,
      ...(mnemonic !== undefined ? { mnemonic } : {}),
    });
    return s;
  }

  /** Opens the session after the user confirmed the backup (or imported). */
  async start(session: Session): Promise<void> {
    this.session = session;
    this.privacy = this.prefs.privacy ?? session.privacy;
    this.makeClient();
    this.phase = 'ready';
    this.touch();
    this.refreshTrades();
    await this.rewatch();
  }

  private makeClient(): void {
    if (!this.session || !this.pool || !this.config) return;
    this.client = new MostroClient({
      session: this.session,
      pool: this.pool,
      node: this.config.nodeHex,
      privacy: this.privacy,
      timeoutMs: 20_000,
    });
  }

  setPrivacy(p: PrivacyMode): void {
    this.privacy = p;
    this.setPrefs({ privacy: p });
    this.makeClient();
  }

  async unlock(passphrase: string): Promise<void> {
    if (!this.store) throw new Error('not initialized');
    const s = await Session.open(this.store, passphrase);
    await this.start(s);
  }

  lock(): void {
    this.watchSub?.close();
    this.watchSub = null;
    this.chat.closeAll();
    this.session = null;
    this.client = null;
    this.trades = [];
    this.phase = 'locked';
    if (this.lockTimer) clearTimeout(this.lockTimer);
  }

  async forget(): Promise<void> {
    this.lock();
    await this.store?.clear();
    this.phase = 'welcome';
  }

  /** Any activity postpones the automatic lock. */
  touch(): void {
    if (this.phase !== 'ready') return;
    if (this.lockTimer) clearTimeout(this.lockTimer);
    this.lockTimer = setTimeout(() => this.lock(), (this.prefs.lockMinutes ?? 10) * 60_000);
  }

  // ── Trades ──────────────────────────────────────────────────────────────────────────────────

  refreshTrades(): void {
    // A session may hold trades on several nodes; the app shows the ones on the node in use.
    const node = this.config?.nodeHex;
    this.trades = this.client
      ? this.client
          .trades()
          .filter((t) => t.nodePubkey === node)
          .map((t) => ({ ...t }))
      : [];
    this.chat.sync(this.trades);
  }

  trade(id: string): TradeRecord | undefined {
    return this.trades.find((t) => t.orderId === id);
  }

  /** Follows every trade the node may still write to; restarted after every action. */
  async rewatch(): Promise<void> {
    if (!this.client) return;
    this.watchSub?.close();
    this.watchSub = await this.client.watch((trade, step) => {
      // Every (re)watch replays the messages of the trades it follows: nothing changed, nothing to
      // show again or tell again (the trades are refreshed once the watch is up, below).
      if (step.replayed) return;
      this.refreshTrades();
      // The SDK words each step in English; other languages get the trade's new status in theirs.
      const text = lang() === 'en' ? step.summary : `${t(`trade.title.${trade.side}`)}: ${t(`status.${trade.status}`)}`;
      this.notify(trade.orderId, text);
    });
    this.refreshTrades();
  }

  notify(orderId: string | null, text: string): void {
    const note: Note = { id: ++this.noteId, orderId, text, at: Date.now(), read: false };
    this.notes = [note, ...this.notes].slice(0, 200);
    if (this.prefs.browserNotifications && browserNotificationsAllowed() && document.hidden) {
      const shown = new Notification('Mostro', { body: text, tag: `mostro-${note.at}-${note.id}` });
      // A click brings the person to the trade the event is about.
      shown.onclick = () => {
        window.focus();
        if (orderId) location.hash = `#/trade/${orderId}`;
      };
    }
  }

  markNotesRead(): void {
    if (!this.notes.some((n) => !n.read)) return;
    this.notes = this.notes.map((n) => ({ ...n, read: true }));
  }

  /** Runs an SDK action, refreshes the trades and restarts the watch. */
  async act<T>(fn: (c: MostroClient) => Promise<T>): Promise<T> {
    if (!this.client) throw new Error(t('err.locked'));
    this.touch();
    try {
      return await fn(this.client);
    } finally {
      this.refreshTrades();
      void this.rewatch();
    }
  }
}

export const app = new AppState();
