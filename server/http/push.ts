/**
 * The push stream to open tabs (Server-Sent Events, same origin). The SSO token never goes in a URL:
 * the tab trades it for a short-lived single-use ticket in an authenticated POST, and opens the stream
 * with the ticket. A tab receives only the presence of people in its own view. The ticket and
 * heartbeat requests also keep the user's Graph subscription, with the fresh token they carry.
 */
import { randomBytes } from 'node:crypto';
import { Router, type Response } from 'express';
import type { DelegateDesk, LiveStatus, LiveTicket, SsoUser } from '../../shared';
import { getJson, setJson, type Store } from '../../shared/store/store';
import type { SubscriptionKeeper } from '../../shared/live/subscriptionKeeper';
import { PRESENCE_CHANNEL, STATUS_CHANNEL, type PresenceMessage, type StatusMessage } from '../../shared/live/presenceFeed';
import { authenticated } from './tabApi';
import { sendProblem } from './errors';

const TICKET_SECONDS = 60;
const PING_MS = 25_000;
/** A stream that cannot keep up (a stalled client) is closed; the tab reconnects and resynchronises. */
const MAX_BUFFERED = 1024 * 1024;
export const VIEW_CHANNEL = 'live:view';

interface Ticket {
  oid: string;
  ids: string[];
  /** The subscription's state when the ticket was given: the stream's first event. */
  status?: LiveStatus;
}
interface Connection {
  ids: Set<string>;
  res: Response;
}

export interface Push {
  router: Router;
  /** Open streams on this instance (for benches and health). */
  connections(): number;
  close(): Promise<void>;
}

export async function pushRoutes(deps: { desk: DelegateDesk; store: Store; keeper: SubscriptionKeeper }): Promise<Push> {
  const { desk, store, keeper } = deps;
  const byUser = new Map<string, Set<Connection>>();

  const send = (c: Connection, event: string, data: unknown) => {
    if (c.res.writableLength > MAX_BUFFERED) return void c.res.end();
    c.res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };

  const unsubscribe = [
    await store.subscribe(PRESENCE_CHANNEL, (raw) => {
      const m = JSON.parse(raw) as PresenceMessage;
      for (const set of byUser.values()) for (const c of set) if (c.ids.has(m.id)) send(c, 'presence', m);
    }),
    await store.subscribe(STATUS_CHANNEL, (raw) => {
      const m = JSON.parse(raw) as StatusMessage;
      for (const c of byUser.get(m.oid) ?? []) send(c, 'status', m.status);
    }),
    // The people in a user's view changed (a heartbeat from any instance): their streams follow.
    await store.subscribe(VIEW_CHANNEL, (raw) => {
      const m = JSON.parse(raw) as Ticket;
      for (const c of byUser.get(m.oid) ?? []) c.ids = new Set(m.ids);
    }),
  ];

  /** Keeps the subscription over the people in the user's view (cached view: no Graph request when warm). */
  async function keep(user: SsoUser): Promise<{ status: LiveStatus; ids: string[] }> {
    const view = await desk.loadDelegationView(user);
    const ids = [...new Set([...view.delegates, ...view.delegators].map((e) => e.person.id))];
    const status = await keeper.keep(user, ids);
    await store.publish(VIEW_CHANNEL, JSON.stringify({ oid: user.oid, ids } satisfies Ticket));
    return { status, ids };
  }

  const router = Router();
  router.post(
    '/api/live/ticket',
    authenticated(desk, async (_req, user, res) => {
      const { status, ids } = await keep(user);
      const ticket = randomBytes(24).toString('base64url');
      await setJson(store, `live:ticket:${ticket}`, { oid: user.oid, ids, status } satisfies Ticket, TICKET_SECONDS * 1000);
      res.set('Cache-Control', 'no-store').json({ ticket, expiresInSeconds: TICKET_SECONDS, status } satisfies LiveTicket);
    }),
  );

  router.post(
    '/api/live/heartbeat',
    authenticated(desk, async (_req, user, res) => {
      const { status } = await keep(user);
      res.set('Cache-Control', 'no-store').json({ status });
    }),
  );

  router.get('/api/live/stream', async (req, res) => {
    const value = typeof req.query.ticket === 'string' && /^[A-Za-z0-9_-]{32}$/.test(req.query.ticket) ? req.query.ticket : undefined;
    const ticket = value && (await getJson<Ticket>(store, `live:ticket:${value}`));
    // Single use, also across instances: the first to mark it used wins.
    if (!value || !ticket || !(await store.setIfAbsent(`live:ticket-used:${value}`, '1', TICKET_SECONDS * 1000))) {
      return sendProblem(res, 401, 'invalidToken', 'This stream ticket is unknown, used or expired: ask for a new one.');
    }
    await store.delete(`live:ticket:${value}`);
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    // Written at once (headers alone are held back until the first write): the browser's EventSource
    // counts the stream as open only when something arrives.
    res.write(': connected\n\n');
    const c: Connection = { ids: new Set(ticket.ids), res };
    const set = byUser.get(ticket.oid) ?? byUser.set(ticket.oid, new Set()).get(ticket.oid)!;
    set.add(c);
    if (ticket.status) send(c, 'status', ticket.status);
    const ping = setInterval(() => res.write(': ping\n\n'), PING_MS);
    req.on('close', () => {
      clearInterval(ping);
      set.delete(c);
      if (set.size === 0) byUser.delete(ticket.oid);
    });
    // What is known now, so a tab that reconnects is in step without a reload (nothing for people not
    // known yet: "unknown" would overwrite what the tab shows); from the shared cache, since this
    // instance may never have seen these people (a reconnect after a failover).
    const known = await desk.knownPresence(ticket.ids).catch(() => desk.peekPresence(ticket.ids));
    for (const p of known) if (p.presence && !res.writableEnded) send(c, 'presence', p);
  });

  return {
    router,
    connections: () => [...byUser.values()].reduce((n, s) => n + s.size, 0),
    async close() {
      for (const off of unsubscribe) await off();
      for (const set of byUser.values()) for (const c of set) c.res.end();
      byUser.clear();
    },
  };
}
