/**
 * What every capability of the module shares: a Graph client per user, and the caches. Directory data
 * and presence are the same whoever asks, so those caches are shared across users, and, in the Store
 * (Redis), across instances: one Graph read serves them all.
 */
import type { Client } from '@microsoft/microsoft-graph-client';
import type { DelegationSettings } from '@microsoft/microsoft-graph-types-beta';
import type { DelegateDeskConfig } from '../config';
import type { SsoUser } from '../auth/ssoToken';
import type { GraphTokenSource } from '../auth/onBehalfOf';
import { createGraphClient } from '../graph/client';
import type { RetryPolicy } from '../graph/retry';
import type { DirectoryUser } from '../graph/operations/users';
import type { GraphPresence } from '../graph/operations/presence';
import { TtlCache } from '../cache';
import { MemoryStore } from '../store/memoryStore';
import type { Store } from '../store/store';
import { ReadBatcher, SharedCache } from './cache';

export interface CacheLifetimes {
  presenceMs: number;
  delegationsMs: number;
  usersMs: number;
}

export interface DeskContext {
  /** A Graph client for the user, its token already fetched (auth failures surface as their own typed errors). */
  graphFor(user: SsoUser): Promise<Client>;
  /** The app's own Graph client (client credentials: application permissions, no user). */
  appGraph(): Client;
  delegations: SharedCache<{ delegates: DelegationSettings[]; delegators: DelegationSettings[] }>;
  users: SharedCache<DirectoryUser>;
  presence: SharedCache<GraphPresence>;
  /**
   * People whose presence a live subscription pushes (id → until when, ms): what is read of them stays
   * fresh as long as a push would replace it.
   */
  pushed: SharedCache<number>;
}

/** How long a cached value is kept past its freshness, as the last known one (Graph throttled or down). */
const KEEP_STALE_MS = 24 * 3_600_000;

export function createDeskContext(
  config: DelegateDeskConfig,
  tokens: GraphTokenSource,
  options: { retry?: Partial<RetryPolicy>; ttl?: Partial<CacheLifetimes>; cacheStore?: Store },
): DeskContext {
  const ttl: CacheLifetimes = { presenceMs: 10_000, delegationsMs: 5 * 60_000, usersMs: 5 * 60_000, ...options.ttl };
  // Without a shared store: this desk's own memory, as before.
  const store = options.cacheStore ?? new MemoryStore();
  const reads = new ReadBatcher(store);
  const cache = <V>(name: string, o: { ttlMs: number; staleMs: number; maxLocal?: number }) => new SharedCache<V>(store, reads, name, o);
  // One client per SSO token (its middleware chain is built once), kept as long as the token lives.
  const clients = new TtlCache<Client>(0, 10_000);
  let app: Client | undefined;
  return {
    appGraph: () => (app ??= createGraphClient(() => tokens.forApp(), { graphBaseUrl: config.graphBaseUrl, retry: options.retry })),
    // The token is fetched first so auth failures surface as typed errors (inside the Graph client they
    // would be wrapped); later calls are cache hits.
    async graphFor(user) {
      await tokens.forUser(user);
      const known = clients.get(user.tokenKey);
      if (known) return known;
      const client = createGraphClient(() => tokens.forUser(user), { graphBaseUrl: config.graphBaseUrl, retry: options.retry });
      const lifetime = user.expiresAt - Date.now();
      if (lifetime > 0) clients.set(user.tokenKey, client, lifetime);
      return client;
    },
    delegations: cache('delegations', { ttlMs: ttl.delegationsMs, staleMs: KEEP_STALE_MS }),
    users: cache('users', { ttlMs: ttl.usersMs, staleMs: KEEP_STALE_MS }),
    presence: cache('presence', { ttlMs: ttl.presenceMs, staleMs: KEEP_STALE_MS }),
    pushed: cache('pushed', { ttlMs: 0, staleMs: 0, maxLocal: 100_000 }),
  };
}
