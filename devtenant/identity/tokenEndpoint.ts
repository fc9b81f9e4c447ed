/** POST /{tenant}/oauth2/v2.0/token: password, on-behalf-of, client credentials, authorization code, refresh token. */
import { randomBytes, createHash, timingSafeEqual } from 'node:crypto';
import { decodeJwt, type JWTPayload } from 'jose';
import type { DevTenantContext } from '../context';
import type { TenantUser } from '../tenant/tenant';
import { entraError, EntraError } from './entraErrors';
import { TEAMS_CLIENT_IDS, GRAPH_APP_ID } from './constants';
import { resolveScopes, type ResolvedScopes } from './scopes';
import { mintAppToken, mintGraphToken, mintIdToken, clientInfo, appIdUri, v1Issuer, v2Issuer } from './tokens';

export interface AuthorizationCode {
  userId: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  nonce?: string;
  expiresAt: number;
}

interface RefreshGrant {
  userId: string;
  clientId: string;
  scope: string;
  amr: string[];
}

/** Codes and refresh tokens issued by this dev tenant (in memory). */
export class GrantStore {
  readonly codes = new Map<string, AuthorizationCode>();
  readonly refreshTokens = new Map<string, RefreshGrant>();

  issueCode(code: AuthorizationCode): string {
    const value = `1.${randomBytes(48).toString('base64url')}`;
    this.codes.set(value, code);
    return value;
  }

  issueRefreshToken(grant: RefreshGrant): string {
    const value = `1.${randomBytes(64).toString('base64url')}`;
    this.refreshTokens.set(value, grant);
    return value;
  }
}

/** Claims challenge the dev tenant's conditional access policy sends for users who must use MFA. */
export const MFA_POLICY_ID = '6f1d4a0e-2c7b-4b89-9e3a-5d0f8c2b7a61';
export const mfaClaimsChallenge = JSON.stringify({ access_token: { polids: { essential: true, values: [MFA_POLICY_ID] } } });

type Form = Record<string, string | undefined>;

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function clientCredentials(form: Form, authorization: string | undefined): { clientId?: string; secret?: string; assertion?: string } {
  if (authorization?.startsWith('Basic ')) {
    const [id, secret] = Buffer.from(authorization.slice(6), 'base64').toString('utf8').split(':');
    return { clientId: decodeURIComponent(id ?? ''), secret: decodeURIComponent(secret ?? '') };
  }
  return { clientId: form.client_id, secret: form.client_secret, assertion: form.client_assertion };
}

/** Authenticates our confidential app (secret, or a certificate assertion). */
function requireConfidentialClient(ctx: DevTenantContext, form: Form, authorization: string | undefined): void {
  const { clientId, secret, assertion } = clientCredentials(form, authorization);
  const app = ctx.tenant.app;
  if (!clientId) throw entraError(900144, 'invalid_request', "The request body must contain the following parameter: 'client_id'.");
  if (clientId.toLowerCase() !== app.clientId) {
    throw entraError(
      700016,
      'unauthorized_client',
      `Application with identifier '${clientId}' was not found in the directory '${ctx.tenant.displayName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    );
  }
  if (secret !== undefined) {
    if (!safeEqual(secret, app.clientSecret)) {
      throw entraError(
        7000215,
        'invalid_client',
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`,
        { status: 401 },
      );
    }
    return;
  }
  if (assertion !== undefined) {
    // The dev tenant has no certificate registered for the app: it checks the assertion's shape, not its signature.
    let claims: JWTPayload;
    try {
      claims = decodeJwt(assertion);
    } catch {
      throw entraError(50027, 'invalid_client', 'JWT token is invalid or malformed.', { status: 401 });
    }
    if (claims.iss !== app.clientId || claims.sub !== app.clientId) {
      throw entraError(700023, 'invalid_client', 'Client assertion audience claim does not match Realm issuer.', { status: 401 });
    }
    return;
  }
  throw entraError(
    7000218,
    'invalid_client',
    "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    { status: 401 },
  );
}

