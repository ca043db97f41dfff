// The web tests' world: a real `mostrod` on the embedded defaults (free ports, temp data dir)
// serving the built app, Debian's Chromium through playwright-core (no browser download), one
// browser context per person, every request and WebSocket of each page recorded, axe-core run as
// a script (page.evaluate is not subject to the page's CSP), screenshots under test-artifacts/.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { type Mostrod, startMostrod } from '../../../test/e2e/support/mostrod.ts';
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

export async function person(stack: Stack, name: string): Promise<Person> {
  const context = await stack.browser.newContext({ viewport: { width: 375, height: 812 } });
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
  await page.getByLabel('Amount in USD').fill(String(usd));
  await page.getByLabel('A fixed number of sats').check();
  await page.getByLabel('Sats', { exact: true }).fill(String(sats));
  await page.getByLabel(/Payment methods/).fill(method);
  await page.getByRole('button', { name: 'Publish the order' }).click();
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
  const s = seller.page;
  await sellOrder(s, usd, sats, 'bank transfer');
  await s.getByTestId('status').filter({ hasText: 'Published' }).waitFor({ timeout: 60_000 });
  const b = buyer.page;
  await b.getByRole('link', { name: 'Order book' }).click();
  const row = b.locator('[data-order]').filter({ hasText: `${usd} USD` });
  await row.waitFor({ timeout: 30_000 });
  await row.getByRole('button', { name: 'Buy', exact: true }).click();
  await b.getByRole('button', { name: 'Take the order', exact: true }).click();
  await b.getByRole('button', { name: 'Invoice from the simulated wallet' }).click({ timeout: 60_000 });
  await b.waitForFunction(() => (document.getElementById('payout') as HTMLInputElement)?.value.startsWith('ln'));
  await b.getByRole('button', { name: 'Send' }).click();
  await s.getByRole('button', { name: 'Pay from the simulated wallet' }).click({ timeout: 60_000 });
  await s.getByTestId('status').filter({ hasText: 'Escrow locked' }).waitFor({ timeout: 60_000 });
  await b.getByTestId('status').filter({ hasText: 'Escrow locked' }).waitFor({ timeout: 60_000 });
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
  const found: Record<string, string[]> = {};
  return {
    async check(p: Person, screen: string): Promise<void> {
      await screenshot(p, screen);
      found[screen] = await axeViolations(p.page);
    },
    bad: () => Object.entries(found).filter(([, v]) => v.length > 0),
  };
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
