// The LND backend's pure parts, and its behaviour when LND cannot be reached (a closed 127.0.0.1
// port): every call is an error value, nothing throws. The real-node behaviour is in
// lnd-backend.regtest.test.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { amountToPay } from '../../src/lightning/lnd/amount.ts';
import { lndCredentials } from '../../src/lightning/lnd/config.ts';
import type { LndDecoded } from '../../src/lightning/lnd/decode-invoice.ts';
import { lndError } from '../../src/lightning/lnd/errors.ts';
import { failureCode } from '../../src/lightning/lnd/get-payment.ts';
import { toHoldInvoice } from '../../src/lightning/lnd/hold-invoice.ts';
import { createLndBackend } from '../../src/lightning/lnd/index.ts';
import { networkOfChainId, networkOfRequest } from '../../src/lightning/lnd/network.ts';

const grpcError = (status: number, code: string, details: string) => [status, code, { err: { details } }];

describe('LND error mapping', () => {
  const cases: [unknown, string][] = [
    [grpcError(503, 'UnexpectedAddHodlInvoiceError', 'invoice with payment hash already exists'), 'already_exists'],
    [[404, 'SentPaymentNotFound'], 'not_found'],
    [grpcError(503, 'UnexpectedLookupInvoiceErr', 'unable to locate invoice'), 'not_found'],
    [[402, 'CannotSettleHtlcBeforeHtlcReceived'], 'invalid_state'],
    [[404, 'SecretDoesNotMatchAnyExistingHodlInvoice'], 'not_found'],
    [grpcError(503, 'UnexpectedPaymentError', 'unable to find a path to destination'), 'no_route'],
    [grpcError(503, 'UnexpectedPaymentError', 'invoice expired. Valid until 2020'), 'expired'],
    [
      grpcError(503, 'UnexpectedDecodePaymentRequestError', 'invoice not for current active network'),
      'invalid_invoice',
    ],
    [new Error('ExpectedValidPaymentRequestToMakePayment'), 'invalid_invoice'],
    [grpcError(503, 'GetWalletInfoErr', 'No connection established. Last error: connect ECONNREFUSED'), 'unavailable'],
    [[503, 'ProbeForRouteTimedOut'], 'timeout'],
    [grpcError(503, 'UnexpectedPaymentError', 'no self-payments allowed'), 'payment_failed'],
    [[503, 'SomethingNobodyExpected'], 'unavailable'],
    ['a string', 'unavailable'],
    [undefined, 'unavailable'],
  ];
  for (const [err, code] of cases) {
    test(`${JSON.stringify(err) ?? String(err)} → ${code}`, () => {
      const mapped = lndError('call', err);
      assert.equal(mapped.code, code);
      assert.match(mapped.message, /^call: /);
    });
  }
  test('the fallback is the caller’s choice', () => {
    assert.equal(lndError('decode', [503, 'Weird'], 'invalid_invoice').code, 'invalid_invoice');
  });
  test('payment failure flags', () => {
    assert.equal(failureCode({ is_route_not_found: true }), 'no_route');
    assert.equal(failureCode({ is_insufficient_balance: true }), 'no_route');
    assert.equal(failureCode({ is_pathfinding_timeout: true }), 'timeout');
    assert.equal(failureCode({ is_invalid_payment: true }), 'payment_failed');
    assert.equal(failureCode(undefined), 'payment_failed');
  });
});

describe('networks', () => {
  test('by BOLT-11 prefix', () => {
    assert.equal(networkOfRequest('lnbcrt10u1p...'), 'regtest');
    assert.equal(networkOfRequest('LNBC10U1P...'), 'bitcoin');
    assert.equal(networkOfRequest('lntb1p...'), 'testnet');
    assert.equal(networkOfRequest('lntbs1p...'), 'signet');
    assert.equal(networkOfRequest('lnsb1p...'), 'simnet');
    assert.equal(networkOfRequest('bitcoin:bc1q...'), null);
  });
  test('by genesis hash, in both byte orders', () => {
    assert.equal(networkOfChainId('06226e46111a0b59caaf126043eb5bbf28c34f3a5e332a1fc7b2b73cf188910f'), 'regtest');
    assert.equal(networkOfChainId('0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206'), 'regtest');
    assert.equal(networkOfChainId('6fe28c0ab6f1b372c1a6a246ae63f74f931e8365e15a089c68d6190000000000'), 'bitcoin');
    assert.equal(networkOfChainId('00'.repeat(32)), 'unknown');
  });
});

