// Worker-thread entry of the intake's crypto pool (see crypto-pool.ts). TypeScript runs through tsx
// here too, since workers do not inherit the main thread's loader.
import { register } from 'tsx/esm/api';

register();
await import('./crypto-worker.ts');
