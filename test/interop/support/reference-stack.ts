// The real mostrod 0.20.2 on the regtest network's `node` LND, publishing to our embedded relay (the
// relay every party of an interop test uses). Resolves once the node has published its info event,
// i.e. it is connected, subscribed and ready for messages.
import type { NostrEvent } from 'nostr-tools';
import { type EmbeddedRelay, startEmbeddedRelay } from '../../../packages/daemon/src/relay/index.ts';
import { hasRegtestEnv } from '../../../packages/daemon/test/lightning/regtest-env.ts';
import { queryRelay } from '../../../packages/daemon/test/support/relay-query.ts';
import { haveReference } from '../../../scripts/reference/build.mjs';
import { regtestLnd, startReferenceMostrod } from '../../../scripts/reference/mostrod.mjs';
import { until } from '../../e2e/support/processes.ts';

export type ReferenceNode = Awaited<ReturnType<typeof startReferenceMostrod>>;

/** Why an interop file that needs the reference mostrod on regtest skips, or false when it runs. */
export const referenceNodeSkip = (): string | false =>
  hasRegtestEnv() && haveReference('mostrod') ? false : 'needs the interop group (regtest + reference build)';

export interface ReferenceStack {
  relay: EmbeddedRelay;
  node: ReferenceNode;
  info: NostrEvent;
  close(): Promise<void>;
}

export async function startReferenceStack(): Promise<ReferenceStack> {
  const relay = await startEmbeddedRelay();
  let node: ReferenceNode | undefined;
  try {
    node = await startReferenceMostrod({ relays: [relay.url], lnd: regtestLnd('node') });
    const started = node;
    const info = await until(
      'the reference mostrod to publish its info event',
      async () => {
        if (started.exited()) throw new Error(`mostrod exited:\n${started.output()}`);
        return (await queryRelay([relay.url], { kinds: [38385], authors: [started.pubkey] }))[0];
      },
      90_000,
      500,
    );
    return {
      relay,
      node: started,
      info,
      async close() {
        if (process.env.MOSTRO_INTEROP_VERBOSE) console.error(started.output());
        await started.close();
        await relay.close();
      },
    };
  } catch (e) {
    if (node) console.error(node.output().slice(-4000));
    await node?.close();
    await relay.close();
    throw e;
  }
}
