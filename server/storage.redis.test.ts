import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestTenant, type TestTenant } from '../devtenant/testkit';
import { appFor } from '../tests/support/app';
import { startRedisServer, type RedisServer } from '../tests/support/redisServer';
import { waitFor } from '../scripts/processes';
import { RedisStore } from '../shared/store/redisStore';
import { openStorage, type AppStorage } from './storage';
import type { DelegateDeskApp } from './compose';

let dt: TestTenant;
let redis: RedisServer;
const opened: AppStorage[] = [];
const apps: Array<{ app: DelegateDeskApp; server: http.Server; base: string }> = [];

beforeAll(async () => {
  [dt, redis] = await Promise.all([startTestTenant(), startRedisServer()]);
});
afterAll(async () => {
  for (const { app, server } of apps) {
    server.close();
    await app.close();
  }
  await Promise.all(opened.map((s) => s.close()));
  await Promise.all([dt?.close(), redis?.stop()]);
});

const open = async () => {
  const s = await openStorage({ kind: 'redis', url: redis.url, tokenCache: 'partitioned' });
  opened.push(s);
  return s;
};

async function serve() {
  const app = await appFor(dt, { env: { REDIS_URL: redis.url } });
  const server = http.createServer(app.handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const entry = { app, server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  apps.push(entry);
  return entry;
}

describe('REDIS_URL: the state two instances share', () => {
  it('puts the Store, the token cache and the bot state on Redis, seen from another instance', async () => {
    const [a, b] = [await open(), await open()];
    expect(a.store).toBeInstanceOf(RedisStore);
    const got: string[] = [];
    await a.store.subscribe('live:presence', (m) => got.push(m));
    await b.store.publish('live:presence', 'José Álvarez: Available');
    expect(await waitFor(() => got.length > 0, 2_000)).toBe(true);
    expect(got).toEqual(['José Álvarez: Available']);

    await a.tokenCacheStore!.set('delegatedesk.msal.user-1', '{"Account":{"name":"José Álvarez"}}');
    expect(await b.tokenCacheStore!.get('delegatedesk.msal.user-1')).toBe('{"Account":{"name":"José Álvarez"}}');

    await a.botStorage.write({ 'conv/1': { name: 'José Álvarez' } });
    const item = (await b.botStorage.read(['conv/1']))['conv/1'];
    expect(item).toMatchObject({ name: 'José Álvarez' });
    await b.botStorage.write({ 'conv/1': { ...item, name: 'B' } });
    await expect(a.botStorage.write({ 'conv/1': { ...item, name: 'A' } })).rejects.toThrow(/eTag conflict/);
  });

  it('answers /api/health with 503 while Redis is down (the load balancer drains it), and 200 once it is back', async () => {
    const [one, two] = [await serve(), await serve()];
    const health = async (base: string) => {
      const res = await fetch(`${base}/api/health`);
      return [res.status, ((await res.json()) as { store: string }).store];
    };
    expect([await health(one.base), await health(two.base)]).toEqual([
      [200, 'ok'],
      [200, 'ok'],
    ]);
    await redis.stop();
    try {
      expect(await waitFor(async () => (await health(one.base))[0] === 503, 3_000)).toBe(true);
      expect(await health(two.base)).toEqual([503, 'down']);
      // A request that needs the store answers 503 at once (retry shortly), not 500 and not after a hang.
      const started = Date.now();
      const stream = await fetch(`${one.base}/api/live/stream?ticket=${'a'.repeat(32)}`);
      expect([stream.status, stream.headers.get('retry-after'), ((await stream.json()) as { error: { code: string } }).error.code]).toEqual(
        [503, '5', 'unavailable'],
      );
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      await redis.start();
    }
    expect(await waitFor(async () => (await health(one.base))[0] === 200 && (await health(two.base))[0] === 200, 10_000)).toBe(true);
  });

  it('starts while Redis is not there yet (health 503), and is healthy once Redis comes up', async () => {
    await redis.stop();
    let instance;
    try {
      instance = await serve();
      expect((await fetch(`${instance.base}/api/health`)).status).toBe(503);
    } finally {
      await redis.start();
    }
    expect(await waitFor(async () => (await fetch(`${instance.base}/api/health`)).status === 200, 10_000)).toBe(true);
  }, 40_000);
});
