/**
 * The tab's watches: "Notify me in chat when available" on a person's card, the list, and stopping one.
 * The message itself comes from the bot, so a user the bot has no chat with is told how to add it
 * (a deep link to the bot's chat) instead of getting a watch that could never speak.
 */
import express, { Router, type Response } from 'express';
import { z } from 'zod';
import { isGuid, type DelegateDesk } from '../../shared';
import type { ApiError, WatchList, WatchResult } from '../../shared/api';
import { MAX_WATCHES_PER_USER, MAX_WATCH_MINUTES, watchView } from '../../shared/watch/watch';
import { WatchLimitError } from '../../shared/watch/watchStore';
import type { Watcher } from '../../shared/watch/watcher';
import { authenticated } from './tabApi';
import { MESSAGES, sendProblem } from './errors';

const body = z.object({
  personId: z.string().refine(isGuid, 'personId must be a person id (a GUID)'),
  condition: z.enum(['free', 'back']).default('free'),
  minutes: z.number().int().min(1).max(MAX_WATCH_MINUTES).optional(),
  // The browser's IANA zone, to end the default watch at 6 pm where the user is.
  timeZone: z.string().max(64).optional(),
});

/**
 * Teams' deep link to the chat with a bot (28:<bot id>): "Deep link to a chat with the application",
 * https://learn.microsoft.com/microsoftteams/platform/concepts/build-and-test/deep-link-application
 */
export const botChatUrl = (botId: string) => `https://teams.microsoft.com/l/chat/0/0?users=${encodeURIComponent(`28:${botId}`)}`;

function botNotInstalled(res: Response, botId: string): void {
  res.status(409).json({
    error: { code: 'botNotInstalled', message: MESSAGES.botNotInstalled, botChatUrl: botChatUrl(botId) },
  } satisfies ApiError);
}

export function watchRoutes(o: { desk: DelegateDesk; watcher: Watcher; botId: string }): Router {
  const router = Router();

  router.get(
    '/api/watches',
    authenticated(o.desk, async (_req, user, res) => {
      const watches = await o.watcher.list(user.oid);
      res
        .set('Cache-Control', 'private, no-store')
        .json({ watches: watches.map(watchView), limit: MAX_WATCHES_PER_USER } satisfies WatchList);
    }),
  );

  router.post(
    '/api/watches',
    express.json({ limit: '4kb' }),
    authenticated(o.desk, async (req, user, res) => {
      const parsed = body.safeParse(req.body);
      if (!parsed.success) return sendProblem(res, 400, 'badRequest', parsed.error.issues.map((i) => i.message).join('; '));
      const ask = parsed.data;
      const personId = ask.personId.toLowerCase();
      if (personId === user.oid.toLowerCase()) return sendProblem(res, 400, 'watchYourself');
      // The tab's cards are the user's own people: a watch from the tab is on one of them.
      const view = await o.desk.loadDelegationView(user);
      const entry = [...view.delegates, ...view.delegators].find((e) => e.person.id === personId);
      if (!entry) return sendProblem(res, 404, 'notFound', 'That person is not one of your delegates or the people you take calls for.');
      try {
        const r = await o.watcher.watch(user, {
          personId,
          displayName: entry.person.displayName,
          userPrincipalName: entry.person.userPrincipalName,
          condition: ask.condition,
          presence: entry.presence,
          minutes: ask.minutes,
          zone: ask.timeZone ? { timeZone: ask.timeZone } : undefined,
        });
        if (r.outcome === 'noConversation') return botNotInstalled(res, o.botId);
        if (r.outcome === 'yourself') return sendProblem(res, 400, 'watchYourself');
        if (r.outcome === 'alreadyMet')
          return void res.status(200).json({ outcome: 'alreadyMet', presence: r.presence } satisfies WatchResult);
        res.status(201).json({ outcome: 'watching', watch: watchView(r.watch) } satisfies WatchResult);
      } catch (e) {
        if (e instanceof WatchLimitError) return sendProblem(res, 409, 'watchLimit');
        throw e;
      }
    }),
  );

  router.delete(
    '/api/watches/:personId',
    authenticated(o.desk, async (req, user, res) => {
      const personId = String(req.params.personId);
      if (!isGuid(personId)) return sendProblem(res, 400, 'badRequest', 'A person id is a GUID.');
      const gone = await o.watcher.cancel(user.oid, personId);
      if (gone.length === 0) return sendProblem(res, 404, 'notFound', 'You are not waiting for that person.');
      res.status(204).end();
    }),
  );
  return router;
}
