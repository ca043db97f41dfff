// Kind 8383 — dev-fee payment audit (protocol.md §6.8), a regular (not replaceable) event with no
// buyer/seller data. Tag order: order-id, amount, hash, destination, network, y, z, expiration.
import { ProtocolError } from '../message/errors.ts';
import { canonicalUuid } from '../message/uuid.ts';
import {
  checkInt,
  checkText,
  DAY_SECONDS,
  type EventTemplate,
  findTag,
  optionalInt,
  parseIntTag,
  platformTag,
  readEvent,
  requireTag,
} from './common.ts';

export const DEV_FEE_EVENT_KIND = 8383;

export interface DevFeeEventInput {
  orderId: string;
  /** Dev fee in sats. */
  amount: number;
  paymentHash: string;
  /** The dev lightning address. */
  destination: string;
  networks: readonly string[] | null;
  instanceName?: string | null;
  now: number;
  /** NIP-40 lifetime (setting `fee_audit_days`, default 365). */
  feeAuditDays?: number;
}

export function buildDevFeeEvent(input: DevFeeEventInput): EventTemplate {
  const id = canonicalUuid(input.orderId);
  if (id === null) throw new ProtocolError('invalid_value', 'orderId', 'expected a UUID');
  return {
    kind: DEV_FEE_EVENT_KIND,
    tags: [
      ['order-id', id],
      ['amount', checkInt(input.amount, 'amount')],
      ['hash', checkText(input.paymentHash, 'paymentHash')],
      ['destination', checkText(input.destination, 'destination')],
      ['network', input.networks && input.networks.length > 0 ? input.networks.join(',') : 'unknown'],
      platformTag(input.instanceName),
      ['z', 'dev-fee-payment'],
      ['expiration', checkInt(input.now + (input.feeAuditDays ?? 365) * DAY_SECONDS, 'expiration')],
    ],
    content: '',
    created_at: input.now,
  };
}

export interface DevFeeEventData {
  order_id: string;
  amount: number;
  hash: string;
  destination: string;
  network: string | null;
  instance_name: string | null;
  expiration: number | null;
  created_at: number;
}

export function parseDevFeeEvent(event: unknown): DevFeeEventData {
  const { tags, created_at } = readEvent(event, DEV_FEE_EVENT_KIND);
  const orderId = canonicalUuid(requireTag(tags, 'order-id'));
  if (orderId === null) throw new ProtocolError('invalid_tag', 'tags.order-id', 'order-id is not a UUID');
  return {
    order_id: orderId,
    amount: parseIntTag(requireTag(tags, 'amount'), 'amount'),
    hash: requireTag(tags, 'hash'),
    destination: requireTag(tags, 'destination'),
    network: findTag(tags, 'network')?.[0] ?? null,
    instance_name: findTag(tags, 'y')?.[1] ?? null,
    expiration: optionalInt(tags, 'expiration'),
    created_at,
  };
}
