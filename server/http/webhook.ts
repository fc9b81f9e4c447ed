/**
 * Graph's change notification webhook: the validation handshake (the token echoed as text/plain within
 * 10 s), then every delivery acknowledged with 202 before any work (Graph wants an answer within 3 s
 * and slows or drops endpoints that answer late), and processed in order, one at a time, after it.
 * A body that cannot be read is 400; what fails a check after that is logged, not answered (a sender
 * learns nothing from the answer).
 */
import express, { Router, type Request, type Response } from 'express';
import type { ChangeNotification, LifecycleNotification, ParseResult } from '../../shared/live/notifications';
import { parseChangeNotifications, parseLifecycleNotifications } from '../../shared/live/notifications';
import type { PresenceFeed } from '../../shared/live/presenceFeed';
import { sendProblem } from './errors';

export const NOTIFICATIONS_PATH = '/api/notifications';
export const LIFECYCLE_PATH = '/api/notifications/lifecycle';

/** Work after the answer, one delivery at a time, so their order is kept. */
function serialQueue() {
  let tail: Promise<void> = Promise.resolve();
  return (work: () => Promise<void>) => {
    tail = tail.then(work).catch((e: unknown) => console.error(`[live] processing notifications failed: ${(e as Error)?.stack ?? e}`));
  };
}

function handshake(req: Request, res: Response): boolean {
  const token = req.query.validationToken;
  if (token === undefined) return false;
  if (typeof token !== 'string' || token.length === 0 || token.length > 2048) {
    sendProblem(res, 400, 'badRequest', 'The validation token is not readable.');
    return true;
  }
  res.status(200).type('text/plain').send(token);
  return true;
}

export function webhookRoutes(feed: PresenceFeed): Router {
  const router = Router();
  const enqueue = serialQueue();
  // Up to 1,000 encrypted items in one delivery.
  const body = express.json({ limit: '4mb' });

  function route<T>(
    path: string,
    parse: (b: unknown) => ParseResult<{ value: T[]; validationTokens?: string[] }>,
    work: (value: T[], tokens: string[]) => Promise<unknown>,
  ) {
    router.post(
      path,
      (req, res, next) => (handshake(req, res) ? undefined : body(req, res, next)),
      (req, res) => {
        const parsed = parse(req.body);
        if (!parsed.ok) return sendProblem(res, 400, 'badRequest', `The notification could not be read (${parsed.reason}).`);
        res.status(202).end();
        enqueue(async () => void (await work(parsed.value, parsed.validationTokens ?? [])));
      },
    );
  }

  route<ChangeNotification>(NOTIFICATIONS_PATH, parseChangeNotifications, (value, tokens) => feed.changes(value, tokens));
  route<LifecycleNotification>(LIFECYCLE_PATH, parseLifecycleNotifications, (value) => feed.lifecycle(value));
  return router;
}
