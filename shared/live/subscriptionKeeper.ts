/**
 * Keeps one Graph presence subscription per signed-in user over the people in their view, as Graph
 * allows (one presence subscription per user per app, at most 650 ids, 45–60 minutes). It is renewed
 * only with the user's own fresh SSO token (msal-node cannot refresh an on-behalf-of token without a new
 * assertion): while a tab sends heartbeats it stays, when they stop it lapses. State lives in the Store,
 * so any instance can renew, and a lock makes one of them do it.
 */
import { randomBytes } from 'node:crypto';
import type { DelegateDesk } from '../delegateDesk';
import type { SsoUser } from '../auth/ssoToken';
import type { LiveStatus } from '../api';
import { GraphNotFoundError, GraphRequestError } from '../errors';
import { MAX_PRESENCE_IDS } from '../graph/operations/presence';
import { getJson, setJson, type Store } from '../store/store';

export interface KeeperOptions {
  store: Store;
  desk: DelegateDesk;
  notificationUrl: string;
  lifecycleNotificationUrl: string;
  /** Rich notifications need it; without one, live presence is off (the tab polls). */
  encryption?: { certificate: string; certificateId: string };
  now?: () => number;
  /** Renew when less than this is left (Graph's maximum is 60 minutes). */
  renewWithinMs?: number;
  /** An SSO token with less than this left is too old to renew with. */
  minTokenMs?: number;
  minutes?: number;
  /** People the user waits for ("tell me when X is free"): held in the same subscription as the tab's. */
  watched?: (oid: string) => Promise<string[]>;
}

export interface SubscriptionRecord {
  id: string;
  oid: string;
  tid: string;
  /** The subscribed people, sorted (the resource of a subscription cannot change: a new set is a new subscription). */
  people: string[];
  /** The people the user's tab asked for (the rest are watched people). */
  viewPeople?: string[];
  polled: number;
  clientState: string;
  expiresAt: number;
}

/** A subscription can stop firing without a word: what it covers is read from Graph again after this long. */
const SAFETY_NET_MS = 10 * 60_000;

const key = {
  sub: (oid: string) => `live:sub:${oid}`,
  byId: (id: string) => `live:subid:${id}`,
  token: (oid: string) => `live:token:${oid}`,
  lock: (oid: string) => `live:lock:${oid}`,
};

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const isConflict = (e: unknown) => e instanceof GraphRequestError && e.status === 409;

export interface SubscriptionKeeper {
  /**
   * On every heartbeat: the subscription over these people (and those the user waits for) exists and is
   * renewed in time. No people (a watch asked for in chat): the people the tab asked for last.
   */
  keep(user: SsoUser, peopleIds?: string[]): Promise<LiveStatus>;
  /** The people a live subscription of this user pushes now. */
  pushedFor(oid: string): Promise<string[]>;
  /** The subscription a notification names (unknown: undefined). */
  byId(subscriptionId: string): Promise<SubscriptionRecord | undefined>;
  /** After reauthorizationRequired: reauthorize with the user's latest fresh token, or let it lapse (false). */
  reauthorize(subscriptionId: string): Promise<boolean>;
}

