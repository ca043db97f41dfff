// Pegged codes (reference-0.20.md §4.12): only the listed codes, BTC-pegged as sats 1:1, USD-pegged
// at the USD price; a market source never prices them, and a listed USD peg waits for a USD price.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PriceQuote } from '../../src/app/context.ts';
import { parseSettings } from '../../src/config/index.ts';
import { quoteWithPegged } from '../../src/price/pegged.ts';

const market =
  (prices: Record<string, number>) =>
  (code: string): PriceQuote =>
    code in prices ? { ok: true, price: prices[code]! } : { ok: false, reason: 'price_too_stale' };

describe('pegged codes', () => {
  it('listed BTC pegs are 1e8 per BTC (sats 1:1), USD pegs the USD price; unlisted codes go to the market', () => {
    const m = market({ USD: 64_000, EUR: 59_000, USDT: 1 });
    const pegged = ['BTC', 'LBTC', 'USDT'];
    assert.deepEqual(quoteWithPegged('BTC', pegged, m), { ok: true, price: 1e8 });
    assert.deepEqual(quoteWithPegged('lbtc', pegged, m), { ok: true, price: 1e8 });
    assert.deepEqual(quoteWithPegged('USDT', pegged, m), { ok: true, price: 64_000 }, 'not the market USDT quote');
    assert.deepEqual(quoteWithPegged('EUR', pegged, m), { ok: true, price: 59_000 });
    assert.deepEqual(quoteWithPegged('RBTC', pegged, m), { ok: false, reason: 'price_too_stale' }, 'not listed');
    assert.deepEqual(quoteWithPegged('USDT', pegged, market({})), { ok: false, reason: 'price_too_stale' });
  });

  it('the setting accepts only the six pegged codes', () => {
    const base = {
      nostr: { nsec_privkey: '11'.repeat(32) },
      relay: { embedded: true },
      lightning: { backend: 'simulated' },
    };
    const ok = parseSettings({ ...base, price: { pegged: ['BTC', 'USDC'] } });
    assert.ok(ok.ok && ok.settings.price.pegged.join() === 'BTC,USDC');
    const bad = parseSettings({ ...base, price: { pegged: ['EUR'] } });
    assert.ok(!bad.ok);
  });
});
