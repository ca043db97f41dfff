// Small serde-like codecs: each knows how to write a typed value as canonical serde_json text and
// how to read it back from the lossless JSON tree (json.ts) exactly as strictly as serde does.
// Schemas for the Mostro types are declared once with these (schema.ts) and drive both directions,
// so the field order used for signing and the fields accepted on input can never drift apart.
import { ProtocolError } from './errors.ts';
import { serdeF64 } from './floats.ts';
import { JsonNumber, JsonObject, type JsonValue, jsonString } from './json.ts';
import { canonicalUuid } from './uuid.ts';

export interface Codec<T> {
  /** Canonical serde_json text for `value`; throws ProtocolError('invalid_value'|…) if it is not representable. */
  write(value: T, path: string): string;
  /** Decodes a JSON tree; throws ProtocolError naming `path` on the first problem. */
  read(json: JsonValue, path: string): T;
}

export const child = (path: string, key: string): string => (path ? `${path}.${key}` : key);
export const index = (path: string, i: number): string => `${path}[${i}]`;

function describe(json: JsonValue): string {
  if (json === null) return 'null';
  if (Array.isArray(json)) return 'an array';
  if (json instanceof JsonObject) return 'an object';
  if (json instanceof JsonNumber) return json.integer ? 'an integer' : 'a float';
  return typeof json === 'string' ? 'a string' : 'a boolean';
}

function wrongType(json: JsonValue, expected: string, path: string): never {
  throw new ProtocolError('invalid_type', path, `expected ${expected}, found ${describe(json)}`);
}

export type IntKind = 'u8' | 'u16' | 'u32' | 'u64' | 'i64';
const INT_RANGE: Record<IntKind, readonly [bigint, bigint]> = {
  u8: [0n, 255n],
  u16: [0n, 65535n],
  u32: [0n, 4294967295n],
  u64: [0n, 18446744073709551615n],
  i64: [-9223372036854775808n, 9223372036854775807n],
};
const SAFE: readonly [bigint, bigint] = [BigInt(Number.MIN_SAFE_INTEGER), BigInt(Number.MAX_SAFE_INTEGER)];

function readBigInt(json: JsonValue, kind: IntKind, path: string): bigint {
  if (!(json instanceof JsonNumber)) return wrongType(json, `an integer (${kind})`, path);
  if (!json.integer) throw new ProtocolError('not_integer', path, `expected an integer (${kind}), found ${json.raw}`);
  // JSON forbids leading zeros, so anything longer than "-9223372036854775808" is out of every
  // range; refusing it before BigInt() keeps a megabyte of digits from costing real time.
  if (json.raw.length > 20) throw new ProtocolError('out_of_range', path, `integer too large for ${kind}`);
  const value = BigInt(json.raw);
  const [lo, hi] = INT_RANGE[kind];
  if (value < lo || value > hi) throw new ProtocolError('out_of_range', path, `${json.raw} does not fit ${kind}`);
  return value;
}

/**
 * An integer held as a JS number. Values the Rust type allows but a double cannot hold exactly
 * (|n| > 2^53 − 1 for i64/u64 fields other than request_id) are refused with 'out_of_range':
 * silently rounding them would change what gets re-signed. None occur in real Mostro traffic.
 */
export function int(kind: IntKind): Codec<number> {
  // Number bounds are exact for u8/u16/u32 and only loosen u64/i64 beyond the safe range, which
  // isSafeInteger already excludes.
  const lo = Number(INT_RANGE[kind][0]);
  const hi = Number(INT_RANGE[kind][1]);
  return {
    write(value, path) {
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < lo || value > hi) {
        throw new ProtocolError('invalid_value', path, `expected a safe integer fitting ${kind}`);
      }
      return String(value);
    },
    read(json, path) {
      const value = readBigInt(json, kind, path);
      if (value < SAFE[0] || value > SAFE[1]) {
        throw new ProtocolError('out_of_range', path, `${value} is beyond the JS safe integer range`);
      }
      return Number(value);
    },
  };
}

/**
 * A u64 as bigint, lossless in both directions (request_id). On output a non-negative safe-integer
 * `number` is tolerated too (plain-JS callers); parsing always yields a bigint.
 */
export const u64big: Codec<bigint> = {
  write(value, path) {
    const v: unknown = value;
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return String(v);
    if (typeof v !== 'bigint' || v < 0n || v > INT_RANGE.u64[1]) {
      throw new ProtocolError('invalid_value', path, 'expected a bigint in the u64 range');
    }
    return v.toString();
  },
  read: (json, path) => readBigInt(json, 'u64', path),
};

