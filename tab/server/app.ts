/**
 * The product's one web server: the built tab, its API, the consent pages and (later) the bot
 * endpoint, on one origin. The caller is identified only by the validated SSO token.
 */
import path from 'node:path';
import express, { type Request, type RequestHandler, type Router } from 'express';
import type { DelegateDesk, DelegateDeskConfig, SsoUser } from '../../shared';
import { sendError } from './errors';

/** Hosts that may frame the tab: Teams, Outlook and Microsoft 365 (and the local host when configured). */
export const TEAMS_FRAME_ANCESTORS = [
  'https://teams.microsoft.com', 'https://*.teams.microsoft.com', 'https://teams.cloud.microsoft', 'https://*.cloud.microsoft',
  'https://*.office.com', 'https://outlook.office.com', 'https://outlook.office365.com', 'https://*.microsoft365.com', 'https://*.skype.com',
];

export interface AppDeps {
  desk: DelegateDesk;
  config: DelegateDeskConfig;
  staticDir: string;
  localHostOrigin?: string;
  /**
   * Where people reach this server (https://<TAB_DOMAIN> in Teams). Redirect URIs are built on it, not on
   * the request: behind App Service's TLS front end a request looks like plain http.
   */
  publicOrigin: string;
  /** How often the tab refreshes presence while visible. */
  pollSeconds?: number;
  /** Extra routers mounted on the same origin (the bot endpoint). */
  extra?: Array<{ path: string; router: Router }>;
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const ancestors = ["'self'", ...TEAMS_FRAME_ANCESTORS, ...(deps.localHostOrigin ? [deps.localHostOrigin] : [])].join(' ');
  app.use((_req, res, next) => {
    res.set({
      // Only our own scripts run (no inline or injected ones); styles stay open because Fluent UI inserts
      // its styles at run time; connections stay open for teams-js, which reads its domain list from a CDN.
      'Content-Security-Policy': `frame-ancestors ${ancestors}; script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'`,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'strict-origin-when-cross-origin',
      'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
    });
    next();
  });

  const authenticated = (handler: (req: Request, user: SsoUser, res: express.Response) => Promise<void>): RequestHandler => async (req, res) => {
    try {
      const user = await deps.desk.validateSsoToken(req.headers.authorization);
      await handler(req, user, res);
    } catch (e) {
      sendError(res, e);
    }
  };

  /** For App Service's health check and load balancers: the process answers; Graph is not called. */
  app.get('/api/health', (_req, res) => void res.set('Cache-Control', 'no-store').json({ status: 'ok' }));

  /** What the tab needs before it has a token: nothing secret. */
  app.get('/api/config', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({
      clientId: deps.config.clientId,
      tenantId: deps.config.tenantId,
      authorizeUrl: `${deps.config.authorityHost}/${deps.config.tenantId}/oauth2/v2.0/authorize`,
      consentScopes: 'https://graph.microsoft.com/.default openid profile offline_access',
      localHostOrigin: deps.localHostOrigin ?? null,
      pollSeconds: deps.pollSeconds ?? 30,
    });
  });

  /**
   * The sign-in window starts here (on our own https origin in Teams) and goes on to Entra ID: consent, or
   * with `claims` the conditional-access step (such as MFA) a claims challenge asked for.
   */
  app.get('/auth-start', (req, res) => {
    const claims = typeof req.query.claims === 'string' && req.query.claims ? req.query.claims : undefined;
    const q = new URLSearchParams({
      client_id: deps.config.clientId,
      response_type: 'code',
      redirect_uri: `${deps.publicOrigin}/auth-end.html`,
      scope: 'https://graph.microsoft.com/.default openid profile offline_access',
      ...(claims ? { claims } : { prompt: 'consent' }),
      state: typeof req.query.state === 'string' ? req.query.state : '',
    });
    if (typeof req.query.loginHint === 'string' && req.query.loginHint) q.set('login_hint', req.query.loginHint);
    res.redirect(302, `${deps.config.authorityHost}/${deps.config.tenantId}/oauth2/v2.0/authorize?${q}`);
  });

  app.get('/api/delegation', authenticated(async (_req, user, res) => {
    const view = await deps.desk.loadDelegationView(user);
    res.set('Cache-Control', 'private, no-store').json(view);
  }));

  app.post('/api/delegation/refresh', authenticated(async (_req, user, res) => {
    deps.desk.invalidate(user);
    res.status(204).end();
  }));

  app.get('/api/people/:id/photo', authenticated(async (req, user, res) => {
    const id = String(req.params.id);
    if (!/^[0-9a-f-]{36}$/i.test(id)) {
      res.status(400).json({ error: { code: 'badRequest', message: 'A person id is a GUID.' } });
      return;
    }
    const photo = await deps.desk.photo(user, id);
    if (!photo) {
      res.status(404).json({ error: { code: 'noPhoto', message: 'This person has no photo.' } });
      return;
    }
    res.set({ 'Content-Type': photo.contentType, 'Cache-Control': 'private, max-age=3600' }).end(photo.bytes);
  }));

  for (const { path: p, router } of deps.extra ?? []) app.use(p, router);

  app.use('/api', (_req, res) => void res.status(404).json({ error: { code: 'notFound', message: 'No such API.' } }));
  // Built assets carry a content hash in their names: cache them for good. Pages must be revalidated so a
  // deploy is picked up at once.
  app.use('/assets', express.static(path.join(deps.staticDir, 'assets'), { immutable: true, maxAge: '365d', fallthrough: false }));
  app.use(express.static(deps.staticDir, { index: 'index.html', extensions: ['html'], setHeaders: (res) => res.set('Cache-Control', 'no-cache') }));
  app.get(['/tab', '/tab/'], (_req, res) => res.set('Cache-Control', 'no-cache').sendFile(path.join(deps.staticDir, 'index.html')));
  // Last: whatever a route or a library passes on (a missing file, malformed JSON) answers in JSON,
  // with its status and without details such as file paths.
  app.use((err: unknown, _req: Request, res: express.Response, next: express.NextFunction) => {
    if (res.headersSent) return next(err);
    const status = (err as { status?: number; statusCode?: number }).status ?? (err as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      res.status(status).json({ error: { code: status === 404 ? 'notFound' : 'badRequest', message: status === 404 ? 'Not found.' : 'The request could not be read.' } });
      return;
    }
    sendError(res, err);
  });
  return app;
}
