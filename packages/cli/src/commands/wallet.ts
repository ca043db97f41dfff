// `mostro wallet`: a simulated Lightning wallet, through the wallet API that mostrod serves on
// 127.0.0.1 in embedded mode. Lets a person play the buyer or the seller of a trade with test sats.
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { jsonFromEnv } from '../lib/globals.ts';
import { DEFAULT_WALLET_URL, localNode } from '../lib/local-node.ts';

export const summary = 'simulated Lightning wallet (embedded node): balance, invoice, pay, fund, payments';

const DEFAULT_URL = `the local node's wallet (from ~/.mostrod/config.toml or $MOSTRO_DATA_DIR), else ${DEFAULT_WALLET_URL}`;
const NOTE = '(simulated sats: test money of the embedded node, worth nothing)';

const USAGE = `usage: mostro wallet <action> [options]

actions:
  balance                      show the wallet's balance
  invoice <sats> [--memo TEXT] create an invoice to be paid (0 = any amount)
  pay <bolt11> [--amount SATS] pay an invoice (a hold invoice returns once accepted)
  fund <sats>                  mint simulated sats from the faucet
  payments                     list payments sent and invoices received

options:
  --wallet NAME      wallet name (env MOSTRO_WALLET; default: your user name)
  --wallet-url URL   wallet API (env MOSTRO_WALLET_URL; default ${DEFAULT_URL})
  --max-fee SATS     routing fee cap for pay (default: 10 sats + 1%)
  --json             print the API's JSON answer

Every sat here is simulated: the embedded node runs a simulated Lightning network.`;

class CliError extends Error {}

function defaultWallet(): string {
  try {
    return userInfo().username || 'user';
  } catch {
    return 'user';
  }
}

function parseSats(text: string | undefined, what: string, allowZero = false): number {
  if (text === undefined || !/^\d+$/.test(text)) throw new CliError(`${what} must be a whole number of sats`);
  const n = Number(text);
  if (!Number.isSafeInteger(n) || (!allowZero && n === 0))
    throw new CliError(`${what} must be a positive number of sats`);
  return n;
}

async function call(
  base: string,
  method: 'GET' | 'POST',
  path: string,
  body?: object,
): Promise<Record<string, unknown>> {
  let res: Response;
  try {
    res = await fetch(new URL(path, base), {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(30_000),
    });
  } catch {
    throw new CliError(`cannot reach the simulated wallet API at ${base} (is mostrod running in embedded mode?)`);
  }
  let json: Record<string, unknown>;
  try {
    json = (await res.json()) as Record<string, unknown>;
  } catch {
    throw new CliError(`the wallet API at ${base} answered HTTP ${res.status} without JSON`);
  }
  if (!res.ok) {
    const err = json.error as { code?: string; message?: string } | undefined;
    throw new CliError(`${err?.code ?? `HTTP ${res.status}`}: ${err?.message ?? 'request failed'}`);
  }
  return json;
}

const n = (v: unknown) => (typeof v === 'number' ? v.toLocaleString('en-US') : String(v));

function describePayment(p: Record<string, unknown>): string {
  const fee = p.fee_sats ? ` + ${n(p.fee_sats)} fee` : '';
  const why = p.failure ? ` (${p.failure}${p.failure_message ? `: ${p.failure_message}` : ''})` : '';
  return `${String(p.state).padEnd(9)} ${n(p.amount_sats)} sats${fee}  ${p.hash}${why}`;
}

function describeInvoice(i: Record<string, unknown>): string {
  const amount = i.amount_sats === null ? 'any amount' : `${n(i.amount_sats)} sats`;
  const memo = i.memo ? `  "${i.memo}"` : '';
  return `${String(i.state).padEnd(9)} ${amount} (${i.kind})  ${i.hash}${memo}`;
}

