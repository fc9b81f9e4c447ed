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
  /**
   * The client apps whose SSO tokens are accepted (the `azp`/`appid` claim): the Teams and Microsoft
   * 365 clients the app pre-authorizes (TEAMS_SSO_CLIENT_IDS by default).
   */
  allowedClientIds: string[];
}

/**
 * The Teams, Microsoft 365 and Outlook clients that request SSO tokens for a tab or bot, as Microsoft
 * documents for pre-authorizing them (learn.microsoft.com: microsoftteams/platform/tabs/how-to/
 * authentication/tab-sso-register-aad, "To configure authorized client application").
 */
export const TEAMS_SSO_CLIENT_IDS: readonly string[] = [
  '1fec8e78-bce4-4aaf-ab1b-5451cc387264', // Teams desktop and mobile
  '5e3ce6c0-2b1f-4285-8d4b-75ee78787346', // Teams web
  '4765445b-32c6-49b0-83e6-1d93765276ca', // Microsoft 365 web
  '0ec893e0-5785-4de6-99da-4ed124e5296c', // Microsoft 365 desktop
  'd3590ed6-52b3-4102-aeff-aad2292ab01c', // Microsoft 365 mobile, Outlook desktop
  'bc59ab01-8403-45c6-8796-ac3ef710b3e3', // Outlook web
  '27922004-5251-4030-b22d-91ecd9a37ea4', // Outlook mobile
];
