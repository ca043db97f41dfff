// Latency and failures of every Lightning call, measured at the one interface the escrow uses.
// A call "fails" when it throws or returns an error value (`{ ok: false }`).
import type { LightningBackend } from '../lightning/backend.ts';
import type { Metrics } from './registry.ts';

const isFailure = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && 'ok' in value && (value as { ok: unknown }).ok === false;

export function instrumentLightning(backend: LightningBackend, metrics: Metrics): LightningBackend {
  return new Proxy(backend, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string' || property === 'close') return value;
      return (...args: unknown[]) => {
        const result = value.apply(target, args);
        if (!(result instanceof Promise)) return result; // subscriptions return their stop function
        const stop = metrics.lightningDuration.startTimer({ method: property });
        return result.then(
          (r) => {
            stop();
            if (isFailure(r)) metrics.lightningErrors.inc({ method: property });
            return r;
          },
          (error) => {
            stop();
            metrics.lightningErrors.inc({ method: property });
            throw error;
          },
        );
      };
    },
  });
}
