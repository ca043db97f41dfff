// Child process for lnd-backend.regtest.test.ts: pays a request (argv[2]) from the `seller` node
// with a short timeout, prints the result, closes the backend and must then exit on its own.
import { createLndBackend } from '../../src/lightning/lnd/index.ts';
import { lndConfigOf, regtestEnv } from './regtest-env.ts';

const backend = await createLndBackend(lndConfigOf(regtestEnv().nodes.seller));
const result = await backend.pay({ request: process.argv[2] ?? '', maxFeeSats: 10, timeoutSeconds: 2 });
console.log(JSON.stringify(result));
await backend.close();
