// Bad input to every command: one clear error line on stderr, nothing on stdout, a non-zero exit,
// and no session or network touched.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { mostro } from './helpers/cli.ts';

const home = mkdtempSync(join(tmpdir(), 'mostro-bad-'));
after(() => rmSync(home, { recursive: true, force: true }));
const user = { home: join(home, 'u') };
const ID = '308e1272-d5f4-47e6-bd97-3504baea9c23';

const CASES: [string, string[], RegExp][] = [
  ['init', ['init', '--words', '13'], /--words must be 12 or 24/],
  ['import', ['import', '--mnemonic', Array(12).fill('tomato').join(' ')], /not a valid BIP-39/],
  ['node', ['node', 'extra'], /unexpected argument/],
  [
    'node --transport',
    ['node', '--save', '--transport', 'carrier-pigeon'],
    /--transport must be auto, nip44 or gift-wrap/,
  ],
  ['orders', ['orders', '--kind', 'lend'], /--kind must be buy or sell/],
  ['orders (unknown option)', ['orders', '--bogus'], /Unknown option '--bogus'/],
  ['new', ['new', '--fiat', 'EUR', '--amount', '10', '--method', 'x'], /missing --kind/],
  [
    'new (range)',
    ['new', '--kind', 'sell', '--fiat', 'EUR', '--amount', '500-100', '--method', 'x'],
    /range of values/,
  ],
  [
    'new (premium+sats)',
    ['new', '--kind', 'sell', '--fiat', 'EUR', '--amount', '10', '--method', 'x', '--sats', '5000', '--premium', '2'],
    /premium only applies/,
  ],
  [
    'new (no terminal, no --yes)',
    ['new', '--kind', 'sell', '--fiat', 'EUR', '--amount', '10', '--method', 'x'],
    /confirmation needed/,
  ],
  ['take', ['take', 'not-an-id'], /not a valid order id/],
  ['take (amount)', ['take', ID, '--amount', 'ten'], /--amount must be a whole number/],
  ['invoice', ['invoice', ID, 'not-an-invoice'], /is not a bolt11 invoice/],
  ['invoice (missing)', ['invoice', ID], /missing <invoice>/],
  ['pay', ['pay'], /missing <order-id>/],
  ['fiat-sent', ['fiat-sent', '123'], /not a valid order id/],
  ['release', ['release', ID, 'extra'], /unexpected argument/],
  ['cancel', ['cancel'], /missing <order-id>/],
  ['dispute', ['dispute', 'x'], /not a valid order id/],
  ['rate', ['rate', ID, '9'], /rating must be a whole number from 1 to 5/],
  ['chat', ['chat'], /missing chat command/],
  ['chat send', ['chat', 'send', ID], /missing <text>/],
  ['chat (sub)', ['chat', 'shout', ID], /unknown chat command/],
  ['trades', ['trades', 'extra'], /unexpected argument/],
  ['watch', ['watch', '--forever'], /Unknown option/],
  ['new (no doubled prefix)', ['new', '--bogus'], /^mostro new: Unknown option '--bogus'/],
  ['restore', ['restore', 'now'], /unexpected argument/],
  ['admin', ['admin', 'explode'], /unknown admin command/],
  ['admin add-solver', ['admin', 'add-solver', 'bob'], /not npub1/],
  ['admin take', ['admin', 'take', 'x'], /not a valid dispute id/],
  ['admin chat', ['admin', 'chat', ID], /missing --party/],
  ['global --relay', ['orders', '--relay', 'http://example.com'], /not a ws:\/\/ or wss:\/\/ URL/],
  ['global --timeout', ['trades', '--timeout', '-5'], /needs a value|--timeout must be/],
  ['unknown command', ['explode'], /unknown command 'explode'/],
];

describe('bad input gives one clear error and a non-zero exit', () => {
  for (const [name, args, pattern] of CASES) {
    it(name, async () => {
      const r = await mostro(user, args);
      assert.notEqual(r.code, 0, `${name}: exit code`);
      assert.equal(r.stdout, '', `${name}: nothing on stdout`);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, `${name}: one line, got:\n${r.stderr}`);
      assert.match(lines[0] as string, pattern);
      assert.match(lines[0] as string, / — /, `${name}: the line names the fix after a dash`);
    });
  }

  it('--json reports the error as JSON on stdout', async () => {
    const r = await mostro(user, ['rate', ID, '0', '--json']);
    assert.equal(r.code, 2);
    assert.equal(r.json.error.code, 'usage');
    assert.match(r.json.error.message, /rating must be/);
    assert.ok(r.json.error.fix.length > 0);
  });

  it('a command needing a session says how to create one', async () => {
    const r = await mostro(user, ['trades', '--offline']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no session.*mostro init/);
    assert.equal(existsSync(join(user.home, 'session.json')), false, 'nothing was created');
  });
});
