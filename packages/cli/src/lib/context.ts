// Everything a command needs to act: the session (opened with the passphrase), the node and its
// relays (flags > environment > the session's saved default), a relay pool and a MostroClient.

import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { AdminClient, ClientError, MostroClient, Session, TradeChat } from '@mostro/client';
import { FileSessionStore } from '@mostro/client/node';
import type { Relays } from '@mostro/nostr';
import { nodeRelayPool } from '@mostro/nostr/node';
import { parsePublicKey, parseSecretKey, publicKeyOf } from '@mostro/protocol';
import { globals, Stopped, UsageError } from './globals.ts';
import { localNode } from './local-node.ts';
import { askHidden } from './prompt.ts';
import { probeRelays, requireReachable, unreachableError } from './reach.ts';
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
  // On a terminal a mistyped passphrase gets three tries; from MOSTRO_PASSPHRASE, one.
  const tries = process.env.MOSTRO_PASSPHRASE ? 1 : 3;
  for (let attempt = 1; ; attempt++) {
    try {
      return await Session.open(s, await passphrase());
    } catch (e) {
      if (!(e instanceof ClientError && e.code === 'wrong_passphrase') || attempt >= tries) throw e;
      process.stderr.write(`wrong passphrase, try again (${tries - attempt} left)\n`);
    }
  }
}

export function nodePubkey(session: Session | null): string {
  const g = globals();
  const raw = g.node ?? session?.data.defaultNode ?? localNode()?.pubkey ?? null;
  if (!raw)
    throw new UsageError(
      'no node given (and no local mostrod config in $MOSTRO_DATA_DIR or ~/.mostrod)',
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
  const local = localNode();
  if (local?.relay && local.pubkey === node) return [local.relay];
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

/**
 * Until a relay answers: a status line on stderr every few seconds (long-running commands such as
 * `watch`). Resolves false when the process is told to stop meanwhile.
 */
async function waitForRelays(relays: string[]): Promise<boolean> {
  let stopped = false;
  const stop = () => {
    stopped = true;
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    for (;;) {
      const results = await probeRelays(relays);
      if (results.some((r) => r.ok)) return true;
      process.stderr.write(`${unreachableError(results).message}; retrying in 5 s (Ctrl-C to stop)\n`);
      for (let i = 0; i < 50 && !stopped; i++) await new Promise((r) => setTimeout(r, 100));
      if (stopped) return false;
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

export async function connect(opened?: Session, opts: { retry?: boolean } = {}): Promise<Connected> {
  const session = opened ?? (await openSession());
  const node = nodePubkey(session);
  const relays = relaysFor(session, node);
  if (!opts.retry) await requireReachable(relays);
  else if (!(await waitForRelays(relays))) throw new Stopped('stopped');
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

function adminKey(): Uint8Array {
  const raw = globals().adminKey;
  if (!raw)
    throw new UsageError('admin commands need the solver key', 'pass --admin-key <nsec|hex> or set MOSTRO_ADMIN_KEY');
  const sk = parseSecretKey(raw);
  if (!sk)
    throw new UsageError(
      'the admin key is not a valid nsec or 64-hex secret key',
      'check --admin-key / MOSTRO_ADMIN_KEY',
    );
  return sk;
}

export function adminClient(c: Connected): AdminClient {
  const sk = adminKey();
  return new AdminClient(c.client, { secretKey: sk, publicKey: publicKeyOf(sk) });
}

/**
 * A solver needs no user session: without one in --home, the admin commands keep their state (the
 * disputes taken) in a session of their own under <home>/solver-<key>, created on first use and
 * sealed under a passphrase derived from the admin key, so only that key opens it and nothing is
 * asked. Undefined when a user session exists (it is used, as before).
 */
export async function adminSession(): Promise<Session | undefined> {
  if ((await store().read()) !== null) return undefined;
  const sk = adminKey();
  const solverStore = new FileSessionStore(join(globals().home, `solver-${publicKeyOf(sk).slice(0, 16)}`));
  const pass = createHash('sha256').update('mostro cli solver session').update(sk).digest('hex');
  if ((await solverStore.read()) === null) return Session.create(solverStore, pass, { privacy: 'full-private' });
  return Session.open(solverStore, pass);
}

/** Runs `body` with a connection and always closes it. */
export async function withClient<T>(
  body: (c: Connected) => Promise<T>,
  session?: Session,
  opts: { retry?: boolean } = {},
): Promise<T> {
  const c = await connect(session, opts);
  try {
    return await body(c);
  } finally {
    c.close();
  }
}
