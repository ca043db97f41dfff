// Types for build-lock.mjs (imported by TypeScript tests).
export type LockOwner = { pid: number; host: string; command: string; startedAt: string; startTick: string | null };
export declare function processStartTick(pid: number): string | null;
export declare function readOwner(lock: string): LockOwner | undefined;
export declare function ownerGone(owner: LockOwner | undefined): boolean;
export declare function withBuildLock(
  root: string,
  options: { log?: (line: string) => void; done?: () => boolean; maxAgeMs?: number; pollMs?: number },
  build: () => Promise<void>,
): Promise<void>;
