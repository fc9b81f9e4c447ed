/** Typed errors from shared/ → the HTTP status and the JSON body (shared/api.ts) the tab understands. */
import { randomUUID } from 'node:crypto';
import type { Response } from 'express';
import {
  ClaimsChallengeError,
  ConsentRequiredError,
  DelegateDeskError,
  GraphThrottledError,
  SsoTokenError,
  type ApiError,
  type ApiErrorCode,
  type ErrorCode,
} from '../../shared';
import { StoreUnavailableError } from '../../shared/store/store';

/** The HTTP status for each code. Exhaustive: a new code does not compile until it has one. */
export const STATUS: Record<ErrorCode, number> = {
  invalidToken: 401,
  consentRequired: 403,
  claimsChallenge: 401,
  invalidAssertion: 401,
  authConfiguration: 500,
  authUnavailable: 503,
  notFound: 404,
  forbidden: 403,
  delegationDisabled: 403,
  throttled: 429,
  unavailable: 503,
  graphUnauthorized: 401,
  graphError: 502,
};

/** Words for a person, for every code the API sends. */
export const MESSAGES: Record<ApiErrorCode, string> = {
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
  badRequest: 'The request could not be read.',
  noPhoto: 'This person has no photo.',
  internal: 'Something went wrong on our side.',
  botNotInstalled: 'Add the Delegate Desk bot in Teams first: it sends the message when the person is free.',
  watchLimit: 'You are already waiting for as many people as Delegate Desk allows. Stop one of those first.',
  watchYourself: 'That is you: there is nobody to wait for.',
};

/** Errors an administrator must hear about (a person cannot fix them): logged with their reference. */
const LOGGED = (code: ErrorCode) => STATUS[code] >= 500 || code === 'forbidden';

/** What an administrator needs to act: the typed error's own message (never a token), and its cause's code. */
function logFor(requestId: string, code: string, e: unknown): void {
  const cause = (e as { cause?: { errorCode?: string; code?: string } })?.cause;
  const causeCode = cause?.errorCode ?? cause?.code;
  console.warn(`[server] request ${requestId}: ${code}: ${(e as Error)?.message ?? e}${causeCode ? ` (cause: ${causeCode})` : ''}`);
}

/** An answer of the HTTP layer's own (a malformed request, a missing photo). */
export function sendProblem(res: Response, status: number, code: ApiErrorCode, message = MESSAGES[code]): void {
  const body: ApiError = { error: { code, message } };
  res.status(status).json(body);
}

/**
 * Answers with the error's status and body. Every error carries a request id (also the `request-id`
 * header) that the tab shows as a reference; errors a person cannot fix themselves are logged with it.
 */
export function sendError(res: Response, e: unknown): void {
  const requestId = randomUUID();
  res.set('request-id', requestId);
  // The shared store (Redis) is down: retry shortly (the health check drains this instance meanwhile).
  if (e instanceof StoreUnavailableError) {
    logFor(requestId, 'storeUnavailable', e);
    res.set('Retry-After', '5');
    res.status(503).json({ error: { code: 'unavailable', message: MESSAGES.unavailable, requestId } } satisfies ApiError);
    return;
  }
  if (!(e instanceof DelegateDeskError)) {
    console.error(`[server] request ${requestId}: unexpected error: ${(e as Error)?.stack ?? e}`);
    res.status(500).json({ error: { code: 'internal', message: MESSAGES.internal, requestId } } satisfies ApiError);
    return;
  }
  const body: ApiError = { error: { code: e.code, message: MESSAGES[e.code], requestId } };
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
  if (LOGGED(e.code)) logFor(requestId, e.code, e);
  res.status(STATUS[e.code]).json(body);
}
