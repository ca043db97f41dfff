// Trade chat over an in-memory relay: writes the current format, reads the current and the legacy
// format, refuses replays and strangers, and hands K_conv over so a solver can read (not write).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  chatChannel,
  type NostrEvent,
  nip44Encrypt,
  sharedSecret,
  signEvent,
  wrapChat,
  wrapLegacyChat,
} from '@mostro/protocol';
import { matchFilter } from 'nostr-tools/filter';
import { conversationFromHandover, decodeChatKeyHandover, TradeChat } from '../src/chat/chat.ts';
import type { Filter, Relays, SubscribeHandlers } from '../src/net/relays.ts';
import { Session } from '../src/session/session.ts';
import { MemorySessionStore } from '../src/session/store.ts';
import { newTrade } from '../src/trade/machine.ts';

const FAST = { N: 2 ** 10, r: 8, p: 1 };
const M1 = 'leader monkey parrot ring guide accident before fence cannon height naive bean';
const M2 =
  'what bleak badge arrange retreat wolf trade produce cricket blur garlic valid proud rude strong choose busy staff weather area salt hollow arm fade';

class MemoryRelay implements Relays {
  readonly events: NostrEvent[] = [];
  async publish(e: NostrEvent) {
    this.events.push(e);
    return [{ url: 'memory', ok: true as const, message: '' }];
  }
  subscribe(filters: Filter[], h: SubscribeHandlers) {
    queueMicrotask(() => {
      for (const e of this.events) if (filters.some((f) => matchFilter(f, e as never))) h.onevent(e, 'memory');
      h.oneose?.();
    });
    return { close() {} };
  }
  close() {}
}

const ID = '308e1272-d5f4-47e6-bd97-3504baea9c23';

async function party(mnemonic: string) {
  return Session.create(new MemorySessionStore(), 'pw', { mnemonic, scrypt: FAST });
}

