// `mostrod`: `mostrod init` writes a config with a fresh node key; `mostrod` (or `mostrod run`)
// runs the node. Without a config, `mostrod` initializes the embedded defaults first, so that one
// command runs a whole node on a fresh machine.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CONFIG_FILE_NAME, initConfig, loadConfig } from './config/index.ts';
import { solverPermission } from './disputes/access.ts';
import { StartupError } from './node/listen.ts';
import { startNode } from './node.ts';
import { startWebServer, type WebServer } from './web/server.ts';

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

const USAGE = `usage: mostrod [run|init] [--data-dir DIR] [--config FILE] [--force]

  run    run the node (default); initializes the embedded defaults if there is no config
  init   write DIR/${CONFIG_FILE_NAME} with a fresh node key and the embedded defaults

  --data-dir DIR   default $MOSTRO_DATA_DIR or ~/.mostrod
  --config FILE    default DIR/${CONFIG_FILE_NAME}
  every setting can be overridden by MOSTRO_<SECTION>_<KEY>, e.g. MOSTRO_MOSTRO_FEE=0.006`;

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    console.error(`mostrod: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const command = positionals[0] ?? 'run';
  const dataDir = resolve(values['data-dir'] ?? process.env.MOSTRO_DATA_DIR ?? join(homedir(), '.mostrod'));
  const configPath = resolve(values.config ?? join(dataDir, CONFIG_FILE_NAME));

  if (command === 'init') {
    const result = initConfig(dirname(configPath), { force: values.force ?? false });
    if (!result.ok) {
      console.error(`mostrod: ${result.error}`);
      return 1;
    }
    console.log(`wrote ${result.path}\nnode key: ${result.npub}`);
    return 0;
  }
  if (command !== 'run') {
    console.error(`mostrod: unknown command '${command}'\n${USAGE}`);
    return 2;
  }
  if (!existsSync(configPath)) {
    const result = initConfig(dirname(configPath));
    if (!result.ok) {
      console.error(`mostrod: ${result.error}`);
      return 1;
    }
    console.log(`no config found: wrote the embedded defaults to ${result.path}`);
  }
  const config = loadConfig(configPath, process.env);
  if (!config.ok) {
    console.error(`mostrod: ${configPath} has problems:\n${config.errors.map((e) => `  - ${e}`).join('\n')}`);
    return 1;
  }
  // Listen for the stop signals before saying we run: whoever reads the banner may stop us at once.
  // SIGHUP too: a closed terminal stops the node cleanly instead of killing it mid-write.
  const stopped = new Promise<void>((done) => {
    for (const signal of STOP_SIGNALS) process.once(signal, () => done());
  });
  let node: Awaited<ReturnType<typeof startNode>>;
  try {
    node = await startNode({ settings: config.settings, dataDir: dirname(configPath) });
  } catch (error) {
    console.error(`mostrod: cannot start: ${startupFailure(error)}`);
    return 1;
  }
  const web = config.settings.web;
  let webServer: WebServer | null = null;
  if (web.enabled) {
    webServer = await startWebServer({
      host: web.host,
      port: web.port,
      node: node.npub,
      relays: node.relays,
      simulated: node.simulated,
      walletUrl: node.walletUrl,
      admin: node.admin.http,
      solverPermission: (pubkey) => (pubkey === node.pubkey ? 'node' : solverPermission(node.ctx, pubkey)),
    }).catch((error: Error) => {
      console.error(`mostrod: web.port ${web.port}: ${error.message} (the node runs without the web client)`);
      return null;
    });
  }
  console.log(node.banner());
  if (webServer) {
    console.log(`  web:    ${webServer.url}${webServer.built ? '' : ' (not built: npm run build -w @mostro/web)'}`);
    if (node.admin.http) console.log(`  console: ${webServer.url}/#/console (token: rpc.auth_token in ${configPath})`);
  }
  await stopped;
  console.log('mostrod: stopping');
  await webServer?.close();
  await node.stop();
  return 0;
}

/** One line for what the operator can fix; the stack of anything else only with MOSTRO_DEBUG. */
function startupFailure(error: unknown): string {
  if (error instanceof StartupError) return error.message;
  if (process.env.MOSTRO_DEBUG) return String((error as Error)?.stack ?? error);
  return `${(error as Error)?.message ?? String(error)} (MOSTRO_DEBUG=1 shows the stack)`;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string' },
      config: { type: 'string' },
      force: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

process.exitCode = await main(process.argv.slice(2));
