/**
 * The one configuration schema: every setting of the product, read from the environment and validated
 * once at start-up, naming every problem at once. The Graph module, the web server and the bot get
 * their parts of it from here.
 */
import { hostname } from 'node:os';
import { z } from 'zod/v4';
import { TEAMS_SSO_CLIENT_IDS, type DelegateDeskConfig } from '../shared';
import { GUID } from '../shared/domain/guid';
import { isRedisUrl } from '../shared/store/redisStore';

/** How the bot endpoint knows who is calling: Bot Framework auth in Teams, or the dev tenant locally. */
export type BotMode = { kind: 'botFramework'; appId: string; password: string } | { kind: 'devTenant'; configUrl: string };

export interface ServerSettings {
  port: number;
  /**
   * The interface to listen on: loopback only in local development, where the dev identity signs chat
   * users in without SSO (anyone who could reach the port could act as any dev tenant user); every
   * interface otherwise (App Service's front end connects from outside the process's host).
   */
  listenHost: '127.0.0.1' | undefined;
  /** Origin of the local Teams host allowed to frame the tab (local development only). */
  localHostOrigin?: string;
  /** Where people reach this server (consent pages are built on it). */
  publicOrigin: string;
  pollSeconds: number;
  /** Where the built tab is. */
  staticDir: string;
  /** This instance's name, in every response's X-Served-By (which instance answered, behind a load balancer). */
  instanceName: string;
}

/**
 * Where shared state lives: one process's memory, or Redis (REDIS_URL) shared by every instance.
 * `tokenCache`: 'partitioned' (the default) a cache partition per user (msal-node's distributed-cache
 * pattern) in the store, the only mode on Redis: an exchange costs the same however many users are cached;
 * 'process' one MSAL client with one in-memory cache for everyone, whose cost grows with its users.
 */
export type StorageSettings =
  { kind: 'memory'; tokenCache: 'process' | 'partitioned' } | { kind: 'redis'; url: string; tokenCache: 'partitioned' };

/** Live presence (Graph change notifications): the certificate Graph encrypts presence with. Absent: the tab polls. */
export interface LiveSettings {
  certificatePath: string;
  keyPath: string;
}

/** "Tell me when X is free": the app-only presence poll's interval. */
export interface WatchSettings {
  pollSeconds: number;
}

export interface AppConfig {
  live?: LiveSettings;
  watch: WatchSettings;
  graph: DelegateDeskConfig;
  server: ServerSettings;
  bot: BotMode;
  storage: StorageSettings;
}

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Delegate Desk is not configured correctly:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}

const httpsUrl = (name: string) =>
  z
    .string()
    .url(`${name} must be a URL such as https://login.microsoftonline.com`)
    .refine((v) => v.startsWith('https://'), `${name} must use https (the dev tenant serves https too)`)
    .transform((v) => v.replace(/\/+$/, ''));

const guid = (name: string, what: string) =>
  z.string({ error: `${name} is missing: ${what}` }).regex(GUID, `${name} must be ${what} (a GUID)`);

const schema = z.object({
  // Entra ID app (the Graph module).
  AAD_APP_CLIENT_ID: guid('AAD_APP_CLIENT_ID', 'the Entra app (client) id'),
  AAD_APP_TENANT_ID: guid('AAD_APP_TENANT_ID', 'the Entra tenant id'),
  AAD_APP_CLIENT_SECRET: z.string().min(1).optional(),
  AAD_APP_CERTIFICATE_PATH: z.string().min(1).optional(),
  AAD_APP_CERTIFICATE_PASSWORD: z.string().optional(),
  AAD_APP_OAUTH_AUTHORITY_HOST: httpsUrl('AAD_APP_OAUTH_AUTHORITY_HOST').default('https://login.microsoftonline.com'),
  GRAPH_BASE_URL: httpsUrl('GRAPH_BASE_URL').default('https://graph.microsoft.com'),
  TAB_DOMAIN: z
    .string()
    .regex(/^[a-z0-9.-]+(:\d+)?$/i, 'TAB_DOMAIN must be a host name such as delegatedesk.azurewebsites.net')
    .optional(),
  APP_ID_URI: z
    .string()
    .regex(/^api:\/\/.+/, 'APP_ID_URI must look like api://<domain>/botid-<client id>')
    .optional(),
  ALLOWED_TENANT_IDS: z.string().optional(),
  SSO_CLIENT_IDS: z.string().optional(),
  // The web server.
  PORT: z.coerce.number({ error: 'PORT must be a port number' }).int().min(0).max(65535).default(3978),
  LOCAL_TEAMS_HOST_ORIGIN: z
    .string()
    .regex(
      /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/,
      'LOCAL_TEAMS_HOST_ORIGIN must be an http://localhost origin (local development only)',
    )
    .optional(),
  TAB_STATIC_DIR: z.string().optional(),
  INSTANCE_NAME: z
    .string()
    .regex(/^[\w.:-]{1,64}$/, 'INSTANCE_NAME must be 1 to 64 letters, digits, dots, colons, dashes or underscores')
    .optional(),
  // Local development behind an entry point (`INSTANCES=2 npm start`): the port people reach, when it is not PORT.
  PUBLIC_PORT: z.coerce.number({ error: 'PUBLIC_PORT must be a port number' }).int().min(1).max(65535).optional(),
  TAB_POLL_SECONDS: z.coerce.number({ error: 'TAB_POLL_SECONDS must be a number of seconds' }).min(1).max(3600).default(30),
  // How often watches no live subscription holds are read with the app's token (Graph's presence limits allow 30 s).
  WATCH_POLL_SECONDS: z.coerce.number({ error: 'WATCH_POLL_SECONDS must be a number of seconds' }).min(1).max(600).default(30),
  // The bot.
  BOT_ID: z.string().regex(GUID, "BOT_ID must be the bot registration's app id (a GUID)").optional(),
  BOT_PASSWORD: z.string().min(1).optional(),
  DEVTENANT_CONFIG_URL: z.string().url("DEVTENANT_CONFIG_URL must be the dev tenant's /devtenant/config URL").optional(),
  // Live presence.
  NOTIFICATION_CERT_PATH: z.string().min(1).optional(),
  NOTIFICATION_KEY_PATH: z.string().min(1).optional(),
  // Shared state.
  TOKEN_CACHE: z.enum(['process', 'partitioned'], { error: "TOKEN_CACHE must be 'process' or 'partitioned'" }).optional(),
  // The message never echoes the value: it holds the access key.
  REDIS_URL: z
    .string()
    .refine(isRedisUrl, 'REDIS_URL must be a redis:// or rediss:// URL, such as rediss://:<access key>@<name>.redis.cache.windows.net:6380')
    .optional(),
});

