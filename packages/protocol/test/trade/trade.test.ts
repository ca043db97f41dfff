// Fee math (§5.6), market sats (§5.4), range children (§5.5), rating aggregates (§9, V3).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  buyerPayoutAmount,
  childOrderTerms,
  devFee,
  EMPTY_RATING,
  holdInvoiceAmount,
  isBtcPegged,
  isValidPaymentHash,
  isWithinRange,
  marketSats,
  needsNextTrade,
  orderBoundPayerHash,
  PEGGED_CODES,
  ProtocolError,
  partyFee,
  payerHash,
  peggedPrice,
  type RatingAggregate,
  referenceUpdateRating,
  routingFeeCap,
  rustAsI64,
  rustRound,
  tradeAmounts,
  updateRating,
} from '../../src/index.ts';

describe('fees (§5.6)', () => {
  it('the spec example: 100 000 sats at 0.006', () => {
    assert.equal(partyFee(0.006, 100_000), 300);
    assert.equal(holdInvoiceAmount(0.006, 100_000), 100_300);
    assert.equal(buyerPayoutAmount(0.006, 100_000), 99_700);
    assert.equal(devFee(300, 0.3), 180);
    assert.deepEqual(tradeAmounts(100_000, 0.006), {
      amount: 100_000,
      feeParty: 300,
      holdInvoice: 100_300,
      buyerPayout: 99_700,
      mostroFee: 600,
      devFee: 180,
    });
  });

  it('Rust rounding: halves away from zero', () => {
    assert.equal(rustRound(2.5), 3);
    assert.equal(rustRound(-2.5), -3);
    assert.equal(rustRound(-0.4), -0);
    assert.equal(partyFee(0.01, 100), 1); // 0.5 → 1
    assert.equal(partyFee(0.006, 250), 1); // 0.75 → 1
    assert.equal(partyFee(0.006, 1), 0); // 0.003 → 0
    assert.equal(partyFee(0, 12345), 0);
  });

  it('routing fee cap', () => {
    assert.equal(routingFeeCap(500), 10);
    assert.equal(routingFeeCap(1000), 10);
    assert.equal(routingFeeCap(100_000), 200);
    assert.equal(routingFeeCap(100_000, 0.01), 1000);
  });

  it('bad inputs are typed errors', () => {
    assert.throws(() => partyFee(0.006, 1.5), ProtocolError);
    assert.throws(() => partyFee(Number.NaN, 1), ProtocolError);
    assert.throws(() => partyFee(0.006, -1), ProtocolError);
  });
});

describe('market sats (§5.4)', () => {
  it('f64 math with one rounding to the nearest sat at the end (0.20 #1090); positive premium ⇒ fewer sats', () => {
    assert.equal(marketSats(1000, 100_000, 0), 1_000_000);
    assert.equal(marketSats(1000, 100_000, 1), 990_000);
    assert.equal(marketSats(1000, 100_000, -2), 1_020_000);
    assert.equal(marketSats(1, 3, 0), 33_333_333);
    // 2/3 BTC = 66 666 666.67 sats: nearest is …667 (0.14 truncated to …666).
    assert.equal(marketSats(2, 3, 0), 66_666_667);
    // Rounding once at the end: rounding the sats first would give 33 333 333 − 333 333.33…
    // = 32 999 999.67 → 33 000 000 only by luck; 1/7 shows it: 14 285 714.29 − 1 % = 14 142 857.14.
    assert.equal(marketSats(1, 3, 1), 33_000_000);
    assert.equal(marketSats(1, 7, 1), 14_142_857);
    // Exactly half a sat rounds away from zero: 1 fiat at 2e8/BTC = 0.5 sat → 1.
    assert.equal(marketSats(1, 200_000_000, 0), 1);
  });
  it('pegged codes: BTC/LBTC/RBTC are sats 1:1, USDT/USDC/DOC priced as USD, any case', () => {
    assert.equal(peggedPrice('BTC', null), 1e8);
    assert.equal(peggedPrice('lbtc', 50_000), 1e8);
    assert.equal(peggedPrice('RBTC', 50_000), 1e8);
    assert.equal(marketSats(21_000, peggedPrice('BTC', null)!, 0), 21_000);
    assert.equal(marketSats(21_000, peggedPrice('BTC', null)!, 2), 20_580);
    for (const code of ['USDT', 'usdc', 'DOC']) assert.equal(peggedPrice(code, 64_000), 64_000);
    assert.equal(peggedPrice('USDT', null), null);
    assert.equal(peggedPrice('EUR', 64_000), null);
    assert.ok(isBtcPegged('btc') && !isBtcPegged('USDT'));
    assert.deepEqual([...PEGGED_CODES].sort(), ['BTC', 'DOC', 'LBTC', 'RBTC', 'USDC', 'USDT']);
  });
  it('payer hashes: the reference vectors (reputation mode and order-bound)', () => {
    const canonical = 'EU|SEPA|DE89370400440532013000|ALICE SMITH';
    assert.equal(payerHash(canonical), 'ee06af92c95429e7cb0cf8428636199a71a01e32bab7a8526d226161f0de9903');
    const bound = '1f0616c3f355282b7fb73b54f172be84d023f1f63a8a7d7822c4d51f83528628';
    assert.equal(orderBoundPayerHash('ede61c96-4c13-4519-bf3a-dcf7f1e9d842', canonical), bound);
    assert.equal(orderBoundPayerHash('EDE61C96-4C13-4519-BF3A-DCF7F1E9D842', canonical), bound);
    assert.throws(() => orderBoundPayerHash('not-a-uuid', canonical), ProtocolError);
    assert.ok(isValidPaymentHash(bound));
    for (const bad of [bound.toUpperCase(), bound.slice(1), `${bound}0`, `g${bound.slice(1)}`, 7, null]) {
      assert.equal(isValidPaymentHash(bad), false, String(bad));
    }
  });
  it('rejects unusable prices', () => {
    assert.throws(() => marketSats(1, 0, 0), ProtocolError);
    assert.throws(() => marketSats(1, Number.POSITIVE_INFINITY, 0), ProtocolError);
  });
  it('Rust `as i64`: truncates toward zero and saturates', () => {
    assert.equal(rustAsI64(-1.9), -1);
    assert.equal(rustAsI64(Number.NaN), 0);
    assert.equal(rustAsI64(1e30), 2 ** 63);
  });
});

