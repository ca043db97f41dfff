// A live spinner on stderr for long waits: what we wait for and the time left. Only when stderr is
// a terminal (never in pipes, logs or tests).
const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export class Spinner {
  private timer: NodeJS.Timeout | null = null;
  private frame = 0;
  private readonly enabled = process.stderr.isTTY === true;

  /** Starts (or retargets) the spinner; `deadline` in ms since epoch. */
  set(state: { waitingFor: string; deadline: number } | null): void {
    if (!this.enabled) return;
    if (state === null) {
      this.stop();
      return;
    }
    const draw = () => {
      const left = Math.max(0, Math.ceil((state.deadline - Date.now()) / 1000));
      process.stderr.write(
        `\r\x1b[2K${FRAMES[this.frame++ % FRAMES.length]} waiting for ${state.waitingFor} (${left} s left)`,
      );
    };
    if (this.timer) clearInterval(this.timer);
    draw();
    this.timer = setInterval(draw, 100);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = null;
      process.stderr.write('\r\x1b[2K');
    }
  }
}
