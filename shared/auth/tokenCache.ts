/**
 * Where msal-node keeps tokens. In memory by default; any store with get/set (Redis, blobs...) can be
 * plugged in, partitioned per user so one instance's cache serves another.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { DistributedCachePlugin, type ICacheClient, type IPartitionManager, type ICachePlugin } from '@azure/msal-node';

/** The storage a distributed token cache needs: msal's ICacheClient. */
export type TokenCacheStore = ICacheClient;

export class InMemoryTokenCacheStore implements TokenCacheStore {
  private readonly data = new Map<string, string>();
  async get(key: string): Promise<string> {
    return this.data.get(key) ?? '';
  }
  async set(key: string, value: string): Promise<string> {
    this.data.set(key, value);
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

export function cachePluginFor(store: TokenCacheStore): ICachePlugin {
  return new DistributedCachePlugin(store, new UserPartitionManager());
}
