/**
 * Live presence end to end in Chromium: the dev tenant's Graph subscription delivers a presence change
 * to the product server's webhook, which pushes it down the open tab's stream (Server-Sent Events).
 * When the stream is down (dropped from the page, reconnections blocked) the tab says it polls, and
 * polled data still comes; once the stream is allowed again it is Live again. Nothing is stubbed but
 * the stream's reconnections while they are blocked.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Frame, Page } from 'playwright-core';
import { launchBrowser } from './support/browser';
import { startStack, type Stack } from './support/stack';

const UPN = (local: string) => `${local}@contoso.onmicrosoft.com`;
const POLL_SECONDS = 2;
const STREAM = '**/api/live/stream*';

let stack: Stack;
let browser: Awaited<ReturnType<typeof launchBrowser>>;

beforeAll(async () => {
  stack = await startStack({
    defaultUser: UPN('megan.bowen'),
    fixedClock: new Date('2026-03-02T10:00:00Z'),
    pollSeconds: POLL_SECONDS,
    deskOptions: { ttl: { presenceMs: 300 } },
  });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const presence = (upn: string, body?: { availability: string; activity: string }) =>
  fetch(`${stack.dt.origin}/devtenant/users/${upn}/presence`, {
    method: body ? 'PUT' : 'DELETE',
    headers: { 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });

afterEach(async () => {
  await presence(UPN('lynne.robbins'));
});

/** The view loads the tab asks for (polls, fresh reloads). */
interface Loads {
  searches: string[];
  /** Until no view load is in flight and none has started for a second from now (push coming up reads the view once). */
  settle(): Promise<void>;
}

async function openAs(local: string, theme = 'default'): Promise<{ page: Page; tab: Frame; loads: Loads }> {
  const page = await browser.context.newPage();
  const searches: string[] = [];
  const inFlight = new Set<unknown>();
  let lastStarted = 0;
  const isLoad = (url: string) => new URL(url).pathname === '/api/delegation';
  page.on('request', (r) => {
    if (!isLoad(r.url())) return;
    searches.push(new URL(r.url()).search);
    inFlight.add(r);
    lastStarted = Date.now();
  });
  page.on('requestfinished', (r) => void inFlight.delete(r));
  page.on('requestfailed', (r) => void inFlight.delete(r));
  await page.goto(`${stack.host.origin}/?user=${UPN(local)}&theme=${theme}`);
  const tab = (await (await page.waitForSelector('#tab')).contentFrame())!;
  const settle = async () => {
    const from = Date.now();
    await expect.poll(() => inFlight.size === 0 && Date.now() - Math.max(lastStarted, from) > 1_000, { timeout: 15_000 }).toBe(true);
  };
  return { page, tab, loads: { searches, settle } };
}

const updates = (tab: Frame) => tab.getByRole('status', { name: /^Presence updates:/ });
const lynneCard = (tab: Frame) => tab.getByRole('list', { name: 'My delegates' }).getByRole('group', { name: 'Lynne Robbins' });
const dropStream = (tab: Frame) =>
  tab.evaluate(() => (window as unknown as { __delegateDeskLive?: { dropStream(): void } }).__delegateDeskLive?.dropStream());

describe('live presence in the local Teams host', () => {
  it('pushes presence changes to the open tab, polls while the stream is down, and is Live again after', async () => {
    const { page, tab, loads } = await openAs('megan.bowen');
    const lynne = lynneCard(tab);
    await lynne.waitFor({ timeout: 20_000 });
    await expect.poll(() => updates(tab).textContent(), { timeout: 20_000 }).toBe('Live');
    expect(await updates(tab).getAttribute('aria-label')).toBe('Presence updates: Live');
    await loads.settle();
    expect(await lynne.getByTestId('presence').textContent()).toBe('Available');

    // Pushed: the card and "who can take my call now" change with no view load in between.
    const before = loads.searches.length;
    expect((await presence(UPN('lynne.robbins'), { availability: 'Busy', activity: 'InACall' })).status).toBe(200);
    await expect.poll(() => lynne.getByTestId('presence').textContent(), { timeout: 15_000 }).toBe('Busy, in a call');
    expect(await lynne.getByTestId('verdict').textContent()).toBe('Lynne is in a call.');
    expect(await tab.getByTestId('now-summary').textContent()).not.toContain('Lynne Robbins');
    expect(loads.searches.slice(before)).toEqual([]);

    // The stream goes down and cannot come back: the tab says it polls, and polled data still comes.
    await page.route(STREAM, (route) => route.abort('connectionrefused'));
    await dropStream(tab);
    await expect.poll(() => updates(tab).textContent(), { timeout: 10_000 }).toBe(`Updated every ${POLL_SECONDS} s`);
    expect(await updates(tab).getAttribute('aria-label')).toBe(`Presence updates: updated every ${POLL_SECONDS} seconds`);
    const polledFrom = loads.searches.length;
    expect((await presence(UPN('lynne.robbins'), { availability: 'Available', activity: 'Available' })).status).toBe(200);
    await expect.poll(() => lynne.getByTestId('presence').textContent(), { timeout: 15_000 }).toBe('Available');
    expect(loads.searches.length).toBeGreaterThan(polledFrom);
    expect(await updates(tab).textContent()).toBe(`Updated every ${POLL_SECONDS} s`);

    // Allowed again: the next reconnection (backoff of at most 30 s) makes it Live, and pushes flow again.
    await page.unroute(STREAM);
    await expect.poll(() => updates(tab).textContent(), { timeout: 45_000 }).toBe('Live');
    await loads.settle();
    const live = loads.searches.length;
    expect((await presence(UPN('lynne.robbins'), { availability: 'DoNotDisturb', activity: 'Presenting' })).status).toBe(200);
    await expect.poll(() => lynne.getByTestId('presence').textContent(), { timeout: 15_000 }).toBe('Do not disturb, presenting');
    // No presence poll brought it (at most the once-a-minute fresh reload may have run meanwhile).
    expect(loads.searches.slice(live).filter((search) => search !== '?fresh=1')).toEqual([]);
    await page.close();
  });

  it.each(['default', 'dark', 'contrast'])(
    'says its mode legibly in the %s theme, Live and polled (axe-core colour contrast)',
    async (theme) => {
      const { page, tab } = await openAs('megan.bowen', theme);
      await lynneCard(tab).waitFor({ timeout: 20_000 });
      await tab.evaluate(await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8'));
      const contrast = async () => {
        await tab.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished)));
        const result = (await tab.evaluate(() =>
          (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<unknown> } }).axe.run(
            { include: [['[data-testid="updates-status"]']] },
            { runOnly: ['color-contrast', 'aria-allowed-attr', 'aria-prohibited-attr'] },
          ),
        )) as { violations: Array<{ id: string }>; passes: Array<{ id: string }> };
        return { violations: result.violations.map((v) => v.id), checked: result.passes.map((p) => p.id).includes('color-contrast') };
      };
      await expect.poll(() => updates(tab).textContent(), { timeout: 20_000 }).toBe('Live');
      expect(await contrast()).toEqual({ violations: [], checked: true });
      await page.route(STREAM, (route) => route.abort('connectionrefused'));
      await dropStream(tab);
      await expect.poll(() => updates(tab).textContent(), { timeout: 10_000 }).toBe(`Updated every ${POLL_SECONDS} s`);
      expect(await contrast()).toEqual({ violations: [], checked: true });
      await page.close();
    },
  );
});
