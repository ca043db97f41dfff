// `mostro reputation`: my own reputation as the node keeps it; `export` asks the node for a signed
// attestation of it (for my identity, or `--to` another) and writes it to a file or stdout;
// `import FILE` hands such an attestation to the selected node (reference-0.20.md §4.4).
import { readFileSync, writeFileSync } from 'node:fs';
import { flag, parseArgs, positionals, str } from '../lib/args.ts';
import { withClient } from '../lib/context.ts';
import { UsageError } from '../lib/globals.ts';
import { emit, guard } from '../lib/output.ts';

export const summary =
  'your own reputation as the node keeps it; `export [--to KEY] [--out FILE]` / `import FILE` move it between nodes';
export const usesGlobals = true;
const USAGE = 'mostro reputation [export [--to IDENTITY_HEX] [--rebind FILE] [--out FILE] | import FILE]';

const DAY = 86_400;
const day = (t: number) => new Date(t * 1000).toISOString().slice(0, 10);

export function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'export') return exportCommand(rest);
  if (sub === 'import') return importCommand(rest);
  return guard('reputation', async () => {
    const p = parseArgs('reputation', argv, {}, USAGE);
    if (flag(p, 'help')) return void console.log(`usage: ${USAGE}\n${summary}`);
    positionals(p, [], USAGE);
    await withClient(async ({ client }) => {
      const r = await client.reputation();
      emit(r, () => {
        const since = r.since === undefined ? '' : `, trading since ${day(r.since)}`;
        const days = r.since === undefined ? r.operating_days : Math.floor((Date.now() / 1000 - r.since) / DAY);
        return r.reviews === 0
          ? `no ratings yet (${days} days on this node${since})`
          : `rating ${r.rating.toFixed(2)} from ${r.reviews} reviews${since}`;
      });
    });
  });
}

function exportCommand(argv: string[]): Promise<number> {
  return guard('reputation export', async () => {
    const options = { to: { type: 'string' }, out: { type: 'string' }, rebind: { type: 'string' } } as const;
    const p = parseArgs('reputation export', argv, options, USAGE);
    if (flag(p, 'help')) return void console.log(`usage: ${USAGE}`);
    positionals(p, [], USAGE);
    const destination = str(p, 'to')?.trim().toLowerCase();
    const rebindFile = str(p, 'rebind');
    const rebind = rebindFile === undefined ? null : readText(rebindFile, 'rebind authorisation');
    const out = str(p, 'out');
    await withClient(async ({ client }) => {
      const { json, attestation: a } = await client.exportReputation({
        ...(destination ? { destination } : {}),
        rebind,
      });
      if (out !== undefined) writeFileSync(out, `${json}\n`, { mode: 0o600 });
      const summaryLine = `${a.reviews} ratings, ${(a.ratingHundredths / 100).toFixed(2)} average, since ${day(a.since)}; valid until ${new Date(a.expiration * 1000).toISOString().replace('.000Z', 'Z')}`;
      if (out === undefined) {
        // The attestation itself is the output: pipe it into a file or `mostro inspect`.
        console.log(json);
        return;
      }
      emit({ file: out, attestation: { ...a, event: undefined } }, () => [
        `attestation written to ${out}: ${summaryLine}`,
        `import it on the other node: mostro --node <pubkey> reputation import ${out}`,
      ]);
    });
  });
}

function importCommand(argv: string[]): Promise<number> {
  return guard('reputation import', async () => {
    const p = parseArgs('reputation import', argv, {}, USAGE);
    if (flag(p, 'help')) return void console.log(`usage: ${USAGE}`);
    const [file] = positionals(p, ['file'], USAGE);
    const json = readText(file as string, 'attestation');
    await withClient(async ({ client }) => {
      await client.importReputation(json);
      const r = await client.reputation();
      emit({ imported: true, reputation: r }, () => [
        'reputation imported',
        `rating ${r.rating.toFixed(2)} from ${r.reviews} reviews${r.since === undefined ? '' : `, since ${day(r.since)}`}`,
      ]);
    });
  });
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8').trim();
  } catch (e) {
    throw new UsageError(`cannot read the ${what} file ${file}: ${(e as Error).message}`, `usage: ${USAGE}`);
  }
}
