// Everything the embedded node needs from the simulator in one call: the network (persisted in
// its own SQLite file), the node's LightningBackend, and the local wallet API for people and the CLI.
import type { LightningBackend } from '../backend.ts';
import { createSimulatedBackend } from './backend.ts';
import { SimulatedNetwork, type SimulatedNetworkOptions } from './network.ts';
import { startWalletServer, type WalletServer } from './wallet-server.ts';

export const DEFAULT_WALLET_API_PORT = 18080;

export interface SimulatedLightningOptions extends SimulatedNetworkOptions {
  /** The node's own wallet on the network; default 'mostro'. */
  nodeWallet?: string;
  /** Port of the wallet API on 127.0.0.1 (default 18080, 0 = any free port); null = no API. */
  walletApiPort?: number | null;
}

export interface SimulatedLightning {
  network: SimulatedNetwork;
  backend: LightningBackend;
  walletApi: WalletServer | null;
  /** Stops the wallet API, the backend's subscriptions and the network (in that order). */
  close(): Promise<void>;
}

export async function startSimulatedLightning(options: SimulatedLightningOptions = {}): Promise<SimulatedLightning> {
  const network = new SimulatedNetwork(options);
  try {
    const backend = createSimulatedBackend(network, options.nodeWallet ?? 'mostro');
    const port = options.walletApiPort === undefined ? DEFAULT_WALLET_API_PORT : options.walletApiPort;
    const walletApi = port === null ? null : await startWalletServer(network, { port });
    return {
      network,
      backend,
      walletApi,
      async close() {
        await walletApi?.close();
        await backend.close();
        network.close();
      },
    };
  } catch (e) {
    network.close();
    throw e;
  }
}
