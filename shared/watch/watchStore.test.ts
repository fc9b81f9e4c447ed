import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../store/memoryStore';
import { watchStore, WatchLimitError } from './watchStore';
import type { Watch } from './watch';

const watch = (oid: string, i: number): Watch => ({
  id: `${oid}-${i}`,
  oid,
  tid: 't',
  personId: `p${i}`,
  displayName: `José Álvarez ${i}`,
  userPrincipalName: null,
  condition: 'free',
  createdAt: 0,
  until: Date.now() + 60_000,
  reportExpiry: false,
});

describe('watchStore', () => {
  it('one watch per person per user, at most the limit per user, others unaffected', async () => {
    const store = new MemoryStore();
    const ws = watchStore(store, { limit: 3 });
    for (let i = 0; i < 3; i++) await ws.add(watch('a', i));
    await ws.add({ ...watch('a', 1), id: 'again' }); // replaces, no new slot
    await expect(ws.add(watch('a', 9))).rejects.toBeInstanceOf(WatchLimitError);
    await ws.add(watch('b', 9));
    expect((await ws.list('a')).map((w) => w.id)).toEqual(['a-0', 'a-2', 'again']);
    expect((await ws.list('b'))[0]!.displayName).toBe('José Álvarez 9');
    expect((await ws.remove('a', 'p0')).map((w) => w.id)).toEqual(['a-0']);
    expect(await ws.remove('a')).toHaveLength(2);
    expect(await ws.all()).toHaveLength(1);
  });

  it('two instances see each other’s writes, and concurrent adds lose none', async () => {
    const store = new MemoryStore();
    const [x, y] = [watchStore(store), watchStore(store)];
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? x : y).add(watch('a', i))));
    expect(await x.list('a')).toHaveLength(20);
    expect(await y.list('a')).toHaveLength(20);
  });

  it('a claim is won once; released, it can be won again', async () => {
    const ws = watchStore(new MemoryStore());
    const wins = await Promise.all(Array.from({ length: 5 }, () => ws.claim('w1')));
    expect(wins.filter(Boolean)).toHaveLength(1);
    await ws.release('w1');
    expect(await ws.claim('w1')).toBe(true);
  });
});
