import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import { parseSettings } from '../../src/config/index.ts';
import {
  aggregate,
  FIXED_SOURCE_LABEL,
  fixedSource,
  median,
  PriceManager,
  type PriceSource,
  priceManagerFromSettings,
  yadioSource,
} from '../../src/price/index.ts';

// A fake Yadio-compatible API on 127.0.0.1: each path prefix is one "provider" whose behaviour
// the test sets in `routes`.
type Behaviour = { prices: Record<string, unknown> } | { status: number } | { body: string } | { hang: true };
const routes = new Map<string, Behaviour>();
const hits = new Map<string, number>();
let server: Server;
let base = '';

before(async () => {
  server = createServer((req, res) => {
    const m = /^\/([^/]+)\/exrates\/BTC$/.exec(req.url ?? '');
    const name = m?.[1] ?? '';
    hits.set(name, (hits.get(name) ?? 0) + 1);
    const b = routes.get(name);
    if (!b) return void res.writeHead(404).end();
    if ('hang' in b) return; // never answers
    if ('status' in b) return void res.writeHead(b.status).end('error');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('body' in b ? b.body : JSON.stringify({ BTC: b.prices, base: 'BTC', timestamp: Date.now() }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

const source = (name: string, timeoutMs = 2000) => yadioSource({ url: `${base}/${name}/`, timeoutMs });

describe('aggregation', () => {
  test('median of odd and even counts', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([7]), 7);
    assert.throws(() => median([]));
  });

  test('outliers are dropped only with three or more quotes', () => {
    assert.deepEqual(aggregate([100, 101, 150], 5), { price: 100.5, used: [100, 101] });
    assert.deepEqual(aggregate([100, 150], 5), { price: 125, used: [100, 150] });
    assert.equal(aggregate([100, 102, 104], 5).price, 102);
  });
});

describe('yadio source', () => {
  test('reads {url}/exrates/BTC, uppercases codes and drops unusable values', async () => {
    routes.set('y1', { prices: { USD: 97_000.5, eur: 90_000, BAD: -1, NaNish: 'x', TOOLONGCODE: 5 } });
    assert.deepEqual(await source('y1').fetchPrices(), { USD: 97_000.5, EUR: 90_000 });
  });

  test('HTTP errors, bad JSON, wrong shapes, no prices and timeouts reject', async () => {
    routes.set('e500', { status: 500 });
    routes.set('ejson', { body: 'not json' });
    routes.set('eshape', { body: JSON.stringify({ USD: 1 }) });
    routes.set('eempty', { prices: {} });
    routes.set('ehang', { hang: true });
    await assert.rejects(source('e500').fetchPrices(), /HTTP 500/);
    await assert.rejects(source('ejson').fetchPrices());
    await assert.rejects(source('eshape').fetchPrices(), /unexpected response shape/);
    await assert.rejects(source('eempty').fetchPrices(), /no usable prices/);
    await assert.rejects(source('ehang', 50).fetchPrices(), /timeout|abort/i);
  });
});

describe('fixed source', () => {
  test('is labelled simulated and returns the configured prices', async () => {
    const s = fixedSource({ USD: 100_000, eur: 90_000 });
    assert.equal(s.simulated, true);
    assert.ok(s.name.includes(FIXED_SOURCE_LABEL));
    assert.match(FIXED_SOURCE_LABEL, /simulated prices — not a market/);
    assert.deepEqual(await s.fetchPrices(), { USD: 100_000, EUR: 90_000 });
  });
});

describe('price manager', () => {
  test('median of three sources', async () => {
    routes.set('a', { prices: { USD: 100_000, EUR: 91_000 } });
    routes.set('b', { prices: { USD: 101_000, EUR: 92_000 } });
    routes.set('c', { prices: { USD: 102_000 } });
    const clock = new ManualClock();
    const pm = new PriceManager({ sources: [source('a'), source('b'), source('c')], clock, maxStalenessSeconds: 1800 });
    const report = await pm.update();
    assert.equal(report.updated.length, 3);
    const usd = pm.getPrice('usd');
    assert.ok(usd.ok);
    assert.equal(usd.price, 101_000);
    assert.equal(usd.sources.length, 3);
    assert.equal(usd.simulated, false);
    assert.equal(usd.at, clock.now());
    const eur = pm.getPrice('EUR');
    assert.ok(eur.ok);
    assert.equal(eur.price, 91_500);
    assert.deepEqual(pm.currencies(), ['EUR', 'USD']);
    assert.deepEqual(pm.getPrice('JPY'), { ok: false, reason: 'unknown_currency' });
  });

  test('an outlier source is left out', async () => {
    routes.set('o1', { prices: { USD: 100_000 } });
    routes.set('o2', { prices: { USD: 100_500 } });
    routes.set('o3', { prices: { USD: 250_000 } });
    const pm = new PriceManager({
      sources: [source('o1'), source('o2'), source('o3')],
      clock: new ManualClock(),
      maxStalenessSeconds: 60,
      outlierPct: 5,
    });
    await pm.update();
    const r = pm.getPrice('USD');
    assert.ok(r.ok);
    assert.equal(r.price, 100_250);
    assert.equal(r.sources.length, 2);
  });

  test('prices go stale after the window', async () => {
    routes.set('s', { prices: { USD: 100_000 } });
    const clock = new ManualClock();
    const pm = new PriceManager({ sources: [source('s')], clock, maxStalenessSeconds: 1800 });
    assert.deepEqual(pm.getPrice('USD'), { ok: false, reason: 'price_too_stale' }, 'nothing fetched yet');
    await pm.update();
    clock.advance(1800);
    assert.equal(pm.getPrice('USD').ok, true, 'exactly at the window: still fresh');
    clock.advance(1);
    assert.deepEqual(pm.getPrice('USD'), { ok: false, reason: 'price_too_stale' });
    assert.deepEqual(pm.currencies(), []);
    await pm.update();
    assert.equal(pm.getPrice('USD').ok, true, 'fresh again after an update');
  });

  test('a failing source: the others are used, and its old quote ages out', async () => {
    routes.set('ok1', { prices: { USD: 100_000 } });
    routes.set('flaky', { prices: { USD: 104_000 } });
    const clock = new ManualClock();
    const pm = new PriceManager({ sources: [source('ok1'), source('flaky')], clock, maxStalenessSeconds: 600 });
    await pm.update();
    assert.equal((pm.getPrice('USD') as { price: number }).price, 102_000);
    routes.set('flaky', { status: 503 });
    clock.advance(601);
    const report = await pm.update();
    assert.deepEqual(report.updated, [source('ok1').name]);
    assert.equal(report.failed.length, 1);
    assert.match(report.failed[0]!.error, /HTTP 503/);
    const r = pm.getPrice('USD');
    assert.ok(r.ok);
    assert.equal(r.price, 100_000, 'the failing source no longer counts');
  });

  test('all sources failing: price_too_stale, never an old price', async () => {
    routes.set('dead', { status: 500 });
    const pm = new PriceManager({ sources: [source('dead')], clock: new ManualClock(), maxStalenessSeconds: 60 });
    const report = await pm.update();
    assert.equal(report.failed.length, 1);
    assert.deepEqual(pm.getPrice('USD'), { ok: false, reason: 'price_too_stale' });
  });

  test('a slow source times out without blocking the others', async () => {
    routes.set('fast', { prices: { USD: 100_000 } });
    const never: PriceSource = { name: 'never', simulated: false, fetchPrices: () => new Promise(() => {}) };
    const pm = new PriceManager({
      sources: [source('fast'), never],
      clock: new ManualClock(),
      maxStalenessSeconds: 60,
      timeoutMs: 50,
    });
    const report = await pm.update();
    assert.deepEqual(report.failed, [{ source: 'never', error: 'timed out after 50 ms' }]);
    assert.equal(pm.getPrice('USD').ok, true);
  });

  test('circuit breaker: after N failures the source is skipped until the cooldown passes', async () => {
    routes.set('cb', { status: 500 });
    routes.set('cbok', { prices: { USD: 100_000 } });
    hits.set('cb', 0);
    const clock = new ManualClock();
    const pm = new PriceManager({
      sources: [source('cb'), source('cbok')],
      clock,
      maxStalenessSeconds: 600,
      failureThreshold: 3,
      cooldownSeconds: 300,
    });
    for (let i = 0; i < 3; i++) await pm.update();
    assert.equal(hits.get('cb'), 3);
    const status = pm.sourceStatus()[0]!;
    assert.equal(status.consecutiveFailures, 3);
    assert.equal(status.openUntil, clock.now() + 300);
    const skipped = await pm.update();
    assert.deepEqual(skipped.skipped, [source('cb').name]);
    assert.equal(hits.get('cb'), 3, 'not called while open');
    clock.advance(300);
    await pm.update();
    assert.equal(hits.get('cb'), 4, 'tried again after the cooldown');
    assert.equal(pm.sourceStatus()[0]!.openUntil, clock.now() + 300, 'one more failure reopens it');
    routes.set('cb', { prices: { USD: 100_000 } });
    clock.advance(300);
    await pm.update();
    assert.deepEqual(
      { failures: pm.sourceStatus()[0]!.consecutiveFailures, open: pm.sourceStatus()[0]!.openUntil },
      { failures: 0, open: 0 },
    );
  });

  test('concurrent updates share one round', async () => {
    routes.set('shared', { prices: { USD: 1 } });
    hits.set('shared', 0);
    const pm = new PriceManager({ sources: [source('shared')], clock: new ManualClock(), maxStalenessSeconds: 60 });
    const [a, b] = await Promise.all([pm.update(), pm.update()]);
    assert.equal(a, b);
    assert.equal(hits.get('shared'), 1);
  });

  test('built from settings: the embedded fixed source is marked simulated', async () => {
    const r = parseSettings({
      nostr: { nsec_privkey: '1'.repeat(64) },
      relay: { embedded: true },
      lightning: { backend: 'simulated' },
      price: { sources: [{ kind: 'fixed', prices: { USD: 100_000 } }], max_price_staleness_seconds: 60 },
    });
    assert.ok(r.ok);
    const clock = new ManualClock();
    const pm = priceManagerFromSettings(r.settings.price, clock);
    assert.equal(pm.simulated, true);
    await pm.update();
    const usd = pm.getPrice('USD');
    assert.ok(usd.ok);
    assert.equal(usd.price, 100_000);
    assert.equal(usd.simulated, true);
    clock.advance(61);
    assert.equal(pm.getPrice('USD').ok, false, 'even fixed prices are subject to the staleness window');
  });
});
