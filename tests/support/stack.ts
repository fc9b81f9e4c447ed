/** The whole app on a dev tenant, in one process: dev tenant, local Teams host, built tab, product server. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import { startDevTenant, type DevTenant } from '../../devtenant/server';
import { startLocalTeamsHost, type LocalTeamsHost } from '../../devtenant/host/hostServer';
import { createDelegateDesk, type DelegateDeskOptions } from '../../shared';
import { createApp } from '../../tab/server/app';
import { createBot } from '../../bot/teams/botApp';
import { devIdentity, ssoIdentity } from '../../bot/teams/identity';
import { TEAMS_CLIENT_IDS } from '../../devtenant/identity/constants';

export interface Stack {
  dt: DevTenant;
  host: LocalTeamsHost;
  tabOrigin: string;
  staticDir: string;
  close(): Promise<void>;
}

export async function buildTab(outDir?: string): Promise<string> {
  const dir = outDir ?? (await mkdtemp(path.join(tmpdir(), 'dd-tab-')));
  await build({ configFile: path.resolve('tab/vite.config.ts'), logLevel: 'silent', build: { outDir: dir, emptyOutDir: true } });
  return dir;
}

export async function startStack(opts: { defaultUser: string; deskOptions?: DelegateDeskOptions; pollSeconds?: number; fixedClock?: Date; botIdentity?: 'dev' | 'sso' }): Promise<Stack> {
  const staticDir = await buildTab();
  const dt = await startDevTenant({ quiet: true, fixedClock: opts.fixedClock });
  const t = dt.tenant;
  let handler: http.RequestListener = (_q, r) => r.end();
  const server = http.createServer((q, r) => handler(q, r));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const tabOrigin = `http://localhost:${(server.address() as AddressInfo).port}`;
  const host = await startLocalTeamsHost(dt.context, { tabUrl: `${tabOrigin}/tab`, defaultUser: opts.defaultUser });
  const config = {
    clientId: t.app.clientId, tenantId: t.id, clientSecret: t.app.clientSecret, authorityHost: dt.origin, graphBaseUrl: dt.origin,
    appIdUri: `api://localhost/botid-${t.app.clientId}`, allowedTenantIds: [t.id],
  };
  const desk = createDelegateDesk(config, opts.deskOptions);
  // The bot signs chat users in through the dev identity path, as `npm start` does.
  const identity = opts.botIdentity === 'sso' ? ssoIdentity(desk) : devIdentity(desk, {
    tokenUrl: `${dt.origin}/${t.id}/oauth2/v2.0/token`, clientId: Object.keys(TEAMS_CLIENT_IDS)[1]!, scope: `${config.appIdUri}/access_as_user`, password: t.userPassword,
    users: t.listUsers().map((u) => ({ id: u.id, userPrincipalName: u.userPrincipalName, displayName: u.displayName })), fallbackUpn: opts.defaultUser,
  }, undefined);
  const bot = createBot({ desk, identity, appIdUri: config.appIdUri });
  handler = createApp({ desk, config, staticDir, localHostOrigin: host.origin, publicOrigin: tabOrigin, pollSeconds: opts.pollSeconds, extra: [{ path: '/api/messages', router: bot.router }] });
  return {
    dt,
    host,
    tabOrigin,
    staticDir,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await host.close();
      await dt.close();
    },
  };
}
