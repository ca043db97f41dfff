import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [svelte()],
  resolve: {
    alias: {
      // The protocol package also offers libsecp256k1 in WebAssembly for the node's hot paths; the
      // browser client signs and verifies with @noble/curves only, so the wasm module is left out.
      'tiny-secp256k1': fileURLToPath(new URL('./src/shims/no-wasm-secp.ts', import.meta.url)),
    },
  },
  build: { target: 'es2022', sourcemap: false, assetsInlineLimit: 0 },
  server: { host: '127.0.0.1' },
});