function findSignInUser(ctx: DevTenantContext, username: string | undefined): TenantUser {
  const user = username ? ctx.tenant.findUser(username) : undefined;
  if (!user) {
    throw entraError(
      50034,
      'invalid_grant',
      `The user account {EUII Hidden} does not exist in the ${ctx.tenant.id} directory. To sign into this application, the account must be added to the directory.`,
    );
  }
  return user;
}

/** Scopes to put in a Graph token, or AADSTS65001 when the user has not consented to them. */
function consentedGraphScopes(ctx: DevTenantContext, user: TenantUser, requested: ResolvedScopes): string[] {
  const consented = ctx.tenant.consentedScopes(user.id);
  const app = ctx.tenant.app;
  const scopes = requested.isDefault ? app.delegatedScopes.filter((s) => consented.has(s.toLowerCase())) : requested.scopes;
  const missing = requested.isDefault
    ? scopes.length === 0
      ? app.delegatedScopes
      : []
    : scopes.filter((s) => !consented.has(s.toLowerCase()));
  if (missing.length > 0) {
    throw entraError(
      65001,
      'invalid_grant',
      `The user or administrator has not consented to use the application with ID '${app.clientId}' named '${app.displayName}'. Send an interactive authorization request for this user and resource.`,
      { suberror: 'consent_required' },
    );
  }
  // Consent is additive: a token carries every delegated scope the user (or an admin) consented to for
  // the resource, not only those requested (see FIDELITY.md, "Scopes in a token").
  return [...new Set([...scopes, ...app.delegatedScopes.filter((s) => consented.has(s.toLowerCase()))])];
}

function mfaSatisfied(amr: unknown): boolean {
  return Array.isArray(amr) && amr.includes('mfa');
}

function requireMfa(user: TenantUser, amr: unknown): void {
  if (user.requiresMfa && !mfaSatisfied(amr)) {
    throw entraError(
      50076,
      'interaction_required',
      `Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '${GRAPH_APP_ID}'.`,
      { claims: mfaClaimsChallenge, suberror: 'basic_action' },
    );
  }
}

interface TokenResponse {
  token_type: 'Bearer';
  scope: string;
  expires_in: number;
  ext_expires_in: number;
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  client_info?: string;
}

async function userTokenResponse(
  ctx: DevTenantContext,
  user: TenantUser,
  clientId: string,
  requested: ResolvedScopes,
  amr: string[],
  opts: { nonce?: string; scopeParam: string },
): Promise<TokenResponse> {
  let accessToken: string;
  let scope: string;
  let expiresIn = 3600;
  if (requested.resource === 'app') {
    accessToken = await mintAppToken(ctx.keys, ctx.tenant, user, clientId, { amr });
    scope = `${appIdUri(ctx.tenant)}/access_as_user`;
  } else {
    requireMfa(user, amr);
    const scopes = consentedGraphScopes(ctx, user, requested);
    const minted = await mintGraphToken(ctx.keys, ctx.tenant, { user, scopes, appId: clientId, amr });
    accessToken = minted.token;
    expiresIn = minted.expiresIn;
    scope = scopes.map((s) => `https://graph.microsoft.com/${s}`).join(' ');
  }
  const oidc = requested.oidc.map((s) => s.toLowerCase());
  const res: TokenResponse = {
    token_type: 'Bearer',
    scope: [scope, ...requested.oidc].join(' '),
    expires_in: expiresIn,
    ext_expires_in: expiresIn,
    access_token: accessToken,
  };
  if (oidc.includes('offline_access'))
    res.refresh_token = ctx.grants.issueRefreshToken({ userId: user.id, clientId, scope: opts.scopeParam, amr });
  if (oidc.includes('openid')) res.id_token = await mintIdToken(ctx.keys, ctx.tenant, user, clientId, opts.nonce);
  res.client_info = clientInfo(ctx.tenant, user);
  return res;
}

