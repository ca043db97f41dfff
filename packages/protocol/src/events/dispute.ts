// Kind 38386 — dispute state (protocol.md §6.4; reference-0.20.md §3.4). Tag order: d, expiration,
// s, initiator, published_at (the time the dispute was opened; mostrod < 0.20 named it
// `created_at`, which is still read), y, z. The event's own created_at is the publish time, kept
// strictly increasing per dispute.
import { DISPUTE_INITIATORS, DISPUTE_STATUSES, type DisputeInitiator, type DisputeStatus } from '../message/enums.ts';
import { ProtocolError } from '../message/errors.ts';
import { canonicalUuid } from '../message/uuid.ts';
import {
  checkInt,
  DAY_SECONDS,
  type EventTemplate,
  findTag,
  nextCreatedAt,
  parseIntTag,
  platformTag,
  readEvent,
  requireTag,
  tagValue,
} from './common.ts';

export const DISPUTE_EVENT_KIND = 38386;

/** `unknown` is what mostrod writes when its buyer/seller dispute flags are inconsistent. */
export type PublishedDisputeInitiator = DisputeInitiator | 'unknown';

export interface DisputeEventInput {
  disputeId: string;
  status: DisputeStatus;
  initiator: PublishedDisputeInitiator;
  /** When the dispute was opened (unix seconds). */
  openedAt: number;
  instanceName?: string | null;
  now: number;
  previousCreatedAt?: number | null;
  /** NIP-40 lifetime (setting `dispute_days`, default 90). */
  disputeDays?: number;
}

export function buildDisputeEvent(input: DisputeEventInput): EventTemplate {
  const id = canonicalUuid(input.disputeId);
  if (id === null) throw new ProtocolError('invalid_value', 'disputeId', 'expected a UUID');
  if (!(DISPUTE_STATUSES as readonly string[]).includes(input.status)) {
    throw new ProtocolError('unknown_variant', 'status', 'not a dispute status');
  }
  if (input.initiator !== 'unknown' && !(DISPUTE_INITIATORS as readonly string[]).includes(input.initiator)) {
    throw new ProtocolError('unknown_variant', 'initiator', 'not a dispute initiator');
  }
  return {
    kind: DISPUTE_EVENT_KIND,
    tags: [
      ['d', id],
      ['expiration', checkInt(input.now + (input.disputeDays ?? 90) * DAY_SECONDS, 'expiration')],
      ['s', input.status],
      ['initiator', input.initiator],
      ['published_at', checkInt(input.openedAt, 'openedAt')],
      platformTag(input.instanceName),
      ['z', 'dispute'],
    ],
    content: '',
    created_at: nextCreatedAt(input.previousCreatedAt, input.now),
  };
}

export interface DisputeEventData {
  id: string;
  status: DisputeStatus;
  initiator: PublishedDisputeInitiator | null;
  opened_at: number | null;
  expiration: number | null;
  instance_name: string | null;
  created_at: number;
}

export function parseDisputeEvent(event: unknown): DisputeEventData {
  const { tags, created_at } = readEvent(event, DISPUTE_EVENT_KIND);
  const id = canonicalUuid(requireTag(tags, 'd'));
  if (id === null) throw new ProtocolError('invalid_tag', 'tags.d', 'd is not a UUID');
  const s = requireTag(tags, 's');
  if (!(DISPUTE_STATUSES as readonly string[]).includes(s)) {
    throw new ProtocolError('invalid_tag', 'tags.s', `unknown dispute status ${s}`);
  }
  const initiator = tagValue(tags, 'initiator');
  if (initiator !== undefined && !['buyer', 'seller', 'unknown'].includes(initiator)) {
    throw new ProtocolError('invalid_tag', 'tags.initiator', `unknown initiator ${initiator}`);
  }
  const openedTag = findTag(tags, 'published_at') ? 'published_at' : 'created_at';
  const opened = tagValue(tags, openedTag);
  const expiration = tagValue(tags, 'expiration');
  return {
    id,
    status: s as DisputeStatus,
    initiator: (initiator as PublishedDisputeInitiator | undefined) ?? null,
    opened_at: opened === undefined ? null : parseIntTag(opened, openedTag),
    expiration: expiration === undefined ? null : parseIntTag(expiration, 'expiration'),
    instance_name: findTag(tags, 'y')?.[1] ?? null,
    created_at,
  };
}
