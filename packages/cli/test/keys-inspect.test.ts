// Drives the real `mostro` bin as a child process: `keys` and `inspect`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  buildHealthEvent,
  buildProfileEvent,
  buildRelayListEvent,
  bytesToHex,
  chatChannel,
  deriveTradeKey,
  newMessage,
  sharedSecret,
  signEvent,
  toNsec,
  wrapChat,
  wrapLegacyChat,
  wrapMessage,
} from '@mostro/protocol';

const BIN = fileURLToPath(new URL('../bin/mostro.mjs', import.meta.url));
const M1 = 'leader monkey parrot ring guide accident before fence cannon height naive bean';
const NODE_SK = '8f6153e79b2c6f64783f6515a195120f5fcc51422401b2c43b9db1d2e7453697';
const NODE_PUB = '8171eb680049f62ce8747d203f57c3f71de6eea308af6f995363896a1e47cc51';
const identity = deriveTradeKey(M1, 0);
const trade = deriveTradeKey(M1, 1);
const peer = deriveTradeKey(M1, 2);

function mostro(args: string[], env: Record<string, string>, input?: string) {
  const { MOSTRO_MNEMONIC: _m, MOSTRO_INSPECT_KEY: _k, ...base } = process.env;
  const r = spawnSync(process.execPath, [BIN, ...args], {
    env: { ...base, ...env },
    input: input ?? '',
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const inspect = (event: unknown, key: string, json = true) =>
  mostro(
    ['inspect', ...(json ? ['--json'] : [])],
    { MOSTRO_INSPECT_KEY: key },
    typeof event === 'string' ? event : JSON.stringify(event),
  );

const message = newMessage('order', {
  action: 'take-sell',
  id: '308e1272-d5f4-47e6-bd97-3504baea9c23',
  trade_index: 1,
});

describe('mostro keys', () => {
  it('prints identity and requested trade keys, no secrets by default', () => {
    const r = mostro(['keys', '--index', '1', '--index', '3', '--json'], { MOSTRO_MNEMONIC: M1 });
    assert.equal(r.code, 0, r.err);
    const { keys } = JSON.parse(r.out);
    assert.deepEqual(
      keys.map((k: { index: number }) => k.index),
      [0, 1, 3],
    );
    assert.equal(keys[0].publicKey, 'b4bf6548df043786641d4b63e748eda4b55fce21beae991512d23487c7bd8950');
    assert.equal(keys[0].npub, 'npub1kjlk2jxlqsmcveqafd37wj8d5j64ln3ph6hfj9gj6g6g03aa39gqjm37vm');
    assert.equal(keys[2].publicKey, '7c4e2fb552dee70caa9f5e7d5d81eb4b14bc2d4369bd473a71774c1072290abe');
    assert.ok(!r.out.includes('df5ba9d72ec62e9d39a095f1b86936fe10abfc7d56700caa1652a463a40d19b1'));
    assert.ok(!r.out.includes('nsec'));
  });

  it('MOSTRO_JSON=1 equals --json', () => {
    const r = mostro(['keys'], { MOSTRO_MNEMONIC: M1, MOSTRO_JSON: '1' });
    assert.equal(r.code, 0, r.err);
    assert.equal(JSON.parse(r.out).keys[0].npub, 'npub1kjlk2jxlqsmcveqafd37wj8d5j64ln3ph6hfj9gj6g6g03aa39gqjm37vm');
  });

  it('--show-secret prints them; text mode', () => {
    const r = mostro(['keys', '--show-secret'], { MOSTRO_MNEMONIC: M1 });
    assert.equal(r.code, 0);
    assert.match(r.out, /df5ba9d72ec62e9d39a095f1b86936fe10abfc7d56700caa1652a463a40d19b1/);
    assert.match(r.out, /977b9da8056e6a83a991cb31ac507b0a618fbbee355e36e107e0e348686ab833/);
    assert.match(r.out, /npub1r3clpg5un52pnpup7d5f03kkcz8zcnustwnfl30cue7nwhtst29qzrdazn/);
  });

  it('unusable input exits 2 with one line', () => {
    for (const [args, env] of [
      [['keys'], {}],
      [['keys'], { MOSTRO_MNEMONIC: Array(12).fill('tomato').join(' ') }],
      [['keys', '--index', 'x'], { MOSTRO_MNEMONIC: M1 }],
      [['keys', '--bogus'], { MOSTRO_MNEMONIC: M1 }],
    ] as const) {
      const r = mostro([...args], { ...env });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.out}`);
      assert.match(r.err, /^mostro keys: /);
      assert.equal(r.out, '');
    }
  });
});

describe('mostro inspect', () => {
  it('v1 gift wrap with the node key: every layer and check, canonical message, exit 0', () => {
    const ev = wrapMessage({
      transport: 'gift-wrap',
      message,
      tradeKey: trade.secretKey,
      identityKey: identity.secretKey,
      recipient: NODE_PUB,
    });
    const r = inspect(ev, NODE_SK);
    assert.equal(r.code, 0, r.out + r.err);
    const rep = JSON.parse(r.out);
    assert.equal(rep.format, 'gift-wrap');
    assert.deepEqual(
      rep.layers.map((l: { name: string }) => l.name.split(' ')[0]),
      ['gift', 'seal', 'rumor', 'content'],
    );
    assert.equal(
      rep.message,
      '{"order":{"version":2,"request_id":null,"trade_index":1,"id":"308e1272-d5f4-47e6-bd97-3504baea9c23","action":"take-sell","payload":null}}',
    );
    assert.equal(rep.sender, trade.publicKey);
    assert.equal(rep.identity, identity.publicKey);
    assert.ok(rep.checks.every((c: { verdict: string }) => c.verdict === 'pass' || c.verdict === 'absent'));
    const text = inspect(ev, toNsec(Buffer.from(NODE_SK, 'hex')), false);
    assert.equal(text.code, 0);
    assert.match(text.out, /verdict: OK/);
    // MOSTRO_JSON=1 stands for --json here too (inspect parses its own options).
    const fromEnv = mostro(['inspect'], { MOSTRO_INSPECT_KEY: NODE_SK, MOSTRO_JSON: '1' }, JSON.stringify(ev));
    assert.equal(fromEnv.code, 0, fromEnv.err);
    assert.equal(JSON.parse(fromEnv.out).sender, trade.publicKey);
    assert.match(text.out, /ok {3}seal signature/);
  });

  it('v2 kind 14: node key reads the request, the trade key reads the node reply', () => {
    const ev = wrapMessage({
      transport: 'nip44',
      message,
      tradeKey: trade.secretKey,
      identityKey: identity.secretKey,
      recipient: NODE_PUB,
    });
    const rep = JSON.parse(inspect(ev, NODE_SK).out);
    assert.equal(rep.ok, true);
    assert.equal(rep.checks.find((c: { name: string }) => c.name === 'identity proof').verdict, 'pass');
    const reply = wrapMessage({
      transport: 'nip44',
      message,
      tradeKey: Buffer.from(NODE_SK, 'hex'),
      identityKey: Buffer.from(NODE_SK, 'hex'),
      recipient: trade.publicKey,
      signed: false,
    });
    const r2 = inspect(reply, bytesToHex(trade.secretKey));
    assert.equal(r2.code, 0);
    assert.equal(JSON.parse(r2.out).identity, NODE_PUB);
  });

  it('a failing check exits 1 and names it', () => {
    // trade signature by someone else than the author: built by hand
    const ev = wrapMessage({
      transport: 'nip44',
      message,
      tradeKey: trade.secretKey,
      identityKey: identity.secretKey,
      recipient: NODE_PUB,
    });
    const forged = signEvent(
      { kind: 14, created_at: ev.created_at, tags: ev.tags, content: ev.content },
      peer.secretKey,
    );
    // re-authored by another key: content no longer decrypts for the node with that author ⇒ not for key
    assert.equal(inspect(forged, NODE_SK).code, 1);
    const tampered = { ...ev, created_at: ev.created_at + 1 };
    const r = inspect(tampered, NODE_SK);
    assert.equal(r.code, 1);
    const rep = JSON.parse(r.out);
    assert.equal(rep.checks[0].verdict, 'fail');
    assert.match(rep.error, /bad_outer_signature/);
  });

  it('not for this key exits 1', () => {
    const ev = wrapMessage({
      transport: 'gift-wrap',
      message,
      tradeKey: trade.secretKey,
      identityKey: identity.secretKey,
      recipient: NODE_PUB,
    });
    const r = inspect(ev, bytesToHex(peer.secretKey), false);
    assert.equal(r.code, 1);
    assert.match(r.out, /not addressed to it/);
  });

  it('chat: current format with K_conv, legacy with the shared key', () => {
    const ch = chatChannel(sharedSecret(trade.secretKey, peer.publicKey));
    const ev = wrapChat(ch, { text: 'hola', senderKey: trade.secretKey });
    const r = inspect(ev, bytesToHex(ch.current!.conv.secretKey));
    assert.equal(r.code, 0, r.out + r.err);
    const rep = JSON.parse(r.out);
    assert.equal(rep.format, 'chat');
    assert.deepEqual([rep.chat.text, rep.chat.author], ['hola', trade.publicKey]);
    const legacy = wrapLegacyChat(ch, { text: 'old', senderKey: trade.secretKey });
    const r2 = inspect(legacy, bytesToHex(ch.legacy!.secretKey), false);
    assert.equal(r2.code, 0, r2.out);
    assert.match(r2.out, /chat text:\n {2}old/);
    // the ECDH shared secret (= legacy key) opens the current format too, with the author checked
    const r3 = inspect(ev, bytesToHex(ch.legacy!.secretKey));
    assert.equal(r3.code, 0, r3.out);
    const rep3 = JSON.parse(r3.out);
    assert.deepEqual(rep3.checks[0], { name: 'author = pub(K_sign)', verdict: 'pass' });
    assert.equal(rep3.chat.text, 'hola');
    // the wrong chat key
    assert.equal(inspect(ev, bytesToHex(peer.secretKey)).code, 1);
  });

  it('unusable input exits 2 with one clear line', () => {
    const ev = wrapMessage({
      transport: 'nip44',
      message,
      tradeKey: trade.secretKey,
      identityKey: null,
      recipient: NODE_PUB,
    });
    const cases: [string, string][] = [
      ['not json', NODE_SK],
      ['{"kind":14}', NODE_SK],
      ['', NODE_SK],
      [JSON.stringify({ ...ev, kind: 1 }), NODE_SK],
      [JSON.stringify(ev), 'nsec1nope'],
      [JSON.stringify(ev), ''],
    ];
    for (const [input, key] of cases) {
      const r = inspect(input, key);
      assert.equal(r.code, 2, `${input.slice(0, 20)} / ${key}: ${r.out}`);
      assert.equal(r.err.trim().split('\n').length, 1);
      assert.match(r.err, /^mostro inspect: /);
    }
  });

  it('public node events decode without a key: every kind, with the signature checked', () => {
    const sk = Buffer.from(NODE_SK, 'hex');
    const now = Math.floor(Date.now() / 1000);
    const events = [
      buildProfileEvent({ name: 'test node' }, now)!,
      buildHealthEvent({
        nodePubkey: NODE_PUB,
        checks: [{ name: 'lnd_sync', state: 'ok', since: now }],
        escrowMode: 'lightning',
        lnd: null,
        maintenance: true,
        version: '0.1.0',
        interval: 60,
        seq: 7,
        content: '',
        now,
      }),
      buildRelayListEvent(['wss://relay.example'], now),
    ];
    for (const template of events) {
      const signed = signEvent(template, sk);
      const r = mostro(['inspect', '--json'], {}, JSON.stringify(signed));
      assert.equal(r.code, 0, r.err);
      const report = JSON.parse(r.out);
      assert.equal(report.kind, template.kind);
      assert.equal(report.signature, 'valid');
      assert.ok(report.data);
    }
    const health = JSON.parse(mostro(['inspect', '--json'], {}, JSON.stringify(signEvent(events[1]!, sk))).out);
    assert.equal(health.data.status, 'degraded');
    assert.equal(health.data.seq, 7);
    // A tampered public event: signature invalid, exit 1.
    const tampered = { ...signEvent(events[2]!, sk), tags: [['r', 'wss://evil.example']] };
    const bad = mostro(['inspect', '--json'], {}, JSON.stringify(tampered));
    assert.equal(bad.code, 1);
    assert.equal(JSON.parse(bad.out).signature, 'invalid');
    const text = mostro(['inspect'], {}, JSON.stringify(signEvent(events[1]!, sk)));
    assert.match(text.out, /node health \(kind 38389\)/);
  });
});
