// The web tests' world: a real `mostrod` on the embedded defaults (free ports, temp data dir)
// serving the built app, Debian's Chromium through playwright-core (no browser download), one
// browser context per person, every request and WebSocket of each page recorded, axe-core run as
// a script (page.evaluate is not subject to the page's CSP), screenshots under test-artifacts/.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { AdminClient, MemorySessionStore, MostroClient, type PrivacyMode, Session, TradeChat } from '@mostro/client';
import { nodeRelayPool } from '@mostro/nostr/node';
import { nip19 } from 'nostr-tools';
import { generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { type Mostrod, SimWallet, startMostrod } from '../../../test/e2e/support/mostrod.ts';
import { freePort, tempDir } from '../../../test/e2e/support/processes.ts';

export const ARTIFACTS = fileURLToPath(new URL('../test-artifacts/', import.meta.url));
const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface Stack {
  node: Mostrod;
  web: string;
  browser: Browser;
  stop(): Promise<void>;
}

export async function startStack(env: Record<string, string> = {}): Promise<Stack> {
  const webPort = await freePort();
  const node = await startMostrod(tempDir('mostro-web-'), { MOSTRO_WEB_PORT: String(webPort), ...env });
  const [, web] = (await node.proc.waitFor(/web:\s+(http:\/\/\S+)/, 30_000)) as [string, string];
  const browser = await chromium.launch({
    executablePath: process.env.MOSTRO_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    node,
    web,
    browser,
    async stop() {
      await browser.close().catch(() => {});
      await node.stop();
    },
  };
}

export interface Person {
  name: string;
  context: BrowserContext;
  page: Page;
  /** Every URL the page requested or opened a WebSocket to. */
  requests: string[];
}

/** `initScript` runs in every page of the person's context before the app (e.g. a WebLN provider). */
export async function person(stack: Stack, name: string, initScript?: string): Promise<Person> {
  const context = await stack.browser.newContext({ viewport: { width: 375, height: 812 } });
  if (initScript) await context.addInitScript(initScript);
  const page = await context.newPage();
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('websocket', (ws) => requests.push(ws.url()));
  page.on('pageerror', (e) => console.error(`[${name}] page error: ${e.message}`));
  await page.goto(stack.web);
  return { name, context, page, requests };
}

export async function screenshot(p: Person, screen: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await p.page.screenshot({ path: join(ARTIFACTS, `${screen}.png`), fullPage: true });
}

/** axe-core's serious and critical violations on the current screen. */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const result = (await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> };
      }
    ).axe;
    return axe.run();
  })) as { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] };
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Creates an identity through the screens: 12 words shown, three re-entered. */
export async function createIdentity(p: Person, passphrase: string, fullPrivate = false): Promise<string[]> {
  const { page } = p;
  await page.getByRole('button', { name: 'Create a new identity' }).click();
  if (fullPrivate) await page.getByLabel(/Full privacy mode/).check();
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByLabel('Passphrase again').fill(passphrase);
  await page.getByRole('button', { name: 'Continue' }).click();
  // The words appear once the session is sealed (scrypt: seconds on a loaded machine).
  await page.getByTestId('mnemonic').locator('li').nth(11).waitFor({ timeout: 60_000 });
  const words = (await page.getByTestId('mnemonic').locator('li').allTextContents()).map((t) =>
    t.replace(/^\s*\d+\s*/, '').trim(),
  );
  await page.getByRole('button', { name: 'I wrote them down' }).click();
  for (const input of await page.locator('input[id^="w"]').all()) {
    const label = await page.locator(`label[for="${await input.getAttribute('id')}"]`).textContent();
    const n = Number(label?.match(/\d+/)?.[0]);
    await input.fill(words[n - 1] as string);
  }
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('link', { name: 'Order book' }).waitFor({ timeout: 60_000 });
  return words;
}

/** Fills the new-order form for a fixed-sats sell order and sends it. */
export async function sellOrder(page: Page, usd: number, sats: number, method: string) {
  await page.getByRole('link', { name: 'New order' }).click();
  await page.getByLabel('Sell sats').check();
  await page.getByLabel('Amount in USD').fill(String(usd));
  await page.getByLabel('A fixed number of sats').check();
  await page.getByLabel('Sats', { exact: true }).fill(String(sats));
  await page.getByLabel(/Payment methods/).fill(method);
  await page.getByRole('button', { name: 'Publish the order' }).click();
}

/** The order id of the trade page the person is on (`#/trade/<id>`). */
export async function tradeIdOf(p: Person): Promise<string> {
  await p.page.waitForFunction(() => location.hash.startsWith('#/trade/'), undefined, { timeout: 60_000 });
  return (await p.page.evaluate(() => location.hash)).slice('#/trade/'.length);
}

