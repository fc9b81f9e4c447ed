import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestTenant, type TestTenant } from '../../devtenant/testkit';
import { configFor } from '../../tests/support/desk';
import { startRedisServer, type RedisServer } from '../../tests/support/redisServer';
import { RedisStore } from '../store/redisStore';
import { createGraphTokenSource } from './onBehalfOf';
import { createSsoTokenValidator } from './ssoToken';
import { StoreTokenCacheStore } from './tokenCache';

let dt: TestTenant;
let redis: RedisServer;
const stores: RedisStore[] = [];
const instance = async () => {
  const store = new RedisStore(redis.url, { prefix: 'tokens:', minBackoffMs: 20, maxBackoffMs: 200, log: () => {} });
  stores.push(store);
  await store.ready();
  return store;
};

beforeAll(async () => {
  [dt, redis] = await Promise.all([startTestTenant(), startRedisServer()]);
});
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await Promise.all([dt?.close(), redis?.stop()]);
});

describe('MSAL token cache partitioned per user on Redis', () => {
  it("round-trips a user's partition: instance B uses the tokens instance A got, with one on-behalf-of exchange", async () => {
    const [a, b] = [await instance(), await instance()];
    const validate = createSsoTokenValidator(configFor(dt));
    const [ben, ada] = [await validate(await dt.ssoToken('ben')), await validate(await dt.ssoToken('ada'))];
    dt.context.counters.reset();
    const first = await createGraphTokenSource(configFor(dt), { cacheStore: new StoreTokenCacheStore(a) }).forUser(ben);
    const second = await createGraphTokenSource(configFor(dt), { cacheStore: new StoreTokenCacheStore(b) }).forUser(ben);
    expect(second).toBe(first);
    expect(dt.context.counters.get('token on_behalf_of')).toBe(1);
    await createGraphTokenSource(configFor(dt), { cacheStore: new StoreTokenCacheStore(b) }).forUser(ada);
    const partition = (await a.get(`delegatedesk.msal.${ben.oid}`)) ?? '';
    expect(partition).toContain(ben.oid);
    expect(partition).not.toContain(ada.oid);
    expect(await a.get(`delegatedesk.msal.${ada.oid}`)).toContain(ada.oid);
  });

  it('treats an unreachable Redis as a cache miss, so tokens still come (from a new exchange)', async () => {
    const store = await instance();
    await store.close();
    const lines: string[] = [];
    const user = await createSsoTokenValidator(configFor(dt))(await dt.ssoToken('cleo'));
    const token = await createGraphTokenSource(configFor(dt), {
      cacheStore: new StoreTokenCacheStore(store, 60_000, (l) => lines.push(l)),
    }).forUser(user);
    expect(token).toBeTruthy();
    expect(lines.join('\n')).toMatch(/treated as a miss/);
    expect(lines.join('\n')).not.toContain(token);
  });
});
