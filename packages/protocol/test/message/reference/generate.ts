// Regenerates vectors.json from the Rust reference (mostro-core 0.17.3) through the oracle in
// ./oracle (build: `CARGO_TARGET_DIR=/tmp/mostro-ref-target cargo build --release --manifest-path
// packages/protocol/test/message/reference/oracle/Cargo.toml`, which needs crates.io; the build
// output stays outside the repository). Its Cargo.lock was seeded from mostrod 0.20.2's own
// lockfile, because every nostr-sdk 0.45 release is yanked and a fresh resolve refuses them; it
// pins serde_json 1.0.151 as used for the committed vectors.
// The oracle binary is then /tmp/mostro-ref-target/release/mostro-ref.
// Run: node --import tsx packages/protocol/test/message/reference/generate.ts [path to oracle binary]
// Inputs come from our generators (valid messages, mutated ones, hand-picked edge cases, vote
// sequences); the answers (accepted?, canonical bytes, verify(), signature validity, f64 forms,
// User::update_rating aggregates) are Rust's.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { schnorr } from '@noble/curves/secp256k1.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import {
  hasLoneSurrogate,
  parseMessage,
  serializeMessage,
  signIdentityProof,
  signMessage,
} from '../../../src/index.ts';
import { anyMessage } from '../arbitraries.ts';
import { EDGE_MESSAGES } from './edge-cases.ts';

const here = new URL('.', import.meta.url).pathname;
const oracle = process.argv[2] ?? `${here}oracle/target/release/mostro-ref`;

const seed = 20260725;
const valid = fc.sample(anyMessage, { seed, numRuns: 160 }).map(serializeMessage);

function mutate(text: string, at: number, op: number, insert: string): string {
  const i = at % (text.length + 1);
  if (op === 0) return text.slice(0, i) + text.slice(i + 1);
  if (op === 1) return text.slice(0, i) + insert + text.slice(i);
  return text.slice(0, i) + insert + text.slice(i + 1);
}
const mutations = fc
  .sample(
    fc.tuple(
      fc.nat({ max: valid.length - 1 }),
      fc.nat(),
      fc.nat({ max: 2 }),
      fc.constantFrom('"', '0', '.5', 'e9', '-', '{', ']', 'null', ',', '1.0', 'x', ' ', '}'),
    ),
    { seed: seed + 1, numRuns: 220 },
  )
  .map(([which, at, op, insert]) => mutate(valid[which]!, at, op, insert))
  // Cutting a surrogate pair leaves text no Rust String can hold; nothing to compare there.
  .filter((text) => !hasLoneSurrogate(text));

const messageInputs = [...EDGE_MESSAGES, ...valid, ...mutations];

const keys = fc.sample(fc.uint8Array({ minLength: 32, maxLength: 32 }), { seed: seed + 2, numRuns: 40 });
const signatures = valid.slice(0, 20).map((json, i) => {
  const sk = keys[i]!;
  const other = keys[i + 20]!;
  const sig = signMessage(parseMessage(json), sk);
  // Every third one is checked against a key that did not sign it.
  const pub = bytesToHex(schnorr.getPublicKey(i % 3 === 2 ? other : sk));
  return { json, pub, sig };
});
const proofs = valid.slice(20, 35).map((json, i) => {
  const tradeSk = keys[i]!;
  const identitySk = keys[i + 20]!;
  const trade = bytesToHex(schnorr.getPublicKey(tradeSk));
  const pub = bytesToHex(schnorr.getPublicKey(identitySk));
  const sig = signIdentityProof(trade, parseMessage(json), identitySk);
  // Every third one is replayed under another trade key.
  const claimedTrade = i % 3 === 2 ? bytesToHex(schnorr.getPublicKey(keys[39 - i]!)) : trade;
  return { json, trade: claimedTrade, pub, sig };
});

const floats = [
  ...[
    '0',
    '-0',
    '1',
    '4',
    '4.5',
    '2.5',
    '0.1',
    '1e15',
    '1e16',
    '1e17',
    '1e21',
    '1e-5',
    '1e-6',
    '1e-7',
    '123456789.125',
  ],
  ...fc
    .sample(fc.double({ noNaN: true, noDefaultInfinity: true }), { seed: seed + 3, numRuns: 300 })
    .map((d) => (Object.is(d, -0) ? '-0' : String(d))),
];

const ratings = fc.sample(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 30 }), {
  seed: seed + 4,
  numRuns: 40,
});

const requests = [
  ...messageInputs.map((json) => ({ op: 'msg', json })),
  ...signatures.map((s) => ({ op: 'sig', ...s })),
  ...proofs.map((p) => ({ op: 'proof', ...p })),
  ...floats.map((value) => ({ op: 'f64', value })),
  ...ratings.map((votes) => ({ op: 'rating', votes })),
];
const run = spawnSync(oracle, { input: `${requests.map((r) => JSON.stringify(r)).join('\n')}\n`, maxBuffer: 1 << 28 });
if (run.status !== 0) throw new Error(`oracle failed: ${run.stderr}`);
const answers = run.stdout
  .toString()
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as Record<string, unknown>);

let k = 0;
const vectors = {
  reference: 'mostro-core 0.17.3 (crates.io) through reference/oracle/src/main.rs',
  messages: messageInputs.map((input) => ({ input, ...answers[k++] }) as { input: string; ok?: boolean }),
  signatures: signatures.map((s) => ({ ...s, ...answers[k++] })),
  proofs: proofs.map((p) => ({ ...p, ...answers[k++] })),
  floats: floats.map((value) => ({ value, ...answers[k++] })),
  ratings: ratings.map((votes) => ({ votes, ...answers[k++] })),
};
// One vector per line: compact, and diffs stay readable when the vectors are regenerated.
const section = (items: unknown[]) => `[\n${items.map((x) => JSON.stringify(x)).join(',\n')}\n]`;
writeFileSync(
  `${here}vectors.json`,
  `{"reference":${JSON.stringify(vectors.reference)},\n"messages":${section(vectors.messages)},\n"signatures":${section(vectors.signatures)},\n"proofs":${section(vectors.proofs)},\n"floats":${section(vectors.floats)},\n"ratings":${section(vectors.ratings)}}\n`,
);
console.log(
  `wrote ${vectors.messages.length} messages (${vectors.messages.filter((m) => m.ok).length} accepted), ${signatures.length} signatures, ${proofs.length} proofs, ${floats.length} floats`,
);
