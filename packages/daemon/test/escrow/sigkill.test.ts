// A real process death: a child process runs a sell or a buy trade and SIGKILLs itself right before
// or right after one Lightning call (no cleanup, no flush beyond what SQLite committed). The parent
// opens the same two SQLite files, reconciles, finishes the trade, and checks the money.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { retryPayouts } from '../../src/jobs/payout-retries.ts';
import { Harness, type User } from '../app/harness.ts';

const child = fileURLToPath(new URL('./sigkill-child.ts', import.meta.url));
const POINTS = [
  ['addHoldInvoice', 'after'],
  ['settleHoldInvoice', 'before'],
  ['settleHoldInvoice', 'after'],
  ['pay', 'before'],
  ['pay', 'after'],
] as const;

describe('SIGKILL at a Lightning call, restart, reconcile', () => {
  for (const kind of ['sell', 'buy'] as const) {
    for (const [method, when] of POINTS) {
      it(`${kind} trade, killed ${when} ${method}`, async () => {
        const dir = mkdtempSync(join(tmpdir(), 'mostro-sigkill-'));
        try {
          const run = spawnSync(process.execPath, ['--import', 'tsx', child, dir, kind, method, when], {
            encoding: 'utf8',
          });
          assert.equal(run.signal, 'SIGKILL', `child was not killed: ${run.status} ${run.stderr}`);
          const saved = JSON.parse(readFileSync(join(dir, 'trade.json'), 'utf8')) as {
            id: string;
            seller: User;
            buyer: User;
          };
          const h = new Harness({ dir });
          try {
            const { id, seller, buyer } = saved;
            await h.escrow.reconcileReport();
            await h.settle();
            // Finish the trade from wherever the dead process left it.
            if (h.order(id).status === 'waiting-payment') {
              const hold = h.net.getInvoice(h.order(id).hash!);
              assert.ok(hold.ok);
              assert.ok(h.net.fund('seller', 1_000_000).ok);
              assert.ok(h.net.pay('seller', { request: hold.value.request, maxFeeSats: 1000 }).ok);
              await h.settle();
            }
            if (h.order(id).status === 'waiting-buyer-invoice') {
              await h.send(buyer, 'add-invoice', { id, payload: { payment_request: [null, h.buyerInvoice(), null] } });
            }
            if (h.order(id).status === 'active') await h.send(buyer, 'fiat-sent', { id });
            if (h.order(id).status === 'fiat-sent') await h.send(seller, 'release', { id });
            if (h.order(id).status === 'settled-hold-invoice') {
              h.clock.advance(60);
              await retryPayouts(h.ctx);
            }
            assert.equal(h.order(id).status, 'success');
            assert.equal(h.net.payments('mostro').filter((p) => p.state === 'succeeded').length, 1, 'paid once');
            assert.equal(h.balanceSats('buyer'), 50_000 - 150);
            await h.assertInvariant();
          } finally {
            h.close();
          }
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });
    }
  }
});
