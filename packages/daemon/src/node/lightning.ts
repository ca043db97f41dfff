// Builds the Lightning backend the settings ask for. The simulated network is the embedded default:
// real BOLT-11 invoices and hold-invoice states, faucet sats, no real money.
import { join } from 'node:path';
import type { Clock } from '../clock.ts';
import type { Settings } from '../config/index.ts';
import type { LightningBackend } from '../lightning/backend.ts';
import { createLndBackend } from '../lightning/lnd/index.ts';
import { type SimulatedNetwork, startSimulatedLightning } from '../lightning/simulated/index.ts';

export const NODE_WALLET = 'mostro';

export interface LightningSetup {
  backend: LightningBackend;
  simulated: boolean;
  walletUrl: string | null;
  network: SimulatedNetwork | null;
  close(): Promise<void>;
}

export async function setupLightning(settings: Settings, dataDir: string, clock?: Clock): Promise<LightningSetup> {
  const ln = settings.lightning;
  if (ln.backend === 'lnd') {
    if (!ln.lnd_grpc_host || !ln.lnd_cert_file || !ln.lnd_macaroon_file) {
      throw new Error('lightning: backend "lnd" needs lnd_grpc_host, lnd_cert_file and lnd_macaroon_file');
    }
    const backend = await createLndBackend({
      grpcHost: ln.lnd_grpc_host,
      tlsCertPath: ln.lnd_cert_file,
      macaroonPath: ln.lnd_macaroon_file,
    });
    return { backend, simulated: false, walletUrl: null, network: null, close: () => backend.close() };
  }
  const sim = await startSimulatedLightning({
    path: join(dataDir, 'simulated-lightning.db'),
    nodeWallet: NODE_WALLET,
    walletApiPort: settings.wallet.port,
    ...(clock ? { clock } : {}),
  });
  return {
    backend: sim.backend,
    simulated: true,
    walletUrl: sim.walletApi?.url ?? null,
    network: sim.network,
    close: () => sim.close(),
  };
}
