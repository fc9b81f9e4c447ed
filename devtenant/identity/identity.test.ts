import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { InteractionRequiredAuthError, ServerError } from '@azure/msal-node';
import { startTestTenant, testSeed, TEAMS_WEB_CLIENT_ID, type TestTenant } from '../testkit';

let dt: TestTenant;
beforeAll(async () => {
  dt = await startTestTenant();
});
afterAll(async () => dt.close());
beforeEach(() => dt.context.counters.reset());

const GRAPH = (s: string) => `https://graph.microsoft.com/${s}`;

async function entraErrorOf(res: Response) {
  const body = (await res.json()) as Record<string, unknown>;
  return { status: res.status, body };
}

function expectEntraShape(body: Record<string, unknown>, code: number, error: string) {
  expect(body.error).toBe(error);
  expect(body.error_codes).toEqual([code]);
  expect(String(body.error_description)).toMatch(
    new RegExp(
      `^AADSTS${code}: .+\\r\\nTrace ID: [0-9a-f-]{36}\\r\\nCorrelation ID: [0-9a-f-]{36}\\r\\nTimestamp: \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ$`,
      's',
    ),
  );
  expect(body.timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
  expect(body.trace_id).toMatch(/^[0-9a-f-]{36}$/);
  expect(body.correlation_id).toMatch(/^[0-9a-f-]{36}$/);
}

describe('discovery and keys', () => {
  it('serves OpenID configuration whose endpoints are on the dev tenant', async () => {
    const res = await fetch(`${dt.origin}/${dt.tenantId}/v2.0/.well-known/openid-configuration`);
    const cfg = (await res.json()) as Record<string, string>;
    expect(res.status).toBe(200);
    expect(cfg.issuer).toBe(`https://login.microsoftonline.com/${dt.tenantId}/v2.0`);
    expect(cfg.token_endpoint).toBe(`${dt.origin}/${dt.tenantId}/oauth2/v2.0/token`);
    expect(cfg.authorization_endpoint).toBe(`${dt.origin}/${dt.tenantId}/oauth2/v2.0/authorize`);
    expect(cfg.jwks_uri).toBe(`${dt.origin}/${dt.tenantId}/discovery/v2.0/keys`);
  });

  it('publishes RS256 keys with a kid that signs the tokens', async () => {
    const { keys } = (await (await fetch(`${dt.origin}/${dt.tenantId}/discovery/v2.0/keys`)).json()) as {
      keys: Array<Record<string, string>>;
    };
    expect(keys.length).toBeGreaterThan(0);
    expect(keys[0]).toMatchObject({ kty: 'RSA', use: 'sig' });
    const token = await dt.ssoToken('ada');
    expect(keys.map((k) => k.kid)).toContain(decodeProtectedHeader(token).kid);
    expect(decodeProtectedHeader(token).alg).toBe('RS256');
  });

  it('answers cloud instance discovery', async () => {
    const res = await fetch(
      `${dt.origin}/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(`${dt.origin}/${dt.tenantId}/oauth2/v2.0/authorize`)}`,
    );
    const body = (await res.json()) as { tenant_discovery_endpoint: string; metadata: unknown[] };
    expect(body.tenant_discovery_endpoint).toContain('/v2.0/.well-known/openid-configuration');
    expect(body.metadata.length).toBe(1);
  });

  it('rejects an unknown tenant with AADSTS90002', async () => {
    const res = await fetch(`${dt.origin}/99999999-9999-4999-8999-999999999999/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    const { status, body } = await entraErrorOf(res);
    expect(status).toBe(400);
    expectEntraShape(body, 90002, 'invalid_request');
  });
});

describe('password grant (test and local host sign-in)', () => {
  it('issues a v2 Teams-SSO-like token for our app', async () => {
    const claims = decodeJwt(await dt.ssoToken('ada'));
    expect(claims).toMatchObject({
      aud: dt.clientId,
      iss: `https://login.microsoftonline.com/${dt.tenantId}/v2.0`,
      scp: 'access_as_user',
      oid: '00000000-0000-4000-8000-000000000001',
      tid: dt.tenantId,
      name: 'Ada Exec',
      preferred_username: dt.upn('ada'),
      azp: TEAMS_WEB_CLIENT_ID,
      ver: '2.0',
    });
    expect(claims.exp! - claims.iat!).toBe(3600);
  });

  it('issues v1 tokens (aud = App ID URI, sts.windows.net issuer, upn) when the app accepts v1', async () => {
    const seed = testSeed();
    const v1 = await startTestTenant({ seed: { ...seed, app: { ...seed.app, accessTokenAcceptedVersion: 1 } } });
    try {
      const claims = decodeJwt(await v1.ssoToken('ben'));
      expect(claims).toMatchObject({
        aud: v1.appIdUri,
        iss: `https://sts.windows.net/${v1.tenantId}/`,
        upn: v1.upn('ben'),
        ver: '1.0',
        appid: TEAMS_WEB_CLIENT_ID,
      });
      // On-behalf-of accepts the v1 form too.
      const r = await v1.msal().acquireTokenOnBehalfOf({ oboAssertion: await v1.ssoToken('ben'), scopes: [GRAPH('User.Read')] });
      expect(r?.accessToken).toBeTruthy();
    } finally {
      await v1.close();
    }
  });

  it('rejects a wrong password with AADSTS50126 and an unknown user with AADSTS50034', async () => {
    const base = { grant_type: 'password', client_id: TEAMS_WEB_CLIENT_ID, scope: `${dt.appIdUri}/access_as_user` };
    let e = await entraErrorOf(await dt.tokenRequest({ ...base, username: dt.upn('ada'), password: 'nope' }));
    expect(e.status).toBe(400);
    expectEntraShape(e.body, 50126, 'invalid_grant');
    e = await entraErrorOf(await dt.tokenRequest({ ...base, username: dt.upn('nobody'), password: 'test-password' }));
    expectEntraShape(e.body, 50034, 'invalid_grant');
  });

  it('rejects an unknown public client with AADSTS700016', async () => {
    const e = await entraErrorOf(
      await dt.tokenRequest({
        grant_type: 'password',
        client_id: '12345678-90ab-4cde-8f01-234567890abc',
        username: dt.upn('ada'),
        password: 'test-password',
        scope: `${dt.appIdUri}/access_as_user`,
      }),
    );
    expectEntraShape(e.body, 700016, 'unauthorized_client');
  });

  it('answers an unsupported grant type with AADSTS70003', async () => {
    const e = await entraErrorOf(await dt.tokenRequest({ grant_type: 'urn:example:nothing', client_id: dt.clientId }));
    expectEntraShape(e.body, 70003, 'unsupported_grant_type');
  });
});

