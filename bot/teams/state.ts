/** What the bot keeps between turns: the question waiting on sign-in (per conversation) and the user's SSO token. */
import type { TurnState } from '@microsoft/teams-ai';

export interface PendingQuestion {
  text: string;
  value?: Record<string, unknown>;
}

/** stepUp: the pending question met a claims challenge (MFA): after the sign-in window the stored token is too weak. */
export type BotState = TurnState<{ pending?: PendingQuestion; stepUp?: boolean }, { ssoToken?: string }>;
