/** `npm run devtenant`: starts the dev tenant on DEVTENANT_PORT and prints how to use it. */
import { startDevTenant } from './server';
import { faultsFromEnv } from './faults/faults';
import { config } from './admin/routes';
import { startLocalTeamsHost } from './host/hostServer';

export const DEFAULT_DEVTENANT_PORT = 3979;
export const DEFAULT_HOST_PORT = 3980;

function envNumber(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    console.error(`${name} must be a port number (0-65535), got '${v}'.`);
    process.exit(2);
  }
  return n;
}

export async function main(): Promise<{ close(): Promise<void>; origin: string; hostOrigin: string; config: ReturnType<typeof config> }> {
  const port = envNumber('DEVTENANT_PORT', DEFAULT_DEVTENANT_PORT);
  const fixed = process.env.DEVTENANT_CLOCK;
  if (fixed && Number.isNaN(Date.parse(fixed))) throw new Error(`DEVTENANT_CLOCK must be an ISO date and time, got '${fixed}'.`);
  const dt = await startDevTenant({
    port,
    seed: process.env.DEVTENANT_SEED || undefined,
    fixedClock: fixed ? new Date(fixed) : undefined,
    randomSeed: envNumber('DEVTENANT_RANDOM_SEED', 1),
    presenceIntervalSeconds: envNumber('DEVTENANT_PRESENCE_INTERVAL_SECONDS', 45) || 45,
    pageSize: envNumber('DEVTENANT_PAGE_SIZE', 100) || 100,
    faults: faultsFromEnv(process.env),
    quiet: process.env.DEVTENANT_QUIET === '1',
  });
  const productPort = envNumber('PORT', 3978);
  const host = await startLocalTeamsHost(dt.context, {
    port: envNumber('DEVTENANT_HOST_PORT', DEFAULT_HOST_PORT),
    tabUrl: process.env.DEVTENANT_TAB_URL || `http://localhost:${productPort}/tab`,
  });
  const c = config(dt.context, dt.caPath);
  const someone = c.users[0]!;
  console.log(`
Dev tenant "${c.tenantName}" (${c.tenantId}) is running.
  Open Teams (local host): ${host.origin}/
  Entra ID authority : ${c.authority}
  Graph              : ${c.graphBaseUrl}  and  ${c.graphBetaBaseUrl}
  Admin API / config : ${dt.origin}/devtenant/config
  CA certificate     : ${c.caCertificatePath}  (curl --cacert, or NODE_EXTRA_CA_CERTS for Node)
  Sign in as any of ${c.users.length} users (e.g. ${someone.userPrincipalName}) with password ${c.userPassword}
  A user token:  curl --cacert ${c.caCertificatePath} -d grant_type=password -d client_id=${c.teamsClientIds[1]} \\
                   -d username=${someone.userPrincipalName} -d 'password=${c.userPassword}' -d scope=${c.appIdUri}/access_as_user \\
                   ${c.authority}/oauth2/v2.0/token
`);
  return {
    origin: dt.origin,
    hostOrigin: host.origin,
    config: c,
    close: async () => {
      await host.close();
      await dt.close();
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e) => {
    console.error(`The dev tenant could not start: ${(e as Error).message}`);
    process.exit(1);
  });
}
