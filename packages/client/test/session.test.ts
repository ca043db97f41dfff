import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ClientError } from '../src/errors.ts';
import { Session } from '../src/session/session.ts';
import { FileSessionStore } from '../src/session/store.node.ts';
import { MemorySessionStore } from '../src/session/store.ts';

// Low cost only here, to keep the suite quick; the CLI always uses STRONG_SCRYPT.
const FAST = { N: 2 ** 10, r: 8, p: 1 };
const M1 = 'leader monkey parrot ring guide accident before fence cannon height naive bean';
const home = mkdtempSync(join(tmpdir(), 'mostro-session-'));
after(() => rmSync(home, { recursive: true, force: true }));

const code = (c: string) => (e: unknown) => e instanceof ClientError && e.code === c;

describe('session at rest', () => {
  it('round-trips through the sealed blob and derives the V1 keys', async () => {
    const store = new MemorySessionStore();
    const s = await Session.create(store, 'correct horse', { mnemonic: M1, scrypt: FAST });
    assert.equal(s.identity().publicKey, 'b4bf6548df043786641d4b63e748eda4b55fce21beae991512d23487c7bd8950');
    const blob = (await store.read()) as string;
    assert.ok(!blob.includes('leader'), 'the mnemonic is not in the clear');
    const parsed = JSON.parse(blob);
    assert.equal(parsed.version, 1);
    assert.equal(parsed.cipher, 'xchacha20-poly1305');
    assert.equal(parsed.kdf.name, 'scrypt');
    const again = await Session.open(store, 'correct horse');
    assert.equal(again.revealMnemonic(), M1);
    assert.equal(again.key(1).publicKey, '1c71f0a29c9d14198781f36897c6d6c08e2c4f905ba69fc5f8e67d375d705a8a');
  });

  it('refuses a wrong passphrase and a tampered header', async () => {
    const store = new MemorySessionStore();
    await Session.create(store, 'right', { scrypt: FAST });
    await assert.rejects(Session.open(store, 'wrong'), code('wrong_passphrase'));
    const blob = JSON.parse((await store.read()) as string);
    blob.kdf.N = 2 ** 11;
    await assert.rejects(Session.open(new MemorySessionStore(JSON.stringify(blob)), 'right'), code('wrong_passphrase'));
    await assert.rejects(Session.open(new MemorySessionStore('not json'), 'right'), code('corrupt_session'));
    await assert.rejects(
      Session.open(new MemorySessionStore('{"version":9}'), 'right'),
      code('unsupported_session_version'),
    );
  });

  it('changes the passphrase: the new one opens it, the old one no longer does, and it stays usable', async () => {
    const store = new MemorySessionStore();
    const s = await Session.create(store, 'old passphrase', { mnemonic: M1, scrypt: FAST });
    await s.reserveTradeIndex();
    await s.changePassphrase('new passphrase', FAST);
    await assert.rejects(Session.open(store, 'old passphrase'), code('wrong_passphrase'));
    const reopened = await Session.open(store, 'new passphrase');
    assert.equal(reopened.revealMnemonic(), M1);
    assert.equal(reopened.data.lastTradeIndex, 1, 'nothing lost on the way');
    assert.equal((await s.reserveTradeIndex()).index, 2, 'the open session goes on under the new key');
    assert.equal((await Session.open(store, 'new passphrase')).data.lastTradeIndex, 2);
  });

  it('rejects an invalid mnemonic (M3: bad checksum) and an empty passphrase', async () => {
    const m3 = Array(12).fill('tomato').join(' ');
    await assert.rejects(
      Session.create(new MemorySessionStore(), 'pw', { mnemonic: m3, scrypt: FAST }),
      code('invalid_mnemonic'),
    );
    await assert.rejects(Session.create(new MemorySessionStore(), '', { scrypt: FAST }), code('invalid_input'));
  });

  it('never overwrites an existing session unless asked', async () => {
    const store = new MemorySessionStore();
    await Session.create(store, 'pw', { scrypt: FAST });
    await assert.rejects(Session.create(store, 'pw', { scrypt: FAST }), code('session_exists'));
    await Session.create(store, 'pw', { scrypt: FAST, mnemonic: M1, overwrite: true });
    assert.equal((await Session.open(store, 'pw')).revealMnemonic(), M1);
  });

  it('keeps the file private (0600 in a 0700 directory)', async () => {
    const dir = join(home, 'perm');
    await Session.create(new FileSessionStore(dir), 'pw', { scrypt: FAST });
    assert.equal(statSync(join(dir, 'session.json')).mode & 0o777, 0o600);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.ok(!readFileSync(join(dir, 'session.json'), 'utf8').includes('"mnemonic"'));
  });
});

describe('trade index', () => {
  it('is never reused across restarts', async () => {
    const dir = join(home, 'restart');
    const first = await Session.create(new FileSessionStore(dir), 'pw', { mnemonic: M1, scrypt: FAST });
    const a = await first.reserveTradeIndex();
    const b = await first.reserveTradeIndex();
    // "Restart": a new process opens the same file.
    const second = await Session.open(new FileSessionStore(dir), 'pw');
    const c = await second.reserveTradeIndex();
    assert.deepEqual([a.index, b.index, c.index], [1, 2, 3]);
    assert.equal(new Set([a.publicKey, b.publicKey, c.publicKey]).size, 3);
    await second.raiseTradeIndex(2); // never lowers
    assert.equal((await second.reserveTradeIndex()).index, 4);
    await second.raiseTradeIndex(10);
    assert.equal((await second.reserveTradeIndex()).index, 11);
  });

  it('is never handed out twice to concurrent sessions on one home', async () => {
    const dir = join(home, 'concurrent');
    await Session.create(new FileSessionStore(dir), 'pw', { scrypt: FAST });
    const x = await Session.open(new FileSessionStore(dir), 'pw');
    const y = await Session.open(new FileSessionStore(dir), 'pw');
    const got = await Promise.all([...Array(6)].map((_, i) => (i % 2 ? x : y).reserveTradeIndex()));
    assert.deepEqual(
      got.map((k) => k.index).sort((p, q) => p - q),
      [1, 2, 3, 4, 5, 6],
    );
    // A stale in-memory copy does not roll the counter back when it writes.
    await x.update((d) => {
      d.privacy = 'full-private';
    });
    assert.equal((await Session.open(new FileSessionStore(dir), 'pw')).data.lastTradeIndex, 6);
  });
});
