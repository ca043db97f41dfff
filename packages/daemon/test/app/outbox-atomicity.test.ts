// Every message the node sends commits in the same SQLite transaction as the state change that
// causes it (ARCHITECTURE.md, "Outbox"). For each handler a failure is injected right after the
// state change — a trigger that makes every outbox write fail, as a full disk or a constraint would —
// and the database must then hold neither the change nor a message; the same action once the
// failure is gone commits both. Where a Lightning call comes between (release, admin-settle), the
// escrow's persisted steps decide, and the announcement is written whole later.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { Action, Payload } from '@mostro/protocol';
import { getDisputeByOrder } from '../../src/db/disputes.ts';
import { listJournal } from '../../src/db/journal.ts';
import { setSolver } from '../../src/db/users.ts';
import { Harness, orderPayload, type User } from './harness.ts';

let h: Harness;
afterEach(() => h.close());

const FAIL_OUTBOX = `CREATE TEMP TRIGGER fail_outbox BEFORE INSERT ON outbox
  BEGIN SELECT RAISE(ABORT, 'injected: the outbox write fails'); END`;

function setup(settings: Record<string, Record<string, unknown>> = {}) {
  h = new Harness({ durableOutbox: true, settings });
  return { seller: h.user('seller'), buyer: h.user('buyer') };
}

/** Every table's rows, except route-probe journal entries (a record of a probe, not a state change). */
function snapshot(): string {
  const tables = h.db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as { name: string }[];
  const rows = tables.map(({ name }) => {
    const all = h.db.prepare(`SELECT * FROM ${name}`).all() as Record<string, unknown>[];
    return [
      name,
      all
        .filter((r) => r.step !== 'payout.probe')
        .map((r) => JSON.stringify(r))
        .sort(),
    ];
  });
  return JSON.stringify(rows);
}

