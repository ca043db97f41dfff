// A real Lightning network on regtest for the test suite: one btcd and three lnd nodes (`node`, the
// Mostro node; `buyer`; `seller`) on 127.0.0.1, funded and connected by channels in both directions
// between `node` and each of the other two. Everything lives in one temporary directory; teardown
// stops every process and removes it, and a detached watchdog does the same if we die first.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import lightning from 'lightning';
import { btcdCall } from './btcd-rpc.mjs';
import { ensureBinaries } from './build.mjs';
import { startDaemon, stopProcess, tailLog, waitFor } from './proc.mjs';

const {
  addPeer,
  authenticatedLndGrpc,
  createChainAddress,
  getChainBalance,
  getChannels,
  getNetworkGraph,
  getPendingChannels,
  getWalletInfo,
  openChannel,
  sendToChainAddresses,
} = lightning;

export const NODE_NAMES = ['node', 'buyer', 'seller'];
const CHANNEL_SATS = 10_000_000;
const FUNDING_SATS = 100_000_000; // on-chain coins sent from `node` to buyer and seller
const here = fileURLToPath(new URL('.', import.meta.url));
const log = (m) => console.error(m);

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts the network. `persistent` (used by up.mjs) lets the daemons outlive this process and skips
 * the watchdog; stop them with down.mjs.
 * @returns {Promise<{ env: Record<string, string>, teardown: () => Promise<void> }>}
 */
export async function setupRegtest({ persistent = false } = {}) {
  const started = Date.now();
  const bin = await ensureBinaries({ log });
  const root = mkdtempSync(join(tmpdir(), 'mostro-regtest-'));
  const stateFile = join(root, 'state.json');
  const state = { parentPid: process.pid, pids: [], dirs: [root] };
  const saveState = () => writeFileSync(stateFile, JSON.stringify(state));
  saveState();
  if (!persistent) {
    spawn(process.execPath, [join(here, 'reaper.mjs'), stateFile], { detached: true, stdio: 'ignore' }).unref();
  }

  const daemons = [];
  const launch = (name, binName, args, logFile) => {
    const d = startDaemon(name, join(bin, binName), args, logFile, { detached: persistent });
    daemons.push(d);
    state.pids.push(d.pid);
    saveState();
    return d;
  };
  const killAll = () => {
    for (const d of daemons) {
      try {
        process.kill(d.pid, 'SIGKILL');
      } catch {}
    }
  };
  // Last resort if the caller exits without awaiting teardown: nothing may outlive the tests.
  const onExit = () => killAll();
  if (!persistent) process.on('exit', onExit);

  let tornDown = false;
  const teardown = async () => {
    if (tornDown) return;
    tornDown = true;
    // lnd first: without its chain backend its shutdown stalls. The data is thrown away anyway.
    await Promise.all(daemons.filter((d) => d.name !== 'btcd').map((d) => stopProcess(d.pid, 3000)));
    await Promise.all(daemons.map((d) => stopProcess(d.pid, 3000)));
    process.off('exit', onExit);
    rmSync(root, { recursive: true, force: true });
  };

  try {
    const net = await startNetwork({ root, launch, bin });
    log(`regtest: network ready in ${Math.round((Date.now() - started) / 1000)}s (${root})`);
    return { env: net.env, teardown, stateFile };
  } catch (err) {
    if (process.env.MOSTRO_REGTEST_KEEP_ON_FAILURE) log(`regtest: failed; left running for debugging in ${root}`);
    else await teardown();
    throw err;
  }
}

