// Everything a command needs to act: the session (opened with the passphrase), the node and its
// relays (flags > environment > the session's saved default), a relay pool and a MostroClient.
import { AdminClient, ClientError, MostroClient, Session, TradeChat } from '@mostro/client';
import { FileSessionStore } from '@mostro/client/node';
import type { Relays } from '@mostro/nostr';
import { nodeRelayPool } from '@mostro/nostr/node';
import { parsePublicKey, parseSecretKey, publicKeyOf } from '@mostro/protocol';
import { globals, UsageError } from './globals.ts';
import { askHidden } from './prompt.ts';
import { Spinner } from './spinner.ts';

export function store(): FileSessionStore {
  return new FileSessionStore(globals().home);
}

export async function passphrase(confirmNew = false): Promise<string> {
  const env = process.env.MOSTRO_PASSPHRASE;
  if (env !== undefined && env.length > 0) return env;
  const first = await askHidden(confirmNew ? 'choose a passphrase for this session: ' : 'passphrase: ');
  if (confirmNew) {
    const again = await askHidden('repeat it: ');
    if (again !== first)
      throw new UsageError('the two passphrases differ', 'run the command again and type the same passphrase twice');
  }
  if (first.length === 0)
    throw new UsageError('the passphrase is empty', 'type a passphrase (or set MOSTRO_PASSPHRASE)');
  return first;
}

export async function openSession(): Promise<Session> {
  const s = store();
  if ((await s.read()) === null) {
    throw new ClientError(
      'no_session',
      `there is no session in ${globals().home}`,
      'run `mostro init` (new) or `mostro import` (existing mnemonic) first, or pass --home',
    );
  }
  return Session.open(s, await passphrase());
}

export function nodePubkey(session: Session | null): string {
  const g = globals();
  const raw = g.node ?? session?.data.defaultNode ?? null;
  if (!raw)
    throw new UsageError(
      'no node given',
      'pass --node <npub|hex> or set MOSTRO_NODE (or save one with `mostro node --save`)',
    );
  const pub = parsePublicKey(raw);
  if (!pub) throw new UsageError(`'${raw}' is not a node pubkey`, 'give the node as npub1… or 64 hex characters');
  return pub;
}

export function relaysFor(session: Session | null, node: string): string[] {
  const g = globals();
  if (g.relays.length > 0) return g.relays;
  const saved = session?.data.nodes[node]?.relays ?? [];
  if (saved.length > 0) return saved;
  throw new UsageError(
    'no relay given',
    'pass --relay ws://… (repeatable) or set MOSTRO_RELAYS (or save them with `mostro node --save`)',
  );
}

export interface Connected {
  session: Session;
  client: MostroClient;
  pool: Relays;
  spinner: Spinner;
  chat: TradeChat;
  close(): void;
}

export async function connect(opened?: Session): Promise<Connected> {
  const session = opened ?? (await openSession());
  const node = nodePubkey(session);
  const relays = relaysFor(session, node);
  const pool = nodeRelayPool({ relays, connectTimeoutMs: 5000 });
  const g = globals();
  const client = new MostroClient({
    session,
    pool,
    node,
    transport: session.data.nodes[node]?.transport ?? null,
    timeoutMs: g.timeout * 1000,
    ...(g.private ? { privacy: 'full-private' as const } : {}),
  });
  const spinner = new Spinner();
  client.observer = (s) => spinner.set(s);
  return {
    session,
    client,
    pool,
    spinner,
    chat: new TradeChat(session, pool),
    close() {
      spinner.stop();
      pool.close();
    },
  };
}

export function adminClient(c: Connected): AdminClient {
  const raw = globals().adminKey;
  if (!raw)
    throw new UsageError('admin commands need the solver key', 'pass --admin-key <nsec|hex> or set MOSTRO_ADMIN_KEY');
  const sk = parseSecretKey(raw);
  if (!sk)
    throw new UsageError(
      'the admin key is not a valid nsec or 64-hex secret key',
      'check --admin-key / MOSTRO_ADMIN_KEY',
    );
  return new AdminClient(c.client, { secretKey: sk, publicKey: publicKeyOf(sk) });
}

/** Runs `body` with a connection and always closes it. */
export async function withClient<T>(body: (c: Connected) => Promise<T>, session?: Session): Promise<T> {
  const c = await connect(session);
  try {
    return await body(c);
  } finally {
    c.close();
  }
}
