// The browser's session store: the sealed blob in IndexedDB (it is already encrypted; IndexedDB
// only keeps it). IndexedDB transactions end at the first await that is not an IDB request, so a
// read-modify-write cannot live in one transaction: writers are serialized by a queue in this tab
// and by a Web Lock across tabs (where the browser has them), which is what `update` promises.
import type { SessionStore } from './store.ts';

const STORE = 'session';
const KEY = 'blob';

interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

function promised<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

export interface IndexedDbStoreOptions {
  /** Database name (one session per name). Default `mostro`. */
  name?: string;
  /** Default `globalThis.indexedDB`. */
  indexedDB?: IDBFactory;
  /** Default `navigator.locks` when present. */
  locks?: LockManagerLike | null;
}

export class IndexedDbSessionStore implements SessionStore {
  private readonly name: string;
  private readonly factory: IDBFactory;
  private readonly locks: LockManagerLike | null;
  private db: Promise<IDBDatabase> | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(o: IndexedDbStoreOptions = {}) {
    this.name = o.name ?? 'mostro';
    const factory = o.indexedDB ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
    if (!factory) throw new TypeError('IndexedDbSessionStore: this environment has no IndexedDB');
    this.factory = factory;
    this.locks =
      o.locks !== undefined
        ? o.locks
        : ((globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks ?? null);
  }

  private open(): Promise<IDBDatabase> {
    this.db ??= new Promise((resolve, reject) => {
      const req = this.factory.open(this.name, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    return this.db;
  }

  async read(): Promise<string | null> {
    const db = await this.open();
    const value = await promised(db.transaction(STORE, 'readonly').objectStore(STORE).get(KEY));
    return typeof value === 'string' ? value : null;
  }

  private async write(blob: string): Promise<void> {
    const db = await this.open();
    const tx = db.transaction(STORE, 'readwrite');
    tx.objectStore(STORE).put(blob, KEY);
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  }

  update(change: (current: string | null) => string | Promise<string>): Promise<void> {
    const once = async () => this.write(await change(await this.read()));
    const exclusive = () => (this.locks ? this.locks.request(`${this.name}:session`, once) : once());
    const run = this.queue.then(exclusive);
    this.queue = run.catch(() => {});
    return run;
  }

  /** Deletes the stored session (the user starts over; the mnemonic is the backup). */
  async clear(): Promise<void> {
    const db = await this.open();
    const tx = db.transaction(STORE, 'readwrite');
    tx.objectStore(STORE).delete(KEY);
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
  }

  close(): void {
    void this.db?.then((d) => d.close());
    this.db = null;
  }
}
