/**
 * Watches at work: a new one is held in the watcher's own presence subscription (pushed within seconds
 * while their token allows), and every poll interval one instance reads the rest with the app's own
 * token, one getPresencesByUserId call per 650 people. A presence that meets a watch — pushed to any
 * instance or read by the poll — fires it once: the Store's fired mark picks the one instance that
 * sends it. Expired watches are swept by the same poll.
 */
import { randomUUID } from 'node:crypto';
import type { DelegateDesk } from '../delegateDesk';
import type { SsoUser } from '../auth/ssoToken';
import type { WatchCondition } from '../api';
import { presenceView, type PresenceView } from '../domain/delegationView';
import { MAX_PRESENCE_IDS } from '../graph/operations/presence';
import type { Store } from '../store/store';
import { PRESENCE_CHANNEL, type PresenceMessage } from '../live/presenceFeed';
import type { SubscriptionKeeper } from '../live/subscriptionKeeper';
import type { ConversationReferences } from './conversations';
import { conditionMet, watchUntil, type Watch, type WatchZone } from './watch';
import type { WatchStore } from './watchStore';

/** What the bot is asked to send: the person is there, or (asked for) the watch ended unfired. */
export type WatchEvent = { kind: 'met'; watch: Watch; presence: PresenceView } | { kind: 'expired'; watch: Watch };
/** sent; gone: the bot is no longer in the user's chat (uninstalled, blocked); failed: try again later. */
export type Delivery = 'sent' | 'gone' | 'failed';
export type Notify = (event: WatchEvent) => Promise<Delivery>;

export interface WatchAsk {
  personId: string;
  displayName: string;
  userPrincipalName: string | null;
  condition: WatchCondition;
  /** What is known of the person's presence now: a watch already met is answered at once. */
  presence: PresenceView | null;
  minutes?: number;
  reportExpiry?: boolean;
  zone?: WatchZone;
}

export type WatchOutcome =
  | { outcome: 'watching'; watch: Watch; pushed: boolean }
  | { outcome: 'alreadyMet'; presence: PresenceView | null }
  | { outcome: 'noConversation' }
  | { outcome: 'yourself' };

export interface WatcherOptions {
  store: Store;
  watches: WatchStore;
  desk: DelegateDesk;
  conversations: ConversationReferences;
  /** Absent: live presence is off, every watch is polled. */
  keeper?: SubscriptionKeeper;
  notify: Notify;
  /** The tenant the app's own token reads (a single-tenant app's): other tenants' watches fire only when pushed. */
  appTenantId: string;
  pollMs?: number;
  now?: () => number;
}

export interface PollRound {
  /** People read with the app's token, and the Graph calls it took. */
  polled: number;
  requests: number;
  fired: number;
  expired: number;
}

export interface Watcher {
  /** Throws WatchLimitError beyond the cap. */
  watch(user: SsoUser, ask: WatchAsk): Promise<WatchOutcome>;
  list(oid: string): Promise<Watch[]>;
  cancel(oid: string, personId?: string): Promise<Watch[]>;
  /** A presence seen (pushed or read): the watches it meets fire. */
  seen(personId: string, presence: PresenceView | null): Promise<number>;
  /** One poll round (undefined: another instance holds this interval's round). */
  poll(): Promise<PollRound | undefined>;
  start(): Promise<void>;
  close(): Promise<void>;
}

const POLL_LOCK = 'watch:poll';

