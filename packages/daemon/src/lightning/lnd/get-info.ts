import { type AuthenticatedLnd, getWalletInfo, getWalletVersion } from 'lightning';
import { fail, type LnResult, type NodeInfo, ok } from '../backend.ts';
import { lndError } from './errors.ts';
import { networkOfChainId } from './network.ts';

export async function getInfo(lnd: AuthenticatedLnd): Promise<LnResult<NodeInfo>> {
  try {
    const [info, version] = await Promise.all([getWalletInfo({ lnd }), getWalletVersion({ lnd }).catch(() => null)]);
    return ok({
      alias: info.alias,
      pubkey: info.public_key,
      version: version?.version ?? info.version,
      commitHash: version?.commit_hash ?? '',
      chains: info.chains.map(() => 'bitcoin'),
      networks: info.chains.map(networkOfChainId),
      uris: info.uris ?? [],
      blockHeight: info.current_block_height,
      syncedToChain: info.is_synced_to_chain,
      simulated: false,
    });
  } catch (err) {
    const e = lndError('getInfo', err);
    return fail(e.code, e.message);
  }
}
