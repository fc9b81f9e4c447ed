/** The tab's API: the caller is identified only by the validated SSO token. */
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { isGuid, type DelegateDesk, type DelegationView, type SsoUser } from '../../shared';
import { sendError, sendProblem } from './errors';

/** A route for a caller with a valid SSO token; every failure is answered as a typed error. */
export const authenticated =
  (desk: DelegateDesk, handler: (req: Request, user: SsoUser, res: Response) => Promise<void>): RequestHandler =>
  async (req, res) => {
    try {
      const user = await desk.validateSsoToken(req.headers.authorization);
      await handler(req, user, res);
    } catch (e) {
      sendError(res, e);
    }
  };

/**
 * The view as JSON. A view the desk has not rebuilt (nothing changed) shares its parts with the last one
 * and differs only in generatedAt: its JSON is the last one's with the time put in, not serialised again.
 */
function viewJson(bodies: WeakMap<object, { view: DelegationView; rest: string }>): (view: DelegationView) => string {
  return (view) => {
    const known = bodies.get(view.delegates);
    const same =
      known &&
      known.view.me === view.me &&
      known.view.delegators === view.delegators &&
      known.view.whoCanTakeMyCall === view.whoCanTakeMyCall &&
      known.view.presenceStale === view.presenceStale;
    let rest = same ? known.rest : undefined;
    if (rest === undefined) {
      const { generatedAt: _, ...parts } = view;
      rest = JSON.stringify(parts).slice(1);
      bodies.set(view.delegates, { view, rest });
    }
    return `{"generatedAt":${JSON.stringify(view.generatedAt)},${rest}`;
  };
}

export function tabApi(desk: DelegateDesk): Router {
  const router = Router();
  const json = viewJson(new WeakMap());

  router.get(
    '/api/delegation',
    authenticated(desk, async (req, user, res) => {
      // ?fresh=1: the tab's periodic list refresh; delegations have no change notifications.
      if (req.query.fresh === '1') desk.invalidate(user);
      const view = await desk.loadDelegationView(user);
      // Written directly: Express's send would only re-derive these headers (the hottest route).
      const body = json(view);
      res.writeHead(200, {
        'Cache-Control': 'private, no-store',
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': Buffer.byteLength(body),
      });
      res.end(body);
    }),
  );

  router.post(
    '/api/delegation/refresh',
    authenticated(desk, async (_req, user, res) => {
      // The person asked for fresh data: lists and presence both come from Graph next.
      desk.invalidate(user, { presence: true });
      res.status(204).end();
    }),
  );

  router.get(
    '/api/people/:id/photo',
    authenticated(desk, async (req, user, res) => {
      const id = String(req.params.id);
      if (!isGuid(id)) return sendProblem(res, 400, 'badRequest', 'A person id is a GUID.');
      const photo = await desk.photo(user, id);
      if (!photo) return sendProblem(res, 404, 'noPhoto');
      res.set({ 'Content-Type': photo.contentType, 'Cache-Control': 'private, max-age=3600' }).end(photo.bytes);
    }),
  );
  return router;
}
