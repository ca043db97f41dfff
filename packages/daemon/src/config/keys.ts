import { hexToBytes } from '@noble/hashes/utils.js';
import type { Settings } from './schema.ts';

/** The node's secret key as bytes (settings hold it as validated lowercase hex). */
export const nodeSecretKey = (settings: Settings): Uint8Array => hexToBytes(settings.nostr.nsec_privkey);
