/** Test helper: the whole app with the bot on loopback, and a Bot Connector stand-in that takes replies. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestTenant } from '../../devtenant/testkit';
import { appFor, devIdentityFor } from './app';

export interface BotChat {
  url: string;
  connector: string;
  /** Replies the bot posted to the connector (deliveryMode normal). */
  posted: unknown[];
  activity(user: { name: string; aadObjectId: string }, text: string, extra?: Record<string, unknown>): Record<string, unknown>;
  close(): Promise<void>;
}

async function listen(handler: http.RequestListener): Promise<{ server: http.Server; origin: string }> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, origin: `http://localhost:${(server.address() as AddressInfo).port}` };
}

export async function startBotChat(dt: TestTenant): Promise<BotChat> {
  const devIdentity = devIdentityFor(dt);
  const app = await listen((await appFor(dt, { devIdentity })).handler);
  const posted: unknown[] = [];
  const connector = await listen((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      posted.push(JSON.parse(data || '{}'));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `r${posted.length}` }));
    });
  });
  return {
    url: `${app.origin}/api/messages`,
    connector: connector.origin,
    posted,
    activity: (user, text, extra = {}) => personalMessage({ connector: connector.origin, tenantId: dt.tenantId }, user, text, extra),
    close: async () => {
      app.server.closeAllConnections();
      app.server.close();
      connector.server.close();
    },
  };
}

/** A message in the user's personal chat with the bot, as Teams posts it (answers returned in the response). */
export function personalMessage(
  to: { connector: string; tenantId: string },
  user: { name: string; aadObjectId: string },
  text: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    type: 'message',
    id: `a${Math.random()}`,
    text,
    channelId: 'msteams',
    serviceUrl: `${to.connector}/`,
    deliveryMode: 'expectReplies',
    from: { id: `29:${user.name}`, name: user.name, aadObjectId: user.aadObjectId },
    recipient: { id: '28:bot', name: 'Delegate Desk' },
    conversation: { id: `a:${user.name}`, conversationType: 'personal', tenantId: to.tenantId },
    ...extra,
  };
}

/** An invoke in the same chat as `message` (its sender, conversation and service URL), answered with a status, not replies. */
export const invokeIn = (message: Record<string, unknown>, name: string, value: Record<string, unknown> = {}): Record<string, unknown> => ({
  ...message,
  deliveryMode: undefined,
  type: 'invoke',
  name,
  value,
});

/** Teams' answer to the bot's sign-in card: the SSO token exchange. */
export const tokenExchange = (message: Record<string, unknown>, id: string, token: string) =>
  invokeIn(message, 'signin/tokenExchange', { id, connectionName: 'DelegateDeskSso', token });

/** A small seeded random generator (mulberry32): the same inputs on every run, so a failure can be replayed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
