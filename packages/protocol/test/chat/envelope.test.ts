import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getEventHash } from 'nostr-tools/pure';
import {
  type ChatChannel,
  ChatReceiver,
  channelFromKey,
  chatChannel,
  createInner,
  MemorySeenStore,
  openChat,
  sharedSecret,
  wrapChat,
  wrapLegacyChat,
} from '../../src/chat/index.ts';
import { type NostrEvent, nip44Encrypt, signEvent, wasmSecp } from '../../src/crypto/index.ts';
import { deriveTradeKey } from '../../src/keys/index.ts';

const M1 = 'leader monkey parrot ring guide accident before fence cannon height naive bean';
const buyer = deriveTradeKey(M1, 1);
const seller = deriveTradeKey(M1, 2);
const solver = deriveTradeKey(M1, 3);
const stranger = deriveTradeKey(M1, 4);
const parties = [buyer.publicKey, seller.publicKey];
const T = 1_800_000_000;

const buyerSide = chatChannel(sharedSecret(buyer.secretKey, seller.publicKey));
const sellerSide = chatChannel(sharedSecret(seller.secretKey, buyer.publicKey), wasmSecp);

/** Outer kind 14 around an arbitrary inner object, for building hostile events. */
function envelope(ch: ChatChannel, inner: unknown, over: Partial<NostrEvent> = {}): NostrEvent {
  const c = ch.current!;
  return signEvent(
    {
      kind: over.kind ?? 14,
      created_at: over.created_at ?? T,
      tags: over.tags ?? [['p', c.conv.publicKey]],
      content: over.content ?? nip44Encrypt(typeof inner === 'string' ? inner : JSON.stringify(inner), c.nip44Key),
    },
    c.sign!.secretKey,
  );
}

const open = (ev: unknown, ch: ChatChannel = sellerSide, now = T) => openChat(ev, ch, { allowedSigners: parties, now });
const reason = (r: ReturnType<typeof openChat>) => (r.ok ? 'ok' : r.reason);

