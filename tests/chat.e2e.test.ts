/**
 * The bot through the local Teams host's chat pane in Chromium, with the Teams SSO token exchange:
 * the host answers the bot's OAuth card with a signin/tokenExchange invoke, as the Teams client does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser } from './support/browser';
import { startStack, type Stack } from './support/stack';

const UPN = (local: string) => `${local}@contoso.onmicrosoft.com`;
const screenshots = path.resolve('test-results', 'screenshots');
let stack: Stack;
let browser: Awaited<ReturnType<typeof launchBrowser>>;

beforeAll(async () => {
  stack = await startStack({ defaultUser: UPN('megan.bowen'), fixedClock: new Date('2026-03-02T10:00:00Z'), botIdentity: 'sso' });
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function chatAs(local: string): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(`${stack.host.origin}/?user=${UPN(local)}`);
  await page.getByRole('tab', { name: 'Chat' }).click();
  return page;
}

async function say(page: Page, text: string) {
  await page.getByRole('textbox', { name: 'Type a message' }).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
}

describe('chat pane', () => {
  it('signs in through the SSO token exchange and answers "who is my delegate" with a card', async () => {
    const page = await chatAs('megan.bowen');
    await say(page, 'who is my delegate');
    const log = page.locator('#chat-log');
    await expect.poll(() => log.textContent(), { timeout: 20_000 }).toContain('Lynne Robbins');
    // The exchange happened: no sign-in card is left in the chat.
    expect(await log.textContent()).not.toContain('Sign in');
    expect(await log.locator('.ac-adaptiveCard').count()).toBeGreaterThan(0);
    await mkdir(screenshots, { recursive: true });
    await page.screenshot({ path: path.join(screenshots, 'chat-delegates.png') });
    await page.close();
  });

  it('opens a call from the card as a Teams deep link', async () => {
    const page = await chatAs('megan.bowen');
    await say(page, 'call my delegate');
    await expect.poll(() => page.locator('#chat-log').textContent(), { timeout: 20_000 }).toContain('so I picked');
    // Action.OpenUrl renders as a link.
    const button = page.getByRole('link', { name: /^Call / }).last();
    await button.waitFor({ timeout: 5_000 });
    await button.click();
    await expect
      .poll(() => stack.host.events.filter((e) => e.type === 'deepLink').map((e) => String(e.detail.url)), { timeout: 10_000 })
      .toContainEqual(expect.stringMatching(/^https:\/\/teams\.microsoft\.com\/l\/call\/0\/0\?users=/));
    await page.close();
  });

  it('answers the help card buttons', async () => {
    const page = await chatAs('lynne.robbins');
    await say(page, 'hello');
    const button = page.getByRole('button', { name: 'Who am I a delegate for' }).last();
    await button.waitFor({ timeout: 20_000 });
    await button.click();
    await expect.poll(() => page.locator('#chat-log').textContent(), { timeout: 20_000 }).toContain('You are a delegate for');
    await page.close();
  });
});
