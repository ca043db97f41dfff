// Kind 10002 — the node's relay list (protocol.md §6.6): one `["r","<url>"]` per connected relay.
import { ProtocolError } from '../message/errors.ts';
import { checkText, type EventTemplate, readEvent } from './common.ts';

export const RELAY_LIST_EVENT_KIND = 10002;

export function buildRelayListEvent(relays: readonly string[], now: number): EventTemplate {
  return {
    kind: RELAY_LIST_EVENT_KIND,
    tags: relays.map((url, i) => ['r', checkText(url, `relays[${i}]`)]),
    content: '',
    created_at: now,
  };
}

export interface RelayListEntry {
  url: string;
  /** NIP-65 marker when present (`read` / `write`); mostrod writes none. */
  marker: 'read' | 'write' | null;
}

export function parseRelayListEvent(event: unknown): RelayListEntry[] {
  const { tags } = readEvent(event, RELAY_LIST_EVENT_KIND);
  return tags
    .filter((t) => t[0] === 'r')
    .map((t, i) => {
      const url = t[1];
      if (url === undefined || url === '') throw new ProtocolError('invalid_tag', `tags.r[${i}]`, 'r tag without URL');
      const marker = t[2];
      return { url, marker: marker === 'read' || marker === 'write' ? marker : null };
    });
}
