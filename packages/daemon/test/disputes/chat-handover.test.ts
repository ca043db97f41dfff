// The mediator and the chat key (protocol.md §8.2, §8.4), with real processes: buyer and seller chat
// in the current format on the relay (never through the node); a solver takes the dispute; a party
// hands the trade's K_conv to the solver through their own solver ↔ party channel; the solver fetches
// exactly that trade's events, decrypts them, checks every inner signature, exports a transcript that
// verifies — and a tampered, truncated or re-ordered one does not; another trade's key decrypts
// nothing of this one; the solver then decides and the money moves; the node never held a chat key.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  type ChatChannel,
  ChatReceiver,
  channelFromKey,
  chatChannel,
  decodeChatKeyHandover,
  encodeChatKeyHandover,
  exportTranscript,
  type Peer,
  publicKeyOf,
  type SolverDisputeInfo,
  sharedSecret,
  type Transcript,
  toNpub,
  verifyTranscript,
  wrapChat,
  wrapLegacyChat,
} from '@mostro/protocol';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import Database from 'better-sqlite3';
import type { NostrEvent } from 'nostr-tools';
import { getDisputeByOrder } from '../../src/db/disputes.ts';
import type { Db } from '../../src/db/open.ts';
import { getOrder } from '../../src/db/orders.ts';
import { eventually, queryRelay } from '../support/relay-query.ts';
import {
  type ActiveTrade,
  type AdminKey,
  AMOUNT,
  activeTrade,
  addSolver,
  balanceSats,
  FEE,
  FUNDS,
  type Harness,
  must,
  startHarness,
  type Party as TestParty,
} from './support.ts';

interface Chat {
  /** Each party's view of the peer channel (same keys, derived independently). */
  sellerSide: ChatChannel;
  buyerSide: ChatChannel;
  sent: { author: string; text: string }[];
}

/** Buyer and seller exchange messages in the current format, straight through the relay. */
async function chat(trade: ActiveTrade, lines: [by: 'buyer' | 'seller', text: string][]): Promise<Chat> {
  const sellerSide = chatChannel(sharedSecret(trade.seller.key.secretKey, trade.buyer.key.publicKey));
  const buyerSide = chatChannel(sharedSecret(trade.buyer.key.secretKey, trade.seller.key.publicKey));
  const sent: Chat['sent'] = [];
  const start = Math.floor(Date.now() / 1000) - lines.length;
  for (const [i, [by, text]] of lines.entries()) {
    const party = trade[by];
    const channel = by === 'buyer' ? buyerSide : sellerSide;
    // One second apart, so the transcript's order (time, then id) is the order they were written.
    const event = wrapChat(channel, { text, senderKey: party.key.secretKey, createdAt: start + i });
    await party.user.publish(event as NostrEvent);
    sent.push({ author: party.key.publicKey, text });
  }
  return { sellerSide, buyerSide, sent };
}

/** Every text value of every table (blobs as hex and as UTF-8), to search for secrets. */
function everyText(db: Db | Database.Database): string {
  const parts: string[] = [];
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
  for (const { name } of tables) {
    for (const row of db.prepare(`SELECT * FROM "${name.replaceAll('"', '""')}"`).all() as Record<string, unknown>[]) {
      for (const value of Object.values(row)) {
        if (typeof value === 'string') parts.push(value.toLowerCase());
        else if (value instanceof Uint8Array) parts.push(bytesToHex(value), Buffer.from(value).toString('utf8'));
      }
    }
  }
  return parts.join('\n');
}

