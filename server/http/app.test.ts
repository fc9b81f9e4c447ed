import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTestTenant, type TestTenant } from '../../devtenant/testkit';
import { deskFor, configFor } from '../../tests/support/desk';
import { createHttpApp } from './app';

const PUBLIC_ORIGIN = 'https://desk.example.net';
let dt: TestTenant;
let server: http.Server;
let base: string;

beforeAll(async () => {
  dt = await startTestTenant();
  const staticDir = await mkdtemp(path.join(tmpdir(), 'dd-static-'));
  await writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>tab</title>');
  await mkdir(path.join(staticDir, 'assets'));
  await writeFile(path.join(staticDir, 'assets', 'index-abc123.js'), 'console.log(1)');
  const desk = deskFor(dt);
  server = http.createServer((q, r) => app(q, r));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://localhost:${(server.address() as AddressInfo).port}`;
  // The public origin differs from what requests show, as behind a TLS-terminating front end.
  const app = createHttpApp({
    desk,
    graph: configFor(dt),
    server: { staticDir, localHostOrigin: 'http://localhost:3980', publicOrigin: PUBLIC_ORIGIN, pollSeconds: 7 },
    health: () => storeHealth,
  });
});
afterAll(async () => {
  server.close();
  await dt.close();
});
beforeEach(() => dt.context.faults.reset());

let storeHealth: 'ok' | 'down' = 'ok';
const api = async (p: string, user?: string) =>
  fetch(`${base}${p}`, { headers: user ? { Authorization: `Bearer ${await dt.ssoToken(user)}` } : {} });

