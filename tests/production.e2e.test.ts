/**
 * The production build as App Service runs it: `node dist/server/main.js` (no TypeScript loader), given only
 * the real-tenant variables (Entra app, secret, tenant, bot registration, domain) pointing at a dev tenant.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'vite';
import { startTestTenant, type TestTenant } from '../devtenant/testkit';
import { spawnTree, type ProcessTree } from '../scripts/processes';
import { freePort } from './support/ports';

const out = path.resolve('test-results', 'production-build');
const mainJs = path.join(out, 'server', 'main.js');
let dt: TestTenant;
let base: string;
/** Every server started here, stopped (with anything it started) after the suite. */
const servers: ProcessTree[] = [];

function realTenantEnv(port: number): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS,
    PORT: String(port),
    AAD_APP_CLIENT_ID: dt.clientId,
    AAD_APP_CLIENT_SECRET: dt.clientSecret,
    AAD_APP_TENANT_ID: dt.tenantId,
    AAD_APP_OAUTH_AUTHORITY_HOST: dt.origin,
    GRAPH_BASE_URL: dt.origin,
    TAB_DOMAIN: 'localhost',
    BOT_ID: dt.clientId,
    BOT_PASSWORD: dt.clientSecret,
  };
}

/** Runs the built server; resolves with its output once it listens, or once it exits. */
function run(env: NodeJS.ProcessEnv): Promise<{ server: ProcessTree; output: string; exitCode: number | null }> {
  const server = spawnTree(process.execPath, [mainJs], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  servers.push(server);
  return new Promise((resolve) => {
    let output = '';
    const seen = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Delegate Desk server on')) resolve({ server, output, exitCode: null });
    };
    server.child.stdout!.on('data', seen);
    server.child.stderr!.on('data', seen);
    void server.exited.then(({ code }) => resolve({ server, output, exitCode: code }));
  });
}

beforeAll(async () => {
  await rm(out, { recursive: true, force: true });
  // The same two builds as `npm run build`, into a git-ignored folder of the repository (so the server
  // finds node_modules as it does on App Service).
  await build({
    configFile: path.resolve('tab/vite.config.ts'),
    logLevel: 'silent',
    build: { outDir: path.join(out, 'tab'), emptyOutDir: true },
  });
  await build({
    configFile: path.resolve('server/vite.config.ts'),
    logLevel: 'silent',
    build: { outDir: path.join(out, 'server'), emptyOutDir: true },
  });
  dt = await startTestTenant();
  const port = await freePort();
  base = `http://localhost:${port}`;
  const started = await run(realTenantEnv(port));
  expect(started.exitCode, started.output).toBeNull();
}, 120_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await dt?.close();
});

describe('the production build', () => {
  it('serves the built tab', async () => {
    const res = await fetch(`${base}/tab`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js">/);
  });

  it("answers a signed-in user's delegation view from the tenant", async () => {
    const res = await fetch(`${base}/api/delegation`, { headers: { Authorization: `Bearer ${await dt.ssoToken('ada')}` } });
    expect(res.status).toBe(200);
    const view = (await res.json()) as { delegates: Array<{ person: { displayName: string } }> };
    expect(view.delegates.map((d) => d.person.displayName)).toEqual(['Ben Assist', 'Cleo Assist']);
  });

  it('requires Bot Framework authentication on the bot endpoint: none, or a forged token, is 401 with a reason', async () => {
    const { SignJWT, generateKeyPair, base64url } = await import('jose');
    const { privateKey } = await generateKeyPair('RS256');
    const serviceUrl = 'https://smba.trafficmanager.net/emea/';
    const claims = {
      aud: dt.clientId,
      iss: 'https://api.botframework.com',
      serviceurl: serviceUrl,
      exp: Math.floor(Date.now() / 1000) + 600,
    };
    const activity = {
      type: 'message',
      text: 'hi',
      channelId: 'msteams',
      serviceUrl,
      from: { id: '29:x', aadObjectId: '00000000-0000-4000-8000-000000000001' },
      recipient: { id: '28:bot' },
      conversation: { id: 'a:x', conversationType: 'personal', tenantId: dt.tenantId },
    };
    const headers = [
      undefined,
      'Bearer nonsense',
      `Bearer ${base64url.encode('{"alg":"none"}')}.${base64url.encode(JSON.stringify(claims))}.`,
      `Bearer ${await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new Uint8Array(32))}`,
      `Bearer ${await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'forged' }).sign(privateKey)}`,
      `Bearer ${await new SignJWT({ ...claims, iss: 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/', appid: dt.clientId, ver: '1.0' }).setProtectedHeader({ alg: 'RS256', kid: 'forged' }).sign(privateKey)}`,
    ];
    for (const authorization of headers) {
      const res = await fetch(`${base}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify(activity),
      });
      const text = await res.text();
      expect(res.status, authorization?.slice(0, 30) ?? 'none').toBe(401);
      expect(JSON.parse(text)).toMatchObject({
        error: { code: 'unauthorized', message: expect.stringMatching(/^Bot Framework authentication failed: .+/) },
      });
      expect(text).not.toMatch(/\n\s+at |node_modules|\.js:\d/);
    }
    // A reply to anywhere but Teams' connector is refused before authentication.
    const elsewhere = await fetch(`${base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...activity, serviceUrl: 'https://evil.example/' }),
    });
    expect(elsewhere.status).toBe(400);
  });

  it('answers unreadable requests in JSON, without internal details', async () => {
    const res = await fetch(`${base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'badRequest' } });
    expect(text).not.toMatch(/SyntaxError|at .*\.js/);
    const missing = await fetch(`${base}/assets/nothing-here.js`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).not.toMatch(/ENOENT|production-build/);
  });

  it('sends consent back to its public https origin', async () => {
    const res = await fetch(`${base}/auth-start?state=s`, { redirect: 'manual' });
    expect(new URL(res.headers.get('location')!).searchParams.get('redirect_uri')).toBe('https://localhost/auth-end.html');
  });

  it('answers its health check', async () => {
    expect((await fetch(`${base}/api/health`)).status).toBe(200);
  });

  it('finishes the request in progress, then stops, on SIGTERM (as App Service stops an instance)', async () => {
    const port = await freePort();
    const { server, exitCode } = await run(realTenantEnv(port));
    expect(exitCode).toBeNull();
    dt.context.faults.set({ rules: [{ match: 'callSettings', latency: { fixedMs: 600 } }] });
    try {
      const inProgress = fetch(`http://localhost:${port}/api/delegation`, {
        headers: { Authorization: `Bearer ${await dt.ssoToken('ada')}` },
      });
      await new Promise((r) => setTimeout(r, 200));
      const stopped = server.stop('SIGTERM', 20_000);
      expect((await inProgress).status).toBe(200);
      await stopped;
      expect((await server.exited).code).toBe(0);
    } finally {
      dt.context.faults.reset();
    }
  });

  it('refuses to start without its bot secret, naming it', async () => {
    const { output, exitCode } = await run({ ...realTenantEnv(await freePort()), BOT_PASSWORD: undefined });
    expect(exitCode).toBe(1);
    expect(output).toContain('BOT_PASSWORD is missing');
  });
});
