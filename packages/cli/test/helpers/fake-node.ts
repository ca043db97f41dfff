// A scripted Mostro node for CLI tests: answers over a real relay using the protocol package, with
// just enough of mostrod's behaviour (protocol.md §5.7/§5.8, §2.5, §7) to drive a trade through
// every CLI command. The escrow is simulated: the test calls `lockEscrow(orderId)` where a real
// seller would pay the hold invoice. Not a node: no validation beyond what the tests need.
import { randomUUID } from 'node:crypto';
import {
  type Action,
  type Message,
  type NostrEvent,
  newMessage,
  type Payload,
  publicKeyOf,
  type SmallOrder,
  signEvent,
  type Transport,
  unwrapMessage,
  wrapMessage,
  wrapperForAction,
} from '@mostro/protocol';
import { SimplePool, useWebSocketImplementation } from 'nostr-tools/pool';
import WebSocket from 'ws';

useWebSocketImplementation(WebSocket);

interface Party {
  trade: string;
  identity: string;
  index: number | null;
  transport: Transport;
}

interface FakeOrder {
  order: SmallOrder & { id: string };
  maker: Party;
  taker: Party | null;
  buyerInvoice: string | null;
  disputeId: string | null;
  solver: string | null;
}

export interface FakeNodeOptions {
  relay: string;
  transport: Transport;
  fee?: number;
}

const FEE = 0.006;
const PRICE_EUR = 100_000; // fiat per BTC for market orders

export class FakeNode {
  readonly secretKey = crypto.getRandomValues(new Uint8Array(32));
  readonly pubkey = publicKeyOf(this.secretKey);
  readonly orders = new Map<string, FakeOrder>();
  /** Every request received: action and sender, in order (for assertions). */
  readonly received: { action: Action; sender: string; identity: string; transport: Transport }[] = [];
  private readonly lastIndex = new Map<string, number>();
  private readonly pool = new SimplePool();
  private sub: { close(): void } | null = null;
  private readonly fee: number;

  constructor(private readonly o: FakeNodeOptions) {
    this.fee = o.fee ?? FEE;
  }

  async start(): Promise<void> {
    const now = Math.floor(Date.now() / 1000);
    await this.publish(
      signEvent(
        {
          kind: 38385,
          created_at: now,
          content: '',
          tags: [
            ['d', this.pubkey],
            ['mostro_version', 'fake-0.1'],
            ['max_order_amount', '1000000'],
            ['min_order_amount', '100'],
            ['expiration_hours', '24'],
            ['expiration_seconds', '900'],
            ['fiat_currencies_accepted', ''],
            ['max_orders_per_response', '10'],
            ['fee', String(this.fee)],
            ['pow', '0'],
            ['pow_first_contact', '0'],
            ['protocol_version', this.o.transport === 'nip44' ? '2' : '1'],
            ['lnd_networks', 'regtest'],
            ['y', 'mostro', 'fake'],
            ['z', 'info'],
          ],
        },
        this.secretKey,
      ),
    );
    await this.publish(
      signEvent({ kind: 10002, created_at: now, content: '', tags: [['r', this.o.relay]] }, this.secretKey),
    );
    await new Promise<void>((resolve) => {
      this.sub = this.pool.subscribeMany(
        [this.o.relay],
        { kinds: [14, 1059], '#p': [this.pubkey], since: now - 172_800 },
        { onevent: (e) => this.onEvent(e as NostrEvent), oneose: () => resolve() },
      );
    });
  }

  close(): void {
    this.sub?.close();
    this.pool.close([this.o.relay]);
  }

  private async publish(e: NostrEvent): Promise<void> {
    await Promise.any(this.pool.publish([this.o.relay], e as never));
  }

  private send(
    to: Party,
    action: Action,
    fields: { id?: string; request_id?: bigint | null; trade_index?: number | null; payload?: Payload | null },
  ): void {
    const message: Message = newMessage(wrapperForAction(action, fields.payload ?? null), {
      action,
      ...fields,
      version: to.transport === 'nip44' ? 2 : 1,
    });
    const event = wrapMessage({
      transport: to.transport,
      message,
      tradeKey: this.secretKey,
      identityKey: this.secretKey,
      recipient: to.trade,
      signed: false,
      expiration: Math.floor(Date.now() / 1000) + 30 * 86_400,
    });
    void this.publish(event);
  }

