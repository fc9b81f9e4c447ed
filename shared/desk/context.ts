/**
 * What every capability of the module shares: a Graph client per user, and the caches. Directory data
 * and presence are the same whoever asks, so those caches are shared across users.
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
  delegations: TtlCache<{ delegates: DelegationSettings[]; delegators: DelegationSettings[] }>;
  users: TtlCache<DirectoryUser>;
  presence: TtlCache<GraphPresence>;
  /**
   * People whose presence a live subscription pushes (id → until when, ms): what is read of them stays
   * fresh as long as a push would replace it.
   */
  pushed: TtlCache<number>;
}

export function createDeskContext(
  config: DelegateDeskConfig,
  tokens: GraphTokenSource,
  options: { retry?: Partial<RetryPolicy>; ttl?: Partial<CacheLifetimes> },
): DeskContext {
  const ttl: CacheLifetimes = { presenceMs: 10_000, delegationsMs: 5 * 60_000, usersMs: 5 * 60_000, ...options.ttl };
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
    delegations: new TtlCache(ttl.delegationsMs),
    users: new TtlCache(ttl.usersMs),
    presence: new TtlCache(ttl.presenceMs),
    pushed: new TtlCache(0, 100_000),
  };
}
