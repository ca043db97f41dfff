import { Session } from '@mostro/client';
import { parsePublicKey, toNpub } from '@mostro/protocol';
import { flag, parseArgs, str } from '../lib/args.ts';
import { passphrase, store } from '../lib/context.ts';
import { globals, UsageError } from '../lib/globals.ts';
import { emit, guard } from '../lib/output.ts';

export const summary = 'create a new session: a fresh 12-word mnemonic, sealed under a passphrase';
export const usesGlobals = true;
const USAGE = 'mostro init [--words 12|24] [--force] [--private] [--node <npub>] [--relay <url>...]';

/** Saves --node/--relay given at init/import as the session's default node. */
export async function saveDefaultNode(session: Session): Promise<string | null> {
  const g = globals();
  if (!g.node) return null;
  const pub = parsePublicKey(g.node);
  if (!pub) throw new UsageError(`'${g.node}' is not a node pubkey`, 'give the node as npub1… or 64 hex characters');
  await session.update((d) => {
    d.defaultNode = pub;
    d.nodes[pub] = {
      pubkey: pub,
      relays: g.relays.length > 0 ? g.relays : (d.nodes[pub]?.relays ?? []),
      transport: d.nodes[pub]?.transport ?? null,
    };
  });
  return pub;
}

export function run(argv: string[]): Promise<number> {
  return guard('init', async () => {
    const p = parseArgs('init', argv, { words: { type: 'string' }, force: { type: 'boolean' } }, USAGE);
    if (flag(p, 'help')) return void console.log(`usage: ${USAGE}\n${summary}`);
    if (p.positionals.length > 0) throw new UsageError(`unexpected argument '${p.positionals[0]}'`, `usage: ${USAGE}`);
    const words = str(p, 'words') ?? '12';
    if (words !== '12' && words !== '24')
      throw new UsageError(`--words must be 12 or 24, got '${words}'`, 'use --words 12 or --words 24');
    const existing = await store().read();
    if (existing !== null && !flag(p, 'force')) {
      throw new UsageError(
        `a session already exists in ${globals().home}`,
        'use another --home, or --force to replace it (back up its mnemonic first)',
      );
    }
    const { generateMnemonic } = await import('@mostro/protocol');
    const session = await Session.create(store(), await passphrase(true), {
      mnemonic: generateMnemonic(words === '24' ? 24 : 12),
      privacy: globals().private ? 'full-private' : 'reputation',
      overwrite: flag(p, 'force'),
    });
    const node = await saveDefaultNode(session);
    emit(
      {
        home: globals().home,
        mnemonic: session.revealMnemonic(),
        identity: session.identity().publicKey,
        privacy: session.privacy,
        node,
      },
      () => [
        `session created in ${globals().home} (${session.privacy} mode)`,
        ...(session.privacy === 'reputation'
          ? [`identity ${toNpub(session.identity().publicKey)} (your reputation hangs on it)`]
          : []),
        '',
        'your mnemonic — write it down, it is the only way to recover your trades:',
        `  ${session.revealMnemonic()}`,
        '',
        node
          ? `default node ${toNpub(node)}`
          : 'next: `mostro orders` (the local node), or another node with `mostro node --node <npub> --relay <url> --save`',
      ],
    );
  });
}
