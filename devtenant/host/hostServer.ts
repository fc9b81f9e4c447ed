/**
 * The local Teams host: a page that plays Teams for the tab (teams-js postMessage protocol) with a
 * user picker and a theme switcher. Served over plain HTTP on loopback, which browsers treat as a
 * secure context, so a person opens it without a certificate warning.
 */
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { z } from 'zod/v4';
import type { DevTenantContext } from '../context';
import { handleTokenRequest, EntraError } from '../identity/tokenEndpoint';
import { appIdUri } from '../identity/tokens';
import { TEAMS_CLIENT_IDS } from '../identity/constants';
import { hostPage } from './page';
import { identityRoutes } from '../identity/routes';
import { chatRoutes } from './chat';

const publicDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'public');
// Resolved as packages of this workspace (devtenant/package.json), wherever npm installed them: hoisted
// to the root's node_modules or, when another package needs another version, in devtenant/node_modules.
const packageDir = (name: string) => path.dirname(createRequire(import.meta.url).resolve(`${name}/package.json`));
const adaptiveCardsUmd = path.join(packageDir('adaptivecards'), 'dist');
const teamsJsUmd = path.join(packageDir('@microsoft/teams-js'), 'dist', 'umd');
const TEAMS_WEB_CLIENT_ID = Object.keys(TEAMS_CLIENT_IDS)[1]!;

export interface HostEvent {
  at: string;
  type: 'startCall' | 'deepLink' | 'authenticate' | 'getAuthToken' | 'appLoaded' | 'appInitialized' | 'failure';
  user: string;
  detail: Record<string, unknown>;
}

export interface LocalTeamsHostOptions {
  port?: number;
  host?: string;
  /** The tab's content URL (the product server), framed by the host. */
  tabUrl: string;
  /** The bot endpoint the chat pane talks to; default: the tab's origin + /api/messages. */
  botUrl?: string;
  /** UPN of the user signed in when the page opens. */
  defaultUser?: string;
}

export interface LocalTeamsHost {
  origin: string;
  events: HostEvent[];
  close(): Promise<void>;
}

const tokenBody = z.object({ user: z.string().min(1), claims: z.array(z.string()).optional(), silent: z.boolean().optional() });
const eventBody = z.object({
  type: z.enum(['startCall', 'deepLink', 'authenticate', 'getAuthToken', 'appLoaded', 'appInitialized', 'failure']),
  user: z.string(),
  detail: z.record(z.string(), z.unknown()).default({}),
});

export async function startLocalTeamsHost(ctx: DevTenantContext, options: LocalTeamsHostOptions): Promise<LocalTeamsHost> {
  const events: HostEvent[] = [];
  /** Claims each user's step-up was satisfied with. */
  const steppedUp = new Map<string, string>();
  /**
   * SSO tokens already handed out, per user and claims: Teams caches the token getAuthToken returns and
   * hands it out again until it expires (learn.microsoft.com microsoftteams/platform/tabs/how-to/authentication/
   * tab-sso-code). The minute of margin before expiry is this host's choice (the docs name none).
   */
  const issued = new Map<string, { token: string; expiresAt: number }>();
  const ssoTokenFor = async (user: { id: string; userPrincipalName: string }, claims: string | undefined): Promise<string> => {
    const key = `${user.id}\n${claims ?? ''}`;
    const now = ctx.tenant.clock.now();
    const known = issued.get(key);
    if (known && known.expiresAt - 60_000 > now) return known.token;
    const body = await handleTokenRequest(
      ctx,
      {
        grant_type: 'password',
        client_id: TEAMS_WEB_CLIENT_ID,
        username: user.userPrincipalName,
        password: ctx.tenant.userPassword,
        scope: `${appIdUri(ctx.tenant)}/access_as_user`,
        ...(claims ? { claims } : {}),
      },
      undefined,
    );
    issued.set(key, { token: body.access_token, expiresAt: now + body.expires_in * 1000 });
    return body.access_token;
  };
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '256kb' }));

  app.get('/', (req, res) => {
    const t = ctx.tenant;
    const users = t.listUsers().map((u) => ({ id: u.id, upn: u.userPrincipalName, name: u.displayName }));
    const requested = typeof req.query.user === 'string' ? t.findUser(req.query.user)?.userPrincipalName : undefined;
    const theme = ['default', 'dark', 'contrast'].includes(String(req.query.theme)) ? String(req.query.theme) : 'default';
    res
      .type('html')
      .set('Cache-Control', 'no-store')
      .send(
        hostPage({
          tenantName: t.displayName,
          tenantId: t.id,
          clientId: t.app.clientId,
          tabUrl: options.tabUrl,
          authorityOrigin: ctx.origin(),
          users,
          user: requested ?? options.defaultUser ?? users[0]?.upn ?? '',
          theme,
        }),
      );
  });
  app.use('/static', express.static(publicDir, { fallthrough: false }));
  // teams-js for pages that need it in a test without a bundler (the real tab bundles its own copy).
  app.use('/lib/teams-js', express.static(teamsJsUmd, { fallthrough: false }));
  app.use('/lib/adaptivecards', express.static(adaptiveCardsUmd, { fallthrough: false }));

  /**
   * The SSO token Teams would hand the tab for the picked user. Silent requests for a user who has
   * not consented fail with resourceRequiresConsent, as Teams does.
   */
  app.post('/api/token', async (req, res) => {
    const parsed = tokenBody.safeParse(req.body);
    if (!parsed.success) return void res.status(400).json({ error: 'invalidRequest' });
    const user = ctx.tenant.findUser(parsed.data.user);
    if (!user) return void res.status(404).json({ error: 'unknownUser' });
    if (parsed.data.silent && ctx.tenant.consentedScopes(user.id).size === 0)
      return void res.status(403).json({ error: 'resourceRequiresConsent' });
    try {
      // Teams keeps the token a step-up (MFA) produced and hands it out again; so does this host, by
      // asking with the same claims until the page is reloaded for another user.
      const asked = parsed.data.claims?.find((c) => c.trim().startsWith('{'));
      if (asked) steppedUp.set(user.id, asked);
      const token = await ssoTokenFor(user, asked ?? steppedUp.get(user.id));
      res.set('Cache-Control', 'no-store').json({ token });
    } catch (e) {
      res.status(400).json({ error: e instanceof EntraError ? e.body.error_description.split('\r\n')[0] : 'unknownAuthError' });
    }
  });

  app.post('/api/events', (req, res) => {
    const parsed = eventBody.safeParse(req.body);
    if (!parsed.success) return void res.status(400).json({ error: 'invalidEvent' });
    events.push({ at: new Date().toISOString(), ...parsed.data });
    if (events.length > 500) events.splice(0, events.length - 500);
    res.status(204).end();
  });
  app.get('/api/events', (_req, res) => void res.json({ value: events }));
  app.delete('/api/events', (_req, res) => {
    events.length = 0;
    res.status(204).end();
  });

  let origin = '';
  app.use(
    chatRoutes(ctx, {
      botUrl: options.botUrl ?? `${new URL(options.tabUrl).origin}/api/messages`,
      origin: () => origin,
      // After a step-up in the sign-in window, Teams' token for the bot carries it too.
      onSignedIn: (user, claims) => void (claims && steppedUp.set(user.id, claims)),
      ssoToken: (user) => ssoTokenFor(user, steppedUp.get(user.id)).catch(() => undefined),
    }),
  );

  // The sign-in and consent pages again, over plain http: the host opens them here instead of on the
  // dev tenant's HTTPS origin so a person sees no certificate warning in the popup.
  app.use(identityRoutes(ctx));

  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    events,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
