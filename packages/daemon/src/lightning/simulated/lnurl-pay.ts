// LNURL-pay (LUD-06, LUD-16) for the simulated wallets: `<wallet>@127.0.0.1:<wallet port>` is a
// lightning address of the simulator, so whatever pays lightning addresses (buyer payouts, the dev
// fee) can be exercised without the internet. Plain http on loopback: the node's resolver must list
// the host in `httpHosts` (it does for the simulated backend).

export interface RequestUrl {
  /** `http://host:port` the client used. */
  origin: string;
  query: URLSearchParams;
}

type Route = {
  method: string;
  pattern: RegExp;
  handle: (m: string[], body: Record<string, unknown>, request: RequestUrl) => unknown;
};

const MIN_SENDABLE_MSAT = 1000;
const MAX_SENDABLE_MSAT = 10_000_000_000;

/** The two endpoints; `invoice` makes a BOLT-11 invoice of `amountSats` for the wallet `name`. */
export function lnurlPayRoutes(invoice: (name: string, amountSats: number) => string): Route[] {
  return [
    {
      method: 'GET',
      pattern: /^\/\.well-known\/lnurlp\/([^/]+)$/,
      handle: ([name], _body, { origin }) => ({
        tag: 'payRequest',
        callback: `${origin}/lnurlp/${encodeURIComponent(name as string)}/callback`,
        minSendable: MIN_SENDABLE_MSAT,
        maxSendable: MAX_SENDABLE_MSAT,
        metadata: JSON.stringify([['text/plain', `simulated wallet ${name}`]]),
        commentAllowed: 200,
      }),
    },
    {
      method: 'GET',
      pattern: /^\/lnurlp\/([^/]+)\/callback$/,
      handle: ([name], _body, { query }) => {
        const msat = Number(query.get('amount'));
        if (!Number.isSafeInteger(msat) || msat < MIN_SENDABLE_MSAT || msat > MAX_SENDABLE_MSAT || msat % 1000 !== 0) {
          return { status: 'ERROR', reason: 'amount must be whole sats within the limits (msat)' };
        }
        try {
          return { pr: invoice(name as string, msat / 1000), routes: [] };
        } catch (e) {
          // LUD-06: a refusal is an ERROR answer, not an HTTP failure.
          return { status: 'ERROR', reason: (e as Error).message };
        }
      },
    },
  ];
}