  /** Successive revisions of one order get strictly increasing created_at (as mostrod does). */
  private readonly revisionAt = new Map<string, number>();

  private publishOrder(o: FakeOrder, status: string): void {
    const x = o.order;
    const at = Math.max(Math.floor(Date.now() / 1000), (this.revisionAt.get(x.id) ?? 0) + 1);
    this.revisionAt.set(x.id, at);
    const fa =
      x.min_amount != null && x.max_amount != null && status === 'pending'
        ? [String(x.min_amount), String(x.max_amount)]
        : [String(x.fiat_amount)];
    void this.publish(
      signEvent(
        {
          kind: 38383,
          created_at: at,
          content: '',
          tags: [
            ['d', x.id],
            ['k', x.kind ?? 'sell'],
            ['f', x.fiat_code],
            ['s', status],
            ['amt', String(x.amount)],
            ['fa', ...fa],
            ['pm', ...x.payment_method.split(',').filter(Boolean)],
            ['premium', String(x.premium)],
            ['rating', JSON.stringify(['rating', { days: 0, total_rating: 0.0, total_reviews: 0 }])],
            ['network', 'regtest'],
            ['layer', 'lightning'],
            ['expires_at', String(x.expires_at)],
            ['y', 'mostro', 'fake'],
            ['z', 'order'],
          ],
        },
        this.secretKey,
      ),
    );
  }

  private partyFee(amount: number): number {
    return Math.round((this.fee * amount) / 2);
  }

  private view(o: FakeOrder, side: 'buyer' | 'seller', status: string): SmallOrder {
    const fee = this.partyFee(o.order.amount);
    const { buyer_invoice: _drop, ...rest } = o.order;
    return {
      ...rest,
      status: status as SmallOrder['status'],
      amount: side === 'seller' ? o.order.amount + fee : o.order.amount - fee,
    };
  }

  private roles(o: FakeOrder): { buyer: Party | null; seller: Party | null } {
    return o.order.kind === 'sell' ? { seller: o.maker, buyer: o.taker } : { buyer: o.maker, seller: o.taker };
  }

  /** What the expiry job does: a pending order past its time is republished as canceled. */
  expire(orderId: string): void {
    const o = this.orders.get(orderId);
    if (!o) throw new Error(`unknown order ${orderId}`);
    o.order.status = 'expired';
    o.order.expires_at = Math.floor(Date.now() / 1000) - 1;
    this.publishOrder(o, 'canceled');
  }

  /** The simulated seller payment of the hold invoice. */
  lockEscrow(orderId: string): void {
    const o = this.orders.get(orderId);
    if (!o) throw new Error(`unknown order ${orderId}`);
    const { buyer, seller } = this.roles(o);
    if (!buyer || !seller) throw new Error('order not taken');
    if (o.buyerInvoice) {
      this.activate(o);
    } else {
      o.order.status = 'waiting-buyer-invoice';
      this.send(buyer, 'add-invoice', {
        id: o.order.id,
        payload: { order: this.view(o, 'buyer', 'waiting-buyer-invoice') },
      });
      this.send(seller, 'waiting-buyer-invoice', { id: o.order.id });
    }
  }

  private activate(o: FakeOrder): void {
    const { buyer, seller } = this.roles(o);
    o.order.status = 'active';
    o.order.buyer_trade_pubkey = buyer?.trade;
    o.order.seller_trade_pubkey = seller?.trade;
    if (seller)
      this.send(seller, 'buyer-took-order', { id: o.order.id, payload: { order: this.view(o, 'seller', 'active') } });
    if (buyer)
      this.send(buyer, 'hold-invoice-payment-accepted', {
        id: o.order.id,
        payload: { order: this.view(o, 'buyer', 'active') },
      });
  }

