/** Test helper: the whole app (server/compose) configured for a dev tenant, as `npm start` configures it. */
import path from 'node:path';
import { TEAMS_WEB_CLIENT_ID, type TestTenant } from '../../devtenant/testkit';
import type { DevIdentityOptions } from '../../bot/teams/identity';
import { defaultStateDir } from '../../devtenant/certs';
import { loadConfig, type AppConfig } from '../../server/config';
import { compose, type ComposeOptions } from '../../server/compose';
import { FAST_RETRY } from './desk';

const CERTS = path.join(process.env.DEVTENANT_STATE_DIR || defaultStateDir, 'certs');

/** The environment `npm start` gives the product server, for this dev tenant. */
export function envFor(
  dt: { clientId: string; tenantId: string; clientSecret: string; origin: string; appIdUri: string },
  extra: Record<string, string | undefined> = {},
) {
  return {
    AAD_APP_CLIENT_ID: dt.clientId,
    AAD_APP_TENANT_ID: dt.tenantId,
    AAD_APP_CLIENT_SECRET: dt.clientSecret,
    AAD_APP_OAUTH_AUTHORITY_HOST: dt.origin,
    GRAPH_BASE_URL: dt.origin,
    APP_ID_URI: dt.appIdUri,
    LOCAL_TEAMS_HOST_ORIGIN: 'http://localhost:3980',
    DEVTENANT_CONFIG_URL: `${dt.origin}/devtenant/config`,
    // Made by vitest.config.ts (ensureDevCertificates), as npm start makes them.
    NOTIFICATION_CERT_PATH: path.join(CERTS, 'notifications.pem'),
    NOTIFICATION_KEY_PATH: path.join(CERTS, 'notifications-key.pem'),
    ...extra,
  } as Record<string, string | undefined>;
}

/** The one configuration schema, read from that environment (so tests go through it too). */
export const appConfigFor = (dt: TestTenant, extra: Record<string, string | undefined> = {}, staticDir = '/nonexistent'): AppConfig =>
  loadConfig(envFor(dt, extra), { staticDir });

/** The whole app for this dev tenant, with fast Graph retries. */
export function appFor(dt: TestTenant, options: ComposeOptions & { env?: Record<string, string | undefined>; staticDir?: string } = {}) {
  const { env, staticDir, ...compose_ } = options;
  return compose(appConfigFor(dt, env, staticDir), { ...compose_, desk: { retry: FAST_RETRY, ...compose_.desk } });
}

/** The bot's dev identity for this test tenant (what `npm start` reads from DEVTENANT_CONFIG_URL), signing unknown chat users in as fallbackUpn. */
export function devIdentityFor(dt: TestTenant, fallbackUpn?: string): DevIdentityOptions {
  const users = dt.tenant.listUsers().map((u) => ({ id: u.id, userPrincipalName: u.userPrincipalName, displayName: u.displayName }));
  return {
    tokenUrl: `${dt.origin}/${dt.tenantId}/oauth2/v2.0/token`,
    clientId: TEAMS_WEB_CLIENT_ID,
    scope: `${dt.appIdUri}/access_as_user`,
    password: dt.tenant.userPassword,
    users,
    fallbackUpn: fallbackUpn ?? users[0]!.userPrincipalName,
  };
}