async function startNetwork({ root, launch, bin }) {
  const btcdDir = join(root, 'btcd');
  mkdirSync(btcdDir);
  const rpc = { host: `127.0.0.1:${await freePort()}`, user: 'mostro', pass: 'regtest-only' };
  const btcdP2p = `127.0.0.1:${await freePort()}`;
  const certPath = join(btcdDir, 'rpc.cert');
  const btcdArgs = (miningAddress) => [
    '--regtest',
    `--datadir=${join(btcdDir, 'data')}`,
    `--logdir=${join(btcdDir, 'logs')}`,
    `--rpcuser=${rpc.user}`,
    `--rpcpass=${rpc.pass}`,
    `--rpclisten=${rpc.host}`,
    `--listen=${btcdP2p}`,
    `--rpccert=${certPath}`,
    `--rpckey=${join(btcdDir, 'rpc.key')}`,
    '--txindex',
    '--nobanning',
    ...(miningAddress ? [`--miningaddr=${miningAddress}`] : []),
  ];
  const btcdLog = join(btcdDir, 'btcd.out');
  const startBtcd = async (miningAddress) => {
    const d = launch('btcd', 'btcd', btcdArgs(miningAddress), btcdLog);
    await waitFor(
      'btcd RPC',
      async () => {
        if (d.exited()) throw new Error(`btcd exited (${d.exited()})`);
        if (!existsSync(certPath)) return false;
        rpc.cert = readFileSync(certPath);
        return (await btcdCall(rpc, 'getblockcount')) >= 0;
      },
      { timeoutMs: 30_000, onTimeout: () => tailLog(btcdLog) },
    );
    return d;
  };
  const mine = async (n) => {
    await btcdCall(rpc, 'generate', [n]);
    return btcdCall(rpc, 'getblockcount');
  };

  // btcd has no generatetoaddress: coinbase goes to its --miningaddr, so it is restarted with the
  // `node` wallet's address once lnd made one. lnd is stopped around that restart (its wallet's
  // chain client does not recover from losing btcd) and no block exists before it.
  log('regtest: starting btcd');
  let btcd = await startBtcd();

  const lndArgs = (n) => [
    `--lnddir=${n.lnddir}`,
    `--alias=${n.name}`,
    `--rpclisten=${n.grpcHost}`,
    `--listen=${n.p2pHost}`,
    `--externalip=${n.p2pHost}`,
    '--norest',
    '--bitcoin.regtest',
    '--bitcoin.node=btcd',
    `--btcd.rpchost=${rpc.host}`,
    `--btcd.rpcuser=${rpc.user}`,
    `--btcd.rpcpass=${rpc.pass}`,
    `--btcd.rpccert=${certPath}`,
    '--noseedbackup',
    '--nobootstrap',
    '--trickledelay=50',
    '--maxpendingchannels=10',
    '--protocol.wumbo-channels',
    '--debuglevel=info',
  ];
  const startLnd = async (n) => {
    const daemon = launch(n.name, 'lnd', lndArgs(n), n.logFile);
    n.daemon = daemon;
    await waitFor(
      `lnd ${n.name} to create its wallet`,
      () => {
        if (daemon.exited()) throw new Error(`lnd ${n.name} exited (${daemon.exited()})`);
        return existsSync(n.macaroonPath) && existsSync(n.tlsCertPath);
      },
      { timeoutMs: 90_000, onTimeout: () => tailLog(n.logFile) },
    );
    n.cert = readFileSync(n.tlsCertPath).toString('base64');
    n.macaroon = readFileSync(n.macaroonPath).toString('base64');
    n.lnd = authenticatedLndGrpc({ cert: n.cert, macaroon: n.macaroon, socket: n.grpcHost }).lnd;
    const info = await waitFor(
      `lnd ${n.name} RPC`,
      async () => {
        if (daemon.exited()) throw new Error(`lnd ${n.name} exited (${daemon.exited()})`);
        return getWalletInfo({ lnd: n.lnd });
      },
      { timeoutMs: 90_000, onTimeout: () => tailLog(n.logFile) },
    );
    n.pubkey = info.public_key;
    return n;
  };
  const closeGrpc = (n) => {
    for (const service of Object.values(n.lnd ?? {})) service?.close?.();
  };

  const nodes = [];
  for (const name of NODE_NAMES) {
    const lnddir = join(root, name);
    mkdirSync(lnddir);
    nodes.push({
      name,
      lnddir,
      grpcHost: `127.0.0.1:${await freePort()}`,
      p2pHost: `127.0.0.1:${await freePort()}`,
      logFile: join(lnddir, 'lnd.out'),
      tlsCertPath: join(lnddir, 'tls.cert'),
      macaroonPath: join(lnddir, 'data', 'chain', 'bitcoin', 'regtest', 'admin.macaroon'),
    });
  }
  const [node, buyer, seller] = nodes;
  const dumpLogs = () => [btcdLog, ...nodes.map((n) => n.logFile)].map((f) => `--- ${f}\n${tailLog(f, 15)}`).join('\n');

  log('regtest: creating the node wallet');
  await startLnd(node);
  const { address: nodeAddress } = await createChainAddress({ lnd: node.lnd, format: 'p2wpkh' });
  closeGrpc(node);
  await stopProcess(node.daemon.pid, 15_000);
  await stopProcess(btcd.pid);
  btcd = await startBtcd(nodeAddress);

  log('regtest: starting lnd node, buyer, seller');
  await Promise.all(nodes.map(startLnd));

  const waitSynced = async (height) =>
    Promise.all(
      nodes.map((n) =>
        waitFor(
          `lnd ${n.name} to sync to height ${height}`,
          async () => {
            const info = await getWalletInfo({ lnd: n.lnd });
            return info.is_synced_to_chain && info.current_block_height >= height;
          },
          { timeoutMs: 90_000, onTimeout: () => tailLog(n.logFile) },
        ),
      ),
    );

  // Regtest activates segwit and taproot by BIP9 signalling over 144-block windows (active from
  // height 432), and coinbase needs 100 confirmations: 500 blocks cover both.
  log('regtest: mining 500 blocks to node');
  await waitSynced(await mine(500));
  await waitFor('node to have mature coins', async () => (await getChainBalance({ lnd: node.lnd })).chain_balance > 0, {
    timeoutMs: 60_000,
    onTimeout: dumpLogs,
  });

  log('regtest: funding buyer and seller');
  const sendTo = await Promise.all(
    [buyer, seller].map(async (n) => ({
      address: (await createChainAddress({ lnd: n.lnd, format: 'p2wpkh' })).address,
      tokens: FUNDING_SATS,
    })),
  );
  await sendToChainAddresses({ lnd: node.lnd, send_to: sendTo });
  await waitSynced(await mine(6));
  for (const n of [buyer, seller]) {
    await waitFor(
      `${n.name} to see its coins`,
      async () => (await getChainBalance({ lnd: n.lnd })).chain_balance >= FUNDING_SATS,
      { timeoutMs: 60_000, onTimeout: dumpLogs },
    );
  }

  log('regtest: opening channels');
  for (const n of [buyer, seller]) {
    await waitFor(
      `${n.name} to connect to node`,
      () => addPeer({ lnd: n.lnd, public_key: node.pubkey, socket: node.p2pHost }).then(() => true),
      { timeoutMs: 30_000, intervalMs: 1000, onTimeout: dumpLogs },
    );
  }
  // Both directions with each peer: anyone can pay anyone through `node`, and either peer can play
  // the seller (paying node's hold invoices) or the buyer (paid by node).
  const opens = [
    [seller, node],
    [buyer, node],
    [node, buyer],
    [node, seller],
  ];
  for (const [from, to] of opens) {
    await waitFor(
      `${from.name} to open a channel to ${to.name}`,
      async () => {
        // Retry only while no funding exists: an error after broadcasting must not open a second one.
        const { pending_channels } = await getPendingChannels({ lnd: from.lnd });
        if (pending_channels.some((c) => c.partner_public_key === to.pubkey && !c.is_partner_initiated)) return true;
        return openChannel({ lnd: from.lnd, partner_public_key: to.pubkey, local_tokens: CHANNEL_SATS });
      },
      { timeoutMs: 30_000, intervalMs: 1000, onTimeout: dumpLogs },
    );
  }
  await waitSynced(await mine(6));
  for (const n of nodes) {
    const expected = n === node ? 4 : 2;
    await waitFor(
      `${n.name} to have ${expected} active channels`,
      async () => (await getChannels({ lnd: n.lnd, is_active: true })).channels.length === expected,
      { timeoutMs: 60_000, onTimeout: dumpLogs },
    );
  }
  // Public channels are announced after 6 confirmations; wait until every node knows all of them.
  let nudges = 0;
  for (const n of nodes) {
    await waitFor(
      `${n.name} to know the whole graph`,
      async () => {
        const graph = await getNetworkGraph({ lnd: n.lnd });
        const complete = graph.channels.length === opens.length && graph.nodes.length === nodes.length;
        if (!complete && ++nudges % 20 === 0) await mine(1);
        return complete;
      },
      { timeoutMs: 90_000, intervalMs: 500, onTimeout: dumpLogs },
    );
  }
  await waitSynced(await btcdCall(rpc, 'getblockcount'));

  const env = {
    MOSTRO_REGTEST: '1',
    MOSTRO_REGTEST_DIR: root,
    MOSTRO_REGTEST_BIN_DIR: bin,
    MOSTRO_REGTEST_LNCLI: join(bin, 'lncli'),
    MOSTRO_REGTEST_MINE_SCRIPT: join(here, 'mine.mjs'),
    MOSTRO_REGTEST_BTCD_RPC_HOST: rpc.host,
    MOSTRO_REGTEST_BTCD_RPC_USER: rpc.user,
    MOSTRO_REGTEST_BTCD_RPC_PASS: rpc.pass,
    MOSTRO_REGTEST_BTCD_RPC_CERT: rpc.cert.toString('base64'),
    MOSTRO_REGTEST_BTCD_RPC_CERT_PATH: certPath,
  };
  for (const n of nodes) {
    const p = `MOSTRO_REGTEST_${n.name.toUpperCase()}`;
    Object.assign(env, {
      [`${p}_GRPC_HOST`]: n.grpcHost,
      [`${p}_TLS_CERT`]: n.cert,
      [`${p}_TLS_CERT_PATH`]: n.tlsCertPath,
      [`${p}_MACAROON`]: n.macaroon,
      [`${p}_MACAROON_PATH`]: n.macaroonPath,
      [`${p}_PUBKEY`]: n.pubkey,
      [`${p}_P2P_HOST`]: n.p2pHost,
      [`${p}_LNDDIR`]: n.lnddir,
    });
    closeGrpc(n);
  }
  return { env };
}
