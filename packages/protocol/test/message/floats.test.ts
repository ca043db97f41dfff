// Rust f64 text forms: serde_json output, Display, and serde_json's default float reader.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { rustF64Display, serdeF64, serdeParseF64 } from '../../src/index.ts';

describe('Rust f64 forms', () => {
  it('serde_json output always has a point or an exponent', () => {
    const cases: [number, string][] = [
      [0, '0.0'],
      [-0, '-0.0'],
      [4, '4.0'],
      [4.5, '4.5'],
      [3.3333333333333335, '3.3333333333333335'],
      [1e15, '1000000000000000.0'],
      [1e16, '1e+16'],
      [1.5e300, '1.5e+300'],
      [0.00001, '0.00001'],
      [0.000001, '1e-6'],
      [-1.5e-7, '-1.5e-7'],
      [Number.NaN, 'null'],
    ];
    for (const [x, text] of cases) assert.equal(serdeF64(x), text, String(x));
  });

  it('Display never uses an exponent and drops a trailing .0', () => {
    assert.equal(rustF64Display(3), '3');
    assert.equal(rustF64Display(3.5), '3.5');
    assert.equal(rustF64Display(1e21), '1000000000000000000000');
    assert.equal(rustF64Display(1.5e-7), '0.00000015');
    assert.equal(rustF64Display(0.006), '0.006');
  });

  it('serde output parses back (JSON.parse) to the same double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        assert.ok(Object.is(JSON.parse(serdeF64(x)), x));
        assert.ok(Object.is(Number(rustF64Display(x)), x));
      }),
    );
  });

  it("serde_json's reader: exact for short decimals, a couple of ulps off at most, same range errors", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const read = serdeParseF64(serdeF64(x));
        assert.ok(read !== null && Number.isFinite(read));
        // Its one rounded multiply/divide by 10^k stays within 2 ε (relative) for normal numbers;
        // near the subnormal range its repeated 1e308 divisions lose more, as in Rust.
        if (Math.abs(x) >= 1e-290) {
          assert.ok(Math.abs(read - x) <= 2 * Number.EPSILON * Math.abs(x), `${x} read as ${read}`);
        }
      }),
      { numRuns: 2000 },
    );
    for (const x of [4.5, 3.75, 2.5, 0.006, 50000, 45000.5, 1e-3]) assert.equal(serdeParseF64(serdeF64(x)), x);
    for (const [token, value] of [
      ['4.5', 4.5],
      ['0', 0],
      ['-0', -0],
      ['12', 12],
      ['1e2', 100],
      ['2.5E-3', 0.0025],
      ['0e99999999999', 0],
      ['1e-99999999999', 0],
    ] as const) {
      assert.ok(Object.is(serdeParseF64(token), value), token);
    }
    assert.equal(serdeParseF64('1e400'), null);
    assert.equal(serdeParseF64('1e99999999999'), null);
  });
});
