/**
 * The module's public face: one object per process that validates SSO tokens, gets Graph tokens
 * on-behalf-of users, and answers what the tab and the bot need. Neither front end sees a Graph token.
 * Each capability lives in its own module under desk/; this file puts them together.
 */
import type { DelegateDeskConfig } from './config';
import { createSsoTokenValidator, type SsoUser } from './auth/ssoToken';
import { createGraphTokenSource } from './auth/onBehalfOf';
import { tenantKeySets } from './auth/entraKeys';
import type { TokenCacheStore } from './auth/tokenCache';
import type { RetryPolicy } from './graph/retry';
import type { Store } from './store/store';
import { createDeskContext, type CacheLifetimes } from './desk/context';
import { delegationViews, type DelegationViews } from './desk/delegationView';
import { myPresence, presenceFeed, presenceReader, type MyPresence, type PresenceFeed } from './desk/presence';
import { people, type People } from './desk/people';
import { meetings, type Meetings } from './desk/meetings';
import { presenceSubscriptions, type PresenceSubscriptions } from './desk/subscriptions';
import { appPresence, type AppPresence } from './desk/appPresence';

export interface DelegateDeskOptions {
  tokenCacheStore?: TokenCacheStore;
  retry?: Partial<RetryPolicy>;
  /** Cache lifetimes in ms. */
  ttl?: Partial<CacheLifetimes>;
  /** Where the Graph caches live: a shared store (Redis) serves one read to every instance; default this desk's own memory. */
  cacheStore?: Store;
}

export interface DelegateDesk extends DelegationViews, MyPresence, PresenceFeed, People, Meetings, PresenceSubscriptions, AppPresence {
  /** Validates a Teams SSO token (with or without "Bearer "); throws SsoTokenError. */
  validateSsoToken(token: string | undefined): Promise<SsoUser>;
  /**
   * Reads, before the first request, what it would otherwise wait for: the home tenant's signing keys and
   * Entra ID's metadata (two round trips the first person after a start or deploy would pay). Never rejects.
   */
  warmUp(): Promise<void>;
}

export function createDelegateDesk(config: DelegateDeskConfig, options: DelegateDeskOptions = {}): DelegateDesk {
  const tokens = createGraphTokenSource(config, { cacheStore: options.tokenCacheStore });
  const ctx = createDeskContext(config, tokens, options);
  const presencesFor = presenceReader(ctx);
  const keys = tenantKeySets(config.authorityHost);
  return {
    validateSsoToken: createSsoTokenValidator(config, keys),
    warmUp: async () => {
      await Promise.all([
        keys(config.tenantId)
          .reload()
          .catch(() => undefined),
        tokens.warmUp(),
      ]);
    },
    ...delegationViews(ctx, presencesFor),
    ...myPresence(ctx),
    ...presenceFeed(ctx),
    ...people(ctx, presencesFor),
    ...meetings(ctx),
    ...presenceSubscriptions(ctx),
    ...appPresence(ctx),
  };
}
