import { describe, expect, it } from 'vitest';
import { MemoryStore } from './memoryStore';
import { getJson, setJson } from './store';

describe('MemoryStore', () => {
  it('keeps values until their expiry', async () => {
    let now = 1_000;
    const s = new MemoryStore(() => now);
    await s.set('a', '1', 500);
    await s.set('b', '2');
    expect([await s.get('a'), await s.get('b')]).toEqual(['1', '2']);
    now += 500;
    expect([await s.get('a'), await s.get('b')]).toEqual([undefined, '2']);
    await s.delete('b');
    expect(await s.get('b')).toBeUndefined();
  });

  it('gets, sets (each with its TTL) and deletes several keys at once', async () => {
    let now = 0;
    const s = new MemoryStore(() => now);
    await s.setMany([
      { key: 'a', value: 'José', ttlMs: 100 },
      { key: 'b', value: '2' },
    ]);
    expect(await s.getMany(['a', 'x', 'b'])).toEqual(['José', undefined, '2']);
    now = 100;
    expect(await s.getMany(['a', 'b'])).toEqual([undefined, '2']);
    await s.deleteMany(['b']);
    expect(await s.getMany(['b'])).toEqual([undefined]);
  });

  it('sets if absent once, and again after the expiry', async () => {
    let now = 0;
    const s = new MemoryStore(() => now);
    expect(await s.setIfAbsent('lock', 'me', 100)).toBe(true);
    expect(await s.setIfAbsent('lock', 'you', 100)).toBe(false);
    expect(await s.get('lock')).toBe('me');
    now = 100;
    expect(await s.setIfAbsent('lock', 'you', 100)).toBe(true);
  });

  it('publishes to every subscriber of a channel, after the publisher returns, until they leave', async () => {
    const s = new MemoryStore();
    const got: string[] = [];
    const off = await s.subscribe('c', (m) => got.push(`1:${m}`));
    await s.subscribe('c', (m) => got.push(`2:${m}`));
    await s.subscribe('other', (m) => got.push(`x:${m}`));
    await s.publish('c', 'hello');
    expect(got).toEqual([]);
    await new Promise((r) => setImmediate(r));
    expect(got.sort()).toEqual(['1:hello', '2:hello']);
    await off();
    await s.publish('c', 'again');
    await new Promise((r) => setImmediate(r));
    expect(got.filter((g) => g.endsWith('again'))).toEqual(['2:again']);
  });

  it('stays within its bound, dropping the oldest', async () => {
    const s = new MemoryStore(Date.now, 3);
    for (const k of ['a', 'b', 'c', 'd']) await s.set(k, k);
    expect(await s.get('a')).toBeUndefined();
    expect(await s.get('d')).toBe('d');
  });

  it('round-trips JSON, non-ASCII included', async () => {
    const s = new MemoryStore();
    await setJson(s, 'p', { name: 'José Álvarez', emoji: '📞' });
    expect(await getJson(s, 'p')).toEqual({ name: 'José Álvarez', emoji: '📞' });
    await s.set('bad', '{nope');
    expect(await getJson(s, 'bad')).toBeUndefined();
  });
});
