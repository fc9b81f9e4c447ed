/**
 * Configuration of the Graph access module, from environment variables, validated once at start-up.
 * The same code path serves the real cloud and the dev tenant: only these values differ.
 */
import { z } from 'zod/v4';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface DelegateDeskConfig {
  clientId: string;
  tenantId: string;
  /** Exactly one of these authenticates the app to Entra ID. */
  clientSecret?: string;
  certificate?: { path: string; password?: string };
  /** e.g. https://login.microsoftonline.com (or the dev tenant's origin). */
  authorityHost: string;
  /** e.g. https://graph.microsoft.com (or the dev tenant's origin); versions are appended. */
  graphBaseUrl: string;
  /** api://<domain>/botid-<clientId>: the audience of SSO tokens in the v1 form. */
  appIdUri: string;
  allowedTenantIds: string[];
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

const schema = z
  .object({
    AAD_APP_CLIENT_ID: z.string({ error: 'AAD_APP_CLIENT_ID is missing: the Entra app (client) id' }).regex(GUID, 'AAD_APP_CLIENT_ID must be a GUID'),
    AAD_APP_TENANT_ID: z.string({ error: 'AAD_APP_TENANT_ID is missing: the Entra tenant id' }).regex(GUID, 'AAD_APP_TENANT_ID must be a GUID'),
    AAD_APP_CLIENT_SECRET: z.string().min(1).optional(),
    AAD_APP_CERTIFICATE_PATH: z.string().min(1).optional(),
    AAD_APP_CERTIFICATE_PASSWORD: z.string().optional(),
    AAD_APP_OAUTH_AUTHORITY_HOST: httpsUrl('AAD_APP_OAUTH_AUTHORITY_HOST').default('https://login.microsoftonline.com'),
    GRAPH_BASE_URL: httpsUrl('GRAPH_BASE_URL').default('https://graph.microsoft.com'),
    TAB_DOMAIN: z.string().min(1).optional(),
    APP_ID_URI: z.string().regex(/^api:\/\/.+/, 'APP_ID_URI must look like api://<domain>/botid-<client id>').optional(),
    ALLOWED_TENANT_IDS: z.string().optional(),
  });

/** Rules across variables, checked even when single values are wrong so every problem is named at once. */
function crossChecks(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  if (!env.AAD_APP_CLIENT_SECRET && !env.AAD_APP_CERTIFICATE_PATH) problems.push('Set AAD_APP_CLIENT_SECRET or AAD_APP_CERTIFICATE_PATH: the app needs a credential for on-behalf-of');
  if (env.AAD_APP_CLIENT_SECRET && env.AAD_APP_CERTIFICATE_PATH) problems.push('Set only one of AAD_APP_CLIENT_SECRET and AAD_APP_CERTIFICATE_PATH');
  if (!env.TAB_DOMAIN && !env.APP_ID_URI) problems.push('Set TAB_DOMAIN (the App ID URI is api://<TAB_DOMAIN>/botid-<client id>) or APP_ID_URI');
  for (const t of (env.ALLOWED_TENANT_IDS ?? '').split(',').map((x) => x.trim()).filter(Boolean)) {
    if (!GUID.test(t)) problems.push(`ALLOWED_TENANT_IDS: '${t}' is not a tenant GUID`);
  }
  return problems;
}

/** Reads and validates the configuration; throws a ConfigurationError naming every problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env): DelegateDeskConfig {
  const result = schema.safeParse(env);
  const problems = [...(result.success ? [] : result.error.issues.map((i) => i.message)), ...crossChecks(env)];
  if (!result.success || problems.length) throw new ConfigurationError(problems);
  const v = result.data;
  const clientId = v.AAD_APP_CLIENT_ID.toLowerCase();
  const tenantId = v.AAD_APP_TENANT_ID.toLowerCase();
  const allowed = (v.ALLOWED_TENANT_IDS ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  return {
    clientId,
    tenantId,
    ...(v.AAD_APP_CLIENT_SECRET ? { clientSecret: v.AAD_APP_CLIENT_SECRET } : {}),
    ...(v.AAD_APP_CERTIFICATE_PATH ? { certificate: { path: v.AAD_APP_CERTIFICATE_PATH, password: v.AAD_APP_CERTIFICATE_PASSWORD } } : {}),
    authorityHost: v.AAD_APP_OAUTH_AUTHORITY_HOST,
    graphBaseUrl: v.GRAPH_BASE_URL,
    appIdUri: v.APP_ID_URI ?? `api://${v.TAB_DOMAIN}/botid-${clientId}`,
    allowedTenantIds: allowed.length ? allowed : [tenantId],
  };
}
