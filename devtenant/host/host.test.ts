import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt } from 'jose';
import type { Page } from 'playwright-core';
import { startTestTenant, type TestTenant } from '../testkit';
import { startLocalTeamsHost, type LocalTeamsHost, type HostEvent } from './hostServer';
import { launchBrowser } from '../../tests/support/browser';
import { freePort } from '../../tests/support/ports';

/**
 * A stand-in tab on its own origin that uses the real teams-js against the host, so the host's side of
 * the protocol is tested without the product's tab.
 */
function fixtureTab(hostOrigin: string, authUrl: string) {
  return `<!doctype html><html><body><script>window.AUTH_URL = ${JSON.stringify(authUrl)};</script>
<p>user: <span id="user"></span></p><p>theme: <span id="theme"></span></p><p>token: <span id="token"></span></p><p>silent: <span id="silent"></span></p>
<p>auth: <span id="auth"></span></p>
<button id="call">call</button><button id="link">link</button><button id="login">login</button>
<script src="${hostOrigin}/lib/teams-js/MicrosoftTeams.min.js"></script>
<script>
const $ = (id) => document.getElementById(id);
microsoftTeams.app.initialize(['${hostOrigin}']).then(async () => {
  const ctx = await microsoftTeams.app.getContext();
  $('user').textContent = ctx.user.userPrincipalName + ' ' + ctx.app.host.name + ' ' + ctx.page.frameContext;
  $('theme').textContent = ctx.app.theme;
  microsoftTeams.app.registerOnThemeChangeHandler((t) => { $('theme').textContent = t; });
  $('token').textContent = await microsoftTeams.authentication.getAuthToken().catch((e) => 'ERR:' + e.message);
  $('silent').textContent = await microsoftTeams.authentication.getAuthToken({ silent: true }).then(() => 'ok', (e) => 'ERR:' + e.message);
  $('call').onclick = () => microsoftTeams.call.startCall({ targets: ['ben@fabrikam.test'], requestedModalities: ['video'], source: 'delegatedesk' });
  $('link').onclick = () => microsoftTeams.app.openLink('https://teams.microsoft.com/l/chat/0/0?users=cleo@fabrikam.test');
  $('login').onclick = () => microsoftTeams.authentication.authenticate({ url: window.AUTH_URL, width: 400, height: 400 })
    .then((r) => { $('auth').textContent = 'ok:' + r; }, (e) => { $('auth').textContent = 'ERR:' + e.message; });
  microsoftTeams.app.notifySuccess();
});
</script></body></html>`;
}

/** Where the consent page redirects: reports the outcome to the host as a tab's auth-end page does. */
function authEnd(hostOrigin: string) {
  return `<!doctype html><html><body>auth end
<script src="${hostOrigin}/lib/teams-js/MicrosoftTeams.min.js"></script>
<script>microsoftTeams.app.initialize(['${hostOrigin}']).then(() => {
  const q = new URLSearchParams(location.search);
  if (q.get('code')) microsoftTeams.authentication.notifySuccess('consented');
  else microsoftTeams.authentication.notifyFailure(q.get('error') || 'unknown');
});</script></body></html>`;
}

let dt: TestTenant;
let host: LocalTeamsHost;
let tabServer: http.Server;
let tabOrigin: string;
let browser: Awaited<ReturnType<typeof launchBrowser>>;

beforeAll(async () => {
  dt = await startTestTenant();
  tabServer = http.createServer((req, res) => {
    res.setHeader('content-type', 'text/html');
    const authUrl = `${dt.origin}/${dt.tenantId}/oauth2/v2.0/authorize?${new URLSearchParams({
      client_id: dt.clientId,
      response_type: 'code',
      redirect_uri: `${tabOrigin}/auth-end`,
      scope: 'https://graph.microsoft.com/.default',
      login_hint: 'eve@fabrikam.test',
      state: 's',
    })}`;
    res.end(req.url?.startsWith('/auth-end') ? authEnd(host.origin) : fixtureTab(host.origin, authUrl));
  });
  await new Promise<void>((r) => tabServer.listen(0, '127.0.0.1', () => r()));
  tabOrigin = `http://localhost:${(tabServer.address() as AddressInfo).port}`;
  host = await startLocalTeamsHost(dt.context, { tabUrl: `${tabOrigin}/tab`, defaultUser: 'ada@fabrikam.test' });
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await host?.close();
  tabServer?.close();
  await dt?.close();
});

