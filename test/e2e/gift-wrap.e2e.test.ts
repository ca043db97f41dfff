// The v1 transport (NIP-59 gift wrap), which a node may still be configured to speak: a node with
// `transport = "gift-wrap"`, a sell and a buy trade between a reputation user and a full-private
// user, and an observer on the relay. Every gift wrap must come from a one-time key and carry a
// tweaked timestamp (in the past, never in the future), and no identity key may show.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decryptForNode, eventsContaining, publicKeyForms } from './support/audit.ts';
import { type Mostrod, simulatedLn, startMostrod } from './support/mostrod.ts';
import { RelayObserver } from './support/observer.ts';
import { cleanup, onCleanup, tempDir } from './support/processes.ts';
import { type SdkUser, sdkUser } from './support/sdk-user.ts';
import { playTrade } from './support/trade-script.ts';

describe('the gift-wrap transport: one-time keys, tweaked timestamps', () => {
  let node: Mostrod;
  let observer: RelayObserver;
  let alice: SdkUser;
  let bob: SdkUser;

  before(async () => {
    node = await startMostrod(join(tempDir('mostro-e2e-giftwrap'), 'node'), { MOSTRO_MOSTRO_TRANSPORT: 'gift-wrap' });
    observer = new RelayObserver(node.relay);
    await observer.start();
    onCleanup(() => observer.close());
    const o = { relays: [node.relay], node: node.pubkey, walletUrl: node.wallet };
    alice = await sdkUser('alice', { ...o, privacy: 'reputation' });
    bob = await sdkUser('bob', { ...o, privacy: 'full-private' });
    onCleanup(() => alice.close());
    onCleanup(() => bob.close());
    await alice.wallet?.fund(1_000_000);
    await bob.wallet?.fund(1_000_000);
  });
  after(() => cleanup());

  it('the node speaks gift wrap', async () => {
    assert.equal(await alice.client.transport(), 'gift-wrap');
  });

  it('a sell trade and a buy trade', async () => {
    const ln = simulatedLn(node.wallet as string);
    await playTrade({
      kind: 'sell',
      pricing: 'fixed',
      maker: alice,
      taker: bob,
      ln,
      tag: `[gw ${crypto.randomUUID()}]`,
    });
    await playTrade({
      kind: 'buy',
      pricing: 'range',
      maker: bob,
      taker: alice,
      ln,
      tag: `[gw ${crypto.randomUUID()}]`,
    });
  });

  it('every gift wrap key is used once, never a user or node key', () => {
    const wraps = observer.all().filter((e) => e.kind === 1059);
    const toNode = decryptForNode(wraps, node.secretKey(), node.pubkey);
    assert.ok(toNode.length >= 10, `requests to the node went as gift wraps (${toNode.length})`);
    assert.ok(wraps.length > toNode.length, 'and the replies too');
    assert.equal(new Set(wraps.map((e) => e.pubkey)).size, wraps.length, 'no two gift wraps share a key');
    const known = new Set<string>([node.pubkey]);
    for (const u of [alice, bob])
      for (let i = 0; i <= u.session.data.lastTradeIndex; i++) known.add(u.session.key(i).publicKey);
    assert.deepEqual(
      wraps.filter((e) => known.has(e.pubkey)).map((e) => e.id),
      [],
      'no gift wrap is signed by a trade, identity or node key',
    );
  });

  it('gift wrap timestamps are tweaked into the past, never the future', () => {
    const wraps = observer.all().filter((e) => e.kind === 1059);
    const at = (id: string) => observer.receivedAt.get(id) as number;
    const future = wraps.filter((e) => e.created_at > at(e.id) + 2);
    assert.deepEqual(
      future.map((e) => e.id),
      [],
      'none in the future',
    );
    const tweaked = wraps.filter((e) => e.created_at < at(e.id) - 5);
    assert.ok(
      tweaked.length * 4 >= wraps.length * 3,
      `most are dated earlier than they were sent (${tweaked.length} of ${wraps.length})`,
    );
  });

  it('no identity key on the relay', () => {
    const needles = [alice, bob].flatMap((u) => publicKeyForms(u.session.identity().publicKey));
    assert.deepEqual(eventsContaining(observer.all(), needles), []);
  });
});
