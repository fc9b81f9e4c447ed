/**
 * Live presence at the server: the webhook's handshake and checks, the ticket and the push stream, end
 * to end with the dev tenant's real deliveries, and forged or replayed notifications that must not
 * reach a tab.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { startTestTenant, type TestTenant } from '../devtenant/testkit';
import { ensureDevCertificates } from '../devtenant/certs';
import { encryptContent } from '../devtenant/graph/routes/subscriptions';
import { mintValidationToken } from '../devtenant/identity/tokens';
import { KeySet } from '../devtenant/identity/keys';
import { MemoryStore } from '../shared/store/memoryStore';
import { getJson } from '../shared/store/store';
import { loadEncryptionCertificate } from '../shared/live/encryptionCertificate';
import type { SubscriptionRecord } from '../shared/live/subscriptionKeeper';
import { appFor } from './support/app';
import { readSse } from './support/sse';

const ADA = '00000000-0000-4000-8000-000000000001';
const BEN = '00000000-0000-4000-8000-000000000002';
const CLEO = '00000000-0000-4000-8000-000000000003';

let dt: TestTenant;
let base: string;
let server: http.Server;
let close: () => Promise<void>;
const store = new MemoryStore();
let certPem: string;
let certificateId: string;

beforeAll(async () => {
  dt = await startTestTenant({ fixedClock: undefined });
  server = http.createServer((q, r) => handler(q, r));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  base = `http://localhost:${port}`;
  const app = await appFor(dt, { store, env: { PORT: String(port) } });
  const handler = app.handler;
  close = app.close;
  const certs = await ensureDevCertificates();
  certPem = await readFile(certs.notificationCertPath, 'utf8');
  certificateId = (await loadEncryptionCertificate({ certificatePath: certs.notificationCertPath, keyPath: certs.notificationKeyPath }))
    .certificateId;
});
afterAll(async () => {
  await close();
  server.closeAllConnections();
  server.close();
  await dt.close();
});
beforeEach(() => dt.context.faults.reset());

const auth = async (user: string) => ({ Authorization: `Bearer ${await dt.ssoToken(user)}` });

/** A stream of the tab's events, read as they come. */
async function openStream(user: string) {
  const ticketRes = await fetch(`${base}/api/live/ticket`, { method: 'POST', headers: await auth(user) });
  expect(ticketRes.status).toBe(200);
  const { ticket, status } = (await ticketRes.json()) as { ticket: string; status: { mode: string } };
  const res = await fetch(`${base}/api/live/stream?ticket=${ticket}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const events: Array<{ event: string; data: { id?: string; presence?: { availability: string } | null } }> = [];
  const close = readSse(res, (e) => events.push(e as (typeof events)[number]));
  return { ticket, status, events, close };
}

async function until<T>(what: () => T | undefined, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = what();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

const setPresence = (user: string, availability: string, activity = availability) =>
  dt.admin('PUT', `/users/${user}/presence`, { availability, activity });

describe('webhook', () => {
  it('answers the validation handshake with the token as text/plain', async () => {
    for (const path of ['/api/notifications', '/api/notifications/lifecycle']) {
      const res = await fetch(`${base}${path}?validationToken=${encodeURIComponent('Validation: abc 123')}`, { method: 'POST' });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      expect(await res.text()).toBe('Validation: abc 123');
    }
  });

  it('answers a body that is not a notification with 400, never 500', async () => {
    for (const body of [
      '{not json',
      '[]',
      '{}',
      '{"value":"x"}',
      '{"value":[{"subscriptionId":5}]}',
      JSON.stringify({ value: Array(1001).fill({}) }),
    ]) {
      const res = await fetch(`${base}/api/notifications`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(res.status, body.slice(0, 40)).toBe(400);
    }
  });
});

describe('push', () => {
  it('refuses a stream without a valid, unused ticket, and a ticket without a token', async () => {
    expect((await fetch(`${base}/api/live/ticket`, { method: 'POST' })).status).toBe(401);
    expect((await fetch(`${base}/api/live/stream?ticket=nope`)).status).toBe(401);
    const s = await openStream('ada');
    expect((await fetch(`${base}/api/live/stream?ticket=${s.ticket}`)).status).toBe(401);
    await s.close();
  });

  it('opens the stream at once with the status first, even when no presence is known yet', async () => {
    const s = await openStream('hana');
    const first = await until(() => s.events[0]);
    expect(first).toMatchObject({ event: 'status', data: { mode: 'live' } });
    await s.close();
  });

  it("pushes a delegate's change to the tab within the dev tenant's delivery, and only people in the view", async () => {
    await setPresence('ben', 'Available');
    const s = await openStream('ada');
    expect(s.status.mode).toBe('live');
    await setPresence('ben', 'Busy', 'InACall');
    const pushed = await until(() =>
      s.events.find((e) => e.event === 'presence' && e.data.id === BEN && e.data.presence?.availability === 'Busy'),
    );
    expect(pushed.data.presence).toMatchObject({ availability: 'Busy', activity: 'InACall' });
    // Gus is no one's delegate: nothing of his reaches Ada.
    await setPresence('gus', 'Available');
    await setPresence('ben', 'Available');
    await until(() => s.events.find((e) => e.data.id === BEN && e.data.presence?.availability === 'Available'));
    expect(s.events.some((e) => e.data.id === '00000000-0000-4000-8000-000000000007')).toBe(false);
    await s.close();
  });

  it('drops forged, foreign, tampered and replayed notifications, and takes the real one after them', async () => {
    const s = await openStream('ada');
    const record = (await getJson<SubscriptionRecord>(store, `live:sub:${ADA}`))!;
    expect(record.people).toContain(CLEO);
    const goodToken = await mintValidationToken(dt.context.keys, dt.tenant, dt.clientId);
    const item = (presence: object, overrides: object = {}) => ({
      subscriptionId: record.id,
      clientState: record.clientState,
      changeType: 'updated',
      resource: `communications/presences/${CLEO}`,
      subscriptionExpirationDateTime: new Date(record.expiresAt).toISOString(),
      tenantId: dt.tenantId,
      resourceData: { '@odata.type': '#microsoft.graph.presence', '@odata.id': `communications/presences/${CLEO}`, id: CLEO },
      encryptedContent: encryptContent(certPem, certificateId, {
        '@odata.type': '#microsoft.graph.presence',
        id: CLEO,
        activity: 'Presenting',
        availability: 'DoNotDisturb',
        ...presence,
      }),
      ...overrides,
    });
    const post = async (value: object[], validationTokens = [goodToken], expected = 202) => {
      const res = await fetch(`${base}/api/notifications`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ value, validationTokens }),
      });
      expect(res.status).toBe(expected);
    };
    const forgedKeys = await KeySet.forged(dt.context.keys.active.kid);
    const tampered = item({ sequenceNumber: 'Z9' }) as { encryptedContent: { data: string; dataSignature: string } };
    tampered.encryptedContent.data = Buffer.from('x'.repeat(64)).toString('base64');
    const badSignature = item({ sequenceNumber: 'Z9' }) as { encryptedContent: { dataSignature: string } };
    badSignature.encryptedContent.dataSignature = Buffer.alloc(32).toString('base64');
    await post([item({ sequenceNumber: 'Z1' }, { clientState: 'guessed' })]);
    await post([item({ sequenceNumber: 'Z2' }, { subscriptionId: '00000000-0000-4000-8000-00000000dead' })]);
    await post([item({ sequenceNumber: 'Z3' })], [await mintValidationToken(forgedKeys, dt.tenant, dt.clientId)]);
    await post(
      [item({ sequenceNumber: 'Z4' })],
      [await mintValidationToken(dt.context.keys, dt.tenant, '11111111-2222-4333-8444-555555555555')],
    );
    // Rich data without a validation token cannot even be read as a notification.
    await post([item({ sequenceNumber: 'Z5' })], [], 400);
    await post([tampered]);
    await post([badSignature]);
    // The real one, then a replay of it and an older one: only the real one is shown.
    await post([item({ sequenceNumber: 'Z8', availability: 'Away', activity: 'Away' })]);
    await post([item({ sequenceNumber: 'Z8', availability: 'Offline', activity: 'Offline' })]);
    await post([item({ sequenceNumber: 'Z7', availability: 'Offline', activity: 'Offline' })]);
    await post([item({ sequenceNumber: 'Z90', availability: 'Available', activity: 'Available' })]);
    await until(() => s.events.find((e) => e.data.id === CLEO && e.data.presence?.availability === 'Available'));
    const cleo = s.events.filter((e) => e.event === 'presence' && e.data.id === CLEO).map((e) => e.data.presence?.availability);
    // The first is the stream's initial state; then exactly the accepted changes, in order.
    expect(cleo.slice(1)).toEqual(['Away', 'Available']);
    await s.close();
  });

  it('reauthorizes when Graph asks (reauthorizationRequired), with the latest fresh token', async () => {
    const s = await openStream('ada');
    const record = (await getJson<SubscriptionRecord>(store, `live:sub:${ADA}`))!;
    dt.context.counters.reset();
    expect(
      (await dt.admin('POST', `/subscriptions/${record.id}/lifecycle`, { lifecycleEvent: 'reauthorizationRequired' })).status,
    ).toBeLessThan(300);
    await until(() => dt.context.counters.get('graph POST /v1.0/subscriptions/{id}/reauthorize') === 1 || undefined);
    // Counted when the request arrives: wait until the dev tenant has resumed deliveries (a change while paused is dropped).
    for (let paused = true; paused;) {
      const subs = (await (await dt.admin('GET', '/subscriptions')).json()) as { value: Array<{ id: string; paused: boolean }> };
      paused = subs.value.find((x) => x.id === record.id)?.paused ?? true;
      if (paused) await new Promise((r) => setTimeout(r, 25));
    }
    // Deliveries go on after it.
    await setPresence('cleo', 'Busy', 'InAMeeting');
    await until(() => s.events.find((e) => e.data.id === CLEO && e.data.presence?.availability === 'Busy'));
    await s.close();
  });

  it('acknowledges a burst of 1,000 notifications, each with 202', async () => {
    const record = (await getJson<SubscriptionRecord>(store, `live:sub:${ADA}`))!;
    const token = await mintValidationToken(dt.context.keys, dt.tenant, dt.clientId);
    const body = (n: number) =>
      JSON.stringify({
        validationTokens: [token],
        value: [
          {
            subscriptionId: record.id,
            clientState: record.clientState,
            changeType: 'updated',
            resource: `communications/presences/${CLEO}`,
            subscriptionExpirationDateTime: new Date(record.expiresAt).toISOString(),
            tenantId: dt.tenantId,
            encryptedContent: encryptContent(certPem, certificateId, {
              id: CLEO,
              availability: 'Busy',
              activity: 'Busy',
              sequenceNumber: `Y${String(n).padStart(5, '0')}`,
            }),
          },
        ],
      });
    const statuses: number[] = [];
    for (let i = 0; i < 1000; i += 50) {
      statuses.push(
        ...(await Promise.all(
          Array.from({ length: 50 }, (_, j) =>
            fetch(`${base}/api/notifications`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(i + j) }).then(
              (r) => r.status,
            ),
          ),
        )),
      );
    }
    expect(statuses.filter((s) => s === 202)).toHaveLength(1000);
  });
});

describe('Graph reads with push up', () => {
  it('reads the presence of pushed people once, not on every view load', async () => {
    // Reads of anyone else expire at once here, so only the subscription keeps them fresh.
    const s2 = http.createServer((q, r) => h(q, r));
    await new Promise<void>((r) => s2.listen(0, '127.0.0.1', () => r()));
    const port = (s2.address() as AddressInfo).port;
    const app = await appFor(dt, { env: { PORT: String(port) }, desk: { ttl: { presenceMs: 1 } } });
    const h = app.handler;
    const origin = `http://localhost:${port}`;
    try {
      const headers = await auth('hana');
      const presenceReads = () => dt.context.counters.get('graph POST /v1.0/communications/getPresencesByUserId');
      expect((await fetch(`${origin}/api/delegation`, { headers })).status).toBe(200);
      const before = presenceReads();
      await fetch(`${origin}/api/delegation`, { headers });
      // Without push every load reads presence again.
      expect(presenceReads()).toBe(before + 1);
      expect(
        ((await (await fetch(`${origin}/api/live/ticket`, { method: 'POST', headers })).json()) as { status: { mode: string } }).status
          .mode,
      ).toBe('live');
      await fetch(`${origin}/api/delegation?fresh=1`, { headers });
      const afterSubscribing = presenceReads();
      for (let i = 0; i < 3; i++) await fetch(`${origin}/api/delegation?fresh=1`, { headers });
      expect(presenceReads()).toBe(afterSubscribing);
    } finally {
      await app.close();
      s2.closeAllConnections();
      s2.close();
    }
  });
});
