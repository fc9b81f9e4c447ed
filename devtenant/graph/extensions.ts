/** Graph features with their own lifecycle (timers, outbound callbacks): subscriptions, calls, meetings. */
import type { Router } from 'express';
import { z } from 'zod/v4';
import type { DevTenantContext } from '../context';
import type { GraphRoute } from './core';
import { SubscriptionService } from './routes/subscriptions';
import { CallService } from './routes/calls';
import { meetingRoutes } from './routes/meetings';

export interface GraphExtensions {
  routes: GraphRoute[];
  mountAdmin: (r: Router) => void;
  start(): void;
  stop(): void;
}

const lifecycleBody = z.object({ lifecycleEvent: z.enum(['reauthorizationRequired', 'subscriptionRemoved', 'missed']) });

export function graphExtensions(ctx: DevTenantContext, opts: { callAnswerAfterMs?: number } = {}): GraphExtensions {
  const subscriptions = new SubscriptionService(ctx);
  const calls = new CallService(ctx, opts.callAnswerAfterMs);
  return {
    routes: [...subscriptions.routes(), ...calls.routes(), ...meetingRoutes(ctx)],
    mountAdmin: (r) => {
      r.get('/subscriptions', (_req, res) => {
        res.json({
          value: [...subscriptions.subscriptions.values()].map((s) => ({
            id: s.id,
            resource: s.resource,
            userIds: s.userIds,
            creatorId: s.creatorId,
            applicationId: s.applicationId,
            expirationDateTime: s.expirationDateTime,
            includeResourceData: s.includeResourceData,
            paused: s.paused,
            deliveries: s.deliveries,
          })),
        });
      });
      r.post('/subscriptions/:id/lifecycle', async (req, res) => {
        const parsed = lifecycleBody.safeParse(req.body);
        if (!parsed.success)
          return void res
            .status(400)
            .json({ error: { code: 'invalid', message: 'lifecycleEvent must be reauthorizationRequired, subscriptionRemoved or missed' } });
        const delivered = await subscriptions.lifecycle(String(req.params.id), parsed.data.lifecycleEvent);
        res.status(delivered ? 202 : 404).json({ delivered });
      });
      r.get('/calls', (_req, res) => {
        res.json({
          value: [...calls.calls.values()].map((c) => ({
            id: c.id,
            state: c.state,
            targets: c.targets,
            createdDateTime: c.createdDateTime,
            resultInfo: c.resultInfo ?? null,
          })),
        });
      });
    },
    start: () => subscriptions.start(),
    stop: () => {
      subscriptions.stop();
      calls.stop();
    },
  };
}
