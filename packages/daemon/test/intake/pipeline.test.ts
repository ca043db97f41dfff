// Every drop reason of the intake (§1.7), on real events built by the protocol package and a real
// SQLite database for the processed-event ids. Each case also checks that nothing was dispatched.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  ConversationKeyCache,
  deriveTradeKey,
  generateMnemonic,
  type Message,
  newMessage,
  nobleSecp,
  type NostrEvent as ProtocolEvent,
  signEvent,
  verifyEventSignature,
  wrapMessage,
} from '@mostro/protocol';
import type { NostrEvent } from 'nostr-tools';
import { generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { type Db, openDatabase } from '../../src/db/open.ts';
import { markProcessed, pruneProcessed } from '../../src/db/processed-events.ts';
import { getUser, setLastTradeIndex } from '../../src/db/users.ts';
import { type CryptoPool, examineInPool, startCryptoPool } from '../../src/intake/crypto-pool.ts';
import { examinedSteps, examineEvent } from '../../src/intake/examine.ts';
import { MAX_FUTURE_SECONDS, processedRetentionSeconds } from '../../src/intake/freshness.ts';
import { openWith } from '../../src/intake/open.ts';
import { type IntakeDeps, runIntake } from '../../src/intake/pipeline.ts';
import { ActiveKeys, RecentIds, SenderRateLimit } from '../../src/intake/spam-gate.ts';
import { checkTradeIndex } from '../../src/intake/trade-index.ts';

const nodeSk = generateSecretKey();
const nodePk = getPublicKey(nodeSk);
const mnemonic = generateMnemonic();
const identity = deriveTradeKey(mnemonic, 0);
const trade = deriveTradeKey(mnemonic, 1);

const newOrder = (tradeIndex: number | null, withPayload = true): Message =>
  newMessage('order', {
    action: 'new-order',
    trade_index: tradeIndex,
    payload: withPayload
      ? {
          order: {
            kind: 'sell',
            status: 'pending',
            amount: 1000,
            fiat_code: 'USD',
            min_amount: null,
            max_amount: null,
            fiat_amount: 1,
            payment_method: 'cash',
            premium: 0,
            created_at: 0,
            expires_at: null,
          },
        }
      : null,
  });

// Every case twice: inline, and with the outer signature and the unwrap on the crypto workers (the
// node's default), whose verdicts the pipeline must read exactly as it computes them inline.
describe('intake pipeline (inline)', () => pipelineCases(false));
describe('intake pipeline (crypto pool)', () => pipelineCases(true));

function pipelineCases(pooled: boolean): void {
  let dir: string;
  let db: Db;
  let pool: CryptoPool | undefined;
  const run = async (event: NostrEvent, d: IntakeDeps, receivedAt?: number) =>
    pool
      ? runIntake(event, { ...d, ...examinedSteps(await examineInPool(pool, event, d.pow)) }, receivedAt)
      : runIntake(event, d, receivedAt);
  let now = Math.floor(Date.now() / 1000);
  const deps = (overrides: Partial<IntakeDeps> = {}): IntakeDeps => ({
    pow: 0,
    powFirstContact: 0,
    now: () => now,
    verifyOuter: (e) => verifyEventSignature(e as ProtocolEvent, nobleSecp),
    open: openWith({
      nodeSecretKey: nodeSk,
      nodePubkey: nodePk,
      secp: nobleSecp,
      convKeyCache: new ConversationKeyCache(),
    }),
    recentIds: new RecentIds(),
    activeKeys: new ActiveKeys(),
    markProcessed: (id) => markProcessed(db, id, now),
    checkTradeIndex: (r) => checkTradeIndex(r, getUser(db, r.identity)?.last_trade_index ?? null),
    ...overrides,
  });
  const wrap = (
    message: Message,
    options: {
      transport?: 'nip44' | 'gift-wrap';
      full?: boolean;
      signed?: boolean;
      to?: string;
      createdAt?: number;
      pow?: number;
    } = {},
  ) =>
    wrapMessage({
      transport: options.transport ?? 'nip44',
      message,
      tradeKey: trade.secretKey,
      identityKey: options.full ? null : identity.secretKey,
      recipient: options.to ?? nodePk,
      signed: options.signed ?? true,
      ...(options.createdAt ? { createdAt: options.createdAt } : {}),
      ...(options.pow ? { pow: options.pow } : {}),
    }) as NostrEvent;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'intake-'));
    db = openDatabase(join(dir, 'node.db')).db;
    if (pooled) {
      const options = {
        nodeSecretKey: nodeSk,
        nodePubkey: nodePk,
        secp: nobleSecp,
        convKeyCache: new ConversationKeyCache(),
      };
      pool = await startCryptoPool({ ...options, size: 2, inline: (e) => examineEvent(options, e) });
    }
  });
  after(async () => {
    await pool?.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts a well-formed message in both transports and both privacy modes', async () => {
    for (const transport of ['nip44', 'gift-wrap'] as const) {
      for (const full of [false, true]) {
        const r = await run(wrap(newOrder(full ? null : 1), { transport, full }), deps());
        assert.equal(r.outcome, 'accepted', `${transport} full=${full}`);
        if (r.outcome !== 'accepted') continue;
        assert.equal(r.request.transport, transport);
        assert.equal(r.request.sender, trade.publicKey);
        assert.equal(r.request.identity, full ? trade.publicKey : identity.publicKey);
        assert.equal(r.request.fullPrivacy, full);
      }
    }
  });

  const expectDrop = async (event: NostrEvent, reason: string, d: IntakeDeps = deps()) => {
    const r = await run(event, d);
    assert.equal(r.outcome, 'dropped');
    if (r.outcome === 'dropped') assert.equal(r.reason, reason);
  };

  it('drops too little proof of work', async () => {
    await expectDrop(wrap(newOrder(1)), 'insufficient_pow', deps({ pow: 12 }));
    const mined = wrap(newOrder(1), { pow: 8 });
    assert.equal((await run(mined, deps({ pow: 8 }))).outcome, 'accepted');
  });

  it('drops other kinds', async () => {
    const note = signEvent({ kind: 4, tags: [['p', nodePk]], content: 'hi', created_at: now }, trade.secretKey);
    await expectDrop(note as NostrEvent, 'wrong_kind');
  });

  it('drops a forged outer signature before any bookkeeping', async () => {
    const event = wrap(newOrder(1));
    const forged = { ...event, sig: event.sig.replace(/^./, (c) => (c === '0' ? '1' : '0')) };
    await expectDrop(forged, 'bad_outer_signature');
    assert.equal((await run(event, deps())).outcome, 'accepted', 'the genuine event was not censored');
  });

  it('drops a replay, also across restarts (persisted ids)', async () => {
    const event = wrap(newOrder(1));
    assert.equal((await run(event, deps())).outcome, 'accepted');
    await expectDrop(event, 'replayed');
    const giftWrap = wrap(newOrder(1), { transport: 'gift-wrap' });
    assert.equal((await run(giftWrap, deps())).outcome, 'accepted');
    await expectDrop(giftWrap, 'replayed', deps({ recentIds: new RecentIds() }));
  });

  it('asks first-contact proof of work of unknown kind-14 keys only', async () => {
    await expectDrop(wrap(newOrder(1)), 'first_contact_pow', deps({ powFirstContact: 10 }));
    const known = new ActiveKeys();
    known.add(trade.publicKey);
    assert.equal((await run(wrap(newOrder(1)), deps({ powFirstContact: 10, activeKeys: known }))).outcome, 'accepted');
  });

  it('drops events for someone else and malformed content', async () => {
    const other = getPublicKey(generateSecretKey());
    const misaddressed = wrap(newOrder(1), { to: other });
    const retagged = signEvent(
      { kind: 14, tags: [['p', nodePk]], content: misaddressed.content, created_at: now },
      trade.secretKey,
    );
    await expectDrop(retagged as NostrEvent, 'not_for_us');
    const junk = signEvent({ kind: 14, tags: [['p', nodePk]], content: 'not nip44', created_at: now }, trade.secretKey);
    await expectDrop(junk as NostrEvent, 'not_for_us');
  });

  it('drops messages older than 10 seconds', async () => {
    await expectDrop(wrap(newOrder(1), { createdAt: now - 11 }), 'stale');
    await expectDrop(wrap(newOrder(1), { transport: 'gift-wrap', createdAt: now - 60 }), 'stale');
  });

  it('judges freshness by arrival: a message that waited in a backlog is not stale', async () => {
    // Arrived 30 s ago, one second after it was made, and handled only now.
    const late = await run(wrap(newOrder(1), { createdAt: now - 31 }), deps(), now - 30);
    assert.equal(late.outcome, 'accepted');
    const r = await run(wrap(newOrder(1), { createdAt: now - 45 }), deps(), now - 30);
    assert.equal(r.outcome === 'dropped' && r.reason, 'stale');
  });

  it('refuses messages dated more than a minute in the future', async () => {
    await expectDrop(wrap(newOrder(1), { createdAt: now + MAX_FUTURE_SECONDS + 1 }), 'future');
    await expectDrop(wrap(newOrder(1), { createdAt: now + 365 * 86_400 }), 'future');
    await expectDrop(wrap(newOrder(1), { transport: 'gift-wrap', createdAt: now + 3600 }), 'future');
    const soon = await run(wrap(newOrder(1), { createdAt: now + MAX_FUTURE_SECONDS - 1 }), deps());
    assert.equal(soon.outcome, 'accepted');
  });

  it('refuses by age a replay of an event whose processed id was pruned', async () => {
    for (const datedAhead of [0, MAX_FUTURE_SECONDS]) {
      let t = now;
      const d = deps({ now: () => t, markProcessed: (id) => markProcessed(db, id, t) });
      const event = wrap(newOrder(1), { createdAt: t + datedAhead });
      assert.equal((await run(event, d)).outcome, 'accepted');
      t += processedRetentionSeconds() + 1;
      assert.ok(pruneProcessed(db, t - processedRetentionSeconds()) >= 1, 'the id was pruned');
      const replay = await run(event, { ...d, recentIds: new RecentIds() });
      assert.equal(replay.outcome === 'dropped' && replay.reason, 'stale', `dated +${datedAhead}s`);
    }
  });

  it('drops a reputation-mode message without a trade signature', async () => {
    await expectDrop(wrap(newOrder(1), { signed: false }), 'missing_trade_signature');
  });

  it('applies the trade-index rules', async () => {
    await expectDrop(wrap(newOrder(null)), 'zero_trade_index');
    setLastTradeIndex(db, identity.publicKey, 5, now);
    const r = await run(wrap(newOrder(3)), deps());
    assert.equal(r.outcome, 'cant-do');
    assert.equal((await run(wrap(newOrder(6)), deps())).outcome, 'accepted');
  });

  it('drops a flood from one trade key beyond its per-minute budget, and refills over time', async () => {
    let ms = 1_000_000;
    const d = deps({ rateLimit: new SenderRateLimit(3), nowMs: () => ms });
    for (let i = 0; i < 3; i++) assert.equal((await run(wrap(newOrder(null), { full: true }), d)).outcome, 'accepted');
    await expectDrop(wrap(newOrder(null), { full: true }), 'rate_limited', d);
    ms += 20_000; // one token back
    assert.equal((await run(wrap(newOrder(null), { full: true }), d)).outcome, 'accepted');
  });

  it('drops messages that fail the verify matrix', async () => {
    await expectDrop(wrap(newOrder(7, false)), 'verify_failed');
  });

  it('never throws on garbage', async () => {
    const garbage: unknown[] = [
      null,
      {},
      { id: 'x' },
      { id: 'a'.repeat(64), kind: 14 },
      { ...wrap(newOrder(1)), tags: 'no' },
    ];
    for (const g of garbage) {
      const r = await run(g as NostrEvent, deps());
      assert.equal(r.outcome, 'dropped');
    }
    now += 0;
  });
  it('0.20: a user-info without its trade signature is answered invalid_signature; other actions are dropped', async () => {
    const userInfo = newMessage('restore', { action: 'user-info', request_id: 5 });
    const r = await run(wrap(userInfo, { signed: false }), deps());
    assert.equal(r.outcome, 'cant-do');
    if (r.outcome === 'cant-do') {
      assert.equal(r.reason, 'invalid_signature');
      assert.equal(r.request.message.request_id, 5n);
    }
    await expectDrop(wrap(newOrder(1), { signed: false }), 'missing_trade_signature');
    assert.equal((await run(wrap(userInfo), deps())).outcome, 'accepted');
  });

  it('0.20: Message::verify — user-info outside the restore wrapper is dropped', async () => {
    const inOrder = newMessage('order', { action: 'user-info' });
    await expectDrop(wrap(inOrder), 'verify_failed');
  });

  it('0.20: a malformed reputation export/import in the order wrapper is answered (invalid_action: not offered)', async () => {
    for (const action of ['export-reputation', 'import-reputation'] as const) {
      const r = await run(wrap(newMessage('order', { action, payload: { text_message: 'x' } })), deps());
      assert.equal(r.outcome, 'cant-do', action);
      if (r.outcome === 'cant-do') assert.equal(r.reason, 'invalid_action');
    }
    const withId = newMessage('order', { action: 'import-reputation', id: '308e1272-d5f4-47e6-bd97-3504baea9c23' });
    await expectDrop(wrap(withId), 'verify_failed');
  });

  it('0.20: when the node offers the feature, a malformed reputation request is answered invalid_payload', async () => {
    const offered = deps({ reputationOffered: (action) => action === 'import-reputation' });
    const bad = (action: 'export-reputation' | 'import-reputation') =>
      runIntake(wrap(newMessage('order', { action, payload: { text_message: 'x' } })), offered);
    const imp = await bad('import-reputation');
    assert.ok(imp.outcome === 'cant-do' && imp.reason === 'invalid_payload');
    const exp = await bad('export-reputation');
    assert.ok(exp.outcome === 'cant-do' && exp.reason === 'invalid_action', 'export is not offered here');
    const good = newMessage('order', { action: 'import-reputation', payload: { reputation_attestation: '{}' } });
    assert.equal((await runIntake(wrap(good), offered)).outcome, 'accepted');
  });
  it('0.20: maintenance refuses new-order/take-* with maintenance_mode before the trade-index check; other actions pass', async () => {
    const d = deps({ maintenance: () => true, checkTradeIndex: () => assert.fail('trade index checked') });
    const r = await run(wrap(newOrder(1)), d);
    assert.equal(r.outcome, 'cant-do');
    if (r.outcome === 'cant-do') assert.equal(r.reason, 'maintenance_mode');
    const cancel = newMessage('order', { action: 'cancel', id: '308e1272-d5f4-47e6-bd97-3504baea9c23' });
    const c = await run(wrap(cancel), deps({ maintenance: () => true }));
    assert.equal(c.outcome, 'accepted', JSON.stringify(c.outcome === 'cant-do' ? c.reason : c));
    const open = await run(wrap(newOrder(1)), deps({ maintenance: () => false }));
    assert.ok(open.outcome !== 'cant-do' || open.reason !== 'maintenance_mode');
  });
}