/** Checks the incoming assertion for on-behalf-of with Entra's error codes. */
async function verifyAssertion(ctx: DevTenantContext, assertion: string | undefined): Promise<{ user: TenantUser; claims: JWTPayload }> {
  if (!assertion) throw entraError(900144, 'invalid_request', "The request body must contain the following parameter: 'assertion'.");
  let claims: JWTPayload;
  try {
    claims = decodeJwt(assertion);
  } catch {
    throw entraError(50027, 'invalid_request', 'JWT token is invalid or malformed.');
  }
  try {
    await ctx.keys.verifySignature(assertion);
  } catch {
    throw entraError(50013, 'invalid_grant', 'Assertion failed signature validation. [Reason - The key was not found.]');
  }
  const app = ctx.tenant.app;
  const validAud = [app.clientId, appIdUri(ctx.tenant)];
  if (typeof claims.aud !== 'string' || !validAud.includes(claims.aud)) {
    throw entraError(
      50013,
      'invalid_grant',
      `Assertion audience does not match the Client app presenting the assertion. The audience in the assertion was '${String(claims.aud)}' and the expected audience is '${app.clientId}' or one of the Application Ids URIs of this application.`,
    );
  }
  if (claims.iss !== v1Issuer(ctx.tenant.id) && claims.iss !== v2Issuer(ctx.tenant.id)) {
    throw entraError(
      50013,
      'invalid_grant',
      `Assertion failed signature validation. [Reason - The provided issuer '${String(claims.iss)}' is not valid for this tenant.]`,
    );
  }
  // An ID token (no scp, no roles) is not an access token for this app.
  if (!claims.scp && !claims.roles) {
    throw entraError(
      50013,
      'invalid_grant',
      'Assertion failed signature validation. [Reason - The assertion is not an access token for this application (an id_token cannot be used as a user assertion).]',
    );
  }
  const now = Math.floor(Date.now() / 1000);
  if (typeof claims.exp !== 'number' || claims.exp < now - 300 || (typeof claims.nbf === 'number' && claims.nbf > now + 300)) {
    const fmt = (s: number | undefined) => (s === undefined ? 'unknown' : new Date(s * 1000).toUTCString());
    throw entraError(
      500133,
      'invalid_grant',
      `Assertion is not within its valid time range. Ensure that the access token is not expired before using it for user assertion, or request a new token. Current time: ${fmt(now)}, expiry time of assertion ${fmt(claims.exp)}.`,
    );
  }
  const user = typeof claims.oid === 'string' ? ctx.tenant.findUser(claims.oid) : undefined;
  if (!user) throw entraError(50013, 'invalid_grant', 'Assertion contains an invalid or unknown user.');
  return { user, claims };
}

function claimsRequestMfa(claims: string | undefined): boolean {
  if (!claims) return false;
  try {
    return JSON.stringify(JSON.parse(claims)).includes(MFA_POLICY_ID) || /"acrs"|mfa/i.test(claims);
  } catch {
    throw entraError(70011, 'invalid_scope', "The 'claims' parameter is not valid JSON.");
  }
}