describe('chat, current format (§8.2, V6 mobile envelope)', () => {
  it('round trip: kind 14 by pub(K_sign), single p = pub(K_conv), times equal, u nonce tag', () => {
    const ev = wrapChat(buyerSide, { text: 'hola 👋', senderKey: buyer.secretKey, createdAt: T });
    assert.equal(ev.kind, 14);
    assert.equal(ev.pubkey, buyerSide.current!.sign!.publicKey);
    assert.deepEqual(ev.tags, [['p', buyerSide.current!.conv.publicKey]]);
    assert.equal(ev.created_at, T);
    const r = open(ev);
    assert.ok(r.ok);
    assert.equal(r.message.text, 'hola 👋');
    assert.equal(r.message.author, buyer.publicKey);
    assert.equal(r.message.createdAt, T);
    assert.equal(r.message.format, 'current');
    assert.equal(r.message.outerId, ev.id);
    const u = r.message.inner.tags.filter((t) => t[0] === 'u');
    assert.equal(u.length, 1);
    assert.match(u[0]![1]!, /^[0-9a-f]{16}$/);
    // same text, same second ⇒ different inner ids
    const ev2 = wrapChat(buyerSide, { text: 'hola 👋', senderKey: buyer.secretKey, createdAt: T });
    const r2 = open(ev2);
    assert.ok(r2.ok);
    assert.notEqual(r2.message.innerId, r.message.innerId);
  });

  it('PoW on the outer event', async () => {
    const { getPow } = await import('nostr-tools/nip13');
    const ev = wrapChat(buyerSide, { text: 'x', senderKey: buyer.secretKey, createdAt: T, pow: 8 });
    assert.ok(getPow(ev.id) >= 8);
    assert.ok(open(ev).ok);
  });

  it('rejections, each with its reason', () => {
    const good = createInner('hi', buyer.secretKey, T);
    const other = chatChannel(sharedSecret(buyer.secretKey, stranger.publicKey));
    // other author (another conversation's K_sign, but our p tag and our K_conv)
    const foreignAuthor = signEvent(
      {
        kind: 14,
        created_at: T,
        tags: [['p', sellerSide.current!.conv.publicKey]],
        content: nip44Encrypt(JSON.stringify(good), sellerSide.current!.nip44Key),
      },
      other.current!.sign!.secretKey,
    );
    assert.equal(reason(open(foreignAuthor)), 'wrong_author');
    assert.equal(
      reason(open(envelope(buyerSide, good, { kind: 1059 }), { ...sellerSide, legacy: null })),
      'wrong_kind',
    );
    assert.equal(
      reason(
        open(
          envelope(buyerSide, good, {
            tags: [
              ['p', buyerSide.current!.conv.publicKey],
              ['p', buyer.publicKey],
            ],
          }),
        ),
      ),
      'wrong_p_tag',
    );
    assert.equal(reason(open(envelope(buyerSide, good, { tags: [] }))), 'wrong_p_tag');
    assert.equal(reason(open(envelope(buyerSide, good, { tags: [['p', buyer.publicKey]] }))), 'wrong_p_tag');
    // extra non-p tags are fine
    assert.equal(
      reason(
        open(
          envelope(buyerSide, good, {
            tags: [
              ['p', buyerSide.current!.conv.publicKey],
              ['expiration', '1'],
            ],
          }),
        ),
      ),
      'ok',
    );
    assert.equal(
      reason(open(envelope(buyerSide, createInner('hi', buyer.secretKey, T + 61), { created_at: T + 61 }))),
      'future_event',
    );
    assert.equal(reason(open(envelope(buyerSide, good, { created_at: T + 60 }))), 'ok');
    assert.equal(reason(open(envelope(buyerSide, good, { content: 'A'.repeat(65537) }))), 'too_large');
    const ok = envelope(buyerSide, good);
    assert.equal(reason(open({ ...ok, content: `${ok.content.slice(0, -4)}AAAA` })), 'bad_outer_signature'); // id ≠ content
    assert.equal(
      reason(open({ ...ok, sig: ok.sig.replace(/^./, (c) => (c === '0' ? '1' : '0')) })),
      'bad_outer_signature',
    );
    assert.equal(reason(open(envelope(buyerSide, good, { content: 'AgAAAA' }))), 'decrypt_failed');
    assert.equal(reason(open(envelope(buyerSide, 'not json'))), 'malformed_inner');
    const { sig: _s, ...noSig } = good;
    assert.equal(reason(open(envelope(buyerSide, noSig))), 'malformed_inner');
    assert.equal(reason(open(envelope(buyerSide, { ...good, content: 'edited' }))), 'bad_inner_signature'); // inner id ≠ content
    const forgedId = { ...good, content: 'edited', id: getEventHash({ ...good, content: 'edited' }) };
    assert.equal(reason(open(envelope(buyerSide, forgedId))), 'bad_inner_signature');
    assert.equal(reason(open(envelope(buyerSide, createInner('hi', stranger.secretKey, T)))), 'signer_not_allowed');
    const kind7 = signEvent({ kind: 7, created_at: T, tags: [], content: '+' }, buyer.secretKey);
    assert.equal(reason(open(envelope(buyerSide, kind7))), 'wrong_inner_kind');
    assert.equal(reason(open(envelope(buyerSide, createInner('hi', buyer.secretKey, T - 61)))), 'time_skew');
    assert.equal(reason(open(envelope(buyerSide, createInner('hi', buyer.secretKey, T - 60)))), 'ok');
    assert.equal(reason(open({ kind: 14 })), 'not_an_event');
    assert.equal(reason(open(null)), 'not_an_event');
  });

  it("another trade's key decrypts nothing", () => {
    const ev = wrapChat(buyerSide, { text: 'secret', senderKey: buyer.secretKey, createdAt: T });
    const otherTrade = chatChannel(sharedSecret(buyer.secretKey, stranger.publicKey));
    assert.equal(reason(open(ev, otherTrade)), 'wrong_author');
    // Even ignoring the author and p tag (read-only channel with a wrong K_conv and forged p), decryption fails.
    const ro = channelFromKey(otherTrade.current!.conv.secretKey);
    const retagged = signEvent(
      { ...ev, tags: [['p', ro.current!.conv.publicKey]] },
      buyerSide.current!.sign!.secretKey,
    );
    assert.equal(reason(open(retagged, { current: ro.current, legacy: null })), 'decrypt_failed');
  });

  it('solver channel (§8.4): party trade key and solver key are the allowed signers', () => {
    const partySide = chatChannel(sharedSecret(buyer.secretKey, solver.publicKey));
    const solverSide = chatChannel(sharedSecret(solver.secretKey, buyer.publicKey));
    const allowed = [buyer.publicKey, solver.publicKey];
    const fromSolver = wrapChat(solverSide, { text: 'solver here', senderKey: solver.secretKey, createdAt: T });
    const r = openChat(fromSolver, partySide, { allowedSigners: allowed, now: T });
    assert.ok(r.ok && r.message.author === solver.publicKey);
    const fromSeller = wrapChat(solverSide, { text: 'impostor', senderKey: seller.secretKey, createdAt: T });
    assert.equal(reason(openChat(fromSeller, partySide, { allowedSigners: allowed, now: T })), 'signer_not_allowed');
    // the peer channel and the admin channel are distinct
    assert.notEqual(partySide.current!.sign!.publicKey, buyerSide.current!.sign!.publicKey);
  });

  it('ChatReceiver: outer dedup, durable inner replay store, rate budget', () => {
    let now = T;
    const seen = new MemorySeenStore();
    const rx = new ChatReceiver({
      channel: sellerSide,
      allowedSigners: parties,
      seen,
      clock: () => now,
      burst: 3,
      ratePerMinute: 60,
    });
    const ev = wrapChat(buyerSide, { text: 'one', senderKey: buyer.secretKey, createdAt: T });
    assert.equal(reason(rx.receive(ev)), 'ok');
    assert.equal(reason(rx.receive(ev)), 'duplicate_event');
    // either party holds K_sign: a re-wrap of the same inner event under a new outer id is a replay
    const r = openChat(ev, sellerSide, { allowedSigners: parties, now: T });
    assert.ok(r.ok);
    const rewrapped = envelope(sellerSide, r.message.inner, { created_at: T + 1 });
    assert.notEqual(rewrapped.id, ev.id);
    assert.equal(reason(rx.receive(rewrapped)), 'replayed_inner');
    // a new receiver sharing the durable store still refuses it (restart)
    const rx2 = new ChatReceiver({ channel: sellerSide, allowedSigners: parties, seen, clock: () => now });
    assert.equal(reason(rx2.receive(rewrapped)), 'replayed_inner');
    // budget: burst 3; the duplicate was refused at step 5, before spending (ev, rewrapped, more = 3)
    const more = wrapChat(buyerSide, { text: 'two', senderKey: buyer.secretKey, createdAt: T });
    assert.equal(reason(rx.receive(more)), 'ok');
    const more2 = wrapChat(buyerSide, { text: 'three', senderKey: buyer.secretKey, createdAt: T });
    assert.equal(reason(rx.receive(more2)), 'rate_limited');
    now += 1;
    assert.equal(reason(rx.receive(more2)), 'ok');
  });
});

