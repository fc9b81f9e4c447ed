/**
 * `npm start`: the whole app on the dev tenant. Starts the dev tenant and the local Teams host, builds
 * the tab, and runs the product server as its own process configured like production except for the
 * base URLs, credentials and the dev CA (NODE_EXTRA_CA_CERTS is read only when a process starts).
 */
import { spawn, spawnSync } from 'node:child_process';
import { main as startDevTenant } from '../devtenant/main';

const port = process.env.PORT || '3978';
const devtenant = await startDevTenant();
const config = devtenant.config;

console.log('Building the tab…');
const build = spawnSync('npx', ['vite', 'build', '--config', 'tab/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
if (build.status !== 0) {
  console.error('The tab did not build.');
  process.exit(1);
}

const server = spawn('npx', ['tsx', 'server/main.ts'], {
  stdio: 'inherit',
  env: {
    ...process.env,
    PORT: port,
    NODE_EXTRA_CA_CERTS: config.caCertificatePath,
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

const stop = async () => {
  server.kill();
  await devtenant.close();
  process.exit(0);
};
server.on('exit', (code) => {
  if (code) console.error(`The server stopped (exit ${code}).`);
});
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