export async function handleTokenRequest(ctx: DevTenantContext, form: Form, authorization: string | undefined): Promise<TokenResponse> {
  const grantType = form.grant_type;
  ctx.counters.increment(
    `token ${grantType === 'urn:ietf:params:oauth:grant-type:jwt-bearer' ? 'on_behalf_of' : (grantType ?? 'missing')}`,
  );
  switch (grantType) {
    case 'password': {
      const clientId = form.client_id?.toLowerCase();
      if (!clientId) throw entraError(900144, 'invalid_request', "The request body must contain the following parameter: 'client_id'.");
      if (clientId === ctx.tenant.app.clientId) requireConfidentialClient(ctx, form, authorization);
      else if (!TEAMS_CLIENT_IDS[clientId]) {
        throw entraError(
          700016,
          'unauthorized_client',
          `Application with identifier '${clientId}' was not found in the directory '${ctx.tenant.displayName}'.`,
        );
      }
      const user = findSignInUser(ctx, form.username);
      if (!form.password || !safeEqual(form.password, ctx.tenant.userPassword)) {
        throw entraError(50126, 'invalid_grant', 'Error validating credentials due to invalid username or password.');
      }
      const requested = resolveScopes(ctx.tenant, form.scope);
      const amr = claimsRequestMfa(form.claims) ? ['pwd', 'mfa'] : ['pwd'];
      return userTokenResponse(ctx, user, clientId, requested, amr, { scopeParam: form.scope! });
    }
    case 'urn:ietf:params:oauth:grant-type:jwt-bearer': {
      if (form.requested_token_use !== 'on_behalf_of') {
        throw entraError(900144, 'invalid_request', "The request body must contain the following parameter: 'requested_token_use'.");
      }
      requireConfidentialClient(ctx, form, authorization);
      const { user, claims } = await verifyAssertion(ctx, form.assertion);
      const requested = resolveScopes(ctx.tenant, form.scope);
      if (requested.resource !== 'graph') {
        throw entraError(
          70011,
          'invalid_scope',
          "The provided value for the input parameter 'scope' is not valid. An application cannot request a token for itself on behalf of a user.",
        );
      }
      const amr = Array.isArray(claims.amr) ? (claims.amr as string[]) : ['pwd'];
      return userTokenResponse(ctx, user, ctx.tenant.app.clientId, requested, amr, { scopeParam: form.scope! });
    }
    case 'client_credentials': {
      requireConfidentialClient(ctx, form, authorization);
      const requested = resolveScopes(ctx.tenant, form.scope);
      if (!requested.isDefault || requested.resource !== 'graph') {
        throw entraError(
          1002012,
          'invalid_scope',
          `The provided value for scope ${form.scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
        );
      }
      const roles = ctx.tenant.app.applicationPermissions;
      const minted = await mintGraphToken(ctx.keys, ctx.tenant, { roles, appId: ctx.tenant.app.clientId });
      return {
        token_type: 'Bearer',
        scope: 'https://graph.microsoft.com/.default',
        expires_in: minted.expiresIn,
        ext_expires_in: minted.expiresIn,
        access_token: minted.token,
      };
    }
    case 'authorization_code': {
      const store = ctx.grants;
      const code = form.code ? store.codes.get(form.code) : undefined;
      if (!code || code.expiresAt < Date.now()) {
        throw entraError(
          70008,
          'invalid_grant',
          'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
        );
      }
      store.codes.delete(form.code!);
      if (form.client_id?.toLowerCase() !== code.clientId)
        throw entraError(70000, 'invalid_grant', 'The provided authorization code was issued to a different client.');
      if (form.redirect_uri !== code.redirectUri)
        throw entraError(50148, 'invalid_grant', 'The redirect_uri does not match the one in the authorization request.');
      if (code.codeChallenge) {
        const verifier = form.code_verifier ?? '';
        const computed = code.codeChallengeMethod === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
        if (computed !== code.codeChallenge)
          throw entraError(
            501481,
            'invalid_grant',
            'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
          );
      } else {
        requireConfidentialClient(ctx, form, authorization);
      }
      const user = ctx.tenant.requireUser(code.userId);
      const requested = resolveScopes(ctx.tenant, form.scope || code.scope);
      return userTokenResponse(ctx, user, code.clientId, requested, ['pwd'], { nonce: code.nonce, scopeParam: form.scope || code.scope });
    }
    case 'refresh_token': {
      const grant = form.refresh_token ? ctx.grants.refreshTokens.get(form.refresh_token) : undefined;
      if (!grant) throw entraError(9002313, 'invalid_grant', 'Invalid request. Request is malformed or invalid.');
      if (grant.clientId === ctx.tenant.app.clientId) requireConfidentialClient(ctx, form, authorization);
      const user = ctx.tenant.requireUser(grant.userId);
      const scopeParam = form.scope || grant.scope;
      return userTokenResponse(ctx, user, grant.clientId, resolveScopes(ctx.tenant, scopeParam), grant.amr, { scopeParam });
    }
    case undefined:
      throw entraError(900144, 'invalid_request', "The request body must contain the following parameter: 'grant_type'.");
    default:
      throw entraError(70003, 'unsupported_grant_type', `The app requested an unsupported grant type '${grantType}'.`);
  }
}

export { EntraError };
