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
import type { Cached } from './cache';
import { presenceView, type PresenceView } from '../domain/delegationView';

export type PresenceReader = (user: SsoUser, client: Client, ids: string[]) => Promise<{ presences: GraphPresence[]; stale: boolean }>;

/**
 * Caches presences, read or pushed alike: for the cache's own lifetime, or, for people a live
 * subscription covers (on any instance), as long as it covers them (a push will replace it first).
 */
async function keepPresences(ctx: DeskContext, presences: GraphPresence[]): Promise<void> {
  const known = presences.filter((p) => p.id);
  if (known.length === 0) return;
  const ids = known.map((p) => p.id!.toLowerCase());
  const coveredUntil = await ctx.pushed.freshMany(ids);
  const now = Date.now();
  await ctx.presence.setMany(known.map((p, i) => [ids[i]!, p, coveredUntil[i] === undefined ? undefined : coveredUntil[i]! - now]));
}

/** Fresh presence, or the last known one when Graph is throttled or down (flagged stale). */
export function presenceReader(ctx: DeskContext): PresenceReader {
  // One batcher per tenant: a user's token reads presence in their own tenant only.
  const batchers = new Map<string, PresenceBatcher>();
  const batcherFor = (tid: string) => batchers.get(tid) ?? batchers.set(tid, new PresenceBatcher()).get(tid)!;
  return async (user, client, ids) => {
    // First, before any other await: joins the same Store read as the people of a view.
    const cached = await ctx.presence.getMany(ids);
    const missing = ids.filter((_, i) => !cached[i]?.fresh);
    if (missing.length === 0) return { presences: cached.map((c) => c!.value), stale: false };
    let fetched: GraphPresence[];
    try {
      fetched = await batcherFor(user.tid).request(missing, (some) => getPresences(client, some));
    } catch (e) {
      const stale = cached.filter((c): c is Cached<GraphPresence> => c !== undefined).map((c) => c.value);
      if ((e instanceof GraphThrottledError || e instanceof GraphUnavailableError) && stale.length > 0)
        return { presences: stale, stale: true };
      throw e;
    }
    await keepPresences(ctx, fetched);
    const byId = new Map(fetched.filter((p) => p.id).map((p) => [p.id!.toLowerCase(), p]));
    const presences = ids
      .map((id, i) => byId.get(id) ?? (cached[i]?.fresh ? cached[i].value : undefined))
      .filter((p): p is GraphPresence => p !== undefined);
    return { presences, stale: false };
  };
}

export interface PresenceFeed {
  /** A presence that arrived by push (kept as long as its person is covered, see coverPresence). Never rejects. */
  notePresence(presence: GraphPresence): Promise<void>;
  /** Forget these people's presence, so the next read goes to Graph (on every instance). Never rejects. */
  forgetPresence(ids: string[]): Promise<void>;
  /** A live subscription pushes these people's changes for ttlMs: reads of them count as fresh that long. Never rejects. */
  coverPresence(ids: string[], ttlMs: number): Promise<void>;
  /** What this instance knows of these people's presence now, however old, without asking Graph or the Store (a stream's first events). */
  peekPresence(ids: string[]): Array<{ id: string; presence: PresenceView | null }>;
  /**
   * What any instance knows of these people's presence, however old, from the Store (one round trip), without
   * asking Graph: for a stream that opens on another instance than the one that read or was pushed the presence.
   */
  knownPresence(ids: string[]): Promise<Array<{ id: string; presence: PresenceView | null }>>;
}

export function presenceFeed(ctx: DeskContext): PresenceFeed {
  return {
    notePresence: (presence) => keepPresences(ctx, [presence]).catch(() => undefined),
    forgetPresence: (ids) => ctx.presence.delete(ids.map((id) => id.toLowerCase())),
    coverPresence(ids, ttlMs) {
      const until = Date.now() + ttlMs;
      return ctx.pushed.setMany(ids.map((id) => [id.toLowerCase(), until, ttlMs]));
    },
    peekPresence: (ids) => ids.map((id) => ({ id: id.toLowerCase(), presence: presenceView(ctx.presence.peek(id.toLowerCase())) })),
    async knownPresence(ids) {
      const lower = ids.map((id) => id.toLowerCase());
      const known = await ctx.presence.getMany(lower);
      return lower.map((id, i) => ({ id, presence: presenceView(known[i]?.value) }));
    },
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
      await ctx.presence.delete([user.oid]);
    },
    async clearMyPresence(user) {
      const client = await ctx.graphFor(user);
      await Promise.all([clearPreferredPresence(client, user.oid), setStatusMessage(client, user.oid, '')]);
      await ctx.presence.delete([user.oid]);
    },
    async setMyStatusMessage(user, message, expiresAt) {
      await setStatusMessage(await ctx.graphFor(user), user.oid, message, expiresAt);
      await ctx.presence.delete([user.oid]);
    },
  };
}
