// A mistyped passphrase on a terminal gets three tries. The terminal is a real pseudo-terminal from
// util-linux `script` (skipped where it is missing); the test types only after each prompt.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/mostro.mjs', import.meta.url));
const hasScript = spawnSync('script', ['--version']).status === 0;

function onTerminal(args: string[], answers: string[]): Promise<{ code: number; out: string }> {
  const { MOSTRO_PASSPHRASE: _p, ...env } = process.env;
  const cmd = [process.execPath, BIN, ...args].map((a) => `'${a}'`).join(' ');
  const child = spawn('script', ['-qec', cmd, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let prompts = 0;
  child.stdout.on('data', (d) => {
    out += d;
    const seen = out.split('passphrase:').length - 1;
    while (prompts < seen) {
      const answer = answers[prompts++];
      if (answer !== undefined) setTimeout(() => child.stdin.write(`${answer}\r`), 200);
    }
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      child.stdin.end();
      resolve({ code: code ?? -1, out: out.replace(/\r/g, '') });
    }),
  );
}

test('a mistyped passphrase gets retries on a terminal, three at most', {
  skip: !hasScript && 'no `script`',
}, async () => {
  const home = mkdtempSync(join(tmpdir(), 'mostro-pass-'));
  try {
    const init = spawnSync(process.execPath, [BIN, '--home', home, 'init'], {
      env: { ...process.env, MOSTRO_PASSPHRASE: 'right one' },
      encoding: 'utf8',
    });
    assert.equal(init.status, 0, init.stderr);
    const second = await onTerminal(['--home', home, 'trades', '--offline'], ['wrong', 'right one']);
    assert.equal(second.code, 0, second.out);
    assert.match(second.out, /wrong passphrase, try again \(2 left\)/);
    assert.match(second.out, /no open trades/);
    const never = await onTerminal(['--home', home, 'trades', '--offline'], ['a', 'b', 'c', 'd']);
    assert.equal(never.code, 1, never.out);
    assert.equal(never.out.split('passphrase:').length - 1, 3, 'three prompts, then it gives up');
    assert.match(never.out, /passphrase does not open this session/);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
