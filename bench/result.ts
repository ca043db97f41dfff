/** One benchmark figure. `ratio` = opsPerSec / baseline's opsPerSec (measured in the same run). */
export interface BenchResult {
  name: string;
  opsPerSec: number;
  baseline?: string;
  ratio?: number;
}
