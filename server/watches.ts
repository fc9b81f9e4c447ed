/**
 * "Tell me when X is free", put together: the watches and conversation references in the Store, the
 * watcher (pushed presence from the live feed, the app-only poll), the bot that sends its messages and
 * the tab's routes. The bot needs the watcher to answer and the watcher needs the bot to speak: the
 * references come first, the watcher once the bot exists.
 */
import { Router } from 'express';
import type { DelegateDesk } from '../shared';
import type { Store } from '../shared/store/store';
import type { SubscriptionKeeper } from '../shared/live/subscriptionKeeper';
import { conversationReferences } from '../shared/watch/conversations';
import { watchStore } from '../shared/watch/watchStore';
import { createWatcher, type Notify, type Watcher } from '../shared/watch/watcher';
import type { AppConfig } from './config';
import { watchRoutes } from './http/watches';

export function composeWatches(config: AppConfig, desk: DelegateDesk, store: Store) {
  const conversations = conversationReferences(store);
  const watches = watchStore(store);
  const routes = Router();
  let watcher: Watcher | undefined;
  return {
    conversations,
    routes,
    get watcher() {
      return watcher;
    },
    /** The people a user waits for, for their presence subscription. */
    watchedBy: async (oid: string) => (await watches.list(oid)).map((w) => w.personId),
    async start(keeper: SubscriptionKeeper | undefined, notify: Notify) {
      watcher = createWatcher({
        store,
        watches,
        desk,
        conversations,
        // Without a notification certificate the keeper only answers 'disabled': every watch is polled.
        keeper: config.live ? keeper : undefined,
        notify,
        appTenantId: config.graph.tenantId,
        pollMs: config.watch.pollSeconds * 1000,
      });
      await watcher.start();
      // BOT_ID equals the app's client id (one Entra app); locally the bot has no registration.
      routes.use(watchRoutes({ desk, watcher, botId: config.bot.kind === 'botFramework' ? config.bot.appId : config.graph.clientId }));
    },
    async close() {
      await watcher?.close();
    },
  };
}
