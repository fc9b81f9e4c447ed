/** A question (a message, or a choice from an ambiguity card) answered for whoever sent it, or kept until they sign in. */
import { TurnContext } from 'botbuilder';
import type { DelegateDesk } from '../../shared';
import { respond } from '../answers/respond';
import { submitted } from '../answers/submitted';
import { parseCommand, type Command } from '../understanding/parseCommand';
import type { ConversationReferences } from '../../shared/watch/conversations';
import type { Watcher } from '../../shared/watch/watcher';
import type { WatchZone } from '../../shared/watch/watch';
import type { IdentityResolver } from './identity';
import { sendReply } from './sendReply';
import type { BotState, PendingQuestion } from './state';

/** interactiveOnly: during a token exchange, offer only the sign-in page (see SendOptions). */
export type AnswerQuestion = (context: TurnContext, state: BotState, question: PendingQuestion, interactiveOnly?: boolean) => Promise<void>;

export interface AnswerOptions {
  desk: DelegateDesk;
  identity: IdentityResolver;
  appIdUri: string;
  consentUrl?: string;
  watcher?: Watcher;
  conversations?: ConversationReferences;
}

/** Teams sends the user's IANA time zone and a local timestamp with each message. */
function zoneOf(context: TurnContext): WatchZone | undefined {
  const a = context.activity as { localTimezone?: unknown; localTimestamp?: unknown };
  const timeZone = typeof a.localTimezone === 'string' && a.localTimezone.length < 64 ? a.localTimezone : undefined;
  const offset = typeof a.localTimestamp === 'string' ? /([+-])(\d{2}):(\d{2})$/.exec(a.localTimestamp) : null;
  const offsetMinutes = offset ? (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) : undefined;
  return timeZone || offsetMinutes !== undefined
    ? { ...(timeZone ? { timeZone } : {}), ...(offsetMinutes !== undefined ? { offsetMinutes } : {}) }
    : undefined;
}

/** A card's button value (checked in answers/submitted: values may be forged), or else the message's text. */
function commandFrom(text: string, value: Record<string, unknown> | undefined): { command: Command; personId?: string } {
  return submitted(value) ?? { command: parseCommand(text) };
}

export function questionAnswerer(options: AnswerOptions): AnswerQuestion {
  return async (context, state, question, interactiveOnly = false) => {
    const sendOptions = { appIdUri: options.appIdUri, consentUrl: options.consentUrl, interactiveOnly };
    const user = await options.identity.resolve(context, state.user.ssoToken);
    if (!user) {
      state.conversation.pending = question;
      await sendReply(
        context,
        { kind: 'signIn', reason: 'expired', text: 'Sign in so I can look at your delegates and their presence.' },
        sendOptions,
      );
      return;
    }
    // Every personal turn keeps the reference under the activity's user id (conversations.ts); the signed-in
    // user's differs only where the dev identity maps a chat user (local development): keep it under that too.
    const fromId = context.activity.from?.aadObjectId?.toLowerCase();
    if (options.conversations && context.activity.conversation?.conversationType === 'personal' && fromId !== user.oid)
      await options.conversations.save(user.oid, TurnContext.getConversationReference(context.activity));
    const { command, personId } = commandFrom(question.text, question.value);
    const reply = await respond(command, user, options.desk, { personId, watcher: options.watcher, zone: zoneOf(context) });
    if (reply.kind === 'signIn') state.conversation.pending = question;
    if (reply.kind === 'signIn' && reply.reason === 'claims') {
      state.conversation.stepUp = true;
      if (reply.claims) options.identity.stepUp?.(context, reply.claims);
    }
    await sendReply(context, reply, { ...sendOptions, loginHint: user.upn });
  };
}
