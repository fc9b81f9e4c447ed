/**
 * `npm start`: the whole app on the dev tenant. Starts the dev tenant and the local Teams host, builds
 * the tab, and runs the product server as its own process configured like production except for the
 * base URLs, credentials and the dev CA (NODE_EXTRA_CA_CERTS is read only when a process starts).
 *
 * The server runs in a process group of its own (scripts/processes.ts): Ctrl-C, SIGTERM or SIGHUP stop
 * that whole group and the dev tenant, then end this process; if the server dies, this says so and ends
 * with a non-zero code.
 */
import { spawnSync } from 'node:child_process';
import { main as startDevTenant } from '../devtenant/main';
import { ensureDevCertificates } from '../devtenant/certs';
import { spawnTree } from './processes';

const port = process.env.PORT || '3978';
const devtenant = await startDevTenant();
const config = devtenant.config;

console.log('Building the tab…');
const build = spawnSync('npx', ['vite', 'build', '--config', 'tab/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
if (build.status !== 0) {
  console.error('The tab did not build.');
  await devtenant.close();
  process.exit(1);
}

// node with tsx's loader, not `npx tsx`: one process, nothing in between to outlive it.
const certs = await ensureDevCertificates();
const server = spawnTree(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
  stdio: ['ignore', 'inherit', 'inherit'],
  env: {
    ...process.env,
    PORT: port,
    NODE_EXTRA_CA_CERTS: config.caCertificatePath,
    // Live presence: Graph (here the dev tenant) encrypts presence notifications with this certificate.
    NOTIFICATION_CERT_PATH: certs.notificationCertPath,
    NOTIFICATION_KEY_PATH: certs.notificationKeyPath,
    AAD_APP_CLIENT_ID: config.clientId,
    AAD_APP_CLIENT_SECRET: config.clientSecret,
    AAD_APP_TENANT_ID: config.tenantId,
    AAD_APP_OAUTH_AUTHORITY_HOST: devtenant.origin,
    GRAPH_BASE_URL: devtenant.origin,
    TAB_DOMAIN: 'localhost',
    LOCAL_TEAMS_HOST_ORIGIN: devtenant.hostOrigin,
    DEVTENANT_CONFIG_URL: `${devtenant.origin}/devtenant/config`,
  },
});
console.log(`\n  ➜ Open ${devtenant.hostOrigin}/ to use Delegate Desk inside the local Teams host.\n`);

let stopping = false;
const stop = async (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  let code = 0;
  try {
    await server.stop(signal === 'SIGHUP' ? 'SIGTERM' : signal, 12_000);
  } catch (e) {
    console.error((e as Error).message);
    code = 1;
  }
  await devtenant.close();
  process.exit(code);
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(signal));

void server.exited.then(async ({ code, signal }) => {
  if (stopping) return;
  stopping = true;
  console.error(`The server stopped (${signal ? `signal ${signal}` : `exit ${code}`}); stopping the dev tenant.`);
  await server.stop(); // whatever it may have left in its group
  await devtenant.close();
  process.exit(code || 1);
});
