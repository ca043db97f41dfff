// Reputation portability end to end: two real `mostrod` processes on their embedded stacks, node A
// issuing attestations (its issuer key in the environment) and node B trusting A's issuer key. A
// user with history on A runs `mostro reputation export --out FILE` against A, `mostro inspect` on
// the file, and `mostro reputation import FILE` against B, whose own reputation then shows it.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { getPublicKey } from 'nostr-tools/pure';
import { cleanup, freePort, type Proc, startProcess, tempDir } from '../../../test/e2e/support/processes.ts';
import { type CliUser, mostro } from './helpers/cli.ts';

const MOSTROD = fileURLToPath(new URL('../../daemon/bin/mostrod.mjs', import.meta.url));
const FIRST_TRADE = 1_696_250_000; // 2023-10-02

interface Node {
  proc: Proc;
  npub: string;
  relay: string;
  dataDir: string;
  log: () => string;
}

async function startMostrod(dataDir: string, env: Record<string, string>): Promise<Node> {
  const [relayPort, walletPort] = [await freePort(), await freePort()];
  const proc = startProcess(process.execPath, [MOSTROD, '--data-dir', dataDir], {
    ...process.env,
    MOSTRO_RELAY_PORT: String(relayPort),
    MOSTRO_WALLET_PORT: String(walletPort),
    MOSTRO_WEB_ENABLED: 'false',
    ...env,
  });
  const [, npub] = await proc.waitFor(/node:\s+(npub1\w+)/, 120_000);
  return { proc, npub: npub as string, relay: `ws://127.0.0.1:${relayPort}`, dataDir, log: proc.output };
}

/** Ten completed trades and five ratings (5,4,5,5,3) for `identity`, written into A's database. */
function seedHistory(dataDir: string, identity: string): void {
  const db = new Database(join(dataDir, 'mostro.db'));
  try {
    const insert = db.prepare(
      `INSERT INTO orders (id, kind, event_id, creator_pubkey, status, payment_method, amount, fiat_code, fiat_amount,
         created_at, expires_at, taken_at, master_seller_pubkey, updated_at)
       VALUES (?, 'sell', ?, ?, 'success', 'SEPA', 10000, 'EUR', 10, ?, ?, ?, ?, ?)`,
    );
    for (let i = 0; i < 10; i++) {
      const hex = randomBytes(32).toString('hex');
      insert.run(randomUUID(), hex, hex, FIRST_TRADE, FIRST_TRADE + 86_400, FIRST_TRADE + i, identity, FIRST_TRADE);
    }
    db.prepare(
      `INSERT INTO users (pubkey, total_reviews, mean_rating, native_rating_sum, last_rating, min_rating, max_rating, created_at)
       VALUES (?, 5, 4.4, 22, 3, 3, 5, ?)
       ON CONFLICT (pubkey) DO UPDATE SET total_reviews = 5, mean_rating = 4.4, native_rating_sum = 22,
         last_rating = 3, min_rating = 3, max_rating = 5`,
    ).run(identity, FIRST_TRADE);
  } finally {
    db.close();
  }
}

describe('reputation export on one node, import on another', () => {
  const root = tempDir('mostro-rep-e2e');
  const issuerSecret = randomBytes(32).toString('hex');
  const issuerPub = getPublicKey(Buffer.from(issuerSecret, 'hex'));
  let a: Node;
  let b: Node;
  let alice: CliUser;
  let identity = '';

  const run = async (user: CliUser, node: Node, args: string[], opts: { json?: boolean; input?: string } = {}) => {
    const env = { MOSTRO_NODE: node.npub, MOSTRO_RELAYS: node.relay };
    const r = await mostro(user, [...args, ...(opts.json === false ? [] : ['--json'])], {
      env,
      ...(opts.input ? { input: opts.input } : {}),
    });
    return r;
  };

  before(async () => {
    [a, b] = await Promise.all([
      startMostrod(join(root, 'a'), {
        MOSTRO_REPUTATION_EXPORT_ENABLED: 'true',
        MOSTRO_REPUTATION_ISSUER_SK: issuerSecret,
      }),
      startMostrod(join(root, 'b'), {
        MOSTRO_REPUTATION_IMPORT_ENABLED: 'true',
        MOSTRO_REPUTATION_IMPORT_ISSUERS: JSON.stringify([{ name: 'node-a', keys: [issuerPub] }]),
      }),
    ]);
    alice = { home: join(root, 'alice') };
    const init = await run(alice, a, ['init']);
    assert.equal(init.code, 0, init.stderr);
    identity = init.json.identity;
    seedHistory(a.dataDir, identity);
  });
  after(() => cleanup());

  it('each node advertises what it offers', async () => {
    const infoA = await run(alice, a, ['node']);
    assert.equal(infoA.code, 0, infoA.stderr);
    assert.equal(infoA.json.reputationIssuer, issuerPub);
    assert.equal(infoA.json.reputationImportIssuers, null);
    const infoB = await run(alice, b, ['node'], { json: false });
    assert.match(infoB.stdout, /reputation +imports attestations from npub1/);
  });

  it('export → inspect → import, then B shows the reputation', async () => {
    const file = join(root, 'alice-reputation.json');
    const exported = await run(alice, a, ['reputation', 'export', '--out', file]);
    assert.equal(exported.code, 0, `${exported.stderr}${exported.stdout}\n--- A:\n${a.log().slice(-2000)}`);
    assert.equal(exported.json.file, file);
    const event = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(event.kind, 38388);
    assert.equal(event.pubkey, issuerPub);

    const inspected = await mostro(null, ['inspect', '--json'], { input: readFileSync(file, 'utf8') });
    assert.equal(inspected.code, 0, inspected.stderr);
    assert.equal(inspected.json.data.valid, true);
    assert.equal(inspected.json.data.rating, '4.40');
    assert.equal(inspected.json.data.reviews, 5);
    assert.equal(inspected.json.data.destination, identity);

    const imported = await run(alice, b, ['reputation', 'import', file]);
    assert.equal(imported.code, 0, `${imported.stderr}${imported.stdout}\n--- B:\n${b.log().slice(-2000)}`);
    assert.equal(imported.json.reputation.reviews, 5);
    assert.equal(imported.json.reputation.rating, 4.4);
    assert.match(b.log(), /reputation: imported 5 ratings from "node-a"/);

    const human = await run(alice, b, ['reputation'], { json: false });
    assert.match(human.stdout, /rating 4\.40 from 5 reviews, trading since 2023-10-02/);

    // Importing on A, which does not offer import, is refused with the node's reason.
    const refused = await run(alice, a, ['reputation', 'import', file], { json: false });
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /invalid_action/);
  });
});
