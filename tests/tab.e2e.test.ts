/**
 * End to end in Chromium: the local Teams host frames the built tab, served by the product server,
 * which talks to the dev tenant over HTTPS. Nothing is stubbed.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { launchBrowser } from './support/browser';
import { startStack, type Stack } from './support/stack';

const UPN = (local: string) => `${local}@contoso.onmicrosoft.com`;
const screenshots = path.resolve('test-results', 'screenshots');

let stack: Stack;
let dt: Stack['dt'];
let host: Stack['host'];
let browser: Awaited<ReturnType<typeof launchBrowser>>;

beforeAll(async () => {
  stack = await startStack({
    defaultUser: UPN('megan.bowen'),
    fixedClock: new Date('2026-03-02T10:00:00Z'),
    pollSeconds: 1,
    deskOptions: { ttl: { presenceMs: 300 }, retry: { maxAttempts: 2, maxTotalWaitMs: 500, baseDelayMs: 50, maxDelayMs: 100 } },
  });
  ({ dt, host } = stack);
  browser = await launchBrowser();
  await mkdir(screenshots, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

beforeEach(async () => {
  dt.context.faults.reset();
  host.events.length = 0;
});

async function openAs(local: string, theme = 'default'): Promise<{ page: Page; tab: Frame }> {
  const page = await browser.context.newPage();
  await page.goto(`${host.origin}/?user=${UPN(local)}&theme=${theme}`);
  const handle = await page.waitForSelector('#tab');
  const tab = (await handle.contentFrame())!;
  return { page, tab };
}

const card = (tab: Frame, list: string, name: string) => tab.getByRole('list', { name: list }).getByRole('group', { name });

/** Fluent animates colour changes: let them finish so screenshots and contrast show the theme itself. */
const settle = (tab: Frame) => tab.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished)));

