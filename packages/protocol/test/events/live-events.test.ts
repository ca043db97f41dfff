// Conformance corpus: /work/shared/fixtures/live-events.json (real, signed events of live mostrod
// 0.16.3–0.18.5 nodes). Every one must verify and parse with our protocol package, reading the
// values the tags carry; and what our builders produce for the same content must have the same
// tags, values and order — less the tags mostrod 0.20 added or renamed (reference-0.20.md §3),
// which are named here one by one.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  buildDevFeeEvent,
  buildDisputeEvent,
  buildInfoEvent,
  buildOrderEvent,
  type DisputeStatus,
  type NostrEvent,
  type OrderStatus,
  parseDevFeeEvent,
  parseDisputeEvent,
  parseInfoEvent,
  parseOrderEvent,
  verifyEventSignature,
} from '../../src/index.ts';
import { infoInputFrom } from './from-parsed.ts';

// shared/ sits beside the repository (CI) or at /work/shared (the engineers' machines).
const FIXTURES =
  [
    process.env.MOSTRO_LIVE_EVENTS,
    fileURLToPath(new URL('../../../../../shared/fixtures/live-events.json', import.meta.url)),
    '/work/shared/fixtures/live-events.json',
  ].find((p) => p && existsSync(p)) ?? 'shared/fixtures/live-events.json';
const DAY = 86_400;

const corpus: { name: string; event: NostrEvent }[] = existsSync(FIXTURES)
  ? JSON.parse(readFileSync(FIXTURES, 'utf8'))
  : [];
const ofKind = (kind: number) => corpus.filter((c) => c.event.kind === kind);
const names = (tags: string[][]) => tags.map((t) => t[0]);
const tag = (tags: string[][], name: string) => tags.find((t) => t[0] === name);

/** The internal status whose revision publishes this `s` bucket (publishedStatus, inverted). */
const statusFor = (kind: 'buy' | 'sell', bucket: string): OrderStatus =>
  bucket === 'in-progress' ? (kind === 'sell' ? 'waiting-buyer-invoice' : 'waiting-payment') : (bucket as OrderStatus);

describe('live events corpus (shared/fixtures/live-events.json)', {
  skip: corpus.length === 0 && `no ${FIXTURES}`,
}, () => {
  it('holds the kinds the README announces, each signed', () => {
    assert.equal(corpus.length, 14);
    assert.deepEqual(
      [...new Set(corpus.map((c) => c.event.kind))].sort((a, b) => a - b),
      [8383, 38383, 38385, 38386],
    );
    for (const { name, event } of corpus) assert.ok(verifyEventSignature(event), `${name}: signature`);
  });

  it('38383: every order parses; our builder gives the same tags in the same order, plus published_at', () => {
    assert.equal(ofKind(38383).length, 8);
    for (const { name, event } of ofKind(38383)) {
      const o = parseOrderEvent(event);
      assert.equal(o.id, tag(event.tags, 'd')![1], name);
      assert.equal(o.published_at, null, `${name}: mostrod < 0.20 wrote no published_at`);
      const expiration = o.expiration!;
      const pending = o.status === 'pending';
      const relays = o.source ? new URL(o.source.replace('mostro:', 'mostro://x/')).searchParams.get('relays') : null;
      const ours = buildOrderEvent({
        order: {
          id: o.id,
          kind: o.kind,
          status: statusFor(o.kind, o.status),
          amount: o.amount,
          fiat_code: o.fiat_code,
          fiat_amount: o.fiat_amount,
          min_amount: o.min_amount,
          max_amount: o.max_amount,
          payment_method: o.payment_method,
          premium: o.premium,
          created_at: event.created_at - 60,
          expires_at: o.expires_at!,
        },
        rating: o.rating,
        mostroPubkey: event.pubkey,
        relays: relays ? relays.split(',') : [],
        networks: o.network ? [o.network] : null,
        instanceName: o.instance_name,
        now: event.created_at,
        // Non-pending revisions live order_days (this node's max_expiration_days fallback).
        orderDays: pending ? 30 : (expiration - event.created_at) / DAY,
      });
      assert.ok(ours, name);
      assert.deepEqual(
        ours.tags.filter((t) => t[0] !== 'published_at'),
        event.tags,
        `${name}: every tag and value as the live node wrote it`,
      );
      const at = names(ours.tags).indexOf('published_at');
      assert.deepEqual(names(ours.tags).slice(at - 1, at + 2), ['layer', 'published_at', 'expires_at'], name);
    }
  });

  it('38385: every info parses; our builder gives every live tag with the same values (0.20 order and tags added)', () => {
    assert.equal(ofKind(38385).length, 3);
    for (const { name, event } of ofKind(38385)) {
      const info = parseInfoEvent(event);
      assert.equal(info.mostro_pubkey, event.tags[0]![1], name);
      assert.equal(info.escrow_mode, null, `${name}: predates escrow_mode (clients assume lightning)`);
      assert.equal(info.maintenance_mode, null, name);
      assert.equal(info.bond_enabled, name === '38385/without_protocol_version' ? null : true, name);
      const ours = buildInfoEvent(infoInputFrom(info, event.created_at));
      for (const live of event.tags) {
        if (live[0] === 'protocol_version' || live[0] === 'pow_first_contact') continue;
        assert.deepEqual(tag(ours.tags, live[0]!), live, `${name}: ${live[0]}`);
      }
      const added = names(ours.tags).filter((n) => !names(event.tags).includes(n));
      const expectedAdded = ['escrow_mode', 'escrow_deadline_margin_blocks', 'maintenance_mode'];
      for (const n of ['protocol_version', 'pow_first_contact', 'bond_enabled']) {
        if (!names(event.tags).includes(n)) expectedAdded.push(n);
      }
      assert.deepEqual(added.sort(), expectedAdded.sort(), `${name}: only the 0.20 tags are new`);
    }
  });

  it('38386: every dispute parses (opening time from created_at); ours match with the tag named published_at', () => {
    assert.equal(ofKind(38386).length, 2);
    for (const { name, event } of ofKind(38386)) {
      const d = parseDisputeEvent(event);
      assert.equal(d.opened_at, Number(tag(event.tags, 'created_at')![1]), name);
      assert.ok(d.initiator !== null && d.instance_name !== null, name);
      const ours = buildDisputeEvent({
        disputeId: d.id,
        status: d.status as DisputeStatus,
        initiator: d.initiator,
        openedAt: d.opened_at!,
        instanceName: d.instance_name,
        now: event.created_at,
        disputeDays: (d.expiration! - event.created_at) / DAY,
      });
      const renamed = ours.tags.map((t) => (t[0] === 'published_at' ? ['created_at', ...t.slice(1)] : t));
      assert.deepEqual(renamed, event.tags, name);
      assert.equal(ours.created_at, event.created_at, name);
    }
  });

  it('8383: the dev-fee audit parses; ours has the same tags in the same order', () => {
    for (const { name, event } of ofKind(8383)) {
      const f = parseDevFeeEvent(event);
      const ours = buildDevFeeEvent({
        orderId: f.order_id,
        amount: f.amount,
        paymentHash: f.hash,
        destination: f.destination,
        networks: f.network ? [f.network] : null,
        instanceName: f.instance_name,
        now: event.created_at,
        feeAuditDays: (f.expiration! - event.created_at) / DAY,
      });
      assert.deepEqual(ours.tags, event.tags, name);
    }
  });
});
