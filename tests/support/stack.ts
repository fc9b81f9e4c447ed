/** The whole app on a dev tenant, in one process: dev tenant, local Teams host, built tab, product server. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import { startDevTenant, type DevTenant } from '../../devtenant/server';
import { startLocalTeamsHost, type LocalTeamsHost } from '../../devtenant/host/hostServer';
import type { DelegateDeskOptions } from '../../shared';
import { compose } from '../../server/compose';
import type { Store } from '../../shared/store/store';
import { loadConfig } from '../../server/config';
import { devIdentityOptionsFrom } from '../../bot/teams/identity';
import { envFor } from './app';

export interface Stack {
  dt: DevTenant;
  host: LocalTeamsHost;
  tabOrigin: string;
  /** The product server's port (the tab, its API). */
  port: number;
  staticDir: string;
  /** Replaces the product app with a newly composed one (empty caches), as after a restart. */
  fresh(): Promise<void>;
  /** Another local Teams host framing another page (a bench's peer). */
  hostFor(tabUrl: string): Promise<LocalTeamsHost>;
  close(): Promise<void>;
}

export async function buildTab(outDir?: string): Promise<string> {
  const dir = outDir ?? (await mkdtemp(path.join(tmpdir(), 'dd-tab-')));
  await build({ configFile: path.resolve('tab/vite.config.ts'), logLevel: 'silent', build: { outDir: dir, emptyOutDir: true } });
  return dir;
}

export async function startStack(opts: {
  store?: Store;
  defaultUser: string;
  deskOptions?: DelegateDeskOptions;
  pollSeconds?: number;
  fixedClock?: Date;
  botIdentity?: 'dev' | 'sso';
}): Promise<Stack> {
  const staticDir = await buildTab();
  const dt = await startDevTenant({ quiet: true, fixedClock: opts.fixedClock });
  const t = dt.tenant;
  let app: Awaited<ReturnType<typeof compose>> | undefined;
  const server = http.createServer((q, r) => (app ? app.handler(q, r) : r.writeHead(503).end()));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  const tabOrigin = `http://localhost:${port}`;
  const hosts: LocalTeamsHost[] = [];
  const hostFor = async (tabUrl: string) => {
    const h = await startLocalTeamsHost(dt.context, { tabUrl, defaultUser: opts.defaultUser });
    hosts.push(h);
    return h;
  };
  const host = await hostFor(`${tabOrigin}/tab`);
  const env = envFor(
    {
      clientId: t.app.clientId,
      tenantId: t.id,
      clientSecret: t.app.clientSecret,
      origin: dt.origin,
      appIdUri: `api://localhost/botid-${t.app.clientId}`,
    },
    {
      PORT: String(port),
      LOCAL_TEAMS_HOST_ORIGIN: host.origin,
      ...(opts.pollSeconds ? { TAB_POLL_SECONDS: String(opts.pollSeconds) } : {}),
    },
  );
  const config = loadConfig(env, { staticDir });
  // The bot signs chat users in through the dev identity path, as `npm start` does (or with Teams SSO).
  const devIdentity = { ...(await devIdentityOptionsFrom(`${dt.origin}/devtenant/config`)), fallbackUpn: opts.defaultUser };
  const fresh = async () => {
    const old = app;
    app = await compose(config, { desk: opts.deskOptions, botIdentity: opts.botIdentity, devIdentity, store: opts.store });
    await old?.close();
  };
  await fresh();
  return {
    dt,
    host,
    tabOrigin,
    port,
    staticDir,
    fresh,
    hostFor,
    close: async () => {
      await app?.close();
      server.closeAllConnections();
      server.close();
      for (const h of hosts) await h.close();
      await dt.close();
    },
  };
}
