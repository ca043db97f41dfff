// Acceptance on the simulator: one mostrod process (embedded relay, simulated Lightning) and an
// observer subscribed to everything on its relay from the start. Twelve trades — sell / buy ×
// fixed / market / range × reputation / full private — played by SDK users, the two privacy modes
// in parallel; then a privacy audit over the observer's log and the node's database.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sharedSecret } from '@mostro/protocol';
import { bytesToHex } from '@noble/hashes/utils.js';
import {
  chatOpenedBy,
  dbContaining,
  decryptForNode,
  eventsContaining,
  publicKeyForms,
  secretKeyForms,
  sharedHighEntropyValues,
} from './support/audit.ts';
import { type Mostrod, simulatedLn, startMostrod } from './support/mostrod.ts';
import { RelayObserver } from './support/observer.ts';
import { cleanup, onCleanup, tempDir } from './support/processes.ts';
import { type SdkUser, sdkUser } from './support/sdk-user.ts';
import { type Pricing, playTrade, type TradeOutcome } from './support/trade-script.ts';

const PRICINGS: Pricing[] = ['fixed', 'market', 'range'];
const KINDS = ['sell', 'buy'] as const;

describe('acceptance on the simulator: trade matrix and privacy audit', () => {
  let node: Mostrod;
  let observer: RelayObserver;
  const users: Record<'alice' | 'bob' | 'carol' | 'dave', SdkUser> = {} as never;
  const outcomes: (TradeOutcome & { mode: string; label: string })[] = [];

  before(async () => {
    node = await startMostrod(join(tempDir('mostro-e2e-matrix'), 'node'));
    observer = new RelayObserver(node.relay);
    await observer.start();
    onCleanup(() => observer.close());
    const mk = async (name: keyof typeof users, privacy: 'reputation' | 'full-private') => {
      const u = await sdkUser(name, { relays: [node.relay], node: node.pubkey, privacy, walletUrl: node.wallet });
      await u.wallet?.fund(5_000_000);
      onCleanup(() => u.close());
      users[name] = u;
    };
    await Promise.all([
      mk('alice', 'reputation'),
      mk('bob', 'reputation'),
      mk('carol', 'full-private'),
      mk('dave', 'full-private'),
    ]);
  });
  after(async () => {
    if (outcomes.length < 12) console.error(`--- mostrod output (tail):\n${node?.proc.output().slice(-6000)}`);
    await cleanup();
  });

  describe('the matrix: sell / buy × fixed / market / range, each privacy mode in parallel', { concurrency: 2 }, () => {
    for (const [mode, maker, taker] of [
      ['reputation', 'alice', 'bob'],
      ['full private', 'carol', 'dave'],
    ] as const) {
      it(`${mode}: six trades`, async (t) => {
        const ln = simulatedLn(node.wallet as string);
        for (const kind of KINDS)
          for (const pricing of PRICINGS)
            await t.test(`${kind} ${pricing}`, async () => {
              const label = `${mode}/${kind}/${pricing}`;
              const o = await playTrade({
                kind,
                pricing,
                maker: users[maker],
                taker: users[taker],
                ln,
                tag: `[chat ${label} ${crypto.randomUUID()}]`,
              });
              outcomes.push({ ...o, mode, label });
            });
      });
    }
  });

  describe('privacy audit', () => {
    const events = () => observer.all();
    const nodeReceived = () => decryptForNode(events(), node.secretKey(), node.pubkey);

    before(() => {
      assert.equal(outcomes.length, 12, 'the audit covers the twelve trades');
    });

    it('the observer saw the trades: order events, requests to the node, replies, chat', () => {
      const kinds = new Set(events().map((e) => e.kind));
      for (const k of [38383, 38385, 14]) assert.ok(kinds.has(k), `kind ${k} on the relay`);
      const actions = new Set(nodeReceived().map((m) => m.action));
      for (const a of ['new-order', 'take-sell', 'take-buy', 'add-invoice', 'fiat-sent', 'release', 'rate-user'])
        assert.ok(actions.has(a), `the node received ${a}`);
    });

    it('no identity key (index 0) of any user appears in any event, tag or plaintext on the relay', () => {
      const needles = Object.values(users).flatMap((u) => publicKeyForms(u.session.identity().publicKey));
      assert.deepEqual(eventsContaining(events(), needles), []);
      // Reputation users do prove their identity, but only inside the encrypted content to the node.
      const rep = nodeReceived().filter((m) => m.identity === users.alice.session.identity().publicKey);
      assert.ok(rep.length > 0, 'the node (and only it) learns the reputation identity');
      const fp = [users.carol, users.dave].map((u) => u.session.identity().publicKey);
      assert.ok(
        nodeReceived().every((m) => !fp.some((id) => m.text.includes(id))),
        'not even the node sees a full-private identity',
      );
    });

    it('every order uses a trade key its user never used before', () => {
      for (const u of Object.values(users)) {
        const trades = u.client.trades();
        const keys = trades.map((t) => u.session.key(t.tradeIndex).publicKey);
        assert.equal(new Set(keys).size, keys.length, `${u.name}: one key per order`);
        assert.ok(!keys.includes(u.session.identity().publicKey), `${u.name}: never the identity key`);
        // Each key's first appearance on the relay is its own order's first message.
        for (const t of trades) {
          const pub = u.session.key(t.tradeIndex).publicKey;
          const authored = events().filter((e) => e.pubkey === pub || e.tags.some((x) => x[1] === pub));
          assert.ok(authored.length > 0, `${u.name}: key #${t.tradeIndex} was used`);
        }
      }
      const db = node.openDb();
      try {
        const rows = db.prepare('SELECT id, buyer_pubkey, seller_pubkey FROM orders').all() as {
          id: string;
          buyer_pubkey: string | null;
          seller_pubkey: string | null;
        }[];
        const keys = rows.flatMap((r) => [r.buyer_pubkey, r.seller_pubkey]).filter((k): k is string => k !== null);
        assert.equal(new Set(keys).size, keys.length, 'no trade key in two orders');
      } finally {
        db.close();
      }
    });

    it('messages on the v2 transport carry real time, never the future (gift-wrap tweak: see gift-wrap.e2e)', () => {
      for (const e of events()) {
        assert.ok(
          e.created_at <= (observer.receivedAt.get(e.id) as number) + 5,
          `event ${e.id} is not from the future`,
        );
      }
      const wraps = events().filter((e) => e.kind === 1059);
      assert.equal(new Set(wraps.map((e) => e.pubkey)).size, wraps.length, 'any gift wrap key is one-time');
    });

    it('for a full-private user, nothing in the node database links two of its orders', () => {
      const db = node.openDb();
      try {
        for (const u of [users.carol, users.dave]) {
          const keys = new Set(u.client.trades().map((t) => u.session.key(t.tradeIndex).publicKey));
          const rows = (db.prepare('SELECT * FROM orders').all() as Record<string, unknown>[]).filter(
            (r) => keys.has(r.buyer_pubkey as string) || keys.has(r.seller_pubkey as string),
          );
          assert.ok(rows.length >= 6, `${u.name}: its orders are in the database (${rows.length})`);
          for (const r of rows) {
            const side = keys.has(r.buyer_pubkey as string) ? 'buyer' : 'seller';
            assert.equal(r[`master_${side}_pubkey`], null, `${u.name}: no identity on order ${r.id}`);
            // A range child carries the index its maker announced with next_trade (the wire
            // format has no way to leave it out); any other order of this user has none.
            if (r.range_parent_id === null)
              assert.equal(r[`trade_index_${side}`], null, `${u.name}: no trade index on order ${r.id}`);
          }
          const identity = u.session.identity().publicKey;
          assert.equal(
            (db.prepare('SELECT count(*) AS n FROM users WHERE pubkey = ?').get(identity) as { n: number }).n,
            0,
            `${u.name}: no users row for its identity`,
          );
          const inUsers = db
            .prepare(`SELECT count(*) AS n FROM users WHERE pubkey IN (${[...keys].map(() => '?').join(',')})`)
            .get(...keys) as { n: number };
          assert.equal(inUsers.n, 0, `${u.name}: no users row for its trade keys`);
          // Range children are made by the node from the parent (the maker announced the next key
          // inside that trade): parent and child are one lineage, the link the node itself created.
          const lineage = (r: Record<string, unknown>) => (r.range_parent_id as string | null) ?? (r.id as string);
          const byLineage = new Map<string, Record<string, unknown>>();
          for (const r of rows) if (!byLineage.has(lineage(r))) byLineage.set(lineage(r), r);
          const shared = sharedHighEntropyValues([...byLineage.values()], new Set(['range_parent_id']));
          assert.deepEqual(shared, [], `${u.name}: no value shared by two of its orders`);
          assert.deepEqual(dbContaining(db, [], publicKeyForms(identity)), [], `${u.name}: identity nowhere`);
        }
      } finally {
        db.close();
      }
    });

    it('the node database holds no chat key and the relay holds no chat plaintext', () => {
      const chatKeys: string[] = [];
      for (const o of outcomes) {
        const conv = o.seller.chat.conversation(o.sellerTrade, 'peer').channel.current;
        assert.ok(conv?.sign, 'a current-format chat');
        chatKeys.push(bytesToHex(conv.conv.secretKey), bytesToHex(conv.sign.secretKey));
        const mine = o.seller.session.key(o.sellerTrade.tradeIndex);
        chatKeys.push(bytesToHex(sharedSecret(mine.secretKey, o.sellerTrade.counterpartyPubkey as string)));
      }
      const db = node.openDb();
      try {
        const files = ['mostro.db', 'mostro.db-wal', 'relay.db', 'relay.db-wal'].map((f) => join(node.dataDir, f));
        assert.deepEqual(dbContaining(db, files, chatKeys), []);
      } finally {
        db.close();
      }
      const texts = outcomes.flatMap((o) => o.chat);
      assert.deepEqual(eventsContaining(events(), texts), []);
      // Nor in the relay's own store or the node's files (the node never sees the chat at all).
      const db2 = node.openDb();
      try {
        const files = ['mostro.db', 'mostro.db-wal', 'relay.db', 'relay.db-wal'].map((f) => join(node.dataDir, f));
        assert.deepEqual(dbContaining(db2, files, texts), []);
      } finally {
        db2.close();
      }
      assert.deepEqual(eventsContaining(events(), ['hello', 'fiat on its way']), []);
    });

    it("a solver given one trade's chat key decrypts exactly that trade's chat and nothing else", () => {
      for (const o of outcomes) {
        const conv = o.buyer.chat.conversation(o.buyerTrade, 'peer').channel.current;
        assert.ok(conv);
        const opened = chatOpenedBy(events(), conv.conv.secretKey);
        assert.deepEqual(opened.sort(), [...o.chat].sort(), o.label);
      }
    });

    it('no private key of any index appears in any message a client sent', () => {
      const received = nodeReceived();
      assert.ok(received.length >= 12 * 5, `decrypted what the node received (${received.length} messages)`);
      const needles: string[] = [];
      for (const u of Object.values(users)) {
        for (let i = 0; i <= u.session.data.lastTradeIndex + 2; i++)
          needles.push(...secretKeyForms(u.session.key(i).secretKey));
        needles.push(u.session.revealMnemonic());
      }
      const leaks = received.flatMap((m) =>
        needles.filter((n) => m.text.includes(n)).map((n) => `${m.action}: ${n.slice(0, 8)}…`),
      );
      assert.deepEqual(leaks, []);
      // And nothing anywhere on the relay either (chat content included, decrypted).
      assert.deepEqual(eventsContaining(events(), needles), []);
    });
  });
});
