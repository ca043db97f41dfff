// The node's local admin HTTP API (same origin as the app, loopback only, bearer token = the
// node's `[rpc].auth_token`). Every call returns a value: the parsed answer or why there is none;
// a malformed answer is an error like any other, never a crash of the console.
export type SolverPermission = 'read' | 'read-write';

export interface SolverRow {
  pubkey: string;
  npub: string;
  permission: SolverPermission;
}

export interface Maintenance {
  enabled: boolean;
  reason: string | null;
  since: number | null;
  counters: Record<string, number>;
  drained: boolean;
}

export interface HealthReport {
  status: string;
  checks: Record<string, { ok: boolean; detail?: string }>;
}

export type ApiError =
  /** 401: no token or a wrong one. */
  | { kind: 'unauthorized' }
  /** 404: this node has no admin API (not enabled, or another node served the app). */
  | { kind: 'unavailable' }
  /** The node answered the call with success false. */
  | { kind: 'refused'; message: string }
  | { kind: 'network'; message: string }
  | { kind: 'bad_answer'; message: string };

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

type Fetch = (url: string, init: RequestInit) => Promise<Response>;

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

export class AdminApi {
  constructor(
    private readonly token: string,
    private readonly fetcher: Fetch = (u, i) => fetch(u, i),
    private readonly base = '/admin-api',
  ) {}

  private async call(method: 'GET' | 'POST', path: string, body?: object): Promise<ApiResult<Response>> {
    let res: Response;
    try {
      res = await this.fetcher(`${this.base}${path}`, {
        method,
        cache: 'no-store',
        headers: {
          authorization: `Bearer ${this.token}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    } catch (e) {
      return { ok: false, error: { kind: 'network', message: e instanceof Error ? e.message : String(e) } };
    }
    if (res.status === 401 || res.status === 403) return { ok: false, error: { kind: 'unauthorized' } };
    if (res.status === 404) return { ok: false, error: { kind: 'unavailable' } };
    return { ok: true, value: res };
  }

  private async json<T>(
    method: 'GET' | 'POST',
    path: string,
    read: (x: unknown) => T | null,
    body?: object,
  ): Promise<ApiResult<T>> {
    const r = await this.call(method, path, body);
    if (!r.ok) return r;
    let parsed: unknown;
    try {
      parsed = await r.value.json();
    } catch {
      return { ok: false, error: { kind: 'bad_answer', message: `${path}: HTTP ${r.value.status}, not JSON` } };
    }
    const value = read(parsed);
    if (value === null) return { ok: false, error: { kind: 'bad_answer', message: `${path}: unexpected answer` } };
    return { ok: true, value };
  }

  private async command(path: string, body: object): Promise<ApiResult<true>> {
    const r = await this.json('POST', path, (x) => (isObject(x) && typeof x.success === 'boolean' ? x : null), body);
    if (!r.ok) return r;
    if (!r.value.success)
      return {
        ok: false,
        error: { kind: 'refused', message: typeof r.value.error_message === 'string' ? r.value.error_message : '' },
      };
    return { ok: true, value: true };
  }

  version(): Promise<ApiResult<string>> {
    return this.json('GET', '/version', (x) => (isObject(x) && typeof x.version === 'string' ? x.version : null));
  }

  solvers(): Promise<ApiResult<SolverRow[]>> {
    return this.json('GET', '/solvers', (x) => {
      if (!isObject(x) || !Array.isArray(x.solvers)) return null;
      const rows = x.solvers.filter(
        (s): s is SolverRow =>
          isObject(s) &&
          typeof s.pubkey === 'string' &&
          typeof s.npub === 'string' &&
          (s.permission === 'read' || s.permission === 'read-write'),
      );
      return rows.length === x.solvers.length ? rows : null;
    });
  }

  /** `npub1…` (read-write) or `npub1…:read`. */
  addSolver(solver: string): Promise<ApiResult<true>> {
    return this.command('/solvers', { solver_pubkey: solver });
  }

  maintenance(): Promise<ApiResult<Maintenance>> {
    return this.json('GET', '/maintenance', (x) => {
      if (!isObject(x) || typeof x.enabled !== 'boolean') return null;
      const counters = isObject(x.counters)
        ? Object.fromEntries(Object.entries(x.counters).filter((e): e is [string, number] => typeof e[1] === 'number'))
        : {};
      return {
        enabled: x.enabled,
        reason: typeof x.reason === 'string' ? x.reason : null,
        since: typeof x.since === 'number' ? x.since : null,
        counters,
        drained: x.drained === true,
      };
    });
  }

  setMaintenance(enabled: boolean, reason?: string): Promise<ApiResult<true>> {
    return this.command('/maintenance', { enabled, ...(reason ? { reason } : {}) });
  }

  health(): Promise<ApiResult<HealthReport>> {
    // /healthz answers 503 with the same JSON when a check fails: still an answer.
    return this.json('GET', '/health', (x) => {
      if (!isObject(x) || !isObject(x.checks)) return null;
      const checks: HealthReport['checks'] = {};
      for (const [name, c] of Object.entries(x.checks)) {
        if (!isObject(c) || typeof c.ok !== 'boolean') return null;
        checks[name] = { ok: c.ok, ...(typeof c.detail === 'string' ? { detail: c.detail } : {}) };
      }
      return { status: typeof x.status === 'string' ? x.status : 'unknown', checks };
    });
  }

  async metrics(): Promise<ApiResult<string>> {
    const r = await this.call('GET', '/metrics');
    if (!r.ok) return r;
    if (!r.value.ok) return { ok: false, error: { kind: 'bad_answer', message: `/metrics: HTTP ${r.value.status}` } };
    return { ok: true, value: await r.value.text() };
  }
}
