/**
 * The express route Bot Framework posts activities to. The activity's shape is checked first; then the
 * adapter authenticates it and runs the turn, and the turn's after-work runs once its answer is sent.
 * Authentication failures are 401 with a short reason (CloudAdapter.process answers 500 with the
 * library's message for the jsonwebtoken errors a forged token raises).
 */
import express, { type Response, type Router } from 'express';
import type { Application, TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import { ActivityTypes, DeliveryModes, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';
import { checkActivity, type ServiceUrlPolicy } from './activity';
import { workAfterTurn } from './afterTurn';

/** A few words on why a token was refused, by the error botframework-connector or jsonwebtoken raised. */
const REFUSALS: Array<[RegExp, string]> = [
  [/expired/i, 'the token has expired'],
  [/not active|nbf/i, 'the token is not valid yet'],
  [/signature|signing key|kid/i, 'the token signature is not valid'],
  [/malformed|invalid token|jwt must be/i, 'the token is malformed'],
  [/algorithm/i, 'the token algorithm is not accepted'],
  [/audience|issuer|appid|endorse|channel/i, 'the token was not issued for this bot'],
  [/authorization header|unauthorized access|request is not authorized/i, 'no Bot Framework token was sent'],
];
const refusal = (e: unknown) => REFUSALS.find(([re]) => re.test(String((e as Error)?.message ?? e)))?.[1] ?? 'the token was refused';

/**
 * CloudAdapter.processActivity is what CloudAdapter.process calls after parsing the request; it is
 * protected in the typings only. We call it ourselves to answer authentication failures and errors.
 */
type ActivityProcessor = {
  processActivity(
    authHeader: string,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined>;
};

const problem = (res: Response, status: number, code: string, message: string) =>
  void res.status(status).json({ error: { code, message } });

export function botRouter<TState extends TurnState>(
  adapter: TeamsAdapter,
  app: Application<TState>,
  opts: { serviceUrls: ServiceUrlPolicy; authenticated: boolean },
): Router {
  const router = express.Router();
  router.post('/', express.json({ limit: '1mb' }), async (req, res) => {
    const checked = checkActivity(req.body, opts.serviceUrls);
    if (!checked.ok) return problem(res, 400, 'badRequest', checked.reason);
    const authHeader = typeof req.headers.authorization === 'string' ? req.headers.authorization : '';
    let turnStarted = false;
    let after: (() => Promise<void>) | undefined;
    try {
      const invokeResponse = await (adapter as unknown as ActivityProcessor).processActivity(
        authHeader,
        checked.activity,
        async (context) => {
          turnStarted = true;
          // Replies asked for in the response arrive all at once: teams-ai's typing indicator (sent when a
          // turn takes over a second) would only stand in front of the answer there.
          if (context.activity.deliveryMode === DeliveryModes.ExpectReplies)
            context.onSendActivities(async (_ctx, activities, next) => {
              for (let i = activities.length - 1; i >= 0; i--) if (activities[i]!.type === ActivityTypes.Typing) activities.splice(i, 1);
              return next();
            });
          await app.run(context);
          after = workAfterTurn(context);
        },
      );
      res.status(invokeResponse?.status ?? 200);
      if (invokeResponse?.body !== undefined) res.json(invokeResponse.body);
      else res.end();
    } catch (e) {
      if (!turnStarted && opts.authenticated) {
        const reason = refusal(e);
        console.warn(`[bot] refused an activity: ${reason}`);
        res
          .set('WWW-Authenticate', 'Bearer')
          .status(401)
          .json({ error: { code: 'unauthorized', message: `Bot Framework authentication failed: ${reason}.` } });
        return;
      }
      console.error(`[bot] turn failed: ${(e as Error)?.stack ?? e}`);
      if (!res.headersSent) problem(res, 500, 'internal', 'Something went wrong on our side.');
      return;
    }
    if (after) void after().catch((e: unknown) => console.error(`[bot] answering after sign-in failed: ${(e as Error)?.stack ?? e}`));
  });
  return router;
}
