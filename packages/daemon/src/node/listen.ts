// Start-up failures an operator can fix are reported as one line naming the setting to change, not
// as a stack trace: a port another program already listens on is the common one.
import { envName } from '../config/env.ts';

/** A start-up failure whose message is the whole story, for one line on stderr. */
export class StartupError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'StartupError';
  }
}

export interface Listener {
  /** Config section of the listener's `host` and `port` settings, e.g. `relay`. */
  section: 'relay' | 'wallet' | 'rpc';
  /** What listens there, in words. */
  what: string;
  host: string;
  port: number;
}

const addressInUse = (error: unknown): boolean =>
  (error as { code?: unknown })?.code === 'EADDRINUSE' || /EADDRINUSE/.test(String((error as Error)?.message ?? error));

/** Runs `start`; a port clash becomes a StartupError naming `<section>.port` and its variable. */
export async function listenOn<T>(listener: Listener, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    if (!addressInUse(error)) throw error;
    const { section, what, host, port } = listener;
    throw new StartupError(
      `port ${port} on ${host} (${what}) is already in use: choose another with ${section}.port in the config or ${envName(section, 'port')}`,
      'EADDRINUSE',
    );
  }
}