/** The simulated wallet the app chose for this person (its name is in the app's prefs), from Node. */
export async function walletOf(stack: Stack, p: Person): Promise<SimWallet> {
  const name = await p.page.evaluate(
    () => (JSON.parse(localStorage.getItem('mostro:prefs') ?? '{}') as { walletName?: string }).walletName,
  );
  if (!name || !stack.node.wallet) throw new Error(`${p.name} has no simulated wallet`);
  return new SimWallet(stack.node.wallet, name);
}

export async function waitForStatus(p: Person, status: string | RegExp): Promise<void> {
  await p.page.getByTestId('status').filter({ hasText: status }).waitFor({ timeout: 60_000 });
}

/** Publishes a fixed-price sell order through the screens; returns its id. */
export async function publishSellOrder(p: Person, fiat: number, sats: number): Promise<string> {
  await sellOrder(p.page, fiat, sats, 'bank transfer');
  await waitForStatus(p, 'Published');
  return tradeIdOf(p);
}

/**
 * A sell order of `fiat` USD taken by `buyer` (payout invoice from the simulated wallet), the
 * seller paying the hold invoice from the simulated wallet: both pages end at "Escrow locked".
 */
export async function sellTradeToActive(seller: Person, buyer: Person, fiat: number, sats: number): Promise<string> {
  const id = await publishSellOrder(seller, fiat, sats);
  await takeSellOrder(buyer, id);
  await seller.page.getByRole('button', { name: 'Pay from the simulated wallet' }).click({ timeout: 60_000 });
  await waitForStatus(seller, 'Escrow locked');
  await waitForStatus(buyer, 'Escrow locked');
  return id;
}

/** The buyer takes sell order `id` from the book and gives a payout invoice from the simulated wallet. */
export async function takeSellOrder(buyer: Person, id: string): Promise<void> {
  const b = buyer.page;
  await b.getByRole('link', { name: 'Order book' }).click();
  await b.locator(`[data-order="${id}"]`).getByRole('button', { name: 'Buy', exact: true }).click({ timeout: 30_000 });
  await b.getByRole('button', { name: 'Take the order', exact: true }).click();
  await b.getByRole('button', { name: 'Invoice from the simulated wallet' }).click({ timeout: 60_000 });
  await b.waitForFunction(() => (document.getElementById('payout') as HTMLInputElement)?.value.startsWith('ln'));
  await b.getByRole('button', { name: 'Send the invoice' }).click();
}

/** Sends a chat line from `from` and waits until `to` shows it. */
export async function chatLine(from: Person, to: Person, text: string): Promise<void> {
  await from.page.getByLabel('Message').fill(text);
  await from.page.getByRole('button', { name: 'Send', exact: true }).click();
  await to.page.getByTestId('chat').getByText(text).waitFor({ timeout: 30_000 });
}

/** Clicks a trade action and confirms it in its dialog (whose button has the same name unless `confirm`). */
export async function confirmAction(
  p: Person,
  name: string,
  opts: { confirm?: string; checks?: ScreenChecks; screen?: string } = {},
): Promise<void> {
  await p.page.getByRole('button', { name, exact: true }).click({ timeout: 60_000 });
  const dialog = p.page.getByRole('dialog');
  await dialog.waitFor();
  if (opts.screen) await (opts.checks ? opts.checks.check(p, opts.screen) : screenshot(p, opts.screen));
  await dialog.getByRole('button', { name: opts.confirm ?? name, exact: true }).click();
  await dialog.waitFor({ state: 'detached', timeout: 60_000 });
}

/** Screenshots and axe results of the screens a test visited, checked once at its end. */
export class ScreenChecks {
  readonly violations: Record<string, string[]> = {};
  async check(p: Person, screen: string): Promise<void> {
    await screenshot(p, screen);
    this.violations[screen] = await axeViolations(p.page);
  }
  failures(): [string, string[]][] {
    return Object.entries(this.violations).filter(([, v]) => v.length > 0);
  }
}

/** A solver as the admin tools are: a plain key driving the SDK's AdminClient from Node. */
export interface Solver {
  admin: AdminClient;
  chat: TradeChat;
  close(): void;
}

/** An SDK client of its own (fresh session in memory) on the stack's node, from Node. */
export async function nodeSdkClient(stack: Stack, privacy: PrivacyMode) {
  const pool = nodeRelayPool({ relays: [stack.node.relay] });
  const session = await Session.create(new MemorySessionStore(), 'solver', {
    privacy,
    scrypt: { N: 2 ** 10, r: 8, p: 1 },
  });
  const client = new MostroClient({ session, pool, node: stack.node.pubkey, privacy, timeoutMs: 30_000 });
  return { pool, session, client };
}

