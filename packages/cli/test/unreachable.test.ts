// A stopped relay or node is reported as such: which relay cannot be reached, a non-zero exit for
// one-shot commands, "relay reachable, node silent" told apart, and `watch` retrying with a status.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { type EmbeddedRelay, startEmbeddedRelay } from '../../daemon/src/relay/index.ts';
import { type CliUser, mostro, mostroBackground } from './helpers/cli.ts';

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe('a stopped relay or a silent node is reported', () => {
  const root = mkdtempSync(join(tmpdir(), 'mostro-down-'));
  const node = getPublicKey(generateSecretKey());
  let relay: EmbeddedRelay;
  let down: CliUser;
  let silent: CliUser;
  let deadUrl = '';

  before(async () => {
    relay = await startEmbeddedRelay();
    deadUrl = `ws://127.0.0.1:${await closedPort()}`;
    down = { home: join(root, 'u'), env: { MOSTRO_NODE: node, MOSTRO_RELAYS: deadUrl } };
    silent = { home: join(root, 'u'), env: { MOSTRO_NODE: node, MOSTRO_RELAYS: relay.url, MOSTRO_TIMEOUT: '2' } };
    assert.equal((await mostro(down, ['init', '--json'])).code, 0);
  });
  after(async () => {
    await relay.close();
    rmSync(root, { recursive: true, force: true });
  });

  for (const args of [['orders'], ['trades'], ['node'], ['fiat-sent', '308e1272-d5f4-47e6-bd97-3504baea9c23']]) {
    it(`${args[0]}: the relay cannot be reached, exit 1`, async () => {
      const r = await mostro(down, args);
      assert.equal(r.code, 1, `${args[0]}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, new RegExp(`cannot reach the relay ${deadUrl.replace(/[/.]/g, '\\$&')}`));
      assert.doesNotMatch(r.stdout, /no orders match/);
    });
  }

  it('node: the relay is reachable but the node does not answer', async () => {
    const r = await mostro(silent, ['node']);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /relay .*reachable/);
    assert.match(r.stderr, /node .*(does not|did not) answer/);
  });

  it('admin commands need only MOSTRO_ADMIN_KEY, no user session', async () => {
    const solver: CliUser = {
      home: join(root, 'solver-only'),
      env: {
        MOSTRO_NODE: node,
        MOSTRO_RELAYS: relay.url,
        MOSTRO_ADMIN_KEY: Buffer.from(generateSecretKey()).toString('hex'),
      },
    };
    const r = await mostro(solver, ['admin', 'disputes'], { env: { MOSTRO_PASSPHRASE: '' } });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /no disputes/);
  });

  it('watch keeps retrying with a visible status line', async () => {
    const w = mostroBackground(down, ['watch']);
    const start = Date.now();
    let err = '';
    while (Date.now() - start < 30_000 && !/retrying/.test(err)) {
      await new Promise((r) => setTimeout(r, 200));
      err = w.errput();
    }
    await new Promise((r) => setTimeout(r, 1500));
    const { code, stderr } = await w.stop();
    assert.match(stderr, new RegExp(`cannot reach the relay ${deadUrl.replace(/[/.]/g, '\\$&')}.*retrying`));
    assert.notEqual(code, 1, 'still running when stopped, not failed');
  });
});
