/**
 * The teams-ai v1 wiring, and only that: activities in, replies out. Understanding, answers and cards
 * live in plain modules (../understanding, ../answers), so a move to a newer SDK touches this folder.
 * createBot composes the capabilities, each in its own module here.
 */
import type { Router } from 'express';
import { Application } from '@microsoft/teams-ai';
import { ActivityTypes, MemoryStorage, type Storage } from 'botbuilder';
import type { DelegateDesk } from '../../shared';
import { createAdapter, type BotAuth } from './adapter';
import { questionAnswerer } from './answerQuestion';
import type { IdentityResolver } from './identity';
import { addMessages } from './messages';
import { pendingAnswerer } from './pendingQuestion';
import { botRouter } from './router';
import type { ServiceUrlPolicy } from './activity';
import { SSO_CONNECTION } from './sendReply';
import type { BotState } from './state';
import { addSsoTokenExchange } from './tokenExchange';
import { addVerifyState } from './verifyState';
import { addWelcome } from './welcome';
import { addConversationReferences } from './conversations';
import { proactiveSender } from './proactive';
import type { ConversationReferences } from '../../shared/watch/conversations';
import type { Delivery, WatchEvent, Watcher } from '../../shared/watch/watcher';

export { isDuplicateWrite } from './tokenExchange';

export interface BotOptions {
  desk: DelegateDesk;
  identity: IdentityResolver;
  /** api://<domain>/botid-<app id>: what the Teams client exchanges an SSO token for. */
  appIdUri: string;
  storage?: Storage;
  /** Page that starts the consent flow (the server's /auth-start); the consent card's button opens it. */
  consentUrl?: string;
  /** Production: Bot Framework authentication for a single-tenant app. Absent: local, unauthenticated. */
  botAuth?: BotAuth;
  /** Where replies may go: Teams' connector (the default with botAuth), or loopback locally. */
  serviceUrls?: ServiceUrlPolicy;
  /** Where users can be messaged later; with it, the bot keeps references and can send watch messages. */
  conversations?: ConversationReferences;
  /** "Tell me when X is free" (bound after the bot exists: the watcher sends through the bot). */
  watcher?: () => Watcher | undefined;
  /** Delays between connector retries for proactive messages (tests shorten them). */
  proactiveBackoffMs?: number[];
}

export interface Bot {
  router: Router;
  /** Sends a watch's message to its user (gone: no chat with them any more). */
  notify(event: WatchEvent): Promise<Delivery>;
}

export function createBot(options: BotOptions): Bot {
  const storage = options.storage ?? new MemoryStorage();
  const adapter = createAdapter(options.botAuth);
  const app = new Application<BotState>({ storage, adapter });
  const answer = questionAnswerer({
    ...options,
    get watcher() {
      return options.watcher?.();
    },
  });
  if (options.conversations) addConversationReferences(app, options.conversations);
  const answerPendingAfterTurn = pendingAnswerer({ adapter, appId: options.botAuth?.appId ?? '', storage, answer });

  addMessages(app, answer);
  addWelcome(app, options.appIdUri);
  addSsoTokenExchange(app, {
    connectionName: SSO_CONNECTION,
    storage,
    validate: (token) => options.desk.validateSsoToken(token),
    onExchanged(context, state, token) {
      state.user.ssoToken = token;
      // Another exchange would hand over this same token again: if it is not enough, offer the page only.
      answerPendingAfterTurn(context, state, true);
    },
  });
  addVerifyState(app, (context, state) => {
    // After a step-up in the sign-in window the stored SSO token is the one that fell short: Teams'
    // next exchange hands over a token with the step-up (the dev identity asks for one itself).
    if (state.conversation.stepUp) {
      delete state.conversation.stepUp;
      delete state.user.ssoToken;
      options.identity.verified?.(context);
    }
    answerPendingAfterTurn(context, state, false);
  });

  app.error(async (context, error) => {
    console.error(`[bot] turn failed: ${error.stack ?? error.message}`);
    if (context.activity.type === ActivityTypes.Message) await context.sendActivity('Something went wrong on my side. Please try again.');
  });

  const serviceUrls = options.serviceUrls ?? (options.botAuth ? { kind: 'teams' } : { kind: 'loopback' });
  const conversations = options.conversations;
  const notify = conversations
    ? proactiveSender({
        adapter,
        appId: options.botAuth?.appId ?? '',
        appIdUri: options.appIdUri,
        conversations,
        backoffMs: options.proactiveBackoffMs,
      })
    : async (): Promise<Delivery> => 'gone';
  return { router: botRouter(adapter, app, { serviceUrls, authenticated: !!options.botAuth }), notify };
}
