/**
 * The bot through the Microsoft 365 Agents Playground, driven by its HTTP and websocket API (no
 * browser): the Playground's mock user "Alex Wilber" is mapped to the seeded Alex Wilber.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { nodeBin, spawnTree, type ProcessTree } from '../scripts/processes';
import { startStack, type Stack } from './support/stack';
import { freePort } from './support/ports';

let stack: Stack;
let playground: ProcessTree | undefined;
let base: string;
let ws: WebSocket;
const botMessages: Array<{ text?: string; attachments?: Array<{ contentType: string; content: unknown }> }> = [];

beforeAll(async () => {
  stack = await startStack({ defaultUser: 'alex.wilber@contoso.onmicrosoft.com', fixedClock: new Date('2026-03-02T10:00:00Z') });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  // The playground's own bin script under node, in a process group of its own: stop() ends all of it.
  const [node, args] = nodeBin('agentsplayground', [
    '-e',
    `${stack.tabOrigin}/api/messages`,
    '-c',
    'msteams',
    '-p',
    String(port),
    '--disable-telemetry',
  ]);
  const started = spawnTree(node, args, { env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none' }, stdio: ['ignore', 'pipe', 'pipe'] });
  playground = started;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('The Agents Playground did not start')), 60_000);
    started.child.stdout!.on('data', (d: Buffer) => {
      if (String(d).includes(`Listening on ${port}`)) {
        clearTimeout(timer);
        resolve();
      }
    });
    started.child.stderr!.resume();
    void started.exited.then(({ code }) => reject(new Error(`The Agents Playground exited (${code})`)));
  });
  ws = new WebSocket(`ws://127.0.0.1:${port}/_ws_conversation/v1/conversations/stream`);
  ws.on('message', (m) => {
    const d = JSON.parse(String(m)) as { action?: string; message?: (typeof botMessages)[number] };
    if (d.action === 'createMessage' && d.message) botMessages.push(d.message);
  });
  await new Promise((r) => ws.on('open', r));
}, 120_000);

afterAll(async () => {
  ws?.close();
  await playground?.stop();
  await stack?.close();
});

async function say(text: string) {
  botMessages.length = 0;
  const cfg = (await (await fetch(`${base}/_internal/v1/config`)).json()) as {
    config: { personalChat: { id: string }; currentUser: { id: string } };
  };
  const res = await fetch(`${base}/_conversation/v1/conversations/${encodeURIComponent(cfg.config.personalChat.id)}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ from: { id: cfg.config.currentUser.id }, text, textFormat: 'plain' }),
  });
  expect(res.status).toBe(200);
  await expect.poll(() => botMessages.length, { timeout: 15_000 }).toBeGreaterThan(0);
  await new Promise((r) => setTimeout(r, 300));
  return botMessages;
}

describe('bot in the Agents Playground', () => {
  it('answers "who am I a delegate for" for the Playground user', async () => {
    const replies = await say('who am I a delegate for');
    expect(replies.map((m) => m.text).join(' ')).toContain('You are a delegate for Megan Bowen.');
    expect(replies.some((m) => m.attachments?.[0]?.contentType === 'application/vnd.microsoft.card.adaptive')).toBe(true);
  });

  it('answers a presence question with a card', async () => {
    const replies = await say('is Megan available?');
    expect(replies.map((m) => m.text).join(' ')).toMatch(/^Megan Bowen: /);
  });

  it('answers nonsense with help', async () => {
    const replies = await say('blorp');
    expect(JSON.stringify(replies)).toContain('Who is my delegate');
  });
});
