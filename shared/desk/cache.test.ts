import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../store/memoryStore';
import { StoreUnavailableError, type Store } from '../store/store';
import { ReadBatcher, SharedCache } from './cache';

/** A memory store that counts getMany calls and can be taken down (its commands then fail as Redis's do). */
function countingStore() {
  const inner = new MemoryStore();
  const state = { reads: 0, down: false };
  const guard = <T>(f: () => Promise<T>) => (state.down ? Promise.reject(new StoreUnavailableError('down')) : f());
  const store: Store = {
    get: (k) => guard(() => inner.get(k)),
    set: (k, v, t) => guard(() => inner.set(k, v, t)),
    setIfAbsent: (k, v, t) => guard(() => inner.setIfAbsent(k, v, t)),
    delete: (k) => guard(() => inner.delete(k)),
    getMany: (ks) => guard(() => (state.reads++, inner.getMany(ks))),
    setMany: (es) => guard(() => inner.setMany(es)),
    deleteMany: (ks) => guard(() => inner.deleteMany(ks)),
    publish: (c, m) => inner.publish(c, m),
    subscribe: (c, f) => inner.subscribe(c, f),
    close: () => inner.close(),
  };
  return { store, state };
}

const quiet = () => {};

describe('SharedCache: Graph caches in the Store', () => {
  it('serves what one instance cached to another, and merges the reads of one turn into one getMany', async () => {
    const { store, state } = countingStore();
    const make = () => {
      const reads = new ReadBatcher(store);
      return {
        users: new SharedCache<{ name: string }>(store, reads, 'users', { ttlMs: 60_000, staleMs: 0, log: quiet }),
        presence: new SharedCache<string>(store, reads, 'presence', { ttlMs: 60_000, staleMs: 0, log: quiet }),
      };
    };
    const [a, b] = [make(), make()];
    await a.users.setMany([['1', { name: 'José Álvarez' }]]);
    await a.presence.set('1', 'Available');
    state.reads = 0;
    const [users, presence] = await Promise.all([b.users.freshMany(['1', '2']), b.presence.freshMany(['1'])]);
    expect([users, presence]).toEqual([[{ name: 'José Álvarez' }, undefined], ['Available']]);
    expect(state.reads).toBe(1);
  });

  it('decodes a value once while the Store holds the same text, and again when another instance changed it', async () => {
    const { store } = countingStore();
    const make = () => new SharedCache<{ name: string }>(store, new ReadBatcher(store), 'users', { ttlMs: 60_000, staleMs: 0, log: quiet });
    const [a, b] = [make(), make()];
    await a.set('1', { name: 'José Álvarez' });
    const first = (await b.get('1'))!.value;
    expect(first).toEqual({ name: 'José Álvarez' });
    expect((await b.get('1'))!.value).toBe(first);
    await a.set('1', { name: 'Jose Alvarez' });
    const changed = (await b.get('1'))!.value;
    expect(changed).toEqual({ name: 'Jose Alvarez' });
    expect(changed).not.toBe(first);
    // Forgotten by another instance: gone here too, not served from this instance's copy.
    await a.delete(['1']);
    expect(await b.get('1')).toBeUndefined();
  });

  it('keeps a value past its freshness as the last known one, for staleMs', async () => {
    let now = 0;
    const { store } = countingStore();
    const cache = new SharedCache<string>(store, new ReadBatcher(store), 'presence', {
      ttlMs: 100,
      staleMs: 1_000,
      now: () => now,
      log: quiet,
    });
    await cache.set('x', 'Busy');
    now = 150;
    expect(await cache.get('x')).toEqual({ value: 'Busy', fresh: false });
    expect(await cache.freshMany(['x'])).toEqual([undefined]);
    await cache.set('x', 'Away', 500); // its own lifetime
    now = 600;
    expect(await cache.get('x')).toEqual({ value: 'Away', fresh: true });
  });

  it('forgets on every instance: gone from the Store is gone from each copy, and peek says what this instance saw', async () => {
    const { store } = countingStore();
    const [a, b] = [0, 1].map(
      () => new SharedCache<string>(store, new ReadBatcher(store), 'presence', { ttlMs: 60_000, staleMs: 0, log: quiet }),
    );
    await a!.set('x', 'Busy');
    expect(await b!.get('x')).toEqual({ value: 'Busy', fresh: true });
    expect(b!.peek('x')).toBe('Busy');
    await a!.delete(['x']);
    expect(await b!.get('x')).toBeUndefined();
    expect(b!.peek('x')).toBeUndefined();
  });

  it("degrades to each instance's own copy while the Store is down, says so once, and never rejects a write", async () => {
    const { store, state } = countingStore();
    const lines: string[] = [];
    const cache = new SharedCache<string>(store, new ReadBatcher(store), 'people', {
      ttlMs: 60_000,
      staleMs: 0,
      log: (l) => lines.push(l),
    });
    await cache.set('x', 'José');
    state.down = true;
    expect(await cache.get('x')).toEqual({ value: 'José', fresh: true });
    await expect(cache.set('y', 'Álvarez')).resolves.toBeUndefined();
    await expect(cache.delete(['z'])).resolves.toBeUndefined();
    expect(await cache.freshMany(['x', 'y', 'z'])).toEqual(['José', 'Álvarez', undefined]);
    expect(lines).toEqual(['[desk] the shared people cache is unreachable; this instance uses its own copy meanwhile']);
    state.down = false;
    expect(await cache.get('x')).toEqual({ value: 'José', fresh: true });
    expect(lines[1]).toBe('[desk] the shared people cache is reachable again');
  });

  it('starts a new key space on clear (tests and benches), leaving the shared entries to expire', async () => {
    const { store } = countingStore();
    const cache = new SharedCache<string>(store, new ReadBatcher(store), 'users', { ttlMs: 60_000, staleMs: 0, log: quiet });
    await cache.set('x', 'v');
    cache.clear();
    expect(await cache.get('x')).toBeUndefined();
  });
});
