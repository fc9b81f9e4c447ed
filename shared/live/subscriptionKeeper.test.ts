import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { startTestTenant, testSeed, type TestTenant } from '../../devtenant/testkit';
import { ensureDevCertificates } from '../../devtenant/certs';
import { deskFor } from '../../tests/support/desk';
import type { DelegateDesk } from '../delegateDesk';
import { MemoryStore } from '../store/memoryStore';
import { subscriptionKeeper, type KeeperOptions } from './subscriptionKeeper';

const BEN = '00000000-0000-4000-8000-000000000002';
const CLEO = '00000000-0000-4000-8000-000000000003';
const HANA = '00000000-0000-4000-8000-000000000008';

let dt: TestTenant;
let desk: DelegateDesk;
let receiver: http.Server;
let notificationUrl: string;
let encryption: { certificate: string; certificateId: string };

beforeAll(async () => {
  // Real time: the keeper's clock is moved by hand below, Graph's stays real.
  dt = await startTestTenant({ fixedClock: undefined });
  desk = deskFor(dt);
  // Our webhook's part of the handshake: echo the validation token as text/plain.
  receiver = http.createServer((req, res) => {
    const token = new URL(req.url!, 'http://x').searchParams.get('validationToken');
    res.writeHead(token ? 200 : 202, { 'content-type': 'text/plain' }).end(token ?? '');
    req.resume();
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  notificationUrl = `http://localhost:${(receiver.address() as AddressInfo).port}/api/notifications`;
  const certs = await ensureDevCertificates();
  encryption = {
    certificate: new X509Certificate(await readFile(certs.notificationCertPath, 'utf8')).raw.toString('base64'),
    certificateId: 'test-cert',
  };
});
afterAll(async () => {
  receiver.close();
  await dt.close();
});
beforeEach(() => dt.context.counters.reset());

const user = async (name: string, lifetimeSeconds?: number) =>
  desk.validateSsoToken(
    lifetimeSeconds === undefined
      ? await dt.ssoToken(name)
      : ((await (await dt.admin('POST', '/tokens', { user: name, lifetimeSeconds })).json()) as { token: string }).token,
  );
const count = (route: string) => dt.context.counters.get(`graph ${route}`);
const CREATE = 'POST /v1.0/subscriptions';
const RENEW = 'PATCH /v1.0/subscriptions/{id}';
const DELETE = 'DELETE /v1.0/subscriptions/{id}';

function keeper(extra: Partial<KeeperOptions> = {}) {
  let offset = 0;
  const k = subscriptionKeeper({
    store: new MemoryStore(),
    desk,
    notificationUrl,
    lifecycleNotificationUrl: `${notificationUrl}/lifecycle`,
    encryption,
    now: () => Date.now() + offset,
    ...extra,
  });
  return Object.assign(k, { advance: (ms: number) => (offset += ms) });
}

async function clearSubscriptions(name: string) {
  const u = await user(name);
  for (const s of await desk.listPresenceSubscriptions(u)) await desk.deletePresenceSubscription(u, s.id);
}

describe('subscription keeper', () => {
  beforeEach(async () => {
    for (const name of ['ada', 'ben']) await clearSubscriptions(name);
    dt.context.counters.reset();
  });

  it('creates one subscription over my people, then leaves it alone until renewal is due', async () => {
    const k = keeper();
    const ada = await user('ada');
    expect(await k.keep(ada, [BEN, CLEO, BEN.toUpperCase()])).toMatchObject({ mode: 'live', subscribed: 2, polled: 0 });
    expect(count(CREATE)).toBe(1);
    k.advance(30 * 60_000);
    expect((await k.keep(ada, [CLEO, BEN])).mode).toBe('live');
    expect(count(CREATE) + count(RENEW)).toBe(1);
    // Within 20 minutes of the end: renewed with this heartbeat's token.
    k.advance(15 * 60_000);
    expect(await k.keep(await user('ada'), [BEN, CLEO])).toMatchObject({ mode: 'live' });
    expect(count(RENEW)).toBe(1);
    expect(count(CREATE)).toBe(1);
  });

  it('answers two heartbeats at once with one subscription, both live', async () => {
    const k = keeper();
    const ada = await user('ada');
    const [a, b] = await Promise.all([k.keep(ada, [BEN, CLEO]), k.keep(ada, [CLEO, BEN])]);
    expect([a.mode, b.mode]).toEqual(['live', 'live']);
    expect(count(CREATE)).toBe(1);
  });

  it('lets it lapse when the only token it has is too old to renew with', async () => {
    const k = keeper();
    await k.keep(await user('ada'), [BEN, CLEO]);
    k.advance(45 * 60_000);
    const old = await user('ada', 120); // two minutes left
    expect(await k.keep(old, [BEN, CLEO])).toEqual({ mode: 'paused', reason: 'tokenTooOld' });
    expect(count(RENEW)).toBe(0);
  });

  it('deletes and recreates when the people change (a subscription resource cannot change)', async () => {
    const k = keeper();
    const ada = await user('ada');
    await k.keep(ada, [BEN, CLEO]);
    expect(await k.keep(ada, [BEN, CLEO, HANA])).toMatchObject({ mode: 'live', subscribed: 3 });
    expect([count(CREATE), count(DELETE)]).toEqual([2, 1]);
  });

  it('recreates when Graph no longer has it (404 on renewal)', async () => {
    const k = keeper();
    const ada = await user('ada');
    await k.keep(ada, [BEN, CLEO]);
    await clearSubscriptions('ada');
    k.advance(45 * 60_000);
    expect((await k.keep(await user('ada'), [BEN, CLEO])).mode).toBe('live');
    expect(count(RENEW)).toBe(1);
    expect(count(CREATE)).toBe(2);
  });

  it('clears the way when Graph says one already exists (409: another instance, or a restart, lost track)', async () => {
    const ada = await user('ada');
    await keeper().keep(ada, [BEN, CLEO]);
    // A second keeper with an empty store does not know it: its create gets 409, then it replaces it.
    expect((await keeper().keep(ada, [BEN])).mode).toBe('live');
    expect(count(CREATE)).toBe(3);
    expect((await desk.listPresenceSubscriptions(ada)).length).toBe(1);
  });

  it("does not touch another user's subscription when clearing the way", async () => {
    const ben = await user('ben');
    await keeper().keep(ben, [CLEO]);
    const ada = await user('ada');
    await keeper().keep(ada, [BEN]);
    await keeper().keep(ada, [BEN, CLEO]);
    expect((await desk.listPresenceSubscriptions(ben)).length).toBe(1);
  });

  it('reauthorizes with the latest fresh token, and lets it lapse without one', async () => {
    const k = keeper();
    const status = await k.keep(await user('ada'), [BEN]);
    expect(status.mode).toBe('live');
    const list = await desk.listPresenceSubscriptions(await user('ada'));
    expect(await k.reauthorize(list[0]!.id)).toBe(true);
    expect(count('POST /v1.0/subscriptions/{id}/reauthorize')).toBe(1);
    expect(await k.reauthorize('00000000-0000-4000-8000-00000000dead')).toBe(false);
    expect(await k.byId(list[0]!.id)).toMatchObject({ oid: '00000000-0000-4000-8000-000000000001', people: [BEN] });
  });

  it("subscribes to the first 650 people (Graph's limit) and leaves the rest to polling", async () => {
    const seed = testSeed();
    const many = Array.from({ length: 700 }, (_, i) => `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`);
    seed.users.push(...many.map((id, i) => ({ id, givenName: `Person${i}`, surname: 'Many', userPrincipalName: `person${i}` })));
    const big = await startTestTenant({ fixedClock: undefined, seed });
    try {
      const bigDesk = deskFor(big);
      const k = subscriptionKeeper({
        store: new MemoryStore(),
        desk: bigDesk,
        notificationUrl,
        lifecycleNotificationUrl: `${notificationUrl}/lifecycle`,
        encryption,
      });
      expect(await k.keep(await bigDesk.validateSsoToken(await big.ssoToken('ada')), many)).toMatchObject({
        mode: 'live',
        subscribed: 650,
        polled: 50,
      });
    } finally {
      await big.close();
    }
  });

  it('is off without an encryption certificate, and idle without people', async () => {
    expect(await keeper({ encryption: undefined }).keep(await user('ada'), [BEN])).toEqual({ mode: 'paused', reason: 'disabled' });
    expect(await keeper().keep(await user('ada'), [])).toEqual({ mode: 'paused', reason: 'nobody' });
    expect(count(CREATE)).toBe(0);
  });
});
