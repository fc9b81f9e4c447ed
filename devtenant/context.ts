import type { Tenant } from './tenant/tenant';
import type { KeySet } from './identity/keys';
import type { Counters } from './counters';
import type { Faults } from './faults/faults';
import type { GrantStore } from './identity/tokenEndpoint';
import type { NotificationSettings } from './graph/notifications';

/** What every dev tenant route needs: the tenant, its keys, the counters and the fault settings. */
export interface DevTenantContext {
  tenant: Tenant;
  keys: KeySet;
  counters: Counters;
  faults: Faults;
  /** Change notification delay and retry (admin: /devtenant/notifications). */
  notifications: NotificationSettings;
  /** Authorization codes and refresh tokens issued. */
  grants: GrantStore;
  /** https://localhost:<port>, the origin clients reach the dev tenant on. */
  origin: () => string;
  /** Graph page size for collections that page (small in tests). */
  pageSize: number;
  /** Mute the per-request log. */
  quiet: boolean;
}