export function subscriptionKeeper(o: KeeperOptions): SubscriptionKeeper {
  const now = o.now ?? Date.now;
  const renewWithinMs = o.renewWithinMs ?? 20 * 60_000;
  const minTokenMs = o.minTokenMs ?? 5 * 60_000;
  const live = (r: SubscriptionRecord): LiveStatus => ({
    mode: 'live',
    subscribed: r.people.length,
    polled: r.polled,
    expiresAt: new Date(r.expiresAt).toISOString(),
  });

  async function save(r: SubscriptionRecord): Promise<void> {
    const ttl = Math.max(1, r.expiresAt - now());
    await setJson(o.store, key.sub(r.oid), r, ttl);
    await o.store.set(key.byId(r.id), r.oid, ttl);
  }

  async function drop(user: SsoUser, r: SubscriptionRecord): Promise<void> {
    await o.store.delete(key.byId(r.id));
    await o.desk.deletePresenceSubscription(user, r.id).catch((e) => {
      if (!(e instanceof GraphNotFoundError)) throw e;
    });
  }

  async function create(
    user: SsoUser,
    people: string[],
    viewPeople: string[],
    polled: number,
    retried = false,
  ): Promise<SubscriptionRecord> {
    const clientState = randomBytes(32).toString('base64url');
    try {
      const s = await o.desk.subscribeToPresence(user, {
        userIds: people,
        notificationUrl: o.notificationUrl,
        lifecycleNotificationUrl: o.lifecycleNotificationUrl,
        clientState,
        minutes: o.minutes ?? 60,
        encryption: o.encryption,
      });
      return {
        id: s.id,
        oid: user.oid,
        tid: user.tid,
        people,
        viewPeople,
        polled,
        clientState,
        expiresAt: Date.parse(s.expirationDateTime),
      };
    } catch (e) {
      // One per user per app: a subscription we lost track of (a restart, an expired record) is in the way.
      if (!isConflict(e) || retried) throw e;
      for (const s of await o.desk.listPresenceSubscriptions(user)) {
        if (s.creatorId && s.creatorId !== user.oid) continue;
        await o.desk.deletePresenceSubscription(user, s.id).catch(() => undefined);
      }
      return create(user, people, viewPeople, polled, true);
    }
  }

  /**
   * While the subscription pushes every change of these people, what is read of them stays fresh (up to
   * 10 minutes, the safety net against a subscription that stops firing silently).
   */
  const covered = async (r: SubscriptionRecord): Promise<LiveStatus> => {
    await o.desk.coverPresence(r.people, Math.min(SAFETY_NET_MS, r.expiresAt - now()));
    return live(r);
  };

  /** Waits (up to 10 s) for the holder of the lock to save a subscription over these people. */
  async function waitForOther(oid: string, people: string[]): Promise<SubscriptionRecord | undefined> {
    for (let waited = 0; waited < 10_000; waited += 100) {
      await new Promise((r) => setTimeout(r, 100));
      const r = await getJson<SubscriptionRecord>(o.store, key.sub(oid));
      if (r && r.expiresAt - now() > renewWithinMs && sameSet(r.people, people)) return r;
      if ((await o.store.get(key.lock(oid))) === undefined) return r && sameSet(r.people, people) && r.expiresAt > now() ? r : undefined;
    }
    return undefined;
  }

  return {
    async keep(user, peopleIds) {
      if (!o.encryption) return { mode: 'paused', reason: 'disabled' };
      let record = await getJson<SubscriptionRecord>(o.store, key.sub(user.oid));
      const viewPeople = [...new Set((peopleIds ?? record?.viewPeople ?? record?.people ?? []).map((id) => id.toLowerCase()))];
      const watched = (await o.watched?.(user.oid)) ?? [];
      // Watched people first: a full view (650) still leaves room for the few a user waits for.
      const everyone = [...new Set([...watched.map((id) => id.toLowerCase()), ...viewPeople])];
      const people = everyone.slice(0, MAX_PRESENCE_IDS).sort();
      const polled = everyone.length - people.length;
      const tokenLeft = user.expiresAt - now();
      if (tokenLeft >= minTokenMs) await o.store.set(key.token(user.oid), user.token, tokenLeft);
      if (record && record.expiresAt - now() > renewWithinMs && sameSet(record.people, people)) {
        if (peopleIds && !sameSet([...(record.viewPeople ?? [])].sort(), [...viewPeople].sort())) await save({ ...record, viewPeople });
        return covered(record);
      }
      if (people.length === 0 && !record) return { mode: 'paused', reason: 'nobody' };
      // Renewal needs a fresh delegated token: with an old one, let the subscription lapse (the tab polls).
      if (tokenLeft < minTokenMs) return { mode: 'paused', reason: 'tokenTooOld' };
      if (!(await o.store.setIfAbsent(key.lock(user.oid), '1', 15_000))) {
        // Another request (or instance) is creating or renewing it right now: its outcome is ours too.
        const settled = await waitForOther(user.oid, people);
        if (settled) return live(settled);
        return record && record.expiresAt > now() ? live(record) : { mode: 'paused', reason: 'unavailable' };
      }
      try {
        if (record && (record.expiresAt <= now() || !sameSet(record.people, people))) {
          await drop(user, record);
          await o.store.delete(key.sub(user.oid));
          record = undefined;
        }
        if (people.length === 0) return { mode: 'paused', reason: 'nobody' };
        if (record) {
          try {
            const renewed = await o.desk.renewPresenceSubscription(user, record.id);
            record = { ...record, viewPeople, expiresAt: Date.parse(renewed.expirationDateTime) };
          } catch (e) {
            if (!(e instanceof GraphNotFoundError)) throw e;
            record = undefined; // Graph no longer has it: make a new one
          }
        }
        if (!record) {
          record = await create(user, people, viewPeople, polled);
          // No "missed" events for presence: what changed before the subscription existed is read once.
          await o.desk.forgetPresence(people);
        }
        await save(record);
        return covered(record);
      } catch (e) {
        console.warn(`[live] presence subscription for a user could not be kept: ${(e as Error)?.message ?? e}`);
        return { mode: 'paused', reason: 'unavailable' };
      } finally {
        await o.store.delete(key.lock(user.oid));
      }
    },

    async pushedFor(oid) {
      const r = await getJson<SubscriptionRecord>(o.store, key.sub(oid));
      return r && r.expiresAt > now() ? r.people : [];
    },

    async byId(subscriptionId) {
      const oid = await o.store.get(key.byId(subscriptionId));
      if (!oid) return undefined;
      const record = await getJson<SubscriptionRecord>(o.store, key.sub(oid));
      return record?.id === subscriptionId ? record : undefined;
    },

    async reauthorize(subscriptionId) {
      const record = await this.byId(subscriptionId);
      const token = record && (await o.store.get(key.token(record.oid)));
      if (!record || !token) return false;
      try {
        const user = await o.desk.validateSsoToken(token);
        if (user.expiresAt - now() < minTokenMs) return false;
        await o.desk.reauthorizePresenceSubscription(user, subscriptionId);
        return true;
      } catch (e) {
        console.warn(`[live] a presence subscription could not be reauthorized: ${(e as Error)?.message ?? e}`);
        return false;
      }
    },
  };
}
