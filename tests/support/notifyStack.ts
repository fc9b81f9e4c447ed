/**
 * Test helper for proactive messages: the whole app on a loopback port of its own (so Graph's
 * notifications reach its webhook), and a Bot Connector stand-in that records what the bot posts on
 * its own and answers as the test says (a 403 when the bot was removed from the chat, a 429, ...).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestTenant } from '../../devtenant/testkit';
import type { DelegateDeskApp } from '../../server/compose';
import type { Store } from '../../shared/store/store';
import { appFor, devIdentityFor } from './app';
import { personalMessage } from './botChat';

export interface Posted {
  conversationId: string;
  activity: { type?: string; text?: string; attachments?: Array<{ contentType: string; content: unknown }> };
}

export interface ConnectorStandIn {
  origin: string;
  posted: Posted[];
  /** How the connector answers the next posts (default 200). */
  answer: (conversationId: string) => { status: number; body?: unknown; headers?: Record<string, string> };
  close(): void;
}

export async function startConnector(): Promise<ConnectorStandIn> {
  const c: ConnectorStandIn = { origin: '', posted: [], answer: () => ({ status: 200 }), close: () => undefined };
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (chunk) => (data += chunk));
    req.on('end', () => {
      const conversationId = decodeURIComponent(/\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '')?.[1] ?? '');
      const a = c.answer(conversationId);
      if (a.status < 300) c.posted.push({ conversationId, activity: JSON.parse(data || '{}') });
      res
        .writeHead(a.status, { 'content-type': 'application/json', ...a.headers })
        .end(JSON.stringify(a.body ?? { id: `r${c.posted.length}` }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  c.origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  c.close = () => {
    server.closeAllConnections();
    server.close();
  };
  return c;
}

export interface NotifyStack {
  base: string;
  app: DelegateDeskApp;
  /** One chat message from the user; the bot's answers come back in the response (expectReplies). */
  say(user: { name: string; aadObjectId: string }, text: string, extra?: Record<string, unknown>): Promise<Array<{ text?: string }>>;
  close(): Promise<void>;
}

export async function startNotifyStack(
  dt: TestTenant,
  connector: ConnectorStandIn,
  options: { env?: Record<string, string | undefined>; store?: Store } = {},
): Promise<NotifyStack> {
  let handler: http.RequestListener = (_q, r) => r.writeHead(503).end();
  const server = http.createServer((q, r) => handler(q, r));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  const app = await appFor(dt, {
    devIdentity: devIdentityFor(dt),
    store: options.store,
    proactiveBackoffMs: [20, 50],
    env: { PORT: String(port), ...options.env },
  });
  handler = app.handler;
  const base = `http://localhost:${port}`;
  return {
    base,
    app,
    async say(user, text, extra = {}) {
      const res = await fetch(`${base}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(personalMessage({ connector: connector.origin, tenantId: dt.tenantId }, user, text, extra)),
      });
      const body = (await res.json().catch(() => ({}))) as { activities?: Array<{ text?: string }> };
      return body.activities ?? [];
    },
    async close() {
      await app.close();
      server.closeAllConnections();
      server.close();
    },
  };
}

/**
 * Sets a person's presence in the dev tenant and waits until the app shows it to `viewer` (pushed, or
 * read after the refresh a person would press): the next answer builds on it.
 */
export async function presenceSettled(dt: TestTenant, stack: NotifyStack, viewer: string, person: string, availability: string) {
  await dt.admin('PUT', `/users/${person}/presence`, { availability, activity: availability });
  const headers = { Authorization: `Bearer ${await dt.ssoToken(viewer)}` };
  const id = dt.tenant.findUser(person)!.id;
  await eventually(async () => {
    await fetch(`${stack.base}/api/delegation/refresh`, { method: 'POST', headers });
    const view = (await (await fetch(`${stack.base}/api/delegation`, { headers })).json()) as {
      delegates: Array<{ person: { id: string }; presence: { availability: string } | null }>;
      delegators: Array<{ person: { id: string }; presence: { availability: string } | null }>;
    };
    const e = [...view.delegates, ...view.delegators].find((x) => x.person.id === id);
    return e?.presence?.availability === availability || undefined;
  });
}

/** Waits (up to `ms`) for a condition; the last value when it holds. */
export async function eventually<T>(f: () => T | undefined | Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
