// `mostro`: each subcommand lives in src/commands/<name>.ts and exports `run(argv): Promise<number>`
// (the exit code) and `summary` (one line for the help text).
import { readdirSync } from 'node:fs';

const commandsDir = new URL('./commands/', import.meta.url);
const available = readdirSync(commandsDir)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3))
  .sort();

interface Command {
  run(argv: string[]): Promise<number>;
  summary: string;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    console.log('usage: mostro <command> [options]\n\ncommands:');
    for (const c of available) {
      const mod = (await import(new URL(`${c}.ts`, commandsDir).href)) as Command;
      console.log(`  ${c.padEnd(12)} ${mod.summary}`);
    }
    return name ? 0 : 2;
  }
  if (!available.includes(name)) {
    console.error(`mostro: unknown command '${name}' (run 'mostro help' for the list)`);
    return 2;
  }
  const mod = (await import(new URL(`${name}.ts`, commandsDir).href)) as Command;
  return mod.run(rest);
}

process.exitCode = await main(process.argv.slice(2));