describe('range orders (§5.5)', () => {
  it('child terms', () => {
    assert.deepEqual(childOrderTerms(10, 100, 30), { min_amount: 10, max_amount: 70, fiat_amount: 0 });
    assert.deepEqual(childOrderTerms(10, 100, 90), { min_amount: null, max_amount: null, fiat_amount: 10 });
    assert.equal(childOrderTerms(10, 100, 95), null);
  });
  it('take bounds and next_trade', () => {
    assert.ok(isWithinRange(10, 100, 10));
    assert.ok(isWithinRange(10, 100, 100));
    assert.ok(!isWithinRange(10, 100, 9));
    assert.ok(!isWithinRange(10, 100, 101));
    assert.ok(needsNextTrade(10, 100, 90));
    assert.ok(!needsNextTrade(10, 100, 91));
  });
});

describe('rating aggregates (§9)', () => {
  const fold = (update: typeof updateRating, votes: number[]) => {
    const steps: RatingAggregate[] = [];
    let agg: RatingAggregate = { ...EMPTY_RATING };
    for (const v of votes) {
      agg = update(agg, v);
      steps.push(agg);
    }
    return steps;
  };

  it('reference quirk (mostro-core 0.17.3): first vote halved, then the new vote averaged in: 5, 3, 4 → 2.5, 2.75, 3.1666…', () => {
    const steps = fold(referenceUpdateRating, [5, 3, 4]);
    assert.deepEqual(
      steps.map((s) => s.total_rating),
      [2.5, 2.75, 2.75 + (4 - 2.75) / 3],
    );
    assert.equal(steps[2]!.total_rating, 3.1666666666666665);
    assert.deepEqual(steps[2], {
      total_reviews: 3,
      total_rating: 3.1666666666666665,
      last_rating: 4,
      max_rate: 5,
      min_rate: 3,
    });
    // Always below the true mean by first/(2n): the halved start never washes out.
    const many = fold(referenceUpdateRating, [5, 5, 5, 5]).at(-1)!;
    assert.equal(many.total_rating, 5 - 5 / (2 * 4));
    assert.deepEqual({ max: steps[0]!.max_rate, min: steps[0]!.min_rate }, { max: 5, min: 5 });
  });

  it('correct running mean: votes 5, 3, 4 → 5, 4, 4', () => {
    const steps = fold(updateRating, [5, 3, 4]);
    assert.deepEqual(
      steps.map((s) => s.total_rating),
      [5, 4, 4],
    );
    assert.deepEqual(steps[2], { total_reviews: 3, total_rating: 4, last_rating: 4, max_rate: 5, min_rate: 3 });
  });

  it('the running mean equals the arithmetic mean for any vote sequence', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 200 }), (votes) => {
        const last = fold(updateRating, votes).at(-1)!;
        const mean = votes.reduce((a, b) => a + b, 0) / votes.length;
        assert.ok(Math.abs(last.total_rating - mean) < 1e-9);
        assert.equal(last.total_reviews, votes.length);
        assert.equal(last.min_rate, Math.min(...votes));
        assert.equal(last.max_rate, Math.max(...votes));
        assert.equal(last.last_rating, votes.at(-1));
      }),
    );
  });

  it('votes outside 1..5 are refused', () => {
    for (const v of [0, 6, 2.5, Number.NaN]) {
      assert.throws(() => updateRating(EMPTY_RATING, v), ProtocolError);
      assert.throws(() => referenceUpdateRating(EMPTY_RATING, v), ProtocolError);
    }
  });
});