describe('hold invoice view', () => {
  const base = {
    id: 'ab'.repeat(32),
    request: 'lnbcrt1',
    tokens: 1000,
    is_confirmed: false,
    expires_at: '2030-01-01T00:00:00.000Z',
  };
  test('open, accepted (earliest held HTLC expiry binds), settled, canceled', () => {
    const open = toHoldInvoice({ ...base, payments: [] });
    assert.equal(open.state, 'open');
    assert.equal(open.htlcExpiryHeight, null);
    assert.equal(open.expiresAt, Date.parse(base.expires_at) / 1000);
    const accepted = toHoldInvoice({
      ...base,
      is_held: true,
      payments: [
        { is_held: true, timeout: 700 },
        { is_held: true, timeout: 650 },
        { is_held: false, timeout: 600 },
      ],
    });
    assert.equal(accepted.state, 'accepted');
    assert.equal(accepted.htlcExpiryHeight, 650);
    assert.equal(toHoldInvoice({ ...base, is_confirmed: true, payments: [] }).state, 'settled');
    const canceled = toHoldInvoice({ ...base, is_canceled: true, payments: [{ is_held: false, timeout: 1 }] });
    assert.equal(canceled.state, 'canceled');
    assert.equal(canceled.htlcExpiryHeight, null);
  });
});

describe('amount to pay', () => {
  const decoded = (mtokens: string) => ({ mtokens, tokens: Number(BigInt(mtokens) / 1000n) }) as unknown as LndDecoded;
  test('the invoice amount, or the caller’s for an amountless invoice', () => {
    assert.deepEqual(amountToPay(decoded('5000000'), undefined), {
      ok: true,
      value: { tokens: 5000, amountless: false },
    });
    assert.deepEqual(amountToPay(decoded('5000000'), 5000), { ok: true, value: { tokens: 5000, amountless: false } });
    assert.deepEqual(amountToPay(decoded('0'), 42), { ok: true, value: { tokens: 42, amountless: true } });
  });
  test('refuses a missing, different, or nonsensical amount', () => {
    for (const [mtokens, amount] of [
      ['0', undefined],
      ['5000000', 5001],
      ['5000500', 5000],
      ['0', 0],
      ['0', -1],
      ['0', 1.5],
      ['0', Number.NaN],
    ] as [string, number | undefined][]) {
      const r = amountToPay(decoded(mtokens), amount);
      assert.equal(r.ok ? 'ok' : r.error.code, 'invalid_invoice', `${mtokens} / ${amount}`);
    }
  });
});

describe('LND config', () => {
  test('paths or base64; mistakes are reported at creation', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lnd-config-'));
    try {
      writeFileSync(join(dir, 'tls.cert'), 'CERT');
      writeFileSync(join(dir, 'admin.macaroon'), Buffer.from([1, 2, 3]));
      assert.deepEqual(
        lndCredentials({
          grpcHost: '127.0.0.1:10009',
          tlsCertPath: join(dir, 'tls.cert'),
          macaroonPath: join(dir, 'admin.macaroon'),
        }),
        { socket: '127.0.0.1:10009', cert: Buffer.from('CERT').toString('base64'), macaroon: 'AQID' },
      );
      assert.equal(
        lndCredentials({ grpcHost: 'lnd:10009', tlsCertBase64: 'QQ==', macaroonBase64: 'Qg==' }).cert,
        'QQ==',
      );
      assert.throws(
        () => lndCredentials({ grpcHost: '127.0.0.1', tlsCertBase64: 'QQ==', macaroonBase64: 'Qg==' }),
        /host:port/,
      );
      assert.throws(() => lndCredentials({ grpcHost: '127.0.0.1:1', macaroonBase64: 'Qg==' }), /TLS certificate/);
      assert.throws(
        () => lndCredentials({ grpcHost: '127.0.0.1:1', tlsCertBase64: 'QQ==', macaroonPath: join(dir, 'missing') }),
        /cannot read macaroon/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('LND unreachable', () => {
  test('every call is an error value', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const backend = await createLndBackend({
      grpcHost: `127.0.0.1:${port}`,
      tlsCertBase64: Buffer.from('not a certificate').toString('base64'),
      macaroonBase64: 'AAAA',
    });
    const hash = 'ab'.repeat(32);
    const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error?.code);
    assert.equal(code(await backend.getInfo()), 'unavailable');
    assert.equal(code(await backend.getHoldInvoice(hash)), 'unavailable');
    assert.equal(code(await backend.getPayment(hash)), 'unavailable');
    assert.equal(code(await backend.decodeInvoice('lnbcrt10u1pxyz')), 'unavailable');
    assert.equal(
      code(await backend.pay({ request: 'lnbcrt10u1pxyz', maxFeeSats: 1, timeoutSeconds: 1 })),
      'unavailable',
    );
    assert.equal(
      code(await backend.addHoldInvoice({ hash, amountSats: 1, memo: '', expirySeconds: 60, cltvDelta: 40 })),
      'unavailable',
    );
    assert.equal(code(await backend.cancelHoldInvoice(hash)), 'unavailable');
    assert.equal(code(await backend.settleHoldInvoice(hash)), 'unavailable');
    // Bad input is refused before any call.
    assert.equal(code(await backend.getPayment('nope')), 'not_found');
    assert.equal(code(await backend.decodeInvoice('')), 'invalid_invoice');
    assert.equal(code(await backend.decodeInvoice('hello')), 'invalid_invoice');
    const updates: unknown[] = [];
    const stop = backend.subscribeHoldInvoice(hash, (i) => updates.push(i));
    await new Promise((r) => setTimeout(r, 300));
    stop();
    assert.deepEqual(updates, []);
    await backend.close();
  });
});