describe('trade chat', () => {
  it('current format both ways, legacy read, no replays, strangers ignored, K_conv handover', async () => {
    const relay = new MemoryRelay();
    const [alice, bob] = [await party(M1), await party(M2)];
    const a = alice.key(1);
    const b = bob.key(1);
    const tA = {
      ...newTrade({
        orderId: ID,
        nodePubkey: 'n',
        role: 'maker',
        kind: 'sell',
        tradeIndex: 1,
        fullPrivate: false,
        now: 1,
      }),
      counterpartyPubkey: b.publicKey,
    };
    const tB = {
      ...newTrade({
        orderId: ID,
        nodePubkey: 'n',
        role: 'taker',
        kind: 'sell',
        tradeIndex: 1,
        fullPrivate: true,
        now: 1,
      }),
      counterpartyPubkey: a.publicKey,
    };
    const chatA = new TradeChat(alice, relay);
    const chatB = new TradeChat(bob, relay);
    const convA = chatA.conversation(tA, 'peer');
    const convB = chatB.conversation(tB, 'peer');
    assert.equal(convA.channelId, convB.channelId, 'both sides derive the same channel');

    const sent = await chatA.send(convA, 'hello');
    assert.equal(sent.kind, 14, 'writes the current format');
    await chatB.send(convB, 'hi');
    // A legacy message (kind 1059) from Bob's older client, and a replay of Alice's inner event.
    const channel = chatChannel(sharedSecret(b.secretKey, a.publicKey));
    await relay.publish(wrapLegacyChat(channel, { text: 'from an old client', senderKey: b.secretKey }));
    // A stranger holding the channel keys cannot sign as a party.
    await relay.publish(wrapChat(channel, { text: 'spoofed', senderKey: new Uint8Array(32).fill(9) }));

    const seenByA = await chatA.history(convA);
    assert.deepEqual(seenByA.map((m) => m.text).sort(), ['from an old client', 'hello', 'hi']);
    assert.deepEqual(seenByA.map((m) => m.format).sort(), ['current', 'current', 'legacy']);
    const again = await chatA.history(convA);
    assert.equal(again.length, 3, 're-reading the same events is not a replay');
    // Either party holds K_sign: re-wrapping an old inner event in a new outer one is a replay.
    const cur = channel.current as NonNullable<typeof channel.current>;
    const inner = seenByA.find((m) => m.text === 'hello')?.inner as NostrEvent;
    await relay.publish(
      signEvent(
        {
          kind: 14,
          created_at: inner.created_at,
          tags: [['p', cur.conv.publicKey]],
          content: nip44Encrypt(JSON.stringify(inner), cur.nip44Key),
        },
        (cur.sign as NonNullable<typeof cur.sign>).secretKey,
      ),
    );
    assert.equal((await chatA.history(convA)).length, 3, 'the replayed copy is refused');

    // Hand K_conv to a solver (after a dispute): the solver reads, but cannot write.
    const solver = await party(M2);
    const solverKey = solver.key(7);
    const tBd = { ...tB, dispute: { id: 'd', byMe: true, solverPubkey: solverKey.publicKey } };
    const handover = await chatB.handOverChatKey(tBd);
    const solverChat = new TradeChat(solver, relay);
    const solverSide = solverChat.conversation(
      {
        ...newTrade({
          orderId: ID,
          nodePubkey: 'n',
          role: 'maker',
          kind: 'sell',
          tradeIndex: 7,
          fullPrivate: false,
          now: 1,
        }),
        counterpartyPubkey: b.publicKey,
      },
      'peer',
    );
    const inbox = await solverChat.history(solverSide);
    const h = decodeChatKeyHandover(inbox.map((m) => m.text).find((t) => decodeChatKeyHandover(t)) ?? '');
    assert.deepEqual(h, handover);
    const readOnly = conversationFromHandover(h as NonNullable<typeof h>, [a.publicKey, b.publicKey]);
    const transcript = await solverChat.history(readOnly);
    assert.deepEqual(
      transcript
        .filter((m) => m.format === 'current')
        .map((m) => m.text)
        .sort(),
      ['hello', 'hi'],
    );
    assert.throws(() => readOnly.build('I am the solver'), /read-only/);
  });

  it('replies in the format the other party wrote last: legacy for a legacy-only client (mostro-cli ≤ 0.16.0)', async () => {
    const relay = new MemoryRelay();
    const [alice, bob] = [await party(M1), await party(M2)];
    const a = alice.key(2);
    const b = bob.key(2);
    const trade = (index: number, counterpartyPubkey: string) => ({
      ...newTrade({
        orderId: ID,
        nodePubkey: 'n',
        role: 'maker',
        kind: 'sell',
        tradeIndex: index,
        fullPrivate: false,
        now: 1,
      }),
      counterpartyPubkey,
    });
    const chatA = new TradeChat(alice, relay);
    const convA = chatA.conversation(trade(2, b.publicKey), 'peer');
    assert.equal((await chatA.send(convA, 'first')).kind, 14, 'nothing read yet: the current format');

    // Bob's client speaks only the legacy format.
    const legacyBob = chatChannel(sharedSecret(b.secretKey, a.publicKey));
    await relay.publish(wrapLegacyChat(legacyBob, { text: 'old client here', senderKey: b.secretKey }));
    await chatA.history(convA);
    assert.equal(chatA.replyFormat(convA), 'legacy');
    const reply = await chatA.send(convA, 'answering in your format');
    assert.equal(reply.kind, 1059);
    // What Bob's legacy client reads: the reply opens with the legacy key and is signed by Alice.
    const bobChat = new TradeChat(bob, relay);
    const seenByBob = await bobChat.history(bobChat.conversation(trade(2, a.publicKey), 'peer'));
    const legacyReply = seenByBob.find((m) => m.text === 'answering in your format');
    assert.equal(legacyReply?.format, 'legacy');
    assert.equal(legacyReply?.author, a.publicKey);

    // Bob upgrades and writes the current format: Alice follows.
    await relay.publish(
      wrapChat(legacyBob, { text: 'new client', senderKey: b.secretKey, createdAt: Math.floor(Date.now() / 1000) + 1 }),
    );
    await chatA.history(convA);
    assert.equal(chatA.replyFormat(convA), 'current');
    assert.equal((await chatA.send(convA, 'welcome back')).kind, 14);
  });
});
