/**
 * Where msal-node keeps tokens. In memory by default; any store with get/set (Redis, blobs...) can be
 * plugged in, partitioned per user so one instance's cache serves another.
 */
import { DistributedCachePlugin, type ICacheClient, type IPartitionManager, type ICachePlugin } from '@azure/msal-node';
import type { Store } from '../store/store';

/** The storage a distributed token cache needs: msal's ICacheClient. */
export type TokenCacheStore = ICacheClient;

/** A store in one process's memory (tests, single instance), the least recently used partitions dropped beyond a bound. */
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

/**
 * Partitions in a shared Store (Redis), each kept for `ttlMs` after its last write. It is a cache: when
 * the store is unreachable a read is a miss and a write is dropped (a new on-behalf-of exchange follows),
 * so a Redis outage does not fail sign-ins by itself.
 */
export class StoreTokenCacheStore implements TokenCacheStore {
  constructor(
    private readonly store: Store,
    private readonly ttlMs = 24 * 3600_000,
    private readonly log: (line: string) => void = (line) => console.warn(line),
  ) {}
  async get(key: string): Promise<string> {
    try {
      return (await this.store.get(key)) ?? '';
    } catch (e) {
      this.log(`[tokens] token cache read failed, treated as a miss: ${(e as Error).message}`);
      return '';
    }
  }
  async set(key: string, value: string): Promise<string> {
    try {
      await this.store.set(key, value, this.ttlMs);
    } catch (e) {
      this.log(`[tokens] token cache write dropped: ${(e as Error).message}`);
    }
    return value;
  }
}

/** Every read and write of one client goes to one partition: one user's (or the app's) tokens. */
class FixedPartition implements IPartitionManager {
  constructor(private readonly key: string) {}
  async getKey(): Promise<string> {
    return this.key;
  }
  async extractKey(): Promise<string> {
    return this.key;
  }
}

/** MSAL's own distributed cache plugin, bound to the partition of one user (by object id) or of the app. */
export function cachePluginFor(store: TokenCacheStore, owner: string): ICachePlugin {
  return new DistributedCachePlugin(store, new FixedPartition(`delegatedesk.msal.${owner}`));
}
