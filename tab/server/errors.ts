/** Typed errors from shared/ → HTTP status and the JSON body the tab understands. */
import { randomUUID } from 'node:crypto';
import type { Response } from 'express';
import { ClaimsChallengeError, ConsentRequiredError, DelegateDeskError, GraphThrottledError, SsoTokenError, ConfigurationError } from '../../shared';

export interface ApiError {
  error: { code: string; message: string; requestId: string; reason?: string; scopes?: string[]; claims?: string; retryAfterSeconds?: number };
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

/** What an administrator needs to act: the typed error's own message (never a token), and its cause's code. */
function logFor(requestId: string, code: string, e: unknown): void {
  const cause = (e as { cause?: { errorCode?: string; code?: string } })?.cause;
  const causeCode = cause?.errorCode ?? cause?.code;
  console.warn(`[server] request ${requestId}: ${code}: ${(e as Error)?.message ?? e}${causeCode ? ` (cause: ${causeCode})` : ''}`);
}

/**
 * Answers with the error's status and body. Every error carries a request id (also the `request-id`
 * header) that the tab shows as a reference; errors a person cannot fix themselves are logged with it.
 */
export function sendError(res: Response, e: unknown): void {
  const requestId = randomUUID();
  res.set('request-id', requestId);
  if (e instanceof DelegateDeskError) {
    const body: ApiError = { error: { code: e.code, message: MESSAGES[e.code] ?? e.message, requestId } };
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
    if (e.httpStatus >= 500 || e.code === 'forbidden') logFor(requestId, e.code, e);
    res.status(e.httpStatus).json(body);
    return;
  }
  if (e instanceof ConfigurationError) {
    logFor(requestId, 'configuration', e);
    res.status(500).json({ error: { code: 'configuration', message: MESSAGES.authConfiguration, requestId } });
    return;
  }
  console.error(`[server] request ${requestId}: unexpected error: ${(e as Error)?.stack ?? e}`);
  res.status(500).json({ error: { code: 'internal', message: 'Something went wrong on our side.', requestId } });
}