type Env = Record<string, string | undefined>;

const domainOf = (appIdUri: string | undefined) => appIdUri?.match(/^api:\/\/([^/]+)\//)?.[1];
const tenantList = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** Rules across variables, checked even when single values are wrong so every problem is named at once. */
const CROSS_CHECKS: Array<[when: (env: Env) => boolean, problem: string | ((env: Env) => string)]> = [
  [
    (e) => !e.AAD_APP_CLIENT_SECRET && !e.AAD_APP_CERTIFICATE_PATH,
    'Set AAD_APP_CLIENT_SECRET or AAD_APP_CERTIFICATE_PATH: the app needs a credential for on-behalf-of',
  ],
  [(e) => !!e.AAD_APP_CLIENT_SECRET && !!e.AAD_APP_CERTIFICATE_PATH, 'Set only one of AAD_APP_CLIENT_SECRET and AAD_APP_CERTIFICATE_PATH'],
  [(e) => !e.TAB_DOMAIN && !e.APP_ID_URI, 'Set TAB_DOMAIN (the App ID URI is api://<TAB_DOMAIN>/botid-<client id>) or APP_ID_URI'],
  [
    (e) => !e.LOCAL_TEAMS_HOST_ORIGIN && !e.TAB_DOMAIN && !!e.APP_ID_URI && !domainOf(e.APP_ID_URI),
    "APP_ID_URI must name the tab's domain (api://<domain>/botid-<client id>), or set TAB_DOMAIN",
  ],
  [(e) => !!e.BOT_ID && !e.BOT_PASSWORD, 'BOT_PASSWORD is missing: the bot registration needs its secret when BOT_ID is set'],
  // Teams SSO in a bot needs the bot's app id to be the Entra app's client id: the manifest's
  // webApplicationInfo and the App ID URI (api://<domain>/botid-<id>) name one app.
  [
    (e) => !!e.BOT_ID && !!e.AAD_APP_CLIENT_ID && e.BOT_ID.toLowerCase() !== e.AAD_APP_CLIENT_ID.toLowerCase(),
    (e) =>
      `BOT_ID (${e.BOT_ID}) must equal AAD_APP_CLIENT_ID (${e.AAD_APP_CLIENT_ID}): Delegate Desk is one single-tenant Entra app, used by the bot registration and for SSO`,
  ],
  [
    (e) => !!e.BOT_ID && !!e.DEVTENANT_CONFIG_URL,
    'DEVTENANT_CONFIG_URL (the dev identity) cannot be used while BOT_ID is set: remove one of them',
  ],
  [
    (e) => !!e.DEVTENANT_CONFIG_URL && !e.LOCAL_TEAMS_HOST_ORIGIN,
    'DEVTENANT_CONFIG_URL is for local development only: it needs LOCAL_TEAMS_HOST_ORIGIN (both set by `npm start`)',
  ],
  [
    (e) => !!e.DEVTENANT_CONFIG_URL && !/^https:\/\/(localhost|127\.0\.0\.1)(:\d+)?\//.test(e.DEVTENANT_CONFIG_URL),
    'DEVTENANT_CONFIG_URL must point at a dev tenant on this machine (https://localhost:…)',
  ],
  [
    (e) => !!e.REDIS_URL && e.TOKEN_CACHE === 'process',
    'TOKEN_CACHE=process cannot be used with REDIS_URL: with Redis the token cache is partitioned per user (leave TOKEN_CACHE unset)',
  ],
  [(e) => !!e.PUBLIC_PORT && !e.LOCAL_TEAMS_HOST_ORIGIN, 'PUBLIC_PORT is for local development only (it needs LOCAL_TEAMS_HOST_ORIGIN)'],
  [
    (e) => !e.BOT_ID && !e.DEVTENANT_CONFIG_URL,
    'BOT_ID is missing: set BOT_ID and BOT_PASSWORD (the bot registration), or run `npm start` for local development with the dev tenant',
  ],
];

function crossChecks(env: Env): string[] {
  const problems = CROSS_CHECKS.filter(([when]) => when(env)).map(([, p]) => (typeof p === 'string' ? p : p(env)));
  for (const t of tenantList(env.ALLOWED_TENANT_IDS)) if (!GUID.test(t)) problems.push(`ALLOWED_TENANT_IDS: '${t}' is not a tenant GUID`);
  for (const c of tenantList(env.SSO_CLIENT_IDS))
    if (!GUID.test(c)) problems.push(`SSO_CLIENT_IDS: '${c}' is not a client app id (a GUID)`);
  return problems;
}

/** Reads and validates every setting; throws a ConfigurationError naming every problem. */
export function loadConfig(env: Env, defaults: { staticDir: string }): AppConfig {
  const parsed = schema.safeParse(env);
  const problems = [...(parsed.success ? [] : parsed.error.issues.map((i) => i.message)), ...crossChecks(env)];
  if (!parsed.success || problems.length) throw new ConfigurationError(problems);
  const v = parsed.data;
  const clientId = v.AAD_APP_CLIENT_ID.toLowerCase();
  const tenantId = v.AAD_APP_TENANT_ID.toLowerCase();
  const allowed = tenantList(v.ALLOWED_TENANT_IDS).map((t) => t.toLowerCase());
  // Derived once: the SSO audience and the origin people reach us on.
  const appIdUri = v.APP_ID_URI ?? `api://${v.TAB_DOMAIN}/botid-${clientId}`;
  return {
    graph: {
      clientId,
      tenantId,
      ...(v.AAD_APP_CLIENT_SECRET ? { clientSecret: v.AAD_APP_CLIENT_SECRET } : {}),
      ...(v.AAD_APP_CERTIFICATE_PATH
        ? { certificate: { path: v.AAD_APP_CERTIFICATE_PATH, password: v.AAD_APP_CERTIFICATE_PASSWORD } }
        : {}),
      authorityHost: v.AAD_APP_OAUTH_AUTHORITY_HOST,
      graphBaseUrl: v.GRAPH_BASE_URL,
      appIdUri,
      allowedTenantIds: allowed.length ? allowed : [tenantId],
      allowedClientIds: env.SSO_CLIENT_IDS ? tenantList(v.SSO_CLIENT_IDS).map((c) => c.toLowerCase()) : [...TEAMS_SSO_CLIENT_IDS],
    },
    server: {
      port: v.PORT,
      listenHost: v.BOT_ID ? undefined : '127.0.0.1',
      localHostOrigin: v.LOCAL_TEAMS_HOST_ORIGIN,
      publicOrigin: v.LOCAL_TEAMS_HOST_ORIGIN
        ? `http://localhost:${v.PUBLIC_PORT ?? v.PORT}`
        : `https://${v.TAB_DOMAIN ?? domainOf(appIdUri)}`,
      pollSeconds: v.TAB_POLL_SECONDS,
      staticDir: v.TAB_STATIC_DIR ?? defaults.staticDir,
      // App Service names each instance (WEBSITE_INSTANCE_ID, 64 hex digits): its first 12 are enough to tell them apart.
      instanceName: v.INSTANCE_NAME ?? (env.WEBSITE_INSTANCE_ID ? env.WEBSITE_INSTANCE_ID.slice(0, 12) : `${hostname()}:${v.PORT}`),
    },
    bot: v.BOT_ID
      ? { kind: 'botFramework', appId: v.BOT_ID.toLowerCase(), password: v.BOT_PASSWORD! }
      : { kind: 'devTenant', configUrl: v.DEVTENANT_CONFIG_URL! },
    watch: { pollSeconds: v.WATCH_POLL_SECONDS },
    storage: v.REDIS_URL
      ? { kind: 'redis', url: v.REDIS_URL, tokenCache: 'partitioned' }
      : { kind: 'memory', tokenCache: v.TOKEN_CACHE ?? 'partitioned' },
    ...(v.NOTIFICATION_CERT_PATH && v.NOTIFICATION_KEY_PATH
      ? { live: { certificatePath: v.NOTIFICATION_CERT_PATH, keyPath: v.NOTIFICATION_KEY_PATH } }
      : {}),
  };
}
