/**
 * Presence subscriptions over HTTPS: expiry bounds, one per user and app, PATCH of either property,
 * the pause after reauthorizationRequired, delivery retry, delay and order. A loopback receiver
 * stands in for the product's webhook.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestTenant, type TestTenant } from '../../testkit';

const BEN = '00000000-0000-4000-8000-000000000002';
const GUS = '00000000-0000-4000-8000-000000000007';
const MINUTE = 60_000;

interface Arrival {
  path: string;
  at: number;
  body: { value: Array<Record<string, unknown>> };
}

/** Echoes validation tokens (unless told not to), records arrivals, and can fail or stall the next answers. */
class Receiver {
  readonly arrivals: Arrival[] = [];
  readonly validations: string[] = [];
  echo = true;
  failNext = 0;
  slowNext = 0;
  slowMs = 0;
  url = '';
  private readonly server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    const token = url.searchParams.get('validationToken');
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      if (token !== null) {
        this.validations.push(url.pathname);
        res.writeHead(this.echo ? 200 : 500, { 'content-type': 'text/plain' }).end(this.echo ? token : 'no');
        return;
      }
      this.arrivals.push({ path: url.pathname, at: Date.now(), body: JSON.parse(data || '{}') });
      if (this.failNext > 0) {
        this.failNext -= 1;
        res.writeHead(500).end();
      } else if (this.slowNext > 0) {
        this.slowNext -= 1;
        setTimeout(() => res.writeHead(202).end(), this.slowMs);
      } else {
        res.writeHead(202).end();
      }
    });
  });
  async start() {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.url = `http://localhost:${(this.server.address() as AddressInfo).port}`;
  }
  close() {
    this.server.closeAllConnections();
    this.server.close();
  }
  on(path: string) {
    return this.arrivals.filter((a) => a.path === path);
  }
  reset() {
    this.arrivals.length = 0;
    this.validations.length = 0;
    this.echo = true;
    this.failNext = this.slowNext = this.slowMs = 0;
  }
}

let dt: TestTenant;
let rx: Receiver;
let adaToken: string;
beforeAll(async () => {
  dt = await startTestTenant();
  rx = new Receiver();
  await rx.start();
  adaToken = await dt.graphToken('ada');
});
afterAll(async () => {
  rx.close();
  await dt.close();
});
beforeEach(async () => {
  // Every test starts with no subscription of Ada's and the default delivery settings.
  const list = (await (await send('GET', '/v1.0/subscriptions', adaToken)).json()) as { value: Array<{ id: string }> };
  for (const s of list.value) await send('DELETE', `/v1.0/subscriptions/${s.id}`, adaToken);
  await dt.admin('DELETE', '/notifications');
  rx.reset();
});

