// Minimal JSON-RPC client for btcd (HTTPS with btcd's self-signed certificate pinned as the only CA).
import { request } from 'node:https';

/** @param {{ host: string, user: string, pass: string, cert: string | Buffer }} rpc */
export function btcdCall(rpc, method, params = []) {
  const [hostname, port] = rpc.host.split(':');
  const body = JSON.stringify({ jsonrpc: '1.0', id: 1, method, params });
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname,
        port: Number(port),
        method: 'POST',
        path: '/',
        ca: rpc.cert,
        // The certificate is pinned as the only trusted CA; its host names do not matter.
        checkServerIdentity: () => undefined,
        servername: 'localhost',
        auth: `${rpc.user}:${rpc.pass}`,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        timeout: 60_000,
      },
      (res) => {
        let text = '';
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () => {
          let reply;
          try {
            reply = JSON.parse(text);
          } catch {
            reject(new Error(`btcd ${method}: HTTP ${res.statusCode} ${text.slice(0, 200)}`));
            return;
          }
          if (reply.error) reject(new Error(`btcd ${method}: ${reply.error.message ?? JSON.stringify(reply.error)}`));
          else resolve(reply.result);
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`btcd ${method}: timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** btcd RPC details from the environment written by setupRegtest. */
export function btcdFromEnv(env = process.env) {
  const need = (k) => {
    const v = env[k];
    if (!v) throw new Error(`${k} is not set: start the network with scripts/regtest/up.mjs or npm run test:regtest`);
    return v;
  };
  return {
    host: need('MOSTRO_REGTEST_BTCD_RPC_HOST'),
    user: need('MOSTRO_REGTEST_BTCD_RPC_USER'),
    pass: need('MOSTRO_REGTEST_BTCD_RPC_PASS'),
    cert: Buffer.from(need('MOSTRO_REGTEST_BTCD_RPC_CERT'), 'base64'),
  };
}
