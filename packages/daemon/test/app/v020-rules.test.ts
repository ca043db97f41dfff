// 0.20 rules of new-order and take (reference-0.20.md §4.12, §8 items 16–17): the sats limits see
// the premium, a Cashu mint is refused on a Lightning node, fiat→sats rounds to the nearest sat.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { holdInvoiceMemo } from '../../src/escrow/memo.ts';
import { Harness, type User } from './harness.ts';

let h: Harness;
let seller: User;
let buyer: User;

beforeEach(() => {
  h = new Harness({ settings: { mostro: { max_order_amount: 1_000_000 } } });
  seller = h.user('seller');
  buyer = h.user('buyer');
});
afterEach(() => h.close());

const order = { kind: 'sell' as const, status: 'pending' as const, amount: 0, fiat_code: 'USD' };
const small = (fields: Record<string, unknown>) => ({
  ...order,
  min_amount: null,
  max_amount: null,
  fiat_amount: 100,
  payment_method: 'bank transfer',
  premium: 0,
  created_at: null,
  expires_at: null,
  ...fields,
});

describe('new-order limits with the premium (#1095)', () => {
  it('505 USD at 50 000 is 1 010 000 sats: over the maximum without a premium, inside with +2 %', async () => {
    assert.equal(await h.send(seller, 'new-order', { payload: { order: small({ fiat_amount: 505 }) } }), 'cant-do');
    assert.equal(h.cantDo(seller), 'out_of_range_sats_amount');
    h.rotate(seller);
    assert.equal(
      await h.send(seller, 'new-order', { payload: { order: small({ fiat_amount: 505, premium: 2 }) } }),
      'handled',
    );
  });

  it('a range checks each end with the premium; a negative premium can push the top end out', async () => {
    const range = small({ fiat_amount: 0, min_amount: 10, max_amount: 495 });
    assert.equal(await h.send(seller, 'new-order', { payload: { order: range } }), 'handled');
    h.rotate(seller);
    assert.equal(await h.send(seller, 'new-order', { payload: { order: { ...range, premium: -2 } } }), 'cant-do');
    assert.equal(h.cantDo(seller), 'out_of_range_sats_amount');
  });

  it('half a range is invalid_amount', async () => {
    for (const half of [{ min_amount: 10 }, { max_amount: 50 }]) {
      assert.equal(
        await h.send(seller, 'new-order', { payload: { order: small({ fiat_amount: 0, ...half }) } }),
        'cant-do',
      );
      assert.equal(h.cantDo(seller), 'invalid_amount');
    }
  });

  it('an order naming a Cashu mint is invalid_mint_url on this Lightning node; nothing stored', async () => {
    const before = h.db.prepare('SELECT COUNT(*) AS n FROM orders').get() as { n: number };
    const payload = { order: small({ cashu_mint_url: 'https://mint.example' }) };
    assert.equal(await h.send(seller, 'new-order', { payload }), 'cant-do');
    assert.equal(h.cantDo(seller), 'invalid_mint_url');
    assert.deepEqual(h.db.prepare('SELECT COUNT(*) AS n FROM orders').get(), before);
  });
});

describe('fiat→sats rounds to the nearest sat (#1090)', () => {
  it('2 USD at 30 000 USD/BTC is 6 666.67 sats: the take fixes 6 667 (0.14 truncated to 6 666)', async () => {
    h.ctx.quote = () => ({ ok: true as const, price: 30_000 });
    const id = await h.newOrder(seller, { kind: 'sell', fiat_amount: 2 });
    assert.equal(await h.send(buyer, 'take-sell', { id }), 'handled');
    assert.equal(h.order(id).amount, 6_667);
  });
});

describe('hold-invoice memo (#1096)', () => {
  it('fiat: "<code> <fa>"; BTC-pegged codes in any case: "<fa> sats of <code>"', () => {
    const id = '308e1272-d5f4-47e6-bd97-3504baea9c23';
    const tail =
      ' - It WILL FREEZE IN WALLET. It will release once you release. It will return if buyer does not confirm the payment';
    assert.equal(
      holdInvoiceMemo({ id, fiat_code: 'USD', fiat_amount: 100 }),
      `Escrow amount Order #${id}: SELL BTC for USD 100${tail}`,
    );
    for (const code of ['BTC', 'lbtc', 'RBTC']) {
      assert.equal(
        holdInvoiceMemo({ id, fiat_code: code, fiat_amount: 21_000 }),
        `Escrow amount Order #${id}: SELL BTC for 21000 sats of ${code}${tail}`,
      );
    }
    assert.equal(
      holdInvoiceMemo({ id, fiat_code: 'USDT', fiat_amount: 5 }),
      `Escrow amount Order #${id}: SELL BTC for USDT 5${tail}`,
    );
  });
});
