/**
 * Messages the bot sends on its own ("Megan is available now"), through the Bot Connector with the
 * conversation reference saved from the user's chat. The connector's 403 (the bot was removed from the
 * chat, or messages to it are blocked: BotNotInConversationRoster, MessageWritesBlocked) and 404 (the
 * conversation is gone) mean the user cannot be reached there any more; 429 and 5xx are retried with
 * backoff (Retry-After when given), as the connector's guidance asks.
 * https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages
 */
import type { TeamsAdapter } from '@microsoft/teams-ai';
import type { ConversationReference } from 'botbuilder';
import type { ConversationReferences } from '../../shared/watch/conversations';
import type { Delivery, WatchEvent } from '../../shared/watch/watcher';
import { watchMessage } from '../answers/intents/notify';
import { sendReply } from './sendReply';

export interface ProactiveOptions {
  adapter: TeamsAdapter;
  /** The bot's app id ('' locally, where the connector is unauthenticated). */
  appId: string;
  appIdUri: string;
  conversations: ConversationReferences;
  /** Delays between tries after a 429 or 5xx (the last is the longest wait). */
  backoffMs?: number[];
}

const statusOf = (e: unknown): number | undefined => {
  const x = e as { statusCode?: number; status?: number; response?: { status?: number } };
  return x?.statusCode ?? x?.response?.status ?? x?.status;
};

const retryAfterMs = (e: unknown): number | undefined => {
  const headers = (e as { response?: { headers?: { get?: (n: string) => string | undefined } } })?.response?.headers;
  const s = Number(headers?.get?.('retry-after'));
  return Number.isFinite(s) && s > 0 ? Math.min(s, 60) * 1000 : undefined;
};

export function proactiveSender(o: ProactiveOptions): (event: WatchEvent) => Promise<Delivery> {
  const backoff = o.backoffMs ?? [1_000, 4_000, 15_000];
  return async (event) => {
    const reference = (await o.conversations.get(event.watch.oid)) as Partial<ConversationReference> | undefined;
    if (!reference) return 'gone';
    for (let attempt = 0; ; attempt++) {
      try {
        // Caught inside: the adapter hands a turn's error to its onTurnError (teams-ai's app.error) and returns.
        let failure: unknown;
        await o.adapter.continueConversationAsync(o.appId, reference, async (context) => {
          try {
            await sendReply(context, watchMessage(event), { appIdUri: o.appIdUri });
          } catch (e) {
            failure = e ?? new Error('send failed');
          }
        });
        if (failure !== undefined) throw failure;
        return 'sent';
      } catch (e) {
        const status = statusOf(e);
        if (status === 403 || status === 404) return 'gone';
        const transient = status === undefined || status === 429 || status >= 500;
        if (!transient || attempt >= backoff.length) {
          console.warn(`[bot] a proactive message could not be sent (status ${status ?? 'none'})`);
          return 'failed';
        }
        await new Promise((r) => setTimeout(r, retryAfterMs(e) ?? backoff[attempt]));
      }
    }
  };
}
