import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDecipheriv, createHmac, privateDecrypt, constants } from 'node:crypto';
import { decodeJwt } from 'jose';
import { generate } from 'selfsigned';
import { startTestTenant, type TestTenant } from '../../testkit';

const ADA = '00000000-0000-4000-8000-000000000001';
const BEN = '00000000-0000-4000-8000-000000000002';
const GUS = '00000000-0000-4000-8000-000000000007';

/** A webhook receiver on loopback that echoes validation tokens and records what arrives. */
class Receiver {
  readonly received: Array<{ path: string; body: Record<string, unknown> }> = [];
  echo = true;
  private server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    const token = url.searchParams.get('validationToken');
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      if (token !== null) {
        res.writeHead(this.echo ? 200 : 500, { 'content-type': 'text/plain' }).end(this.echo ? token : 'no');
        return;
      }
      this.received.push({ path: url.pathname, body: JSON.parse(data || '{}') });
      res.writeHead(202).end();
    });
  });
  url = '';
  async start() {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.url = `http://localhost:${(this.server.address() as AddressInfo).port}`;
  }
  close() {
    this.server.close();
  }
  on(path: string) {
    return this.received.filter((r) => r.path === path);
  }
}

let dt: TestTenant;
let rx: Receiver;
let adaToken: string;
let appToken: string;
beforeAll(async () => {
  dt = await startTestTenant();
  rx = new Receiver();
  await rx.start();
  adaToken = await dt.graphToken('ada');
  appToken = await dt.appToken();
});
afterAll(async () => {
  rx.close();
  await dt.close();
});
beforeEach(async () => {
  rx.received.length = 0;
  rx.echo = true;
  // One presence subscription per user and app: a test that failed midway must not block the next.
  const list = (await (await send('GET', '/v1.0/subscriptions', adaToken)).json()) as { value: Array<{ id: string }> };
  for (const s of list.value) await send('DELETE', `/v1.0/subscriptions/${s.id}`, adaToken);
});

