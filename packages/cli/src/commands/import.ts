import { Session } from '@mostro/client';
import { flag, parseArgs, str } from '../lib/args.ts';
import { passphrase, store } from '../lib/context.ts';
import { globals, UsageError } from '../lib/globals.ts';
import { emit, guard } from '../lib/output.ts';
import { askHidden, isInteractive, readStdin } from '../lib/prompt.ts';
import { saveDefaultNode } from './init.ts';

export const summary = 'create a session from an existing mnemonic (then `mostro restore` brings your trades back)';
export const usesGlobals = true;
const USAGE =
  'mostro import [--mnemonic "<words>"] [--force] [--private]   (or the words on stdin, or MOSTRO_MNEMONIC)';

export function run(argv: string[]): Promise<number> {
  return guard('import', async () => {
    const p = parseArgs('import', argv, { mnemonic: { type: 'string' }, force: { type: 'boolean' } }, USAGE);
    if (flag(p, 'help')) return void console.log(`usage: ${USAGE}\n${summary}`);
    if (p.positionals.length > 0)
      throw new UsageError(
        `unexpected argument '${p.positionals[0]}'`,
        'quote the mnemonic: --mnemonic "word1 word2 …"',
      );
    if ((await store().read()) !== null && !flag(p, 'force')) {
      throw new UsageError(
        `a session already exists in ${globals().home}`,
        'use another --home, or --force to replace it',
      );
    }
    let mnemonic = str(p, 'mnemonic') ?? process.env.MOSTRO_MNEMONIC;
    if (mnemonic === undefined) mnemonic = isInteractive() ? await askHidden('mnemonic (hidden): ') : await readStdin();
    if (mnemonic.trim().length === 0) throw new UsageError('no mnemonic given', `usage: ${USAGE}`);
    const session = await Session.create(store(), await passphrase(true), {
      mnemonic,
      privacy: globals().private ? 'full-private' : 'reputation',
      overwrite: flag(p, 'force'),
    });
    const node = await saveDefaultNode(session);
    emit({ home: globals().home, identity: session.identity().publicKey, privacy: session.privacy, node }, () => [
      `session imported into ${globals().home} (${session.privacy} mode)`,
      'next: `mostro restore` to bring back your open trades',
    ]);
  });
}
