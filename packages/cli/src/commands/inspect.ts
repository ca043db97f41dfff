// `mostro inspect`: open one Nostr event (JSON on stdin) with the key in MOSTRO_INSPECT_KEY and show
// every layer, every check and the message. Exit 0: everything decrypted and passed; 1: a check
// failed or the event is not for that key; 2: unusable input (one error line on stderr).
import { parseArgs } from 'node:util';
import { parseSecretKey, readNostrEvent } from '@mostro/protocol';
import { inspectPublicEvent, isPublicKind } from '../inspect/public.ts';
import { type InspectReport, inspectEvent } from '../inspect/report.ts';
import { jsonFromEnv } from '../lib/globals.ts';

export const summary =
  "decode one event from stdin: a node's public events (orders, info, disputes, ratings, health, …) without a key; messages and chat with MOSTRO_INSPECT_KEY";
const USAGE = 'usage: mostro inspect [--json] < event.json   (key in MOSTRO_INSPECT_KEY: hex or nsec)';

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function unusable(message: string): number {
  console.error(`mostro inspect: ${message}`);
  return 2;
}

const time = (t: number) => `${t} (${new Date(t * 1000).toISOString().replace('.000Z', 'Z')})`;

function render(r: InspectReport): string[] {
  const out: string[] = [];
  for (const [i, layer] of r.layers.entries()) {
    out.push(`layer ${i + 1}: ${layer.name}`);
    const e = layer.event;
    if ('plaintext' in e) out.push(`  ${String(e.plaintext)}`);
    else {
      out.push(`  kind ${e.kind}  pubkey ${e.pubkey}`);
      out.push(`  created_at ${time(e.created_at as number)}${e.id ? `  id ${e.id}` : ''}`);
      if (Array.isArray(e.tags) && e.tags.length > 0) out.push(`  tags ${JSON.stringify(e.tags)}`);
    }
  }
  out.push('checks:');
  for (const c of r.checks) {
    const mark =
      c.verdict === 'pass' ? 'ok  ' : c.verdict === 'fail' ? 'FAIL' : c.verdict === 'absent' ? '--  ' : '..  ';
    out.push(
      `  ${mark} ${c.name}${c.verdict === 'absent' || c.verdict === 'not reached' ? ` (${c.verdict})` : ''}${c.detail ? ` — ${c.detail}` : ''}`,
    );
  }
  if (r.message) {
    out.push('message (canonical):', `  ${r.message}`);
    out.push(
      `sender (trade key) ${r.sender}`,
      `identity           ${r.identity}`,
      `created_at         ${time(r.createdAt!)}`,
    );
  }
  if (r.chat) {
    out.push('chat text:', `  ${r.chat.text}`, `author     ${r.chat.author}`, `created_at ${time(r.chat.createdAt)}`);
  }
  out.push(r.ok ? 'verdict: OK' : `verdict: FAILED (${r.error})`);
  return out;
}

export async function run(argv: string[]): Promise<number> {
  let json = false;
  try {
    const { values } = parseArgs({
      args: argv,
      options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    });
    if (values.help) {
      console.log(`${USAGE}\n${summary}`);
      return 0;
    }
    json = values.json === true || jsonFromEnv();
  } catch (e) {
    return unusable(`${(e as Error).message} (${USAGE})`);
  }
  const text = (await readStdin()).trim();
  if (!text) return unusable('no event on stdin (pipe one Nostr event as JSON)');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return unusable('stdin is not JSON (expected one Nostr event)');
  }
  const event = readNostrEvent(parsed);
  if (!event) return unusable('stdin is not a Nostr event (needs id, pubkey, created_at, kind, tags, content, sig)');
  if (isPublicKind(event.kind)) {
    // Published in the clear: no key needed.
    const pub = inspectPublicEvent(event);
    if (json) console.log(JSON.stringify(pub, null, 2));
    else {
      console.log(`${pub.name}\n  signature ${pub.signature}`);
      console.log(pub.data !== undefined ? JSON.stringify(pub.data, null, 2) : `  error: ${pub.error}`);
      console.log(pub.ok ? 'verdict: OK' : 'verdict: FAILED');
    }
    return pub.ok ? 0 : 1;
  }
  if (event.kind !== 14 && event.kind !== 1059) {
    return unusable(`event kind ${event.kind} is not a Mostro event (messages and chat: 1059 or 14)`);
  }
  const keyText = process.env.MOSTRO_INSPECT_KEY;
  if (!keyText?.trim()) return unusable('MOSTRO_INSPECT_KEY is not set (a secret key: 64 hex characters or nsec1…)');
  const key = parseSecretKey(keyText);
  if (!key) return unusable('MOSTRO_INSPECT_KEY is not a valid secret key (64 hex characters or nsec1…)');

  const report = inspectEvent(event, key);
  if (!report) {
    if (json) console.log(JSON.stringify({ forKey: false, ok: false, error: 'not addressed to this key' }, null, 2));
    else console.log(`event ${event.id} (kind ${event.kind}) does not decrypt with this key: not addressed to it`);
    return 1;
  }
  console.log(json ? JSON.stringify(report, null, 2) : render(report).join('\n'));
  return report.ok ? 0 : 1;
}
