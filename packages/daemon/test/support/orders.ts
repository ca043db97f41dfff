// Orders and users for node tests: a fixed-amount order as a maker sends it, and the users of one
// test file (each listening on the node's relays, all closed together).
import type { SmallOrder } from '@mostro/protocol';
import type { TestNode } from './test-node.ts';
import { type Received, TestUser } from './test-user.ts';

export const fixedOrder = (kind: 'buy' | 'sell', fields: Partial<SmallOrder> = {}): SmallOrder => ({
  kind,
  status: 'pending',
  amount: 20_000,
  fiat_code: 'USD',
  min_amount: null,
  max_amount: null,
  fiat_amount: 20,
  payment_method: 'bank transfer',
  premium: 0,
  created_at: 0,
  expires_at: null,
  ...fields,
});

export interface TestUsers {
  user(options?: { transport?: 'nip44' | 'gift-wrap'; fullPrivacy?: boolean }): Promise<TestUser>;
  closeAll(): void;
}

/** `node()` is read when a user is made, so the node may be started after this is called. */
export function testUsers(node: () => TestNode): TestUsers {
  const users: TestUser[] = [];
  return {
    async user(options = {}) {
      const t = node();
      const u = new TestUser({ relays: t.node.relays, nodePubkey: t.node.pubkey, ...options });
      users.push(u);
      await u.listen();
      return u;
    },
    closeAll() {
      for (const u of users) u.close();
    },
  };
}

/** The node's pay-invoice that carries the hold invoice (not the one with the taker's reputation). */
export const isPayInvoice = (r: Received): boolean =>
  r.message.kind.action === 'pay-invoice' &&
  r.message.kind.payload !== null &&
  'payment_request' in r.message.kind.payload;

export const holdInvoiceOf = (r: Received): string =>
  (r.message.kind.payload as { payment_request: [SmallOrder, string, null] }).payment_request[1];