describe('tab server', () => {
  it("answers the caller's delegation view", async () => {
    const res = await api('/api/delegation', 'ada');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('no-store');
    const view = (await res.json()) as { me: { userPrincipalName: string }; delegates: Array<{ person: { displayName: string } }> };
    expect(view.me.userPrincipalName).toBe('ada@fabrikam.test');
    expect(view.delegates.map((d) => d.person.displayName)).toEqual(['Ben Assist', 'Cleo Assist']);
  });

  it('answers a repeated view with the same content and its own time', async () => {
    const token = await dt.ssoToken('ada');
    const get = async () => {
      const res = await fetch(`${base}/api/delegation`, { headers: { Authorization: `Bearer ${token}` } });
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      return (await res.json()) as { generatedAt: string };
    };
    const first = await get();
    await new Promise((r) => setTimeout(r, 5));
    const again = await get();
    expect(Date.parse(again.generatedAt)).toBeGreaterThan(Date.parse(first.generatedAt));
    expect({ ...again, generatedAt: '' }).toEqual({ ...first, generatedAt: '' });
    expect(Object.keys(again).sort()).toEqual(['delegates', 'delegators', 'generatedAt', 'me', 'presenceStale', 'whoCanTakeMyCall']);
    // A presence change: the answer is serialised again, not the last one with a new time.
    await dt.admin('PUT', '/users/ben/presence', { availability: 'Offline', activity: 'Offline' });
    try {
      await fetch(`${base}/api/delegation/refresh`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
      const changed = (await get()) as unknown as {
        delegates: Array<{ person: { displayName: string }; presence: { availability: string } }>;
      };
      expect(changed.delegates.find((d) => d.person.displayName === 'Ben Assist')?.presence.availability).toBe('Offline');
    } finally {
      await dt.admin('DELETE', '/users/ben/presence');
    }
  });

  it('answers 401 with a reason without a valid token', async () => {
    let res = await api('/api/delegation');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'invalidToken', reason: 'missing' } });
    expect(res.headers.get('www-authenticate')).toContain('invalid_token');
    const { token } = (await (await dt.admin('POST', '/tokens', { user: 'ada', lifetimeSeconds: -600 })).json()) as { token: string };
    res = await fetch(`${base}/api/delegation`, { headers: { Authorization: `Bearer ${token}` } });
    expect(await res.json()).toMatchObject({ error: { code: 'invalidToken', reason: 'expired' } });
  });

  it('maps each typed error to a status and a body the tab understands', async () => {
    let res = await api('/api/delegation', 'eve');
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'consentRequired', scopes: expect.arrayContaining(['CallDelegation.Read']) } });
    res = await api('/api/delegation', 'dan');
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'delegationDisabled', message: expect.stringContaining('administrator') } });
    res = await api('/api/delegation', 'finn');
    expect(res.status).toBe(401);
    const body = (await res.json()) as { error: { code: string; claims: string } };
    expect(body.error.code).toBe('claimsChallenge');
    expect(JSON.parse(body.error.claims)).toHaveProperty('access_token');
    await dt.admin('PUT', '/faults', { rules: [{ match: 'callSettings', errors: { rate429: 1, rate503: 0, retryAfterSeconds: 0.1 } }] });
    res = await api('/api/delegation', 'hana');
    expect(res.status).toBe(429);
    expect(await res.json()).toMatchObject({ error: { code: 'throttled' } });
  });

  it('gives every error a reference, and logs what an administrator needs without the token', async () => {
    const broken = http.createServer(
      createHttpApp({
        desk: deskFor(dt, {}, { clientSecret: 'wrong' }),
        graph: configFor(dt),
        server: { staticDir: '/nonexistent', publicOrigin: PUBLIC_ORIGIN, pollSeconds: 30 },
      }),
    );
    await new Promise<void>((r) => broken.listen(0, '127.0.0.1', () => r()));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const token = await dt.ssoToken('ada');
      const res = await fetch(`http://localhost:${(broken.address() as AddressInfo).port}/api/delegation`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      const body = (await res.json()) as { error: { code: string; requestId: string } };
      expect([res.status, body.error.code]).toEqual([500, 'authConfiguration']);
      expect(body.error.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.headers.get('request-id')).toBe(body.error.requestId);
      const logged = warn.mock.calls.map((c) => String(c[0])).join('\n');
      expect(logged).toContain(body.error.requestId);
      expect(logged).toMatch(/AADSTS7000215/);
      expect(logged).not.toContain(token);
    } finally {
      warn.mockRestore();
      broken.close();
    }
  });

  it('serves photos, 404 when there is none, 400 for a bad id', async () => {
    let res = await api('/api/people/00000000-0000-4000-8000-000000000002/photo', 'ada');
    expect([res.status, res.headers.get('content-type')]).toEqual([200, 'image/jpeg']);
    res = await api('/api/people/00000000-0000-4000-8000-000000000003/photo', 'ada');
    expect(res.status).toBe(404);
    res = await api('/api/people/not-an-id/photo', 'ada');
    expect(res.status).toBe(400);
  });

  it('tells the tab its public configuration, never a secret', async () => {
    const res = await api('/api/config');
    const cfg = (await res.json()) as Record<string, unknown>;
    expect(cfg).toMatchObject({
      clientId: dt.clientId,
      authorizeUrl: `${dt.origin}/${dt.tenantId}/oauth2/v2.0/authorize`,
      localHostOrigin: 'http://localhost:3980',
      pollSeconds: 7,
    });
    expect(JSON.stringify(cfg)).not.toContain(dt.clientSecret);
  });

  it('may be framed by Teams and the configured local host only', async () => {
    const res = await fetch(`${base}/tab`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain('frame-ancestors');
    expect(csp).toContain('https://teams.microsoft.com');
    expect(csp).toContain('http://localhost:3980');
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("object-src 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers every page, asset, API and error with the same security headers (404s included)', async () => {
    const bodies: Array<[string, RequestInit?]> = [
      ['/tab'],
      ['/assets/index-abc123.js'],
      ['/api/config'],
      ['/api/health'],
      ['/api/delegation'],
      ['/api/nope'],
      ['/nope'],
      ['/nope.html'],
      ['/assets/missing.js'],
      ['/api/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' }],
    ];
    const first = (await fetch(`${base}/tab`)).headers.get('content-security-policy');
    for (const [p, init] of bodies) {
      const res = await fetch(`${base}${p}`, init);
      expect(res.headers.get('content-security-policy'), p).toBe(first);
      expect(res.headers.get('x-content-type-options'), p).toBe('nosniff');
      if (res.status === 404) expect(await res.json(), p).toMatchObject({ error: { code: 'notFound' } });
    }
  });

  it('starts the consent flow at Entra ID with our redirect page', async () => {
    const res = await fetch(`${base}/auth-start?loginHint=eve@fabrikam.test&state=s1`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const to = new URL(res.headers.get('location')!);
    expect(`${to.origin}${to.pathname}`).toBe(`${dt.origin}/${dt.tenantId}/oauth2/v2.0/authorize`);
    expect(Object.fromEntries(to.searchParams)).toMatchObject({
      client_id: dt.clientId,
      response_type: 'code',
      redirect_uri: `${PUBLIC_ORIGIN}/auth-end.html`,
      login_hint: 'eve@fabrikam.test',
      state: 's1',
      prompt: 'consent',
    });
    // A claims challenge goes to Entra ID as the step it asks for, not as consent.
    const claims = '{"access_token":{"polids":{"essential":true,"values":["p1"]}}}';
    const step = new URL(
      (await fetch(`${base}/auth-start?${new URLSearchParams({ claims, state: 's2' })}`, { redirect: 'manual' })).headers.get('location')!,
    );
    expect([step.searchParams.get('claims'), step.searchParams.get('prompt')]).toEqual([claims, null]);
  });

  it('caches hashed assets for good and makes the tab page revalidate', async () => {
    const asset = await api('/assets/index-abc123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const missing = await api('/assets/missing.js');
    expect(missing.status).toBe(404);
    const text = await missing.text();
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'notFound' } });
    expect(text).not.toMatch(/ENOENT|\/tmp\//);
    for (const page of ['/tab', '/index.html']) {
      const res = await api(page);
      expect(res.status, page).toBe(200);
      expect(res.headers.get('cache-control'), page).toBe('no-cache');
    }
  });

  it('answers a health check without a token and without calling Graph', async () => {
    dt.context.counters.reset();
    const res = await api('/api/health');
    expect([res.status, await res.json()]).toEqual([200, { status: 'ok', store: 'ok' }]);
    expect(dt.context.counters.total('graph ')).toBe(0);
  });

  it('answers the health check with 503 while the shared store is down, so a load balancer drains the instance', async () => {
    storeHealth = 'down';
    try {
      const res = await api('/api/health');
      expect([res.status, res.headers.get('cache-control'), await res.json()]).toEqual([
        503,
        'no-store',
        { status: 'down', store: 'down' },
      ]);
    } finally {
      storeHealth = 'ok';
    }
    expect((await api('/api/health')).status).toBe(200);
  });

  it('answers unknown APIs with JSON 404', async () => {
    const res = await api('/api/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'notFound' } });
  });
});
