/**
 * "Notify me in chat when available" from the tab (issue 13), and the local host's chat pane showing the
 * messages the bot sends by itself: Chromium, the built tab, the product server and the dev tenant, nothing
 * stubbed. The watch's message is a real proactive send (the bot's saved conversation reference, botbuilder's
 * connector client) to the host's Bot Connector.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { launchBrowser } from './support/browser';
import { startStack, type Stack } from './support/stack';

const UPN = (local: string) => `${local}@contoso.onmicrosoft.com`;
const screenshots = path.resolve('test-results', 'screenshots');
let stack: Stack;
let browser: Awaited<ReturnType<typeof launchBrowser>>;

beforeAll(async () => {
  stack = await startStack({ defaultUser: UPN('megan.bowen'), fixedClock: new Date('2026-03-02T10:00:00Z') });
  browser = await launchBrowser();
  await mkdir(screenshots, { recursive: true });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});
beforeEach(() => {
  stack.host.events.length = 0;
});

const admin = (method: string, p: string, body?: unknown) =>
  fetch(`${stack.dt.origin}/devtenant${p}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });

async function open(local: string, theme = 'default'): Promise<{ page: Page; tab: Frame }> {
  const page = await browser.context.newPage();
  await page.goto(`${stack.host.origin}/?user=${UPN(local)}&theme=${theme}`);
  const tab = (await (await page.waitForSelector('#tab')).contentFrame())!;
  return { page, tab };
}

const card = (tab: Frame, list: string, name: string) => tab.getByRole('list', { name: list }).getByRole('group', { name });

async function say(page: Page, text: string) {
  await page.getByRole('tab', { name: 'Chat' }).click();
  await page.getByRole('textbox', { name: 'Type a message' }).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
}

describe('chat pane: messages the bot sends by itself', () => {
  it('shows a proactive activity posted to the Bot Connector as it arrives, without a reload', async () => {
    const { page } = await open('megan.bowen');
    await page.getByRole('tab', { name: 'Chat' }).click();
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 7));
    const megan = stack.dt.tenant.findUser('megan.bowen')!;
    // As botbuilder's ConnectorClient sends it (conversations.sendToConversation): POST, JSON, the id encoded.
    const res = await fetch(`${stack.host.origin}/v3/conversations/${encodeURIComponent(`a:dev-${megan.id}`)}/activities`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({
        type: 'message',
        text: 'Lynne Robbins is available now.',
        textFormat: 'plain',
        from: { id: '28:delegatedesk', name: 'Delegate Desk' },
        conversation: { id: `a:dev-${megan.id}` },
        channelId: 'msteams',
      }),
    });
    expect(res.status).toBe(200);
    expect(typeof ((await res.json()) as { id?: unknown }).id).toBe('string');
    await page.locator('#chat-log li.bot', { hasText: 'Lynne Robbins is available now.' }).waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(7);
    // A conversation id the host never handed out is not a chat.
    const stranger = await fetch(`${stack.host.origin}/v3/conversations/${encodeURIComponent('a:somebody-else')}/activities`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'x' }),
    });
    expect(stranger.status).toBe(404);
    await page.close();
  });

  it('renders cards readably in dark and high contrast, with every help button inside the card', async () => {
    for (const theme of ['dark', 'contrast'] as const) {
      const { page } = await open('alex.wilber', theme);
      await say(page, 'help');
      const cardEl = page.locator('#chat-log .ac-adaptiveCard').last();
      await cardEl.waitFor({ timeout: 20_000 });
      const check = await cardEl.evaluate((el) => {
        const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
        const lum = ([r, g, b]: number[]) => {
          const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
          return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
        };
        const bgOf = (n: Element | null): number[] => {
          for (; n; n = n.parentElement) {
            const c = getComputedStyle(n).backgroundColor;
            if (!/rgba\(.*, 0\)$/.test(c) && c !== 'transparent') return rgb(c);
          }
          return [255, 255, 255];
        };
        const worst = [...el.querySelectorAll('p, span, button')]
          .filter((n) => n.textContent!.trim())
          .map((n) => {
            const [a, b] = [lum(rgb(getComputedStyle(n).color)), lum(bgOf(n))].sort((x, y) => y - x);
            return (a! + 0.05) / (b! + 0.05);
          })
          .reduce((m, r) => Math.min(m, r), 99);
        const box = el.getBoundingClientRect();
        const buttons = [...el.querySelectorAll('button')].map((b) => b.getBoundingClientRect());
        const inside = buttons.every((r) => r.right <= box.right + 1 && r.left >= box.left - 1 && r.width > 0);
        return { worst, buttons: buttons.length, inside };
      });
      expect(check.worst, theme).toBeGreaterThanOrEqual(4.5);
      expect(check.buttons, theme).toBeGreaterThanOrEqual(5);
      expect(check.inside, theme).toBe(true);
      await page.screenshot({ path: path.join(screenshots, `chat-help-${theme}.png`) });
      await page.close();
    }
  }, 60_000);
});

describe('chat pane: sign-in cards', () => {
  it('completes consent from the chat: the card opens the consent window, and the bot answers after it', async () => {
    const omar = stack.dt.tenant.findUser('omar.haddad')!;
    stack.dt.tenant.revokeConsent(omar.id);
    const { page } = await open('omar.haddad');
    await say(page, 'who is my delegate');
    const button = page.locator('#chat-log button.signin').last();
    await button.waitFor({ timeout: 20_000 });
    const popupPromise = browser.context.waitForEvent('page');
    await button.click();
    const popup = await popupPromise;
    await popup.getByRole('button', { name: 'Accept' }).waitFor({ timeout: 10_000 });
    await Promise.all([
      popup.waitForEvent('close', { timeout: 15_000 }),
      popup
        .getByRole('button', { name: 'Accept' })
        .click({ noWaitAfter: true })
        .catch(() => {}),
    ]);
    expect(stack.dt.tenant.consentedScopes(omar.id).size).toBeGreaterThan(0);
    await page.locator('#chat-log li.bot', { hasText: 'Aisha Bello' }).last().waitFor({ timeout: 20_000 });
    await page.close();
  });
});

describe('tab: notify me in chat when available', () => {
  it('watches an executive who is busy, and the chat gets the message when she is free', async () => {
    const megan = stack.dt.tenant.findUser('megan.bowen')!;
    await admin('PUT', `/users/${megan.id}/presence`, { availability: 'Busy', activity: 'InAMeeting' });
    try {
      const { page, tab } = await open('lynne.robbins');
      // The bot must know Lynne's chat: she says hello first (that saves the conversation reference).
      await say(page, 'hello');
      await page.locator('#chat-log li.bot').first().waitFor({ timeout: 20_000 });
      await page.getByRole('tab', { name: 'Delegates' }).click();
      const meganCard = card(tab, 'People I take calls for', 'Megan Bowen');
      await expect.poll(() => meganCard.getByTestId('presence').textContent(), { timeout: 20_000 }).toMatch(/meeting/i);
      await meganCard.getByRole('button', { name: 'Notify me in chat when available, about Megan Bowen' }).click();
      await expect
        .poll(() => meganCard.getByTestId('watch-note').textContent(), { timeout: 10_000 })
        .toMatch(/^I'll message you in chat when Megan Bowen is available/);
      const stop = meganCard.getByRole('button', { name: 'Stop notifying me about Megan Bowen' });
      await stop.waitFor();
      // A new page knows the watch from the server.
      await page.reload();
      const tab2 = (await (await page.waitForSelector('#tab')).contentFrame())!;
      await card(tab2, 'People I take calls for', 'Megan Bowen')
        .getByRole('button', { name: 'Stop notifying me about Megan Bowen' })
        .waitFor({ timeout: 20_000 });
      await page.getByRole('tab', { name: 'Chat' }).click();
      await admin('PUT', `/users/${megan.id}/presence`, { availability: 'Available', activity: 'Available' });
      await page
        .locator('#chat-log li.bot', { hasText: /Megan Bowen/ })
        .last()
        .waitFor({ timeout: 45_000 });
      await page.screenshot({ path: path.join(screenshots, 'chat-proactive.png') });
      await page.close();
    } finally {
      await admin('DELETE', `/users/${megan.id}/presence`);
    }
  }, 90_000);

  it('stops a watch from the card', async () => {
    const lee = stack.dt.tenant.findUser('lee.gu')!;
    await admin('PUT', `/users/${lee.id}/presence`, { availability: 'DoNotDisturb', activity: 'Presenting' });
    try {
      const { page, tab } = await open('lynne.robbins');
      const leeCard = card(tab, 'People I take calls for', 'Lee Gu');
      await expect.poll(() => leeCard.getByTestId('presence').textContent(), { timeout: 20_000 }).toMatch(/presenting/i);
      await leeCard.getByRole('button', { name: 'Notify me in chat when available, about Lee Gu' }).click();
      await leeCard.getByRole('button', { name: 'Stop notifying me about Lee Gu' }).click();
      await expect.poll(() => leeCard.getByTestId('watch-note').textContent()).toBe('You will not be notified about Lee Gu.');
      await leeCard.getByRole('button', { name: 'Notify me in chat when available, about Lee Gu' }).waitFor();
      await page.close();
    } finally {
      await admin('DELETE', `/users/${lee.id}/presence`);
    }
  });

  it('without the bot in chat, says how to add it and opens its chat, never pretending', async () => {
    const isaiah = stack.dt.tenant.findUser('isaiah.langer')!;
    await admin('PUT', `/users/${isaiah.id}/presence`, { availability: 'Busy', activity: 'InACall' });
    try {
      // Alex Darrow (Isaiah's delegate) has never talked to the bot in this stack.
      const { page, tab } = await open('alex.darrow');
      const isaiahCard = card(tab, 'People I take calls for', 'Isaiah Langer');
      await expect.poll(() => isaiahCard.getByTestId('presence').textContent(), { timeout: 20_000 }).toMatch(/call/i);
      await isaiahCard.getByRole('button', { name: 'Notify me in chat when available, about Isaiah Langer' }).click();
      await expect
        .poll(() => isaiahCard.getByTestId('watch-note').textContent(), { timeout: 10_000 })
        .toMatch(/add the Delegate Desk bot first/);
      expect(await isaiahCard.getByRole('button', { name: /^Stop notifying/ }).count()).toBe(0);
      await isaiahCard.getByRole('button', { name: 'Open the bot chat' }).click();
      await expect
        .poll(() => stack.host.events.filter((e) => e.type === 'deepLink').map((e) => String(e.detail.url)))
        .toContainEqual(expect.stringMatching(/^https:\/\/teams\.microsoft\.com\/l\/chat\/0\/0\?users=28/));
      await page.close();
    } finally {
      await admin('DELETE', `/users/${isaiah.id}/presence`);
    }
  });
});
