// Kind 0 — the node's profile (protocol.md §6.5): content = JSON object of the configured
// name/about/picture/website (in that order), tags []. Nothing configured ⇒ no event.
import { ProtocolError } from '../message/errors.ts';
import { jsonString } from '../message/json.ts';
import { type EventTemplate, readEvent } from './common.ts';

export const PROFILE_EVENT_KIND = 0;
const FIELDS = ['name', 'about', 'picture', 'website'] as const;

export interface NodeProfile {
  name?: string;
  about?: string;
  picture?: string;
  website?: string;
}

export function buildProfileEvent(profile: NodeProfile, now: number): EventTemplate | null {
  const parts = FIELDS.filter((k) => typeof profile[k] === 'string').map(
    (k) => `"${k}":${jsonString(profile[k] as string, k)}`,
  );
  if (parts.length === 0) return null;
  return { kind: PROFILE_EVENT_KIND, tags: [], content: `{${parts.join(',')}}`, created_at: now };
}

/** Reads the four profile fields; other keys and non-string values are ignored. */
export function parseProfileEvent(event: unknown): NodeProfile {
  const { content } = readEvent(event, PROFILE_EVENT_KIND);
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    throw new ProtocolError('invalid_content', 'content', 'content is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ProtocolError('invalid_content', 'content', 'content must be a JSON object');
  }
  const out: NodeProfile = {};
  for (const k of FIELDS) {
    const v = (parsed as Record<string, unknown>)[k];
    if (typeof v === 'string') out[k] = v;
  }
  return out;
}
