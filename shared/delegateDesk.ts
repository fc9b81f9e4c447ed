/**
 * The module's public face: one object per process that validates SSO tokens, gets Graph tokens
 * on-behalf-of users, and answers what the tab and the bot need. Neither front end sees a Graph token.
 */
import type { Client } from '@microsoft/microsoft-graph-client';
import type { DelegationSettings } from '@microsoft/microsoft-graph-types-beta';
import type { DelegateDeskConfig } from './config';
import { createSsoTokenValidator, type SsoUser } from './auth/ssoToken';
import { createGraphTokenSource } from './auth/onBehalfOf';
import type { TokenCacheStore } from './auth/tokenCache';
import { createGraphClient } from './graph/client';
import type { RetryPolicy } from './graph/retry';
import { listDelegates, listDelegators } from './graph/operations/delegation';
import { getUsersByIds, getPhoto, searchPeople, type DirectoryUser } from './graph/operations/users';
import { getPresences, setPreferredPresence, clearPreferredPresence, setStatusMessage, type GraphPresence, type PreferredAvailability } from './graph/operations/presence';
import { createOnlineMeeting, createCall } from './graph/operations/meetings';
import { createPresenceSubscription, renewSubscription, deleteSubscription } from './graph/operations/subscriptions';
import { buildDelegationView, presenceView, type DelegationView, type PresenceView } from './domain/delegationView';
import { GraphThrottledError, GraphUnavailableError } from './errors';
import { TtlCache } from './cache';
import { PresenceBatcher } from './presenceBatcher';

export interface DelegateDeskOptions {
  tokenCacheStore?: TokenCacheStore;
  retry?: Partial<RetryPolicy>;
  /** Cache lifetimes in ms. */
  ttl?: { presenceMs?: number; delegationsMs?: number; usersMs?: number };
}

export interface DelegateDesk {
  /** Validates a Teams SSO token (with or without "Bearer "); throws SsoTokenError. */
  validateSsoToken(token: string | undefined): Promise<SsoUser>;
  /** My delegates and delegators with presence, in two sequential Graph round trips at most. */
  loadDelegationView(user: SsoUser): Promise<DelegationView>;
  /** Forget cached data for a user (their delegations) or everything. */
  invalidate(user?: SsoUser): void;
  setMyPresence(user: SsoUser, availability: PreferredAvailability, durationMinutes?: number): Promise<void>;
  clearMyPresence(user: SsoUser): Promise<void>;
  setMyStatusMessage(user: SsoUser, message: string, expiresAt?: Date): Promise<void>;
  createMeeting(user: SsoUser, input: { subject?: string; attendeeIds?: string[] }): Promise<{ joinWebUrl: string; id: string }>;
  /** A call placed by the app (app-only token). */
  placeCall(input: { targetUserId: string; targetName?: string; callbackUri: string; video?: boolean }): Promise<{ id: string; state: string }>;
  /** Directory search by name or UPN, with each person's presence (for people outside my relationships). */
  findPeople(user: SsoUser, text: string): Promise<Array<{ person: DirectoryUser; presence: PresenceView | null }>>;
  photo(user: SsoUser, personId: string): Promise<{ bytes: Buffer; contentType: string } | null>;
  subscribeToPresence(user: SsoUser, input: { userIds: string[]; notificationUrl: string; lifecycleNotificationUrl?: string; clientState: string }): Promise<{ id: string; expirationDateTime: string }>;
  renewPresenceSubscription(user: SsoUser, id: string): Promise<{ id: string; expirationDateTime: string }>;
  deletePresenceSubscription(user: SsoUser, id: string): Promise<void>;
}

