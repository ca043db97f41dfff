// Signs and publishes the node's own events: order revisions (38383), disputes (38386), info
// (38385), relay list (10002), profile (0). Revision timestamps are claimed in the database before
// publishing, so a crash never reuses one and the newest state always wins replacement.
// Every method writes its outbox row before it returns and throws synchronously when it cannot (the
// promise it returns is already settled): inside `transaction()` a failed publication rolls the
// caller's state change back with it, instead of becoming a rejection nobody awaits.
import type { EventTemplate } from '@mostro/protocol';
import {
  buildDisputeEvent,
  buildInfoEvent,
  buildOrderEvent,
  buildProfileEvent,
  buildRatesEvent,
  buildRelayListEvent,
  type NodeInfoInput,
  publishedStatus,
  type SecpBackend,
  signEvent,
} from '@mostro/protocol';
import type { NostrEvent } from 'nostr-tools';
import type { Publisher } from '../app/context.ts';
import type { Clock } from '../clock.ts';
import type { Settings } from '../config/index.ts';
import { claimDisputePublishTime, type DisputeRow } from '../db/disputes.ts';
import type { Db } from '../db/open.ts';
import { claimOrderPublishTime, claimOrderRevision, type OrderRow } from '../db/orders.ts';
import type { UserRow } from '../db/users.ts';
import { ratingTemplate } from './rating.ts';
import { orderRatingOf } from './reputation.ts';

export interface PublisherDeps {
  db: Db;
  settings: Settings;
  clock: Clock;
  nodeSecretKey: Uint8Array;
  nodePubkey: string;
  secp: SecpBackend;
  /** Relay URLs advertised in order `source` links. */
  relays(): readonly string[];
  /** Lightning networks of the backend (e.g. ['regtest']). */
  networks(): readonly string[] | null;
  /** Queues the signed event (an outbox row), synchronously; throws when it cannot. */
  send(event: NostrEvent): void;
}

export interface NodePublisher extends Publisher {
  info(input: Omit<NodeInfoInput, 'mostroPubkey' | 'now' | 'previousCreatedAt'>): Promise<void>;
  relayList(urls: readonly string[]): Promise<void>;
  /** The order's current revision again, newly dated, for a relay that missed it. */
  republishOrder(order: OrderRow): Promise<void>;
  profile(): Promise<void>;
  /** Kind 30078: the prices the node uses (fiat per 1 BTC), with their sources. */
  rates(rates: Record<string, number>, sources: readonly string[]): Promise<void>;
  sign(template: EventTemplate): NostrEvent;
  /** Signs and publishes any other event of the node (e.g. the kind-38389 health event). */
  event(template: EventTemplate): Promise<void>;
}

/** `write` run now (a throw propagates at once), as the Promise-returning method callers expect. */
function written<A extends unknown[]>(write: (...args: A) => void): (...args: A) => Promise<void> {
  return (...args) => {
    write(...args);
    return Promise.resolve();
  };
}

export function createPublisher(deps: PublisherDeps): NodePublisher {
  const sign = (template: EventTemplate): NostrEvent => signEvent(template, deps.nodeSecretKey, { secp: deps.secp });
  const instanceName = deps.settings.mostro.name ?? null;
  let lastInfoAt = 0;

  return {
    sign,
    event: written((template) => {
      deps.send(sign(template));
    }),
    order: written((order: OrderRow) => {
      const now = deps.clock.now();
      const bucket = publishedStatus(order.kind, order.status);
      if (bucket === null) return; // this status publishes no revision (§5.1)
      const at = claimOrderRevision(deps.db, order.id, bucket, now);
      if (at === null) return; // already shown in-progress: nothing new for the public
      const makerIdentity = order.kind === 'sell' ? order.master_seller_pubkey : order.master_buyer_pubkey;
      const template = buildOrderEvent({
        ...orderInput(order, at, at - 1),
        rating: orderRatingOf(deps.db, makerIdentity, now),
      });
      if (template) deps.send(sign(template));
    }),
    republishOrder: written((order: OrderRow) => {
      // The current revision again, newly dated (a relay that was down missed it); not a new bucket.
      const now = deps.clock.now();
      if (publishedStatus(order.kind, order.status) === null) return;
      const at = claimOrderPublishTime(deps.db, order.id, now) ?? now;
      const makerIdentity = order.kind === 'sell' ? order.master_seller_pubkey : order.master_buyer_pubkey;
      const template = buildOrderEvent({
        ...orderInput(order, at, at - 1),
        rating: orderRatingOf(deps.db, makerIdentity, now),
      });
      if (template) deps.send(sign(template));
    }),
    dispute: written((dispute: DisputeRow) => {
      const now = deps.clock.now();
      const at = claimDisputePublishTime(deps.db, dispute.id, now) ?? now;
      const template = buildDisputeEvent({
        disputeId: dispute.id,
        status: dispute.status,
        initiator: dispute.initiator,
        openedAt: dispute.created_at,
        instanceName,
        now: at,
        previousCreatedAt: at - 1,
        disputeDays: deps.settings.expiration.dispute_days,
      });
      deps.send(sign(template));
    }),
    rating: written((d: string, user: UserRow) => {
      deps.send(sign(ratingTemplate(d, user, deps.clock.now(), deps.settings.expiration.rating_days)));
    }),
    info: written((input) => {
      const now = deps.clock.now();
      const template = buildInfoEvent({
        ...input,
        mostroPubkey: deps.nodePubkey,
        instanceName,
        now,
        previousCreatedAt: lastInfoAt,
      });
      lastInfoAt = template.created_at;
      deps.send(sign(template));
    }),
    relayList: written((urls) => {
      deps.send(sign(buildRelayListEvent(urls, deps.clock.now())));
    }),
    rates: written((rates, sources) => {
      if (Object.keys(rates).length === 0) return;
      const now = deps.clock.now();
      const template = buildRatesEvent({
        rates,
        publishedAt: now,
        source: sources.join(','),
        updateIntervalSeconds: deps.settings.price.update_interval_seconds,
        now,
      });
      deps.send(sign(template));
    }),
    profile: written(() => {
      const m = deps.settings.mostro;
      const template = buildProfileEvent(
        { name: m.name, about: m.about, picture: m.picture, website: m.website },
        deps.clock.now(),
      );
      if (template) deps.send(sign(template));
    }),
  };

  function orderInput(order: OrderRow, now: number, previousCreatedAt: number | null) {
    return {
      order: {
        id: order.id,
        kind: order.kind,
        status: order.status,
        amount: order.amount,
        fiat_code: order.fiat_code,
        fiat_amount: order.fiat_amount,
        min_amount: order.min_amount,
        max_amount: order.max_amount,
        payment_method: order.payment_method,
        premium: order.premium,
        created_at: order.created_at,
        expires_at: order.expires_at,
      },
      rating: null,
      mostroPubkey: deps.nodePubkey,
      relays: deps.relays(),
      networks: deps.networks(),
      instanceName,
      now,
      previousCreatedAt,
      orderDays: deps.settings.expiration.order_days,
    };
  }
}
