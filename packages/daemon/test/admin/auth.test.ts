// The admin guards as pure functions: the bearer check, loopback addresses, grpc-js peer strings,
// and the ValidateDbPassword limiter's backoff, lockout and eviction.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bearerMatches, grpcPeerAddress, isLoopback } from '../../src/admin/auth.ts';
import { LOCKOUT_MS, MAX_FAILURES, RateLimiter } from '../../src/admin/rate-limiter.ts';
import { parseRequestId } from '../../src/admin/service.ts';

describe('admin auth', () => {
  it('bearerMatches: only the exact token after "Bearer "', () => {
    const token = 'secret-token-0123456789';
    assert.equal(bearerMatches(`Bearer ${token}`, token), true);
    assert.equal(bearerMatches(`bearer ${token}`, token), true);
    for (const header of [
      undefined,
      '',
      token,
      `Bearer ${token}x`,
      `Bearer ${token.slice(1)}`,
      `Basic ${token}`,
      'Bearer ',
      `Bearer ${token} extra`,
    ]) {
      assert.equal(bearerMatches(header, token), false, String(header));
    }
  });

  it('isLoopback: 127/8, ::1 and their IPv4-mapped forms; nothing else', () => {
    for (const a of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) assert.equal(isLoopback(a), true, a);
    for (const a of [undefined, '', '192.0.2.2', '10.0.0.1', '::ffff:192.0.2.2', 'fd00::2', 'localhost', '128.0.0.1'])
      assert.equal(isLoopback(a), false, String(a));
  });

  it('grpcPeerAddress: the IP of every peer form grpc-js reports', () => {
    assert.equal(grpcPeerAddress('ipv4:127.0.0.1:50000'), '127.0.0.1');
    assert.equal(grpcPeerAddress('127.0.0.1:50000'), '127.0.0.1');
    assert.equal(grpcPeerAddress('ipv6:[::1]:50000'), '::1');
    assert.equal(grpcPeerAddress('[::ffff:192.0.2.2]:1'), '::ffff:192.0.2.2');
    assert.equal(grpcPeerAddress('unix:/tmp/sock'), null);
    assert.equal(grpcPeerAddress('garbage'), null);
  });

  it('parseRequestId: a u64 or nothing', () => {
    assert.equal(parseRequestId('42'), 42n);
    assert.equal(parseRequestId('18446744073709551615'), 2n ** 64n - 1n);
    for (const raw of [undefined, null, '', '-1', '1.5', 'abc', '18446744073709551616']) {
      assert.equal(parseRequestId(raw), null, String(raw));
    }
  });
});

describe('ValidateDbPassword rate limiter', () => {
  it('backs off 1, 2, 4, 8 s, locks out for 5 minutes at the fifth failure, a success clears it', () => {
    const limiter = new RateLimiter(3_600_000);
    let now = 1_000_000;
    const ip = '192.0.2.2';
    assert.deepEqual(limiter.check(ip, now), { ok: true });
    for (const wait of [1_000, 2_000, 4_000, 8_000]) {
      limiter.recordFailure(ip, now);
      assert.deepEqual(limiter.check(ip, now + wait - 1), { ok: false, retryAfterMs: 1 });
      now += wait;
      assert.deepEqual(limiter.check(ip, now), { ok: true });
    }
    limiter.recordFailure(ip, now);
    assert.equal(MAX_FAILURES, 5);
    assert.deepEqual(limiter.check(ip, now + LOCKOUT_MS - 1), { ok: false, retryAfterMs: 1 });
    assert.deepEqual(limiter.check('127.0.0.1', now), { ok: true }, 'per client');
    assert.deepEqual(limiter.check(ip, now + LOCKOUT_MS), { ok: true });
    limiter.recordSuccess(ip);
    limiter.recordFailure(ip, now);
    assert.deepEqual(limiter.check(ip, now + 1_000), { ok: true }, 'the count started over');
  });

  it('forgets a quiet client after the stale duration, never during its lockout', () => {
    const limiter = new RateLimiter(60_000);
    for (let i = 0; i < MAX_FAILURES; i++) limiter.recordFailure('192.0.2.3', 0);
    limiter.check('x', 60_000);
    assert.equal(limiter.size, 1, 'still locked out');
    limiter.check('x', LOCKOUT_MS);
    assert.equal(limiter.size, 0);
  });
});
