/** Starts the product server (tab, API, bot endpoint) with configuration from the environment. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDelegateDesk, loadConfig } from '../../shared';
import { loadServerConfig } from './config';
import { createApp } from './app';
import { createBot } from '../../bot/teams/botApp';
import { devIdentity, ssoIdentity, type IdentityResolver } from '../../bot/teams/identity';

export const defaultStaticDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'tab');

try {
  const config = loadConfig(process.env);
  const server = loadServerConfig(process.env, { staticDir: defaultStaticDir });
  const desk = createDelegateDesk(config);
  const botId = process.env.BOT_ID || undefined;
  if (botId && !process.env.BOT_PASSWORD) throw new Error('BOT_PASSWORD is missing: the bot registration needs its secret when BOT_ID is set.');

  let identity: IdentityResolver = ssoIdentity(desk);
  const devConfigUrl = process.env.DEVTENANT_CONFIG_URL;
  if (!botId && devConfigUrl) {
    // Local development with the dev tenant: the bot signs chat users in there (logged loudly).
    const dev = (await (await fetch(devConfigUrl)).json()) as { authority: string; appIdUri: string; userPassword: string; teamsClientIds: string[]; users: Array<{ id: string; userPrincipalName: string; displayName: string }> };
    identity = devIdentity(desk, {
      tokenUrl: `${dev.authority}/oauth2/v2.0/token`, clientId: dev.teamsClientIds[1]!, scope: `${dev.appIdUri}/access_as_user`, password: dev.userPassword, users: dev.users,
      fallbackUpn: dev.users[0]!.userPrincipalName,
    }, botId);
  }
  const publicOrigin = server.localHostOrigin ? `http://localhost:${server.port}` : `https://${process.env.TAB_DOMAIN}`;
  const bot = createBot({ desk, identity, appIdUri: config.appIdUri, consentUrl: `${publicOrigin}/auth-start`, botAuth: botId ? { appId: botId, password: process.env.BOT_PASSWORD!, tenantId: config.tenantId } : undefined });
  const app = createApp({ desk, config, staticDir: server.staticDir, localHostOrigin: server.localHostOrigin, pollSeconds: server.pollSeconds, extra: [{ path: '/api/messages', router: bot.router }] });
  app.listen(server.port, () => console.log(`Delegate Desk server on http://localhost:${server.port} (tab at /tab, bot at /api/messages)`));
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}
