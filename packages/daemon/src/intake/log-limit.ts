// Malformed input must not flood the log (nor put an attacker's bytes in it): one line per reason
// per interval, with how many were seen since the last line. Never the event, never a stack.

export class ReasonLog {
  private readonly last = new Map<string, { atMs: number; suppressed: number }>();

  constructor(
    private readonly write: (line: string) => void,
    private readonly intervalMs = 60_000,
  ) {}

  /** Logs `reason` (and a short, already-safe detail) unless it was logged within the interval. */
  note(reason: string, nowMs: number, detail?: string): void {
    const seen = this.last.get(reason);
    if (seen && nowMs - seen.atMs < this.intervalMs) {
      seen.suppressed++;
      return;
    }
    const more = seen && seen.suppressed > 0 ? ` (+${seen.suppressed} more since the last line)` : '';
    this.write(`intake: ${reason}${detail ? `: ${oneLine(detail)}` : ''}${more}`);
    this.last.set(reason, { atMs: nowMs, suppressed: 0 });
  }
}

/** First line, at most 120 characters: a detail may quote the input. */
export const oneLine = (text: string): string => {
  const first = text.split('\n', 1)[0] ?? '';
  return first.length > 120 ? `${first.slice(0, 120)}…` : first;
};
