/** The Teams host, behind a small interface so components can be tested without it. */
import { app, authentication, call } from '@microsoft/teams-js';

export type TeamsTheme = 'default' | 'dark' | 'contrast';

export interface TeamsHost {
  theme: TeamsTheme;
  loginHint: string;
  onThemeChange(handler: (theme: TeamsTheme) => void): void;
  getToken(claims?: string): Promise<string>;
  authenticate(url: string): Promise<string>;
  startCall(upn: string, video: boolean): Promise<void>;
  openChat(upn: string): Promise<void>;
  /** Opens a Teams deep link (the Calls app, the bot's chat). */
  openLink(url: string): Promise<void>;
  tenantId: string;
}

export const callDeepLink = (upn: string, video: boolean) =>
  `https://teams.microsoft.com/l/call/0/0?users=${encodeURIComponent(upn)}${video ? '&withVideo=true' : ''}&source=delegatedesk`;
export const chatDeepLink = (upn: string) => `https://teams.microsoft.com/l/chat/0/0?users=${encodeURIComponent(upn)}`;

/**
 * Teams' own Calls app: Graph cannot call on behalf of an executive, pick up their held call or list their
 * calls, so the tab takes the delegate to where Teams does it. Format "https://teams.microsoft.com/l/app/<app
 * id>?tenantId=<tenant id>" from https://learn.microsoft.com/microsoftteams/platform/concepts/build-and-test/deep-link-application
 * ("Deep link to open application install dialog": for an installed app it opens the app). The id is the
 * built-in Calling app's, the same in every tenant (the one Teams app setup policies pin as "Calls").
 */
export const CALLS_APP_ID = '20c3440d-c67e-4420-9f80-0e50c39693df';
export const callsAppDeepLink = (tenantId: string) =>
  `https://teams.microsoft.com/l/app/${CALLS_APP_ID}${tenantId ? `?tenantId=${encodeURIComponent(tenantId)}` : ''}`;

const asTheme = (t: string | undefined): TeamsTheme => (t === 'dark' || t === 'contrast' ? t : 'default');

/**
 * Connects to Teams and asks for the SSO token as soon as teams-js is initialised, beside the context
 * rather than after it: the token is what the first load waits on. Both reject when the page is not
 * inside Teams (or the local host).
 */
export function startTeams(validOrigins?: string[]): { host: Promise<TeamsHost>; token: Promise<string> } {
  const initialized = (async () => {
    if (window.parent === window && !window.opener) throw new Error('notInTeams');
    await app.initialize(validOrigins);
  })();
  const token = initialized.then(() => authentication.getAuthToken());
  const host = initialized.then(async () => {
    const context = await app.getContext();
    app.notifySuccess();
    return hostFor(context);
  });
  return { host, token };
}

function hostFor(context: app.Context): TeamsHost {
  return {
    theme: asTheme(context.app.theme),
    loginHint: context.user?.loginHint ?? context.user?.userPrincipalName ?? '',
    onThemeChange: (handler) => app.registerOnThemeChangeHandler((t) => handler(asTheme(t))),
    getToken: (claims) => authentication.getAuthToken(claims ? { claims: [claims] } : undefined),
    authenticate: (url) => authentication.authenticate({ url, width: 600, height: 600 }),
    async startCall(upn, video) {
      if (call.isSupported()) {
        await call.startCall({
          targets: [upn],
          requestedModalities: [video ? call.CallModalities.Video : call.CallModalities.Audio],
          source: 'delegatedesk',
        });
      } else {
        await app.openLink(callDeepLink(upn, video));
      }
    },
    openChat: (upn) => app.openLink(chatDeepLink(upn)),
    openLink: (url) => app.openLink(url),
    tenantId: context.user?.tenant?.id ?? '',
  };
}
