/** Reading presence (batched per tenant, last known when Graph is throttled or down) and setting my own. */
import type { Client } from '@microsoft/microsoft-graph-client';
import type { SsoUser } from '../auth/ssoToken';
import {
  getPresences,
  setPreferredPresence,
  clearPreferredPresence,
  setStatusMessage,
  type GraphPresence,
  type PreferredAvailability,
} from '../graph/operations/presence';
import { GraphThrottledError, GraphUnavailableError } from '../errors';
import { PresenceBatcher } from '../presenceBatcher';
import type { DeskContext } from './context';
import { presenceView, type PresenceView } from '../domain/delegationView';

export type PresenceReader = (user: SsoUser, client: Client, ids: string[]) => Promise<{ presences: GraphPresence[]; stale: boolean }>;

/**
 * Caches a presence, read or pushed alike: for the cache's own lifetime, or, for people a live
 * subscription covers, as long as it covers them (a push will replace it first).
 */
function keepPresence(ctx: DeskContext, p: GraphPresence): void {
  if (!p.id) return;
  const id = p.id.toLowerCase();
  const coveredUntil = ctx.pushed.get(id);
  ctx.presence.set(id, p, coveredUntil === undefined ? undefined : coveredUntil - Date.now());
}

/** Fresh presence, or the last known one when Graph is throttled or down (flagged stale). */
export function presenceReader(ctx: DeskContext): PresenceReader {
  // One batcher per tenant: a user's token reads presence in their own tenant only.
  const batchers = new Map<string, PresenceBatcher>();
  const batcherFor = (tid: string) => batchers.get(tid) ?? batchers.set(tid, new PresenceBatcher()).get(tid)!;
  return async (user, client, ids) => {
    const missing = ids.filter((id) => !ctx.presence.get(id));
    if (missing.length) {
      try {
        const fetched = await batcherFor(user.tid).request(missing, (some) => getPresences(client, some));
        for (const p of fetched) keepPresence(ctx, p);
      } catch (e) {
        const stale = ids.map((id) => ctx.presence.getStale(id)).filter((p): p is GraphPresence => p !== undefined);
        if ((e instanceof GraphThrottledError || e instanceof GraphUnavailableError) && stale.length > 0)
          return { presences: stale, stale: true };
        throw e;
      }
    }
    return { presences: ids.map((id) => ctx.presence.get(id)).filter((p): p is GraphPresence => p !== undefined), stale: false };
  };
}

export interface PresenceFeed {
  /** A presence that arrived by push (kept as long as its person is covered, see coverPresence). */
  notePresence(presence: GraphPresence): void;
  /** Forget these people's presence, so the next read goes to Graph. */
  forgetPresence(ids: string[]): void;
  /** A live subscription pushes these people's changes for ttlMs: reads of them count as fresh that long. */
  coverPresence(ids: string[], ttlMs: number): void;
  /** What is known of these people's presence now, however old, without asking Graph (a stream's first events). */
  peekPresence(ids: string[]): Array<{ id: string; presence: PresenceView | null }>;
}

export function presenceFeed(ctx: DeskContext): PresenceFeed {
  return {
    notePresence: (presence) => keepPresence(ctx, presence),
    forgetPresence(ids) {
      for (const id of ids) ctx.presence.delete(id.toLowerCase());
    },
    coverPresence(ids, ttlMs) {
      const until = Date.now() + ttlMs;
      for (const id of ids) ctx.pushed.set(id.toLowerCase(), until, ttlMs);
    },
    peekPresence: (ids) => ids.map((id) => ({ id: id.toLowerCase(), presence: presenceView(ctx.presence.getStale(id.toLowerCase())) })),
  };
}

export interface MyPresence {
  setMyPresence(user: SsoUser, availability: PreferredAvailability, durationMinutes?: number): Promise<void>;
  clearMyPresence(user: SsoUser): Promise<void>;
  setMyStatusMessage(user: SsoUser, message: string, expiresAt?: Date): Promise<void>;
}

/** My own presence and status message; what I change is read afresh next time. */
export function myPresence(ctx: DeskContext): MyPresence {
  return {
    async setMyPresence(user, availability, durationMinutes) {
      await setPreferredPresence(await ctx.graphFor(user), user.oid, availability, durationMinutes);
      ctx.presence.delete(user.oid);
    },
    async clearMyPresence(user) {
      const client = await ctx.graphFor(user);
      await Promise.all([clearPreferredPresence(client, user.oid), setStatusMessage(client, user.oid, '')]);
      ctx.presence.delete(user.oid);
    },
    async setMyStatusMessage(user, message, expiresAt) {
      await setStatusMessage(await ctx.graphFor(user), user.oid, message, expiresAt);
      ctx.presence.delete(user.oid);
    },
  };
}
