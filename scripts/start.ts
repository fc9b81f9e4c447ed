/**
 * `npm start`: the whole app on the dev tenant. Starts the dev tenant and the local Teams host, builds
 * the tab, and runs the product server as its own process configured like production except for the
 * base URLs, credentials and the dev CA (NODE_EXTRA_CA_CERTS is read only when a process starts).
 *
 * `INSTANCES=2 npm start` runs that many product servers on free loopback ports, sharing their state on
 * Redis (REDIS_URL, or a redis-server started here on a free port, with no persistence), behind one
 * entry point on PORT that spreads requests round-robin (scripts/balancer.ts).
 *
 * Every server (and Redis) runs in a process group of its own (scripts/processes.ts): Ctrl-C, SIGTERM or
 * SIGHUP stop those groups and the dev tenant, then end this process. With one server, if it dies, this
 * says so and ends with a non-zero code; with several, the others keep serving (the entry point drains
 * the dead one) until none is left.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { main as startDevTenant } from '../devtenant/main';
import { ensureDevCertificates } from '../devtenant/certs';
import { startBalancer, type Balancer } from './balancer';
import { spawnTree, waitFor, type ProcessTree } from './processes';

const port = process.env.PORT || '3978';
const instances = Number(process.env.INSTANCES || '1');
if (!Number.isInteger(instances) || instances < 1 || instances > 16) {
  console.error(`INSTANCES must be a whole number from 1 to 16 (got '${process.env.INSTANCES}').`);
  process.exit(1);
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port: p } = s.address() as net.AddressInfo;
      s.close(() => resolve(p));
    });
    s.once('error', reject);
  });

const onPath = (bin: string) =>
  (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((d) => path.join(d, bin))
    .find((p) => existsSync(p));

/** True once something on the port answers a RESP PING. */
const redisAnswers = (p: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(p, '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (d) => done(d.toString().startsWith('+PONG')));
    socket.once('connect', () => socket.write('PING\r\n'));
  });

// Several instances share their state on Redis: checked first, so a missing Redis costs no start-up.
let redisUrl = process.env.REDIS_URL || undefined;
let redis: ProcessTree | undefined;
if (instances > 1 && !redisUrl) {
  const binary = onPath('redis-server');
  if (!binary) {
    console.error(
      `INSTANCES=${instances} shares state on Redis: set REDIS_URL, or install redis-server (Debian/Ubuntu: sudo apt-get install -y redis-server; macOS: brew install redis).`,
    );
    process.exit(1);
  }
  const redisPort = await freePort();
  redis = spawnTree(binary, ['--bind', '127.0.0.1', '--port', String(redisPort), '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (!(await waitFor(() => redisAnswers(redisPort), 10_000, 100))) {
    console.error(`redis-server did not start on port ${redisPort}.`);
    await redis.stop('SIGKILL');
    process.exit(1);
  }
  redisUrl = `redis://127.0.0.1:${redisPort}`;
  console.log(`Redis (no persistence) on ${redisUrl}`);
}

const devtenant = await startDevTenant();
const config = devtenant.config;

console.log('Building the tab…');
const build = spawnSync('npx', ['vite', 'build', '--config', 'tab/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
if (build.status !== 0) {
  console.error('The tab did not build.');
  await devtenant.close();
  await redis?.stop();
  process.exit(1);
}

// node with tsx's loader, not `npx tsx`: one process, nothing in between to outlive it.
const certs = await ensureDevCertificates();
const { REDIS_URL: _unset, ...inherited } = process.env;
const baseEnv: NodeJS.ProcessEnv = {
  ...inherited,
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
  ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
};

const servers: Array<{ name: string; tree: ProcessTree; url: string }> = [];
for (let i = 1; i <= instances; i++) {
  // One server: on PORT itself. Several: each on a free port, all reached through the entry point on PORT
  // (PUBLIC_PORT: consent pages and Graph's notification URL name the entry point, not one instance).
  const own = instances === 1 ? port : String(await freePort());
  const name = instances === 1 ? undefined : `instance-${i}`;
  const tree = spawnTree(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...baseEnv, PORT: own, ...(name ? { INSTANCE_NAME: name, PUBLIC_PORT: port } : {}) },
  });
  servers.push({ name: name ?? 'server', tree, url: `http://127.0.0.1:${own}` });
}

let balancer: Balancer | undefined;
if (instances > 1) {
  try {
    balancer = await startBalancer({ port: Number(port), backends: servers.map(({ name, url }) => ({ name, url })) });
  } catch (e) {
    console.error(`The entry point could not listen on port ${port}: ${(e as Error).message}`);
    await stopAll('SIGTERM');
    process.exit(1);
  }
  console.log(`Entry point on http://localhost:${port}: ${servers.map((s) => `${s.name} (${s.url})`).join(', ')}, round-robin`);
}
console.log(`\n  ➜ Open ${devtenant.hostOrigin}/ to use Delegate Desk inside the local Teams host.\n`);

let stopping = false;
async function stopAll(signal: NodeJS.Signals): Promise<number> {
  let code = 0;
  await balancer?.close();
  const results = await Promise.allSettled(servers.map((s) => s.tree.stop(signal, 12_000)));
  for (const r of results) {
    if (r.status === 'rejected') {
      console.error((r.reason as Error).message);
      code = 1;
    }
  }
  await devtenant.close();
  await redis?.stop();
  return code;
}

const stop = async (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  process.exit(await stopAll(signal === 'SIGHUP' ? 'SIGTERM' : signal));
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(signal));

let alive = servers.length;
for (const s of servers) {
  void s.tree.exited.then(async ({ code, signal }) => {
    if (stopping) return;
    alive--;
    const how = signal ? `signal ${signal}` : `exit ${code}`;
    await s.tree.stop(); // whatever it may have left in its group
    if (alive > 0) {
      console.error(`${s.name} stopped (${how}); the entry point sends everything to the others.`);
      return;
    }
    stopping = true;
    console.error(`The server stopped (${how}); stopping the dev tenant.`);
    await stopAll('SIGTERM');
    process.exit(code || 1);
  });
}
void redis?.exited.then(async ({ code, signal }) => {
  if (stopping) return;
  stopping = true;
  console.error(`redis-server stopped (${signal ? `signal ${signal}` : `exit ${code}`}); stopping everything.`);
  await stopAll('SIGTERM');
  process.exit(1);
});