const outboxRows = () => (h.db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;

/** DM rows queued for `action` (the stored message names its action). */
const queued = (action: Action): number =>
  (h.db.prepare('SELECT message FROM outbox WHERE message IS NOT NULL').all() as { message: string }[]).filter(
    (r) => Object.values(JSON.parse(r.message) as Record<string, { action: string }>)[0]?.action === action,
  ).length;

type Fields = { id?: string; payload?: Payload | null };

/** The action fails as a whole while the outbox cannot be written, and commits whole afterwards. */
async function bothOrNeither(user: User, action: Action, fields: Fields): Promise<void> {
  const before = snapshot();
  h.db.exec(FAIL_OUTBOX);
  const failed = await h.send(user, action, fields);
  h.db.exec('DROP TRIGGER fail_outbox');
  assert.equal(failed, 'internal-error', `${action} fails while its messages cannot be written`);
  assert.equal(snapshot(), before, `${action}: neither the state change nor a message was kept`);

  const rows = outboxRows();
  assert.equal(await h.send(user, action, fields), 'handled', `${action} succeeds once the outbox works`);
  assert.notEqual(snapshot(), before, `${action} changed the state`);
  assert.ok(outboxRows() > rows, `${action} queued its messages with the change`);
}

const sellOrder = (maker: User) => h.newOrder(maker, { kind: 'sell' });

async function active(seller: User, buyer: User): Promise<string> {
  const id = await sellOrder(seller);
  await h.send(buyer, 'take-sell', { id, payload: { payment_request: [null, h.buyerInvoice(), null] } });
  await h.sellerPays(seller);
  assert.equal(h.order(id).status, 'active');
  return id;
}

async function disputed(seller: User, buyer: User): Promise<{ id: string; solver: User }> {
  const id = await active(seller, buyer);
  assert.equal(await h.send(buyer, 'dispute', { id }), 'handled');
  const solver = h.user('solver', { fullPrivacy: true });
  setSolver(h.db, solver.identity, 'read-write', h.clock.now());
  assert.equal(await h.send(solver, 'admin-take-dispute', { id: getDisputeByOrder(h.db, id)!.id }), 'handled');
  return { id, solver };
}

describe('outbox rows commit with the state change that causes them', () => {
  it('new-order', async () => {
    const { seller } = setup();
    await bothOrNeither(seller, 'new-order', { payload: { order: orderPayload({ kind: 'sell' }) } });
  });

  it('take-sell without an invoice', async () => {
    const { seller, buyer } = setup();
    await bothOrNeither(buyer, 'take-sell', { id: await sellOrder(seller) });
  });

  it('add-invoice: stored, the seller told (before the hold invoice is made)', async () => {
    const { seller, buyer } = setup();
    const id = await sellOrder(seller);
    await h.send(buyer, 'take-sell', { id });
    await bothOrNeither(buyer, 'add-invoice', { id, payload: { payment_request: [null, h.buyerInvoice(), null] } });
    assert.equal(h.order(id).status, 'waiting-payment');
  });

  it('add-invoice: a replacement before release', async () => {
    const { seller, buyer } = setup();
    const id = await active(seller, buyer);
    await bothOrNeither(buyer, 'add-invoice', { id, payload: { payment_request: [null, h.buyerInvoice(), null] } });
  });

  it('fiat-sent', async () => {
    const { seller, buyer } = setup();
    await bothOrNeither(buyer, 'fiat-sent', { id: await active(seller, buyer) });
  });

  it('cancel of a pending order by its maker', async () => {
    const { seller } = setup();
    await bothOrNeither(seller, 'cancel', { id: await sellOrder(seller) });
  });

  it('cancel of a taken order by its maker, before the hold invoice', async () => {
    const { seller, buyer } = setup();
    const id = await sellOrder(seller);
    await h.send(buyer, 'take-sell', { id });
    await bothOrNeither(seller, 'cancel', { id });
    assert.equal(h.order(id).status, 'canceled');
  });

  it('cancel by the taker: the order back on the book, the maker told', async () => {
    const { seller, buyer } = setup();
    const id = await sellOrder(seller);
    await h.send(buyer, 'take-sell', { id });
    await bothOrNeither(buyer, 'cancel', { id });
    assert.equal(h.order(id).status, 'pending');
  });

  it('cooperative cancel: asked, then accepted (the hold refunded after the commit)', async () => {
    const { seller, buyer } = setup();
    const id = await active(seller, buyer);
    await bothOrNeither(buyer, 'cancel', { id });
    await bothOrNeither(seller, 'cancel', { id });
    assert.equal(h.order(id).status, 'cooperatively-canceled');
    assert.equal(await h.holdState(h.order(id).hash), 'canceled');
  });

  it('dispute', async () => {
    const { seller, buyer } = setup();
    await bothOrNeither(buyer, 'dispute', { id: await active(seller, buyer) });
  });

  it('admin-take-dispute', async () => {
    const { seller, buyer } = setup();
    const id = await active(seller, buyer);
    await h.send(buyer, 'dispute', { id });
    const solver = h.user('solver', { fullPrivacy: true });
    setSolver(h.db, solver.identity, 'read-write', h.clock.now());
    await bothOrNeither(solver, 'admin-take-dispute', { id: getDisputeByOrder(h.db, id)!.id });
  });

  it('admin-cancel (the hold canceled after the commit)', async () => {
    const { seller, buyer } = setup();
    const { id, solver } = await disputed(seller, buyer);
    await bothOrNeither(solver, 'admin-cancel', { id });
    assert.equal(h.order(id).status, 'canceled-by-admin');
    assert.equal(await h.holdState(h.order(id).hash), 'canceled');
  });

  it('admin-settle: the dispute closes with its messages; a repeated admin-settle announces a settle whose messages failed', async () => {
    const { seller, buyer } = setup();
    const { id, solver } = await disputed(seller, buyer);
    h.db.exec(FAIL_OUTBOX);
    await h.send(solver, 'admin-settle', { id });
    h.db.exec('DROP TRIGGER fail_outbox');
    const dispute = () => getDisputeByOrder(h.db, id)!;
    // Whatever Lightning did, the dispute's close and its messages are one: both or neither.
    assert.equal(dispute().status === 'settled', queued('admin-settled') > 0);
    assert.equal(queued('admin-settled'), 0);

    assert.equal(await h.send(solver, 'admin-settle', { id }), 'handled');
    assert.equal(dispute().status, 'settled');
    assert.equal(queued('admin-settled'), 3, 'solver, seller and buyer, once each');
    await h.settle();
    assert.equal(h.order(id).status, 'success', 'the buyer is paid');
  });

  it('release: announced with its messages and the range child, or not at all (the payout announces it later)', async () => {
    const { seller, buyer } = setup();
    const id = await active(seller, buyer);
    await h.send(buyer, 'fiat-sent', { id });
    h.db.exec(FAIL_OUTBOX);
    await h.send(seller, 'release', { id });
    h.db.exec('DROP TRIGGER fail_outbox');
    const announced = () => listJournal(h.db, id).some((e) => e.step === 'release.announced');
    assert.equal(announced(), queued('released') > 0, 'announced ⇔ the buyer told');
    assert.equal(announced(), false);

    await h.escrow.payBuyer(id);
    await h.settle();
    assert.ok(announced());
    assert.equal(queued('released'), 1);
    assert.equal(queued('hold-invoice-payment-settled'), 1);
    assert.equal(h.order(id).status, 'success');
  });

  it('rate-user', async () => {
    const { seller, buyer } = setup();
    const id = await active(seller, buyer);
    await h.send(buyer, 'fiat-sent', { id });
    await h.send(seller, 'release', { id });
    assert.equal(h.order(id).status, 'success');
    await bothOrNeither(buyer, 'rate-user', { id, payload: { rating_user: 5 } });
  });

  it('declare-payer', async () => {
    const { seller, buyer } = setup({ payer_history: { enabled: true } });
    const id = await active(seller, buyer);
    await bothOrNeither(buyer, 'declare-payer', {
      id,
      payload: { payer_declaration: { payment_hash: 'ab'.repeat(32) } },
    });
  });

  it('admin-cancel of an order nobody took (the node key)', async () => {
    const { seller } = setup();
    const id = await sellOrder(seller);
    const admin = h.user('node', { fullPrivacy: true });
    admin.identity = admin.trade = h.ctx.nodePubkey;
    await bothOrNeither(admin, 'admin-cancel', { id });
    assert.equal(h.order(id).status, 'canceled-by-admin');
  });

  it('trade-pubkey', async () => {
    const { seller } = setup();
    const id = await sellOrder(seller);
    h.rotate(seller);
    await bothOrNeither(seller, 'trade-pubkey', { id });
    assert.equal(h.order(id).seller_pubkey, seller.trade);
  });

  it('admin-add-solver', async () => {
    setup();
    const admin = h.user('node', { fullPrivacy: true });
    admin.identity = admin.trade = h.ctx.nodePubkey;
    await bothOrNeither(admin, 'admin-add-solver', { payload: { text_message: 'cd'.repeat(32) } });
  });
});
