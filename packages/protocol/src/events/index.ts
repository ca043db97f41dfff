export {
  DAY_SECONDS,
  type EventLike,
  findTag,
  latestByD,
  nextCreatedAt,
  readEvent,
  tagValue,
} from './common.ts';
export * from './dev-fee.ts';
export * from './dispute.ts';
export * from './health.ts';
export * from './info.ts';
export * from './order.ts';
export * from './profile.ts';
export * from './rates.ts';
export * from './rating.ts';
export * from './relay-list.ts';
