/**
 * Helpers for tests that run against a dev tenant over HTTPS with the real clients the product uses
 * (msal-node, @microsoft/microsoft-graph-client). Test code only: nothing in the product imports it.
 */
import { ConfidentialClientApplication } from '@azure/msal-node';
import { Client } from '@microsoft/microsoft-graph-client';
import { startDevTenant, type DevTenant, type DevTenantOptions } from './server';
import type { SeedInput } from './tenant/seedTypes';

export const TEAMS_WEB_CLIENT_ID = '5e3ce6c0-2b1f-4285-8d4b-75ee78787346';

/** A small, fixed tenant for contract tests; story data lives in devtenant/seed/contoso.json. */
export function testSeed(): SeedInput {
  return {
    tenant: { id: '11111111-2222-4333-8444-555555555555', displayName: 'Fabrikam Test', domain: 'fabrikam.test' },
    app: {
      clientId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
      displayName: 'Delegate Desk (test)',
      clientSecret: 'test-secret-value',
      domain: 'localhost',
      accessTokenAcceptedVersion: 2,
      delegatedScopes: [
        'User.Read',
        'User.ReadBasic.All',
        'CallDelegation.Read',
        'Presence.Read.All',
        'Presence.ReadWrite',
        'OnlineMeetings.ReadWrite',
        // Admin-consented, as a tenant that wants titles grants it (without it Graph gives the basic profile only).
        'User.Read.All',
        'Calendars.ReadWrite',
      ],
      applicationPermissions: ['Calls.Initiate.All', 'User.Read.All', 'Presence.Read.All'],
    },
    userPassword: 'test-password',
    users: [
      {
        id: '00000000-0000-4000-8000-000000000001',
        givenName: 'Ada',
        surname: 'Exec',
        userPrincipalName: 'ada',
        jobTitle: 'CEO',
        department: 'Board',
        presenceProfile: 'executive',
        presence: { availability: 'Busy', activity: 'InAMeeting' },
      },
      {
        id: '00000000-0000-4000-8000-000000000002',
        givenName: 'Ben',
        surname: 'Assist',
        userPrincipalName: 'ben',
        jobTitle: 'Assistant',
        presence: { availability: 'Available', activity: 'Available', statusMessage: 'Taking calls for Ada' },
      },
      {
        id: '00000000-0000-4000-8000-000000000003',
        givenName: 'Cleo',
        surname: 'Assist',
        userPrincipalName: 'cleo',
        hasPhoto: false,
        presence: { availability: 'Away', activity: 'Away' },
      },
      {
        id: '00000000-0000-4000-8000-000000000004',
        givenName: 'Dan',
        surname: 'NoPolicy',
        userPrincipalName: 'dan',
        allowDelegation: false,
      },
      { id: '00000000-0000-4000-8000-000000000005', givenName: 'Eve', surname: 'NoConsent', userPrincipalName: 'eve', consented: false },
      { id: '00000000-0000-4000-8000-000000000006', givenName: 'Finn', surname: 'Mfa', userPrincipalName: 'finn', requiresMfa: true },
      {
        id: '00000000-0000-4000-8000-000000000007',
        givenName: 'Gus',
        surname: 'Loner',
        userPrincipalName: 'gus',
        presence: { availability: 'Offline', activity: 'OffWork', outOfOfficeMessage: 'On leave until Monday', workLocation: 'timeOff' },
      },
      { id: '00000000-0000-4000-8000-000000000008', givenName: 'Hana', surname: 'Exec', userPrincipalName: 'hana' },
    ],
    delegations: [
      {
        delegator: 'ada',
        delegate: 'ben',
        allowedActions: {
          receiveCalls: true,
          makeCalls: true,
          pickUpHeldCalls: true,
          joinActiveCalls: true,
          manageCallAndDelegateSettings: true,
        },
        createdDateTime: '2025-01-01T00:00:00Z',
      },
      { delegator: 'ada', delegate: 'cleo', allowedActions: { makeCalls: true }, createdDateTime: '2025-02-01T00:00:00Z' },
      {
        delegator: 'hana',
        delegate: 'ben',
        isActive: false,
        allowedActions: { receiveCalls: true },
        createdDateTime: '2025-03-01T00:00:00Z',
      },
      { delegator: 'eve', delegate: 'ben', allowedActions: { receiveCalls: true } },
      { delegator: 'finn', delegate: 'cleo', allowedActions: { receiveCalls: true } },
    ],
  };
}

