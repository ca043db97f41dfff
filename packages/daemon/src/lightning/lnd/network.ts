// Networks by BOLT-11 prefix and by genesis block hash (what LND reports as its chain id).

const PREFIXES: [string, string][] = [
  ['lnbcrt', 'regtest'],
  ['lnbc', 'bitcoin'],
  ['lntbs', 'signet'],
  ['lntb', 'testnet'],
  ['lnsb', 'simnet'],
];

/** Network a BOLT-11 request claims by its human-readable part, or null when unrecognisable. */
export function networkOfRequest(request: string): string | null {
  const lower = request.trim().toLowerCase();
  return PREFIXES.find(([prefix]) => lower.startsWith(prefix))?.[1] ?? null;
}

const GENESIS: Record<string, string> = {
  '000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f': 'bitcoin',
  '0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206': 'regtest',
  '00000008819873e925422c1ff0f99f7cc9bbb232af63a077a480a3633bee1ef6': 'signet',
  '000000000933ea01ad0ee984209779baaec3ced90fa3f408719526f8d77f4943': 'testnet',
  '00000000da84f2bafbbc53dee25a72ae507ff4914b867c565be350b0da8bf043': 'testnet4',
};

const reverseHex = (hex: string) => hex.match(/../g)?.reverse().join('') ?? '';

/** Network of a genesis block hash, in either byte order (LND reports it little-endian). */
export const networkOfChainId = (chainId: string): string => {
  const id = chainId.toLowerCase();
  return GENESIS[id] ?? GENESIS[reverseHex(id)] ?? 'unknown';
};
