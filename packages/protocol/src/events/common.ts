// Shared pieces of the event builders/parsers: the unsigned template shape (nostr-tools'
// EventTemplate), strict validation of untrusted event objects, tag lookups and tag-number parsing.
// Parsers follow the package convention: they throw ProtocolError and nothing else.
import type { EventTemplate } from '../crypto/event.ts';
import { ProtocolError } from '../message/errors.ts';
import { hasLoneSurrogate } from '../message/json.ts';

/** Builders return nostr-tools' unsigned `EventTemplate` (kind, tags, content, created_at). */
export type { EventTemplate };

/** The fields of a (signed or unsigned) Nostr event the parsers read. Signatures are checked elsewhere. */
export interface EventLike {
  kind: number;
  tags: string[][];
  content: string;
  created_at: number;
  pubkey?: string;
  id?: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Validates the shape of an untrusted event object and checks its kind. */
export function readEvent(event: unknown, kind: number): EventLike {
  if (!isRecord(event)) throw new ProtocolError('invalid_event', '', 'an event must be an object');
  const { tags, content, created_at, pubkey, id } = event;
  if (event.kind !== kind) throw new ProtocolError('wrong_kind', 'kind', `expected kind ${kind}`);
  if (!Array.isArray(tags) || !tags.every((t) => Array.isArray(t) && t.every((v) => typeof v === 'string'))) {
    throw new ProtocolError('invalid_event', 'tags', 'tags must be arrays of strings');
  }
  if (typeof content !== 'string') throw new ProtocolError('invalid_event', 'content', 'content must be a string');
  if (typeof created_at !== 'number' || !Number.isSafeInteger(created_at) || created_at < 0) {
    throw new ProtocolError('invalid_event', 'created_at', 'created_at must be a non-negative integer');
  }
  if (pubkey !== undefined && typeof pubkey !== 'string') {
    throw new ProtocolError('invalid_event', 'pubkey', 'pubkey must be a string');
  }
  if (id !== undefined && typeof id !== 'string') throw new ProtocolError('invalid_event', 'id', 'id must be a string');
  const out: EventLike = { kind, tags: tags as string[][], content, created_at };
  if (pubkey !== undefined) out.pubkey = pubkey as string;
  if (id !== undefined) out.id = id as string;
  return out;
}

/** The first tag with this name (values after the name), or undefined. */
export function findTag(tags: readonly string[][], name: string): string[] | undefined {
  const tag = Array.isArray(tags) ? tags.find((t) => Array.isArray(t) && t[0] === name) : undefined;
  return tag?.slice(1);
}

/** The first value of the first tag with this name, or undefined. */
export function tagValue(tags: readonly string[][], name: string): string | undefined {
  return findTag(tags, name)?.[0];
}

export function requireTag(tags: readonly string[][], name: string): string {
  const value = tagValue(tags, name);
  if (value === undefined) throw new ProtocolError('missing_tag', `tags.${name}`, `missing ${name} tag`);
  return value;
}

const INTEGER = /^-?[0-9]+$/;
const FLOAT = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

/** A decimal integer tag value (Rust `to_string` of an integer). */
export function parseIntTag(value: string, name: string): number {
  const n = INTEGER.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n)) throw new ProtocolError('invalid_tag', `tags.${name}`, `not an integer: ${value}`);
  return n;
}

/** A decimal float tag value (Rust `f64::to_string`, which never uses an exponent, or any plain decimal). */
export function parseFloatTag(value: string, name: string): number {
  const n = FLOAT.test(value) ? Number(value) : Number.NaN;
  if (!Number.isFinite(n)) throw new ProtocolError('invalid_tag', `tags.${name}`, `not a number: ${value}`);
  return n;
}

export function optionalInt(tags: readonly string[][], name: string): number | null {
  const v = tagValue(tags, name);
  return v === undefined ? null : parseIntTag(v, name);
}

export function optionalFloat(tags: readonly string[][], name: string): number | null {
  const v = tagValue(tags, name);
  return v === undefined ? null : parseFloatTag(v, name);
}

/** `["y","mostro","<instance name>"]` — the platform tag; the name is trimmed, and left out when empty. */
export function platformTag(instanceName?: string | null): string[] {
  const name = typeof instanceName === 'string' ? instanceName.trim() : '';
  return name ? ['y', 'mostro', checkText(name, 'instanceName')] : ['y', 'mostro'];
}

/**
 * created_at for a new revision of a replaceable event: `now`, but strictly greater than the
 * previous revision's, so the newest state always wins replacement on relays (same second ⇒ +1).
 */
export function nextCreatedAt(previous: number | null | undefined, now: number): number {
  return previous === null || previous === undefined || now > previous ? now : previous + 1;
}

/** Checks builder string inputs: Nostr events are UTF-8, a lone surrogate cannot be encoded. */
export function checkText(value: string, path: string): string {
  if (typeof value !== 'string' || hasLoneSurrogate(value)) {
    throw new ProtocolError('invalid_value', path, 'expected a well-formed string');
  }
  return value;
}

export function checkInt(value: number, path: string): string {
  if (!Number.isSafeInteger(value)) throw new ProtocolError('invalid_value', path, 'expected a safe integer');
  return String(value);
}

/**
 * For each `d` value keep the newest event (highest created_at; ties broken by the lowest id, as
 * NIP-01 replaceable events are). Events without a `d` tag are dropped. Input order is otherwise kept.
 */
export function latestByD<T extends { created_at: number; tags: string[][]; id?: string }>(events: Iterable<T>): T[] {
  const best = new Map<string, T>();
  for (const event of events) {
    if (typeof event?.created_at !== 'number') continue;
    const d = tagValue(event.tags, 'd');
    if (typeof d !== 'string') continue;
    const current = best.get(d);
    if (
      !current ||
      event.created_at > current.created_at ||
      (event.created_at === current.created_at && (event.id ?? '') < (current.id ?? ''))
    ) {
      best.set(d, event);
    }
  }
  return [...best.values()];
}

export const DAY_SECONDS = 86_400;
