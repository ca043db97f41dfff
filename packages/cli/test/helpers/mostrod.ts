// The real node for CLI end-to-end tests: `mostrod` on its embedded stack (relay, simulated
// Lightning, fixed prices) as a separate process on free ports, with settings from the environment.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../../daemon/test/support/ports.ts';

const MOSTROD = fileURLToPath(new URL('../../../daemon/bin/mostrod.mjs', import.meta.url));

export async function startMostrod(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; npub: string; relay: string; wallet: string; log: () => string }> {
  const [relayPort, walletPort] = [await freePort(), await freePort()];
  const child = spawn(process.execPath, [MOSTROD, '--data-dir', dataDir], {
    env: {
      ...process.env,
      MOSTRO_RELAY_PORT: String(relayPort),
      MOSTRO_WALLET_PORT: String(walletPort),
      // The node demands proof of work: every client event must carry it or is dropped silently.
      MOSTRO_MOSTRO_POW: '2',
      MOSTRO_MOSTRO_POW_FIRST_CONTACT: '8',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const start = Date.now();
  while (!/node:\s+(npub1\w+)/.test(out)) {
    if (child.exitCode !== null || Date.now() - start > 120_000) throw new Error(`mostrod did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const npub = (out.match(/node:\s+(npub1\w+)/) as RegExpMatchArray)[1] as string;
  return {
    child,
    npub,
    relay: `ws://127.0.0.1:${relayPort}`,
    wallet: `http://127.0.0.1:${walletPort}`,
    log: () => out,
  };
}
