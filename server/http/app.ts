/**
 * The product's one web server: the built tab, its API, the sign-in pages and the bot endpoint, on one
 * origin, each answer with the same security headers.
 */
import path from 'node:path';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { DelegateDesk, DelegateDeskConfig } from '../../shared';
import type { StoreHealth } from '../../shared/store/store';
import type { ServerSettings } from '../config';
import { securityHeaders } from './securityHeaders';
import { signInRoutes } from './signIn';
import { tabApi } from './tabApi';
import { sendError, sendProblem } from './errors';

export interface HttpAppDeps {
  desk: DelegateDesk;
  graph: DelegateDeskConfig;
  server: Omit<ServerSettings, 'port' | 'listenHost' | 'instanceName'> & { instanceName?: string };
  /** The shared store's state; 'down' answers the health check with 503 so a load balancer drains us. */
  health?: () => StoreHealth;
  /** Other routers on the same origin (the bot endpoint). */
  mounts?: Array<{ path: string; router: Router }>;
}

export function createHttpApp(deps: HttpAppDeps): express.Express {
  const { staticDir, localHostOrigin, publicOrigin, pollSeconds } = deps.server;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Which instance answered, on every response (errors and the push stream too): nothing may depend on
  // landing on the same one twice, and this is how tests and people see it.
  if (deps.server.instanceName) {
    const name = deps.server.instanceName;
    app.use((_req, res, next) => {
      res.setHeader('X-Served-By', name);
      next();
    });
  }
  app.use(securityHeaders(localHostOrigin));

  /** For App Service's health check and load balancers: the process and its store answer; Graph is not called. */
  app.get('/api/health', (_req, res) => {
    const store = deps.health?.() ?? 'ok';
    res
      .status(store === 'ok' ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json({ status: store === 'ok' ? 'ok' : 'down', store });
  });
  // The tab's API first: its view is the most requested route, and each router passed on the way costs.
  app.use(tabApi(deps.desk));
  app.use(signInRoutes({ graph: deps.graph, publicOrigin, localHostOrigin, pollSeconds }));
  for (const { path: p, router } of deps.mounts ?? []) app.use(p, router);
  app.use('/api', (_req, res) => sendProblem(res, 404, 'notFound', 'No such API.'));

  // Built assets carry a content hash in their names: cache them for good. Pages must be revalidated so a
  // deploy is picked up at once.
  app.use('/assets', express.static(path.join(staticDir, 'assets'), { immutable: true, maxAge: '365d', fallthrough: false }));
  app.use(
    express.static(staticDir, { index: 'index.html', extensions: ['html'], setHeaders: (res) => res.set('Cache-Control', 'no-cache') }),
  );
  app.get(['/tab', '/tab/'], (_req, res) => res.set('Cache-Control', 'no-cache').sendFile(path.join(staticDir, 'index.html')));
  // Ours, not Express's default 404 (which replaces the security headers with its own).
  app.use((_req, res) => sendProblem(res, 404, 'notFound', 'Not found.'));

  // Last: whatever a route or a library passes on (a missing file, malformed JSON) answers in JSON,
  // with its status and without details such as file paths.
  app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const status = (err as { status?: number; statusCode?: number }).status ?? (err as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500)
      return sendProblem(res, status, status === 404 ? 'notFound' : 'badRequest', status === 404 ? 'Not found.' : undefined);
    sendError(res, err);
  });
  return app;
}
