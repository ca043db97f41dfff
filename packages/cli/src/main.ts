// `mostro`: each subcommand lives in src/commands/<name>.ts and exports `run(argv): Promise<number>`
// (the exit code) and `summary` (one line for the help text). Global options (--node, --relay,
// --private, --json, --home, --timeout, --admin-key and their MOSTRO_* variables) are taken out of
// the line here for commands that export `usesGlobals = true`; others get their arguments untouched.
import { readdirSync } from 'node:fs';
import { GLOBAL_HELP, parseGlobals, UsageError } from './lib/globals.ts';

const commandsDir = new URL('./commands/', import.meta.url);
const available = readdirSync(commandsDir)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3))
  .sort();

interface Command {
  run(argv: string[]): Promise<number>;
  summary: string;
  usesGlobals?: boolean;
}

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseGlobals>;
  try {
    parsed = parseGlobals(argv);
  } catch (e) {
    const u = e as UsageError;
    process.stderr.write(`mostro: ${u.message} — ${u instanceof UsageError ? u.fix : 'run mostro help'}\n`);
    return 2;
  }
  const [name, ...rest] = parsed.rest;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    const out = name ? console.log : console.error;
    out('usage: mostro <command> [options]\n\ncommands:');
    for (const c of available) {
      const mod = (await import(new URL(`${c}.ts`, commandsDir).href)) as Command;
      out(`  ${c.padEnd(12)} ${mod.summary}`);
    }
    out(`\n${GLOBAL_HELP}\n\nmostro <command> --help shows a command's options.`);
    return name ? 0 : 2;
  }
  if (!available.includes(name)) {
    console.error(`mostro: unknown command '${name}' — run 'mostro help' for the list`);
    return 2;
  }
  const mod = (await import(new URL(`${name}.ts`, commandsDir).href)) as Command;
  if (mod.usesGlobals) return mod.run(rest);
  const at = argv.indexOf(name);
  return mod.run(argv.slice(at + 1));
}

const code = await main(process.argv.slice(2));
process.exitCode = code;
// Relay sockets may linger after a command is done: flush the output, then leave.
await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
await new Promise<void>((resolve) => process.stderr.write('', () => resolve()));
process.exit(code);