describe('dispute chat: the solver reads a trade chat with a key a party hands over', () => {
  let h: Harness;
  let operator: AdminKey;
  const secrets: Record<string, string> = {};

  before(async () => {
    h = await startHarness();
    operator = await h.admin(h.t.secretKey);
  });
  after(async () => {
    await h.close();
  });

  const disputeAndTake = async (trade: ActiveTrade, by: 'buyer' | 'seller') => {
    await trade[by].user.send(trade[by].index, { action: 'dispute', id: trade.id });
    const opened = await trade[by].user.waitFor('dispute-initiated-by-you');
    const disputeId = (opened.message.kind.payload as { dispute: [string, null] }).dispute[0];
    const solver = await h.admin();
    await addSolver(operator, `${toNpub(solver.publicKey)}:read-write`);
    await solver.send({ action: 'admin-take-dispute', id: disputeId });
    const took = await solver.waitFor('admin-took-dispute');
    const info = (took.message.kind.payload as { dispute: [string, SolverDisputeInfo] }).dispute[1];
    // The party learns the solver's key from the node, and nothing else about it.
    const told = await trade[by].user.waitFor('admin-took-dispute');
    assert.equal((told.message.kind.payload as { peer: Peer }).peer.pubkey, solver.publicKey);
    return { disputeId, solver, info };
  };

  /** The party sends K_conv (+ pub(K_sign) as locator) to the solver in their §8.4 channel. */
  const handOver = async (trade: ActiveTrade, by: 'buyer' | 'seller', peerSide: ChatChannel, solverPub: string) => {
    const party = trade[by];
    const toSolver = chatChannel(sharedSecret(party.key.secretKey, solverPub));
    const text = encodeChatKeyHandover({
      orderId: trade.id,
      convKey: bytesToHex(peerSide.current!.conv.secretKey),
      signPub: peerSide.current!.sign!.publicKey,
    });
    await party.user.publish(wrapChat(toSolver, { text, senderKey: party.key.secretKey }) as NostrEvent);
  };

  /** The solver reads its channel with that party and finds the handed-over key. */
  const receiveKey = async (solver: AdminKey, partyTradeKey: string) => {
    const mine = chatChannel(sharedSecret(solver.secretKey, partyTradeKey));
    const events = await eventually(async () => {
      const found = await queryRelay(h.t.node.relays, { kinds: [14], authors: [mine.current!.sign!.publicKey] });
      return found.length > 0 ? found : undefined;
    });
    const receiver = new ChatReceiver({ channel: mine, allowedSigners: [partyTradeKey, solver.publicKey] });
    const results = events.map((e) => receiver.receive(e));
    const accepted = results.flatMap((r) => (r.ok ? [r.message] : []));
    assert.equal(accepted.length, 1, `one message in the solver channel (${JSON.stringify(results)})`);
    assert.equal(accepted[0]!.author, partyTradeKey, 'signed by the party');
    const handover = decodeChatKeyHandover(accepted[0]!.text);
    assert.ok(handover, 'a chat key handover');
    secrets[`solver-channel-${partyTradeKey}`] = bytesToHex(sharedSecret(solver.secretKey, partyTradeKey));
    return handover;
  };

  /** What the solver's tool does with the key: fetch by pub(K_conv), decrypt, verify, export. */
  const readChat = async (convKeyHex: string, signPub: string, info: SolverDisputeInfo) => {
    const convPub = publicKeyOf(hexToBytes(convKeyHex));
    const events = await queryRelay(h.t.node.relays, { kinds: [14], '#p': [convPub] });
    const transcript = exportTranscript(hexToBytes(convKeyHex), events, [info.buyer_pubkey!, info.seller_pubkey!], {
      signPub,
    });
    return { events, transcript };
  };

  it('buyer hands over K_conv; the solver verifies the whole chat, refuses doctored transcripts, then settles', async () => {
    const trade = await activeTrade(h, await h.user(), await h.user({ transport: 'gift-wrap' }));
    const talk = await chat(trade, [
      ['seller', 'hi, the account number is 1234'],
      ['buyer', 'sent 20 USD just now'],
      ['seller', 'nothing arrived yet'],
      ['buyer', 'here is the receipt: ref 5678'],
    ]);
    // Both sides derived the same keys from their own secrets.
    assert.equal(talk.sellerSide.current!.conv.publicKey, talk.buyerSide.current!.conv.publicKey);
    secrets.kConv = bytesToHex(talk.buyerSide.current!.conv.secretKey);
    secrets.kSign = bytesToHex(talk.buyerSide.current!.sign!.secretKey);
    secrets.shared = bytesToHex(sharedSecret(trade.buyer.key.secretKey, trade.seller.key.publicKey));

    const { solver, info } = await disputeAndTake(trade, 'buyer');
    await handOver(trade, 'buyer', talk.buyerSide, solver.publicKey);
    const handover = await receiveKey(solver, info.buyer_pubkey!);
    assert.equal(handover.orderId, trade.id);
    assert.equal(handover.convKey, secrets.kConv);

    const { events, transcript } = await readChat(handover.convKey, handover.signPub, info);
    assert.equal(events.length, 4, 'the relay holds the four chat events of this trade');
    assert.deepEqual(transcript.rejected, []);
    assert.deepEqual(
      transcript.messages.map((m) => ({ author: m.author, text: m.text })),
      talk.sent,
      'every message, in order, with its author',
    );
    assert.deepEqual(verifyTranscript(transcript, events), { ok: true, messages: 4 });

    // The key is read-only: the solver cannot write into the parties' chat with it.
    assert.throws(() =>
      wrapChat(channelFromKey(hexToBytes(handover.convKey), handover.signPub), {
        text: 'forged',
        senderKey: solver.secretKey,
      }),
    );

    // A doctored transcript fails against the relay's events.
    const doctor = (change: (t: Transcript) => void): Transcript => {
      const copy = structuredClone(transcript);
      change(copy);
      return copy;
    };
    const edited = doctor((t) => {
      t.messages[1]!.text = 'sent 200 USD just now';
    });
    assert.deepEqual(verifyTranscript(edited, events), { ok: false, reason: 'bad_signature', index: 1 });
    const truncated = doctor((t) => {
      t.messages.pop();
    });
    assert.deepEqual(verifyTranscript(truncated, events), { ok: false, reason: 'missing_message', index: 3 });
    const reordered = doctor((t) => {
      [t.messages[0], t.messages[1]] = [t.messages[1]!, t.messages[0]!];
    });
    assert.deepEqual(verifyTranscript(reordered, events), { ok: false, reason: 'mismatch', index: 0 });
    const dropped = doctor((t) => {
      t.messages.splice(1, 1);
    });
    assert.equal(verifyTranscript(dropped, events).ok, false);
    // Against a relay that lost an event, the honest transcript no longer verifies either.
    assert.equal(verifyTranscript(transcript, events.slice(1)).ok, false);

    // Another trade's chat key opens nothing of this trade, and this key nothing of that one.
    const other = await activeTrade(h, await h.user(), await h.user());
    const otherTalk = await chat(other, [['buyer', 'a different trade']]);
    const otherKey = otherTalk.buyerSide.current!.conv.secretKey;
    secrets.otherKConv = bytesToHex(otherKey);
    const crossed = exportTranscript(otherKey, events, [info.buyer_pubkey!, info.seller_pubkey!]);
    assert.equal(crossed.messages.length, 0);
    assert.equal(crossed.rejected.length, events.length);
    const otherEvents = await queryRelay(h.t.node.relays, {
      kinds: [14],
      '#p': [otherTalk.buyerSide.current!.conv.publicKey],
    });
    assert.equal(otherEvents.length, 1);
    const reverse = exportTranscript(hexToBytes(handover.convKey), otherEvents, [
      other.buyer.key.publicKey,
      other.seller.key.publicKey,
    ]);
    assert.equal(reverse.messages.length, 0);

    // Decided for the buyer: the seller's hold is settled and the buyer paid.
    await solver.send({ action: 'admin-settle', id: trade.id });
    await solver.waitFor('admin-settled');
    await trade.buyer.user.waitFor('purchase-completed');
    assert.equal(must(h.net.getInvoice(trade.hash)).state, 'settled');
    assert.equal(balanceSats(h.net, trade.buyer.wallet), AMOUNT - FEE);
    assert.equal(getDisputeByOrder(h.t.node.ctx.db, trade.id)!.status, 'settled');
  });

  it('seller hands over K_conv; the solver verifies the chat and refunds the seller', async () => {
    const trade = await activeTrade(h, await h.user({ transport: 'gift-wrap' }), await h.user());
    const talk = await chat(trade, [
      ['buyer', 'I will pay tomorrow'],
      ['seller', 'the order expires today'],
    ]);
    secrets.kConv2 = bytesToHex(talk.sellerSide.current!.conv.secretKey);
    const { solver, info } = await disputeAndTake(trade, 'seller');
    await handOver(trade, 'seller', talk.sellerSide, solver.publicKey);
    const handover = await receiveKey(solver, info.seller_pubkey!);
    const { events, transcript } = await readChat(handover.convKey, handover.signPub, info);
    assert.deepEqual(
      transcript.messages.map((m) => m.text),
      talk.sent.map((m) => m.text),
    );
    assert.deepEqual(verifyTranscript(transcript, events), { ok: true, messages: 2 });

    await solver.send({ action: 'admin-cancel', id: trade.id });
    await solver.waitFor('admin-canceled');
    await trade.seller.user.waitFor('admin-canceled');
    await eventually(() => (must(h.net.getInvoice(trade.hash)).state === 'canceled' ? true : undefined));
    assert.equal(balanceSats(h.net, trade.seller.wallet), FUNDS, "the seller's sats are back");
    assert.equal(getOrder(h.t.node.ctx.db, trade.id)!.status, 'canceled-by-admin');
  });

  it('legacy format (kind 1059): the buyer hands over the raw shared key; the solver reads and verifies the chat', async () => {
    const trade = await activeTrade(h, await h.user(), await h.user());
    const shared = sharedSecret(trade.buyer.key.secretKey, trade.seller.key.publicKey);
    const buyerSide = chatChannel(shared);
    const sellerSide = chatChannel(sharedSecret(trade.seller.key.secretKey, trade.buyer.key.publicKey));
    const lines: [TestParty, string][] = [
      [trade.seller, 'legacy hello'],
      [trade.buyer, 'legacy reply'],
    ];
    for (const [party, text] of lines) {
      const channel = party === trade.buyer ? buyerSide : sellerSide;
      await party.user.publish(wrapLegacyChat(channel, { text, senderKey: party.key.secretKey }) as NostrEvent);
    }
    secrets.legacyShared = bytesToHex(shared);
    const { solver, info } = await disputeAndTake(trade, 'buyer');
    // In the legacy format the key is the shared secret itself and the locator its pubkey (the p tag).
    const toSolver = chatChannel(sharedSecret(trade.buyer.key.secretKey, solver.publicKey));
    const text = encodeChatKeyHandover({
      orderId: trade.id,
      convKey: bytesToHex(shared),
      signPub: buyerSide.legacy!.publicKey,
    });
    await trade.buyer.user.publish(wrapChat(toSolver, { text, senderKey: trade.buyer.key.secretKey }) as NostrEvent);
    const handover = await receiveKey(solver, info.buyer_pubkey!);
    const events = await queryRelay(h.t.node.relays, { kinds: [1059], '#p': [handover.signPub] });
    assert.equal(events.length, 2);
    const transcript = exportTranscript(hexToBytes(handover.convKey), events, [
      info.buyer_pubkey!,
      info.seller_pubkey!,
    ]);
    // Both written in the same second: the transcript orders them by inner id, so compare as sets.
    const byText = (a: string[], b: string[]) => a[2]!.localeCompare(b[2]!);
    assert.deepEqual(
      transcript.messages.map((m) => [m.format, m.author, m.text]).sort(byText),
      lines.map(([party, line]) => ['legacy', party.key.publicKey, line]).sort(byText),
    );
    assert.deepEqual(verifyTranscript(transcript, events), { ok: true, messages: 2 });
    const edited = structuredClone(transcript);
    edited.messages[0]!.text = 'changed';
    assert.equal(verifyTranscript(edited, events).ok, false);

    await solver.send({ action: 'admin-cancel', id: trade.id });
    await solver.waitFor('admin-canceled');
    await trade.seller.user.waitFor('admin-canceled');
    await eventually(() => (must(h.net.getInvoice(trade.hash)).state === 'canceled' ? true : undefined));
    assert.equal(balanceSats(h.net, trade.seller.wallet), FUNDS, "the seller's sats are back");
    assert.equal(getOrder(h.t.node.ctx.db, trade.id)!.status, 'canceled-by-admin');
  });

  it("the node's databases hold no chat key: no K_conv, K_sign, shared secret or solver-channel secret", async () => {
    assert.ok(Object.keys(secrets).length >= 6, 'the previous cases ran and recorded their secrets');
    await h.t.node.idle();
    const nodeText = everyText(h.t.node.ctx.db);
    const relayDb = new Database(join(h.t.dataDir, 'relay.db'), { readonly: true, fileMustExist: true });
    let relayText: string;
    try {
      relayText = everyText(relayDb);
    } finally {
      relayDb.close();
    }
    assert.ok(nodeText.includes(getOrder(h.t.node.ctx.db, getAnyOrderId(h.t.node.ctx.db))!.id), 'the scan sees data');
    for (const [name, secret] of Object.entries(secrets)) {
      assert.equal(nodeText.includes(secret), false, `node database holds ${name}`);
      assert.equal(relayText.includes(secret), false, `relay database holds ${name} in clear`);
    }
  });
});

function getAnyOrderId(db: Db): string {
  return (db.prepare('SELECT id FROM orders LIMIT 1').get() as { id: string }).id;
}
