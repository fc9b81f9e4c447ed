/**
 * The basic profile (learn.microsoft.com graph/api/resources/users, "User basic profile properties"): with
 * User.ReadBasic.All a caller reads only displayName, givenName, id, mail, surname, userPrincipalName of
 * other people; User.Read.All (admin consent) reads the rest; everyone reads their own full profile.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestTenant, testSeed, type TestTenant } from '../../testkit';

const ADA = '00000000-0000-4000-8000-000000000001';
const BEN = '00000000-0000-4000-8000-000000000002';
const graphScope = (s: string) => `https://graph.microsoft.com/${s}`;
const BASIC = ['User.Read', 'User.ReadBasic.All'].map(graphScope);
const FULL = ['User.Read', 'User.ReadBasic.All', 'User.Read.All'].map(graphScope);

let dt: TestTenant;
let basic: string;
let full: string;
beforeAll(async () => {
  const seed = testSeed();
  seed.app.delegatedScopes.push('User.Read.All'); // the admin granted it
  dt = await startTestTenant({ seed });
  // Consent is additive (a token carries every consented scope): the basic token is Ada's before the grant.
  dt.tenant.revokeConsent(ADA);
  dt.tenant.grantConsent(ADA, ['User.Read', 'User.ReadBasic.All']);
  basic = await dt.graphToken('ada', BASIC);
  dt.tenant.grantConsent(ADA);
  full = await dt.graphToken('ada', FULL);
});
afterAll(async () => dt?.close());

const get = async (path: string, token: string) => {
  const res = await fetch(`${dt.origin}${path}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status, path).toBe(200);
  return (await res.json()) as Record<string, unknown> & { value?: Array<Record<string, unknown>> };
};

describe('users: the basic profile with User.ReadBasic.All', () => {
  it('gives other people without title, department or office (null), keeping the properties asked for', async () => {
    const ben = await get(`/v1.0/users/${BEN}?$select=id,displayName,mail,jobTitle,department,officeLocation,businessPhones`, basic);
    expect(ben).toMatchObject({
      id: BEN,
      displayName: 'Ben Assist',
      jobTitle: null,
      department: null,
      officeLocation: null,
      businessPhones: [],
    });
    expect(ben.mail).toBeTruthy();
  });

  it('narrows the default properties too, and every user of a list', async () => {
    const ben = await get(`/v1.0/users/${BEN}`, basic);
    expect(ben.jobTitle).toBeNull();
    expect(ben.displayName).toBe('Ben Assist');
    const list = await get(`/v1.0/users?$filter=${encodeURIComponent(`id in ('${ADA}','${BEN}')`)}&$select=id,jobTitle,department`, basic);
    // Ada reads herself in full (User.Read), Ben in basic.
    expect(Object.fromEntries(list.value!.map((u) => [u.id, u.jobTitle]))).toEqual({ [ADA]: 'CEO', [BEN]: null });
  });

  it('with User.Read.All, returns the full profile', async () => {
    const ben = await get(`/v1.0/users/${BEN}?$select=id,jobTitle,department`, full);
    expect(ben.jobTitle).toBe('Assistant');
    const list = await get(`/v1.0/users?$filter=${encodeURIComponent(`id in ('${BEN}')`)}&$select=id,jobTitle`, full);
    expect(list.value).toEqual([{ id: BEN, jobTitle: 'Assistant' }]);
  });

  it('inside $batch as well', async () => {
    const res = await fetch(`${dt.origin}/v1.0/$batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${basic}`, 'content-type': 'application/json' },
      body: JSON.stringify({ requests: [{ id: '1', method: 'GET', url: `/users/${BEN}?$select=id,jobTitle` }] }),
    });
    const body = (await res.json()) as { responses: Array<{ status: number; body: Record<string, unknown> }> };
    expect(body.responses[0]).toMatchObject({ status: 200, body: { id: BEN, jobTitle: null } });
  });

  it('application permissions: User.Read.All reads the full profile', async () => {
    const ben = await get(`/v1.0/users/${BEN}?$select=id,jobTitle`, await dt.appToken());
    expect(ben.jobTitle).toBe('Assistant');
  });
});
