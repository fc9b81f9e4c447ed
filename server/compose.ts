/**
 * The composition root: builds the whole app from its configuration (the Graph module, the bot, the
 * web server and their storage). `main`, the end-to-end stack, benchmarks and bot tests all build the
 * app here, so what they run is what production runs.
 */
import type express from 'express';
import type { Storage } from 'botbuilder';
import { createDelegateDesk, type DelegateDesk, type DelegateDeskOptions } from '../shared';
import { createBot } from '../bot/teams/botApp';
import { devIdentity, devIdentityOptionsFrom, ssoIdentity, type DevIdentityOptions, type IdentityResolver } from '../bot/teams/identity';
import type { Store } from '../shared/store/store';
import type { AppConfig } from './config';
import { createHttpApp } from './http/app';
import { composeLive } from './live';
import { openStorage } from './storage';
import { composeWatches } from './watches';
import type { Watcher } from '../shared/watch/watcher';

export interface ComposeOptions {
  /** Graph module tuning (tests use fast retries). */
  desk?: DelegateDeskOptions;
  /** The bot's state (teams-ai state, sign-in dedupe); from config.storage by default. */
  botStorage?: Storage;
  /**
   * In dev tenant mode: 'dev' (default) signs chat users in with the dev identity, 'sso' uses Teams SSO
   * as in a real tenant (the local host's chat then exchanges tokens like Teams).
   */
  botIdentity?: 'dev' | 'sso';
  /** The dev identity's settings, instead of reading them from the dev tenant (DEVTENANT_CONFIG_URL). */
  devIdentity?: DevIdentityOptions;
  /** Shared state (subscriptions, push fan-out); from config.storage by default. */
  store?: Store;
  /** Delays between Bot Connector retries of proactive messages (tests shorten them). */
  proactiveBackoffMs?: number[];
}

export interface DelegateDeskApp {
  /** The one request handler: tab, API, sign-in pages and bot endpoint. */
  handler: express.Express;
  desk: DelegateDesk;
  config: AppConfig;
  /** "Tell me when X is free" (tests drive a poll round with it). */
  watcher: Watcher;
  /** Open push streams on this instance. */
  liveConnections(): number;
  /** Ends push streams and Store subscriptions (the HTTP server is the caller's). */
  close(): Promise<void>;
}

async function identityFor(config: AppConfig, desk: DelegateDesk, options: ComposeOptions): Promise<IdentityResolver> {
  if (config.bot.kind === 'botFramework' || options.botIdentity === 'sso') return ssoIdentity(desk);
  // Local development with the dev tenant: the bot signs chat users in there (logged loudly).
  return devIdentity(desk, options.devIdentity ?? (await devIdentityOptionsFrom(config.bot.configUrl)));
}

export async function compose(config: AppConfig, options: ComposeOptions = {}): Promise<DelegateDeskApp> {
  const storage = await openStorage(config.storage);
  const desk = createDelegateDesk(config.graph, {
    ...(storage.tokenCacheStore ? { tokenCacheStore: storage.tokenCacheStore } : {}),
    cacheStore: storage.cacheStore,
    ...options.desk,
  });
  // The first person after a start does not wait for Entra's keys and metadata (a failure here is only a later read).
  void desk.warmUp();
  const store = options.store ?? storage.store;
  const watches = composeWatches(config, desk, store);
  const bot = createBot({
    desk,
    identity: await identityFor(config, desk, options),
    appIdUri: config.graph.appIdUri,
    consentUrl: `${config.server.publicOrigin}/auth-start`,
    storage: options.botStorage ?? storage.botStorage,
    botAuth:
      config.bot.kind === 'botFramework'
        ? { appId: config.bot.appId, password: config.bot.password, tenantId: config.graph.tenantId }
        : undefined,
    conversations: watches.conversations,
    watcher: () => watches.watcher,
    proactiveBackoffMs: options.proactiveBackoffMs,
  });
  const live = await composeLive(config, desk, store, { watched: watches.watchedBy });
  await watches.start(live.keeper, bot.notify);
  const handler = createHttpApp({
    desk,
    graph: config.graph,
    server: config.server,
    health: () => store.health?.() ?? 'ok',
    mounts: [
      { path: '/api/messages', router: bot.router },
      ...live.routers.map((router) => ({ path: '/', router })),
      { path: '/', router: watches.routes },
    ],
  });
  return {
    handler,
    desk,
    config,
    watcher: watches.watcher!,
    liveConnections: () => live.push.connections(),
    async close() {
      await watches.close();
      await live.push.close();
      await storage.close();
    },
  };
}
