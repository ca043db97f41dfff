/** One benchmark figure. `ratio` = opsPerSec / baseline's opsPerSec (measured in the same run). */
export interface BenchResult {
  name: string;
  opsPerSec: number;
  baseline?: string;
  ratio?: number;
  /** Extra figures for this line (latencies, counts), printed after the ratio. */
  note?: string;
}