/**
 * f64: integers and floats accepted on input, always printed with a point (`0.0`). We read the
 * correctly rounded value; serde_json's default reader (floats.ts `serdeParseF64`) can be one ulp
 * off for 17-digit inputs. f64 only occurs in UserInfo.rating, which nobody signs.
 */
export const f64: Codec<number> = {
  write(value, path) {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new ProtocolError('invalid_value', path, 'expected a finite number');
    }
    return serdeF64(value);
  },
  read(json, path) {
    if (!(json instanceof JsonNumber)) return wrongType(json, 'a number (f64)', path);
    const value = Number(json.raw);
    if (!Number.isFinite(value)) throw new ProtocolError('out_of_range', path, 'number out of f64 range');
    return value;
  },
};

export const bool: Codec<boolean> = {
  write(value, path) {
    if (typeof value !== 'boolean') throw new ProtocolError('invalid_value', path, 'expected a boolean');
    return value ? 'true' : 'false';
  },
  read: (json, path) => (typeof json === 'boolean' ? json : wrongType(json, 'a boolean', path)),
};

export const str: Codec<string> = {
  write(value, path) {
    if (typeof value !== 'string') throw new ProtocolError('invalid_value', path, 'expected a string');
    return jsonString(value, path);
  },
  read: (json, path) => (typeof json === 'string' ? json : wrongType(json, 'a string', path)),
};

/** A UUID: any form the Rust crate accepts on input, lowercase hyphenated on output. */
export const uuid: Codec<string> = {
  write(value, path) {
    const canonical = typeof value === 'string' ? canonicalUuid(value) : null;
    if (canonical === null) throw new ProtocolError('invalid_value', path, 'expected a UUID');
    return `"${canonical}"`;
  },
  read(json, path) {
    if (typeof json !== 'string') return wrongType(json, 'a UUID string', path);
    const canonical = canonicalUuid(json);
    if (canonical === null) throw new ProtocolError('invalid_uuid', path, 'expected a UUID');
    return canonical;
  },
};

/** A unit-variant enum serialized as its wire spelling. */
export function oneOf<T extends string>(values: readonly T[], what: string): Codec<T> {
  const known = new Set<string>(values);
  return {
    write(value, path) {
      if (typeof value !== 'string' || !known.has(value)) {
        throw new ProtocolError('unknown_variant', path, `not a known ${what}`);
      }
      return `"${value}"`;
    },
    read(json, path) {
      if (typeof json !== 'string') return wrongType(json, `a ${what} string`, path);
      if (!known.has(json)) throw new ProtocolError('unknown_variant', path, `unknown ${what} ${JSON.stringify(json)}`);
      return json as T;
    },
  };
}

/** Rust `Option<T>`: `null` both ways (undefined in a typed value is treated as None). */
export function option<T>(inner: Codec<T>): Codec<T | null> {
  return {
    write: (value, path) => (value === null || value === undefined ? 'null' : inner.write(value, path)),
    read: (json, path) => (json === null ? null : inner.read(json, path)),
  };
}

export function vec<T>(inner: Codec<T>): Codec<T[]> {
  return {
    write(value, path) {
      if (!Array.isArray(value)) throw new ProtocolError('invalid_value', path, 'expected an array');
      return `[${value.map((item, i) => inner.write(item, index(path, i))).join(',')}]`;
    },
    read(json, path) {
      if (!Array.isArray(json)) return wrongType(json, 'an array', path);
      return json.map((item, i) => inner.read(item, index(path, i)));
    },
  };
}

type CodecTuple<T extends unknown[]> = { [K in keyof T]: Codec<T[K]> };

/** A Rust tuple (or tuple variant): a JSON array of exactly this many elements. */
export function tuple<T extends unknown[]>(...items: CodecTuple<T>): Codec<T> {
  const codecs = items as Codec<unknown>[];
  return {
    write(value, path) {
      if (!Array.isArray(value) || value.length !== codecs.length) {
        throw new ProtocolError('invalid_arity', path, `expected a ${codecs.length}-element array`);
      }
      return `[${codecs.map((c, i) => c.write(value[i], index(path, i))).join(',')}]`;
    },
    read(json, path) {
      if (!Array.isArray(json)) return wrongType(json, `a ${codecs.length}-element array`, path);
      if (json.length !== codecs.length) {
        throw new ProtocolError('invalid_arity', path, `expected ${codecs.length} elements, found ${json.length}`);
      }
      return codecs.map((c, i) => c.read(json[i] as JsonValue, index(path, i))) as T;
    },
  };
}

