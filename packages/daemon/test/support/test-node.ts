// A real node for tests: a temp data dir with the embedded defaults (embedded relay, simulated
// Lightning, SQLite), on free ports, with settings overridable per test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesToHex } from '@noble/hashes/utils.js';
import { generateSecretKey } from 'nostr-tools/pure';
import { parse as parseToml } from 'smol-toml';
import type { Logger } from '../../src/app/context.ts';
import type { Clock } from '../../src/clock.ts';
import { defaultConfigToml, parseSettings, type Settings } from '../../src/config/index.ts';
import type { LightningBackend } from '../../src/lightning/backend.ts';
import { silentLogger } from '../../src/node/log.ts';
import { type MostroNode, startNode } from '../../src/node.ts';
import { freePort } from './ports.ts';

export interface TestNodeOptions {
  /** Dotted overrides applied to the parsed default config, e.g. { 'mostro.fee': 0.01 }. */
  settings?: Record<string, unknown>;
  dataDir?: string;
  secretKey?: Uint8Array;
  clock?: Clock;
  lightning?: LightningBackend;
  relays?: string[];
  embeddedRelay?: boolean;
  /** Restart: same settings (ports, key) and data directory as this earlier node. */
  restartOf?: TestNode;
  /** The node's log (default: silent, or the console with MOSTRO_DEBUG). */
  log?: Logger;
}

export interface TestNode {
  node: MostroNode;
  settings: Settings;
  dataDir: string;
  secretKey: Uint8Array;
  stop(options?: { keepData?: boolean }): Promise<void>;
}

export async function testSettings(options: TestNodeOptions, secretKey: Uint8Array): Promise<Settings> {
  const doc = parseToml(defaultConfigToml(bytesToHex(secretKey))) as Record<string, Record<string, unknown>>;
  doc.relay = { ...doc.relay, port: await freePort(), embedded: options.embeddedRelay ?? true };
  doc.wallet = { ...doc.wallet, port: await freePort() };
  // An ephemeral port: many test nodes run at once.
  doc.metrics = { ...doc.metrics, port: 0 };
  if (options.relays) doc.nostr = { ...doc.nostr, relays: options.relays };
  for (const [path, value] of Object.entries(options.settings ?? {})) {
    const [section, key] = path.split('.') as [string, string];
    doc[section] = { ...doc[section], [key]: value };
  }
  const result = parseSettings(doc);
  if (!result.ok) throw new Error(`test settings: ${result.errors.join('; ')}`);
  return result.settings;
}

export async function startTestNode(options: TestNodeOptions = {}): Promise<TestNode> {
  const previous = options.restartOf;
  const secretKey = previous?.secretKey ?? options.secretKey ?? generateSecretKey();
  const dataDir = previous?.dataDir ?? options.dataDir ?? mkdtempSync(join(tmpdir(), 'mostrod-test-'));
  let settings = previous?.settings ?? (await testSettings(options, secretKey));
  const start = () =>
    startNode({
      settings,
      dataDir,
      log: options.log ?? (process.env.MOSTRO_DEBUG ? undefined : silentLogger),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.lightning ? { lightning: options.lightning } : {}),
    });
  let node: MostroNode;
  // A free port can be taken by another test between choosing it and binding it: choose again.
  for (let attempt = 1; ; attempt++) {
    try {
      node = await start();
      break;
    } catch (error) {
      const taken = (error as { code?: string })?.code === 'EADDRINUSE';
      if (!taken || previous || attempt >= 3) throw error;
      settings = await testSettings(options, secretKey);
    }
  }
  return {
    node,
    settings,
    dataDir,
    secretKey,
    async stop(stopOptions = {}) {
      await node.stop();
      if (!stopOptions.keepData && !options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
