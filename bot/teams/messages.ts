/** Chat messages, and Action.Submit choices (which arrive as messages with a value), as questions to answer. */
import type { Application } from '@microsoft/teams-ai';
import { ActivityTypes } from 'botbuilder';
import type { AnswerQuestion } from './answerQuestion';
import type { BotState } from './state';

export function addMessages(app: Application<BotState>, answer: AnswerQuestion): void {
  app.activity(ActivityTypes.Message, async (context, state) => {
    const value =
      context.activity.value && typeof context.activity.value === 'object'
        ? (context.activity.value as Record<string, unknown>)
        : undefined;
    await answer(context, state, { text: String(context.activity.text ?? ''), value });
  });
}