export function createDelegateDesk(config: DelegateDeskConfig, options: DelegateDeskOptions = {}): DelegateDesk {
  const validate = createSsoTokenValidator(config);
  const tokens = createGraphTokenSource(config, { cacheStore: options.tokenCacheStore });
  const ttl = { presenceMs: 10_000, delegationsMs: 5 * 60_000, usersMs: 5 * 60_000, ...options.ttl };
  const delegationCache = new TtlCache<{ delegates: DelegationSettings[]; delegators: DelegationSettings[] }>(ttl.delegationsMs);
  // Directory data and presence are the same whoever asks, so they are shared across users.
  const userCache = new TtlCache<DirectoryUser>(ttl.usersMs);
  const presenceCache = new TtlCache<GraphPresence>(ttl.presenceMs);
  // One batcher per tenant: a user's token reads presence in their own tenant only.
  const presenceBatchers = new Map<string, PresenceBatcher>();
  const batcherFor = (tid: string) => presenceBatchers.get(tid) ?? presenceBatchers.set(tid, new PresenceBatcher()).get(tid)!;

  /**
   * A client for the user. The token is fetched first so auth failures surface as their own typed
   * errors (inside the Graph client they would be wrapped); later calls are MSAL cache hits.
   */
  const graphFor = async (user: SsoUser): Promise<Client> => {
    await tokens.forUser(user);
    return createGraphClient(() => tokens.forUser(user), { graphBaseUrl: config.graphBaseUrl, retry: options.retry });
  };
  const appGraph = async () => {
    await tokens.forApp();
    return createGraphClient(() => tokens.forApp(), { graphBaseUrl: config.graphBaseUrl, retry: options.retry });
  };

  async function delegationsOf(user: SsoUser, client: Client) {
    const cached = delegationCache.get(user.oid);
    if (cached) return cached;
    const [delegates, delegators] = await Promise.all([listDelegates(client), listDelegators(client)]);
    const value = { delegates, delegators };
    delegationCache.set(user.oid, value);
    return value;
  }

  async function usersFor(client: Client, ids: string[]): Promise<DirectoryUser[]> {
    const missing = ids.filter((id) => !userCache.get(id));
    if (missing.length) for (const u of await getUsersByIds(client, missing)) if (u.id) userCache.set(u.id.toLowerCase(), u);
    return ids.map((id) => userCache.get(id)).filter((u): u is DirectoryUser => u !== undefined);
  }

  /** Fresh presence, or the last known one when Graph is throttled or down (flagged stale). */
  async function presencesFor(user: SsoUser, client: Client, ids: string[]): Promise<{ presences: GraphPresence[]; stale: boolean }> {
    const missing = ids.filter((id) => !presenceCache.get(id));
    if (missing.length) {
      try {
        const fetched = await batcherFor(user.tid).request(missing, (some) => getPresences(client, some));
        for (const p of fetched) if (p.id) presenceCache.set(p.id.toLowerCase(), p);
      } catch (e) {
        const stale = ids.map((id) => presenceCache.getStale(id)).filter((p): p is GraphPresence => p !== undefined);
        if ((e instanceof GraphThrottledError || e instanceof GraphUnavailableError) && stale.length > 0) return { presences: stale, stale: true };
        throw e;
      }
    }
    return { presences: ids.map((id) => presenceCache.get(id)).filter((p): p is GraphPresence => p !== undefined), stale: false };
  }

  return {
    validateSsoToken: validate,

    async loadDelegationView(user) {
      const client = await graphFor(user);
      // Round trip 1: both lists at once. Round trip 2: every person and every presence at once.
      const { delegates, delegators } = await delegationsOf(user, client);
      const ids = [...new Set([...delegates, ...delegators].map((d) => String(d.id).toLowerCase()))];
      const [users, presence] = await Promise.all([usersFor(client, ids), presencesFor(user, client, ids)]);
      return buildDelegationView({
        me: { id: user.oid, displayName: user.name, userPrincipalName: user.upn },
        delegates,
        delegators,
        users,
        presences: presence.presences,
        presenceStale: presence.stale,
      });
    },

    invalidate(user) {
      if (user) delegationCache.delete(user.oid);
      else {
        delegationCache.clear();
        userCache.clear();
        presenceCache.clear();
      }
    },

    async setMyPresence(user, availability, durationMinutes) {
      await setPreferredPresence(await graphFor(user), user.oid, availability, durationMinutes);
      presenceCache.delete(user.oid);
    },
    async clearMyPresence(user) {
      const client = await graphFor(user);
      await Promise.all([clearPreferredPresence(client, user.oid), setStatusMessage(client, user.oid, '')]);
      presenceCache.delete(user.oid);
    },
    async setMyStatusMessage(user, message, expiresAt) {
      await setStatusMessage(await graphFor(user), user.oid, message, expiresAt);
      presenceCache.delete(user.oid);
    },
    async createMeeting(user, input) {
      const m = await createOnlineMeeting(await graphFor(user), input);
      return { id: m.id ?? '', joinWebUrl: m.joinWebUrl ?? '' };
    },
    async placeCall(input) {
      const c = await createCall(await appGraph(), { ...input, tenantId: config.tenantId });
      return { id: c.id ?? '', state: c.state ?? 'establishing' };
    },
    async findPeople(user, text) {
      const client = await graphFor(user);
      const people = await searchPeople(client, text);
      for (const p of people) if (p.id) userCache.set(p.id.toLowerCase(), p);
      const ids = people.map((p) => p.id!.toLowerCase());
      const { presences } = await presencesFor(user, client, ids);
      const byId = new Map(presences.map((p) => [p.id!.toLowerCase(), p]));
      return people.map((person) => ({ person, presence: presenceView(byId.get(person.id!.toLowerCase())) }));
    },
    photo: async (user, personId) => getPhoto(await graphFor(user), personId),
    async subscribeToPresence(user, input) {
      const s = await createPresenceSubscription(await graphFor(user), input);
      return { id: s.id ?? '', expirationDateTime: s.expirationDateTime ?? '' };
    },
    async renewPresenceSubscription(user, id) {
      const s = await renewSubscription(await graphFor(user), id);
      return { id: s.id ?? id, expirationDateTime: s.expirationDateTime ?? '' };
    },
    deletePresenceSubscription: async (user, id) => deleteSubscription(await graphFor(user), id),
  };
}
