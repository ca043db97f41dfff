// The durable outbox: a message is a row written with the state change that causes it, delivered
// in the background until a relay acknowledges it, resumed by the next run after a crash, and every
// attempt of one message is the same event (same id), so clients drop the copies.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { finalizeEvent, generateSecretKey, getPublicKey, type NostrEvent } from 'nostr-tools/pure';
import { message } from '../../src/app/messages.ts';
import { createOutbox, type Outbox } from '../../src/app/outbox.ts';
import { ManualClock } from '../../src/clock.ts';
import { type Db, openDatabase, transaction } from '../../src/db/open.ts';
import { listOutbox } from '../../src/db/outbox.ts';
import { createDelivery, type Delivery, type PublishOutcome } from '../../src/publish/delivery.ts';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function dbFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mostro-outbox-'));
  dirs.push(dir);
  return join(dir, 'mostro.db');
}

const [ORDER1, ORDER2, ORDER3, ORDER4] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
const nodeKey = generateSecretKey();
const alice = getPublicKey(generateSecretKey());
const bob = getPublicKey(generateSecretKey());

/** A fake network: `up` decides whether relays acknowledge; every publish is recorded. */
class Relays {
  up = true;
  published: NostrEvent[] = [];
  accepted: NostrEvent[] = [];
  async publish(event: NostrEvent): Promise<PublishOutcome[]> {
    this.published.push(event);
    if (!this.up) return [{ ok: false, reason: 'not-connected' }];
    this.accepted.push(event);
    return [{ ok: true }, { ok: false, reason: 'rejected' }];
  }
}

let wrapCount = 0;
function run(db: Db, relays: Relays): { outbox: Outbox; delivery: Delivery } {
  const delivery = createDelivery({
    db,
    // A stand-in for the gift wrap: random each call (as a real wrap is), so a re-wrap would show.
    wrap: async (to, m) => {
      wrapCount++;
      return finalizeEvent(
        {
          kind: 1059,
          created_at: Math.floor(Date.now() / 1000),
          tags: [['p', to.pubkey]],
          content: JSON.stringify({ m: m.kind.action, id: m.kind.id, nonce: Math.random() }),
        },
        generateSecretKey(),
      );
    },
    publish: (e) => relays.publish(e),
    log: () => {},
    backoffMs: () => 20,
  });
  const outbox = createOutbox({ db, clock: new ManualClock(), wake: delivery.wake, drain: delivery.drain });
  return { outbox, delivery };
}

const contentOf = (e: NostrEvent) => JSON.parse(e.content) as { m: string; id: string };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a message queued in a transaction that rolls back is never sent; a committed one is', async () => {
  const { db } = openDatabase(dbFile());
  const relays = new Relays();
  const { outbox, delivery } = run(db, relays);
  assert.throws(() =>
    transaction(db, () => {
      void outbox.send({ pubkey: alice, transport: 'gift-wrap' }, message('released', { id: ORDER1 }));
      throw new Error('the state change failed');
    }),
  );
  transaction(db, () => {
    void outbox.send({ pubkey: alice, transport: 'gift-wrap' }, message('rate', { id: ORDER1 }));
  });
  await outbox.drain();
  assert.deepEqual(
    relays.accepted.map((e) => contentOf(e).m),
    ['rate'],
  );
  assert.equal(listOutbox(db).length, 0, 'delivered rows leave the outbox');
  await delivery.stop();
  db.close();
});

