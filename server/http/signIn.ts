/** What the tab needs before it has a token, and the page the sign-in window starts on. */
import { Router } from 'express';
import type { DelegateDeskConfig, TabConfig } from '../../shared';

const CONSENT_SCOPES = 'https://graph.microsoft.com/.default openid profile offline_access';

export interface SignInOptions {
  graph: DelegateDeskConfig;
  /**
   * Where people reach this server (https://<TAB_DOMAIN> in Teams). Redirect URIs are built on it, not on
   * the request: behind App Service's TLS front end a request looks like plain http.
   */
  publicOrigin: string;
  localHostOrigin?: string;
  pollSeconds: number;
}

export function signInRoutes(o: SignInOptions): Router {
  const router = Router();
  const authorizeUrl = `${o.graph.authorityHost}/${o.graph.tenantId}/oauth2/v2.0/authorize`;

  /** Nothing secret. */
  router.get('/api/config', (_req, res) => {
    const body: TabConfig = {
      clientId: o.graph.clientId,
      tenantId: o.graph.tenantId,
      authorizeUrl,
      consentScopes: CONSENT_SCOPES,
      localHostOrigin: o.localHostOrigin ?? null,
      pollSeconds: o.pollSeconds,
    };
    res.set('Cache-Control', 'no-store').json(body);
  });

  /**
   * The sign-in window starts here (on our own https origin in Teams) and goes on to Entra ID: consent, or
   * with `claims` the conditional-access step (such as MFA) a claims challenge asked for.
   */
  router.get('/auth-start', (req, res) => {
    const claims = typeof req.query.claims === 'string' && req.query.claims ? req.query.claims : undefined;
    const q = new URLSearchParams({
      client_id: o.graph.clientId,
      response_type: 'code',
      redirect_uri: `${o.publicOrigin}/auth-end.html`,
      scope: CONSENT_SCOPES,
      ...(claims ? { claims } : { prompt: 'consent' }),
      state: typeof req.query.state === 'string' ? req.query.state : '',
    });
    if (typeof req.query.loginHint === 'string' && req.query.loginHint) q.set('login_hint', req.query.loginHint);
    res.redirect(302, `${authorizeUrl}?${q}`);
  });
  return router;
}
