/**
 * Where msal-node keeps tokens. In memory by default; any store with get/set (Redis, blobs...) can be
 * plugged in, partitioned per user so one instance's cache serves another.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { DistributedCachePlugin, type ICacheClient, type IPartitionManager, type ICachePlugin, type TokenCache, type TokenCacheContext } from '@azure/msal-node';

/** The storage a distributed token cache needs: msal's ICacheClient. */
export type TokenCacheStore = ICacheClient;

/** The default store: one process's memory, the least recently used partitions dropped beyond a bound. */
export class InMemoryTokenCacheStore implements TokenCacheStore {
  private readonly data = new Map<string, string>();
  constructor(private readonly maxPartitions = 20_000) {}
  async get(key: string): Promise<string> {
    const value = this.data.get(key);
    if (value === undefined) return '';
    this.data.delete(key); // most recently used last
    this.data.set(key, value);
    return value;
  }
  async set(key: string, value: string): Promise<string> {
    this.data.delete(key);
    this.data.set(key, value);
    if (this.data.size > this.maxPartitions) this.data.delete(this.data.keys().next().value!);
    return value;
  }
  get size(): number {
    return this.data.size;
  }
}

/** The user whose tokens the current MSAL call reads and writes. */
const partition = new AsyncLocalStorage<string>();

export function withCachePartition<T>(key: string, fn: () => Promise<T>): Promise<T> {
  return partition.run(key, fn);
}

class UserPartitionManager implements IPartitionManager {
  async getKey(): Promise<string> {
    return `delegatedesk.msal.${partition.getStore() ?? 'app'}`;
  }
  async extractKey(): Promise<string> {
    return this.getKey();
  }
}

/**
 * msal-node's DistributedCachePlugin, with one fix: msal merges a deserialized partition into what is
 * already in memory (and skips an empty one), so with one client per process every partition written
 * would carry the tokens of every user seen before. Memory is emptied before a partition is loaded.
 */
class PartitionedCachePlugin extends DistributedCachePlugin {
  override async beforeCacheAccess(context: TokenCacheContext): Promise<void> {
    const memory = (context.tokenCache as TokenCache).getKVStore();
    for (const key of Object.keys(memory)) delete memory[key];
    await super.beforeCacheAccess(context);
  }
}

export function cachePluginFor(store: TokenCacheStore): ICachePlugin {
  return new PartitionedCachePlugin(store, new UserPartitionManager());
}
