import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SignJWT, base64url } from 'jose';
import { startTestTenant, testSeed, type TestTenant } from '../../devtenant/testkit';
import { createSsoTokenValidator } from './ssoToken';
import { createGraphTokenSource } from './onBehalfOf';
import { InMemoryTokenCacheStore } from './tokenCache';
import { configFor } from '../../tests/support/desk';
import {
  AuthConfigurationError,
  AuthServiceError,
  ClaimsChallengeError,
  ConsentRequiredError,
  InvalidAssertionError,
  SsoTokenError,
} from '../errors';

let dt: TestTenant;
beforeAll(async () => {
  dt = await startTestTenant();
});
afterAll(async () => dt.close());
beforeEach(() => dt.context.counters.reset());

const mint = async (body: Record<string, unknown>) =>
  ((await (await dt.admin('POST', '/tokens', { user: 'ada', ...body })).json()) as { token: string }).token;

async function reasonOf(p: Promise<unknown>) {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(SsoTokenError);
  return (e as SsoTokenError).reason;
}

describe('SSO token validation', () => {
  it('accepts a good v2 token and says who the caller is', async () => {
    const validate = createSsoTokenValidator(configFor(dt));
    const token = await dt.ssoToken('ada');
    const user = await validate(`Bearer ${token}`);
    expect(user).toMatchObject({
      oid: '00000000-0000-4000-8000-000000000001',
      tid: dt.tenantId,
      name: 'Ada Exec',
      upn: 'ada@fabrikam.test',
      token,
    });
  });

  it('accepts a v1 token (App ID URI audience, sts.windows.net issuer)', async () => {
    const seed = testSeed();
    const v1 = await startTestTenant({ seed: { ...seed, app: { ...seed.app, accessTokenAcceptedVersion: 1 } } });
    try {
      const user = await createSsoTokenValidator(configFor(v1))(await v1.ssoToken('ben'));
      expect(user.upn).toBe('ben@fabrikam.test');
    } finally {
      await v1.close();
    }
  });

  it('fetches the keys once for many validations', async () => {
    const validate = createSsoTokenValidator(configFor(dt));
    const token = await dt.ssoToken('ada');
    dt.context.counters.reset();
    for (let i = 0; i < 5; i++) await validate(token);
    expect(dt.context.counters.get('entra GET /{tenant}/discovery/v2.0/keys')).toBe(1);
  });

  it('checks a token once: the same token again is a lookup until it expires, and a failure is never kept', async () => {
    const validate = createSsoTokenValidator(configFor(dt));
    const token = await dt.ssoToken('ada');
    const first = await validate(token);
    expect(await validate(`Bearer ${token}`)).toBe(first);
    const expired = await mint({ lifetimeSeconds: -600 });
    expect(await reasonOf(validate(expired))).toBe('expired');
    expect(await reasonOf(validate(expired))).toBe('expired');
    // A different token for the same user is checked on its own.
    expect(await validate(await dt.ssoToken('ada'))).not.toBe(first);
  });

  it('gives each problem its own reason', async () => {
    const validate = createSsoTokenValidator(configFor(dt));
    expect(await reasonOf(validate(undefined))).toBe('missing');
    expect(await reasonOf(validate('Bearer nonsense'))).toBe('malformed');
    expect(await reasonOf(validate(await mint({ foreignKey: true })))).toBe('badSignature');
    expect(await reasonOf(validate(await mint({ claims: { aud: 'some-other-app' } })))).toBe('wrongAudience');
    expect(await reasonOf(validate(await mint({ claims: { iss: 'https://evil.example/' } })))).toBe('wrongIssuer');
    expect(await reasonOf(validate(await mint({ lifetimeSeconds: -600 })))).toBe('expired');
    const now = Math.floor(Date.now() / 1000);
    expect(await reasonOf(validate(await mint({ claims: { nbf: now + 600, iat: now + 600, exp: now + 4000 } })))).toBe('notYetValid');
    expect(await reasonOf(validate(await mint({ claims: { scp: 'User.Read' } })))).toBe('missingScope');
    expect(await reasonOf(validate(await mint({ claims: { tid: '99999999-0000-4000-8000-000000000000' } })))).toBe('tenantNotAllowed');
  });

  it('accepts only ids that are GUIDs for the user and tenant (a null oid is not "null")', async () => {
    const validate = createSsoTokenValidator(configFor(dt));
    for (const oid of [null, 'null', 42, { id: 1 }, ['00000000-0000-4000-8000-000000000001'], '', 'ada']) {
      expect(await reasonOf(validate(await mint({ claims: { oid } }))), JSON.stringify(oid)).toMatch(/^(badIdentity|malformed)$/);
    }
  });

  it('accepts tokens requested by the Teams and Microsoft 365 clients only (azp, or appid in v1)', async () => {
    const validate = createSsoTokenValidator(configFor(dt));
    expect(await reasonOf(validate(await mint({ claims: { azp: '11111111-2222-4333-8444-555555555555' } })))).toBe('clientNotAllowed');
    expect(await reasonOf(validate(await mint({ claims: { azp: dt.clientId } })))).toBe('clientNotAllowed');
    expect(await reasonOf(validate(await mint({ claims: { azp: null } })))).toBe('clientNotAllowed');
    // Another configured list: that client is accepted, Teams web is not.
    const custom = createSsoTokenValidator(configFor(dt, { allowedClientIds: ['11111111-2222-4333-8444-555555555555'] }));
    await expect(custom(await mint({ claims: { azp: '11111111-2222-4333-8444-555555555555' } }))).resolves.toMatchObject({
      upn: 'ada@fabrikam.test',
    });
    expect(await reasonOf(custom(await dt.ssoToken('ada')))).toBe('clientNotAllowed');
  });

  it('rejects alg none', async () => {
    const validate = createSsoTokenValidator(configFor(dt));
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
    const claims = base64url.encode(
      JSON.stringify({ aud: dt.clientId, tid: dt.tenantId, oid: 'x', scp: 'access_as_user', exp: 9999999999 }),
    );
    expect(await reasonOf(validate(`${header}.${claims}.`))).toBe('unsupportedAlgorithm');
    const hs = await new SignJWT({ aud: dt.clientId, tid: dt.tenantId }).setProtectedHeader({ alg: 'HS256' }).sign(new Uint8Array(32));
    expect(await reasonOf(validate(hs))).toBe('unsupportedAlgorithm');
  });
});