export interface TestTenant extends DevTenant {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  appIdUri: string;
  upn(local: string): string;
  /** A Teams-SSO-like token for our app via the password grant (as the local Teams host gets one). */
  ssoToken(user: string, opts?: { claims?: string }): Promise<string>;
  /** A fresh msal-node confidential client pointed at this dev tenant. */
  msal(secret?: string): ConfidentialClientApplication;
  /** A Graph token for the user through real msal-node on-behalf-of. */
  graphToken(user: string, scopes?: string[]): Promise<string>;
  appToken(): Promise<string>;
  graph(token: string, version?: 'v1.0' | 'beta'): Client;
  admin(method: string, path: string, body?: unknown): Promise<Response>;
  tokenRequest(form: Record<string, string>): Promise<Response>;
}

export async function startTestTenant(options: DevTenantOptions = {}): Promise<TestTenant> {
  const seed = (options.seed as SeedInput | undefined) ?? testSeed();
  const dt = await startDevTenant({ quiet: true, fixedClock: new Date('2026-03-02T10:00:00Z'), pageSize: 100, ...options, seed });
  const t = dt.tenant;
  const tokenUrl = `${dt.origin}/${t.id}/oauth2/v2.0/token`;
  const appIdUri = `api://${t.app.domain}/botid-${t.app.clientId}`;
  const upn = (local: string) => (local.includes('@') ? local : `${local}@${t.domain}`);
  const tokenRequest = (form: Record<string, string>) =>
    fetch(tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
  const msal = (secret = t.app.clientSecret) =>
    new ConfidentialClientApplication({
      auth: {
        clientId: t.app.clientId,
        clientSecret: secret,
        authority: `${dt.origin}/${t.id}`,
        knownAuthorities: [new URL(dt.origin).host],
      },
    });
  const shared = msal();
  const ssoToken = async (user: string, opts: { claims?: string } = {}) => {
    const res = await tokenRequest({
      grant_type: 'password',
      client_id: TEAMS_WEB_CLIENT_ID,
      username: upn(user),
      password: t.userPassword,
      scope: `${appIdUri}/access_as_user`,
      ...(opts.claims ? { claims: opts.claims } : {}),
    });
    const body = (await res.json()) as { access_token?: string; error_description?: string };
    if (!body.access_token) throw new Error(`password grant failed: ${body.error_description}`);
    return body.access_token;
  };
  return {
    ...dt,
    tenantId: t.id,
    clientId: t.app.clientId,
    clientSecret: t.app.clientSecret,
    appIdUri,
    upn,
    ssoToken,
    msal,
    tokenRequest,
    graphToken: async (user, scopes = t.app.delegatedScopes.map((s) => `https://graph.microsoft.com/${s}`)) => {
      const result = await shared.acquireTokenOnBehalfOf({ oboAssertion: await ssoToken(user), scopes });
      if (!result) throw new Error('no OBO result');
      return result.accessToken;
    },
    appToken: async () => {
      const result = await shared.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] });
      if (!result) throw new Error('no client credentials result');
      return result.accessToken;
    },
    graph: (token, version = 'v1.0') =>
      Client.init({
        baseUrl: dt.origin,
        defaultVersion: version,
        customHosts: new Set(['localhost']),
        authProvider: (done) => done(null, token),
      }),
    admin: (method, path, body) =>
      fetch(`${dt.origin}/devtenant${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
  };
}
