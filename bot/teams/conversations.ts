/**
 * Every turn in a personal chat keeps where the user can be messaged later (install included: the
 * conversationUpdate is a turn too), by the user's Entra object id.
 */
import type { Application, TurnState } from '@microsoft/teams-ai';
import { TurnContext } from 'botbuilder';
import type { ConversationReferences } from '../../shared/watch/conversations';
import { isGuid } from '../../shared/domain/guid';

export function addConversationReferences<TState extends TurnState>(app: Application<TState>, refs: ConversationReferences): void {
  app.turn('beforeTurn', async (context) => {
    const a = context.activity;
    const oid = a.from?.aadObjectId?.toLowerCase();
    if (a.conversation?.conversationType === 'personal' && oid && isGuid(oid)) {
      await refs
        .save(oid, TurnContext.getConversationReference(a))
        .catch((e: unknown) => console.warn(`[bot] the conversation reference was not saved: ${(e as Error)?.message ?? e}`));
    }
    return true;
  });
}
