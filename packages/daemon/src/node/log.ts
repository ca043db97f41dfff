// The node's log: one line per event on stderr, debug lines only with MOSTRO_DEBUG set.
import type { Logger } from '../app/context.ts';

export function consoleLogger(debug = Boolean(process.env.MOSTRO_DEBUG)): Logger {
  const line = (level: string, text: string, detail?: unknown) => {
    const suffix =
      detail === undefined
        ? ''
        : ` ${detail instanceof Error ? (detail.stack ?? detail.message) : JSON.stringify(detail)}`;
    process.stderr.write(`${new Date().toISOString()} ${level} ${text}${suffix}\n`);
  };
  return {
    info: (t, d) => line('info', t, d),
    warn: (t, d) => line('warn', t, d),
    error: (t, d) => line('error', t, d),
    debug: (t, d) => {
      if (debug) line('debug', t, d);
    },
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {}, debug() {} };
