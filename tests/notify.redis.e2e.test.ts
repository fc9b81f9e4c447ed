/**
 * Watches on a real Redis: they survive a restart of the server, and with two instances sharing the
 * store (each with its own Redis connections, its own watcher, poll and presence feed) a watch fires
 * exactly once.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestTenant, type TestTenant } from '../devtenant/testkit';
import { startRedisServer, type RedisServer } from './support/redisServer';
import { eventually, presenceSettled, startConnector, startNotifyStack, type ConnectorStandIn } from './support/notifyStack';

const ADA = '00000000-0000-4000-8000-000000000001';
const ada = { name: 'ada', aadObjectId: ADA };

let dt: TestTenant;
let redis: RedisServer;
let connector: ConnectorStandIn;

beforeAll(async () => {
  [dt, redis, connector] = await Promise.all([startTestTenant({ fixedClock: undefined }), startRedisServer(), startConnector()]);
});
afterAll(async () => {
  connector?.close();
  await Promise.all([dt?.close(), redis?.stop()]);
});
beforeEach(async () => {
  connector.posted.length = 0;
  await dt.admin('PUT', '/users/cleo/presence', { availability: 'Away', activity: 'Away' });
});

describe('watches on Redis', () => {
  it('survive a restart between the watch and the change', async () => {
    const env = { REDIS_URL: redis.url, NOTIFICATION_CERT_PATH: undefined, NOTIFICATION_KEY_PATH: undefined, WATCH_POLL_SECONDS: '1' };
    const before = await startNotifyStack(dt, connector, { env });
    await presenceSettled(dt, before, 'ada', 'cleo', 'Away');
    expect((await before.say(ada, 'let me know when Cleo is free'))[0]?.text).toMatch(/^OK\. I’ll message you here when Cleo Assist/);
    await before.close();
    const after = await startNotifyStack(dt, connector, { env });
    try {
      expect((await after.app.watcher.list(ADA)).map((w) => w.displayName)).toEqual(['Cleo Assist']);
      await dt.admin('PUT', '/users/cleo/presence', { availability: 'Available', activity: 'Available' });
      const sent = await eventually(() => connector.posted[0], 8_000);
      expect(sent.activity.text).toBe('Cleo Assist is available now: Available.');
    } finally {
      await after.close();
    }
  });

  it('two instances sharing the store: pushed to one, polled by both, the message goes once', async () => {
    const env = { REDIS_URL: redis.url, WATCH_POLL_SECONDS: '1' };
    const [a, b] = [await startNotifyStack(dt, connector, { env }), await startNotifyStack(dt, connector, { env })];
    try {
      await presenceSettled(dt, a, 'ada', 'cleo', 'Away');
      // The watch is asked on A (its subscription's notifications reach A); B sees it through the store.
      expect((await a.say(ada, 'let me know when Cleo is free'))[0]?.text).toMatch(/^OK\. I’ll message you here when Cleo Assist/);
      await eventually(async () => ((await b.app.watcher.list(ADA)).length === 1 ? true : undefined));
      await dt.admin('PUT', '/users/cleo/presence', { availability: 'Available', activity: 'Available' });
      await eventually(() => connector.posted[0], 8_000);
      // Several poll rounds and the push have all seen Cleo available by now.
      await new Promise((r) => setTimeout(r, 3_000));
      expect(connector.posted.map((p) => p.activity.text)).toEqual(['Cleo Assist is available now: Available.']);
      expect(await a.app.watcher.list(ADA)).toEqual([]);
      expect(await b.app.watcher.list(ADA)).toEqual([]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
