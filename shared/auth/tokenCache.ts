/**
 * Where msal-node keeps tokens. In memory by default; any store with get/set (Redis, blobs...) can be
 * plugged in, partitioned per user so one instance's cache serves another.
 */
import { DistributedCachePlugin, type ICacheClient, type IPartitionManager, type ICachePlugin } from '@azure/msal-node';

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
