/**
 * Every failure the module reports, typed so each front end can answer a person (tab: status + JSON,
 * bot: a card) instead of guessing from messages. `code` is stable and safe to show or log.
 */
export abstract class DelegateDeskError extends Error {
  abstract readonly code: string;
  /** The HTTP status a server should answer with. */
  abstract readonly httpStatus: number;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

// ---- incoming SSO token ----

export type SsoTokenProblem =
  | 'missing' | 'malformed' | 'unsupportedAlgorithm' | 'badSignature' | 'expired' | 'notYetValid'
  | 'wrongAudience' | 'wrongIssuer' | 'tenantNotAllowed' | 'missingScope';

export class SsoTokenError extends DelegateDeskError {
  readonly code = 'invalidToken';
  readonly httpStatus = 401;
  constructor(readonly reason: SsoTokenProblem, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

// ---- on-behalf-of and app tokens ----

/** The user (or an admin) must consent; the front end runs a consent flow. */
export class ConsentRequiredError extends DelegateDeskError {
  readonly code = 'consentRequired';
  readonly httpStatus = 403;
  constructor(readonly scopes: string[], options?: { cause?: unknown }) {
    super('The user has not consented to the permissions Delegate Desk needs.', options);
  }
}

/** Conditional access (e.g. MFA) requires a new SSO token obtained with these claims. */
export class ClaimsChallengeError extends DelegateDeskError {
  readonly code = 'claimsChallenge';
  readonly httpStatus = 401;
  constructor(readonly claims: string, options?: { cause?: unknown }) {
    super('Additional sign-in is required (for example multi-factor authentication).', options);
  }
}

/** The SSO token was refused for on-behalf-of: expired or invalid. Get a fresh one and retry. */
export class InvalidAssertionError extends DelegateDeskError {
  readonly code = 'invalidAssertion';
  readonly httpStatus = 401;
  constructor(readonly kind: 'expired' | 'invalid', message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The app itself is misconfigured (secret, app id, scopes): an admin must act, not the user. */
export class AuthConfigurationError extends DelegateDeskError {
  readonly code = 'authConfiguration';
  readonly httpStatus = 500;
  constructor(readonly aadCode: string | undefined, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export class AuthServiceError extends DelegateDeskError {
  readonly code = 'authUnavailable';
  readonly httpStatus = 503;
}

// ---- Graph ----

export class GraphNotFoundError extends DelegateDeskError {
  readonly code = 'notFound';
  readonly httpStatus = 404;
}

export class GraphForbiddenError extends DelegateDeskError {
  readonly code = 'forbidden';
  readonly httpStatus = 403;
  constructor(message: string, readonly missingPermissions: string[] = [], options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The user's Teams calling policy does not allow delegation (Set-CsTeamsCallingPolicy -AllowDelegation). */
export class DelegationDisabledError extends DelegateDeskError {
  readonly code = 'delegationDisabled';
  readonly httpStatus = 403;
}

export class GraphThrottledError extends DelegateDeskError {
  readonly code = 'throttled';
  readonly httpStatus = 429;
  constructor(message: string, readonly retryAfterSeconds: number | undefined, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export class GraphUnavailableError extends DelegateDeskError {
  readonly code = 'unavailable';
  readonly httpStatus = 503;
}

export class GraphUnauthorizedError extends DelegateDeskError {
  readonly code = 'graphUnauthorized';
  readonly httpStatus = 401;
}

export class GraphRequestError extends DelegateDeskError {
  readonly code = 'graphError';
  readonly httpStatus = 502;
  constructor(message: string, readonly status: number | undefined, readonly graphCode: string | undefined, options?: { cause?: unknown }) {
    super(message, options);
  }
}