const post = (path: string, token: string, body: unknown) =>
  fetch(`${dt.origin}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const send = (method: string, path: string, token: string, body?: unknown) =>
  fetch(`${dt.origin}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

function subscription(extra: Record<string, unknown> = {}) {
  return {
    changeType: 'updated',
    notificationUrl: `${rx.url}/notify`,
    lifecycleNotificationUrl: `${rx.url}/lifecycle`,
    resource: `/communications/presences?$filter=id in ('${BEN}','${GUS}')`,
    expirationDateTime: inMinutes(50),
    clientState: 'secret-state',
    ...extra,
  };
}

describe('presence subscriptions', () => {
  it('creates after the validation handshake and notifies on a presence change', async () => {
    const res = await post('/v1.0/subscriptions', adaToken, subscription());
    expect(res.status).toBe(201);
    const sub = (await res.json()) as Record<string, unknown>;
    expect(sub).toMatchObject({
      changeType: 'updated',
      clientState: 'secret-state',
      applicationId: dt.clientId,
      creatorId: ADA,
      includeResourceData: false,
    });
    expect(typeof sub.id).toBe('string');

    await dt.admin('PUT', `/users/${BEN}/presence`, { availability: 'Busy', activity: 'InACall' });
    await expect.poll(() => rx.on('/notify').length, { timeout: 5000 }).toBeGreaterThan(0);
    const item = (rx.on('/notify')[0]!.body.value as Array<Record<string, unknown>>)[0]!;
    expect(item).toMatchObject({
      subscriptionId: sub.id,
      clientState: 'secret-state',
      changeType: 'updated',
      tenantId: dt.tenantId,
      resource: `communications/presences/${BEN}`,
      subscriptionExpirationDateTime: sub.expirationDateTime,
      resourceData: { '@odata.id': `users/${BEN}/presence`, '@odata.type': '#microsoft.graph.presence', id: BEN },
    });
    expect(item.encryptedContent).toBeUndefined();
    await send('DELETE', `/v1.0/subscriptions/${String(sub.id)}`, adaToken);
  });

  it('notifies for presence that moves with the schedule (no event), via the sweep', async () => {
    const res = await post(
      '/v1.0/subscriptions',
      adaToken,
      subscription({ resource: `communications/presences/00000000-0000-4000-8000-000000000008` }),
    );
    const sub = (await res.json()) as { id: string };
    // Hana follows the schedule; moving the clock without an event must still be noticed.
    for (let i = 0; i < 30 && rx.on('/notify').length === 0; i++) {
      dt.tenant.clock.advance(60_000);
      await new Promise((r) => setTimeout(r, 1100));
    }
    expect(rx.on('/notify').length).toBeGreaterThan(0);
    await send('DELETE', `/v1.0/subscriptions/${sub.id}`, adaToken);
  }, 60_000);

  it('sends rich notifications encrypted with the subscription certificate, with validation tokens', async () => {
    const pems = await generate([{ name: 'commonName', value: 'notifications' }], { keySize: 2048 });
    const certBase64 = pems.cert.replace(/-----[^-]+-----|\s/g, '');
    const res = await post(
      '/beta/subscriptions',
      adaToken,
      subscription({ includeResourceData: true, encryptionCertificate: certBase64, encryptionCertificateId: 'cert-1' }),
    );
    expect(res.status).toBe(201);
    const sub = (await res.json()) as { id: string };
    await dt.admin('PUT', `/users/${GUS}/presence`, { availability: 'Available', activity: 'Available', statusMessage: 'Back from leave' });
    await expect.poll(() => rx.on('/notify').length, { timeout: 5000 }).toBeGreaterThan(0);
    const body = rx.on('/notify')[0]!.body as { value: Array<{ encryptedContent: Record<string, string> }>; validationTokens: string[] };
    expect(decodeJwt(body.validationTokens[0]!)).toMatchObject({
      aud: dt.clientId,
      appid: '0bf30f3b-4a52-48df-9a82-234910c4a086',
      iss: `https://sts.windows.net/${dt.tenantId}/`,
    });
    const enc = body.value[0]!.encryptedContent;
    expect(enc.encryptionCertificateId).toBe('cert-1');
    const key = privateDecrypt(
      { key: pems.private, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
      Buffer.from(enc.dataKey!, 'base64'),
    );
    const data = Buffer.from(enc.data!, 'base64');
    expect(createHmac('sha256', key).update(data).digest('base64')).toBe(enc.dataSignature);
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    const content = JSON.parse(Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8'));
    expect(content).toMatchObject({
      '@odata.id': `users/${GUS}/presence`,
      '@odata.type': '#microsoft.graph.presence',
      id: GUS,
      availability: 'Available',
      activity: 'Available',
      statusMessage: { message: { content: 'Back from leave' } },
    });
    expect(content.sequenceNumber).toMatch(/^\d+$/);
    await send('DELETE', `/beta/subscriptions/${sub.id}`, adaToken);
    await dt.admin('DELETE', `/users/${GUS}/presence`);
  });

  it('refuses a failed handshake, a too-long expiry, too many users, app tokens, and rich data without a certificate', async () => {
    rx.echo = false;
    expect((await post('/v1.0/subscriptions', adaToken, subscription())).status).toBe(400);
    rx.echo = true;
    expect((await post('/v1.0/subscriptions', adaToken, subscription({ expirationDateTime: inMinutes(61) }))).status).toBe(400);
    expect((await post('/v1.0/subscriptions', adaToken, subscription({ expirationDateTime: inMinutes(-1) }))).status).toBe(400);
    const ids = Array.from({ length: 651 }, (_, i) => `'00000000-0000-4000-8000-${String(i).padStart(12, '0')}'`).join(',');
    expect(
      (await post('/v1.0/subscriptions', adaToken, subscription({ resource: `/communications/presences?$filter=id in (${ids})` }))).status,
    ).toBe(400);
    expect((await post('/v1.0/subscriptions', appToken, subscription())).status).toBe(403);
    expect((await post('/v1.0/subscriptions', adaToken, subscription({ includeResourceData: true }))).status).toBe(400);
    expect((await post('/v1.0/subscriptions', adaToken, subscription({ resource: '/me/messages' }))).status).toBe(400);
  });

  it('renews, reauthorizes, deletes, and answers 404 afterwards', async () => {
    const sub = (await (await post('/v1.0/subscriptions', adaToken, subscription())).json()) as { id: string };
    const renewed = await send('PATCH', `/v1.0/subscriptions/${sub.id}`, adaToken, { expirationDateTime: inMinutes(59) });
    expect(renewed.status).toBe(200);
    expect(Date.parse(((await renewed.json()) as { expirationDateTime: string }).expirationDateTime)).toBeGreaterThan(
      Date.now() + 58 * 60_000,
    );
    expect((await send('PATCH', `/v1.0/subscriptions/${sub.id}`, adaToken, { expirationDateTime: inMinutes(90) })).status).toBe(400);
    expect((await send('POST', `/v1.0/subscriptions/${sub.id}/reauthorize`, adaToken)).status).toBe(204);
    expect((await send('DELETE', `/v1.0/subscriptions/${sub.id}`, adaToken)).status).toBe(204);
    expect((await send('GET', `/v1.0/subscriptions/${sub.id}`, adaToken)).status).toBe(404);
    expect((await send('PATCH', `/v1.0/subscriptions/${sub.id}`, adaToken, { expirationDateTime: inMinutes(30) })).status).toBe(404);
  });

  it('keeps one presence subscription per user and app: a second create is 409 Conflict', async () => {
    const a = (await (await post('/v1.0/subscriptions', adaToken, subscription())).json()) as { id: string };
    expect((await post('/v1.0/subscriptions', adaToken, subscription())).status).toBe(409);
    expect((await send('GET', `/v1.0/subscriptions/${a.id}`, adaToken)).status).toBe(200);
    await send('DELETE', `/v1.0/subscriptions/${a.id}`, adaToken);
  });

  it('delivers lifecycle events', async () => {
    const sub = (await (await post('/v1.0/subscriptions', adaToken, subscription())).json()) as { id: string };
    expect((await dt.admin('POST', `/subscriptions/${sub.id}/lifecycle`, { lifecycleEvent: 'reauthorizationRequired' })).status).toBe(202);
    const ev = (rx.on('/lifecycle')[0]!.body.value as Array<Record<string, unknown>>)[0]!;
    expect(ev).toMatchObject({
      subscriptionId: sub.id,
      lifecycleEvent: 'reauthorizationRequired',
      tenantId: dt.tenantId,
      clientState: 'secret-state',
    });
    await send('DELETE', `/v1.0/subscriptions/${sub.id}`, adaToken);
  });
});

describe('calls', () => {
  const callBody = (target = BEN) => ({
    '@odata.type': '#microsoft.graph.call',
    callbackUri: `${rx.url}/calls`,
    targets: [
      {
        '@odata.type': '#microsoft.graph.invitationParticipantInfo',
        identity: {
          '@odata.type': '#microsoft.graph.identitySet',
          user: { '@odata.type': '#microsoft.graph.identity', displayName: 'Ben', id: target },
        },
      },
    ],
    requestedModalities: ['audio'],
    mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
    tenantId: dt.tenantId,
  });
  const states = () => rx.on('/calls').map((r) => (r.body.value as Array<{ resourceData: { state: string } }>)[0]!.resourceData.state);

  it('creates a call with an app token, reports establishing then established, and hangs up', async () => {
    const res = await post('/v1.0/communications/calls', appToken, callBody());
    expect(res.status).toBe(201);
    const call = (await res.json()) as { id: string; state: string; direction: string };
    expect(res.headers.get('location')).toBe(`${dt.origin}/v1.0/communications/calls/${call.id}`);
    expect(call).toMatchObject({ state: 'establishing', direction: 'outgoing' });
    await expect.poll(states, { timeout: 5000 }).toEqual(['establishing', 'established']);
    expect(((await (await send('GET', `/v1.0/communications/calls/${call.id}`, appToken)).json()) as { state: string }).state).toBe(
      'established',
    );
    expect((await send('DELETE', `/v1.0/communications/calls/${call.id}`, appToken)).status).toBe(204);
    await expect.poll(states).toEqual(['establishing', 'established', 'terminated']);
    expect((await send('GET', `/v1.0/communications/calls/${call.id}`, appToken)).status).toBe(404);
  });

  it('ends a call to someone offline with a result', async () => {
    await post('/v1.0/communications/calls', appToken, callBody(GUS));
    await expect.poll(states, { timeout: 5000 }).toEqual(['establishing', 'terminated']);
  });

  it('refuses delegated tokens and bad requests', async () => {
    expect((await post('/v1.0/communications/calls', adaToken, callBody())).status).toBe(403);
    expect((await post('/v1.0/communications/calls', appToken, callBody('99999999-0000-4000-8000-000000000000'))).status).toBe(404);
    expect((await post('/v1.0/communications/calls', appToken, { ...callBody(), requestedModalities: ['smell'] })).status).toBe(400);
    expect((await post('/v1.0/communications/calls', appToken, { ...callBody(), callbackUri: 'http://example.invalid/x' })).status).toBe(
      400,
    );
  });
});

describe('online meetings', () => {
  it('creates a meeting for me with a join link and organizer', async () => {
    const res = await post('/v1.0/me/onlineMeetings', adaToken, { subject: 'Cover for Ada' });
    expect(res.status).toBe(201);
    const m = (await res.json()) as {
      id: string;
      joinWebUrl: string;
      subject: string;
      participants: { organizer: { upn: string; identity: { user: { id: string } } } };
    };
    expect(m.joinWebUrl).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\/19%3ameeting_.+%40thread\.v2\/0\?context=/);
    expect(m.subject).toBe('Cover for Ada');
    expect(m.participants.organizer).toMatchObject({ upn: 'ada@fabrikam.test', identity: { user: { id: ADA } } });
    expect((await send('GET', `/v1.0/me/onlineMeetings/${m.id}`, adaToken)).status).toBe(200);
  });

  it('refuses app-only meetings without an access policy', async () => {
    expect((await post(`/v1.0/users/${ADA}/onlineMeetings`, appToken, {})).status).toBe(403);
  });
});
