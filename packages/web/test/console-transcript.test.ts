// The console's sealed transcript file: a real buyer–seller chat (protocol chat events), exported
// and sealed by a solver key; an untouched file checks out, and every kind of tampering — an edited
// message with or without re-sealing, a dropped message, a foreign seal, garbage — is caught.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  chatChannel,
  exportTranscript,
  type NostrEvent,
  publicKeyOf,
  sharedSecret,
  signEvent,
  wrapChat,
} from '@mostro/protocol';
import { generateSecretKey } from 'nostr-tools/pure';
import { checkTranscriptFile, sealTranscript, type TranscriptBody } from '../src/console/transcript-file.ts';

const buyer = generateSecretKey();
const seller = generateSecretKey();
const solver = generateSecretKey();
const parties = [publicKeyOf(buyer), publicKeyOf(seller)];
const channel = chatChannel(sharedSecret(buyer, parties[1] as string));
const cur = channel.current!;
const t0 = 1_760_000_000;
const events: NostrEvent[] = [
  wrapChat(channel, { text: 'I sent the money', senderKey: buyer, createdAt: t0 }),
  wrapChat(channel, { text: 'nothing arrived', senderKey: seller, createdAt: t0 + 30 }),
  wrapChat(channel, { text: 'here is the receipt', senderKey: buyer, createdAt: t0 + 60 }),
];

function body(evs: NostrEvent[] = events): TranscriptBody {
  return {
    format: 'mostro-dispute-transcript/1',
    orderId: 'ede61c96-4c13-4519-bf3a-dcf7f1e9d842',
    disputeId: 'efc75871-2568-40b9-a6ee-c382d4d6de01',
    transcript: exportTranscript(cur.conv.secretKey, evs, parties, { signPub: cur.signPub }),
    events: evs,
  };
}

const sealed = (b: TranscriptBody, key = solver) => JSON.stringify(sealTranscript(b, key, t0 + 3600));

describe('console: sealed dispute transcripts', () => {
  it('an untouched file checks out and names its sealer', () => {
    const r = checkTranscriptFile(sealed(body()));
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.signer, publicKeyOf(solver));
    assert.deepEqual(
      r.body.transcript.messages.map((m) => m.text),
      ['I sent the money', 'nothing arrived', 'here is the receipt'],
    );
  });

  it('an edited message without re-sealing: the seal no longer matches', () => {
    const text = sealed(body()).replace('nothing arrived', 'it arrived, thanks');
    const r = checkTranscriptFile(text);
    assert.deepEqual(r.ok ? 'ok' : [r.reason, r.detail], ['tampered', 'seal_signature']);
  });

  it('an edited message, re-sealed by the editor: the author signature fails', () => {
    const b = body();
    const m = b.transcript.messages[1]!;
    b.transcript.messages[1] = { ...m, text: 'it arrived, thanks' };
    const r = checkTranscriptFile(sealed(b, generateSecretKey()));
    assert.deepEqual(r.ok ? 'ok' : [r.reason, r.detail, r.index], ['tampered', 'bad_signature', 1]);
  });

  it('a message dropped from the transcript but kept in the events is missing', () => {
    const b = body();
    b.transcript.messages.splice(2, 1);
    const r = checkTranscriptFile(sealed(b));
    assert.deepEqual(r.ok ? 'ok' : [r.reason, r.detail], ['tampered', 'missing_message']);
  });

  it('a message added that the chat events do not carry is extra', () => {
    const b = body(events.slice(0, 2));
    b.transcript.messages.push(body().transcript.messages[2]!);
    const r = checkTranscriptFile(sealed(b));
    assert.deepEqual(r.ok ? 'ok' : [r.reason, r.detail], ['tampered', 'extra_message']);
  });

  it('a wrong chat key is caught', () => {
    const b = body();
    b.transcript.chatKey = 'zz';
    const r = checkTranscriptFile(sealed(b));
    assert.deepEqual(r.ok ? 'ok' : [r.reason, r.detail], ['tampered', 'bad_key']);
  });

  it('anything that is not a sealed transcript is said to be so, never a crash', () => {
    for (const text of [
      '',
      'not json',
      'null',
      '[]',
      '{"kind":30078}',
      JSON.stringify(signEvent({ kind: 30078, created_at: t0, tags: [], content: '{"format":"other"}' }, solver)),
      JSON.stringify(signEvent({ kind: 1, created_at: t0, tags: [], content: JSON.stringify(body()) }, solver)),
    ]) {
      const r = checkTranscriptFile(text);
      assert.deepEqual(r.ok ? 'ok' : r.reason, 'not_a_transcript', text.slice(0, 40));
    }
  });
});
