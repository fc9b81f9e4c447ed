/** signin/verifyState: Teams sends it when the sign-in (consent) window reports success. */
import type { Application, TurnState } from '@microsoft/teams-ai';
import { ActivityTypes, type TurnContext } from 'botbuilder';

export function addVerifyState<TState extends TurnState>(
  app: Application<TState>,
  onVerified: (context: TurnContext, state: TState) => void,
): void {
  app.addRoute(
    async (context) => context.activity.type === ActivityTypes.Invoke && context.activity.name === 'signin/verifyState',
    async (context, state) => {
      await context.sendActivity({ type: 'invokeResponse', value: { status: 200 } });
      onVerified(context, state);
    },
    true,
  );
}