/** The node's operator (its own key) adds a new solver; returns that solver's SDK side. */
export async function addSolver(stack: Stack): Promise<Solver> {
  const operator = await nodeSdkClient(stack, 'full-private');
  const nodeSk = stack.node.secretKey();
  try {
    const sk = generateSecretKey();
    const publicKey = getPublicKey(sk);
    await new AdminClient(operator.client, { secretKey: nodeSk, publicKey: stack.node.pubkey }).addSolver(
      nip19.npubEncode(publicKey),
    );
    const own = await nodeSdkClient(stack, 'full-private');
    return {
      admin: new AdminClient(own.client, { secretKey: sk, publicKey }),
      chat: new TradeChat(own.session, own.pool),
      close: () => own.pool.close(),
    };
  } finally {
    operator.pool.close();
  }
}

export interface Traders {
  stack: Stack;
  /** Reputation mode. */
  alice: Person;
  /** Full privacy mode. */
  bob: Person;
}

/**
 * Call inside a describe: before its tests, a stack and two people with identities; after them,
 * everything stopped. The fields are set once the before hook has run.
 */
export function traders(): Traders {
  const t = {} as Traders;
  before(async () => {
    t.stack = await startStack();
    t.alice = await person(t.stack, 'alice');
    t.bob = await person(t.stack, 'bob');
    await createIdentity(t.alice, 'alice passphrase');
    await createIdentity(t.bob, 'bob passphrase', true);
  });
  after(async () => {
    await t.stack?.stop();
  });
  return t;
}

/**
 * Signs in to the solver console (#/console) with a secret key (an nsec, or 12 words read as the
 * NIP-06 Nostr key), sealed under `passphrase`.
 */
export async function consoleSignIn(
  p: Person,
  web: string,
  secret: string,
  passphrase: string,
  as: 'nsec' | 'nip06-words' = 'nsec',
): Promise<void> {
  const { page } = p;
  await page.goto(`${web}/#/console`);
  if (as === 'nsec') {
    await page.getByLabel('A secret key (nsec)').check({ timeout: 30_000 });
    await page.getByLabel('Secret key (nsec1…)').fill(secret);
  } else {
    await page.getByLabel('12 or 24 words: the Nostr key (NIP-06)').check({ timeout: 30_000 });
    await page.getByLabel('The words, separated by spaces').fill(secret);
  }
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByLabel('Passphrase again').fill(passphrase);
  await page.getByRole('button', { name: 'Seal and sign in' }).click();
  await page.getByTestId('solver-key').waitFor({ timeout: 60_000 });
}

/**
 * A sell order by `seller` taken by `buyer`, up to the escrow locked on both screens (payout
 * invoice and hold invoice through the simulated wallet). Leaves both on the trade page.
 */
export async function lockedSellTrade(seller: Person, buyer: Person, usd: number, sats: number): Promise<void> {
  await sellTradeToActive(seller, buyer, usd, sats);
}

/** The simulated wallet's balance as the wallet page shows it (the page is left on #/wallet). */
export async function walletBalance(p: Person, web: string): Promise<number> {
  await p.page.goto(`${web}/#/wallet`);
  const balance = p.page.getByTestId('balance');
  await balance.filter({ hasText: /\d/ }).waitFor({ timeout: 30_000 });
  return Number((await balance.textContent())?.replace(/[^\d]/g, ''));
}

/** Screenshots of named screens, each checked with axe-core; `bad()` lists the screens that failed. */
export function screenChecks() {
  const checks = new ScreenChecks();
  return { check: (p: Person, screen: string) => checks.check(p, screen), bad: () => checks.failures() };
}

/** The party on its trade page opens a dispute (through the confirmation) and sees it open. */
export async function openDispute(p: Person): Promise<void> {
  await p.page.getByRole('button', { name: 'Open a dispute' }).click();
  await p.page.getByRole('dialog').getByRole('button', { name: 'Open a dispute' }).click();
  await p.page.getByTestId('status').filter({ hasText: 'In dispute' }).waitFor({ timeout: 60_000 });
}

/** One browser context per name, opened one after the other (each loads the app). */
export async function people<N extends string>(stack: Stack, names: readonly N[]): Promise<Record<N, Person>> {
  const out = {} as Record<N, Person>;
  for (const n of names) out[n] = await person(stack, n);
  return out;
}
