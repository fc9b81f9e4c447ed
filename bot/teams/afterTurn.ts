/**
 * Work a turn leaves for after its answer: Teams waits on an invoke's answer, which is only sent when the
 * turn ends, so slow work (OBO, Graph) runs after it, once the turn's state is saved. The router runs it.
 */
import type { TurnContext } from 'botbuilder';

const AFTER_TURN = Symbol('delegatedesk.afterTurn');

type Work = () => Promise<void>;

export function afterTurn(context: TurnContext, work: Work): void {
  context.turnState.set(AFTER_TURN, work);
}

/** Read while the turn lives: botbuilder revokes the context when the turn ends. */
export function workAfterTurn(context: TurnContext): Work | undefined {
  return context.turnState.get(AFTER_TURN) as Work | undefined;
}
