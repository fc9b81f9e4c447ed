/**
 * The watches, in the Store so every instance sees the same ones and they survive a restart: one
 * document with all of them, written under a short lock with a new version mark each time, and read
 * through a per-instance copy that is used only while the mark is unchanged (one small read: a watch
 * made on another instance a moment ago is never missed, as a pub/sub invalidation could be); and a
 * fired mark per watch so only one instance sends it.
 */
import { getJson, setJson, StoreUnavailableError, type Store } from '../store/store';
import { MAX_WATCHES_PER_USER, type Watch } from './watch';

const ALL = 'watch:all';
const LOCK = 'watch:lock';
const VERSION = 'watch:version';
const fired = (id: string) => `watch:fired:${id}`;

/** The user already holds the most watches allowed. */
export class WatchLimitError extends Error {
  readonly code = 'watchLimit';
  constructor(readonly limit: number) {
    super(`A user may hold at most ${limit} watches.`);
    this.name = 'WatchLimitError';
  }
}

export interface WatchStore {
  /** Adds the watch, or replaces the user's watch on the same person; WatchLimitError beyond the cap. */
  add(watch: Watch): Promise<void>;
  /** Removes the user's watch on this person, or (no person) all of the user's watches; returns what was removed. */
  remove(oid: string, personId?: string): Promise<Watch[]>;
  /** Removes these watches by id (fired or expired). */
  removeIds(ids: string[]): Promise<void>;
  list(oid: string): Promise<Watch[]>;
  all(): Promise<Watch[]>;
  /** True for exactly one caller across instances: that one sends the watch's message. */
  claim(id: string): Promise<boolean>;
  /** Gives a claim back (the message could not be sent: the next check may try again). */
  release(id: string): Promise<void>;
}

export function watchStore(store: Store, opts: { limit?: number } = {}): WatchStore {
  const limit = opts.limit ?? MAX_WATCHES_PER_USER;
  let copy: { version: string; watches: Watch[] } | undefined;

  async function read(): Promise<Watch[]> {
    const version = (await store.get(VERSION)) ?? '';
    if (copy?.version === version) return copy.watches;
    // Written before its version mark: a reader that sees the new mark reads the new document.
    const watches = (await getJson<Watch[]>(store, ALL)) ?? [];
    copy = { version, watches };
    return watches;
  }

  /** Read-modify-write of the one document, one writer at a time across instances. */
  async function change<T>(edit: (all: Watch[]) => { next: Watch[]; result: T }): Promise<T> {
    const token = crypto.randomUUID();
    for (let waited = 0; !(await store.setIfAbsent(LOCK, token, 5_000)); waited += 20) {
      if (waited > 5_000) throw new StoreUnavailableError('The watches are locked by another instance for too long.');
      await new Promise((r) => setTimeout(r, 20));
    }
    try {
      const { next, result } = edit((await getJson<Watch[]>(store, ALL)) ?? []);
      const version = crypto.randomUUID();
      await setJson(store, ALL, next);
      await store.set(VERSION, version);
      copy = { version, watches: next };
      return result;
    } finally {
      if ((await store.get(LOCK)) === token) await store.delete(LOCK);
    }
  }

  return {
    add: (watch) =>
      change((all) => {
        const others = all.filter((w) => !(w.oid === watch.oid && w.personId === watch.personId));
        if (others.filter((w) => w.oid === watch.oid).length >= limit) throw new WatchLimitError(limit);
        return { next: [...others, watch], result: undefined };
      }),
    remove: (oid, personId) =>
      change((all) => {
        const gone = (w: Watch) => w.oid === oid && (personId === undefined || w.personId === personId);
        return { next: all.filter((w) => !gone(w)), result: all.filter(gone) };
      }),
    async removeIds(ids) {
      if (ids.length === 0) return;
      const set = new Set(ids);
      await change((all) => ({ next: all.filter((w) => !set.has(w.id)), result: undefined }));
    },
    list: async (oid) => (await read()).filter((w) => w.oid === oid),
    all: read,
    claim: (id) => store.setIfAbsent(fired(id), '1', 24 * 3_600_000),
    release: (id) => store.delete(fired(id)),
  };
}