const send = (method: string, path: string, token: string, body?: unknown) =>
  fetch(`${dt.origin}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const inMinutes = (m: number) => new Date(Date.now() + m * MINUTE).toISOString();
const subscription = (extra: Record<string, unknown> = {}) => ({
  changeType: 'updated',
  notificationUrl: `${rx.url}/notify`,
  lifecycleNotificationUrl: `${rx.url}/lifecycle`,
  resource: `/communications/presences?$filter=id in ('${BEN}','${GUS}')`,
  expirationDateTime: inMinutes(50),
  clientState: 'secret-state',
  ...extra,
});
async function subscribe(
  extra: Record<string, unknown> = {},
): Promise<{ id: string; expirationDateTime: string; notificationUrl: string }> {
  const res = await send('POST', '/v1.0/subscriptions', adaToken, subscription(extra));
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; expirationDateTime: string; notificationUrl: string };
}
/** The dev tenant's delivery counters for one subscription (admin API). */
async function deliveries(id: string) {
  const list = (await (await dt.admin('GET', '/subscriptions')).json()) as {
    value: Array<{ id: string; deliveries: Record<'ok' | 'failed' | 'attempts' | 'dropped' | 'queued', number> }>;
  };
  return list.value.find((s) => s.id === id)!.deliveries;
}
/** Alternates each user's presence, so every call is a change. */
const flips = new Map<string, number>();
function changePresence(user: string) {
  const n = flips.get(user) ?? 0;
  flips.set(user, n + 1);
  return dt.admin(
    'PUT',
    `/users/${user}/presence`,
    n % 2 ? { availability: 'Available', activity: 'Available' } : { availability: 'Busy', activity: 'InACall' },
  );
}
const resources = (path: string) => rx.on(path).map((a) => a.body.value[0]!.resource);

describe('presence subscription expiry', () => {
  it('raises an expiry under 45 minutes to 45 minutes, on create and on renewal', async () => {
    let before = Date.now();
    const sub = await subscribe({ expirationDateTime: inMinutes(10) });
    expect(Date.parse(sub.expirationDateTime)).toBeGreaterThanOrEqual(before + 45 * MINUTE);
    expect(Date.parse(sub.expirationDateTime)).toBeLessThanOrEqual(Date.now() + 45 * MINUTE);
    expect(sub.expirationDateTime).toMatch(/\.\d{7}Z$/);

    before = Date.now();
    const renewed = (await (
      await send('PATCH', `/v1.0/subscriptions/${sub.id}`, adaToken, { expirationDateTime: inMinutes(1) })
    ).json()) as { expirationDateTime: string };
    expect(Date.parse(renewed.expirationDateTime)).toBeGreaterThanOrEqual(before + 45 * MINUTE);
    expect(Date.parse(renewed.expirationDateTime)).toBeLessThanOrEqual(Date.now() + 45 * MINUTE);
    // A request between 45 and 60 minutes is kept as asked.
    const asked = inMinutes(55);
    const kept = (await (await send('PATCH', `/v1.0/subscriptions/${sub.id}`, adaToken, { expirationDateTime: asked })).json()) as {
      expirationDateTime: string;
    };
    expect(Date.parse(kept.expirationDateTime)).toBe(Date.parse(asked));
    expect((await send('PATCH', `/v1.0/subscriptions/${sub.id}`, adaToken, { expirationDateTime: inMinutes(61) })).status).toBe(400);
  });
});

describe('one presence subscription per user and application', () => {
  it('answers 409 to a second create by the same user and app, and keeps the first', async () => {
    const first = await subscribe();
    const res = await send('POST', '/v1.0/subscriptions', adaToken, subscription({ resource: `communications/presences/${GUS}` }));
    expect(res.status).toBe(409);
    const err = ((await res.json()) as { error: { code: string; message: string } }).error;
    expect(err.code).toBe('ExtensionError');
    expect(err.message).toMatch(/A subscription already exists/);
    expect((await send('GET', `/v1.0/subscriptions/${first.id}`, adaToken)).status).toBe(200);
  });

  it('lets another user of the same app subscribe, and the same user again after deleting', async () => {
    const first = await subscribe();
    const benToken = await dt.graphToken('ben');
    const bens = await send('POST', '/v1.0/subscriptions', benToken, subscription());
    expect(bens.status).toBe(201);
    await send('DELETE', `/v1.0/subscriptions/${((await bens.json()) as { id: string }).id}`, benToken);
    expect((await send('DELETE', `/v1.0/subscriptions/${first.id}`, adaToken)).status).toBe(204);
    await subscribe();
  });
});

describe('PATCH /subscriptions/{id}', () => {
  it('accepts notificationUrl alone after validating the new endpoint, and delivers there', async () => {
    const sub = await subscribe();
    rx.validations.length = 0;
    rx.echo = false;
    expect((await send('PATCH', `/v1.0/subscriptions/${sub.id}`, adaToken, { notificationUrl: `${rx.url}/moved` })).status).toBe(400);
    expect(rx.validations).toEqual(['/moved']);
    expect(
      ((await (await send('GET', `/v1.0/subscriptions/${sub.id}`, adaToken)).json()) as { notificationUrl: string }).notificationUrl,
    ).toBe(`${rx.url}/notify`);

    rx.echo = true;
    const res = await send('PATCH', `/v1.0/subscriptions/${sub.id}`, adaToken, { notificationUrl: `${rx.url}/moved` });
    expect(res.status).toBe(200);
    const moved = (await res.json()) as { notificationUrl: string; expirationDateTime: string };
    expect(moved).toMatchObject({ notificationUrl: `${rx.url}/moved`, expirationDateTime: sub.expirationDateTime });
    expect(rx.validations).toEqual(['/moved', '/moved']);

    await changePresence(BEN);
    await expect.poll(() => rx.on('/moved').length, { timeout: 5000 }).toBe(1);
    expect(rx.on('/notify')).toHaveLength(0);
  });

  it('accepts expirationDateTime alone without a handshake, and both together', async () => {
    const sub = await subscribe();
    rx.validations.length = 0;
    const renewed = await send('PATCH', `/v1.0/subscriptions/${sub.id}`, adaToken, { expirationDateTime: inMinutes(58) });
    expect(renewed.status).toBe(200);
    expect(rx.validations).toEqual([]);
    const both = await send('PATCH', `/v1.0/subscriptions/${sub.id}`, adaToken, {
      expirationDateTime: inMinutes(59),
      notificationUrl: `${rx.url}/both`,
    });
    expect(both.status).toBe(200);
    const body = (await both.json()) as { notificationUrl: string; expirationDateTime: string };
    expect(body.notificationUrl).toBe(`${rx.url}/both`);
    expect(Date.parse(body.expirationDateTime)).toBeGreaterThan(Date.now() + 58 * MINUTE);
    expect(rx.validations).toEqual(['/both']);
  });

  it('refuses an empty update, other properties and a bad notificationUrl', async () => {
    const sub = await subscribe();
    expect((await send('PATCH', `/v1.0/subscriptions/${sub.id}`, adaToken, {})).status).toBe(400);
    expect((await send('PATCH', `/v1.0/subscriptions/${sub.id}`, adaToken, { clientState: 'other' })).status).toBe(400);
    expect((await send('PATCH', `/v1.0/subscriptions/${sub.id}`, adaToken, { notificationUrl: 'http://example.com/hook' })).status).toBe(
      400,
    );
  });
});

describe('reauthorizationRequired', () => {
  it('pauses change notifications until the app reauthorizes, then until it renews', async () => {
    const sub = await subscribe();
    expect((await dt.admin('POST', `/subscriptions/${sub.id}/lifecycle`, { lifecycleEvent: 'reauthorizationRequired' })).status).toBe(202);
    expect(rx.on('/lifecycle')[0]!.body.value[0]).toEqual({
      subscriptionId: sub.id,
      subscriptionExpirationDateTime: sub.expirationDateTime,
      tenantId: dt.tenantId,
      clientState: 'secret-state',
      lifecycleEvent: 'reauthorizationRequired',
      organizationId: dt.tenantId,
    });

    // Paused: the change is counted as dropped and nothing reaches the webhook.
    await changePresence(BEN);
    await expect.poll(async () => (await deliveries(sub.id)).dropped, { timeout: 5000 }).toBe(1);
    expect(rx.on('/notify')).toHaveLength(0);

    expect((await send('POST', `/v1.0/subscriptions/${sub.id}/reauthorize`, adaToken)).status).toBe(204);
    await changePresence(BEN);
    await expect.poll(() => rx.on('/notify').length, { timeout: 5000 }).toBe(1);

    await dt.admin('POST', `/subscriptions/${sub.id}/lifecycle`, { lifecycleEvent: 'reauthorizationRequired' });
    await changePresence(GUS);
    await expect.poll(async () => (await deliveries(sub.id)).dropped, { timeout: 5000 }).toBe(2);
    expect(rx.on('/notify')).toHaveLength(1);

    expect((await send('PATCH', `/v1.0/subscriptions/${sub.id}`, adaToken, { expirationDateTime: inMinutes(59) })).status).toBe(200);
    await changePresence(GUS);
    await expect.poll(() => rx.on('/notify').length, { timeout: 5000 }).toBe(2);
    expect(resources('/notify')).toEqual([`communications/presences/${BEN}`, `communications/presences/${GUS}`]);
  });

  it('answers 404 to reauthorize for a subscription that is gone', async () => {
    const sub = await subscribe();
    await send('DELETE', `/v1.0/subscriptions/${sub.id}`, adaToken);
    expect((await send('POST', `/v1.0/subscriptions/${sub.id}/reauthorize`, adaToken)).status).toBe(404);
  });
});

describe('delivery retry', () => {
  it('retries a failing endpoint with backoff, counts the tries, and gives up after the last', async () => {
    expect((await dt.admin('PUT', '/notifications', { attempts: 3, backoffMs: 20 })).status).toBe(200);
    const sub = await subscribe();
    rx.failNext = 2;
    await changePresence(BEN);
    await expect.poll(async () => (await deliveries(sub.id)).ok, { timeout: 5000 }).toBe(1);
    expect(await deliveries(sub.id)).toMatchObject({ ok: 1, failed: 0, attempts: 3 });
    expect(rx.on('/notify')).toHaveLength(3);

    rx.failNext = 10;
    await changePresence(BEN);
    await expect.poll(async () => (await deliveries(sub.id)).failed, { timeout: 5000 }).toBe(1);
    expect(await deliveries(sub.id)).toMatchObject({ ok: 1, failed: 1, attempts: 6 });
    expect(rx.on('/notify')).toHaveLength(6);
  });

  it('treats an answer slower than the timeout as failed and sends again', async () => {
    await dt.admin('PUT', '/notifications', { attempts: 2, backoffMs: 10, timeoutMs: 200 });
    const sub = await subscribe();
    rx.slowNext = 1;
    rx.slowMs = 1000;
    await changePresence(GUS);
    await expect.poll(async () => (await deliveries(sub.id)).ok, { timeout: 5000 }).toBe(1);
    expect(await deliveries(sub.id)).toMatchObject({ ok: 1, failed: 0, attempts: 2 });
    // The same collection twice: the receiver must tolerate duplicates, as with Graph.
    const [a, b] = rx.on('/notify');
    expect(b!.body).toEqual(a!.body);
  });
});

describe('delivery delay', () => {
  it('is settable through the admin API and the start options, and validated', async () => {
    expect(await (await dt.admin('GET', '/notifications')).json()).toEqual({
      delayMs: 0,
      jitterMs: 0,
      attempts: 4,
      backoffMs: 250,
      timeoutMs: 3000,
    });
    expect(await (await dt.admin('PUT', '/notifications', { delayMs: 2000, jitterMs: 6000 })).json()).toMatchObject({
      delayMs: 2000,
      jitterMs: 6000,
      attempts: 4,
    });
    expect((await dt.admin('PUT', '/notifications', { delayMs: -1 })).status).toBe(400);
    expect((await dt.admin('DELETE', '/notifications')).status).toBe(204);
    expect(await (await dt.admin('GET', '/notifications')).json()).toMatchObject({ delayMs: 0, jitterMs: 0 });

    const other = await startTestTenant({ notifications: { delayMs: 2000, jitterMs: 6000, attempts: 2 } });
    try {
      expect(await (await other.admin('GET', '/notifications')).json()).toMatchObject({ delayMs: 2000, jitterMs: 6000, attempts: 2 });
      await other.admin('PUT', '/notifications', { delayMs: 1 });
      await other.admin('DELETE', '/notifications');
      expect(await (await other.admin('GET', '/notifications')).json()).toMatchObject({ delayMs: 2000, attempts: 2 });
    } finally {
      await other.close();
    }
  });

  it('holds each notification for at least the delay and keeps them in order per subscription despite jitter', async () => {
    await dt.admin('PUT', '/notifications', { delayMs: 300, jitterMs: 400 });
    const sub = await subscribe();
    const changedAt: number[] = [];
    const order = [BEN, GUS, BEN, GUS, BEN];
    for (const user of order) {
      changedAt.push(Date.now());
      await changePresence(user);
    }
    await expect.poll(() => rx.on('/notify').length, { timeout: 10_000 }).toBe(order.length);
    expect(resources('/notify')).toEqual(order.map((u) => `communications/presences/${u}`));
    rx.on('/notify').forEach((a, i) => expect(a.at - changedAt[i]!).toBeGreaterThanOrEqual(300));
    expect(await deliveries(sub.id)).toMatchObject({ ok: order.length, queued: 0 });
  });
});
