/**
 * The tab bench's stack: the dev tenant, the local Teams host and the built tab once; the product app
 * composed again on demand (`fresh()`), so each cold open meets empty server caches.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startDevTenant, type DevTenant } from '../devtenant/server';
import { startLocalTeamsHost, type LocalTeamsHost } from '../devtenant/host/hostServer';
import { compose } from '../server/compose';
import { loadConfig } from '../server/config';
import { devIdentityOptionsFrom } from '../bot/teams/identity';
import { envFor } from '../tests/support/app';
import { buildTab } from '../tests/support/stack';

export interface TabStack {
  dt: DevTenant;
  /** The product server's port (the tab, its API). */
  port: number;
  host: LocalTeamsHost;
  staticDir: string;
  /** Replaces the product app with a newly composed one (empty caches). */
  fresh(): Promise<void>;
  /** A second local Teams host framing another page (the minimal peer). */
  hostFor(tabUrl: string): Promise<LocalTeamsHost>;
  close(): Promise<void>;
}

export async function startTabStack(defaultUser: string): Promise<TabStack> {
  const staticDir = await buildTab();
  const dt = await startDevTenant({ quiet: true });
  const t = dt.tenant;
  let app: Awaited<ReturnType<typeof compose>> | undefined;
  const server = http.createServer((q, r) => (app ? app.handler(q, r) : r.writeHead(503).end()));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  const hosts: LocalTeamsHost[] = [];
  const hostFor = async (tabUrl: string) => {
    const h = await startLocalTeamsHost(dt.context, { tabUrl, defaultUser });
    hosts.push(h);
    return h;
  };
  const host = await hostFor(`http://localhost:${port}/tab`);
  const env = envFor(
    {
      clientId: t.app.clientId,
      tenantId: t.id,
      clientSecret: t.app.clientSecret,
      origin: dt.origin,
      appIdUri: `api://localhost/botid-${t.app.clientId}`,
    },
    { PORT: String(port), LOCAL_TEAMS_HOST_ORIGIN: host.origin },
  );
  const config = loadConfig(env, { staticDir });
  const devIdentity = { ...(await devIdentityOptionsFrom(`${dt.origin}/devtenant/config`)), fallbackUpn: defaultUser };
  const fresh = async () => {
    const old = app;
    app = await compose(config, { devIdentity });
    await old?.close();
  };
  await fresh();
  return {
    dt,
    port,
    host,
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
