// Bond decisions about one order take turns (a lock notification, the jobs, a handler) on the
// escrow's keyed lock, under a key of their own: carrying out a take needs the order's escrow key.
export const bondLockKey = (orderId: string): string => `bond:${orderId}`;
