// `npm run demo`: the whole product on one machine, as real processes. mostrod on its embedded
// stack (relay, simulated Lightning, SQLite) and two users through the `mostro` CLI, each with its
// own home directory: Alice in reputation mode, Bob in full private mode. A sell trade and a buy
// trade with chat both ways, then a dispute that a solver (added by the node operator) takes,
// reads the chat with the key Bob hands over, and settles. Every step is printed and checked;
// the exit code is 0 only if every step happened as expected. Everything started is stopped and
// every temporary directory removed on exit, failure included.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { toNpub } from '@mostro/protocol';
import { bytesToHex } from '@noble/hashes/utils.js';
import { generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { type CliUser, cli } from '../test/e2e/support/cli.ts';
import { type Mostrod, startMostrod } from '../test/e2e/support/mostrod.ts';
import { cleanup, tempDir, until } from '../test/e2e/support/processes.ts';

const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const dim = (s: string) => (process.stdout.isTTY ? `\x1b[2m${s}\x1b[0m` : s);
let stepNo = 0;
const started = Date.now();

function section(title: string) {
  console.log(`\n${bold(`━━ ${title} ━━`)}`);
}
function step(who: string, what: string, detail = '') {
  stepNo++;
  console.log(`${String(stepNo).padStart(3)}. ${bold(who.padEnd(8))} ${what}${detail ? dim(`  ${detail}`) : ''}`);
}

const short = (hex: string | null | undefined) => (hex ? `${hex.slice(0, 8)}…` : '?');

async function tradeOf(user: CliUser, id: string) {
  // biome-ignore lint/suspicious/noExplicitAny: JSON answer, fields asserted where used
  return ((await cli(user, ['trades', '--all'])) as any[]).find((t) => t.orderId === id);
}

/** Polls `mostro trades` (which catches up on the node's messages) until `ok` holds. */
async function waitTrade(user: CliUser, id: string, what: string, ok: (t: Record<string, unknown>) => boolean) {
  let last: unknown = null;
  return until(
    `${user.name}: ${what}`,
    async () => {
      const t = await tradeOf(user, id);
      last = t ? { status: t.status, next: t.next, lastAction: t.lastAction } : null;
      return t && ok(t) ? t : undefined;
    },
    90_000,
    500,
  ).catch((e: Error) => {
    throw new Error(`${e.message}; last seen ${JSON.stringify(last)}`);
  });
}

async function chatBothWays(seller: CliUser, buyer: CliUser, id: string, texts: [string, string]) {
  await cli(seller, ['chat', 'send', id, texts[0]]);
  step(
    seller.name,
    `chat → "${texts[0]}"`,
    'kind 14 signed by the shared K_sign, NIP-44 under K_conv: the node is not involved',
  );
  await cli(buyer, ['chat', 'send', id, texts[1]]);
  step(buyer.name, `chat → "${texts[1]}"`);
  for (const u of [buyer, seller]) {
    const read = await until(
      `${u.name} reads both chat messages`,
      async () => {
        const m = ((await cli(u, ['chat', 'read', id])) as { text: string }[]).map((x) => x.text);
        return texts.every((t) => m.includes(t)) ? m : undefined;
      },
      30_000,
      500,
    );
    step(u.name, `reads the chat: ${read.map((t) => `"${t}"`).join(', ')}`);
  }
}

async function main() {
  const root = tempDir('mostro-demo');
  section('the node');
  const node: Mostrod = await startMostrod(join(root, 'node'));
  step('mostrod', `running: ${node.npub}`, `relay ${node.relay}, simulated wallet API ${node.wallet}`);
  const env = { MOSTRO_NODE: node.npub, MOSTRO_RELAYS: node.relay, MOSTRO_WALLET_URL: node.wallet as string };
  const alice: CliUser = { name: 'alice', home: join(root, 'alice'), env: { ...env, MOSTRO_WALLET: 'alice' } };
  const bob: CliUser = {
    name: 'bob',
    home: join(root, 'bob'),
    env: { ...env, MOSTRO_WALLET: 'bob', MOSTRO_PRIVATE: '1' },
  };

  section('two users');
  const a = await cli(alice, ['init']);
  assert.equal(typeof a.mnemonic, 'string');
  step(
    'alice',
    'mostro init: reputation mode',
    'trade keys derived from her mnemonic; her identity key signs a proof inside each encrypted request',
  );
  await cli(bob, ['init']);
  step(
    'bob',
    'mostro init: full private mode',
    'no identity proof, no trade index: every order under an unlinkable key',
  );
  for (const u of [alice, bob]) {
    const f = await cli(u, ['wallet', 'fund', '1000000']);
    step(u.name, `wallet fund: ${f.balance_sats} simulated sats`);
  }

  // ── sell ──────────────────────────────────────────────────────────────────────────────────────
  section('a sell trade: Alice sells 100 000 sats for 50 EUR, Bob buys');
  const sell = await cli(alice, [
    'new',
    '--kind',
    'sell',
    '--fiat',
    'EUR',
    '--amount',
    '50',
    '--method',
    'SEPA',
    '--sats',
    '100000',
    '--yes',
  ]);
  const sellId: string = sell.orderId;
  assert.equal(sell.status, 'pending');
  step(
    'alice',
    `new-order → order ${sellId}`,
    `trade key #${sell.tradeIndex}; the node publishes it as a kind 38383 event`,
  );
  const book = await cli(bob, ['orders']);
  assert.ok(book.some((o: { id: string }) => o.id === sellId));
  step('bob', `orders: sees ${sellId} in the order book (${book.length} open)`);
  const taken = await cli(bob, ['take', sellId]);
  assert.equal(taken.next, 'add-invoice');
  step(
    'bob',
    `take-sell → the node asks for his invoice of ${taken.amountSats} sats`,
    'amount minus his half of the fee',
  );
  const inv = await cli(bob, ['wallet', 'invoice', String(taken.amountSats)]);
  await cli(bob, ['invoice', sellId, inv.bolt11]);
  step('bob', 'add-invoice: his payout invoice goes to the node', short(inv.bolt11));
  const pay = await cli(alice, ['pay', sellId]);
  step('alice', `pay-invoice: the node sends her a hold invoice of ${pay.amountSats} sats`);
  await cli(alice, ['wallet', 'pay', pay.invoice]);
  step('alice', 'pays the hold invoice: her sats are locked in escrow, not yet paid to anyone');
  const sa = await waitTrade(alice, sellId, 'active', (t) => t.status === 'active');
  const sb = await waitTrade(bob, sellId, 'active', (t) => t.status === 'active');
  step(
    'node',
    'hold-invoice-payment-accepted → the trade is active',
    `alice sees peer ${short(sa.counterpartyPubkey as string)}, bob sees peer ${short(sb.counterpartyPubkey as string)} (trade keys only)`,
  );
  await chatBothWays(alice, bob, sellId, ['hello Bob, my IBAN is in the order notes', 'sent 50 EUR by SEPA']);
  const fs = await cli(bob, ['fiat-sent', sellId]);
  assert.equal(fs.status, 'fiat-sent');
  step('bob', 'fiat-sent');
  await cli(alice, ['release', sellId]);
  step('alice', 'release: the node settles the hold invoice and pays Bob');
  await waitTrade(bob, sellId, 'success', (t) => t.status === 'success');
  step('bob', 'purchase-completed: status success');
  const rated = await cli(bob, ['rate', sellId, '5']);
  assert.equal(rated.acknowledged, true);
  step(
    'bob',
    'rate-user 5 → rate-received',
    'counts toward Alice’s identity; Bob, full private, has no reputation to rate',
  );

  // ── buy ───────────────────────────────────────────────────────────────────────────────────────
  section('a buy trade: Bob wants 50 000 sats for 30 EUR, Alice sells');
  const buy = await cli(bob, [
    'new',
    '--kind',
    'buy',
    '--fiat',
    'EUR',
    '--amount',
    '30',
    '--method',
    'Revolut',
    '--sats',
    '50000',
    '--yes',
  ]);
  const buyId: string = buy.orderId;
  step(
    'bob',
    `new-order (buy) → order ${buyId}`,
    `a fresh trade key #${buy.tradeIndex}, unlinkable to his first trade`,
  );
  const tb = await cli(alice, ['take', buyId]);
  assert.equal(tb.next, 'pay-invoice');
  step('alice', 'take-buy → she must lock the sats first');
  const pay2 = await cli(alice, ['pay', buyId]);
  await cli(alice, ['wallet', 'pay', pay2.invoice]);
  step('alice', `pays the hold invoice of ${pay2.amountSats} sats`);
  const bw = await waitTrade(bob, buyId, 'asked for an invoice', (t) => t.next === 'add-invoice');
  step('node', `add-invoice → asks Bob for an invoice of ${bw.amountSats} sats`);
  const inv2 = await cli(bob, ['wallet', 'invoice', String(bw.amountSats)]);
  await cli(bob, ['invoice', buyId, inv2.bolt11]);
  step('bob', 'add-invoice');
  await waitTrade(alice, buyId, 'active', (t) => t.status === 'active');
  await waitTrade(bob, buyId, 'active', (t) => t.status === 'active');
  step('node', 'the trade is active');
  await chatBothWays(alice, bob, buyId, ['ready when you are', 'paid via Revolut just now']);
  await cli(bob, ['fiat-sent', buyId]);
  step('bob', 'fiat-sent');
  await cli(alice, ['release', buyId]);
  step('alice', 'release');
  await waitTrade(bob, buyId, 'success', (t) => t.status === 'success');
  step('bob', 'paid: status success');

  // ── dispute ───────────────────────────────────────────────────────────────────────────────────
  section('a dispute: the chat handed to a solver, who settles');
  const d = await cli(alice, [
    'new',
    '--kind',
    'sell',
    '--fiat',
    'EUR',
    '--amount',
    '20',
    '--method',
    'SEPA',
    '--sats',
    '20000',
    '--yes',
  ]);
  const dId: string = d.orderId;
  step('alice', `new-order (sell) → ${dId}`);
  const td = await cli(bob, ['take', dId]);
  await cli(bob, ['invoice', dId, (await cli(bob, ['wallet', 'invoice', String(td.amountSats)])).bolt11]);
  step('bob', 'take-sell + add-invoice');
  await cli(alice, ['wallet', 'pay', (await cli(alice, ['pay', dId])).invoice]);
  step('alice', 'pays the hold invoice');
  await waitTrade(bob, dId, 'active', (t) => t.status === 'active');
  const disputed: [string, string] = ['I have not received anything', 'I sent it yesterday, reference 4411'];
  await chatBothWays(alice, bob, dId, disputed);
  const opened = await cli(bob, ['dispute', dId]);
  assert.equal(opened.status, 'dispute');
  const disputeId: string = opened.dispute.id;
  step('bob', `dispute → dispute ${disputeId} opened`, 'the node publishes it (kind 38386) for solvers');

  const nodeKey = bytesToHex(node.secretKey());
  const solverSk = generateSecretKey();
  const solverPub = getPublicKey(solverSk);
  const operator: CliUser = {
    name: 'operator',
    home: join(root, 'operator'),
    env: { ...env, MOSTRO_ADMIN_KEY: nodeKey },
  };
  const solver: CliUser = {
    name: 'solver',
    home: join(root, 'solver'),
    env: { ...env, MOSTRO_ADMIN_KEY: bytesToHex(solverSk) },
  };
  await cli(operator, ['init']);
  await cli(solver, ['init']);
  await cli(operator, ['admin', 'add-solver', toNpub(solverPub)]);
  step('operator', `admin add-solver ${toNpub(solverPub).slice(0, 16)}…`, 'signed with the node key');
  const list = await until('the solver lists the dispute', async () => {
    const l = (await cli(solver, ['admin', 'disputes'])) as { id: string }[];
    return l.some((x) => x.id === disputeId) ? l : undefined;
  });
  step('solver', `admin disputes: ${list.length} open, ${disputeId} among them`);
  const took = await cli(solver, ['admin', 'take', disputeId]);
  assert.equal(took.info.id, dId);
  step(
    'solver',
    'admin take → admin-took-dispute',
    `buyer ${short(took.info.buyer_pubkey)}, seller ${short(took.info.seller_pubkey)}`,
  );
  await waitTrade(
    bob,
    dId,
    'learns the solver',
    (t) => (t.dispute as { solverPubkey?: string } | null)?.solverPubkey === solverPub,
  );
  step('bob', 'learns who the solver is (admin-took-dispute)');
  await cli(bob, ['chat', 'handover', dId]);
  step(
    'bob',
    'chat handover: sends K_conv (read-only key of the buyer–seller chat) to the solver, encrypted to the solver',
  );
  const transcript = await until('the transcript', async () => {
    const r = await cli(solver, ['admin', 'transcript', disputeId]).catch(() => undefined);
    return r && r.messages.length >= 2 ? r : undefined;
  });
  const texts = transcript.messages.map((m: { text: string }) => m.text).sort();
  assert.deepEqual(texts, [...disputed].sort(), 'the solver reads exactly the disputed chat');
  const parties = new Set([took.info.buyer_pubkey, took.info.seller_pubkey]);
  for (const m of transcript.messages as { author: string; sig: string }[])
    assert.ok(parties.has(m.author), `every message is signed by a party of the trade (${m.author})`);
  step(
    'solver',
    `admin transcript: ${transcript.messages.length} messages, each signature verified against the two trade keys`,
  );
  for (const m of transcript.messages as { author: string; text: string }[])
    console.log(dim(`        ${m.author === took.info.buyer_pubkey ? 'buyer ' : 'seller'}: ${m.text}`));
  const before = Number((await cli(bob, ['wallet', 'balance'])).balance_sats);
  await cli(solver, ['admin', 'settle', dId]);
  step('solver', 'admin settle: the hold invoice is settled and the buyer paid');
  const settled = await waitTrade(bob, dId, 'paid after the settle', (t) =>
    ['success', 'settled-by-admin', 'completed-by-admin'].includes(t.status as string),
  );
  const paid = await until('the payout in Bob’s wallet', async () => {
    const now = Number((await cli(bob, ['wallet', 'balance'])).balance_sats);
    return now - before === td.amountSats ? now : undefined;
  });
  step('bob', `admin-settled → ${settled.status}: ${td.amountSats} sats arrived (wallet ${paid} sats)`);

  section('done');
  console.log(`every step happened as expected (${stepNo} steps, ${Math.round((Date.now() - started) / 1000)} s)`);
}

try {
  await main();
  await cleanup();
  process.exit(0);
} catch (e) {
  console.error(`\nDEMO FAILED at step ${stepNo + 1}: ${(e as Error).stack ?? e}`);
  await cleanup();
  process.exit(1);
}
