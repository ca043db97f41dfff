// The simulated Lightning wallet of the local node (its wallet HTTP API, proxied by the node's web
// server). Only ever used when the node says it is simulated: these sats are worth nothing.
export interface WalletResult<T> {
  ok: boolean;
  value?: T;
  error?: string;
}

export class SimWallet {
  constructor(
    private readonly base: string,
    readonly name: string,
  ) {}

  private async call<T>(method: 'GET' | 'POST', path: string, body?: object): Promise<T> {
    const res = await fetch(`${this.base}/wallets/${encodeURIComponent(this.name)}${path}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (!res.ok) throw new Error(String(json.message ?? json.error ?? `HTTP ${res.status}`));
    return json as T;
  }

  async balance(): Promise<number> {
    try {
      return Number((await this.call<{ balance_sats: number }>('GET', '/balance')).balance_sats);
    } catch {
      return 0; // a wallet that never received anything does not exist yet
    }
  }

  fund(sats: number) {
    return this.call<{ balance_sats: number }>('POST', '/fund', { amount_sats: sats });
  }

  async invoice(sats: number, memo = 'mostro web payout'): Promise<string> {
    return (await this.call<{ bolt11: string }>('POST', '/invoice', { amount_sats: sats, memo })).bolt11;
  }

  async pay(bolt11: string): Promise<{ state: string; failure_message: string | null }> {
    return this.call('POST', '/pay', { request: bolt11 });
  }
}

export function randomWalletName(): string {
  const b = new Uint8Array(6);
  crypto.getRandomValues(b);
  return `web-${[...b].map((x) => x.toString(16).padStart(2, '0')).join('')}`;
}
