// Lightning addresses (LUD-16) and LNURL-pay (LUD-06): how a buyer can be paid without handing over
// a fresh invoice. Resolution is a dependency (`LnurlResolver`) so tests serve endpoints on
// 127.0.0.1 and an operator could swap in a proxying resolver.
import { bech32 } from '@scure/base';

export type LnurlResult<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface LnurlResolver {
  /** Null when `target` resolves to a LNURL-pay endpoint that accepts `amountSats` (if known), else why not. */
  check(target: string, amountSats: number | null): Promise<string | null>;
  /**
   * A BOLT-11 invoice for exactly `amountSats` from the target's LNURL-pay endpoint; `comment`
   * (LUD-12) is sent only when the endpoint accepts one that long.
   */
  invoice(target: string, amountSats: number, comment?: string): Promise<LnurlResult<string>>;
}

const MAX_ANSWER = 100_000;
const ADDRESS = /^[a-z0-9._+-]+@[a-z0-9.-]+(:\d{1,5})?$/i;

/** Strips a `lightning:` URI prefix. */
export const stripLightningPrefix = (s: string): string => s.trim().replace(/^lightning:/i, '');

/** True for a lightning address (`name@domain`) or a bech32 `lnurl1…`. */
export function isLnurlTarget(target: string): boolean {
  const t = stripLightningPrefix(target);
  return ADDRESS.test(t) || /^lnurl1[02-9ac-hj-np-z]+$/i.test(t);
}

export interface HttpLnurlOptions {
  /** Hosts reached over plain http (tests: 127.0.0.1); everything else needs https (onion: http). */
  httpHosts?: readonly string[];
  timeoutMs?: number;
  fetch?: typeof fetch;
}

interface PayParams {
  callback: string;
  minSendable: number;
  maxSendable: number;
  /** LUD-12: longest comment the endpoint takes (0 = none). */
  commentAllowed: number;
}

/**
 * A user-supplied host the node must not be made to call: IP literals and localhost (the node's own
 * network), unless explicitly allowed (tests serve LNURL on 127.0.0.1).
 */
export function isPrivateHost(hostname: string, allowed: readonly string[] = []): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (allowed.includes(h)) return false;
  return h === 'localhost' || h.endsWith('.localhost') || /^[0-9.]+$/.test(h) || h.includes(':');
}

/** The LNURL-pay endpoint URL of a lightning address or bech32 LNURL. */
export function lnurlEndpoint(target: string, httpHosts: readonly string[] = []): LnurlResult<URL> {
  const t = stripLightningPrefix(target);
  let url: URL;
  try {
    if (ADDRESS.test(t)) {
      const at = t.lastIndexOf('@');
      const user = t.slice(0, at);
      const host = t.slice(at + 1).toLowerCase();
      const hostname = host.replace(/:\d+$/, '');
      const scheme = httpHosts.includes(hostname) || hostname.endsWith('.onion') ? 'http' : 'https';
      url = new URL(`${scheme}://${host}/.well-known/lnurlp/${encodeURIComponent(user)}`);
    } else {
      const decoded = bech32.decode(t.toLowerCase() as `${string}1${string}`, 2000);
      if (decoded.prefix !== 'lnurl') return { ok: false, reason: 'not an lnurl' };
      url = new URL(new TextDecoder().decode(bech32.fromWords(decoded.words)));
    }
  } catch {
    return { ok: false, reason: 'malformed lightning address or lnurl' };
  }
  return checkedUrl(url, httpHosts);
}

function checkedUrl(url: URL, httpHosts: readonly string[]): LnurlResult<URL> {
  if (isPrivateHost(url.hostname, httpHosts)) return { ok: false, reason: 'lnurl host not allowed' };
  const plainOk = httpHosts.includes(url.hostname) || url.hostname.endsWith('.onion');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && plainOk)) {
    return { ok: false, reason: 'lnurl must use https' };
  }
  return { ok: true, value: url };
}

/** A resolver over HTTP(S) with a timeout; never throws. */
export function createHttpLnurlResolver(options: HttpLnurlOptions = {}): LnurlResolver {
  const httpHosts = options.httpHosts ?? [];
  const timeoutMs = options.timeoutMs ?? 10_000;
  const doFetch = options.fetch ?? fetch;

  async function getJson(url: URL): Promise<LnurlResult<Record<string, unknown>>> {
    try {
      const res = await doFetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
      if (!res.ok) return { ok: false, reason: `endpoint answered HTTP ${res.status}` };
      if (Number(res.headers.get('content-length') ?? 0) > MAX_ANSWER) return { ok: false, reason: 'answer too large' };
      const text = await res.text();
      if (text.length > MAX_ANSWER) return { ok: false, reason: 'endpoint answer too large' };
      const body = JSON.parse(text) as unknown;
      if (body === null || typeof body !== 'object' || Array.isArray(body)) return { ok: false, reason: 'not JSON' };
      const record = body as Record<string, unknown>;
      if (record.status === 'ERROR') return { ok: false, reason: `endpoint error: ${String(record.reason ?? '')}` };
      return { ok: true, value: record };
    } catch (error) {
      return { ok: false, reason: `endpoint unreachable (${error instanceof Error ? error.message : String(error)})` };
    }
  }

  async function payParams(target: string): Promise<LnurlResult<PayParams>> {
    const endpoint = lnurlEndpoint(target, httpHosts);
    if (!endpoint.ok) return endpoint;
    const body = await getJson(endpoint.value);
    if (!body.ok) return body;
    const { tag, callback, minSendable, maxSendable } = body.value;
    if (tag !== 'payRequest') return { ok: false, reason: 'not a LNURL-pay endpoint' };
    if (typeof callback !== 'string' || typeof minSendable !== 'number' || typeof maxSendable !== 'number') {
      return { ok: false, reason: 'malformed LNURL-pay answer' };
    }
    let cb: LnurlResult<URL>;
    try {
      cb = checkedUrl(new URL(callback), httpHosts);
    } catch {
      cb = { ok: false, reason: 'bad callback URL' };
    }
    if (!cb.ok) return cb;
    const commentAllowed = typeof body.value.commentAllowed === 'number' ? body.value.commentAllowed : 0;
    return { ok: true, value: { callback: cb.value.toString(), minSendable, maxSendable, commentAllowed } };
  }

  const fits = (p: PayParams, sats: number): boolean => sats * 1000 >= p.minSendable && sats * 1000 <= p.maxSendable;

  return {
    async check(target, amountSats) {
      const params = await payParams(target);
      if (!params.ok) return params.reason;
      if (amountSats !== null && !fits(params.value, amountSats)) return `endpoint does not accept ${amountSats} sats`;
      return null;
    },
    async invoice(target, amountSats, comment) {
      const params = await payParams(target);
      if (!params.ok) return params;
      if (!fits(params.value, amountSats)) return { ok: false, reason: `endpoint does not accept ${amountSats} sats` };
      const url = new URL(params.value.callback);
      url.searchParams.set('amount', String(amountSats * 1000));
      if (comment && comment.length <= params.value.commentAllowed) url.searchParams.set('comment', comment);
      const body = await getJson(url);
      if (!body.ok) return body;
      const pr = body.value.pr;
      if (typeof pr !== 'string' || pr.length === 0) return { ok: false, reason: 'no invoice in the answer' };
      return { ok: true, value: pr };
    },
  };
}
