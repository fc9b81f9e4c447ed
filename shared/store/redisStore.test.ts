import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDevCertificates } from '../../devtenant/certs';
import { startRedisServer, type RedisServer } from '../../tests/support/redisServer';
import { waitFor } from '../../scripts/processes';
import { RedisStore, isRedisUrl } from './redisStore';
import { StoreUnavailableError, getJson, setJson } from './store';

let redis: RedisServer;
const stores: RedisStore[] = [];
/** A connected store: commands fail fast, also before the first connection is up. */
const open = async (prefix = 'test:') => {
  const s = new RedisStore(redis.url, { prefix, minBackoffMs: 20, maxBackoffMs: 200, commandTimeoutMs: 1_000, log: () => {} });
  stores.push(s);
  expect(await s.ready()).toBe(true);
  return s;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  redis = await startRedisServer({ password: 'pässwörd test' });
});
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await redis?.stop();
});

describe('RedisStore (a real redis-server)', () => {
  it('gets, sets with a TTL, deletes, and round-trips non-ASCII', async () => {
    const s = await open();
    expect(s.health()).toBe('ok');
    await s.set('a', '1', 150);
    await s.set('b', '2');
    await setJson(s, 'p', { name: 'José Álvarez', emoji: '📞' });
    expect([await s.get('a'), await s.get('b'), await s.get('missing')]).toEqual(['1', '2', undefined]);
    expect(await getJson(s, 'p')).toEqual({ name: 'José Álvarez', emoji: '📞' });
    await sleep(250);
    expect([await s.get('a'), await s.get('b')]).toEqual([undefined, '2']);
    await s.delete('b');
    expect(await s.get('b')).toBeUndefined();
  });

  it('gets, sets (each with its TTL) and deletes several keys in one round trip each', async () => {
    const [a, b] = [await open(), await open()];
    await a.setMany([
      { key: 'm:1', value: 'José Álvarez', ttlMs: 150 },
      { key: 'm:2', value: '2' },
    ]);
    expect(await b.getMany(['m:1', 'm:missing', 'm:2'])).toEqual(['José Álvarez', undefined, '2']);
    expect(await b.getMany([])).toEqual([]);
    await sleep(250);
    expect(await b.getMany(['m:1', 'm:2'])).toEqual([undefined, '2']);
    await b.deleteMany(['m:2', 'm:never']);
    expect(await a.getMany(['m:2'])).toEqual([undefined]);
  });

  it('sets if absent once (20 racers on two connections: exactly one wins), and again after the expiry', async () => {
    const [a, b] = [await open(), await open()];
    const wins = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).setIfAbsent('lock', `racer ${i}`, 300)));
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect(await a.get('lock')).toBe(`racer ${wins.indexOf(true)}`);
    await sleep(400);
    expect(await b.setIfAbsent('lock', 'late', 300)).toBe(true);
  });

  it('fans out across instances: B publishes, A and B subscribers get it, until they leave', async () => {
    const [a, b] = [await open('fanout:'), await open('fanout:')];
    const got: string[] = [];
    const offA = await a.subscribe('presence', (m) => got.push(`A:${m}`));
    await b.subscribe('presence', (m) => got.push(`B:${m}`));
    await a.subscribe('other', (m) => got.push(`x:${m}`));
    await b.publish('presence', 'José Álvarez is Available');
    await waitFor(() => got.length >= 2, 2_000);
    expect(got.sort()).toEqual(['A:José Álvarez is Available', 'B:José Álvarez is Available']);
    await offA();
    await b.publish('presence', 'again');
    await waitFor(() => got.length >= 3, 2_000);
    await sleep(50);
    expect(got.filter((g) => g.endsWith('again'))).toEqual(['B:again']);
  });

  it('keeps apps apart by prefix', async () => {
    const [mine, theirs] = [await open('one:'), await open('two:')];
    await mine.set('k', 'mine');
    expect(await theirs.get('k')).toBeUndefined();
  });

  it('fails fast with StoreUnavailableError while Redis is down, says so in health(), and recovers', async () => {
    const s = await open('outage:');
    const got: string[] = [];
    await s.subscribe('events', (m) => got.push(m));
    await redis.stop();
    await waitFor(() => s.health() === 'down', 2_000);
    expect(s.health()).toBe('down');
    const started = Date.now();
    const results = await Promise.allSettled([
      s.get('k'),
      s.set('k', 'v', 1000),
      s.setIfAbsent('k', 'v', 1000),
      s.delete('k'),
      s.publish('events', 'x'),
      s.getMany(['k', 'j']),
      s.setMany([{ key: 'k', value: 'v', ttlMs: 1000 }]),
      s.deleteMany(['k']),
    ]);
    expect(Date.now() - started).toBeLessThan(500);
    for (const r of results) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(StoreUnavailableError);
    }
    // Subscribing while down registers; it is sent once Redis is back.
    await s.subscribe('later', (m) => got.push(`later:${m}`));

    await redis.start();
    expect(await waitFor(() => s.health() === 'ok', 5_000)).toBe(true);
    await s.set('k', 'back');
    expect(await s.get('k')).toBe('back');
    const other = await open('outage:');
    await waitFor(async () => {
      await other.publish('later', 'y');
      await other.publish('events', 'z');
      return got.includes('later:y') && got.includes('z');
    }, 3_000);
    expect(got).toEqual(expect.arrayContaining(['z', 'later:y']));
  });

  it('times out on a connection that answers nothing, then fails at once, and is healthy again once it answers', async () => {
    const s = await open('hung:');
    redis.freeze();
    try {
      let started = Date.now();
      await expect(s.get('k')).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(s.health()).toBe('down');
      started = Date.now();
      await expect(s.set('k', 'v')).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(Date.now() - started).toBeLessThan(200);
    } finally {
      redis.thaw();
    }
    expect(await waitFor(() => s.health() === 'ok', 5_000)).toBe(true);
    expect(await s.get('k')).toBeUndefined();
  });

  it('writes versioned documents only while the version is the one read', async () => {
    const s = await open('doc:');
    expect(await s.writeVersioned('d', 'José', '1', 'anything')).toBe(true); // absent: created
    expect(await s.readVersioned('d')).toEqual({ value: 'José', version: '1' });
    expect(await s.writeVersioned('d', 'Álvarez', '2', 'stale')).toBe(false);
    expect(await s.writeVersioned('d', 'Álvarez', '2', '1')).toBe(true);
    expect(await s.writeVersioned('d', 'forced', '3', undefined, 100)).toBe(true);
    expect(await s.readVersioned('d')).toEqual({ value: 'forced', version: '3' });
    await sleep(200);
    expect(await s.readVersioned('d')).toBeUndefined();
  });

  it('connects over TLS with a password (rediss://, as Azure Cache for Redis), checking the certificate', async () => {
    const certs = await ensureDevCertificates();
    const secure = await startRedisServer({ password: 'äccess kéy', tls: { certPath: certs.certPath, keyPath: certs.keyPath } });
    try {
      expect(secure.url).toMatch(/^rediss:\/\/:.+@localhost:\d+$/);
      const s = new RedisStore(secure.url, { log: () => {} });
      stores.push(s);
      expect(await s.ready()).toBe(true);
      await s.set('k', 'José Álvarez', 1_000);
      expect(await s.get('k')).toBe('José Álvarez');
      // A wrong key never gets ready, and says so.
      const wrong = new RedisStore(secure.url.replace(/:[^:@/]+@/, ':wrong@'), { log: () => {} });
      stores.push(wrong);
      expect(await wrong.ready(1_000)).toBe(false);
      expect(wrong.health()).toBe('down');
      await expect(wrong.get('k')).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      await Promise.all(stores.splice(-2).map((s) => s.close()));
      await secure.stop();
    }
  });

  it('accepts redis:// and rediss:// URLs only', () => {
    expect(['redis://localhost:6379', 'rediss://:key@dd.redis.cache.windows.net:6380'].map(isRedisUrl)).toEqual([true, true]);
    expect(['http://localhost', 'localhost:6379', 'redis://'].map(isRedisUrl)).toEqual([false, false, false]);
    expect(() => new RedisStore('http://x')).toThrow(/redis:\/\//);
  });
});
