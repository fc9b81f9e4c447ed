/**
 * Every failure the module reports, typed so each front end can answer a person (tab: status + JSON,
 * bot: a card) instead of guessing from messages. `code` is stable and safe to show or log. How a
 * code is answered (an HTTP status, words) is each front end's business: see their exhaustive maps.
 */

/** Every code a DelegateDeskError carries. A new one fails to compile until every front end words it. */
export const ERROR_CODES = [
  'invalidToken',
  'consentRequired',
  'claimsChallenge',
  'invalidAssertion',
  'authConfiguration',
  'authUnavailable',
  'notFound',
  'forbidden',
  'delegationDisabled',
  'throttled',
  'unavailable',
  'graphUnauthorized',
  'graphError',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export abstract class DelegateDeskError extends Error {
  abstract readonly code: ErrorCode;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

// ---- incoming SSO token ----

export type SsoTokenProblem =
  | 'missing'
  | 'malformed'
  | 'unsupportedAlgorithm'
  | 'badSignature'
  | 'expired'
  | 'notYetValid'
  | 'wrongAudience'
  | 'wrongIssuer'
  | 'tenantNotAllowed'
  | 'missingScope'
  | 'clientNotAllowed'
  | 'badIdentity';

export class SsoTokenError extends DelegateDeskError {
  readonly code = 'invalidToken';
  constructor(
    readonly reason: SsoTokenProblem,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

// ---- on-behalf-of and app tokens ----

/** The user (or an admin) must consent; the front end runs a consent flow. */
export class ConsentRequiredError extends DelegateDeskError {
  readonly code = 'consentRequired';
  constructor(
    readonly scopes: string[],
    options?: { cause?: unknown },
  ) {
    super('The user has not consented to the permissions Delegate Desk needs.', options);
  }
}

/** Conditional access (e.g. MFA) requires a new SSO token obtained with these claims. */
export class ClaimsChallengeError extends DelegateDeskError {
  readonly code = 'claimsChallenge';
  constructor(
    readonly claims: string,
    options?: { cause?: unknown },
  ) {
    super('Additional sign-in is required (for example multi-factor authentication).', options);
  }
}

/** The SSO token was refused for on-behalf-of: expired or invalid. Get a fresh one and retry. */
export class InvalidAssertionError extends DelegateDeskError {
  readonly code = 'invalidAssertion';
  constructor(
    readonly kind: 'expired' | 'invalid',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The app itself is misconfigured (secret, app id, scopes): an admin must act, not the user. */
export class AuthConfigurationError extends DelegateDeskError {
  readonly code = 'authConfiguration';
  constructor(
    readonly aadCode: string | undefined,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class AuthServiceError extends DelegateDeskError {
  readonly code = 'authUnavailable';
}

// ---- Graph ----

export class GraphNotFoundError extends DelegateDeskError {
  readonly code = 'notFound';
}

export class GraphForbiddenError extends DelegateDeskError {
  readonly code = 'forbidden';
  constructor(
    message: string,
    readonly missingPermissions: string[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The user's Teams calling policy does not allow delegation (Set-CsTeamsCallingPolicy -AllowDelegation). */
export class DelegationDisabledError extends DelegateDeskError {
  readonly code = 'delegationDisabled';
}

export class GraphThrottledError extends DelegateDeskError {
  readonly code = 'throttled';
  constructor(
    message: string,
    readonly retryAfterSeconds: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class GraphUnavailableError extends DelegateDeskError {
  readonly code = 'unavailable';
}

export class GraphUnauthorizedError extends DelegateDeskError {
  readonly code = 'graphUnauthorized';
}

export class GraphRequestError extends DelegateDeskError {
  readonly code = 'graphError';
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly graphCode: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
