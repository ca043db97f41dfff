// Interop (reputation portability): an attestation issued by OUR node's export code is accepted by
// the REAL mostrod 0.20.2 as importer — same event shape, tag rules and signature — and the
// reference then reports the imported reputation through user-info. The reference trusts our
// issuer key through `[reputation_import]`; a scripted user (our protocol package) talks to it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type EmbeddedRelay, startEmbeddedRelay } from '../../packages/daemon/src/relay/index.ts';
import type { Harness } from '../../packages/daemon/test/app/harness.ts';
import { exportTo, history, issuerKey, issuerNode, keyedUser } from '../../packages/daemon/test/reputation/support.ts';
import { eventually, queryRelay } from '../../packages/daemon/test/support/relay-query.ts';
import { TestUser } from '../../packages/daemon/test/support/test-user.ts';
import { haveReference } from '../../scripts/reference/build.mjs';
import { regtestLnd, startReferenceMostrod } from '../../scripts/reference/mostrod.mjs';

const ready = process.env.MOSTRO_REGTEST === '1' && haveReference('mostrod');

describe('our reputation attestation imported by the real mostrod 0.20.2', {
  skip: !ready && 'needs the interop group (regtest + reference build)',
  timeout: 180_000,
}, () => {
  const issuer = issuerKey();
  let relay: EmbeddedRelay;
  let node: Awaited<ReturnType<typeof startReferenceMostrod>>;
  let ours: Harness;
  let user: TestUser;

  before(async () => {
    relay = await startEmbeddedRelay();
    node = await startReferenceMostrod({
      relays: [relay.url],
      lnd: regtestLnd('node'),
      extraToml: `
[reputation_import]
enabled = true
max_lifetime_seconds = 604800

[[reputation_import.issuers]]
name = "mostro-ts"
keys = ["${issuer.pubkey}"]
`,
    });
    ours = issuerNode(issuer);
    // Our node issues with the real clock: the reference checks created_at against its own.
    ours.clock.set(Math.floor(Date.now() / 1000));
    user = new TestUser({ relays: [relay.url], nodePubkey: node.pubkey });
    await user.listen();
    // The node is listening once it has published its info event: a request sent earlier would
    // predate its subscription.
    await eventually(
      async () => (await queryRelay([relay.url], { kinds: [38385], authors: [node.pubkey] }))[0],
      90_000,
    );
  });
  after(async () => {
    if (node && process.env.MOSTRO_INTEROP_VERBOSE) console.error(node.output());
    user?.close();
    ours?.close();
    await node?.close();
    await relay?.close();
  });

  it('import-reputation → reputation-imported, then user-info shows the merged figures', async () => {
    const onOurs = keyedUser(ours, 'alice-on-ours');
    history(ours, onOurs.identity);
    const exported = await exportTo(ours, onOurs, user.identity.publicKey);
    assert.ok('json' in exported);

    const { requestId } = await user.send(1, {
      action: 'import-reputation',
      payload: { reputation_attestation: exported.json },
    });
    const reply = await user
      .waitFor((r) => r.message.kind.request_id === requestId, 60_000)
      .catch((e) => assert.fail(`${e}\n--- mostrod:\n${node.output().slice(-3000)}`));
    assert.equal(
      reply.message.kind.action,
      'reputation-imported',
      `the reference answered ${JSON.stringify(reply.message.kind.payload)}`,
    );
    assert.equal(reply.message.kind.payload, null);

    const info = await user.send(2, { action: 'user-info', payload: null }, { wrapper: 'restore' });
    const answer = await user.waitFor((r) => r.message.kind.request_id === info.requestId, 60_000);
    const payload = answer.message.kind.payload;
    assert.ok(payload && 'user_info' in payload, JSON.stringify(payload));
    assert.equal(payload.user_info.reviews, 5);
    assert.equal(payload.user_info.rating, 4.4);
    assert.equal(payload.user_info.since, 1_696_204_800);

    // The same source again from another trade key: the reference refuses (or replays) it as we do.
    const again = await user.send(3, {
      action: 'import-reputation',
      payload: { reputation_attestation: exported.json },
    });
    const second = await user.waitFor((r) => r.message.kind.request_id === again.requestId, 60_000);
    assert.ok(
      second.message.kind.action === 'reputation-imported' ||
        JSON.stringify(second.message.kind.payload).includes('reputation_already_imported'),
      JSON.stringify(second.message.kind.payload),
    );
  });
});
