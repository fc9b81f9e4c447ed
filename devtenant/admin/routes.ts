/**
 * The dev tenant's admin API under /devtenant/: configuration for clients, and levers for tests and
 * demos (presence, delegations, consent, faults, clock, counters, test tokens). Loopback only.
 */
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod/v4';
import type { DevTenantContext } from '../context';
import { TenantError } from '../tenant/tenant';
import { presenceSeedSchema, allowedActionNames } from '../tenant/seedTypes';
import { appIdUri, mintAppToken, mintGraphToken } from '../identity/tokens';
import { KeySet } from '../identity/keys';
import { TEAMS_CLIENT_IDS } from '../identity/constants';
import { faultConfigSchema } from '../faults/faults';
import { notificationSettingsSchema } from '../graph/notifications';

export interface AdminExtras {
  caPath: string;
  /** Extra sections other modules add to /devtenant/config and routes they mount (calls, subscriptions). */
  mount?: (r: Router) => void;
}

function fail(res: Response, status: number, code: string, message: string) {
  res.status(status).json({ error: { code, message } });
}

function handle(res: Response, e: unknown) {
  if (e instanceof TenantError) return fail(res, e.kind === 'notFound' ? 404 : e.kind === 'conflict' ? 409 : 400, e.kind, e.message);
  if (e instanceof z.ZodError)
    return fail(res, 400, 'invalid', e.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  console.error(`[devtenant] admin: ${(e as Error).stack ?? e}`);
  return fail(res, 500, 'internal', (e as Error).message);
}

const wrap = (fn: (req: Request, res: Response) => unknown) => async (req: Request, res: Response) => {
  try {
    await fn(req, res);
  } catch (e) {
    handle(res, e);
  }
};

export function config(ctx: DevTenantContext, caPath: string) {
  const origin = ctx.origin();
  const t = ctx.tenant;
  return {
    tenantId: t.id,
    tenantName: t.displayName,
    tenantDomain: t.domain,
    clientId: t.app.clientId,
    clientSecret: t.app.clientSecret,
    appIdUri: appIdUri(t),
    accessTokenAcceptedVersion: t.app.accessTokenAcceptedVersion,
    delegatedScopes: t.app.delegatedScopes,
    authorityHost: origin,
    authority: `${origin}/${t.id}`,
    graphBaseUrl: `${origin}/v1.0`,
    graphBetaBaseUrl: `${origin}/beta`,
    caCertificatePath: caPath,
    userPassword: t.userPassword,
    teamsClientIds: Object.keys(TEAMS_CLIENT_IDS),
    users: t.listUsers().map((u) => ({ id: u.id, userPrincipalName: u.userPrincipalName, displayName: u.displayName })),
  };
}

const presenceBody = presenceSeedSchema;
const delegationBody = z.object({
  delegator: z.string().min(1),
  delegate: z.string().min(1),
  isActive: z.boolean().optional(),
  allowedActions: z
    .object(Object.fromEntries(allowedActionNames.map((a) => [a, z.boolean().optional()])))
    .partial()
    .optional(),
});
const tokenBody = z.object({
  user: z.string().min(1),
  /** 'app': a Teams SSO token for our app; 'graph': a Graph token as on-behalf-of would give. */
  kind: z.enum(['app', 'graph']).default('app'),
  clientId: z.string().optional(),
  scopes: z.array(z.string()).optional(),
  lifetimeSeconds: z.number().int().optional(),
  claims: z.record(z.string(), z.unknown()).optional(),
  /** Sign with a key the tenant does not publish (bad signature). */
  foreignKey: z.boolean().optional(),
});
const clockBody = z.object({
  set: z.string().datetime({ offset: true }).optional(),
  advanceSeconds: z.number().optional(),
  release: z.boolean().optional(),
});

export function adminRoutes(ctx: DevTenantContext, extras: AdminExtras): Router {
  const r = express.Router();
  r.use(express.json({ limit: '1mb' }));
  const t = ctx.tenant;

  r.get('/config', (_req, res) => void res.json(config(ctx, extras.caPath)));

  r.get(
    '/users/:user/presence',
    wrap((req, res) => {
      const u = t.requireUser(String(req.params.user));
      res.json(t.effectivePresence(u.id));
    }),
  );
  r.put(
    '/users/:user/presence',
    wrap((req, res) => {
      const u = t.requireUser(String(req.params.user));
      const p = presenceBody.parse(req.body);
      t.setOverride(u.id, {
        availability: p.availability,
        activity: p.activity,
        workLocation: p.workLocation ?? 'unspecified',
        statusMessage: p.statusMessage,
        outOfOfficeMessage: p.outOfOfficeMessage,
      });
      res.json(t.effectivePresence(u.id));
    }),
  );
  r.delete(
    '/users/:user/presence',
    wrap((req, res) => {
      const u = t.requireUser(String(req.params.user));
      t.setOverride(u.id, undefined);
      res.json(t.effectivePresence(u.id));
    }),
  );

  r.get(
    '/users/:user/consent',
    wrap((req, res) => {
      const u = t.requireUser(String(req.params.user));
      res.json({ scopes: [...t.consentedScopes(u.id)] });
    }),
  );
  r.put(
    '/users/:user/consent',
    wrap((req, res) => {
      const u = t.requireUser(String(req.params.user));
      const scopes = z.object({ scopes: z.array(z.string()).optional() }).parse(req.body ?? {}).scopes;
      t.grantConsent(u.id, scopes);
      res.json({ scopes: [...t.consentedScopes(u.id)] });
    }),
  );
  r.delete(
    '/users/:user/consent',
    wrap((req, res) => {
      const u = t.requireUser(String(req.params.user));
      t.revokeConsent(u.id);
      res.status(204).end();
    }),
  );

  r.get('/delegations', (_req, res) => {
    const all = t.listUsers().flatMap((u) => t.delegatesOf(u.id));
    res.json({ value: all });
  });
  r.post(
    '/delegations',
    wrap((req, res) => {
      const d = delegationBody.parse(req.body);
      res.status(201).json(t.addDelegation(d));
    }),
  );
  r.delete(
    '/delegations/:delegator/:delegate',
    wrap((req, res) => {
      t.removeDelegation(String(req.params.delegator), String(req.params.delegate));
      res.status(204).end();
    }),
  );

  r.get('/faults', (_req, res) => void res.json(ctx.faults.get()));
  r.put(
    '/faults',
    wrap((req, res) => void res.json(ctx.faults.set(faultConfigSchema.parse(req.body ?? {})))),
  );
  r.delete('/faults', (_req, res) => {
    ctx.faults.reset();
    res.status(204).end();
  });

  // Change notification delivery { delayMs, jitterMs, attempts, backoffMs, timeoutMs }: PUT replaces (omitted = default), DELETE restores the start options.
  r.get('/notifications', (_req, res) => void res.json(ctx.notifications.get()));
  r.put(
    '/notifications',
    wrap((req, res) => void res.json(ctx.notifications.set(notificationSettingsSchema.parse(req.body ?? {})))),
  );
  r.delete('/notifications', (_req, res) => {
    ctx.notifications.reset();
    res.status(204).end();
  });

  r.get(
    '/counters',
    (_req, res) =>
      void res.json({
        total: ctx.counters.total(),
        graph: ctx.counters.total('graph '),
        token: ctx.counters.total('token '),
        counters: ctx.counters.snapshot(),
      }),
  );
  r.delete('/counters', (_req, res) => {
    ctx.counters.reset();
    res.status(204).end();
  });

  r.get('/clock', (_req, res) => void res.json({ now: new Date(t.clock.now()).toISOString(), fixed: t.clock.isFixed }));
  r.post(
    '/clock',
    wrap((req, res) => {
      const b = clockBody.parse(req.body ?? {});
      if (b.release) t.clock.release();
      if (b.set) t.clock.set(new Date(b.set));
      if (b.advanceSeconds) t.clock.advance(b.advanceSeconds * 1000);
      for (const u of t.listUsers()) t.emit('presenceChanged', u.id);
      res.json({ now: new Date(t.clock.now()).toISOString(), fixed: t.clock.isFixed });
    }),
  );

  r.post(
    '/tokens',
    wrap(async (req, res) => {
      const b = tokenBody.parse(req.body);
      const user = t.requireUser(b.user);
      const keys = b.foreignKey ? await KeySet.forged(ctx.keys.active.kid) : ctx.keys;
      const opts = { lifetimeSeconds: b.lifetimeSeconds, claims: b.claims as Record<string, unknown> | undefined };
      const token =
        b.kind === 'app'
          ? await mintAppToken(keys, t, user, b.clientId ?? '5e3ce6c0-2b1f-4285-8d4b-75ee78787346', opts)
          : (await mintGraphToken(keys, t, { user, scopes: b.scopes ?? t.app.delegatedScopes, appId: b.clientId ?? t.app.clientId }, opts))
              .token;
      res.json({ token });
    }),
  );

  extras.mount?.(r);
  return r;
}
