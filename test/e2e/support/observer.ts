// An observer client: one subscription to everything on a relay, from before the first user
// connects, keeping every event it is sent. What a relay operator (or anyone reading the relay)
// sees is exactly this log.
import type { NostrEvent } from '@mostro/protocol';
import WebSocket from 'ws';

export class RelayObserver {
  readonly events = new Map<string, NostrEvent>();
  /** When the observer first got each event (unix seconds): the real time to compare created_at with. */
  readonly receivedAt = new Map<string, number>();
  private ws: WebSocket | null = null;

  constructor(readonly url: string) {}

  /** Connects and subscribes to `{}`; resolves at the relay's EOSE for the stored events. */
  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.url);
      this.ws = ws;
      ws.once('error', reject);
      ws.on('open', () => ws.send(JSON.stringify(['REQ', 'observer', {}])));
      ws.on('message', (data) => {
        let msg: unknown;
        try {
          msg = JSON.parse(String(data));
        } catch {
          return;
        }
        if (!Array.isArray(msg)) return;
        if (msg[0] === 'EVENT' && msg[1] === 'observer') {
          const e = msg[2] as NostrEvent;
          if (!this.events.has(e.id)) {
            this.events.set(e.id, e);
            this.receivedAt.set(e.id, Date.now() / 1000);
          }
        } else if (msg[0] === 'EOSE') resolve();
        else if (msg[0] === 'CLOSED') reject(new Error(`the relay closed the observer: ${msg[2]}`));
      });
    });
  }

  all(): NostrEvent[] {
    return [...this.events.values()];
  }

  close(): void {
    this.ws?.close();
  }
}
