/**
 * How the tab treats each error: its title, how loud it is, whether it passes by itself and what the
 * person can do. Exhaustive over the API's codes (shared/api.ts) and the tab's own: a new code does
 * not compile until it is worded here.
 */
import type { ApiError, ApiErrorCode } from '../../shared/api';

/** Failures the tab finds itself: the server could not be reached, or Teams could not give a token. */
export type TabOnlyErrorCode = 'network' | 'ssoConfiguration';
export type TabErrorCode = ApiErrorCode | TabOnlyErrorCode;
export type TabError = Omit<ApiError['error'], 'code'> & { code: TabErrorCode };

/** The button the error offers; none where trying again cannot help (an administrator must act). */
export type NextStep = 'tryAgain' | 'grantPermission' | 'signInAgain' | 'none';

interface ErrorUi {
  title: string;
  intent: 'warning' | 'error';
  /** Passes by itself: the last good data stays, and the load is retried with backoff. */
  transient: boolean;
  next: NextStep;
}

const failure = (title: string, next: NextStep = 'tryAgain'): ErrorUi => ({ title, intent: 'error', transient: false, next });
const passing = (title: string, intent: ErrorUi['intent'] = 'warning'): ErrorUi => ({ title, intent, transient: true, next: 'tryAgain' });
const GENERIC = 'Something went wrong';

export const ERROR_UI: Record<TabErrorCode, ErrorUi> = {
  invalidToken: failure(GENERIC, 'signInAgain'),
  consentRequired: failure('Permission needed', 'grantPermission'),
  claimsChallenge: failure('Sign-in required', 'signInAgain'),
  invalidAssertion: failure(GENERIC, 'signInAgain'),
  authConfiguration: failure('Delegate Desk is not set up correctly'),
  authUnavailable: passing(GENERIC, 'error'),
  notFound: failure(GENERIC),
  forbidden: failure('A permission is missing'),
  delegationDisabled: failure('Call delegation is turned off', 'none'),
  throttled: passing('Teams is busy'),
  unavailable: passing('Teams services are unavailable'),
  graphUnauthorized: failure(GENERIC),
  graphError: failure(GENERIC),
  badRequest: failure(GENERIC),
  noPhoto: failure(GENERIC),
  internal: failure(GENERIC),
  botNotInstalled: failure('Add the Delegate Desk bot first'),
  watchLimit: failure('Too many people to wait for'),
  watchYourself: failure(GENERIC),
  network: passing(GENERIC, 'error'),
  ssoConfiguration: failure('Single sign-on is not set up correctly'),
};

/** A code from the wire may be one this build does not know (a newer server): treat it as a plain failure. */
export const uiFor = (code: string): ErrorUi => ERROR_UI[code as TabErrorCode] ?? ERROR_UI.internal;
