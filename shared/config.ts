/**
 * What the Graph access module needs to run. It is read from the environment and validated by the
 * server's one configuration schema (server/config.ts); the same code path serves the real cloud and
 * the dev tenant: only these values differ.
 */
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