/**
 * How a struct field is present:
 * - 'required': must be in the JSON (a non-Option Rust field);
 * - 'option': Rust `Option`, written as `null` when absent, may be omitted on input;
 * - 'skip': Rust `Option` with `skip_serializing_if = "Option::is_none"`: omitted when absent, and
 *   an input `null` reads as absent (the property is left out of the typed value).
 */
export type Presence = 'required' | 'option' | 'skip';
export interface FieldSpec {
  readonly key: string;
  readonly codec: Codec<unknown>;
  readonly presence: Presence;
}
export const field = (key: string, codec: Codec<unknown>, presence: Presence = 'required'): FieldSpec => ({
  key,
  codec,
  presence,
});

/** A struct with named fields in declaration order. `denyUnknown` mirrors `#[serde(deny_unknown_fields)]`. */
export function struct<T extends object>(
  fields: readonly FieldSpec[],
  options: { denyUnknown?: boolean } = {},
): Codec<T> {
  const byKey = new Map(fields.map((f) => [f.key, f]));
  const prefixes = fields.map((f) => `${JSON.stringify(f.key)}:`);
  return {
    write(value, path) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new ProtocolError('invalid_value', path, 'expected an object');
      }
      const record = value as Record<string, unknown>;
      let out = '';
      for (let i = 0; i < fields.length; i++) {
        const f = fields[i]!;
        const v = record[f.key];
        let text: string;
        if (v === undefined || v === null) {
          if (f.presence === 'skip') continue;
          if (f.presence === 'option') text = 'null';
          else if (v === undefined)
            throw new ProtocolError('invalid_value', child(path, f.key), 'required field is missing');
          else text = f.codec.write(v, child(path, f.key));
        } else {
          text = f.codec.write(v, child(path, f.key));
        }
        out += (out === '' ? prefixes[i]! : `,${prefixes[i]!}`) + text;
      }
      return `{${out}}`;
    },
    read(json, path) {
      if (!(json instanceof JsonObject)) return wrongType(json, 'an object', path);
      const found = new Map<string, unknown>();
      for (const [key, raw] of json.entries) {
        const f = byKey.get(key);
        const at = child(path, key);
        if (!f) {
          if (options.denyUnknown) throw new ProtocolError('unknown_field', at, `unknown field ${JSON.stringify(key)}`);
          continue;
        }
        if (found.has(key)) throw new ProtocolError('duplicate_field', at, `duplicate field ${JSON.stringify(key)}`);
        found.set(key, f.presence === 'required' ? f.codec.read(raw, at) : raw === null ? null : f.codec.read(raw, at));
      }
      const out: Record<string, unknown> = {};
      for (const f of fields) {
        const v = found.get(f.key);
        if (f.presence === 'required') {
          if (!found.has(f.key)) {
            throw new ProtocolError('missing_field', child(path, f.key), `missing field ${JSON.stringify(f.key)}`);
          }
          out[f.key] = v;
        } else if (f.presence === 'option') {
          out[f.key] = v ?? null;
        } else if (v !== undefined && v !== null) {
          out[f.key] = v;
        }
      }
      return out as T;
    },
  };
}

/** An externally tagged enum of newtype/tuple variants: an object with exactly one known key. */
export function taggedUnion<T extends object>(variants: Record<string, Codec<unknown>>, what: string): Codec<T> {
  const known = new Map(Object.entries(variants));
  return {
    write(value, path) {
      const keys = typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.keys(value) : [];
      const key = keys[0];
      const codec = key === undefined ? undefined : known.get(key);
      if (keys.length !== 1 || key === undefined || !codec) {
        throw new ProtocolError('unknown_variant', path, `expected an object with one ${what} key`);
      }
      return `{${JSON.stringify(key)}:${codec.write((value as Record<string, unknown>)[key], child(path, key))}}`;
    },
    read(json, path) {
      if (!(json instanceof JsonObject)) return wrongType(json, `a ${what} object`, path);
      if (json.entries.length !== 1) {
        throw new ProtocolError('invalid_type', path, `expected exactly one ${what} key, found ${json.entries.length}`);
      }
      const [key, raw] = json.entries[0]!;
      const codec = known.get(key);
      if (!codec)
        throw new ProtocolError('unknown_variant', child(path, key), `unknown ${what} ${JSON.stringify(key)}`);
      return { [key]: codec.read(raw, child(path, key)) } as T;
    },
  };
}
