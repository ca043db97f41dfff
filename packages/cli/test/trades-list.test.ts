// `mostro trades` lists open trades and ended ones whose bond share is still to be claimed or
// paid (they have a next step); `--all` lists every trade.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { newTrade, Session, type TradeRecord } from '@mostro/client';
import { FileSessionStore } from '@mostro/client/node';
import { mostro } from './helpers/cli.ts';

const home = mkdtempSync(join(tmpdir(), 'mostro-trades-'));
const user = { home };
const NODE = 'ab'.repeat(32);

function trade(orderId: string, index: number, changes: Partial<TradeRecord>): TradeRecord {
  return {
    ...newTrade({
      orderId,
      nodePubkey: NODE,
      role: 'maker',
      kind: 'sell',
      tradeIndex: index,
      fullPrivate: false,
      now: 1000 + index,
    }),
    ...changes,
  };
}

describe('mostro trades', () => {
  after(() => rmSync(home, { recursive: true, force: true }));

  it('shows open trades and ended ones with a bond share to claim; --all shows every one', async () => {
    const session = await Session.create(new FileSessionStore(home), 'test passphrase', {
      scrypt: { N: 2 ** 10, r: 8, p: 1 },
    });
    const ids = {
      active: '11111111-1111-4111-8111-111111111111',
      claim: '22222222-2222-4222-8222-222222222222',
      paid: '33333333-3333-4333-8333-333333333333',
      done: '44444444-4444-4444-8444-444444444444',
    };
    await session.update((d) => {
      d.lastTradeIndex = 4;
      d.trades[ids.active] = trade(ids.active, 1, { status: 'active' });
      d.trades[ids.claim] = trade(ids.claim, 2, {
        status: 'canceled-by-admin',
        next: 'add-bond-invoice',
        bondClaim: { amountSats: 500, slashedAt: 1500, state: 'to-claim' },
      });
      d.trades[ids.paid] = trade(ids.paid, 3, {
        status: 'canceled-by-admin',
        next: 'none',
        bondClaim: { amountSats: 500, slashedAt: 1500, state: 'paid' },
      });
      d.trades[ids.done] = trade(ids.done, 4, { status: 'success', next: 'none' });
    });

    const listed = await mostro(user, ['trades', '--offline', '--json']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(listed.json.map((t: { orderId: string }) => t.orderId).sort(), [ids.active, ids.claim].sort());

    const all = await mostro(user, ['trades', '--offline', '--all', '--json']);
    assert.equal(all.code, 0, all.stderr);
    assert.equal(all.json.length, 4);
  });
});
