/** Starts the product server (tab, API, bot endpoint) with configuration from the environment. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDelegateDesk, loadConfig } from '../../shared';
import { loadServerConfig } from './config';
import { createApp } from './app';
import { createBot } from '../../bot/teams/botApp';
import { devIdentity, ssoIdentity, type IdentityResolver } from '../../bot/teams/identity';

/** The built tab beside this file: dist/tab from dist/server/main.js (production), or from tab/server/main.ts (development). */
const here = path.dirname(fileURLToPath(import.meta.url));
export const defaultStaticDir = [path.resolve(here, '..', 'tab'), path.resolve(here, '..', '..', 'dist', 'tab')].find((d) => existsSync(path.join(d, 'index.html')))
  ?? path.resolve(here, '..', '..', 'dist', 'tab');

/** Both halves of the configuration are checked before either is used, so one start names every problem. */
function loadAll() {
  const attempt = <T,>(load: () => T): T | Error => {
    try {
      return load();
    } catch (e) {
      return e as Error;
    }
  };
  const config = attempt(() => loadConfig(process.env));
  const server = attempt(() => loadServerConfig(process.env, { staticDir: defaultStaticDir }));
  const failures = [config, server].filter((x): x is Error => x instanceof Error);
  if (failures.length) throw new Error(failures.map((f) => f.message).join('\n'));
  return { config: config as Exclude<typeof config, Error>, server: server as Exclude<typeof server, Error> };
}

try {
  const { config, server } = loadAll();
  const desk = createDelegateDesk(config);
  const { bot: mode } = server;

  let identity: IdentityResolver = ssoIdentity(desk);
  if (mode.kind === 'devTenant') {
    // Local development with the dev tenant: the bot signs chat users in there (logged loudly).
    const dev = (await (await fetch(mode.configUrl)).json()) as { authority: string; appIdUri: string; userPassword: string; teamsClientIds: string[]; users: Array<{ id: string; userPrincipalName: string; displayName: string }> };
    identity = devIdentity(desk, {
      tokenUrl: `${dev.authority}/oauth2/v2.0/token`, clientId: dev.teamsClientIds[1]!, scope: `${dev.appIdUri}/access_as_user`, password: dev.userPassword, users: dev.users,
      fallbackUpn: dev.users[0]!.userPrincipalName,
    }, undefined); // loadServerConfig refuses the dev tenant mode while BOT_ID is set
  }
  const bot = createBot({
    desk, identity, appIdUri: config.appIdUri, consentUrl: `${server.publicOrigin}/auth-start`,
    botAuth: mode.kind === 'botFramework' ? { appId: mode.appId, password: mode.password, tenantId: config.tenantId } : undefined,
  });
  const app = createApp({ desk, config, staticDir: server.staticDir, localHostOrigin: server.localHostOrigin, publicOrigin: server.publicOrigin, pollSeconds: server.pollSeconds, extra: [{ path: '/api/messages', router: bot.router }] });
  const listener = app.listen(server.port, () => console.log(`Delegate Desk server on http://localhost:${server.port} (tab at /tab, bot at /api/messages)`));
  // App Service stops an instance with SIGTERM: finish the requests in progress, then leave.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      listener.close(() => process.exit(0));
      listener.closeIdleConnections();
      setTimeout(() => process.exit(0), 10_000).unref();
    });
  }
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}
