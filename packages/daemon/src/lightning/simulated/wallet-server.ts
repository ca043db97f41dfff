// The simulated wallets' local HTTP JSON API (127.0.0.1 only): what `mostro wallet` and tests use to
// play the buyer's and seller's side of a trade. Every answer carries `simulated: true`: the sats here
// are minted by a faucet and worth nothing.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { lnurlPayRoutes, type RequestUrl } from './lnurl-pay.ts';
import type { FailureKind, InvoiceView, PaymentView, SimErrorCode, SimResult, SimulatedNetwork } from './network.ts';

export interface WalletServerOptions {
  /** TCP port on 127.0.0.1; 0 picks a free one (see `url`). */
  port: number;
  host?: string;
  /** Routing fee cap for POST /pay when the body gives none: this many sats + 1% of the amount. */
  defaultMaxFeeBaseSats?: number;
}

export interface WalletServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024;

const STATUS: Record<SimErrorCode, number> = {
  invalid_argument: 400,
  invalid_invoice: 400,
  not_found: 404,
  already_exists: 409,
  invalid_state: 409,
  no_route: 422,
  payee_offline: 422,
  fee_too_high: 422,
  expired: 422,
  payment_failed: 422,
  timeout: 422,
  unavailable: 503,
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const sats = (msat: bigint): number => Number(msat / 1000n);

const invoiceJson = (i: InvoiceView) => ({
  hash: i.hash,
  bolt11: i.request,
  kind: i.kind,
  amount_sats: i.amountMsat === null ? null : sats(i.amountMsat),
  memo: i.memo,
  state: i.kind === 'regular' && i.state === 'settled' ? 'paid' : i.state,
  created_at: i.createdAt,
  expires_at: i.expiresAt,
  received_sats: i.receivedMsat === null ? null : sats(i.receivedMsat),
  htlc_expiry_height: i.htlcExpiryHeight,
});

const paymentJson = (p: PaymentView) => ({
  hash: p.hash,
  bolt11: p.request,
  destination: p.destination,
  state: p.state,
  amount_sats: sats(p.amountMsat),
  fee_sats: sats(p.feeMsat),
  preimage: p.preimage,
  failure: p.failure,
  failure_message: p.failureMessage,
  created_at: p.createdAt,
});

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'invalid_argument', 'request body too large');
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'invalid_argument', 'body is not JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'invalid_argument', 'body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

/** A JSON field that must be a whole number (or absent when `optional`). */
function int(body: Record<string, unknown>, key: string, optional: true): number | undefined;
function int(body: Record<string, unknown>, key: string, optional?: false): number;
function int(body: Record<string, unknown>, key: string, optional = false): number | undefined {
  const v = body[key];
  if ((v === undefined || v === null) && optional) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
    throw new HttpError(400, 'invalid_argument', `${key}: a whole number is required`);
  }
  return v;
}

function str(body: Record<string, unknown>, key: string, optional = false): string | undefined {
  const v = body[key];
  if ((v === undefined || v === null) && optional) return undefined;
  if (typeof v !== 'string') throw new HttpError(400, 'invalid_argument', `${key}: a string is required`);
  return v;
}

/** A user wallet: not one a node's backend claimed (the escrow's sats are not the API's to move). */
function userWallet(network: SimulatedNetwork, name: string): string {
  if (network.isClaimed(name)) {
    throw new HttpError(403, 'invalid_state', `'${name}' is the node's own wallet: the wallet API cannot use it`);
  }
  return name;
}

function unwrap<T>(r: SimResult<T>): T {
  if (r.ok) return r.value;
  throw new HttpError(STATUS[r.error.code] ?? 500, r.error.code, r.error.message);
}

