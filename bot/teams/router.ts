/** The express route Bot Framework posts activities to; it runs a turn's after-work once its answer is sent. */
import express, { type Router } from 'express';
import type { Application, TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import { workAfterTurn } from './afterTurn';

export function botRouter<TState extends TurnState>(adapter: TeamsAdapter, app: Application<TState>): Router {
  const router = express.Router();
  router.post('/', express.json({ limit: '1mb' }), async (req, res) => {
    if (!req.body || typeof req.body !== 'object' || typeof req.body.type !== 'string') {
      res.status(400).json({ error: { code: 'badRequest', message: 'The body is not a Bot Framework activity.' } });
      return;
    }
    let after: (() => Promise<void>) | undefined;
    await adapter.process(req, res, async (context) => {
      await app.run(context);
      after = workAfterTurn(context);
    });
    if (after) void after().catch((e: unknown) => console.error(`[bot] answering after sign-in failed: ${(e as Error)?.stack ?? e}`));
  });
  return router;
}
