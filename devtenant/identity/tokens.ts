/** Token minting for the dev tenant: Teams-SSO-like tokens for our app, Graph tokens, id tokens. */
import { randomUUID, randomBytes } from 'node:crypto';
import type { JWTPayload } from 'jose';
import type { KeySet } from './keys';
import type { Tenant, TenantUser } from '../tenant/tenant';
import { GRAPH_RESOURCE, GRAPH_NOTIFICATION_PUBLISHER_APP_ID } from './constants';

export const v1Issuer = (tid: string) => `https://sts.windows.net/${tid}/`;
export const v2Issuer = (tid: string) => `https://login.microsoftonline.com/${tid}/v2.0`;

export function appIdUri(tenant: Tenant): string {
  return `api://${tenant.app.domain}/botid-${tenant.app.clientId}`;
}

const uti = () => randomBytes(16).toString('base64url').slice(0, 22);
const seconds = (ms: number) => Math.floor(ms / 1000);

export interface MintOptions {
  lifetimeSeconds?: number;
  /** Override any claim (tests: wrong audience, issuer, times...). */
  claims?: JWTPayload;
  amr?: string[];
}

function userClaims(tenant: Tenant, user: TenantUser) {
  return { oid: user.id, tid: tenant.id, name: user.displayName, sub: randomBytes(32).toString('base64url').slice(0, 43) };
}

/**
 * The access token Teams hands the tab (getAuthToken) and the bot (token exchange): audience our app,
 * scp access_as_user, in the v1 or v2 form per the app's accessTokenAcceptedVersion.
 */
export async function mintAppToken(
  keys: KeySet,
  tenant: Tenant,
  user: TenantUser,
  clientId: string,
  opts: MintOptions = {},
): Promise<string> {
  const now = seconds(Date.now());
  const lifetime = opts.lifetimeSeconds ?? 3600;
  const common = {
    iat: now,
    nbf: now,
    exp: now + lifetime,
    aio: randomBytes(24).toString('base64url'),
    scp: 'access_as_user',
    uti: uti(),
    rh: '0.AAAA.',
    ...userClaims(tenant, user),
  };
  const payload: JWTPayload =
    tenant.app.accessTokenAcceptedVersion === 2
      ? {
          aud: tenant.app.clientId,
          iss: v2Issuer(tenant.id),
          ...common,
          azp: clientId,
          azpacr: '0',
          preferred_username: user.userPrincipalName,
          ver: '2.0',
        }
      : {
          aud: appIdUri(tenant),
          iss: v1Issuer(tenant.id),
          ...common,
          acr: '1',
          appid: clientId,
          appidacr: '0',
          upn: user.userPrincipalName,
          unique_name: user.userPrincipalName,
          given_name: user.givenName,
          family_name: user.surname,
          amr: opts.amr ?? ['pwd'],
          ipaddr: '127.0.0.1',
          ver: '1.0',
        };
  if (tenant.app.accessTokenAcceptedVersion === 2 && opts.amr) payload.amr = opts.amr;
  if (tenant.app.accessTokenAcceptedVersion === 2 && !opts.amr) payload.amr = ['pwd'];
  // v1 tokens name their key twice, as kid and x5t.
  return keys.sign({ ...payload, ...opts.claims }, tenant.app.accessTokenAcceptedVersion === 2 ? {} : { x5t: keys.active.kid });
}

/** A Graph access token, always v1 format (Graph decides the format). user undefined = app-only. */
export async function mintGraphToken(
  keys: KeySet,
  tenant: Tenant,
  grant: { user?: TenantUser; scopes?: string[]; roles?: string[]; appId: string; appName?: string; amr?: string[] },
  opts: MintOptions = {},
): Promise<{ token: string; expiresIn: number }> {
  const now = seconds(Date.now());
  const lifetime = opts.lifetimeSeconds ?? 3600 + Math.floor(Math.random() * 600);
  const payload: JWTPayload = {
    aud: GRAPH_RESOURCE,
    iss: v1Issuer(tenant.id),
    iat: now,
    nbf: now,
    exp: now + lifetime,
    aio: randomBytes(24).toString('base64url'),
    app_displayname: grant.appName ?? tenant.app.displayName,
    appid: grant.appId,
    appidacr: '1',
    idp: v1Issuer(tenant.id),
    idtyp: grant.user ? 'user' : 'app',
    tid: tenant.id,
    uti: uti(),
    ver: '1.0',
    xms_tcdt: 1600000000,
  };
  if (grant.user) {
    Object.assign(payload, userClaims(tenant, grant.user), {
      scp: (grant.scopes ?? []).join(' '),
      upn: grant.user.userPrincipalName,
      unique_name: grant.user.userPrincipalName,
      given_name: grant.user.givenName,
      family_name: grant.user.surname,
      amr: grant.amr ?? ['pwd'],
    });
  } else {
    Object.assign(payload, { oid: randomUUID(), sub: randomUUID(), roles: grant.roles ?? [] });
  }
  return {
    token: await keys.sign({ ...payload, ...opts.claims }, { x5t: keys.active.kid, nonce: randomBytes(16).toString('base64url') }),
    expiresIn: lifetime,
  };
}

export async function mintIdToken(keys: KeySet, tenant: Tenant, user: TenantUser, clientId: string, nonce?: string): Promise<string> {
  const now = seconds(Date.now());
  return keys.sign({
    aud: clientId,
    iss: v2Issuer(tenant.id),
    iat: now,
    nbf: now,
    exp: now + 3600,
    ...userClaims(tenant, user),
    preferred_username: user.userPrincipalName,
    rh: '0.AAAA.',
    uti: uti(),
    ver: '2.0',
    ...(nonce ? { nonce } : {}),
  });
}

/** Graph change notification validation token (rich notifications). */
export async function mintValidationToken(keys: KeySet, tenant: Tenant, subscribingAppId: string): Promise<string> {
  const now = seconds(Date.now());
  return keys.sign({
    aud: subscribingAppId,
    iss: v1Issuer(tenant.id),
    iat: now,
    nbf: now,
    exp: now + 3600,
    appid: GRAPH_NOTIFICATION_PUBLISHER_APP_ID,
    appidacr: '2',
    idp: v1Issuer(tenant.id),
    tid: tenant.id,
    ver: '1.0',
    oid: randomUUID(),
    sub: randomUUID(),
  });
}

export function clientInfo(tenant: Tenant, user: TenantUser): string {
  return Buffer.from(JSON.stringify({ uid: user.id, utid: tenant.id })).toString('base64url');
}
