// A strict RFC 8259 JSON reader that keeps what JSON.parse throws away and the Rust reference needs:
// the raw text of every number (so a u64 `request_id` survives without precision loss, and `1.0`
// can be told from `1`) and every object key in order, duplicates included (serde rejects a
// duplicated struct field). It mirrors serde_json's grammar: no trailing commas, no leading zeros,
// no lone surrogates, recursion limit 128. Every failure is a ProtocolError('invalid_json'|…).
import { ProtocolError } from './errors.ts';

export class JsonNumber {
  /** `raw` is the literal token; `integer` is true when it has neither fraction nor exponent. */
  constructor(
    readonly raw: string,
    readonly integer: boolean,
  ) {}
}

export class JsonObject {
  constructor(readonly entries: ReadonlyArray<readonly [string, JsonValue]>) {}
}

export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | JsonObject;

/** serde_json's default recursion limit. */
export const MAX_JSON_DEPTH = 128;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const isWellFormed = (String.prototype as { isWellFormed?: () => boolean }).isWellFormed;

export function hasLoneSurrogate(text: string): boolean {
  return isWellFormed ? !isWellFormed.call(text) : LONE_SURROGATE.test(text);
}

export function readJson(text: string): JsonValue {
  if (typeof text !== 'string') throw new ProtocolError('invalid_type', '', 'JSON input must be a string');
  if (hasLoneSurrogate(text)) throw new ProtocolError('invalid_string', '', 'input is not valid Unicode');
  const reader = new Reader(text);
  reader.skipWhitespace();
  const value = reader.value(0);
  reader.skipWhitespace();
  if (reader.pos !== text.length) reader.fail('trailing characters');
  return value;
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

class Reader {
  pos = 0;
  constructor(private readonly text: string) {}

  fail(detail: string): never {
    throw new ProtocolError('invalid_json', '', `${detail} at offset ${this.pos}`);
  }

  skipWhitespace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.pos++;
      else break;
    }
  }

  value(depth: number): JsonValue {
    const c = this.text[this.pos];
    switch (c) {
      case '{':
        return this.object(depth + 1);
      case '[':
        return this.array(depth + 1);
      case '"':
        return this.string();
      case 't':
        return this.literal('true', true);
      case 'f':
        return this.literal('false', false);
      case 'n':
        return this.literal('null', null);
      default:
        if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
        return this.fail(c === undefined ? 'unexpected end of input' : 'expected a value');
    }
  }

  private literal<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail('invalid literal');
    this.pos += word.length;
    return value;
  }

  private number(): JsonNumber {
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (!match) return this.fail('invalid number');
    this.pos += match[0].length;
    const next = this.text[this.pos];
    if (next !== undefined && /[0-9.eE+-]/.test(next)) this.fail('invalid number');
    // serde_json reads `-0` as the float -0.0 (keeping the sign), so it is not an integer.
    const integer = match[1] === undefined && match[2] === undefined && match[0] !== '-0';
    return new JsonNumber(match[0], integer);
  }

  private hex4(): number {
    const digits = this.text.slice(this.pos, this.pos + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(digits)) this.fail('invalid \\u escape');
    this.pos += 4;
    return Number.parseInt(digits, 16);
  }

  string(): string {
    const t = this.text;
    this.pos++; // opening quote
    let out = '';
    let chunkStart = this.pos;
    while (true) {
      if (this.pos >= t.length) this.fail('unterminated string');
      const c = t.charCodeAt(this.pos);
      if (c === 0x22) {
        out += t.slice(chunkStart, this.pos);
        this.pos++;
        return out;
      }
      if (c < 0x20) this.fail('control character in string');
      if (c !== 0x5c) {
        this.pos++;
        continue;
      }
      out += t.slice(chunkStart, this.pos);
      this.pos++;
      const e = t[this.pos];
      if (e === 'u') {
        this.pos++;
        const unit = this.hex4();
        if (unit >= 0xd800 && unit <= 0xdbff) {
          if (t[this.pos] !== '\\' || t[this.pos + 1] !== 'u') this.fail('lone leading surrogate in \\u escape');
          this.pos += 2;
          const low = this.hex4();
          if (low < 0xdc00 || low > 0xdfff) this.fail('lone leading surrogate in \\u escape');
          out += String.fromCharCode(unit, low);
        } else if (unit >= 0xdc00 && unit <= 0xdfff) {
          this.fail('lone trailing surrogate in \\u escape');
        } else {
          out += String.fromCharCode(unit);
        }
      } else {
        const mapped = e === undefined ? undefined : ESCAPES[e];
        if (mapped === undefined) this.fail('invalid escape');
        out += mapped;
        this.pos++;
      }
      chunkStart = this.pos;
    }
  }

  private array(depth: number): JsonValue[] {
    if (depth > MAX_JSON_DEPTH) throw new ProtocolError('too_deep', '', `nesting deeper than ${MAX_JSON_DEPTH}`);
    this.pos++;
    const items: JsonValue[] = [];
    this.skipWhitespace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return items;
    }
    while (true) {
      this.skipWhitespace();
      items.push(this.value(depth));
      this.skipWhitespace();
      const c = this.text[this.pos];
      this.pos++;
      if (c === ']') return items;
      if (c !== ',') this.fail("expected ',' or ']'");
    }
  }

  private object(depth: number): JsonObject {
    if (depth > MAX_JSON_DEPTH) throw new ProtocolError('too_deep', '', `nesting deeper than ${MAX_JSON_DEPTH}`);
    this.pos++;
    const entries: [string, JsonValue][] = [];
    this.skipWhitespace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return new JsonObject(entries);
    }
    while (true) {
      this.skipWhitespace();
      if (this.text[this.pos] !== '"') this.fail('expected an object key');
      const key = this.string();
      this.skipWhitespace();
      if (this.text[this.pos] !== ':') this.fail("expected ':'");
      this.pos++;
      this.skipWhitespace();
      entries.push([key, this.value(depth)]);
      this.skipWhitespace();
      const c = this.text[this.pos];
      this.pos++;
      if (c === '}') return new JsonObject(entries);
      if (c !== ',') this.fail("expected ',' or '}'");
    }
  }
}

/** serde_json string escaping: identical to JSON.stringify for well-formed strings. */
export function jsonString(value: string, path = ''): string {
  if (hasLoneSurrogate(value)) throw new ProtocolError('invalid_string', path, 'string is not valid Unicode');
  return JSON.stringify(value);
}
