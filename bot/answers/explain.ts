/** Every failure as a reply a person understands: one entry per ErrorCode (a new code does not compile until it is worded). */
import { ClaimsChallengeError, DelegateDeskError, type ErrorCode } from '../../shared';
import type { BotReply } from './reply';

const say = (text: string): BotReply => ({ kind: 'message', text });
/** Errors an administrator must fix: their message (an AADSTS code or a missing permission, never a token) is logged. */
const forAdmin =
  (text: string) =>
  (e: DelegateDeskError): BotReply => {
    console.warn(`[bot] ${e.message}`);
    return say(text);
  };
const expired = (): BotReply => ({ kind: 'signIn', reason: 'expired', text: 'Your sign-in has expired. Please sign in again.' });
const tryAgain = (e: DelegateDeskError) => say(`Something went wrong (${e.code}). Please try again.`);

export const REPLIES: Record<ErrorCode, (e: DelegateDeskError) => BotReply> = {
  consentRequired: () => ({ kind: 'signIn', reason: 'consent', text: 'I need your permission to read your delegates and their presence.' }),
  claimsChallenge: (e) => ({
    kind: 'signIn',
    reason: 'claims',
    text: 'Your organisation asks you to sign in again.',
    claims: (e as ClaimsChallengeError).claims,
  }),
  invalidAssertion: expired,
  invalidToken: expired,
  delegationDisabled: () =>
    say(
      'Call delegation is turned off for you. Your Teams administrator must allow delegation in your calling policy (Set-CsTeamsCallingPolicy -AllowDelegation $true).',
    ),
  throttled: () => say('Teams is busy right now and asked me to slow down. Please try again in a moment.'),
  unavailable: () => say('Teams services are not answering right now. Please try again in a moment.'),
  authConfiguration: forAdmin(
    'Delegate Desk is not set up correctly in your organisation. Please ask your administrator to check its app registration.',
  ),
  forbidden: forAdmin('Delegate Desk is missing a permission to read this. Please ask your administrator to grant it.'),
  authUnavailable: () => say('Sign-in is unavailable right now. Please try again in a moment.'),
  notFound: () => say("I couldn't find that person or item."),
  graphUnauthorized: tryAgain,
  graphError: tryAgain,
};

export function explain(e: unknown): BotReply {
  if (e instanceof DelegateDeskError) return REPLIES[e.code](e);
  console.error(`[bot] unexpected error: ${(e as Error)?.stack ?? e}`);
  return say('Something went wrong on my side. Please try again.');
}
