// A real process death in the middle of a dev-fee payment: the child persisted the invoice's hash
// and died right before or right after paying it. The restarted node pays the fee exactly once and
// publishes one audit event.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { getDevFee } from '../../src/db/dev-fees.ts';
import { listJournal } from '../../src/db/journal.ts';
import { Harness } from '../app/harness.ts';
import { DEV_FEE, DEV_WALLET, devPayments, runDevFees } from './support.ts';

const child = fileURLToPath(new URL('./crash-child.ts', import.meta.url));

describe('SIGKILL around the dev-fee payment, restart', () => {
  for (const when of ['before', 'after'] as const) {
    it(`killed ${when} paying: paid exactly once after the restart`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mostro-devfee-'));
      try {
        const run = spawnSync(process.execPath, ['--import', 'tsx', child, dir, when], { encoding: 'utf8' });
        assert.equal(run.signal, 'SIGKILL', `child was not killed: ${run.status} ${run.stderr}`);
        const { id } = JSON.parse(readFileSync(join(dir, 'trade.json'), 'utf8')) as { id: string };
        const h = new Harness({ dir });
        try {
          const before = getDevFee(h.db, id);
          assert.ok(before?.dev_fee_payment_hash, 'the hash was persisted before paying');
          assert.equal(before.dev_fee_paid, 0);
          assert.equal(h.balanceSats(DEV_WALLET), when === 'after' ? DEV_FEE : 0);

          // The dead run's claim is still fresh: a new run leaves the order alone until it is stale.
          assert.deepEqual([...(await runDevFees(h))], []);
          h.clock.advance(301);
          assert.deepEqual([...(await runDevFees(h))], [[id, 'paid']]);
          assert.equal(getDevFee(h.db, id)?.dev_fee_payment_hash, before.dev_fee_payment_hash, 'the same invoice');
          h.clock.advance(3600);
          await runDevFees(h);

          assert.equal(h.balanceSats(DEV_WALLET), DEV_FEE);
          assert.equal(devPayments(h).length, 1);
          await h.assertInvariant();
          assert.equal(h.events.length, 1);
          assert.equal(h.events[0]?.kind, 8383);
          const steps = listJournal(h.db, id)
            .map((e) => e.step)
            .filter((s) => s.startsWith('dev_fee.'));
          assert.deepEqual(steps, ['dev_fee.pay', 'dev_fee.paid']);
        } finally {
          h.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