describe('on-behalf-of with msal-node', () => {
  it('exchanges the SSO token for a v1 Graph token, and serves the second call from MSAL cache', async () => {
    const cca = dt.msal();
    const assertion = await dt.ssoToken('ada');
    dt.context.counters.reset();
    const scopes = [GRAPH('CallDelegation.Read'), GRAPH('Presence.Read.All')];
    const first = await cca.acquireTokenOnBehalfOf({ oboAssertion: assertion, scopes });
    expect(first?.fromCache).toBe(false);
    const claims = decodeJwt(first!.accessToken);
    expect(claims).toMatchObject({
      aud: 'https://graph.microsoft.com',
      iss: `https://sts.windows.net/${dt.tenantId}/`,
      oid: '00000000-0000-4000-8000-000000000001',
      tid: dt.tenantId,
      upn: dt.upn('ada'),
      appid: dt.clientId,
      ver: '1.0',
    });
    // Consent is additive: the requested scopes, and every other one Ada consented to.
    expect(String(claims.scp).split(' ').sort()).toEqual([...dt.tenant.app.delegatedScopes].sort());
    expect(first?.account?.homeAccountId).toBe(`00000000-0000-4000-8000-000000000001.${dt.tenantId}`);
    expect(dt.context.counters.get('token on_behalf_of')).toBe(1);

    const second = await cca.acquireTokenOnBehalfOf({ oboAssertion: assertion, scopes });
    expect(second?.fromCache).toBe(true);
    expect(second?.accessToken).toBe(first?.accessToken);
    expect(dt.context.counters.get('token on_behalf_of')).toBe(1);
  });

  it('keeps users apart in one MSAL cache', async () => {
    const cca = dt.msal();
    const a = await cca.acquireTokenOnBehalfOf({ oboAssertion: await dt.ssoToken('ada'), scopes: [GRAPH('User.Read')] });
    const b = await cca.acquireTokenOnBehalfOf({ oboAssertion: await dt.ssoToken('ben'), scopes: [GRAPH('User.Read')] });
    expect(decodeJwt(a!.accessToken).oid).not.toBe(decodeJwt(b!.accessToken).oid);
    expect((await cca.getTokenCache().getAllAccounts()).length).toBe(2);
  });

  it('tells missing consent apart: AADSTS65001 invalid_grant + consent_required, an InteractionRequiredAuthError in MSAL', async () => {
    const assertion = await dt.ssoToken('eve');
    const raw = await entraErrorOf(
      await dt.tokenRequest({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        requested_token_use: 'on_behalf_of',
        client_id: dt.clientId,
        client_secret: dt.clientSecret,
        assertion,
        scope: `${GRAPH('User.Read')} openid profile offline_access`,
        client_info: '1',
        'x-client-SKU': 'msal.js.node',
        'x-client-VER': '7.2.1',
      }),
    );
    expect(raw.status).toBe(400);
    expectEntraShape(raw.body, 65001, 'invalid_grant');
    expect(raw.body.suberror).toBe('consent_required');

    const err = await dt
      .msal()
      .acquireTokenOnBehalfOf({ oboAssertion: assertion, scopes: [GRAPH('User.Read')] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InteractionRequiredAuthError);
    expect((err as InteractionRequiredAuthError).subError).toBe('consent_required');
  });

  it('answers a wrong client secret with AADSTS7000215 invalid_client (401), a ServerError in MSAL', async () => {
    const err = await dt
      .msal('wrong-secret')
      .acquireTokenOnBehalfOf({ oboAssertion: await dt.ssoToken('ada'), scopes: [GRAPH('User.Read')] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServerError);
    expect(err).not.toBeInstanceOf(InteractionRequiredAuthError);
    expect((err as ServerError).errorCode).toBe('invalid_client');
    expect((err as ServerError).errorMessage).toContain('AADSTS7000215');
    const raw = await dt.tokenRequest({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      requested_token_use: 'on_behalf_of',
      client_id: dt.clientId,
      client_secret: 'wrong',
      assertion: await dt.ssoToken('ada'),
      scope: GRAPH('User.Read'),
    });
    expect(raw.status).toBe(401);
  });

  it('answers an expired assertion with AADSTS500133', async () => {
    const { token } = (await (await dt.admin('POST', '/tokens', { user: 'ada', lifetimeSeconds: -900 })).json()) as { token: string };
    const e = await entraErrorOf(
      await dt.tokenRequest({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        requested_token_use: 'on_behalf_of',
        client_id: dt.clientId,
        client_secret: dt.clientSecret,
        assertion: token,
        scope: GRAPH('User.Read'),
      }),
    );
    expectEntraShape(e.body, 500133, 'invalid_grant');
  });

  it('answers an assertion for another audience, or with a bad signature, with AADSTS50013', async () => {
    const graphToken = await dt.graphToken('ada');
    let e = await entraErrorOf(
      await dt.tokenRequest({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        requested_token_use: 'on_behalf_of',
        client_id: dt.clientId,
        client_secret: dt.clientSecret,
        assertion: graphToken,
        scope: GRAPH('User.Read'),
      }),
    );
    expectEntraShape(e.body, 50013, 'invalid_grant');
    expect(String(e.body.error_description)).toContain('audience');
    const { token } = (await (await dt.admin('POST', '/tokens', { user: 'ada', foreignKey: true })).json()) as { token: string };
    e = await entraErrorOf(
      await dt.tokenRequest({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        requested_token_use: 'on_behalf_of',
        client_id: dt.clientId,
        client_secret: dt.clientSecret,
        assertion: token,
        scope: GRAPH('User.Read'),
      }),
    );
    expectEntraShape(e.body, 50013, 'invalid_grant');
    expect(String(e.body.error_description)).toContain('signature');
    // An ID token is not an access token: no scp, no roles.
    const { token: idLike } = (await (await dt.admin('POST', '/tokens', { user: 'ada', claims: { scp: null, nonce: 'n-1' } })).json()) as {
      token: string;
    };
    e = await entraErrorOf(
      await dt.tokenRequest({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        requested_token_use: 'on_behalf_of',
        client_id: dt.clientId,
        client_secret: dt.clientSecret,
        assertion: idLike,
        scope: GRAPH('User.Read'),
      }),
    );
    expectEntraShape(e.body, 50013, 'invalid_grant');
    expect(String(e.body.error_description)).toContain('id_token');
  });

  it('answers invalid scopes with AADSTS70011', async () => {
    const assertion = await dt.ssoToken('ada');
    const form = {
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      requested_token_use: 'on_behalf_of',
      client_id: dt.clientId,
      client_secret: dt.clientSecret,
      assertion,
    };
    let e = await entraErrorOf(await dt.tokenRequest({ ...form, scope: GRAPH('Made.Up.Scope') }));
    expectEntraShape(e.body, 70011, 'invalid_scope');
    e = await entraErrorOf(await dt.tokenRequest({ ...form, scope: `${GRAPH('.default')} ${GRAPH('User.Read')}` }));
    expectEntraShape(e.body, 70011, 'invalid_scope');
  });

  it('gives every consented scope for .default', async () => {
    const r = await dt.msal().acquireTokenOnBehalfOf({ oboAssertion: await dt.ssoToken('ada'), scopes: [GRAPH('.default')] });
    expect(String(decodeJwt(r!.accessToken).scp).split(' ').sort()).toEqual([...dt.tenant.app.delegatedScopes].sort());
  });

  it('challenges the MFA user with AADSTS50076 and claims, and accepts a token obtained with those claims', async () => {
    const raw = await entraErrorOf(
      await dt.tokenRequest({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        requested_token_use: 'on_behalf_of',
        client_id: dt.clientId,
        client_secret: dt.clientSecret,
        assertion: await dt.ssoToken('finn'),
        scope: GRAPH('User.Read'),
      }),
    );
    expectEntraShape(raw.body, 50076, 'interaction_required');
    const claims = String(raw.body.claims);
    expect(JSON.parse(claims)).toHaveProperty('access_token');

    const err = await dt
      .msal()
      .acquireTokenOnBehalfOf({ oboAssertion: await dt.ssoToken('finn'), scopes: [GRAPH('User.Read')] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InteractionRequiredAuthError);
    expect((err as InteractionRequiredAuthError).claims).toBe(claims);

    const stepped = await dt.ssoToken('finn', { claims });
    expect(decodeJwt(stepped).amr).toContain('mfa');
    const ok = await dt.msal().acquireTokenOnBehalfOf({ oboAssertion: stepped, scopes: [GRAPH('User.Read')] });
    expect(decodeJwt(ok!.accessToken).upn).toBe(dt.upn('finn'));
  });
});

describe('client credentials', () => {
  it('issues an app-only Graph token with the granted roles through msal-node', async () => {
    const r = await dt.msal().acquireTokenByClientCredential({ scopes: [GRAPH('.default')] });
    const claims = decodeJwt(r!.accessToken);
    expect(claims).toMatchObject({ aud: 'https://graph.microsoft.com', appid: dt.clientId, idtyp: 'app' });
    expect(claims.roles).toEqual(dt.tenant.app.applicationPermissions);
    expect(claims.scp).toBeUndefined();
    expect(dt.context.counters.get('token client_credentials')).toBe(1);
  });

  it('requires /.default', async () => {
    const e = await entraErrorOf(
      await dt.tokenRequest({
        grant_type: 'client_credentials',
        client_id: dt.clientId,
        client_secret: dt.clientSecret,
        scope: GRAPH('User.Read'),
      }),
    );
    expect(e.body.error).toBe('invalid_scope');
  });
});

describe('consent through /authorize and the authorization code grant', () => {
  const redirectUri = 'http://localhost:3978/auth-end.html';

  it('shows the permissions, records consent on Accept and redirects with a code that redeems with PKCE', async () => {
    // Eve starts without consent.
    await dt.admin('DELETE', `/users/${dt.upn('eve')}/consent`);
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const params = new URLSearchParams({
      client_id: dt.clientId,
      response_type: 'code',
      redirect_uri: redirectUri,
      scope: `${GRAPH('.default')} openid profile offline_access`,
      state: 'xyz',
      login_hint: dt.upn('eve'),
      code_challenge: challenge,
      code_challenge_method: 'S256',
      nonce: 'n1',
    });
    const page = await fetch(`${dt.origin}/${dt.tenantId}/oauth2/v2.0/authorize?${params}`);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('CallDelegation.Read');
    expect(html).toContain('Eve NoConsent');

    const accept = await fetch(`${dt.origin}/${dt.tenantId}/oauth2/v2.0/authorize?${params}`, {
      method: 'POST',
      body: new URLSearchParams({ consent: 'accept', username: dt.upn('eve') }),
      redirect: 'manual',
    });
    expect(accept.status).toBe(302);
    const location = new URL(accept.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(redirectUri);
    expect(location.searchParams.get('state')).toBe('xyz');
    const code = location.searchParams.get('code')!;
    expect(code).toBeTruthy();

    const tokenRes = await dt.tokenRequest({
      grant_type: 'authorization_code',
      client_id: dt.clientId,
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
      scope: `${GRAPH('.default')} openid offline_access`,
    });
    const tokens = (await tokenRes.json()) as Record<string, string>;
    expect(tokenRes.status).toBe(200);
    expect(decodeJwt(tokens.access_token!).upn).toBe(dt.upn('eve'));
    expect(decodeJwt(tokens.id_token!)).toMatchObject({ aud: dt.clientId, nonce: 'n1' });
    expect(tokens.refresh_token).toBeTruthy();

    // A code redeems once.
    const again = await entraErrorOf(
      await dt.tokenRequest({
        grant_type: 'authorization_code',
        client_id: dt.clientId,
        code,
        redirect_uri: redirectUri,
        code_verifier: verifier,
      }),
    );
    expect(again.body.error).toBe('invalid_grant');

    // The consent now lets on-behalf-of succeed.
    const obo = await dt.msal().acquireTokenOnBehalfOf({ oboAssertion: await dt.ssoToken('eve'), scopes: [GRAPH('CallDelegation.Read')] });
    expect(obo?.accessToken).toBeTruthy();
    await dt.admin('DELETE', `/users/${dt.upn('eve')}/consent`);
  });

  it('redirects with access_denied on Cancel and records nothing', async () => {
    const params = new URLSearchParams({
      client_id: dt.clientId,
      response_type: 'code',
      redirect_uri: redirectUri,
      scope: GRAPH('.default'),
      state: 's2',
      login_hint: dt.upn('eve'),
    });
    const res = await fetch(`${dt.origin}/${dt.tenantId}/oauth2/v2.0/authorize?${params}`, {
      method: 'POST',
      body: new URLSearchParams({ consent: 'cancel' }),
      redirect: 'manual',
    });
    const location = new URL(res.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('s2');
    expect(dt.tenant.consentedScopes('00000000-0000-4000-8000-000000000005').size).toBe(0);
  });

  it('rejects a wrong PKCE verifier', async () => {
    const params = new URLSearchParams({
      client_id: dt.clientId,
      response_type: 'code',
      redirect_uri: redirectUri,
      scope: GRAPH('User.Read'),
      login_hint: dt.upn('ada'),
      code_challenge: 'abc',
      code_challenge_method: 'S256',
    });
    const res = await fetch(`${dt.origin}/${dt.tenantId}/oauth2/v2.0/authorize?${params}`, {
      method: 'POST',
      body: new URLSearchParams({ consent: 'accept' }),
      redirect: 'manual',
    });
    const code = new URL(res.headers.get('location')!).searchParams.get('code')!;
    const e = await entraErrorOf(
      await dt.tokenRequest({
        grant_type: 'authorization_code',
        client_id: dt.clientId,
        code,
        redirect_uri: redirectUri,
        code_verifier: 'wrong',
      }),
    );
    expectEntraShape(e.body, 501481, 'invalid_grant');
  });
});
