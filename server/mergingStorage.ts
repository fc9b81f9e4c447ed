/**
 * The bot's state Storage for several instances: a turn whose state changed meanwhile on another
 * instance (an eTag conflict when teams-ai saves it) is written again over the newer state instead of
 * failing the turn (teams-ai would answer "Something went wrong" and drop what the turn changed).
 *
 * Three-way, per top-level property: what this turn changed since it read (set or removed) goes over the
 * current document; what it left alone keeps the other instance's value. Only documents read through
 * here are merged: a write with an eTag never read (the token exchange's conditional create, which must
 * conflict to tell a duplicate delivery) still fails as the inner storage fails.
 */
import type { Storage, StoreItem, StoreItems } from 'botbuilder';
import { TtlCache } from '../shared/cache';

const MAX_ATTEMPTS = 5;
const isConflict = (e: unknown) =>
  (e as { statusCode?: number })?.statusCode === 412 || /etag conflict/i.test(String((e as Error)?.message ?? ''));

type Doc = Record<string, unknown>;
const withoutETag = (item: StoreItem | undefined): Doc => {
  const { eTag: _eTag, ...rest } = (item ?? {}) as Doc;
  return rest;
};
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export class MergingStorage implements Storage {
  /** What was read, by key and eTag: the base a conflicting write is merged from (a turn lasts seconds). */
  private readonly bases = new TtlCache<Doc>(60_000, 10_000);

  constructor(
    private readonly inner: Storage,
    private readonly log: (line: string) => void = (line) => console.warn(line),
  ) {}

  private baseKey = (key: string, eTag: string) => `${key}\n${eTag}`;

  async read(keys: string[]): Promise<StoreItems> {
    const items = await this.inner.read(keys);
    for (const [key, item] of Object.entries(items)) {
      const eTag = (item as StoreItem | undefined)?.eTag;
      if (eTag && eTag !== '*') this.bases.set(this.baseKey(key, eTag), structuredClone(withoutETag(item)));
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    await Promise.all(Object.entries(changes).map(([key, item]) => this.writeOne(key, item as StoreItem)));
  }

  private async writeOne(key: string, item: StoreItem): Promise<void> {
    try {
      return await this.inner.write({ [key]: item });
    } catch (e) {
      const eTag = item?.eTag;
      const base = eTag && eTag !== '*' ? this.bases.get(this.baseKey(key, eTag)) : undefined;
      if (!base || !isConflict(e)) throw e;
    }
    const mine = withoutETag(item);
    const base = this.bases.get(this.baseKey(key, item.eTag!))!;
    for (let attempt = 1; ; attempt++) {
      const current = (await this.inner.read([key]))[key] as StoreItem | undefined;
      const merged = withoutETag(current);
      for (const prop of new Set([...Object.keys(base), ...Object.keys(mine)])) {
        if (same(base[prop], mine[prop])) continue; // not this turn's change: the newer value stays
        if (prop in mine) merged[prop] = mine[prop];
        else delete merged[prop];
      }
      try {
        // No current document (deleted meanwhile): written as new.
        await this.inner.write({ [key]: current?.eTag ? { ...merged, eTag: current.eTag } : merged });
        this.log(`[bot] state changed meanwhile on another instance: this turn's changes were merged over it and saved`);
        return;
      } catch (e) {
        if (!isConflict(e) || attempt >= MAX_ATTEMPTS) throw e;
      }
    }
  }

  delete(keys: string[]): Promise<void> {
    return this.inner.delete(keys);
  }
}
