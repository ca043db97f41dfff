// File-backed SessionStore for Node: `<home>/session.json`, directory 0700, file 0600, replaced by
// write-to-temp + fsync + rename so a crash leaves either the old or the new blob, and guarded by an
// O_EXCL lock file so concurrent CLI processes in one home serialize their writes.
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { ClientError } from '../errors.ts';
import type { SessionStore } from './store.ts';

const LOCK_STALE_MS = 30_000;
const LOCK_WAIT_MS = 10_000;

export class FileSessionStore implements SessionStore {
  readonly path: string;
  private readonly lockPath: string;

  constructor(readonly home: string) {
    this.path = join(home, 'session.json');
    this.lockPath = join(home, 'session.lock');
  }

  async read(): Promise<string | null> {
    try {
      return readFileSync(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw ioError(this.path, e);
    }
  }

  async update(change: (current: string | null) => string | Promise<string>): Promise<void> {
    this.ensureHome();
    await this.lock();
    try {
      const next = await change(await this.read());
      const tmp = `${this.path}.${process.pid}.tmp`;
      const fd = openSync(tmp, 'w', 0o600);
      try {
        writeSync(fd, next);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, this.path);
    } finally {
      rmSync(this.lockPath, { force: true });
    }
  }

  private ensureHome(): void {
    try {
      mkdirSync(this.home, { recursive: true, mode: 0o700 });
    } catch (e) {
      throw ioError(this.home, e);
    }
  }

  private async lock(): Promise<void> {
    const start = Date.now();
    while (true) {
      try {
        const fd = openSync(this.lockPath, 'wx', 0o600);
        writeSync(fd, String(process.pid));
        closeSync(fd);
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw ioError(this.lockPath, e);
      }
      if (this.lockIsStale()) {
        rmSync(this.lockPath, { force: true });
        continue;
      }
      if (Date.now() - start > LOCK_WAIT_MS) {
        throw new ClientError(
          'store_locked',
          `the session in ${this.home} stayed locked by another mostro process for ${LOCK_WAIT_MS / 1000} s`,
          `wait for the other command to finish, or remove ${this.lockPath} if no mostro process is running`,
        );
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  private lockIsStale(): boolean {
    try {
      const pid = Number(readFileSync(this.lockPath, 'utf8'));
      if (Number.isInteger(pid) && pid > 0) {
        try {
          process.kill(pid, 0);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ESRCH') return true;
        }
      }
      return Date.now() - statSync(this.lockPath).mtimeMs > LOCK_STALE_MS;
    } catch {
      return false;
    }
  }
}

function ioError(path: string, e: unknown): ClientError {
  return new ClientError(
    'io',
    `cannot use ${path}: ${(e as Error).message}`,
    'check that the home directory (--home / MOSTRO_HOME) exists and is writable by you',
  );
}
