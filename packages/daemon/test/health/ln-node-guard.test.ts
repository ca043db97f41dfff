// The Lightning-node change guard (reference-0.20.md §4.1): the first LND is remembered; another
// one is refused while escrows are open unless allowed; a drained node may change freely. And a
// real node refuses to start on another LND while an order holds an accepted hold invoice.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { type Db, openDatabase } from '../../src/db/open.ts';
import { drainCounters } from '../../src/health/drain.ts';
import { checkLnNode, storedLnNode } from '../../src/health/ln-node-guard.ts';
import type { LightningBackend } from '../../src/lightning/backend.ts';
import { createSimulatedBackend, SimulatedNetwork } from '../../src/lightning/simulated/index.ts';
import { startTestNode } from '../support/test-node.ts';

const A = 'a'.repeat(66);
const B = 'b'.repeat(66);

function insertOrder(db: Db, fields: { status: string; hold_state: string | null }): void {
  db.prepare(
    `INSERT INTO orders (id, kind, event_id, creator_pubkey, status, payment_method, amount, fiat_code, fiat_amount,
       created_at, expires_at, updated_at, hold_state)
     VALUES (@id, 'sell', 'e', 'c', @status, 'bank', 1000, 'USD', 1, 0, 0, 0, @hold_state)`,
  ).run({ id: crypto.randomUUID(), ...fields });
}

describe('LN-node change guard', () => {
  let dir: string;
  let db: Db;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ln-guard-'));
    db = openDatabase(join(dir, 'mostro.db')).db;
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('remembers the first node; the same node passes', () => {
    assert.deepEqual(checkLnNode(db, A, false, 1), { ok: true, warning: null });
    assert.equal(storedLnNode(db), A);
    assert.deepEqual(checkLnNode(db, A, false, 2), { ok: true, warning: null });
  });

  it('another node with an open escrow: refused, unless allowed (then a warning and the new node stored)', () => {
    checkLnNode(db, A, false, 1);
    insertOrder(db, { status: 'active', hold_state: 'accepted' });
    insertOrder(db, { status: 'pending', hold_state: null });
    assert.equal(drainCounters(db).escrowed_orders, 1);
    const refused = checkLnNode(db, B, false, 2);
    assert.equal(refused.ok, false);
    assert.match(!refused.ok ? refused.error : '', /allow_node_change/);
    assert.equal(storedLnNode(db), A, 'nothing changed');
    const allowed = checkLnNode(db, B, true, 3);
    assert.equal(allowed.ok, true);
    assert.match(allowed.ok ? (allowed.warning ?? '') : '', /open escrows/);
    assert.equal(storedLnNode(db), B);
  });

  it('a payout still owed counts as open; a drained node may change freely', () => {
    checkLnNode(db, A, false, 1);
    insertOrder(db, { status: 'settled-hold-invoice', hold_state: 'settled' });
    assert.equal(checkLnNode(db, B, false, 2).ok, false);
    db.prepare(`UPDATE orders SET status = 'success'`).run();
    const drained = checkLnNode(db, B, false, 3);
    assert.equal(drained.ok, true);
    assert.match(drained.ok ? (drained.warning ?? '') : '', /nothing was open on the old one/);
    assert.equal(storedLnNode(db), B);
  });

  it('a node refuses to start on another LND while an escrow is open', async () => {
    const net = new SimulatedNetwork({ tickMs: 0 });
    // The simulated network is exempt (it has no stable identity): play a real LND with a fixed key.
    const asLnd = (pubkey: string): LightningBackend => {
      const backend = createSimulatedBackend(net, `mostro-${pubkey.slice(0, 4)}`);
      return new Proxy(backend, {
        get(target, prop, receiver) {
          if (prop !== 'getInfo') return Reflect.get(target, prop, receiver);
          return async () => {
            const info = await target.getInfo();
            return info.ok ? { ok: true, value: { ...info.value, pubkey, simulated: false } } : info;
          };
        },
      });
    };
    const first = await startTestNode({ lightning: asLnd(A) });
    insertOrder(first.node.ctx.db, { status: 'active', hold_state: 'accepted' });
    await first.stop({ keepData: true });
    try {
      await assert.rejects(startTestNode({ restartOf: first, lightning: asLnd(B) }), /Lightning node changed/);
      const again = await startTestNode({ restartOf: first, lightning: asLnd(A) });
      await again.stop({ keepData: true });
    } finally {
      rmSync(first.dataDir, { recursive: true, force: true });
    }
  });
});
