// The operator page's state: the admin API token (this tab only: sessionStorage), the node's
// answers, and a short history of metrics scrapes for the charts. Polls only while the page is open.
import { AdminApi, type ApiError, type HealthReport, type Maintenance, type SolverRow } from './admin-api.ts';
import { type NodeFigures, nodeFigures, parsePrometheus, type Sample } from './prometheus.ts';

const TOKEN_KEY = 'mostro:console-token';
const POLL_MS = 5000;
const HISTORY = 60;

export interface Point {
  at: number;
  figures: NodeFigures;
}

class OperatorState {
  token = $state(sessionStorage.getItem(TOKEN_KEY) ?? '');
  error = $state.raw<ApiError | null>(null);
  version = $state<string | null>(null);
  solvers = $state.raw<SolverRow[] | null>(null);
  maintenance = $state.raw<Maintenance | null>(null);
  health = $state.raw<HealthReport | null>(null);
  history = $state.raw<Point[]>([]);
  private last: { at: number; samples: Sample[] } | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;

  get api(): AdminApi | null {
    return this.token ? new AdminApi(this.token) : null;
  }

  get connected(): boolean {
    return this.version !== null;
  }

  setToken(token: string): void {
    this.token = token.trim();
    if (this.token) sessionStorage.setItem(TOKEN_KEY, this.token);
    else sessionStorage.removeItem(TOKEN_KEY);
    this.version = null;
    this.history = [];
    this.last = null;
  }

  /** Connects with the token: version first (it says whether the API is there and the token right). */
  async connect(): Promise<void> {
    const api = this.api;
    if (!api) return;
    const v = await api.version();
    if (!v.ok) {
      this.error = v.error;
      this.version = null;
      return;
    }
    this.error = null;
    this.version = v.value;
    await Promise.all([this.loadSolvers(), this.loadMaintenance(), this.poll()]);
  }

  async loadSolvers(): Promise<void> {
    const r = await this.api?.solvers();
    if (r?.ok) this.solvers = r.value;
    else if (r) this.error = r.error;
  }

  async loadMaintenance(): Promise<void> {
    const r = await this.api?.maintenance();
    if (r?.ok) this.maintenance = r.value;
    else if (r) this.error = r.error;
  }

  async poll(): Promise<void> {
    const api = this.api;
    if (!api) return;
    const [h, m] = await Promise.all([api.health(), api.metrics()]);
    if (h.ok) this.health = h.value;
    if (!m.ok) return;
    const at = Date.now() / 1000;
    const samples = parsePrometheus(m.value);
    const figures = nodeFigures(samples, this.last?.samples ?? null, this.last ? at - this.last.at : 0);
    this.last = { at, samples };
    this.history = [...this.history, { at, figures }].slice(-HISTORY);
  }

  startPolling(): () => void {
    if (!this.timer) this.timer = setInterval(() => void (this.connected && this.poll()), POLL_MS);
    return () => {
      if (this.timer) clearInterval(this.timer);
      this.timer = null;
    };
  }
}

export const operator = new OperatorState();
