// Privacy checks over what a relay saw and what the node stored. Each returns the list of
// violations (empty = pass), so a failing test names exactly what leaked where.
import { readFileSync } from 'node:fs';
import { channelFromKey, type NostrEvent, openChatWith, unwrapMessage } from '@mostro/protocol';
import { bytesToHex } from '@noble/hashes/utils.js';
import type Database from 'better-sqlite3';
import { nip19 } from 'nostr-tools';

/** Ways a key can be written: hex and bech32. */
export function publicKeyForms(hex: string): string[] {
  return [hex, nip19.npubEncode(hex)];
}
export function secretKeyForms(sk: Uint8Array): string[] {
  return [bytesToHex(sk), nip19.nsecEncode(sk)];
}

/** Events (as JSON text: content, tags, every field) that contain any needle. */
export function eventsContaining(events: NostrEvent[], needles: string[]): { event: string; needle: string }[] {
  const hits: { event: string; needle: string }[] = [];
  for (const e of events) {
    const text = JSON.stringify(e).toLowerCase();
    for (const n of needles) if (text.includes(n.toLowerCase())) hits.push({ event: e.id, needle: n });
  }
  return hits;
}

/** Every message addressed to the node, decrypted with its key: the full plaintext of each layer. */
export function decryptForNode(events: NostrEvent[], nodeSk: Uint8Array, nodePub: string) {
  const out: { event: NostrEvent; action: string; sender: string; identity: string; text: string }[] = [];
  for (const e of events) {
    if (e.kind !== 14 && e.kind !== 1059) continue;
    if (!e.tags.some((t) => t[0] === 'p' && t[1] === nodePub)) continue;
    const u = unwrapMessage(e, nodeSk);
    if (!u?.ok) continue;
    out.push({
      event: e,
      action: u.message.kind.action,
      sender: u.sender,
      identity: u.identity,
      text: JSON.stringify(u.layers),
    });
  }
  return out;
}

/** Chat messages (kind 14 current format, kind 1059 legacy) that a disclosed K_conv opens. */
export function chatOpenedBy(events: NostrEvent[], convKey: Uint8Array): string[] {
  const channel = channelFromKey(convKey, null);
  const now = Math.floor(Date.now() / 1000);
  const texts: string[] = [];
  for (const e of events) {
    if (e.kind !== 14 && e.kind !== 1059) continue;
    const r = openChatWith(e, channel, { allowedSigners: null, now });
    if (r.ok) texts.push(r.message.text);
  }
  return texts;
}

/** Every text cell of every table, as (table, column, value). */
export function allCells(db: Database.Database): { table: string; column: string; value: string }[] {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .all() as { name: string }[];
  const cells: { table: string; column: string; value: string }[] = [];
  for (const { name } of tables) {
    for (const row of db.prepare(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[]) {
      for (const [column, value] of Object.entries(row))
        if (value !== null && value !== undefined) cells.push({ table: name, column, value: String(value) });
    }
  }
  return cells;
}

/** Needles found in the database: in any cell, or anywhere in the raw files (free pages, WAL). */
export function dbContaining(db: Database.Database, files: string[], needles: string[]): string[] {
  const found: string[] = [];
  const cells = allCells(db);
  for (const n of needles) {
    const lower = n.toLowerCase();
    const cell = cells.find((c) => c.value.toLowerCase().includes(lower));
    if (cell) found.push(`${n} in ${cell.table}.${cell.column}`);
  }
  for (const f of files) {
    let raw: string;
    try {
      raw = readFileSync(f).toString('latin1').toLowerCase();
    } catch {
      continue;
    }
    for (const n of needles) if (raw.includes(n.toLowerCase())) found.push(`${n} in the bytes of ${f}`);
  }
  return found;
}

/** Values of 32+ characters (keys, hashes, invoices, ids) that two rows share. */
export function sharedHighEntropyValues(rows: Record<string, unknown>[], ignore: ReadonlySet<string>): string[] {
  const seen = new Map<string, string>();
  const shared: string[] = [];
  rows.forEach((row, i) => {
    for (const [column, value] of Object.entries(row)) {
      if (ignore.has(column) || typeof value !== 'string' || value.length < 32) continue;
      const prev = seen.get(value);
      if (prev !== undefined && !prev.startsWith(`${i}:`)) shared.push(`${column} = ${value} (rows ${prev} and ${i})`);
      else seen.set(value, `${i}:${column}`);
    }
  });
  return shared;
}