beforeEach(() => {
  host.events.length = 0;
});

async function openHost(query = ''): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(`${host.origin}/${query}`);
  return page;
}

const tab = (page: Page) => page.frameLocator('#tab');
const eventsOf = (type: HostEvent['type']) => host.events.filter((e) => e.type === type);

describe('local Teams host', () => {
  it('initializes the tab, gives it the Teams context and a real SSO token for the picked user', async () => {
    const page = await openHost();
    await expect.poll(() => tab(page).locator('#user').textContent(), { timeout: 15_000 }).toBe('ada@fabrikam.test Teams content');
    // The token comes after the context (its own round trip to the host).
    await expect.poll(async () => (await tab(page).locator('#token').textContent()) ?? '', { timeout: 15_000 }).toMatch(/^ey|^ERR:/);
    const token = (await tab(page).locator('#token').textContent())!;
    expect(decodeJwt(token)).toMatchObject({ aud: dt.clientId, scp: 'access_as_user', preferred_username: 'ada@fabrikam.test' });
    await expect.poll(() => eventsOf('appLoaded').length).toBeGreaterThan(0);
    await page.close();
  });

  it('switches user and reloads the tab for them', async () => {
    const page = await openHost();
    await expect.poll(() => tab(page).locator('#user').textContent(), { timeout: 15_000 }).toContain('ada@');
    await page.selectOption('#user', 'ben@fabrikam.test');
    await expect.poll(() => tab(page).locator('#user').textContent(), { timeout: 15_000 }).toContain('ben@fabrikam.test');
    // The test page shows the user before its getAuthToken answers: wait for the token too.
    const username = async () => {
      const token = (await tab(page).locator('#token').textContent()) ?? '';
      return token.split('.').length === 3 ? decodeJwt(token).preferred_username : undefined;
    };
    await expect.poll(username, { timeout: 15_000 }).toBe('ben@fabrikam.test');
    expect(new URL(page.url()).searchParams.get('user')).toBe('ben@fabrikam.test');
    await page.close();
  });

  it('answers a silent token request for a user without consent with resourceRequiresConsent', async () => {
    const page = await openHost('?user=eve@fabrikam.test');
    await expect.poll(() => tab(page).locator('#silent').textContent(), { timeout: 15_000 }).toBe('ERR:resourceRequiresConsent');
    await page.close();
  });

  it("hands out the same SSO token again until it nears expiry, as Teams' cache does; a step-up's claims get their own", async () => {
    const ask = async (body: object) => {
      const res = await fetch(`${host.origin}/api/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: 'ben@fabrikam.test', ...body }),
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { token: string }).token;
    };
    const first = await ask({});
    expect(await ask({})).toBe(first);
    const claims = JSON.stringify({ access_token: { acrs: { essential: true, value: 'c1' } } });
    const stepped = await ask({ claims: [claims] });
    expect(stepped).not.toBe(first);
    expect(await ask({ claims: [claims] })).toBe(stepped);
    const { exp } = decodeJwt(first);
    await dt.admin('POST', '/clock', { advanceSeconds: exp! - Math.floor(Date.now() / 1000) - 30 });
    try {
      const renewed = await ask({});
      expect(renewed).not.toBe(first);
      expect(decodeJwt(renewed).exp).toBeGreaterThan(exp!);
    } finally {
      await dt.admin('POST', '/clock', { release: true });
    }
  });

  it('sends theme changes to the tab', async () => {
    const page = await openHost('?theme=dark');
    await expect.poll(() => tab(page).locator('#theme').textContent(), { timeout: 15_000 }).toBe('dark');
    await page.selectOption('#theme', 'contrast');
    await expect.poll(() => tab(page).locator('#theme').textContent()).toBe('contrast');
    expect(await page.evaluate(() => document.body.dataset.theme)).toBe('contrast');
    await page.close();
  });

  it('records call.startCall and deep links and tells the person what Teams would do', async () => {
    const page = await openHost();
    await expect.poll(() => tab(page).locator('#user').textContent(), { timeout: 15_000 }).toContain('ada@');
    await tab(page).locator('#call').click();
    await expect.poll(() => eventsOf('startCall').length).toBe(1);
    expect(eventsOf('startCall')[0]!.detail).toMatchObject({ targets: ['ben@fabrikam.test'], requestedModalities: ['video'] });
    await expect(page.locator('#notices').textContent()).resolves.toContain('Teams would start a video call with Ben Assist');
    await tab(page).locator('#link').click();
    await expect.poll(() => eventsOf('deepLink').length).toBe(1);
    expect(eventsOf('deepLink')[0]!.detail.url).toBe('https://teams.microsoft.com/l/chat/0/0?users=cleo@fabrikam.test');
    await expect.poll(() => page.locator('#notices').textContent()).toContain('Teams would open a chat with Cleo Assist');
    await page.close();
  });

  it('runs authentication.authenticate in a popup on the consent page (mirrored over http) and returns the outcome', async () => {
    await dt.admin('DELETE', '/users/eve@fabrikam.test/consent');
    const page = await openHost('?user=eve@fabrikam.test');
    await expect.poll(() => tab(page).locator('#user').textContent(), { timeout: 15_000 }).toContain('eve@');

    let popupPromise = browser.context.waitForEvent('page');
    await tab(page).locator('#login').click();
    let popup = await popupPromise;
    await popup.waitForLoadState();
    expect(popup.url().startsWith(`${host.origin}/${dt.tenantId}/oauth2/v2.0/authorize?`)).toBe(true);
    // The auth-end page closes the popup as soon as it has reported, possibly before the click settles.
    await Promise.all([
      popup.waitForEvent('close'),
      popup
        .getByRole('button', { name: 'Cancel' })
        .click({ noWaitAfter: true })
        .catch(() => {}),
    ]);
    await expect.poll(() => tab(page).locator('#auth').textContent(), { timeout: 15_000 }).toBe('ERR:access_denied');
    expect(dt.tenant.consentedScopes('00000000-0000-4000-8000-000000000005').size).toBe(0);

    popupPromise = browser.context.waitForEvent('page');
    await tab(page).locator('#login').click();
    popup = await popupPromise;
    await Promise.all([
      popup.waitForEvent('close'),
      popup
        .getByRole('button', { name: 'Accept' })
        .click({ noWaitAfter: true })
        .catch(() => {}),
    ]);
    await expect.poll(() => tab(page).locator('#auth').textContent(), { timeout: 15_000 }).toBe('ok:consented');
    expect(dt.tenant.consentedScopes('00000000-0000-4000-8000-000000000005').size).toBeGreaterThan(0);
    await dt.admin('DELETE', '/users/eve@fabrikam.test/consent');
    await page.close();
  });

  it('says "starting…" while the product server is not up yet, and loads the tab once it answers, without a reload', async () => {
    const port = await freePort();
    const late = await startLocalTeamsHost(dt.context, { tabUrl: `http://localhost:${port}/tab`, defaultUser: 'ada@fabrikam.test' });
    const server = http.createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end('<!doctype html><p id="ready">the tab</p>');
    });
    try {
      const page = await browser.context.newPage();
      await page.goto(`${late.origin}/`);
      await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
      const starting = page.getByRole('status').filter({ hasText: 'Delegate Desk is starting…' });
      await starting.waitFor({ timeout: 10_000 });
      expect(await page.locator('#tab').isHidden()).toBe(true);
      await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
      await page.frameLocator('#tab').locator('#ready').waitFor({ timeout: 15_000 });
      expect(await starting.isHidden()).toBe(true);
      expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(1);
      await page.close();
    } finally {
      server.close();
      await late.close();
    }
  });
});