describe('on-behalf-of', () => {
  it('exchanges once per SSO token, also for concurrent calls, and anew for a new SSO token', async () => {
    const source = createGraphTokenSource(configFor(dt));
    const validate = createSsoTokenValidator(configFor(dt));
    const user = await validate(await dt.ssoToken('ada'));
    const [a, b] = await Promise.all([source.forUser(user), source.forUser(user)]);
    expect(await source.forUser(user)).toBe(a);
    expect(b).toBe(a);
    expect(dt.context.counters.get('token on_behalf_of')).toBe(1);
    await new Promise((r) => setTimeout(r, 1_100)); // a later SSO token differs in iat/exp
    await source.forUser(await validate(await dt.ssoToken('ada')));
    expect(dt.context.counters.get('token on_behalf_of')).toBe(2);
  });

  it('shares a pluggable token cache between two instances', async () => {
    const store = new InMemoryTokenCacheStore();
    const user = await createSsoTokenValidator(configFor(dt))(await dt.ssoToken('ben'));
    const first = await createGraphTokenSource(configFor(dt), { cacheStore: store }).forUser(user);
    const second = await createGraphTokenSource(configFor(dt), { cacheStore: store }).forUser(user);
    expect(second).toBe(first);
    expect(store.size).toBeGreaterThan(0);
    expect(dt.context.counters.get('token on_behalf_of')).toBe(1);
  });

  it('the default in-memory store keeps the most recently used partitions within its bound', async () => {
    const store = new InMemoryTokenCacheStore(2);
    await store.set('a', '1');
    await store.set('b', '2');
    await store.get('a');
    await store.set('c', '3');
    expect([await store.get('a'), await store.get('b'), await store.get('c'), store.size]).toEqual(['1', '', '3', 2]);
  });

  it("keeps each user's tokens in that user's partition of the store, also for concurrent users", async () => {
    // A store that answers after a random few milliseconds, as Redis would, so calls interleave.
    const memory = new InMemoryTokenCacheStore();
    const pause = () => new Promise((r) => setTimeout(r, Math.random() * 5));
    const store = {
      size: 0,
      get: async (k: string) => (await pause(), memory.get(k)),
      set: async (k: string, v: string) => (await pause(), memory.set(k, v)),
    };
    const validate = createSsoTokenValidator(configFor(dt));
    const source = createGraphTokenSource(configFor(dt), { cacheStore: store });
    const users = await Promise.all(['ada', 'ben', 'cleo', 'gus', 'hana'].map(async (n) => validate(await dt.ssoToken(n))));
    await Promise.all(users.map((u) => source.forUser(u)));
    for (const u of users) {
      const partition = await memory.get(`delegatedesk.msal.${u.oid}`);
      expect(partition).toContain(u.oid);
      for (const other of users) if (other !== u) expect(partition, `${u.name}'s partition`).not.toContain(other.oid);
    }
  });

  it('classifies missing consent, claims challenges, expired assertions and configuration errors', async () => {
    const validate = createSsoTokenValidator(configFor(dt));
    const source = createGraphTokenSource(configFor(dt));
    const consent = await source.forUser(await validate(await dt.ssoToken('eve'))).catch((e: unknown) => e);
    expect(consent).toBeInstanceOf(ConsentRequiredError);
    expect((consent as ConsentRequiredError).scopes).toContain('CallDelegation.Read');

    const mfa = await source.forUser(await validate(await dt.ssoToken('finn'))).catch((e: unknown) => e);
    expect(mfa).toBeInstanceOf(ClaimsChallengeError);
    expect(JSON.parse((mfa as ClaimsChallengeError).claims)).toHaveProperty('access_token');

    const good = await validate(await dt.ssoToken('ada'));
    const expired = await source.forUser({ ...good, token: await mint({ lifetimeSeconds: -900 }) }).catch((e: unknown) => e);
    expect(expired).toBeInstanceOf(InvalidAssertionError);
    expect((expired as InvalidAssertionError).kind).toBe('expired');

    const forged = await source.forUser({ ...good, token: await mint({ foreignKey: true }) }).catch((e: unknown) => e);
    expect(forged).toBeInstanceOf(InvalidAssertionError);
    expect((forged as InvalidAssertionError).kind).toBe('invalid');

    const wrongSecret = await createGraphTokenSource(configFor(dt, { clientSecret: 'wrong' }))
      .forUser(good)
      .catch((e: unknown) => e);
    expect(wrongSecret).toBeInstanceOf(AuthConfigurationError);
    expect((wrongSecret as AuthConfigurationError).aadCode).toBe('AADSTS7000215');
  });

  it('tries once more when the token request gets no answer, then reports Entra ID as unavailable', async () => {
    const user = await createSsoTokenValidator(configFor(dt))(await dt.ssoToken('ada'));
    dt.context.faults.set({ rules: [{ target: 'entra', match: 'oauth2', dropNext: 1 }] });
    expect(await createGraphTokenSource(configFor(dt)).forUser(user)).toMatch(/^ey/);
    dt.context.faults.set({ rules: [{ target: 'entra', match: 'oauth2', dropRate: 1 }] });
    const down = await createGraphTokenSource(configFor(dt))
      .forUser(user)
      .catch((e: unknown) => e);
    expect(down).toBeInstanceOf(AuthServiceError);
    expect((down as AuthServiceError).code).toBe('authUnavailable');
    dt.context.faults.reset();
  });

  it('gets app-only tokens', async () => {
    const token = await createGraphTokenSource(configFor(dt)).forApp();
    expect(token.split('.')).toHaveLength(3);
    expect(dt.context.counters.get('token client_credentials')).toBe(1);
  });
});
