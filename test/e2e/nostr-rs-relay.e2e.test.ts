// A relay nobody here wrote: nostr-rs-relay (built from crates.io, cached under ~/.cache/mostro-ts)
// instead of the embedded relay. mostrod runs with the embedded relay off and points at it; the
// users' SDK clients too. The core sell trade and a buy trade run end to end over it, and an
// observer on that relay sees no identity key.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startNostrRsRelay } from '../../scripts/relay/nostr-rs-relay.mjs';
import { eventsContaining, publicKeyForms } from './support/audit.ts';
import { type Mostrod, simulatedLn, startMostrod } from './support/mostrod.ts';
import { RelayObserver } from './support/observer.ts';
import { cleanup, onCleanup, tempDir } from './support/processes.ts';
import { type SdkUser, sdkUser } from './support/sdk-user.ts';
import { playTrade } from './support/trade-script.ts';

describe('over nostr-rs-relay', () => {
  let node: Mostrod;
  let relayUrl: string;
  let observer: RelayObserver;
  let alice: SdkUser;
  let bob: SdkUser;

  before(async () => {
    const relay = await startNostrRsRelay({ port: 0 });
    onCleanup(() => relay.close());
    relayUrl = relay.url;
    observer = new RelayObserver(relayUrl);
    await observer.start();
    onCleanup(() => observer.close());
    node = await startMostrod(join(tempDir('mostro-e2e-rsrelay'), 'node'), {
      MOSTRO_RELAY_EMBEDDED: 'false',
      MOSTRO_NOSTR_RELAYS: relayUrl,
    });
    const o = { relays: [relayUrl], node: node.pubkey, walletUrl: node.wallet };
    alice = await sdkUser('alice', { ...o, privacy: 'reputation' });
    bob = await sdkUser('bob', { ...o, privacy: 'full-private' });
    onCleanup(() => alice.close());
    onCleanup(() => bob.close());
    await alice.wallet?.fund(1_000_000);
    await bob.wallet?.fund(1_000_000);
  });
  after(async () => {
    await cleanup();
  });

  it('the node announces itself on that relay, not on one of its own', () => {
    assert.equal(node.relay, relayUrl);
    const info = observer.all().filter((e) => e.kind === 38385 && e.pubkey === node.pubkey);
    assert.ok(info.length > 0, 'the node info event is on nostr-rs-relay');
  });

  it('a sell trade end to end (reputation seller, full-private buyer)', async () => {
    await playTrade({
      kind: 'sell',
      pricing: 'fixed',
      maker: alice,
      taker: bob,
      ln: simulatedLn(node.wallet as string),
      tag: `[rs sell ${crypto.randomUUID()}]`,
    });
  });

  it('a buy trade end to end (full-private buyer makes it)', async () => {
    await playTrade({
      kind: 'buy',
      pricing: 'market',
      maker: bob,
      taker: alice,
      ln: simulatedLn(node.wallet as string),
      tag: `[rs buy ${crypto.randomUUID()}]`,
    });
  });

  it('nothing on that relay carries an identity key', () => {
    const needles = [alice, bob].flatMap((u) => publicKeyForms(u.session.identity().publicKey));
    assert.ok(observer.all().length > 20, `the observer saw the trades (${observer.all().length} events)`);
    assert.deepEqual(eventsContaining(observer.all(), needles), []);
  });
});
