/**
 * The local host's chat with the bot, played as Teams does it: user messages are posted to the bot's
 * endpoint as Bot Framework activities, the bot replies through the Bot Connector endpoints served
 * here (/v3/conversations/...), and an OAuth card with a tokenExchangeResource is answered with the
 * Teams SSO token exchange (a signin/tokenExchange invoke carrying a dev tenant token). The page follows
 * its conversation as Server-Sent Events (GET /api/chat/stream), so messages the bot sends outside a turn
 * (proactive, hours later) appear as they arrive.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import express, { type Router } from 'express';
import type { DevTenantContext } from '../context';
import type { TenantUser } from '../tenant/tenant';

export interface ChatMessage {
  id: string;
  from: 'user' | 'bot';
  text?: string;
  attachments?: Array<{ contentType: string; content: unknown }>;
  at: string;
}

interface Conversation {
  user: TenantUser;
  messages: ChatMessage[];
}

export function chatRoutes(
  ctx: DevTenantContext,
  opts: {
    botUrl: string;
    origin: () => string;
    ssoToken: (user: TenantUser) => Promise<string | undefined>;
    /** The sign-in window succeeded, with the claims of a step-up if it was one. */
    onSignedIn?: (user: TenantUser, claims: string | undefined) => void;
  },
): Router {
  const r = express.Router();
  const conversations = new Map<string, Conversation>();
  const convId = (u: TenantUser) => `a:dev-${u.id}`;
  /** 'message' (a new or changed message) and 'delete', per conversation id. */
  const changes = new EventEmitter();
  changes.setMaxListeners(0);
  const changed = (id: string, event: 'message' | 'delete', data: unknown) => changes.emit(id, event, data);

  /**
   * The conversation of an id: one the page started, or a 1:1 id of the form this host hands out for a
   * user it has not seen since it started (the bot keeps conversation references across restarts).
   */
  function conversationOf(id: string): Conversation | undefined {
    const known = conversations.get(id);
    if (known) return known;
    const m = /^a:dev-([0-9a-f-]{36})$/i.exec(id);
    const user = m ? ctx.tenant.findUser(m[1]!) : undefined;
    if (!user) return undefined;
    const conv: Conversation = { user, messages: [] };
    conversations.set(id, conv);
    return conv;
  }

  function activityFor(user: TenantUser, extra: Record<string, unknown>) {
    return {
      id: randomUUID(),
      channelId: 'msteams',
      serviceUrl: opts.origin(),
      timestamp: new Date().toISOString(),
      from: { id: `29:${user.id}`, name: user.displayName, aadObjectId: user.id },
      recipient: { id: '28:delegatedesk', name: 'Delegate Desk' },
      conversation: { id: convId(user), conversationType: 'personal', tenantId: ctx.tenant.id },
      channelData: { tenant: { id: ctx.tenant.id } },
      locale: 'en-US',
      ...extra,
    };
  }

  async function toBot(activity: Record<string, unknown>): Promise<Response> {
    return fetch(opts.botUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
  }

  /** Teams' side of SSO: exchange silently; if the bot refuses, leave the card for a manual sign-in. */
  async function exchange(
    conv: Conversation,
    card: { tokenExchangeResource?: { id?: string }; connectionName?: string },
  ): Promise<boolean> {
    const token = await opts.ssoToken(conv.user);
    if (!token || !card.tokenExchangeResource?.id) return false;
    const res = await toBot(
      activityFor(conv.user, {
        type: 'invoke',
        name: 'signin/tokenExchange',
        value: { id: card.tokenExchangeResource.id, connectionName: card.connectionName, token },
      }),
    );
    return res.status === 200;
  }

  const receive = async (req: express.Request, res: express.Response) => {
    const conversationId = String(req.params.conversationId);
    const conv = conversationOf(conversationId);
    const id = randomUUID();
    if (!conv) return void res.status(404).json({ error: { code: 'ConversationNotFound', message: 'Conversation not found.' } });
    const a = req.body as { type?: string; text?: string; attachments?: ChatMessage['attachments'] };
    res.status(200).json({ id });
    if (a.type !== 'message') return;
    const oauth = a.attachments?.find((x) => x.contentType === 'application/vnd.microsoft.card.oauth');
    if (oauth && (await exchange(conv, oauth.content as never))) return;
    const message: ChatMessage = { id, from: 'bot', text: a.text, attachments: a.attachments, at: new Date().toISOString() };
    conv.messages.push(message);
    changed(conversationId, 'message', message);
  };

  // Bot Connector endpoints the bot calls back.
  r.post('/v3/conversations/:conversationId/activities/:replyToId', express.json({ limit: '1mb' }), receive);
  r.post('/v3/conversations/:conversationId/activities', express.json({ limit: '1mb' }), receive);
  r.put('/v3/conversations/:conversationId/activities/:activityId', express.json({ limit: '1mb' }), (req, res) => {
    const conv = conversations.get(String(req.params.conversationId));
    const m = conv?.messages.find((x) => x.id === req.params.activityId);
    if (!m) return void res.status(404).json({ error: { code: 'ActivityNotFound', message: 'Activity not found.' } });
    Object.assign(m, { text: req.body.text, attachments: req.body.attachments });
    changed(String(req.params.conversationId), 'message', m);
    res.json({ id: m.id });
  });
  r.delete('/v3/conversations/:conversationId/activities/:activityId', (req, res) => {
    const conv = conversations.get(String(req.params.conversationId));
    if (conv) conv.messages = conv.messages.filter((x) => x.id !== req.params.activityId);
    changed(String(req.params.conversationId), 'delete', { id: req.params.activityId });
    res.status(200).end();
  });
  r.get('/v3/conversations/:conversationId/members/:memberId', (req, res) => {
    const conv = conversationOf(String(req.params.conversationId));
    if (!conv) return void res.status(404).json({ error: { code: 'ConversationNotFound', message: 'Conversation not found.' } });
    const u = conv.user;
    res.json({
      id: `29:${u.id}`,
      name: u.displayName,
      aadObjectId: u.id,
      givenName: u.givenName,
      surname: u.surname,
      email: u.mail,
      userPrincipalName: u.userPrincipalName,
      tenantId: ctx.tenant.id,
      userRole: 'user',
    });
  });

  // The page's side.
  r.post('/api/chat/send', express.json({ limit: '256kb' }), async (req, res) => {
    const user = ctx.tenant.findUser(String(req.body?.user ?? ''));
    if (!user) return void res.status(404).json({ error: 'unknownUser' });
    const conv = conversationOf(convId(user))!;
    const text = typeof req.body.text === 'string' ? req.body.text : undefined;
    const value = req.body.value && typeof req.body.value === 'object' ? req.body.value : undefined;
    if (text) {
      const message: ChatMessage = { id: randomUUID(), from: 'user', text, at: new Date().toISOString() };
      conv.messages.push(message);
      changed(convId(user), 'message', message);
    }
    try {
      const bot = await toBot(activityFor(user, { type: 'message', text: text ?? '', ...(value ? { value } : {}) }));
      res.status(bot.ok ? 202 : 502).json({ botStatus: bot.status });
    } catch {
      res.status(502).json({ error: 'The bot did not answer. Is the product server running?' });
    }
  });
  /**
   * What Teams sends when the sign-in window reports success: the bot then answers what was pending (the
   * page opens the window; see public/chat.js).
   */
  r.post('/api/chat/signed-in', express.json({ limit: '16kb' }), async (req, res) => {
    const user = ctx.tenant.findUser(String(req.body?.user ?? ''));
    if (!user) return void res.status(404).json({ error: 'unknownUser' });
    conversationOf(convId(user));
    const state = typeof req.body.state === 'string' ? req.body.state : '';
    opts.onSignedIn?.(user, typeof req.body.claims === 'string' && req.body.claims.trim().startsWith('{') ? req.body.claims : undefined);
    try {
      const bot = await toBot(activityFor(user, { type: 'invoke', name: 'signin/verifyState', value: { state } }));
      res.status(bot.ok ? 202 : 502).json({ botStatus: bot.status });
    } catch {
      res.status(502).json({ error: 'The bot did not answer. Is the product server running?' });
    }
  });

  /** The conversation as it happens: every message so far, then each new or changed one, and deletions. */
  r.get('/api/chat/stream', (req, res) => {
    const user = ctx.tenant.findUser(String(req.query.user ?? ''));
    if (!user) return void res.status(404).json({ error: 'unknownUser' });
    const id = convId(user);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    for (const m of conversations.get(id)?.messages ?? []) send('message', m);
    const listener = (event: string, data: unknown) => send(event, data);
    changes.on(id, listener);
    // Comments keep idle connections open through proxies and show a dead one to the server.
    const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
    req.on('close', () => {
      clearInterval(ping);
      changes.off(id, listener);
    });
  });

  r.get('/api/chat/messages', (req, res) => {
    const user = ctx.tenant.findUser(String(req.query.user ?? ''));
    res.set('Cache-Control', 'no-store').json({ value: user ? (conversations.get(convId(user))?.messages ?? []) : [] });
  });
  return r;
}
