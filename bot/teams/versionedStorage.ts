/**
 * botbuilder's `Storage` over a shared VersionedStore (Redis), for several instances: every write gets a
 * new eTag, and a write whose eTag is not the stored one fails as MemoryStorage fails (an eTag conflict,
 * also marked 412 like blob or Cosmos storage), so isDuplicateWrite tells a duplicate exchange. No eTag or
 * '*' writes unconditionally; a write with an eTag to a missing key creates it (botbuilder's conditional create).
 */
import { randomUUID } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import type { VersionedStore } from '../../shared/store/store';

export class ETagConflictError extends Error {
  readonly statusCode = 412;
  constructor(key: string) {
    super(`Storage: error writing "${key}" due to eTag conflict.`);
    this.name = 'ETagConflictError';
  }
}

export class VersionedStorage implements Storage {
  constructor(
    private readonly store: VersionedStore,
    /** Each item is dropped this long after its last write (bot state of people who left). */
    private readonly ttlMs?: number,
    private readonly prefix = 'bot:',
  ) {}

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    await Promise.all(
      keys.map(async (key) => {
        const doc = await this.store.readVersioned(this.prefix + key);
        if (doc) items[key] = { ...JSON.parse(doc.value), eTag: doc.version };
      }),
    );
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    const conflicts: string[] = [];
    await Promise.all(
      Object.entries(changes).map(async ([key, item]) => {
        const { eTag, ...rest } = (item ?? {}) as { eTag?: string };
        const expected = eTag && eTag !== '*' ? eTag : undefined;
        const version = randomUUID();
        if (!(await this.store.writeVersioned(this.prefix + key, JSON.stringify(rest), version, expected, this.ttlMs))) conflicts.push(key);
      }),
    );
    if (conflicts.length) throw new ETagConflictError(conflicts[0]!);
  }

  async delete(keys: string[]): Promise<void> {
    await Promise.all(keys.map((key) => this.store.delete(this.prefix + key)));
  }
}
