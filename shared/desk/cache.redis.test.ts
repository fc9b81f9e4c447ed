/** The desk's Graph caches on a real redis-server: one Graph read serves two instances, and what a warm view costs in Redis. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startTestTenant, type TestTenant } from '../../devtenant/testkit';
import { deskFor } from '../../tests/support/desk';
import { startRedisServer, type RedisServer } from '../../tests/support/redisServer';
import { RedisStore } from '../store/redisStore';

let dt: TestTenant;
let redis: RedisServer;
const stores: RedisStore[] = [];
const instance = async () => {
  const store = new RedisStore(redis.url, { minBackoffMs: 20, maxBackoffMs: 200, log: () => {} });
  stores.push(store);
  await store.ready();
  return deskFor(dt, { cacheStore: store });
};

beforeAll(async () => {
  [dt, redis] = await Promise.all([startTestTenant(), startRedisServer()]);
});
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await Promise.all([dt?.close(), redis?.stop()]);
});

const commands = async (direct: Redis) => {
  const counts: Record<string, number> = {};
  for (const m of (await direct.info('commandstats')).matchAll(/^cmdstat_(\w+):calls=(\d+)/gm)) counts[m[1]!] = Number(m[2]);
  delete counts.info;
  return counts;
};

describe('Graph caches shared on Redis', () => {
  it('serves one Graph read of a view to both instances; a warm view costs one Redis round trip (its lists, people and presence in one MGET)', async () => {
    const [a, b] = [await instance(), await instance()];
    const ada = await a.validateSsoToken(await dt.ssoToken('ada'));
    const first = await a.loadDelegationView(ada);
    dt.context.counters.reset();
    const direct = new Redis(redis.url);
    try {
      await b.loadDelegationView(ada); // B's first view: its own on-behalf-of lookup, the data from A's reads
      const before = await commands(direct);
      const view = await b.loadDelegationView(ada);
      const after = await commands(direct);
      expect({ ...view, generatedAt: '' }).toEqual({ ...first, generatedAt: '' });
      expect(dt.context.counters.total('graph ')).toBe(0);
      const used = Object.fromEntries(
        Object.entries(after)
          .map(([k, v]): [string, number] => [k, v - (before[k] ?? 0)])
          .filter(([, v]) => v > 0),
      );
      expect(used).toEqual({ mget: 1 });
    } finally {
      direct.disconnect();
    }
  });

  it('knows on one instance the presence pushed to another (a stream that opens elsewhere), though its own peek does not', async () => {
    const [a, b] = [await instance(), await instance()];
    await a.notePresence({
      id: '00000000-0000-4000-8000-0000000000A1',
      availability: 'Busy',
      activity: 'InACall',
      statusMessage: { message: { content: 'José Álvarez — en llamada' } },
    } as never);
    expect(b.peekPresence(['00000000-0000-4000-8000-0000000000a1'])[0]!.presence).toBeNull();
    const [known] = await b.knownPresence(['00000000-0000-4000-8000-0000000000a1']);
    expect(known!.presence).toMatchObject({ availability: 'Busy' });
    expect(JSON.stringify(known)).toContain('José Álvarez — en llamada');
  });

  it('forgets a refreshed view on every instance', async () => {
    const [a, b] = [await instance(), await instance()];
    const ada = await a.validateSsoToken(await dt.ssoToken('ada'));
    await a.loadDelegationView(ada);
    await b.loadDelegationView(ada);
    await a.invalidate(ada, { presence: true });
    dt.context.counters.reset();
    await b.loadDelegationView(ada);
    const graph = dt.context.counters.snapshot();
    expect(
      Object.keys(graph).filter((k) => /callSettings\/(delegates|delegators)/.test(k)),
      JSON.stringify(graph),
    ).toHaveLength(2);
    expect(graph['graph POST /v1.0/communications/getPresencesByUserId'], JSON.stringify(graph)).toBe(1);
  });
});
