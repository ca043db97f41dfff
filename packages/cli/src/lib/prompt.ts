// Interactive input: hidden passphrase entry and yes/no confirmation, only on a terminal.
import { createInterface } from 'node:readline';
import { UsageError } from './globals.ts';

export function isInteractive(): boolean {
  return process.stdin.isTTY === true && process.stderr.isTTY === true;
}

/** Reads a line from the terminal without echoing it. */
export function askHidden(question: string): Promise<string> {
  if (!isInteractive()) {
    throw new UsageError('no passphrase: stdin is not a terminal', 'set MOSTRO_PASSPHRASE for non-interactive use');
  }
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const write = (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput.bind(rl);
    let muted = false;
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
      if (!muted) write(s);
    };
    rl.question(question, (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
    muted = true;
  });
}

export function ask(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    rl.question(question, (answer) => {
      rl.close();
      resolve(answer);
    });
  });
}

/** y/N confirmation; without a terminal the caller must pass --yes. */
export async function confirm(question: string): Promise<boolean> {
  if (!isInteractive())
    throw new UsageError('confirmation needed but stdin is not a terminal', 'check the details and pass --yes');
  return /^y(es)?$/i.test((await ask(`${question} [y/N] `)).trim());
}

/** Reads all of stdin (for piped input such as a mnemonic). */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
