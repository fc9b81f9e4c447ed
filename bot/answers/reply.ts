/** What the bot answers, before any framework turns it into activities. */
import type { Card } from './cards';

export type BotReply =
  | { kind: 'message'; text: string; card?: Card }
  /** claims: the conditional-access challenge to satisfy in an interactive sign-in. */
  | { kind: 'signIn'; reason: 'consent' | 'claims' | 'expired'; text: string; claims?: string };

export const msg = (text: string, card?: Card): BotReply => ({ kind: 'message', text, ...(card ? { card } : {}) });
