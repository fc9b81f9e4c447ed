/** The greeting with the help card when someone (not the bot itself) joins the conversation. */
import type { Application, TurnState } from '@microsoft/teams-ai';
import { ActivityTypes } from 'botbuilder';
import { helpCard } from '../answers/cards';
import { sendReply } from './sendReply';

const INTRO = 'Hello! I can tell you who covers your calls and who is free to take one.';

export function addWelcome<TState extends TurnState>(app: Application<TState>, appIdUri: string): void {
  app.activity(ActivityTypes.ConversationUpdate, async (context) => {
    for (const m of context.activity.membersAdded ?? []) {
      if (m.id !== context.activity.recipient?.id) await sendReply(context, { kind: 'message', text: INTRO, card: helpCard() }, { appIdUri });
    }
  });
}
