// Child process of crash.test.ts: finishes a trade in `dir`, then runs the dev-fee job and SIGKILLs
// itself right before or right after the Lightning payment (the hash is already persisted).
// Usage: crash-child.ts <dir> <before|after>
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LightningBackend } from '../../src/lightning/backend.ts';
import { Harness } from '../app/harness.ts';
import { completedTrade, runDevFees } from './support.ts';

const [dir, when] = process.argv.slice(2) as [string, 'before' | 'after'];
let armed = false;

const wrap = (backend: LightningBackend): LightningBackend => ({
  ...backend,
  pay: async (args) => {
    if (armed && when === 'before') process.kill(process.pid, 'SIGKILL');
    const result = await backend.pay(args);
    if (armed && when === 'after') process.kill(process.pid, 'SIGKILL');
    return result;
  },
});

const h = new Harness({ dir, wrapLightning: wrap });
const id = await completedTrade(h);
writeFileSync(join(dir, 'trade.json'), JSON.stringify({ id }));
armed = true;
await runDevFees(h);
// Not killed: the crash point was never reached.
process.exit(3);
