// Child process of simulated-crash.test.ts: opens the network file, puts a hold invoice in the
// accepted state, says so on stdout and waits to be killed.
import { SimulatedNetwork, startWalletServer } from '../../src/lightning/simulated/index.ts';

const [path, hash] = process.argv.slice(2) as [string, string];
const net = new SimulatedNetwork({ path, tickMs: 50 });
const server = await startWalletServer(net, { port: 0 });
net.fund('seller', 40_000);
const inv = net.addHoldInvoice('node', {
  hash,
  amountSats: 25_000,
  memo: 'crash',
  expirySeconds: 3600,
  cltvDelta: 144,
});
if (!inv.ok) throw new Error(inv.error.message);
const res = await fetch(`${server.url}/wallets/seller/pay`, {
  method: 'POST',
  body: JSON.stringify({ request: inv.value.request }),
});
const payment = (await res.json()) as { state: string };
process.stdout.write(`${JSON.stringify({ state: payment.state, request: inv.value.request })}\n`);
setInterval(() => {}, 1000); // stay up until SIGKILL