/** Starts the wallet API of `network` on 127.0.0.1. */
export async function startWalletServer(
  network: SimulatedNetwork,
  options: WalletServerOptions,
): Promise<WalletServer> {
  const host = options.host ?? '127.0.0.1';
  const feeBase = options.defaultMaxFeeBaseSats ?? 10;

  const routes: {
    method: string;
    pattern: RegExp;
    handle: (m: string[], body: Record<string, unknown>, request: RequestUrl) => unknown;
  }[] = [
    ...lnurlPayRoutes(
      (name, amountSats) =>
        unwrap(network.createInvoice(userWallet(network, name), { amountSats, memo: `lnurl-pay to ${name}` })).request,
    ),
    {
      method: 'GET',
      pattern: /^\/info$/,
      handle: () => ({
        network: 'regtest',
        block_height: network.height(),
        now: network.clock.now(),
        injectable_clock: network.injectableClock,
        fee_base_msat: network.feeBaseMsat,
        fee_ppm: network.feePpm,
      }),
    },
    {
      method: 'GET',
      pattern: /^\/wallets\/([^/]+)\/balance$/,
      handle: ([name]) => {
        const w = unwrap(network.wallet(name!));
        return {
          wallet: w.name,
          pubkey: w.pubkey,
          balance_sats: sats(w.balanceMsat),
          balance_msat: w.balanceMsat.toString(),
          outgoing_in_flight_sats: sats(w.outgoingInFlightMsat),
        };
      },
    },
    {
      method: 'POST',
      pattern: /^\/wallets\/([^/]+)\/invoice$/,
      handle: ([name], body) => {
        const invoice = unwrap(
          network.createInvoice(userWallet(network, name!), {
            amountSats: int(body, 'amount_sats', true) ?? null,
            memo: str(body, 'memo', true) ?? '',
            expirySeconds: int(body, 'expiry_seconds', true),
          }),
        );
        return { wallet: name, ...invoiceJson(invoice) };
      },
    },
    {
      method: 'POST',
      pattern: /^\/wallets\/([^/]+)\/pay$/,
      handle: ([name], body) => {
        const request = str(body, 'request') as string;
        const amountSats = int(body, 'amount_sats', true);
        let maxFeeSats = int(body, 'max_fee_sats', true);
        if (maxFeeSats === undefined) {
          const decoded = unwrap(network.decode(request));
          const amount = decoded.amountMsat === null ? (amountSats ?? 0) : sats(decoded.amountMsat);
          maxFeeSats = feeBase + Math.ceil(amount / 100);
        }
        const payment = unwrap(network.pay(userWallet(network, name!), { request, amountSats, maxFeeSats }));
        return { wallet: name, ...paymentJson(payment) };
      },
    },
    {
      method: 'POST',
      pattern: /^\/wallets\/([^/]+)\/fund$/,
      handle: ([name], body) => {
        const amount = int(body, 'amount_sats');
        const w = unwrap(network.fund(userWallet(network, name!), amount));
        return { wallet: w.name, funded_sats: amount, balance_sats: sats(w.balanceMsat) };
      },
    },
    {
      method: 'GET',
      pattern: /^\/wallets\/([^/]+)\/payments$/,
      handle: ([name]) => {
        unwrap(network.wallet(name!));
        return {
          wallet: name,
          outgoing: network.payments(name!).map(paymentJson),
          incoming: network.invoices(name!).map(invoiceJson),
        };
      },
    },
    {
      method: 'POST',
      pattern: /^\/admin\/fail$/,
      handle: (_m, body) => {
        if (body.clear === true) {
          network.clearFailures();
          return { cleared: true };
        }
        const id = unwrap(
          network.injectFailure({
            failure: str(body, 'failure') as FailureKind,
            hash: str(body, 'hash', true),
            destination: str(body, 'destination', true),
            wallet: str(body, 'wallet', true),
            times: int(body, 'times', true),
          }),
        );
        return { id };
      },
    },
    {
      method: 'POST',
      pattern: /^\/admin\/release$/,
      handle: (_m, body) => {
        const outcome = str(body, 'outcome');
        if (outcome !== 'deliver' && outcome !== 'fail') {
          throw new HttpError(400, 'invalid_argument', 'outcome: deliver | fail');
        }
        const wallet = str(body, 'wallet') as string;
        return {
          wallet,
          ...paymentJson(unwrap(network.releasePayment(wallet, str(body, 'hash') as string, outcome))),
        };
      },
    },
    {
      method: 'GET',
      pattern: /^\/admin\/invoices\/([0-9a-f]{64})$/,
      handle: ([hash]) => invoiceJson(unwrap(network.getInvoice(hash!))),
    },
    {
      method: 'POST',
      pattern: /^\/admin\/cancel-invoice$/,
      handle: (_m, body) => {
        // What an operator's `lncli cancelinvoice` does: the payee's node cancels, the payer is refunded.
        const invoice = unwrap(network.getInvoice(str(body, 'hash') as string));
        unwrap(network.cancelHoldInvoice(invoice.wallet, invoice.hash));
        return invoiceJson(unwrap(network.getInvoice(invoice.hash)));
      },
    },
    {
      method: 'POST',
      pattern: /^\/admin\/mine$/,
      handle: (_m, body) => {
        if (!network.injectableClock) throw new HttpError(409, 'invalid_state', 'the simulator runs on the real clock');
        return { block_height: unwrap(network.mineBlocks(int(body, 'blocks'))) };
      },
    },
    {
      method: 'POST',
      pattern: /^\/admin\/advance$/,
      handle: (_m, body) => {
        const now = unwrap(network.advanceClock(int(body, 'seconds')));
        return { now, block_height: network.height() };
      },
    },
    {
      method: 'GET',
      pattern: /^\/admin\/audit$/,
      handle: () => {
        const a = network.audit();
        return {
          minted_msat: a.mintedMsat.toString(),
          balances_msat: a.balancesMsat.toString(),
          in_flight_msat: a.inFlightMsat.toString(),
          fees_msat: a.feesMsat.toString(),
          conserved: a.balancesMsat + a.inFlightMsat + a.feesMsat === a.mintedMsat,
          block_height: a.height,
        };
      },
    },
  ];

  const send = (res: ServerResponse, status: number, body: object) => {
    const text = JSON.stringify({ ...body, simulated: true });
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(text);
  };

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', `http://${req.headers.host ?? `${host}:${options.port}`}`);
      const path = url.pathname;
      const candidates = routes.filter((r) => r.pattern.test(path));
      if (candidates.length === 0) throw new HttpError(404, 'not_found', `no such endpoint: ${path}`);
      const route = candidates.find((r) => r.method === req.method);
      if (!route) throw new HttpError(405, 'invalid_argument', `use ${candidates.map((r) => r.method).join('/')}`);
      let params: string[];
      try {
        params = (route.pattern.exec(path) ?? []).slice(1).map(decodeURIComponent);
      } catch {
        throw new HttpError(400, 'invalid_argument', 'bad URL encoding');
      }
      const body = req.method === 'POST' ? await readJson(req) : {};
      send(res, 200, route.handle(params, body, { origin: url.origin, query: url.searchParams }) as object);
    } catch (e) {
      if (e instanceof HttpError) send(res, e.status, { error: { code: e.code, message: e.message } });
      else send(res, 500, { error: { code: 'internal', message: (e as Error).message } });
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