export function createWatcher(o: WatcherOptions): Watcher {
  const now = o.now ?? Date.now;
  const pollMs = o.pollMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  let unsubscribe: (() => Promise<void>) | undefined;
  let polling: Promise<unknown> | undefined;

  /** Sends one watch's message, once across instances; a watch whose chat is gone goes with all of that user's. */
  async function deliver(event: WatchEvent): Promise<boolean> {
    const w = event.watch;
    if (!(await o.watches.claim(w.id))) return false;
    const delivery = await o.notify(event).catch((e: unknown): Delivery => {
      console.warn(`[watch] a message could not be sent: ${(e as Error)?.message ?? e}`);
      return 'failed';
    });
    if (delivery === 'failed' && event.kind === 'met') {
      await o.watches.release(w.id); // the next presence seen or poll tries again
      return false;
    }
    if (delivery === 'gone') {
      await o.conversations.delete(w.oid);
      await o.watches.remove(w.oid);
    } else await o.watches.removeIds([w.id]);
    return delivery === 'sent';
  }

  async function seen(personId: string, presence: PresenceView | null): Promise<number> {
    if (!presence) return 0;
    const id = personId.toLowerCase();
    const t = now();
    const due = (await o.watches.all()).filter((w) => w.personId === id && w.until > t && conditionMet(w.condition, presence));
    let fired = 0;
    for (const w of due) if (await deliver({ kind: 'met', watch: w, presence })) fired++;
    return fired;
  }

  async function pollRound(): Promise<PollRound> {
    const t = now();
    const all = await o.watches.all();
    const round: PollRound = { polled: 0, requests: 0, fired: 0, expired: 0 };
    for (const w of all.filter((x) => x.until <= t)) {
      if (w.reportExpiry) await deliver({ kind: 'expired', watch: w });
      else await o.watches.removeIds([w.id]);
      round.expired++;
    }
    const active = all.filter((w) => w.until > t && w.tid === o.appTenantId.toLowerCase());
    // Who a live subscription already pushes needs no read: only the rest is polled.
    const pushed = new Map<string, Set<string>>();
    for (const oid of new Set(active.map((w) => w.oid)))
      pushed.set(oid, new Set(o.keeper ? await o.keeper.pushedFor(oid).catch(() => []) : []));
    const people = [...new Set(active.filter((w) => !pushed.get(w.oid)?.has(w.personId)).map((w) => w.personId))];
    if (people.length === 0) return round;
    round.polled = people.length;
    round.requests = Math.ceil(people.length / MAX_PRESENCE_IDS);
    const presences = await o.desk.readPresencesAsApp(people);
    for (const p of presences) if (p.id) round.fired += await seen(p.id, presenceView(p));
    return round;
  }

  async function poll(): Promise<PollRound | undefined> {
    // One instance a round: the lock outlives the round's start by most of an interval.
    if (!(await o.store.setIfAbsent(POLL_LOCK, '1', Math.max(500, pollMs - 500)))) return undefined;
    return pollRound();
  }

  return {
    async watch(user, ask) {
      const personId = ask.personId.toLowerCase();
      if (personId === user.oid.toLowerCase()) return { outcome: 'yourself' };
      if (!(await o.conversations.get(user.oid))) return { outcome: 'noConversation' };
      if (conditionMet(ask.condition, ask.presence)) return { outcome: 'alreadyMet', presence: ask.presence };
      const t = now();
      const watch: Watch = {
        id: randomUUID(),
        oid: user.oid,
        tid: user.tid,
        personId,
        displayName: ask.displayName,
        userPrincipalName: ask.userPrincipalName,
        condition: ask.condition,
        createdAt: t,
        until: watchUntil(t, ask.minutes, ask.zone),
        reportExpiry: ask.reportExpiry ?? false,
        ...(ask.zone ? { zone: ask.zone } : {}),
      };
      await o.watches.add(watch);
      // Into the user's own subscription with this request's token; where that fails, the poll reads it.
      const status = o.keeper ? await o.keeper.keep(user).catch(() => undefined) : undefined;
      const pushed = status?.mode === 'live' && (await o.keeper!.pushedFor(user.oid)).includes(personId);
      return { outcome: 'watching', watch, pushed };
    },
    list: (oid) => o.watches.list(oid).then((ws) => ws.filter((w) => w.until > now())),
    cancel: (oid, personId) => o.watches.remove(oid, personId?.toLowerCase()),
    seen,
    poll,
    async start() {
      unsubscribe = await o.store.subscribe(PRESENCE_CHANNEL, (raw) => {
        let m: PresenceMessage;
        try {
          m = JSON.parse(raw) as PresenceMessage;
        } catch {
          return;
        }
        void seen(m.id, m.presence).catch((e: unknown) =>
          console.warn(`[watch] a pushed presence was not checked: ${(e as Error)?.message ?? e}`),
        );
      });
      timer = setInterval(() => {
        if (polling) return;
        polling = poll()
          .catch((e: unknown) => console.warn(`[watch] poll failed: ${(e as Error)?.message ?? e}`))
          .finally(() => (polling = undefined));
      }, pollMs);
      timer.unref();
    },
    async close() {
      if (timer) clearInterval(timer);
      await polling;
      await unsubscribe?.();
    },
  };
}
