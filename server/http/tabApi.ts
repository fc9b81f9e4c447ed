/** The tab's API: the caller is identified only by the validated SSO token. */
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { isGuid, type DelegateDesk, type SsoUser } from '../../shared';
import { sendError, sendProblem } from './errors';

export function tabApi(desk: DelegateDesk): Router {
  const router = Router();
  const authenticated =
    (handler: (req: Request, user: SsoUser, res: Response) => Promise<void>): RequestHandler =>
    async (req, res) => {
      try {
        const user = await desk.validateSsoToken(req.headers.authorization);
        await handler(req, user, res);
      } catch (e) {
        sendError(res, e);
      }
    };

  router.get(
    '/api/delegation',
    authenticated(async (_req, user, res) => {
      const view = await desk.loadDelegationView(user);
      res.set('Cache-Control', 'private, no-store').json(view);
    }),
  );

  router.post(
    '/api/delegation/refresh',
    authenticated(async (_req, user, res) => {
      desk.invalidate(user);
      res.status(204).end();
    }),
  );

  router.get(
    '/api/people/:id/photo',
    authenticated(async (req, user, res) => {
      const id = String(req.params.id);
      if (!isGuid(id)) return sendProblem(res, 400, 'badRequest', 'A person id is a GUID.');
      const photo = await desk.photo(user, id);
      if (!photo) return sendProblem(res, 404, 'noPhoto');
      res.set({ 'Content-Type': photo.contentType, 'Cache-Control': 'private, max-age=3600' }).end(photo.bytes);
    }),
  );
  return router;
}
