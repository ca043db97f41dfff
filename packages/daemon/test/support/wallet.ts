// Client of the simulated network's wallet API (the same HTTP API `mostro wallet` uses).
export interface WalletPayment {
  hash: string;
  state: string;
  [key: string]: unknown;
}

export class SimWallet {
  constructor(
    readonly url: string,
    readonly name: string,
  ) {}

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await response.json()) as T & { error?: unknown };
    if (!response.ok) throw new Error(`wallet ${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  }

  async fund(sats: number): Promise<void> {
    await this.call('POST', `/wallets/${this.name}/fund`, { amount_sats: sats });
  }

  async balance(): Promise<number> {
    return (await this.call<{ balance_sats: number }>('GET', `/wallets/${this.name}/balance`)).balance_sats;
  }

  async invoice(sats: number | null, memo = ''): Promise<string> {
    const r = await this.call<{ bolt11: string }>('POST', `/wallets/${this.name}/invoice`, {
      ...(sats === null ? {} : { amount_sats: sats }),
      memo,
    });
    return r.bolt11;
  }

  pay(request: string, amountSats?: number): Promise<WalletPayment> {
    return this.call('POST', `/wallets/${this.name}/pay`, {
      request,
      ...(amountSats ? { amount_sats: amountSats } : {}),
    });
  }

  static async injectFailure(url: string, rule: Record<string, unknown>): Promise<void> {
    const r = await fetch(`${url}/admin/fail`, { method: 'POST', body: JSON.stringify(rule) });
    if (!r.ok) throw new Error(`inject failure: ${r.status} ${await r.text()}`);
  }
}
