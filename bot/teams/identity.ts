/**
 * Who sent an activity, as a validated SSO user. In Teams: the SSO token the Teams client exchanged
 * (kept in user state). In local development only (no bot app id): a logged dev identity that maps the
 * activity's user to a dev tenant user and signs them in there.
 */
import type { TurnContext } from 'botbuilder';
import type { DelegateDesk, SsoUser } from '../../shared';

export interface IdentityResolver {
  /** The user, or undefined when the bot must ask for sign-in. */
  resolve(context: TurnContext, storedToken: string | undefined): Promise<SsoUser | undefined>;
  /** The answer met a claims challenge (MFA): these claims are asked for in the sign-in window. */
  stepUp?(context: TurnContext, claims: string): void;
  /** The sign-in window reported success (signin/verifyState): a step-up asked for is done. */
  verified?(context: TurnContext): void;
}

export function ssoIdentity(desk: DelegateDesk): IdentityResolver {
  return {
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

/**
 * What the dev tenant says about itself at DEVTENANT_CONFIG_URL (its /devtenant/config), as the dev
 * identity needs it: the first user is the one an unknown chat user is signed in as.
 */
export async function devIdentityOptionsFrom(configUrl: string): Promise<DevIdentityOptions> {
  const res = await fetch(configUrl);
  if (!res.ok) throw new Error(`The dev tenant's configuration (${configUrl}) answered ${res.status}.`);
  const dev = (await res.json()) as {
    authority: string;
    appIdUri: string;
    userPassword: string;
    teamsClientIds: string[];
    users: DevIdentityOptions['users'];
  };
  return {
    tokenUrl: `${dev.authority}/oauth2/v2.0/token`,
    clientId: dev.teamsClientIds[1]!,
    scope: `${dev.appIdUri}/access_as_user`,
    password: dev.userPassword,
    users: dev.users.map(({ id, userPrincipalName, displayName }) => ({ id, userPrincipalName, displayName })),
    fallbackUpn: dev.users[0]!.userPrincipalName,
  };
}

/** Local development only: the configuration refuses the dev tenant mode while a bot app id (BOT_ID) is set. */
export function devIdentity(desk: DelegateDesk, opts: DevIdentityOptions): IdentityResolver {
  console.warn('[bot] DEV IDENTITY IN USE: chat users are mapped to dev tenant users without Teams SSO. Local development only.');
  const tokens = new Map<string, { token: string; until: number }>();
  // A step-up asked for (claims, by user) and, once the sign-in window reports success, kept for that
  // user's later tokens, as Teams keeps a stepped-up token.
  const asked = new Map<string, string>();
  const steppedUp = new Map<string, string>();
  const upnOf = (context: TurnContext) => {
    const from = context.activity.from ?? {};
    const byId = opts.users.find((u) => u.id.toLowerCase() === String(from.aadObjectId ?? '').toLowerCase());
    const byName = opts.users.find((u) => u.displayName.toLowerCase() === String(from.name ?? '').toLowerCase());
    return (byId ?? byName)?.userPrincipalName ?? opts.fallbackUpn;
  };
  return {
    stepUp: (context, claims) => void asked.set(upnOf(context), claims),
    verified(context) {
      const upn = upnOf(context);
      const claims = asked.get(upn);
      if (!claims) return;
      asked.delete(upn);
      steppedUp.set(upn, claims);
      tokens.delete(upn);
    },
    async resolve(context) {
      const upn = upnOf(context);
      const cached = tokens.get(upn);
      if (cached && cached.until > Date.now()) return desk.validateSsoToken(cached.token);
      const res = await fetch(opts.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'password',
          client_id: opts.clientId,
          username: upn,
          password: opts.password,
          scope: opts.scope,
          ...(steppedUp.has(upn) ? { claims: steppedUp.get(upn)! } : {}),
        }),
      });
      const body = (await res.json()) as { access_token?: string; expires_in?: number };
      if (!body.access_token) return undefined;
      tokens.set(upn, { token: body.access_token, until: Date.now() + ((body.expires_in ?? 3600) - 300) * 1000 });
      return desk.validateSsoToken(body.access_token);
    },
  };
}
