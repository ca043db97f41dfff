// Builds the Lightning backend the settings ask for. The simulated network is the embedded default:
// real BOLT-11 invoices and hold-invoice states, faucet sats, no real money.
import { join } from 'node:path';
import type { Settings } from '../config/index.ts';
import type { LightningBackend } from '../lightning/backend.ts';
import { createLndBackend } from '../lightning/lnd/index.ts';
import { createSimulatedBackend, SimulatedNetwork, startWalletServer } from '../lightning/simulated/index.ts';

export const NODE_WALLET = 'mostro';

export interface LightningSetup {
  backend: LightningBackend;
  simulated: boolean;
  walletUrl: string | null;
  network: SimulatedNetwork | null;
  close(): Promise<void>;
}

export async function setupLightning(settings: Settings, dataDir: string): Promise<LightningSetup> {
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
  const network = new SimulatedNetwork({ path: join(dataDir, 'simulated-lightning.db') });
  const backend = createSimulatedBackend(network, NODE_WALLET);
  const server = await startWalletServer(network, { port: settings.wallet.port, host: settings.wallet.host });
  return {
    backend,
    simulated: true,
    walletUrl: server.url,
    network,
    async close() {
      await server.close();
      await backend.close();
      network.close();
    },
  };
}
