/** What the bot keeps between turns: the question waiting on sign-in (per conversation) and the user's SSO token. */
import type { TurnState } from '@microsoft/teams-ai';

export interface PendingQuestion {
  text: string;
  value?: Record<string, unknown>;
}

export type BotState = TurnState<{ pending?: PendingQuestion }, { ssoToken?: string }>;
