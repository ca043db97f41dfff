// Child process of sigkill.test.ts: runs a trade in `dir` and SIGKILLs itself right before or after
// one Lightning call. Usage: sigkill-child.ts <dir> <sell|buy> <method> <before|after>
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LightningBackend } from '../../src/lightning/backend.ts';
import { Harness } from '../app/harness.ts';

const [dir, kind, method, when] = process.argv.slice(2) as [string, 'sell' | 'buy', keyof LightningBackend, string];

const wrap = (backend: LightningBackend): LightningBackend => {
  const original = backend[method] as (...args: unknown[]) => Promise<unknown>;
  return {
    ...backend,
    [method]: async (...args: unknown[]) => {
      if (when === 'before') process.kill(process.pid, 'SIGKILL');
      const result = await original(...args);
      if (when === 'after') process.kill(process.pid, 'SIGKILL');
      return result;
    },
  };
};

const h = new Harness({ dir, wrapLightning: wrap });
const seller = h.user('seller');
const buyer = h.user('buyer');
const maker = kind === 'sell' ? seller : buyer;
const id = await h.newOrder(maker, { kind, amount: 50_000, fiat_amount: 25 });
writeFileSync(join(dir, 'trade.json'), JSON.stringify({ id, seller, buyer }));
if (kind === 'sell') {
  await h.send(buyer, 'take-sell', { id, payload: { payment_request: [null, h.buyerInvoice(), null] } });
} else {
  await h.send(seller, 'take-buy', { id });
}
await h.sellerPays(seller);
if (kind === 'buy')
  await h.send(buyer, 'add-invoice', { id, payload: { payment_request: [null, h.buyerInvoice(), null] } });
await h.send(buyer, 'fiat-sent', { id });
await h.send(seller, 'release', { id });
// Not killed: the crash point was never reached.
process.exit(3);
