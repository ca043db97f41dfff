// Fuzz: random strings, random JSON and mutations of valid messages fed to every message parser.
// The only acceptable failure is a ProtocolError; any accepted input must re-serialize to a fixed point.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  type Message,
  ProtocolError,
  parseMessage,
  parsePayload,
  parseSmallOrder,
  parseTupleV1,
  parseTupleV2,
  serializeMessage,
  serializeTupleV1,
  serializeTupleV2,
  verifyMessageKind,
  verifyMessageSignature,
} from '../../src/index.ts';
import { anyMessage } from './arbitraries.ts';

function onlyTypedErrors<T>(run: () => T): T | undefined {
  try {
    return run();
  } catch (error) {
    if (error instanceof ProtocolError) return undefined;
    throw error;
  }
}

function checkMessageText(text: string): void {
  const m = onlyTypedErrors(() => parseMessage(text));
  if (m) {
    const canonical = serializeMessage(m);
    assert.equal(serializeMessage(parseMessage(canonical)), canonical);
    verifyMessageKind(m.kind);
  }
  onlyTypedErrors(() => parsePayload(text));
  onlyTypedErrors(() => parseSmallOrder(text));
  onlyTypedErrors(() => parseTupleV1(text));
  onlyTypedErrors(() => parseTupleV2(text));
}

/** Mutations at the text level (breaks syntax) and at the tree level (keeps syntax, breaks shape). */
const textMutation = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), s: fc.string({ maxLength: 4 }) }),
  fc.record({
    op: fc.constant('replace' as const),
    at: fc.nat(),
    s: fc.constantFrom('"', '0', '.5', 'e9', '-', '{', ']', 'null', ',', '\\', '1.0'),
  }),
);

function mutateText(text: string, mutation: { op: string; at: number; len?: number; s?: string }): string {
  const at = mutation.at % (text.length + 1);
  if (mutation.op === 'delete') return text.slice(0, at) + text.slice(at + (mutation.len ?? 1));
  if (mutation.op === 'insert') return text.slice(0, at) + (mutation.s ?? '') + text.slice(at);
  return text.slice(0, at) + (mutation.s ?? '') + text.slice(at + 1);
}

type Tree = null | boolean | number | string | Tree[] | { [k: string]: Tree };

function paths(tree: Tree, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(tree)) {
    for (const [i, v] of tree.entries()) paths(v, [...prefix, i], out);
  } else if (tree && typeof tree === 'object') for (const [k, v] of Object.entries(tree)) paths(v, [...prefix, k], out);
  return out;
}

function replaceAt(tree: Tree, path: (string | number)[], value: Tree | undefined): Tree {
  if (path.length === 0) return value ?? null;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (Array.isArray(tree)) {
    const copy = [...tree];
    if (value === undefined && rest.length === 0) copy.splice(head as number, 1);
    else copy[head as number] = replaceAt(copy[head as number] ?? null, rest, value);
    return copy;
  }
  if (tree && typeof tree === 'object') {
    const copy = { ...tree };
    if (value === undefined && rest.length === 0) delete copy[head as string];
    else copy[head as string] = replaceAt(copy[head as string] ?? null, rest, value);
    return copy;
  }
  return tree;
}

const smallJson = fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Tree>;

describe('fuzz: message parsers raise only ProtocolError', () => {
  it('random strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 60 }), checkMessageText), { numRuns: 500 });
  });

  it('random JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => checkMessageText(JSON.stringify(v))),
      { numRuns: 500 },
    );
  });

  it('text mutations of valid messages and tuples', () => {
    fc.assert(
      fc.property(anyMessage, fc.array(textMutation, { minLength: 1, maxLength: 3 }), (m, mutations) => {
        for (const base of [serializeMessage(m), serializeTupleV1(m, null), serializeTupleV2(m, null, null)]) {
          let text = base;
          for (const mutation of mutations) text = mutateText(text, mutation as { op: string; at: number });
          checkMessageText(text);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('tree mutations of valid messages (replace or delete a random subtree)', () => {
    fc.assert(
      fc.property(anyMessage, fc.nat(), fc.option(smallJson, { nil: undefined }), (m, pick, value) => {
        const tree = JSON.parse(serializeMessage(m)) as Tree;
        const all = paths(tree);
        const path = all[pick % all.length]!;
        const mutated = replaceAt(tree, path, value);
        checkMessageText(JSON.stringify(mutated));
      }),
      { numRuns: 500 },
    );
  });

  it('serializing arbitrary garbage as a Message raises only ProtocolError; verification never throws', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (wrapper, kind) => {
        const m = { wrapper, kind } as unknown as Message;
        onlyTypedErrors(() => serializeMessage(m));
        assert.equal(typeof verifyMessageSignature(m, '00'.repeat(64), '11'.repeat(32)), 'boolean');
        if (kind && typeof kind === 'object')
          assert.equal(typeof verifyMessageKind(kind as Message['kind']), 'boolean');
      }),
      { numRuns: 300 },
    );
  });
});
