/** Test helper: the Graph module configured for a dev tenant started by the test (test code only). */
import type { TestTenant } from '../../devtenant/testkit';
import { createDelegateDesk, TEAMS_SSO_CLIENT_IDS, type DelegateDeskConfig, type DelegateDeskOptions } from '../../shared';

export function configFor(dt: TestTenant, overrides: Partial<DelegateDeskConfig> = {}): DelegateDeskConfig {
  return {
    clientId: dt.clientId,
    tenantId: dt.tenantId,
    clientSecret: dt.clientSecret,
    authorityHost: dt.origin,
    graphBaseUrl: dt.origin,
    appIdUri: dt.appIdUri,
    allowedTenantIds: [dt.tenantId],
    allowedClientIds: [...TEAMS_SSO_CLIENT_IDS],
    ...overrides,
  };
}

/** Fast retries for tests: tiny delays, same budget logic. */
export const FAST_RETRY = { maxAttempts: 3, maxTotalWaitMs: 3_000, baseDelayMs: 10, maxDelayMs: 50 };

export function deskFor(dt: TestTenant, options: DelegateDeskOptions = {}, overrides: Partial<DelegateDeskConfig> = {}) {
  return createDelegateDesk(configFor(dt, overrides), { retry: FAST_RETRY, ...options });
}
