/** After sign-in (a token exchange or verifyState): the question that was waiting, answered in a turn of its own. */
import { TurnState, type TeamsAdapter } from '@microsoft/teams-ai';
import { TurnContext, type Storage } from 'botbuilder';
import { afterTurn } from './afterTurn';
import type { AnswerQuestion } from './answerQuestion';
import type { BotState } from './state';

export interface PendingOptions {
  adapter: TeamsAdapter;
  /** The bot's app id for continueConversation ('' locally). */
  appId: string;
  storage: Storage;
  answer: AnswerQuestion;
}

/**
 * Takes the pending question off this turn's state and answers it after the turn, with its own state,
 * loaded once this turn's state is saved.
 */
export function pendingAnswerer(o: PendingOptions) {
  return function answerPendingAfterTurn(context: TurnContext, state: BotState, interactiveOnly: boolean): void {
    const question = state.conversation.pending;
    delete state.conversation.pending;
    if (!question) return;
    const reference = TurnContext.getConversationReference(context.activity);
    afterTurn(context, () =>
      o.adapter.continueConversationAsync(o.appId, reference, async (later: TurnContext) => {
        const laterState = new TurnState() as BotState;
        await laterState.load(later, o.storage);
        await o.answer(later, laterState, question, interactiveOnly);
        await laterState.save(later, o.storage);
      }),
    );
  };
}