const admin = (method: string, path: string, body?: unknown) =>
  fetch(`${dt.origin}/devtenant${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });

describe('personal tab in the local Teams host', () => {
  it("shows an executive's delegates with presence, status and permissions", async () => {
    const cspViolations: string[] = [];
    browser.context.on('console', (m) => void (/Content Security Policy/i.test(m.text()) && cspViolations.push(m.text())));
    const { page, tab } = await openAs('megan.bowen');
    const lynne = card(tab, 'My delegates', 'Lynne Robbins');
    await lynne.waitFor({ timeout: 20_000 });
    expect(await lynne.getByTestId('presence').textContent()).toBe('Available');
    expect(await lynne.getByTestId('status-message').textContent()).toContain('Covering calls for Megan, Adele and Lee');
    for (const p of ['Make calls', 'Receive calls', 'Pick up held calls', 'Join active calls', 'Manage call settings'])
      expect(await lynne.getByText(p, { exact: true }).count()).toBe(1);
    const alex = card(tab, 'My delegates', 'Alex Wilber');
    expect(await alex.getByText('Manage call settings', { exact: true }).count()).toBe(0);
    expect(await tab.getByTestId('now-summary').textContent()).toContain('Lynne Robbins');
    await page.screenshot({ path: path.join(screenshots, 'tab-light.png') });
    expect(cspViolations).toEqual([]);
    await page.close();
  });

  it('switches user: the assistant sees the three executives she covers', async () => {
    const { page } = await openAs('megan.bowen');
    await page.selectOption('#user', UPN('lynne.robbins'));
    const tab = (await (await page.waitForSelector('#tab')).contentFrame())!;
    const list = tab.getByRole('list', { name: 'People I take calls for' });
    await list.waitFor({ timeout: 20_000 });
    await expect.poll(async () => (await list.getByRole('group').allTextContents()).length, { timeout: 10_000 }).toBe(3);
    for (const name of ['Megan Bowen', 'Adele Vance', 'Lee Gu']) expect(await list.getByRole('group', { name }).count()).toBe(1);
    await page.close();
  });

  it('updates presence without reloading the page or losing focus', async () => {
    const { page, tab } = await openAs('megan.bowen');
    const lynne = card(tab, 'My delegates', 'Lynne Robbins');
    await lynne.waitFor({ timeout: 20_000 });
    await tab.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    await card(tab, 'My delegates', 'Alex Wilber').getByRole('button', { name: 'Chat with Alex Wilber', exact: true }).focus();
    const presence = (body: unknown) =>
      fetch(`${dt.origin}/devtenant/users/${UPN('lynne.robbins')}/presence`, {
        method: body ? 'PUT' : 'DELETE',
        headers: { 'content-type': 'application/json' },
        body: body ? JSON.stringify(body) : undefined,
      });
    expect((await presence({ availability: 'Busy', activity: 'InACall' })).status).toBe(200);
    await expect.poll(() => lynne.getByTestId('presence').textContent(), { timeout: 15_000 }).toBe('Busy, in a call');
    expect(await lynne.getByTestId('verdict').textContent()).toBe('Lynne is in a call.');
    expect(await tab.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(42);
    expect(await tab.evaluate(() => document.activeElement?.textContent)).toBe('Chat');
    expect(await tab.evaluate(() => document.activeElement?.closest('[data-person-id]')?.getAttribute('aria-label'))).toBe('Alex Wilber');
    await presence(undefined);
    await page.close();
  });

  it('shows a delegate added in Teams at once when the person refreshes', async () => {
    const { page, tab } = await openAs('megan.bowen');
    await card(tab, 'My delegates', 'Lynne Robbins').waitFor({ timeout: 20_000 });
    expect(
      (
        await admin('POST', '/delegations', {
          delegator: UPN('megan.bowen'),
          delegate: UPN('grady.archie'),
          allowedActions: { receiveCalls: true },
        })
      ).status,
    ).toBe(201);
    try {
      await tab.getByRole('button', { name: 'Refresh' }).click();
      await card(tab, 'My delegates', 'Grady Archie').waitFor({ timeout: 10_000 });
    } finally {
      await admin('DELETE', `/delegations/${UPN('megan.bowen')}/${UPN('grady.archie')}`);
    }
    // And gone again at the next refresh (which also leaves the server's cache as the other tests expect).
    await tab.getByRole('button', { name: 'Refresh' }).click();
    await card(tab, 'My delegates', 'Grady Archie').waitFor({ state: 'detached', timeout: 10_000 });
    await page.close();
  });

  it('starts a Teams call with the right person', async () => {
    const { page, tab } = await openAs('megan.bowen');
    const lynne = card(tab, 'My delegates', 'Lynne Robbins');
    await lynne.waitFor({ timeout: 20_000 });
    await lynne.getByRole('button', { name: 'Call Lynne Robbins', exact: true }).click();
    await expect.poll(() => host.events.filter((e) => e.type === 'startCall').length, { timeout: 10_000 }).toBe(1);
    expect(host.events.find((e) => e.type === 'startCall')!.detail).toMatchObject({
      targets: [UPN('lynne.robbins')],
      requestedModalities: ['audio'],
    });
    await lynne.getByRole('button', { name: 'Chat with Lynne Robbins', exact: true }).click();
    await expect
      .poll(() => host.events.filter((e) => e.type === 'deepLink').map((e) => e.detail.url))
      .toEqual([`https://teams.microsoft.com/l/chat/0/0?users=${encodeURIComponent(UPN('lynne.robbins'))}`]);
    await page.close();
  });

  it('asks a user without consent for permission, then shows their data', async () => {
    const omar = dt.tenant.findUser('omar.haddad')!;
    dt.tenant.revokeConsent(omar.id);
    const { page, tab } = await openAs('omar.haddad');
    const grant = tab.getByRole('button', { name: 'Grant permission' });
    await grant.waitFor({ timeout: 20_000 });
    const popupPromise = browser.context.waitForEvent('page');
    await grant.click();
    const popup = await popupPromise;
    await popup.getByRole('button', { name: 'Accept' }).waitFor();
    await Promise.all([
      popup.waitForEvent('close'),
      popup
        .getByRole('button', { name: 'Accept' })
        .click({ noWaitAfter: true })
        .catch(() => {}),
    ]);
    await card(tab, 'My delegates', 'Aisha Bello').waitFor({ timeout: 20_000 });
    expect(dt.tenant.consentedScopes(omar.id).size).toBeGreaterThan(0);
    await page.close();
  });

  it('explains a disabled calling policy', async () => {
    const { page, tab } = await openAs('diego.siciliani');
    await tab.getByRole('alert').waitFor({ timeout: 20_000 });
    expect(await tab.getByRole('alert').textContent()).toContain('Call delegation is turned off');
    await page.close();
  });

  it('stays usable when Graph throttles or fails: last data kept, retrying', async () => {
    // Polling (push blocked), for someone whose people no subscription covers: every poll reads presence
    // from Graph, so Graph's throttling reaches the tab. (With push up the server need not read at all.)
    const page = await browser.context.newPage();
    await page.route('**/api/live/**', (route) => route.abort());
    await page.goto(`${host.origin}/?user=${UPN('patti.fernandez')}&theme=default`);
    const tab = (await (await page.waitForSelector('#tab')).contentFrame())!;
    const siobhan = card(tab, 'My delegates', 'Siobhán Ó Briain');
    await siobhan.waitFor({ timeout: 20_000 });
    const shown = await siobhan.getByTestId('presence').textContent();
    dt.context.faults.set({ rules: [{ match: 'getPresencesByUserId', errors: { rate429: 0.5, rate503: 0.5, retryAfterSeconds: 0 } }] });
    await tab.getByText('Showing earlier information').waitFor({ timeout: 15_000 });
    expect(await siobhan.getByTestId('presence').textContent()).toBe(shown);
    // Stale presence says when it dates from and claims nothing about now.
    expect(await tab.getByRole('status').filter({ hasText: 'Showing earlier information' }).textContent()).toMatch(
      /Presence shown is from \d/,
    );
    expect(await siobhan.getByTestId('as-of').textContent()).toMatch(/^Presence as of \d/);
    expect(await siobhan.getByTestId('verdict').count()).toBe(0);
    expect(await tab.locator('main h1').textContent()).toMatch(/^Who could take my call at \d/);
    expect(await tab.getByTestId('now-summary').textContent()).not.toMatch(/\bnow\b/i);
    expect(await tab.getByRole('button', { name: / now$/ }).count()).toBe(0);
    expect(
      await tab
        .locator('main')
        .getByText(/can take your call/)
        .count(),
    ).toBe(0);
    await siobhan.getByRole('button', { name: 'Call Siobhán Ó Briain', exact: true }).click();
    const confirm = tab.getByRole('alertdialog');
    if (await confirm.count()) await confirm.getByRole('button', { name: 'Call anyway' }).click();
    await expect.poll(() => host.events.filter((e) => e.type === 'startCall').length).toBe(1);
    dt.context.faults.reset();
    await tab.getByText('Showing earlier information').waitFor({ state: 'detached', timeout: 20_000 });
    await page.close();
  });

  it('during an outage, says so instead of showing the skeleton until Graph gives up', async () => {
    // Graph answers nothing for far longer than the server waits: the tab must not wait as long.
    dt.context.faults.set({ rules: [{ match: '*', latency: { fixedMs: 60_000 } }] });
    const page = await browser.context.newPage();
    await page.route('**/api/live/**', (route) => route.abort());
    await page.goto(`${host.origin}/?user=${UPN('pradeep.gupta')}&theme=default`);
    const tab = (await (await page.waitForSelector('#tab')).contentFrame())!;
    try {
      const alert = tab.getByRole('alert');
      await alert.waitFor({ timeout: 10_000 });
      expect(await alert.textContent()).toMatch(/Teams services are unavailable.*taking too long to answer/);
    } catch (e) {
      await page.screenshot({ path: path.join(screenshots, 'debug-outage.png') });
      throw e;
    } finally {
      dt.context.faults.reset();
    }
    await tab.getByRole('heading', { name: 'Who can take my call now' }).waitFor({ timeout: 45_000 });
    await page.close();
  }, 90_000);

  it('follows theme changes and renders dark and high-contrast themes', async () => {
    const { page, tab } = await openAs('megan.bowen');
    await card(tab, 'My delegates', 'Lynne Robbins').waitFor({ timeout: 20_000 });
    for (const theme of ['dark', 'contrast'] as const) {
      await page.selectOption('#theme', theme);
      await expect.poll(() => tab.locator('[data-theme]').first().getAttribute('data-theme')).toBe(theme);
      // Fluent animates colour changes: let them finish so the screenshot shows the theme itself.
      await tab.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished)));
      await page.screenshot({ path: path.join(screenshots, `tab-${theme}.png`) });
    }
    const bg = await tab
      .locator('[data-theme]')
      .first()
      .evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(bg).toBe('rgb(0, 0, 0)');
    await page.close();
  });

  it.each(['default', 'dark', 'contrast'])(
    'has no serious or critical accessibility violations, nothing excluded (axe-core, %s theme)',
    async (theme) => {
      const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
      // The executive, the assistant (delegator cards, Calls app) and inactive delegations on both sides.
      for (const [user, list, name] of [
        ['megan.bowen', 'My delegates', 'Lynne Robbins'],
        ['lynne.robbins', 'People I take calls for', 'Megan Bowen'],
        ['lee.gu', 'My delegates', 'Debra Berger'],
        ['debra.berger', 'People I take calls for', 'Lee Gu'],
      ] as const) {
        const { page, tab } = await openAs(user, theme);
        await card(tab, list, name).waitFor({ timeout: 20_000 });
        await settle(tab);
        await tab.evaluate(axeSource);
        const result = (await tab.evaluate(async () => (window as unknown as { axe: { run(): Promise<unknown> } }).axe.run())) as {
          violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ html: string }> }>;
        };
        const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        expect(serious.map((v) => `${user}: ${v.id}: ${v.help} ${JSON.stringify(v.nodes.map((n) => n.html).slice(0, 2))}`)).toEqual([]);
        await page.close();
      }
    },
    90_000,
  );

  it('is usable at the narrow Teams mobile width', async () => {
    const { page, tab } = await openAs('megan.bowen');
    await page.setViewportSize({ width: 360, height: 740 });
    const lynne = card(tab, 'My delegates', 'Lynne Robbins');
    await lynne.waitFor({ timeout: 20_000 });
    const width = await tab.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(width).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(screenshots, 'tab-narrow.png') });
    await page.close();
  });

  it('opened outside Teams, says to open it in Teams and links the local host', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${stack.tabOrigin}/tab`);
    await page.getByRole('heading', { name: 'Open Delegate Desk in Microsoft Teams' }).waitFor({ timeout: 20_000 });
    expect(await page.getByRole('link', { name: `${host.origin}/` }).getAttribute('href')).toBe(`${host.origin}/`);
    await page.close();
  });

  it('says so when its server cannot be reached, and tries again', async () => {
    const page = await browser.context.newPage();
    let failing = true;
    await page.route('**/api/config', (route) => (failing ? route.fulfill({ status: 502, body: 'Bad gateway' }) : route.continue()));
    await page.goto(`${host.origin}/?user=${UPN('megan.bowen')}`);
    let tab = (await (await page.waitForSelector('#tab')).contentFrame())!;
    const alert = tab.getByRole('alert');
    await alert.waitFor({ timeout: 20_000 });
    expect(await alert.textContent()).toContain('could not reach its server');
    failing = false;
    await tab.getByRole('button', { name: 'Try again' }).click();
    tab = (await (await page.waitForSelector('#tab')).contentFrame())!;
    await card(tab, 'My delegates', 'Lynne Robbins').waitFor({ timeout: 20_000 });
    await page.close();
  });
});

describe('the tab for each role (issue 16)', () => {
  beforeEach(() => {
    dt.context.faults.reset();
    host.events.length = 0;
  });

  /** Opens a user's tab; a user who must pass MFA signs in again first, as they would in Teams. */
  async function openReady(local: string, theme = 'default', ready: (tab: Frame) => Promise<void>) {
    const { page, tab } = await openAs(local, theme);
    const signIn = tab.getByRole('button', { name: 'Sign in again' });
    try {
      await Promise.race([ready(tab), signIn.waitFor({ timeout: 20_000 }).then(() => signIn.click())]);
      await ready(tab);
    } catch (e) {
      await page.screenshot({ path: path.join(screenshots, `debug-${local}.png`) });
      throw e;
    }
    return { page, tab };
  }
  const headings = (tab: Frame) => tab.locator('main h1, main h2').allTextContents();

  it('leads with the role: an assistant first sees the people she takes calls for, with what she may do and the Calls app', async () => {
    const { page, tab } = await openAs('lynne.robbins');
    const megan = card(tab, 'People I take calls for', 'Megan Bowen');
    await megan.waitFor({ timeout: 20_000 });
    expect(await tab.locator('main').getAttribute('data-role')).toBe('assistant');
    const order = await headings(tab);
    expect(order[0]).toBe('People I take calls for (3)');
    expect(await tab.locator('main h1').allTextContents()).toEqual(['People I take calls for (3)']);
    // Her own (empty) delegate list is one line at the end, and "who can take my call" is not there at all.
    expect(order.at(-1)).toBe('My delegates (0)');
    expect(order.some((h) => /Who can take my call/.test(h))).toBe(false);
    expect(await tab.getByText(/You have no delegates/).count()).toBe(1);
    expect(await megan.getByTestId('may-do').textContent()).toMatch(/^You may .*make calls.* for Megan\.$/);
    expect(await megan.getByTestId('calls-app-hint').textContent()).toContain('Make calls for Megan from the Calls app');
    await megan.getByRole('button', { name: 'Open the Calls app to act for Megan Bowen' }).click();
    await expect
      .poll(() => host.events.filter((e) => e.type === 'deepLink').map((e) => e.detail.url))
      .toEqual([`https://teams.microsoft.com/l/app/20c3440d-c67e-4420-9f80-0e50c39693df?tenantId=${dt.tenant.id}`]);
    // Each executive's state in words: Lee's card says what he is doing, from his presence.
    const lee = card(tab, 'People I take calls for', 'Lee Gu');
    expect((await lee.getByTestId('presence').textContent())!.length).toBeGreaterThan(3);
    await page.close();
  });

  it('with both roles, shows both lists and remembers which one leads', { timeout: 60_000 }, async () => {
    const ready = (tab: Frame) => card(tab, 'People I take calls for', 'Adele Vance').waitFor({ timeout: 20_000 });
    let { page, tab } = await openReady('jurgen.bohm', 'default', ready);
    expect(await tab.locator('main').getAttribute('data-role')).toBe('both');
    expect((await headings(tab))[0]).toBe('People I take calls for (1)');
    await tab.getByRole('group', { name: 'Show first' }).getByRole('button', { name: 'My delegates' }).click();
    await expect.poll(async () => (await headings(tab))[0]).toBe('Who can take my call now');
    await page.close();
    ({ page, tab } = await openReady('jurgen.bohm', 'default', ready));
    expect((await headings(tab))[0]).toBe('Who can take my call now');
    expect(await headings(tab)).toContain('People I take calls for (1)');
    await tab.getByRole('group', { name: 'Show first' }).getByRole('button', { name: 'People I take calls for' }).click();
    await page.close();
  });

  it('keeps cards in a stable order (by name) when presence changes', async () => {
    const { page, tab } = await openAs('isaiah.langer');
    const list = tab.getByRole('list', { name: 'My delegates' });
    await expect.poll(async () => (await list.getByRole('group').all()).length, { timeout: 20_000 }).toBe(8);
    const names = async () => Promise.all((await list.getByRole('group').all()).map((g) => g.getAttribute('aria-label')));
    const before = await names();
    expect(before).toEqual([...before].sort((a, b) => a!.localeCompare(b!, undefined, { sensitivity: 'base' })));
    // The last by name becomes the only one available: reachability would move her to the top.
    const last = dt.tenant.listUsers().find((u) => u.displayName === before.at(-1))!;
    const others = before.slice(0, -1).map((n) => dt.tenant.listUsers().find((u) => u.displayName === n)!);
    try {
      for (const u of others) await admin('PUT', `/users/${u.id}/presence`, { availability: 'Busy', activity: 'InAMeeting' });
      await admin('PUT', `/users/${last.id}/presence`, { availability: 'Available', activity: 'Available' });
      await expect
        .poll(() => card(tab, 'My delegates', before.at(-1)!).getByTestId('presence').textContent(), { timeout: 15_000 })
        .toBe('Available');
      expect(await names()).toEqual(before);
    } finally {
      for (const u of [...others, last]) await admin('DELETE', `/users/${u.id}/presence`);
    }
    await page.close();
  });

  it('words inactive delegations from where the reader stands', async () => {
    let { page, tab } = await openAs('lee.gu');
    const debra = card(tab, 'My delegates', 'Debra Berger');
    await debra.waitFor({ timeout: 20_000 });
    expect(await debra.getByTestId('verdict').textContent()).toBe(
      'Your delegation to Debra is not active, so they do not take your calls now.',
    );
    expect(await debra.getByText('Inactive delegation').count()).toBe(1);
    await page.close();
    ({ page, tab } = await openAs('debra.berger'));
    const lee = card(tab, 'People I take calls for', 'Lee Gu');
    await lee.waitFor({ timeout: 20_000 });
    expect(await lee.getByTestId('verdict').textContent()).toBe(
      'The delegation from Lee is not active, so you do not take their calls now.',
    );
    await page.close();
  });

  it('inactive cards keep text contrast of at least 4.5:1 in every theme', async () => {
    const { page, tab } = await openAs('lee.gu');
    const debra = card(tab, 'My delegates', 'Debra Berger');
    await debra.waitFor({ timeout: 20_000 });
    for (const theme of ['default', 'dark', 'contrast'] as const) {
      await page.selectOption('#theme', theme);
      await expect.poll(() => tab.locator('[data-theme]').first().getAttribute('data-theme')).toBe(theme);
      await settle(tab);
      const ratios = await debra.evaluate((cardEl) => {
        const rgba = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
        const lum = ([r, g, b]: number[]) => {
          const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
          return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
        };
        const background = (el: Element | null): number[] => {
          for (; el; el = el.parentElement) {
            const c = rgba(getComputedStyle(el).backgroundColor);
            if (c.length >= 3 && (c[3] ?? 1) > 0) return c;
          }
          return [255, 255, 255];
        };
        const opacity = (el: Element | null) => {
          let o = 1;
          for (; el; el = el.parentElement) o *= Number(getComputedStyle(el).opacity);
          return o;
        };
        const out: Array<{ text: string; ratio: number }> = [];
        const walker = document.createTreeWalker(cardEl, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const el = n.parentElement!;
          if (!n.textContent!.trim() || el.closest('[aria-hidden="true"]')) continue;
          const bg = background(el);
          const fg = rgba(getComputedStyle(el).color);
          const a = (fg[3] ?? 1) * opacity(el);
          const mixed = [0, 1, 2].map((i) => fg[i]! * a + bg[i]! * (1 - a));
          const [l1, l2] = [lum(mixed), lum(bg)].sort((x, y) => y - x);
          out.push({ text: n.textContent!.trim().slice(0, 40), ratio: (l1! + 0.05) / (l2! + 0.05) });
        }
        return out;
      });
      expect(ratios.length).toBeGreaterThan(3);
      expect(
        ratios.filter((r) => r.ratio < 4.5),
        theme,
      ).toEqual([]);
    }
    await page.close();
  });

  it('asks before calling someone who is presenting', async () => {
    const { page, tab } = await openAs('siobhan.obriain');
    const patti = card(tab, 'People I take calls for', 'Patti Fernandez');
    await patti.waitFor({ timeout: 20_000 });
    expect(await patti.getByTestId('presence').textContent()).toMatch(/presenting/i);
    await patti.getByRole('button', { name: 'Call Patti Fernandez', exact: true }).click();
    const dialog = tab.getByRole('alertdialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Patti is presenting.');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(host.events.filter((e) => e.type === 'startCall')).toEqual([]);
    await patti.getByRole('button', { name: 'Call Patti Fernandez', exact: true }).click();
    await tab.getByRole('alertdialog').getByRole('button', { name: 'Call anyway' }).click();
    await expect.poll(() => host.events.filter((e) => e.type === 'startCall').length).toBe(1);
    await page.close();
  });

  it('shows the per-user policy fix as copyable code, with no retry', async () => {
    const { page, tab } = await openAs('diego.siciliani');
    const alert = tab.getByRole('alert');
    await alert.waitFor({ timeout: 20_000 });
    const code = await alert.getByTestId('code').textContent();
    expect(code).toContain(`Grant-CsTeamsCallingPolicy -Identity "${UPN('diego.siciliani')}" -PolicyName`);
    expect(await alert.textContent()).not.toContain('-Identity Global');
    expect(await alert.textContent()).not.toMatch(/[a-z]\.[A-Z]/); // no sentences run together
    expect(await alert.getByRole('button', { name: 'Try again' }).count()).toBe(0);
    await alert.getByRole('button', { name: /^Copy / }).click();
    await alert.getByText(/^(Copied\.|Selected: press Ctrl\+C to copy\.)$/).waitFor();
    await page.close();
  });

  it('says where delegates are managed, with the PowerShell for administrators', async () => {
    const { page, tab } = await openAs('megan.bowen');
    await card(tab, 'My delegates', 'Lynne Robbins').waitFor({ timeout: 20_000 });
    expect(await tab.getByText(/Settings › Calls › Manage delegates/).count()).toBeGreaterThan(0);
    await tab.getByText('For Teams administrators: manage delegates with PowerShell').click();
    const code = await tab.getByTestId('manage-delegates').getByTestId('code').textContent();
    for (const cmd of ['New-CsUserCallingDelegate', 'Set-CsUserCallingDelegate', 'Remove-CsUserCallingDelegate'])
      expect(code).toContain(`${cmd} -Identity "${UPN('megan.bowen')}"`);
    await page.close();
  });

  it('uses the width at 1280 px: wide cards with Call, Video and Chat on one line', async () => {
    const { page, tab } = await openAs('isaiah.langer');
    const list = tab.getByRole('list', { name: 'My delegates' });
    await expect.poll(async () => (await list.getByRole('group').all()).length, { timeout: 20_000 }).toBe(8);
    const layout = await list.evaluate((ul) => {
      const cards = [...ul.querySelectorAll('[data-person-id]')].map((c) => c.getBoundingClientRect());
      const rows = new Set(cards.map((r) => Math.round(r.top)));
      const perRow = Math.max(...[...rows].map((top) => cards.filter((r) => Math.round(r.top) === top).length));
      const tops = [...ul.querySelectorAll('[data-person-id]')].map((c) =>
        [...c.querySelectorAll('button')]
          .filter((b) => /^(Call|Video|Chat)$/.test(b.textContent!.trim()))
          .map((b) => Math.round(b.getBoundingClientRect().top)),
      );
      return { used: ul.getBoundingClientRect().width / document.documentElement.clientWidth, width: cards[0]!.width, perRow, tops };
    });
    expect(layout.used).toBeGreaterThan(0.9);
    expect(layout.width).toBeGreaterThanOrEqual(340);
    expect(layout.perRow).toBeGreaterThanOrEqual(3);
    for (const t of layout.tops) expect(new Set(t).size).toBe(1);
    await page.screenshot({ path: path.join(screenshots, 'tab-wide.png') });
    await page.close();
  });

  it('shows a focus ring on the first control reached from Teams with the keyboard', async () => {
    const { page, tab } = await openAs('megan.bowen');
    await card(tab, 'My delegates', 'Lynne Robbins').waitFor({ timeout: 20_000 });
    await page.focus('#tab-delegates');
    await page.keyboard.press('Tab');
    for (let i = 0; i < 5 && !(await tab.evaluate(() => document.hasFocus() && document.activeElement !== document.body)); i++)
      await page.keyboard.press('Tab');
    const ring = await tab.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const after = getComputedStyle(el, '::after');
      return {
        tag: el.tagName,
        marked: el.hasAttribute('data-fui-focus-visible'),
        drawn: (after.borderTopStyle !== 'none' && parseFloat(after.borderTopWidth) > 0) || getComputedStyle(el).outlineStyle !== 'none',
      };
    });
    expect(ring).toEqual({ tag: 'BUTTON', marked: true, drawn: true });
    await page.screenshot({ path: path.join(screenshots, 'tab-focus.png') });
    await page.close();
  });

  it('with the basic profile only (no User.Read.All), shows no titles and still reads well', async () => {
    const nestor = dt.tenant.findUser('nestor.wilke')!;
    const basic = dt.tenant.app.delegatedScopes.filter((s) => s !== 'User.Read.All');
    expect(basic.length).toBe(dt.tenant.app.delegatedScopes.length - 1);
    await admin('DELETE', `/users/${nestor.id}/consent`);
    expect((await admin('PUT', `/users/${nestor.id}/consent`, { scopes: basic })).status).toBe(200);
    try {
      const { page, tab } = await openAs('nestor.wilke');
      const carter = card(tab, 'My delegates', 'Megan Carter');
      await carter.waitFor({ timeout: 20_000 });
      expect(await carter.getByTestId('title').count()).toBe(0);
      expect(await carter.getByTestId('presence').textContent()).toBeTruthy();
      expect(await carter.getByTestId('may-do').textContent()).toMatch(/^Megan may .* for you\.$/);
      await page.screenshot({ path: path.join(screenshots, 'tab-basic-profile.png') });
      await page.close();
    } finally {
      await admin('PUT', `/users/${nestor.id}/consent`, {});
    }
  });

  it('produces screenshots of each role in three themes', async () => {
    const roles = [
      ['executive', 'megan.bowen', (tab: Frame) => card(tab, 'My delegates', 'Lynne Robbins').waitFor({ timeout: 20_000 })],
      ['assistant', 'lynne.robbins', (tab: Frame) => card(tab, 'People I take calls for', 'Lee Gu').waitFor({ timeout: 20_000 })],
      ['both', 'jurgen.bohm', (tab: Frame) => card(tab, 'People I take calls for', 'Adele Vance').waitFor({ timeout: 20_000 })],
    ] as const;
    for (const [role, user, ready] of roles) {
      for (const theme of ['default', 'dark', 'contrast'] as const) {
        const { page, tab } = await openReady(user, theme, ready);
        await settle(tab);
        await page.screenshot({ path: path.join(screenshots, `tab-${role}-${theme}.png`), fullPage: true });
        await page.close();
      }
    }
  }, 120_000);
});
