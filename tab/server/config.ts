/** The web server's own settings (the Graph module's come from shared/config), validated once at start-up. */
import { z } from 'zod/v4';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How the bot endpoint knows who is calling: Bot Framework auth in Teams, or the dev tenant locally. */
export type BotMode = { kind: 'botFramework'; appId: string; password: string } | { kind: 'devTenant'; configUrl: string };

export interface ServerConfig {
  port: number;
  /** Origin of the local Teams host allowed to frame the tab (local development only). */
  localHostOrigin?: string;
  /** Where people reach this server (consent pages are built on it). */
  publicOrigin: string;
  pollSeconds: number;
  /** Where the built tab is. */
  staticDir: string;
  bot: BotMode;
}

const schema = z.object({
  PORT: z.coerce.number({ error: 'PORT must be a port number' }).int().min(0).max(65535).default(3978),
  LOCAL_TEAMS_HOST_ORIGIN: z
    .string()
    .regex(/^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/, 'LOCAL_TEAMS_HOST_ORIGIN must be an http://localhost origin (local development only)')
    .optional(),
  TAB_STATIC_DIR: z.string().optional(),
  TAB_POLL_SECONDS: z.coerce.number({ error: 'TAB_POLL_SECONDS must be a number of seconds' }).min(1).max(3600).default(30),
  TAB_DOMAIN: z.string().regex(/^[a-z0-9.-]+(:\d+)?$/i, 'TAB_DOMAIN must be a host name such as delegatedesk.azurewebsites.net').optional(),
  APP_ID_URI: z.string().optional(),
  BOT_ID: z.string().regex(GUID, 'BOT_ID must be the bot registration\'s app id (a GUID)').optional(),
  BOT_PASSWORD: z.string().min(1).optional(),
  DEVTENANT_CONFIG_URL: z.string().url('DEVTENANT_CONFIG_URL must be the dev tenant\'s /devtenant/config URL').optional(),
});

/** Rules across variables, so every problem is named at once. */
function crossChecks(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  if (env.BOT_ID && !env.BOT_PASSWORD) problems.push('BOT_PASSWORD is missing: the bot registration needs its secret when BOT_ID is set');
  if (env.BOT_ID && env.DEVTENANT_CONFIG_URL) problems.push('DEVTENANT_CONFIG_URL (the dev identity) cannot be used while BOT_ID is set: remove one of them');
  if (env.DEVTENANT_CONFIG_URL && !env.LOCAL_TEAMS_HOST_ORIGIN) {
    problems.push('DEVTENANT_CONFIG_URL is for local development only: it needs LOCAL_TEAMS_HOST_ORIGIN (both set by `npm start`)');
  }
  if (env.DEVTENANT_CONFIG_URL && !/^https:\/\/(localhost|127\.0\.0\.1)(:\d+)?\//.test(env.DEVTENANT_CONFIG_URL)) {
    problems.push('DEVTENANT_CONFIG_URL must point at a dev tenant on this machine (https://localhost:…)');
  }
  if (!env.BOT_ID && !env.DEVTENANT_CONFIG_URL) {
    problems.push('BOT_ID is missing: set BOT_ID and BOT_PASSWORD (the bot registration), or run `npm start` for local development with the dev tenant');
  }
  // Whether TAB_DOMAIN or APP_ID_URI is set at all is shared/config's check; here, that a domain can be read from it.
  if (!env.LOCAL_TEAMS_HOST_ORIGIN && !env.TAB_DOMAIN && env.APP_ID_URI && !domainOf(env.APP_ID_URI)) {
    problems.push('APP_ID_URI must name the tab\'s domain (api://<domain>/botid-<client id>), or set TAB_DOMAIN');
  }
  return problems;
}

const domainOf = (appIdUri: string | undefined) => appIdUri?.match(/^api:\/\/([^/]+)\//)?.[1];

export function loadServerConfig(env: Record<string, string | undefined>, defaults: { staticDir: string }): ServerConfig {
  const parsed = schema.safeParse(env);
  const problems = [...(parsed.success ? [] : parsed.error.issues.map((i) => i.message)), ...crossChecks(env)];
  if (!parsed.success || problems.length) throw new Error(`The server is not configured correctly:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  const v = parsed.data;
  return {
    port: v.PORT,
    localHostOrigin: v.LOCAL_TEAMS_HOST_ORIGIN,
    publicOrigin: v.LOCAL_TEAMS_HOST_ORIGIN ? `http://localhost:${v.PORT}` : `https://${v.TAB_DOMAIN ?? domainOf(v.APP_ID_URI)}`,
    pollSeconds: v.TAB_POLL_SECONDS,
    staticDir: v.TAB_STATIC_DIR ?? defaults.staticDir,
    bot: v.BOT_ID ? { kind: 'botFramework', appId: v.BOT_ID, password: v.BOT_PASSWORD! } : { kind: 'devTenant', configUrl: v.DEVTENANT_CONFIG_URL! },
  };
}
