// The intake's lanes and its load-driven first-contact PoW, as pure units.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AdaptivePow } from '../../src/intake/adaptive-pow.ts';
import { IntakeLanes, type Queued } from '../../src/intake/lanes.ts';
import { ReasonLog } from '../../src/intake/log-limit.ts';

describe('intake lanes', () => {
  it('serves known keys first, each lane in arrival order', () => {
    const lanes = new IntakeLanes<string>({ known: 10, firstContact: 10 }, () => assert.fail('nothing shed'));
    lanes.push('junk-1', 'first-contact', 0);
    lanes.push('junk-2', 'first-contact', 0);
    lanes.push('trade-1', 'known', 0);
    lanes.push('trade-2', 'known', 0);
    const order = [];
    for (let q = lanes.shift(); q; q = lanes.shift()) order.push(q.item);
    assert.deepEqual(order, ['trade-1', 'trade-2', 'junk-1', 'junk-2']);
  });

  it('sheds the oldest first contacts when full, and first contacts before a known key', () => {
    const shed: Queued<string>[] = [];
    const lanes = new IntakeLanes<string>({ known: 2, firstContact: 3 }, (q) => shed.push(q));
    for (let i = 0; i < 5; i++) lanes.push(`junk-${i}`, 'first-contact', i);
    assert.deepEqual(
      shed.map((q) => q.item),
      ['junk-0', 'junk-1'],
    );
    assert.equal(lanes.depth('first-contact'), 3);
    lanes.push('trade-0', 'known', 0);
    lanes.push('trade-1', 'known', 0);
    lanes.push('trade-2', 'known', 0); // known lane full: a first contact makes room
    assert.equal(shed.at(-1)?.item, 'junk-2');
    assert.equal(lanes.depth('known'), 3);
    lanes.shift();
    lanes.shift();
    lanes.shift();
    lanes.push('junk-x', 'first-contact', 9);
    assert.equal(lanes.shift()?.item, 'junk-3');
  });

  it('handles a long stream without losing order (the FIFO compacts)', () => {
    const lanes = new IntakeLanes<number>({ known: 100_000, firstContact: 10 }, () => {});
    let next = 0;
    for (let i = 0; i < 5000; i++) {
      lanes.push(i, 'known', 0);
      if (i % 3 !== 0) assert.equal(lanes.shift()?.item, next++);
    }
    while (lanes.depth('known') > 0) assert.equal(lanes.shift()?.item, next++);
    assert.equal(next, 5000);
  });
});

describe('first-contact proof of work under load', () => {
  it('rises step by step while the lane is full, at most once a second, up to the maximum', () => {
    const changes: number[] = [];
    const pow = new AdaptivePow({ base: 0, max: 12, onChange: (p) => changes.push(p) });
    pow.observe(0.9, 0);
    pow.observe(0.9, 500);
    assert.equal(pow.current(), 4);
    pow.observe(0.9, 1000);
    pow.observe(0.9, 2000);
    pow.observe(0.9, 3000);
    assert.deepEqual(changes, [4, 8, 12]);
    assert.equal(pow.current(), 12);
  });

  it('falls back only after a quiet spell without refusals', () => {
    const pow = new AdaptivePow({ base: 2, max: 10, step: 4, quietMs: 30_000 });
    pow.observe(1, 0);
    assert.equal(pow.current(), 6);
    assert.equal(pow.admits(3, 20_000), false, 'junk is refused');
    assert.equal(pow.admits(7, 20_000), true);
    pow.observe(0, 40_000);
    assert.equal(pow.current(), 6, 'a refusal 20 s ago keeps it up');
    pow.observe(0, 50_001);
    assert.equal(pow.current(), 2);
    pow.observe(0, 200_000);
    assert.equal(pow.current(), 2, 'never below the base');
  });

  it('never moves when the maximum is not above the base', () => {
    const pow = new AdaptivePow({ base: 8, max: 8 });
    pow.observe(1, 0);
    pow.observe(1, 5000);
    assert.equal(pow.current(), 8);
  });
});

describe('malformed-input log', () => {
  it('writes one line per reason per interval, without the input beyond its first line', () => {
    const lines: string[] = [];
    const log = new ReasonLog((l) => lines.push(l), 60_000);
    for (let i = 0; i < 100; i++) log.note('malformed message', i * 10, `bad tuple\n${'x'.repeat(5000)}`);
    log.note('other reason', 0);
    log.note('malformed message', 60_000, 'bad tuple');
    assert.equal(lines.length, 3);
    assert.equal(lines[0], 'intake: malformed message: bad tuple');
    assert.match(lines[2] ?? '', /\+99 more since the last line/);
    assert.ok(lines.every((l) => l.length < 200 && !l.includes('\n')));
  });
});