test('while no relay acknowledges, messages wait and are retried as the SAME event, in order per recipient', async () => {
  const { db } = openDatabase(dbFile());
  const relays = new Relays();
  relays.up = false;
  const { outbox, delivery } = run(db, relays);
  const before = wrapCount;
  void outbox.send({ pubkey: alice, transport: 'gift-wrap' }, message('buyer-took-order', { id: ORDER2 }));
  void outbox.send({ pubkey: alice, transport: 'gift-wrap' }, message('fiat-sent-ok', { id: ORDER2 }));
  void outbox.send({ pubkey: bob, transport: 'nip44' }, message('hold-invoice-payment-accepted', { id: ORDER2 }));
  await sleep(150);
  assert.ok(relays.published.length >= 4, `retried while relays are down (${relays.published.length} attempts)`);
  const rows = listOutbox(db);
  assert.equal(rows.length, 3, 'nothing is dropped');
  assert.ok(rows[0]!.attempts >= 2 && rows[0]!.last_error?.includes('not-connected'));
  assert.equal(rows[1]!.attempts, 0, "alice's second message waits for her first (order per recipient)");
  relays.up = true;
  delivery.retryNow();
  await outbox.drain();
  assert.equal(listOutbox(db).length, 0);
  assert.deepEqual(
    relays.accepted.filter((e) => e.tags[0]![1] === alice).map((e) => contentOf(e).m),
    ['buyer-took-order', 'fiat-sent-ok'],
  );
  // Every attempt of one message published the one event wrapped at its first attempt.
  const idsPerMessage = new Map<string, Set<string>>();
  for (const e of relays.published) {
    const key = `${e.tags[0]![1]}:${contentOf(e).m}`;
    idsPerMessage.set(key, (idsPerMessage.get(key) ?? new Set()).add(e.id));
  }
  for (const [key, ids] of idsPerMessage) assert.equal(ids.size, 1, `${key} was always the same event`);
  assert.equal(wrapCount - before, 3, 'each message was wrapped once');
  await delivery.stop();
  db.close();
});

test('what a run left unsent (even already wrapped) is sent by the next run, with the same event id', async () => {
  const path = dbFile();
  const relays = new Relays();
  relays.up = false;
  {
    const { db } = openDatabase(path);
    const { outbox, delivery } = run(db, relays);
    void outbox.send(
      { pubkey: alice, transport: 'gift-wrap' },
      message('hold-invoice-payment-settled', { id: ORDER3 }),
    );
    void outbox.send({ pubkey: bob, transport: 'gift-wrap' }, message('released', { id: ORDER3 }));
    await sleep(60);
    await delivery.stop(); // the process dies: no cleanup beyond closing the file
    db.close();
  }
  const firstIds = new Set(relays.published.map((e) => e.id));
  assert.ok(firstIds.size === 2, 'both were wrapped and attempted before the crash');
  relays.up = true;
  const { db } = openDatabase(path);
  const { outbox, delivery } = run(db, relays);
  await sleep(10);
  await outbox.drain();
  assert.deepEqual(relays.accepted.map((e) => contentOf(e).m).sort(), ['hold-invoice-payment-settled', 'released']);
  for (const e of relays.accepted) assert.ok(firstIds.has(e.id), 'the next run sent the stored event, not a re-wrap');
  assert.equal(listOutbox(db).length, 0);
  await delivery.stop();
  db.close();
});

test("the node's own replaceable events: a newer unsent revision supersedes the older one", async () => {
  const { db } = openDatabase(dbFile());
  const relays = new Relays();
  relays.up = false;
  const { outbox, delivery } = run(db, relays);
  const revision = (status: string, at: number) =>
    finalizeEvent(
      {
        kind: 38383,
        created_at: at,
        tags: [
          ['d', ORDER4],
          ['s', status],
        ],
        content: '',
      },
      nodeKey,
    );
  const note = finalizeEvent({ kind: 1, created_at: 1, tags: [], content: 'x' }, nodeKey);
  outbox.event(revision('pending', 100));
  outbox.event(note);
  outbox.event(revision('in-progress', 101));
  await sleep(30);
  assert.deepEqual(
    listOutbox(db).map((r) => (JSON.parse(r.event!) as NostrEvent).created_at),
    [1, 101],
    'only the newest revision of the order waits, beside the regular event',
  );
  relays.up = true;
  delivery.retryNow();
  await outbox.drain();
  assert.equal(listOutbox(db).length, 0);
  assert.ok(relays.accepted.some((e) => e.kind === 38383 && e.created_at === 101));
  await delivery.stop();
  db.close();
});