  private askSellerToPay(o: FakeOrder, request_id: bigint | null): void {
    const { buyer, seller } = this.roles(o);
    o.order.status = 'waiting-payment';
    const hold = `lnbcrt${o.order.amount + this.partyFee(o.order.amount)}n1fakeholdinvoice${o.order.id.replace(/-/g, '')}`;
    if (seller) {
      this.send(seller, 'pay-invoice', {
        id: o.order.id,
        request_id: seller === o.taker ? request_id : null,
        trade_index: seller.index,
        payload: { payment_request: [this.view(o, 'seller', 'waiting-payment'), hold, null] },
      });
    }
    if (buyer)
      this.send(buyer, 'waiting-seller-to-pay', {
        id: o.order.id,
        request_id: buyer === o.taker || o.buyerInvoice ? request_id : null,
      });
  }

  private onEvent(e: NostrEvent): unknown {
    const u = unwrapMessage(e, this.secretKey);
    if (!u?.ok || u.checks.tradeSignature === 'invalid' || u.checks.identityProof === 'invalid') return;
    const k = u.message.kind;
    const from: Party = { trade: u.sender, identity: u.identity, index: k.trade_index, transport: u.transport };
    this.received.push({ action: k.action, sender: u.sender, identity: u.identity, transport: u.transport });
    const reply = (
      action: Action,
      fields: { id?: string; trade_index?: number | null; payload?: Payload | null } = {},
    ) => this.send(from, action, { request_id: k.request_id, ...fields });
    const cantDo = (reason: string) =>
      reply('cant-do', { ...(k.id ? { id: k.id } : {}), payload: { cant_do: reason as never } });
    const o = k.id ? this.orders.get(k.id) : undefined;
    const p = k.payload;

    if (
      ['new-order', 'take-sell', 'take-buy'].includes(k.action) &&
      from.identity !== from.trade &&
      k.trade_index != null
    ) {
      const last = this.lastIndex.get(from.identity) ?? 0;
      if (k.trade_index <= last) return cantDo('invalid_trade_index');
      this.lastIndex.set(from.identity, k.trade_index);
    }

    switch (k.action) {
      case 'new-order': {
        if (!p || !('order' in p)) return cantDo('invalid_payload');
        const id = randomUUID();
        const now = Math.floor(Date.now() / 1000);
        const order = {
          ...p.order,
          id,
          status: 'pending' as const,
          created_at: now,
          expires_at: now + 86_400,
          ...(p.order.kind === 'sell' ? { seller_trade_pubkey: from.trade } : { buyer_trade_pubkey: from.trade }),
        };
        const fo: FakeOrder = {
          order,
          maker: from,
          taker: null,
          buyerInvoice: p.order.buyer_invoice ?? null,
          disputeId: null,
          solver: null,
        };
        this.orders.set(id, fo);
        reply('new-order', { id, trade_index: k.trade_index, payload: { order } });
        this.publishOrder(fo, 'pending');
        return;
      }
      case 'take-sell':
      case 'take-buy': {
        if (!o) return cantDo('not_found');
        if (o.order.status !== 'pending' || (k.action === 'take-sell') !== (o.order.kind === 'sell'))
          return cantDo('invalid_order_status');
        if (from.trade === o.maker.trade) return cantDo('invalid_pubkey');
        o.taker = from;
        if (o.order.amount === 0) {
          const fiat = p && 'amount' in p ? p.amount : o.order.fiat_amount;
          if (o.order.min_amount != null && o.order.max_amount != null) {
            if (fiat < o.order.min_amount || fiat > o.order.max_amount) return cantDo('out_of_range_sats_amount');
            o.order.fiat_amount = fiat;
          }
          const s = Math.trunc((fiat / PRICE_EUR) * 1e8);
          o.order.amount = Math.trunc(s - (o.order.premium / 100) * s);
        }
        if (k.action === 'take-sell') {
          if (p && 'payment_request' in p) {
            o.buyerInvoice = p.payment_request[1];
            this.askSellerToPay(o, k.request_id);
          } else {
            o.order.status = 'waiting-buyer-invoice';
            reply('add-invoice', {
              id: o.order.id,
              trade_index: k.trade_index,
              payload: { order: this.view(o, 'buyer', 'waiting-buyer-invoice') },
            });
            this.send(o.maker, 'waiting-buyer-invoice', { id: o.order.id });
          }
          this.publishOrder(o, 'in-progress');
        } else {
          this.askSellerToPay(o, k.request_id);
          this.publishOrder(o, 'in-progress');
        }
        return;
      }
      case 'add-invoice': {
        if (!o || !p || !('payment_request' in p)) return cantDo('not_found');
        const { buyer } = this.roles(o);
        if (buyer?.trade !== from.trade) return cantDo('invalid_peer');
        o.buyerInvoice = p.payment_request[1];
        if (o.order.kind === 'sell' && o.order.status === 'waiting-buyer-invoice')
          return this.askSellerToPay(o, k.request_id);
        if (o.order.status === 'waiting-buyer-invoice') {
          // Buy flow: the escrow is already locked.
          o.order.status = 'active';
          o.order.buyer_trade_pubkey = buyer.trade;
          o.order.seller_trade_pubkey = this.roles(o).seller?.trade;
          this.send(from, 'hold-invoice-payment-accepted', {
            id: o.order.id,
            request_id: k.request_id,
            payload: { order: this.view(o, 'buyer', 'active') },
          });
          const seller = this.roles(o).seller;
          if (seller)
            this.send(seller, 'buyer-took-order', {
              id: o.order.id,
              payload: { order: this.view(o, 'seller', 'active') },
            });
          return;
        }
        return cantDo('not_allowed_by_status');
      }
      case 'fiat-sent': {
        if (!o) return cantDo('not_found');
        const { buyer, seller } = this.roles(o);
        if (buyer?.trade !== from.trade) return cantDo('invalid_peer');
        if (o.order.status !== 'active') return cantDo('not_allowed_by_status');
        o.order.status = 'fiat-sent';
        reply('fiat-sent-ok', { id: o.order.id, payload: { peer: { pubkey: seller?.trade ?? '', reputation: null } } });
        if (seller)
          this.send(seller, 'fiat-sent-ok', {
            id: o.order.id,
            payload: { peer: { pubkey: buyer.trade, reputation: null } },
          });
        return;
      }
      case 'release': {
        if (!o) return cantDo('not_found');
        const { buyer, seller } = this.roles(o);
        if (seller?.trade !== from.trade) return cantDo('invalid_peer');
        if (o.order.status !== 'fiat-sent' && o.order.status !== 'dispute') return cantDo('not_allowed_by_status');
        o.order.status = 'success';
        reply('hold-invoice-payment-settled', { id: o.order.id });
        this.send(seller, 'rate', { id: o.order.id });
        if (buyer) {
          this.send(buyer, 'released', { id: o.order.id });
          this.send(buyer, 'purchase-completed', { id: o.order.id });
          this.send(buyer, 'rate', { id: o.order.id });
        }
        this.publishOrder(o, 'success');
        return;
      }
      case 'cancel': {
        if (!o) return cantDo('not_found');
        if (o.order.status === 'pending' && from.trade === o.maker.trade) {
          o.order.status = 'canceled';
          reply('canceled', { id: o.order.id });
          this.publishOrder(o, 'canceled');
          return;
        }
        return cantDo('not_allowed_by_status');
      }
      case 'dispute': {
        if (!o) return cantDo('not_found');
        if (o.order.status !== 'active' && o.order.status !== 'fiat-sent') return cantDo('not_allowed_by_status');
        o.disputeId = randomUUID();
        o.order.status = 'dispute';
        reply('dispute-initiated-by-you', { id: o.order.id, payload: { dispute: [o.disputeId, null] } });
        const other = from.trade === o.maker.trade ? o.taker : o.maker;
        if (other)
          this.send(other, 'dispute-initiated-by-peer', { id: o.order.id, payload: { dispute: [o.disputeId, null] } });
        return;
      }
      case 'admin-take-dispute': {
        const d = [...this.orders.values()].find((x) => x.disputeId === k.id);
        if (!d) return cantDo('not_found');
        d.solver = from.trade;
        const { buyer, seller } = this.roles(d);
        reply('admin-took-dispute', {
          id: d.disputeId as string,
          payload: {
            dispute: [
              d.disputeId as string,
              {
                id: d.order.id,
                kind: d.order.kind ?? 'sell',
                status: 'in-progress',
                hash: null,
                preimage: null,
                order_previous_status: 'active',
                initiator_pubkey: buyer?.trade ?? '',
                buyer_pubkey: buyer?.trade ?? null,
                seller_pubkey: seller?.trade ?? null,
                initiator_full_privacy: false,
                counterpart_full_privacy: false,
                initiator_info: null,
                counterpart_info: null,
                premium: d.order.premium,
                payment_method: d.order.payment_method,
                amount: d.order.amount,
                fiat_amount: d.order.fiat_amount,
                fee: this.partyFee(d.order.amount),
                routing_fee: 0,
                buyer_invoice: d.buyerInvoice,
                invoice_held_at: 0,
                taken_at: 0,
                created_at: d.order.created_at ?? 0,
              },
            ],
          },
        });
        for (const party of [buyer, seller])
          if (party)
            this.send(party, 'admin-took-dispute', {
              id: d.order.id,
              payload: { peer: { pubkey: from.trade, reputation: null } },
            });
        return;
      }
      case 'admin-settle':
      case 'admin-cancel': {
        if (!o || o.solver !== from.trade) return cantDo('is_not_your_dispute');
        const done: Action = k.action === 'admin-settle' ? 'admin-settled' : 'admin-canceled';
        o.order.status = k.action === 'admin-settle' ? 'success' : 'canceled-by-admin';
        reply(done, { id: o.order.id });
        const { buyer, seller } = this.roles(o);
        for (const party of [buyer, seller]) if (party) this.send(party, done, { id: o.order.id });
        return;
      }
      case 'rate-user':
        if (!o || !p || !('rating_user' in p)) return cantDo('not_found');
        reply('rate-received', { id: o.order.id, payload: { rating_user: p.rating_user } });
        return;
      case 'user-info': {
        if (from.identity === from.trade) return cantDo('reputation_identity_required');
        const known = this.lastIndex.has(from.identity);
        reply('user-info', {
          payload: {
            user_info: known
              ? { rating: 4.5, reviews: 2, operating_days: 3, since: 1_700_784_000 }
              : { rating: 0, reviews: 0, operating_days: 0 },
          },
        });
        return;
      }
      case 'last-trade-index': {
        const last = this.lastIndex.get(from.identity);
        if (last === undefined) return cantDo('not_found');
        reply('last-trade-index', { trade_index: last });
        return;
      }
      case 'restore-session': {
        const mine = [...this.orders.values()].filter(
          (x) => x.maker.identity === from.identity || x.taker?.identity === from.identity,
        );
        const party = (x: FakeOrder) => (x.maker.identity === from.identity ? x.maker : (x.taker as Party));
        const open = (s: string | null) => !['success', 'canceled', 'expired', 'dispute'].includes(s ?? '');
        this.send(from, 'restore-session', {
          payload: {
            restore_data: {
              orders: mine
                .filter((x) => open(x.order.status))
                .map((x) => ({
                  order_id: x.order.id,
                  trade_index: party(x).index ?? 0,
                  status: x.order.status ?? 'pending',
                  counterparty_trade_pubkey:
                    (x.maker.identity === from.identity ? x.taker?.trade : x.maker.trade) ?? null,
                })),
              disputes: mine
                .filter((x) => x.order.status === 'dispute')
                .map((x) => ({
                  dispute_id: x.disputeId as string,
                  order_id: x.order.id,
                  trade_index: party(x).index ?? 0,
                  status: 'initiated',
                  initiator: null,
                  solver_pubkey: x.solver,
                })),
            },
          },
        });
        return;
      }
      case 'orders': {
        if (!p || !('ids' in p)) return cantDo('invalid_parameters');
        const found = p.ids
          .map((id) => this.orders.get(id))
          .filter(
            (x): x is FakeOrder => !!x && (x.maker.identity === from.identity || x.taker?.identity === from.identity),
          )
          .map((x) => {
            const { buyer_invoice: _i, ...rest } = x.order;
            return rest;
          });
        if (found.length === 0) return cantDo('not_found');
        reply('orders', { payload: { orders: found } });
        return;
      }
      default:
        return cantDo('invalid_action');
    }
  }
}
