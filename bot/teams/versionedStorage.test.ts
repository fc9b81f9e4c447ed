import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStorage, type Storage } from 'botbuilder';
import { startRedisServer, type RedisServer } from '../../tests/support/redisServer';
import { RedisStore } from '../../shared/store/redisStore';
import { isDuplicateWrite } from './tokenExchange';
import { ETagConflictError, VersionedStorage } from './versionedStorage';

let redis: RedisServer;
const stores: RedisStore[] = [];
let run = 0;
const onRedis = async (prefix = `bot-test-${run++}:`) => {
  const store = new RedisStore(redis.url, { prefix, log: () => {} });
  stores.push(store);
  await store.ready();
  return store;
};

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await redis?.stop();
});

const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

// The same behaviour as botbuilder's MemoryStorage, which tokenExchange.ts and teams-ai were written against.
describe.each([
  [
    'MemoryStorage',
    async (): Promise<[Storage, Storage]> => {
      const memory = new MemoryStorage();
      return [memory, memory];
    },
  ],
  [
    'VersionedStorage on Redis (two instances)',
    async (): Promise<[Storage, Storage]> => {
      const prefix = `bot-test-${run++}:`;
      return [new VersionedStorage(await onRedis(prefix)), new VersionedStorage(await onRedis(prefix))];
    },
  ],
])('%s', (_name, make) => {
  it('reads what was written, with an eTag, non-ASCII included; deletes', async () => {
    const [a, b] = await make();
    await a.write({ 'user/1': { name: 'José Álvarez', emoji: '📞', nested: { n: 1 } } });
    const read = await b.read(['user/1', 'missing']);
    expect(read['user/1']).toMatchObject({ name: 'José Álvarez', emoji: '📞', nested: { n: 1 } });
    expect(typeof read['user/1'].eTag).toBe('string');
    expect(Object.keys(read)).toEqual(['user/1']);
    await b.delete(['user/1']);
    expect(await a.read(['user/1'])).toEqual({});
  });

  it("conflicts on a stale eTag (isDuplicateWrite), writes on the current one or '*'", async () => {
    const [a, b] = await make();
    await a.write({ k: { v: 1 } });
    const { k } = await a.read(['k']);
    await b.write({ k: { ...k, v: 2 } });
    const e = await failure(a.write({ k: { ...k, v: 3 } }));
    expect(String((e as Error).message)).toMatch(/eTag conflict/);
    expect(isDuplicateWrite(e)).toBe(true);
    const current = (await b.read(['k'])).k;
    expect(current.v).toBe(2);
    await a.write({ k: { ...current, v: 4 } });
    await b.write({ k: { eTag: '*', v: 5 } });
    expect((await a.read(['k'])).k.v).toBe(5);
  });

  it('lets exactly one of two racing writers with the same eTag win', async () => {
    const [a, b] = await make();
    await a.write({ race: { n: 0 } });
    const { race } = await a.read(['race']);
    const results = await Promise.allSettled([a.write({ race: { ...race, n: 'a' } }), b.write({ race: { ...race, n: 'b' } })]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(isDuplicateWrite(lost.reason)).toBe(true);
  });

  it('a conditional create (the token exchange dedupe): 20 racers, the first write wins, every other conflicts', async () => {
    const [a, b] = await make();
    const key = 'tokenExchange/conv/José-1';
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).write({ [key]: { eTag: 'exchange-1' } })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(isDuplicateWrite(r.reason)).toBe(true);
  });
});

describe('VersionedStorage', () => {
  it('raises a 412 ETagConflictError', async () => {
    const s = new VersionedStorage(await onRedis());
    await s.write({ k: { eTag: 'x' } });
    const e = await failure(s.write({ k: { eTag: 'x' } }));
    expect(e).toBeInstanceOf(ETagConflictError);
    expect(e).toMatchObject({ statusCode: 412 });
  });
});
