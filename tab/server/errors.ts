/** Typed errors from shared/ → HTTP status and the JSON body the tab understands. */
import type { Response } from 'express';
import { ClaimsChallengeError, ConsentRequiredError, DelegateDeskError, GraphThrottledError, SsoTokenError, ConfigurationError } from '../../shared';

export interface ApiError {
  error: { code: string; message: string; reason?: string; scopes?: string[]; claims?: string; retryAfterSeconds?: number };
}

const MESSAGES: Record<string, string> = {
  invalidToken: 'Your Teams sign-in could not be verified.',
  consentRequired: 'Delegate Desk needs your permission to read your call delegation settings and presence.',
  claimsChallenge: 'Your organisation requires you to sign in again (for example with multi-factor authentication).',
  invalidAssertion: 'Your Teams sign-in has expired. Reload to sign in again.',
  authConfiguration: 'Delegate Desk is not set up correctly in your organisation. Ask your administrator to check the app registration.',
  authUnavailable: 'Sign-in is unavailable right now. Try again in a moment.',
  delegationDisabled: 'Call delegation is turned off for you. Your Teams administrator must allow delegation in your calling policy.',
  throttled: 'Microsoft Teams is busy right now. Retrying shortly.',
  unavailable: 'Microsoft Teams services are unavailable right now. Retrying shortly.',
  forbidden: 'Delegate Desk is missing a permission to read this information. Ask your administrator to grant it.',
  notFound: 'That person or item was not found.',
  graphUnauthorized: 'Your sign-in was refused. Reload to sign in again.',
  graphError: 'Something went wrong while reading your information.',
};

export function sendError(res: Response, e: unknown): void {
  if (e instanceof DelegateDeskError) {
    const body: ApiError = { error: { code: e.code, message: MESSAGES[e.code] ?? e.message } };
    if (e instanceof SsoTokenError) {
      body.error.reason = e.reason;
      res.set('WWW-Authenticate', `Bearer error="invalid_token", error_description="${e.reason}"`);
    }
    if (e instanceof ConsentRequiredError) body.error.scopes = e.scopes;
    if (e instanceof ClaimsChallengeError) {
      body.error.claims = e.claims;
      res.set('WWW-Authenticate', `Bearer error="insufficient_claims", claims="${Buffer.from(e.claims).toString('base64')}"`);
    }
    if (e instanceof GraphThrottledError && e.retryAfterSeconds !== undefined) {
      body.error.retryAfterSeconds = e.retryAfterSeconds;
      res.set('Retry-After', String(Math.ceil(e.retryAfterSeconds)));
    }
    res.status(e.httpStatus).json(body);
    return;
  }
  if (e instanceof ConfigurationError) {
    res.status(500).json({ error: { code: 'configuration', message: MESSAGES.authConfiguration } });
    return;
  }
  console.error(`[server] unexpected error: ${(e as Error)?.stack ?? e}`);
  res.status(500).json({ error: { code: 'internal', message: 'Something went wrong on our side.' } });
}
