/**
 * The app's state, from `config.storage`: one process's memory (the default), or Redis shared by every
 * instance: live presence's Store, MSAL's token cache partitioned per user, and the bot's state.
 */
import { MemoryStorage, type Storage } from 'botbuilder';
import { VersionedStorage } from '../bot/teams/versionedStorage';
import { InMemoryTokenCacheStore, StoreTokenCacheStore, type TokenCacheStore } from '../shared/auth/tokenCache';
import { MemoryStore } from '../shared/store/memoryStore';
import { RedisStore } from '../shared/store/redisStore';
import type { Store } from '../shared/store/store';
import type { StorageSettings } from './config';
import { MergingStorage } from './mergingStorage';

/** Bot state of someone who has not written to the bot for this long goes (refreshed on each write). */
const BOT_STATE_TTL_MS = 30 * 24 * 3600_000;

export interface AppStorage {
  store: Store;
  /**
   * Where the Graph caches live (delegations, people, presence): Redis, shared by every instance; in
   * memory, a store of their own, so that filling them can never evict live state from the other.
   */
  cacheStore: Store;
  tokenCacheStore?: TokenCacheStore;
  botStorage: Storage;
  close(): Promise<void>;
}

export async function openStorage(settings: StorageSettings): Promise<AppStorage> {
  if (settings.kind === 'memory') {
    const store = new MemoryStore();
    const cacheStore = new MemoryStore();
    return {
      store,
      cacheStore,
      ...(settings.tokenCache === 'partitioned' ? { tokenCacheStore: new InMemoryTokenCacheStore() } : {}),
      botStorage: new MergingStorage(new MemoryStorage()),
      close: async () => {
        await Promise.all([store.close(), cacheStore.close()]);
      },
    };
  }
  const redis = new RedisStore(settings.url);
  // Start even when Redis is not there yet: /api/health answers 503 (no traffic) until it is.
  if (!(await redis.ready())) console.warn('[store] Redis is not reachable yet; /api/health answers 503 until it is');
  return {
    store: redis,
    cacheStore: redis,
    tokenCacheStore: new StoreTokenCacheStore(redis),
    // Two instances saving one conversation's state at once: the later save is merged, not lost.
    botStorage: new MergingStorage(new VersionedStorage(redis, BOT_STATE_TTL_MS)),
    close: () => redis.close(),
  };
}
