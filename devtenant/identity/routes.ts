/** Entra ID endpoints of the dev tenant: discovery, keys, token, authorize (consent). */
import express, { type Request, type Response, type Router } from 'express';
import type { DevTenantContext } from '../context';
import { EntraError, entraError } from './entraErrors';
import { handleTokenRequest } from './tokenEndpoint';
import { consentPage } from './consentPage';
import { resolveScopes } from './scopes';
import { v2Issuer } from './tokens';

function knownTenant(ctx: DevTenantContext, t: string): boolean {
  return [ctx.tenant.id, ctx.tenant.domain.toLowerCase(), 'common', 'organizations'].includes(t.toLowerCase());
}

function sendEntraError(res: Response, e: unknown): void {
  if (e instanceof EntraError) {
    res.status(e.status).set({ 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache' }).json(e.body);
    return;
  }
  console.error(`[devtenant] token endpoint: ${(e as Error).stack ?? e}`);
  const err = entraError(90033, 'temporarily_unavailable', 'A transient error has occurred. Please try again.', { status: 503 });
  res.status(503).json(err.body);
}

function tenantGuard(ctx: DevTenantContext) {
  return (req: Request, res: Response, next: () => void) => {
    const tenant = String(req.params.tenant);
    if (!knownTenant(ctx, tenant)) {
      const e = entraError(
        90002,
        'invalid_request',
        `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
      );
      res.status(400).json(e.body);
      return;
    }
    next();
  };
}

export function openIdConfiguration(ctx: DevTenantContext, tenantSegment: string) {
  const o = ctx.origin();
  return {
    token_endpoint: `${o}/${tenantSegment}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${o}/${tenantSegment}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: v2Issuer(ctx.tenant.id),
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${o}/oidc/userinfo`,
    authorization_endpoint: `${o}/${tenantSegment}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${o}/${tenantSegment}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${o}/${tenantSegment}/oauth2/v2.0/logout`,
    claims_supported: [
      'sub',
      'iss',
      'cloud_instance_name',
      'cloud_instance_host_name',
      'cloud_graph_host_name',
      'msgraph_host',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'acr',
      'nonce',
      'preferred_username',
      'name',
      'tid',
      'ver',
      'at_hash',
      'c_hash',
      'email',
    ],
    kerberos_endpoint: `${o}/${tenantSegment}/kerberos`,
    tenant_region_scope: 'NA',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  };
}

export function identityRoutes(ctx: DevTenantContext): Router {
  const r = express.Router();
  const form = express.urlencoded({ extended: false, limit: '1mb' });

  r.get('/common/discovery/instance', (req, res) => {
    ctx.counters.increment('entra GET /common/discovery/instance');
    const host = new URL(ctx.origin()).host;
    res.json({
      tenant_discovery_endpoint: `${ctx.origin()}/${ctx.tenant.id}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    });
  });

  r.get('/:tenant/v2.0/.well-known/openid-configuration', tenantGuard(ctx), (req, res) => {
    ctx.counters.increment('entra GET /{tenant}/v2.0/.well-known/openid-configuration');
    res.json(openIdConfiguration(ctx, String(req.params.tenant)));
  });

  const keys = (_req: Request, res: Response) => {
    ctx.counters.increment('entra GET /{tenant}/discovery/v2.0/keys');
    res.set('Cache-Control', 'max-age=86400, private').json(ctx.keys.jwks());
  };
  r.get('/:tenant/discovery/v2.0/keys', tenantGuard(ctx), keys);
  r.get('/:tenant/discovery/keys', tenantGuard(ctx), keys);

  const TOKEN_ROUTE = 'POST /{tenant}/oauth2/v2.0/token';
  r.post('/:tenant/oauth2/v2.0/token', tenantGuard(ctx), form, async (req, res) => {
    // Network faults only (Entra rules): a slow or dropped connection, as clients meet them.
    const latency = ctx.faults.latencyMs(TOKEN_ROUTE, 'entra');
    if (latency > 0) await new Promise((r) => setTimeout(r, latency));
    if (ctx.faults.decide(TOKEN_ROUTE, undefined, 'entra').kind === 'drop') {
      req.socket.destroy();
      return;
    }
    try {
      const body = await handleTokenRequest(ctx, (req.body ?? {}) as Record<string, string>, req.headers.authorization);
      res.set({ 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache' }).json(body);
    } catch (e) {
      sendEntraError(res, e);
    }
  });

  const authorize = async (req: Request, res: Response) => {
    ctx.counters.increment(`entra ${req.method} /{tenant}/oauth2/v2.0/authorize`);
    const q = { ...(req.query as Record<string, string>), ...((req.body ?? {}) as Record<string, string>) };
    const app = ctx.tenant.app;
    if (q.client_id?.toLowerCase() !== app.clientId) {
      res
        .status(400)
        .type('text/plain')
        .send(
          `AADSTS700016: Application with identifier '${q.client_id ?? ''}' was not found in the directory '${ctx.tenant.displayName}'.`,
        );
      return;
    }
    if (q.response_type !== 'code') {
      res
        .status(400)
        .type('text/plain')
        .send("AADSTS900144: The request body must contain the following parameter: 'response_type' with the value 'code'.");
      return;
    }
    let redirect: URL;
    try {
      redirect = new URL(q.redirect_uri ?? '');
      if (
        !['https:', 'http:'].includes(redirect.protocol) ||
        (redirect.protocol === 'http:' && !['localhost', '127.0.0.1'].includes(redirect.hostname))
      )
        throw new Error('scheme');
    } catch {
      res
        .status(400)
        .type('text/plain')
        .send(
          `AADSTS50011: The redirect URI '${q.redirect_uri ?? ''}' specified in the request does not match the redirect URIs configured for the application '${app.clientId}'.`,
        );
      return;
    }
    const back = (params: Record<string, string | undefined>) => {
      for (const [k, v] of Object.entries(params)) if (v !== undefined) redirect.searchParams.set(k, v);
      res.redirect(302, redirect.toString());
    };
    let scopes;
    try {
      scopes = resolveScopes(ctx.tenant, q.scope);
    } catch (e) {
      back({
        error: 'invalid_scope',
        error_description: e instanceof EntraError ? e.body.error_description : 'invalid scope',
        state: q.state,
      });
      return;
    }
    const permissions = scopes.resource === 'graph' ? (scopes.isDefault ? app.delegatedScopes : scopes.scopes) : ['access_as_user'];
    const hint = q.login_hint ? ctx.tenant.findUser(q.login_hint) : undefined;
    const hidden = Object.fromEntries(
      [
        'client_id',
        'response_type',
        'redirect_uri',
        'scope',
        'state',
        'nonce',
        'code_challenge',
        'code_challenge_method',
        'login_hint',
        'prompt',
        'response_mode',
      ]
        .filter((k) => q[k] !== undefined)
        .map((k) => [k, String(q[k])]),
    );
    const render = (error?: string) =>
      res.type('html').send(
        consentPage({
          appName: app.displayName,
          tenantName: ctx.tenant.displayName,
          permissions: [...permissions, ...scopes.oidc],
          users: ctx.tenant.listUsers(),
          loginHint: hint,
          hidden,
          error,
        }),
      );

    if (req.method === 'GET') {
      render();
      return;
    }
    if (q.consent !== 'accept') {
      back({
        error: 'access_denied',
        error_subcode: 'cancel',
        error_description: 'AADSTS65004: User declined to consent to access the app.',
        state: q.state,
      });
      return;
    }
    const user = hint ?? ctx.tenant.findUser(q.username ?? '');
    if (!user || (!hint && q.password !== ctx.tenant.userPassword)) {
      res.status(200);
      render('Your account or password is incorrect.');
      return;
    }
    if (scopes.resource === 'graph') ctx.tenant.grantConsent(user.id, permissions);
    const code = ctx.grants.issueCode({
      userId: user.id,
      clientId: app.clientId,
      redirectUri: q.redirect_uri!,
      scope: q.scope!,
      codeChallenge: q.code_challenge,
      codeChallengeMethod: q.code_challenge_method,
      nonce: q.nonce,
      expiresAt: Date.now() + 10 * 60_000,
    });
    back({ code, state: q.state, session_state: user.id });
  };
  r.get('/:tenant/oauth2/v2.0/authorize', tenantGuard(ctx), authorize);
  r.post('/:tenant/oauth2/v2.0/authorize', tenantGuard(ctx), form, authorize);

  return r;
}