export async function run(argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        wallet: { type: 'string' },
        'wallet-url': { type: 'string' },
        memo: { type: 'string' },
        amount: { type: 'string' },
        'max-fee': { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    const [action, arg, ...extra] = positionals;
    if (values.help || action === 'help') {
      console.log(USAGE);
      return 0;
    }
    if (!action) {
      console.error(USAGE);
      return 2;
    }
    const base =
      values['wallet-url'] || process.env.MOSTRO_WALLET_URL?.trim() || localNode()?.walletUrl || DEFAULT_WALLET_URL;
    try {
      new URL(base);
    } catch {
      throw new CliError(`--wallet-url is not a URL: ${base}`);
    }
    const wallet = values.wallet ?? process.env.MOSTRO_WALLET ?? defaultWallet();
    const at = `/wallets/${encodeURIComponent(wallet)}`;
    const expectArgs = (count: number) => {
      if (extra.length > 0 || (count === 0 && arg !== undefined) || (count === 1 && arg === undefined)) {
        throw new CliError(`wrong arguments for '${action}' (run 'mostro wallet --help')`);
      }
    };
    const print = (json: Record<string, unknown>, lines: string[]) => {
      if (values.json || jsonFromEnv()) console.log(JSON.stringify(json, null, 2));
      else console.log([...lines, NOTE].join('\n'));
    };

    switch (action) {
      case 'balance': {
        expectArgs(0);
        const r = await call(base, 'GET', `${at}/balance`);
        const inFlight = r.outgoing_in_flight_sats ? ` (${n(r.outgoing_in_flight_sats)} sats in flight)` : '';
        print(r, [`wallet ${r.wallet}: ${n(r.balance_sats)} sats${inFlight}`]);
        return 0;
      }
      case 'invoice': {
        expectArgs(1);
        const amount = parseSats(arg, 'the invoice amount', true);
        const r = await call(base, 'POST', `${at}/invoice`, {
          amount_sats: amount === 0 ? null : amount,
          memo: values.memo ?? '',
        });
        const what = amount === 0 ? 'any amount' : `${n(amount)} sats`;
        print(r, [String(r.bolt11), `invoice for ${what} to wallet ${wallet}, hash ${r.hash}`]);
        return 0;
      }
      case 'pay': {
        expectArgs(1);
        const body: Record<string, unknown> = { request: arg };
        if (values.amount !== undefined) body.amount_sats = parseSats(values.amount, '--amount');
        if (values['max-fee'] !== undefined) body.max_fee_sats = parseSats(values['max-fee'], '--max-fee', true);
        // The API is idempotent by hash (a second pay returns the first payment): say so.
        const before = (await call(base, 'GET', `${at}/payments`)).outgoing as Record<string, unknown>[] | undefined;
        const r = await call(base, 'POST', `${at}/pay`, body);
        const earlier = (before ?? []).find((p) => p.hash === r.hash && p.state !== 'failed');
        if (earlier) {
          print(r, [`already paid from wallet ${wallet}, nothing sent again: ${describePayment(r)}`]);
          return 0;
        }
        const held = r.state === 'in_flight' ? ' — held by the payee (hold invoice accepted)' : '';
        print(r, [`payment from wallet ${wallet}: ${describePayment(r)}${held}`]);
        return r.state === 'failed' ? 1 : 0;
      }
      case 'fund': {
        expectArgs(1);
        const amount = parseSats(arg, 'the amount');
        const r = await call(base, 'POST', `${at}/fund`, { amount_sats: amount });
        print(r, [`faucet: +${n(amount)} sats to wallet ${r.wallet}, balance ${n(r.balance_sats)} sats`]);
        return 0;
      }
      case 'payments': {
        expectArgs(0);
        const r = await call(base, 'GET', `${at}/payments`);
        const out = (r.outgoing as Record<string, unknown>[]) ?? [];
        const inc = (r.incoming as Record<string, unknown>[]) ?? [];
        print(r, [
          `wallet ${wallet}`,
          `sent (${out.length}):`,
          ...out.map((p) => `  ${describePayment(p)}`),
          `invoices (${inc.length}):`,
          ...inc.map((i) => `  ${describeInvoice(i)}`),
        ]);
        return 0;
      }
      default:
        throw new CliError(`unknown action '${action}' (balance, invoice, pay, fund, payments)`);
    }
  } catch (e) {
    const message = e instanceof CliError ? e.message : (e as Error).message;
    console.error(`mostro wallet: ${message}`);
    return e instanceof CliError ? 1 : 2;
  }
}