describe('chat, legacy format (§8.3)', () => {
  it('round trip: kind 1059, one-time key, p = shared pub, time moved back < 2 days', () => {
    const ev = wrapLegacyChat(buyerSide, { text: 'legacy hi', senderKey: buyer.secretKey, createdAt: T });
    assert.equal(ev.kind, 1059);
    assert.deepEqual(ev.tags, [['p', buyerSide.legacy!.publicKey]]);
    assert.ok(ev.created_at <= T && ev.created_at > T - 172800);
    assert.notEqual(ev.pubkey, buyer.publicKey);
    const r = open(ev);
    assert.ok(r.ok);
    assert.equal(r.message.format, 'legacy');
    assert.equal(r.message.text, 'legacy hi');
    assert.equal(r.message.author, buyer.publicKey);
    const ev2 = wrapLegacyChat(buyerSide, { text: 'legacy hi', senderKey: buyer.secretKey, createdAt: T });
    assert.notEqual(ev2.pubkey, ev.pubkey);
    // a read-only channel built from the disclosed shared key reads it too
    assert.ok(open(ev, channelFromKey(buyerSide.legacy!.secretKey)).ok);
    // wrong key / wrong signer
    assert.equal(reason(open(ev, chatChannel(sharedSecret(buyer.secretKey, stranger.publicKey)))), 'decrypt_failed');
    const bad = wrapLegacyChat(buyerSide, { text: 'x', senderKey: stranger.secretKey, createdAt: T });
    assert.equal(reason(open(bad)), 'signer_not_allowed');
  });
});
