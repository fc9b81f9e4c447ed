/**
 * The greeting with the help card, once: when the bot itself is added (installed in a chat or team),
 * or in a personal chat when the sender joins. A conversationUpdate listing thousands of members
 * (a big team) still gets one greeting, not one per member.
 */
import type { Application, TurnState } from '@microsoft/teams-ai';
import { ActivityTypes, type Activity } from 'botbuilder';
import { helpCard } from '../answers/cards';
import { sendReply } from './sendReply';

const INTRO = 'Hello! I can tell you who covers your calls and who is free to take one.';

export function shouldWelcome(activity: Pick<Activity, 'membersAdded' | 'recipient' | 'from' | 'conversation'>): boolean {
  const added = activity.membersAdded ?? [];
  if (added.some((m) => m.id === activity.recipient?.id)) return true;
  return activity.conversation?.conversationType === 'personal' && added.some((m) => m.id === activity.from?.id);
}

export function addWelcome<TState extends TurnState>(app: Application<TState>, appIdUri: string): void {
  app.activity(ActivityTypes.ConversationUpdate, async (context) => {
    if (shouldWelcome(context.activity)) await sendReply(context, { kind: 'message', text: INTRO, card: helpCard() }, { appIdUri });
  });
}
