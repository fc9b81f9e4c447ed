/**
 * Who sent an activity, as a validated SSO user. In Teams: the SSO token the Teams client exchanged
 * (kept in user state). In local development only (no bot app id): a logged dev identity that maps the
 * activity's user to a dev tenant user and signs them in there.
 */
import type { TurnContext } from 'botbuilder';
import type { DelegateDesk, SsoUser } from '../../shared';

export interface IdentityResolver {
  readonly kind: 'sso' | 'dev';
  /** The user, or undefined when the bot must ask for sign-in. */
  resolve(context: TurnContext, storedToken: string | undefined): Promise<SsoUser | undefined>;
}

export function ssoIdentity(desk: DelegateDesk): IdentityResolver {
  return {
    kind: 'sso',
    async resolve(_context, storedToken) {
      if (!storedToken) return undefined;
      try {
        return await desk.validateSsoToken(storedToken);
      } catch {
        return undefined; // expired or invalid: sign in again
      }
    },
  };
}

export interface DevIdentityOptions {
  tokenUrl: string;
  clientId: string;
  scope: string;
  password: string;
  /** The dev tenant's users, to map Agents Playground or local chat users by id or name. */
  users: Array<{ id: string; userPrincipalName: string; displayName: string }>;
  fallbackUpn: string;
}

/** Local development only; refuses to exist when a bot app id is configured. */
export function devIdentity(desk: DelegateDesk, opts: DevIdentityOptions, botAppId: string | undefined): IdentityResolver {
  if (botAppId) throw new Error('The dev identity path cannot be enabled while a bot app id (BOT_ID) is configured.');
  console.warn('[bot] DEV IDENTITY IN USE: chat users are mapped to dev tenant users without Teams SSO. Local development only.');
  const tokens = new Map<string, { token: string; until: number }>();
  return {
    kind: 'dev',
    async resolve(context) {
      const from = context.activity.from ?? {};
      const byId = opts.users.find((u) => u.id.toLowerCase() === String(from.aadObjectId ?? '').toLowerCase());
      const byName = opts.users.find((u) => u.displayName.toLowerCase() === String(from.name ?? '').toLowerCase());
      const upn = (byId ?? byName)?.userPrincipalName ?? opts.fallbackUpn;
      const cached = tokens.get(upn);
      if (cached && cached.until > Date.now()) return desk.validateSsoToken(cached.token);
      const res = await fetch(opts.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'password', client_id: opts.clientId, username: upn, password: opts.password, scope: opts.scope }),
      });
      const body = (await res.json()) as { access_token?: string; expires_in?: number };
      if (!body.access_token) return undefined;
      tokens.set(upn, { token: body.access_token, until: Date.now() + ((body.expires_in ?? 3600) - 300) * 1000 });
      return desk.validateSsoToken(body.access_token);
    },
  };
}
