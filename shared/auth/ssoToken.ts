/**
 * Validation of the Teams SSO token (tab: Authorization header; bot: token exchange) with jose:
 * RS256 against the tenant's published keys, v1 and v2 issuers, our audience, lifetime, scope,
 * and a tenant allow-list. Each failure is an SsoTokenError with its own reason.
 */
import { hash } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import type { DelegateDeskConfig } from '../config';
import { AuthServiceError, SsoTokenError } from '../errors';
import { isGuid } from '../domain/guid';
import { TtlCache } from '../cache';
import { tenantKeySets, v1Issuer, v2Issuer, type TenantKeys } from './entraKeys';

export const REQUIRED_SCOPE = 'access_as_user';
const CLOCK_SKEW_SECONDS = 60;

/** Who the validated token says the caller is. The raw token is kept for on-behalf-of only. */
export interface SsoUser {
  oid: string;
  tid: string;
  name: string;
  upn: string;
  expiresAt: number;
  /** The SSO token itself; never log it. */
  readonly token: string;
  /** The token's SHA-256 (base64url): the key every per-token cache uses, computed once here. */
  readonly tokenKey: string;
}

// One-shot hash: every request pays it, and it builds no Hash object.
export const tokenKeyOf = (token: string) => hash('sha256', token, 'base64url');

export type SsoTokenValidator = (token: string | undefined) => Promise<SsoUser>;

export { v1Issuer, v2Issuer };

export function createSsoTokenValidator(
  config: Pick<DelegateDeskConfig, 'authorityHost' | 'clientId' | 'appIdUri' | 'allowedTenantIds' | 'allowedClientIds'>,
  keysFor: TenantKeys = tenantKeySets(config.authorityHost),
): SsoTokenValidator {
  const clients = new Set(config.allowedClientIds.map((c) => c.toLowerCase()));

  // A token that passed is the same token until it expires: its signature is checked once, then it is a
  // map lookup by its hash (bounded; the hash, not the token, is the key). Failures are not kept.
  const valid = new TtlCache<SsoUser>(0, 10_000);

  return async (raw) => {
    const token = raw?.replace(/^Bearer\s+/i, '').trim();
    if (!token) throw new SsoTokenError('missing', 'No SSO token was sent.');
    const key = tokenKeyOf(token);
    const known = valid.get(key);
    if (known) return known;
    const user = await check(token, key);
    // Kept until the token's expiry (within the clock skew it was accepted with, it is still good).
    const ttl = user.expiresAt - Date.now();
    if (ttl > 0) valid.set(key, user, ttl);
    return user;
  };

  async function check(token: string, tokenKey: string): Promise<SsoUser> {
    let header: ReturnType<typeof decodeProtectedHeader>;
    let unverified: JWTPayload;
    try {
      header = decodeProtectedHeader(token);
      unverified = decodeJwt(token);
    } catch (e) {
      throw new SsoTokenError('malformed', 'The SSO token is not a well-formed JWT.', { cause: e });
    }
    if (header.alg !== 'RS256')
      throw new SsoTokenError('unsupportedAlgorithm', `The SSO token is signed with '${String(header.alg)}'; only RS256 is accepted.`);
    const tid = typeof unverified.tid === 'string' ? unverified.tid.toLowerCase() : '';
    if (!config.allowedTenantIds.includes(tid))
      throw new SsoTokenError('tenantNotAllowed', `Tenant '${tid || 'unknown'}' is not allowed to use this app.`);

    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keysFor(tid), {
        algorithms: ['RS256'],
        issuer: [v1Issuer(tid), v2Issuer(tid)],
        audience: [config.clientId, config.appIdUri],
        clockTolerance: CLOCK_SKEW_SECONDS,
        requiredClaims: ['exp', 'oid', 'tid'],
      }));
    } catch (e) {
      // Keys that cannot be fetched are our outage, not a bad token.
      if (!(e instanceof joseErrors.JOSEError) || e instanceof joseErrors.JWKSTimeout) {
        throw new AuthServiceError('The signing keys of Entra ID could not be fetched.', { cause: e });
      }
      throw classify(e);
    }
    const scopes = typeof payload.scp === 'string' ? payload.scp.split(' ') : [];
    if (!scopes.includes(REQUIRED_SCOPE)) throw new SsoTokenError('missingScope', `The SSO token lacks the '${REQUIRED_SCOPE}' scope.`);
    // Who the token is for must be a real directory object, not "null" or "[object Object]" later on.
    if (!isGuid(payload.oid) || !isGuid(payload.tid))
      throw new SsoTokenError('badIdentity', 'The SSO token does not name a user and tenant by their ids.');
    // Only the Teams and Microsoft 365 clients ask for SSO tokens for this app: a token another app
    // obtained for our API (with a user's consent) is not the Teams client speaking for them.
    const client = payload.azp ?? payload.appid;
    if (typeof client !== 'string' || !clients.has(client.toLowerCase()))
      throw new SsoTokenError('clientNotAllowed', 'The SSO token was requested by a client app that is not Teams or Microsoft 365.');
    return {
      oid: payload.oid.toLowerCase(),
      tid,
      name: typeof payload.name === 'string' ? payload.name : '',
      upn: String(payload.preferred_username ?? payload.upn ?? payload.unique_name ?? ''),
      expiresAt: (payload.exp ?? 0) * 1000,
      token,
      tokenKey,
    };
  }
}

function classify(e: unknown): SsoTokenError {
  if (e instanceof joseErrors.JWTExpired) return new SsoTokenError('expired', 'The SSO token has expired.', { cause: e });
  if (e instanceof joseErrors.JWTClaimValidationFailed) {
    if (e.claim === 'nbf' || e.claim === 'iat') return new SsoTokenError('notYetValid', 'The SSO token is not valid yet.', { cause: e });
    if (e.claim === 'aud') return new SsoTokenError('wrongAudience', 'The SSO token was issued for another application.', { cause: e });
    if (e.claim === 'iss') return new SsoTokenError('wrongIssuer', 'The SSO token was issued by an unexpected issuer.', { cause: e });
    return new SsoTokenError('malformed', `The SSO token is missing the '${e.claim}' claim.`, { cause: e });
  }
  if (
    e instanceof joseErrors.JWSSignatureVerificationFailed ||
    e instanceof joseErrors.JWKSNoMatchingKey ||
    e instanceof joseErrors.JWKSMultipleMatchingKeys
  ) {
    return new SsoTokenError('badSignature', 'The SSO token signature is not valid.', { cause: e });
  }
  if (e instanceof joseErrors.JOSEAlgNotAllowed)
    return new SsoTokenError('unsupportedAlgorithm', 'The SSO token uses an algorithm that is not accepted.', { cause: e });
  if (e instanceof joseErrors.JWTInvalid || e instanceof joseErrors.JWSInvalid)
    return new SsoTokenError('malformed', 'The SSO token is not a well-formed JWT.', { cause: e });
  return new SsoTokenError('badSignature', 'The SSO token could not be verified.', { cause: e });
}
