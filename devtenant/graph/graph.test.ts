import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GraphError as ClientGraphError, PageIterator, type PageCollection } from '@microsoft/microsoft-graph-client';
import type { DelegationSettings, Presence } from '@microsoft/microsoft-graph-types-beta';
import type { User } from '@microsoft/microsoft-graph-types';
import jpeg from 'jpeg-js';
import { startTestTenant, type TestTenant } from '../testkit';

const ADA = '00000000-0000-4000-8000-000000000001';
const BEN = '00000000-0000-4000-8000-000000000002';
const CLEO = '00000000-0000-4000-8000-000000000003';
const DAN = '00000000-0000-4000-8000-000000000004';
const HANA = '00000000-0000-4000-8000-000000000008';

let dt: TestTenant;
let adaToken: string;
let benToken: string;
beforeAll(async () => {
  dt = await startTestTenant({ pageSize: 1 });
  adaToken = await dt.graphToken('ada');
  benToken = await dt.graphToken('ben');
});
afterAll(async () => dt.close());
beforeEach(async () => {
  dt.context.counters.reset();
  dt.context.faults.reset();
});

const get = (path: string, token?: string, headers: Record<string, string> = {}) =>
  fetch(`${dt.origin}${path}`, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
const post = (path: string, token: string, body: unknown) =>
  fetch(`${dt.origin}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

async function graphError(res: Response) {
  const body = (await res.json()) as { error: { code: string; message: string; innerError: Record<string, string> } };
  expect(body.error.innerError.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
  expect(body.error.innerError['request-id']).toBe(res.headers.get('request-id'));
  expect(body.error.innerError['client-request-id']).toBe(res.headers.get('client-request-id'));
  return { status: res.status, ...body.error };
}

describe('Graph token checks', () => {
  it('401 InvalidAuthenticationToken "Access token is empty." without a token, with the Graph envelope and headers', async () => {
    const res = await get('/v1.0/me', undefined, { 'client-request-id': 'c0ffee00-0000-4000-8000-000000000000' });
    expect(res.headers.get('client-request-id')).toBe('c0ffee00-0000-4000-8000-000000000000');
    expect(res.headers.get('request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('www-authenticate')).toContain('Bearer');
    expect(res.headers.get('content-type')).toContain('application/json');
    const e = await graphError(res);
    expect(e).toMatchObject({ status: 401, code: 'InvalidAuthenticationToken', message: 'Access token is empty.' });
  });

  it('401 for a malformed token', async () => {
    expect(await graphError(await get('/v1.0/me', 'not-a-jwt'))).toMatchObject({
      status: 401,
      message: 'CompactToken parsing failed with error code: 80049217',
    });
  });

  it('401 for an expired token', async () => {
    const { token } = (await (await dt.admin('POST', '/tokens', { user: 'ada', kind: 'graph', lifetimeSeconds: -900 })).json()) as {
      token: string;
    };
    expect(await graphError(await get('/v1.0/me', token))).toMatchObject({
      status: 401,
      message: 'Access token has expired or is not yet valid.',
    });
  });

  it('401 for a token meant for another audience (the SSO token itself)', async () => {
    expect(await graphError(await get('/v1.0/me', await dt.ssoToken('ada')))).toMatchObject({
      status: 401,
      code: 'InvalidAuthenticationToken',
      message: expect.stringContaining('audience'),
    });
  });

  it('401 for a bad signature', async () => {
    const { token } = (await (await dt.admin('POST', '/tokens', { user: 'ada', kind: 'graph', foreignKey: true })).json()) as {
      token: string;
    };
    expect((await graphError(await get('/v1.0/me', token))).status).toBe(401);
  });

  it('403 naming the permission when a scope is missing', async () => {
    const { token } = (await (await dt.admin('POST', '/tokens', { user: 'ada', kind: 'graph', scopes: ['User.Read'] })).json()) as {
      token: string;
    };
    const e = await graphError(await get('/beta/me/communications/callSettings/delegates', token));
    expect(e).toMatchObject({ status: 403, code: 'Forbidden' });
    expect(e.message).toContain('CallDelegation.Read');
    // Directory data, and other people's presence, are refused without naming the permission.
    for (const denied of [
      await get(`/v1.0/users/${BEN}`, token),
      await get(`/v1.0/users/${BEN}/presence`, token),
      await post('/v1.0/communications/getPresencesByUserId', token, { ids: [BEN] }),
    ]) {
      expect(await graphError(denied)).toMatchObject({
        status: 403,
        code: 'Authorization_RequestDenied',
        message: 'Insufficient privileges to complete the operation.',
      });
    }
  });

  it('refuses /me with an app-only token', async () => {
    const e = await graphError(await get('/v1.0/me', await dt.appToken()));
    expect(e).toMatchObject({ status: 400, message: '/me request is only valid with delegated authentication flow.' });
  });

  it('answers an unknown segment as Graph does', async () => {
    expect(await graphError(await get('/v1.0/me/nonsense', adaToken))).toMatchObject({
      status: 400,
      code: 'BadRequest',
      message: "Resource not found for the segment 'nonsense'.",
    });
  });
});

describe('call delegation (beta)', () => {
  it('lists my delegates in the documented shape through the Graph client', async () => {
    const res = (await dt.graph(adaToken, 'beta').api('/me/communications/callSettings/delegates').top(10).get()) as {
      value: DelegationSettings[];
    };
    expect(res.value.map((d) => d.id)).toEqual([BEN, CLEO]);
    expect(res.value[0]).toEqual({
      '@odata.type': '#microsoft.graph.delegationSettings',
      id: BEN,
      createdDateTime: '2025-01-01T00:00:00Z',
      isActive: true,
      allowedActions: {
        '@odata.type': 'microsoft.graph.delegateAllowedActions',
        makeCalls: true,
        receiveCalls: true,
        manageCallAndDelegateSettings: true,
        pickUpHeldCalls: true,
        joinActiveCalls: true,
      },
    });
  });

  it('pages with an absolute @odata.nextLink that keeps the query, followed by the PageIterator', async () => {
    const client = dt.graph(adaToken, 'beta');
    const first = (await client.api('/me/communications/callSettings/delegates').get()) as PageCollection;
    expect(first.value).toHaveLength(1);
    expect(first['@odata.nextLink']).toMatch(new RegExp(`^${dt.origin}/beta/me/communications/callSettings/delegates\\?\\$skiptoken=`));
    const ids: string[] = [];
    await new PageIterator(client, first, (d: DelegationSettings) => {
      ids.push(d.id!);
      return true;
    }).iterate();
    expect(ids).toEqual([BEN, CLEO]);
    expect(dt.context.counters.get('graph GET /beta/users/{id}/communications/callSettings/delegates')).toBe(2);
  });

  it('filters on allowedActions with or without $, and counts', async () => {
    const a = (await (
      await get(`/beta/me/communications/callSettings/delegates?$filter=allowedActions/receiveCalls eq true&$top=10`, adaToken)
    ).json()) as { value: DelegationSettings[] };
    expect(a.value.map((d) => d.id)).toEqual([BEN]);
    const b = (await (
      await get(
        `/beta/me/communications/callSettings/delegates?filter=${encodeURIComponent('allowedActions/receiveCalls eq false')}&$top=10`,
        adaToken,
      )
    ).json()) as { value: DelegationSettings[] };
    expect(b.value.map((d) => d.id)).toEqual([CLEO]);
    const c = (await (await get('/beta/me/communications/callSettings/delegates?$count=true', adaToken)).json()) as Record<string, unknown>;
    expect(c['@odata.count']).toBe(2);
    const bad = await graphError(await get(`/beta/me/communications/callSettings/delegates?$filter=allowedActions/fly eq true`, adaToken));
    expect(bad.status).toBe(400);
  });

  it('lists my delegators, inactive ones included', async () => {
    const res = (await (await get('/beta/me/communications/callSettings/delegators?$top=10', benToken)).json()) as {
      value: DelegationSettings[];
    };
    const byId = Object.fromEntries(res.value.map((d) => [d.id, d]));
    expect(Object.keys(byId).sort()).toEqual([ADA, '00000000-0000-4000-8000-000000000005', HANA].sort());
    expect(byId[HANA]!.isActive).toBe(false);
  });

  it('gets one delegate (no value wrapper) and answers 404 for a stranger', async () => {
    const one = (await (await get(`/beta/me/communications/callSettings/delegates/${CLEO}`, adaToken)).json()) as DelegationSettings;
    expect(one).toMatchObject({ id: CLEO, isActive: true, allowedActions: { makeCalls: true, receiveCalls: false } });
    expect((await graphError(await get(`/beta/me/communications/callSettings/delegates/${DAN}`, adaToken))).status).toBe(404);
  });

  it('works on /users/{id} for myself, and is beta only', async () => {
    const res = await get(`/beta/users/${ADA}/communications/callSettings/delegates?$top=5`, adaToken);
    expect(res.status).toBe(200);
    expect((await graphError(await get('/v1.0/me/communications/callSettings/delegates', adaToken))).status).toBe(400);
  });

  it('answers 403 for a user whose calling policy disallows delegation', async () => {
    const e = await graphError(await get('/beta/me/communications/callSettings/delegates', await dt.graphToken('dan')));
    expect(e.status).toBe(403);
    expect(e.message).toContain('AllowDelegation');
  });

  it('reflects delegations added and removed through the admin API, and enforces the 25-delegate limit', async () => {
    const hanaToken = await dt.graphToken('hana');
    expect(
      (await dt.admin('POST', '/delegations', { delegator: 'hana', delegate: 'cleo', allowedActions: { receiveCalls: true } })).status,
    ).toBe(201);
    let list = (await (await get('/beta/me/communications/callSettings/delegates?$top=50', hanaToken)).json()) as {
      value: DelegationSettings[];
    };
    expect(list.value.map((d) => d.id)).toContain(CLEO);
    expect((await dt.admin('POST', '/delegations', { delegator: 'hana', delegate: 'cleo' })).status).toBe(409);
    expect((await dt.admin('DELETE', `/delegations/${HANA}/${CLEO}`)).status).toBe(204);
    list = (await (await get('/beta/me/communications/callSettings/delegates?$top=50', hanaToken)).json()) as {
      value: DelegationSettings[];
    };
    expect(list.value.map((d) => d.id)).not.toContain(CLEO);
  });
});

describe('users and photos', () => {
  it('GET /me returns the default properties', async () => {
    const me = (await dt.graph(adaToken).api('/me').get()) as User & Record<string, unknown>;
    expect(me['@odata.context']).toBe(`${dt.origin}/v1.0/$metadata#users/$entity`);
    expect(Object.keys(me).sort()).toEqual(
      [
        '@odata.context',
        'businessPhones',
        'displayName',
        'givenName',
        'id',
        'jobTitle',
        'mail',
        'mobilePhone',
        'officeLocation',
        'preferredLanguage',
        'surname',
        'userPrincipalName',
      ].sort(),
    );
    expect(me).toMatchObject({ id: ADA, displayName: 'Ada Exec', jobTitle: 'CEO', userPrincipalName: dt.upn('ada') });
  });

  it('reads a user by UPN with $select', async () => {
    const u = (await dt
      .graph(adaToken)
      .api(`/users/${dt.upn('ben')}`)
      .select(['id', 'displayName', 'department'])
      .get()) as Record<string, unknown>;
    expect(u).toEqual({
      '@odata.context': `${dt.origin}/v1.0/$metadata#users(id,displayName,department)/$entity`,
      id: BEN,
      displayName: 'Ben Assist',
      department: null,
    });
  });

  it('filters users by id in (...), up to 15 values', async () => {
    const res = (await dt.graph(adaToken).api('/users').filter(`id in ('${BEN}','${CLEO}')`).select('id,displayName').get()) as {
      value: User[];
    };
    expect(res.value.map((u) => u.id).sort()).toEqual([BEN, CLEO]);
    const sixteen = Array.from({ length: 16 }, (_, i) => `'00000000-0000-4000-8000-0000000000${String(i).padStart(2, '0')}'`).join(',');
    const e = await graphError(await get(`/v1.0/users?$filter=${encodeURIComponent(`id in (${sixteen})`)}`, adaToken));
    expect(e).toMatchObject({ status: 400, code: 'Request_UnsupportedQuery' });
  });

  it("joins filter clauses with or (quoted ' or ' is text), within the child-clause limit", async () => {
    const res = (await dt
      .graph(adaToken)
      .api('/users')
      .filter("startswith(givenName,'Cle') or startswith(surname,'Loner') or displayName eq 'x'' or y'")
      .select('id,displayName')
      .get()) as { value: User[] };
    expect(res.value.map((u) => u.displayName).sort()).toEqual(['Cleo Assist', 'Gus Loner']);
    const sixteen = Array.from({ length: 16 }, (_, i) => `startswith(displayName,'${i}')`).join(' or ');
    expect(await graphError(await get(`/v1.0/users?$filter=${encodeURIComponent(sixteen)}`, adaToken))).toMatchObject({
      status: 400,
      code: 'Request_UnsupportedQuery',
    });
  });

  it('answers 404 Request_ResourceNotFound for an unknown user, through the client as a GraphError', async () => {
    const err = (await dt
      .graph(adaToken)
      .api('/users/99999999-0000-4000-8000-000000000000')
      .get()
      .catch((e: unknown) => e)) as ClientGraphError;
    expect(err.statusCode).toBe(404);
    expect(err.code).toBe('Request_ResourceNotFound');
  });

  it('serves photos as JPEG in the documented sizes, and 404 ImageNotFound when there is none', async () => {
    const res = await get(`/v1.0/users/${BEN}/photos/96x96/$value`, adaToken);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    const img = jpeg.decode(Buffer.from(await res.arrayBuffer()));
    expect([img.width, img.height]).toEqual([96, 96]);
    expect((await get(`/v1.0/users/${BEN}/photo/$value`, adaToken)).status).toBe(200);
    const meta = (await (await get(`/v1.0/users/${BEN}/photo`, adaToken)).json()) as Record<string, unknown>;
    expect(meta['@odata.mediaContentType']).toBe('image/jpeg');
    expect(await graphError(await get(`/v1.0/users/${CLEO}/photo/$value`, adaToken))).toMatchObject({ status: 404, code: 'ImageNotFound' });
    expect((await graphError(await get(`/v1.0/users/${BEN}/photos/50x50/$value`, adaToken))).status).toBe(404);
  });
});

describe('presence', () => {
  it('reads my presence with the full status message, and others without expiry and publish time', async () => {
    await post(`/v1.0/me/presence/setStatusMessage`, benToken, {
      statusMessage: {
        message: { content: 'Back at 3', contentType: 'text' },
        expiryDateTime: { dateTime: '2099-01-01T00:00:00', timeZone: 'UTC' },
      },
    });
    const mine = (await (await get('/v1.0/me/presence', benToken)).json()) as Presence & Record<string, unknown>;
    expect(mine).toMatchObject({
      id: BEN,
      availability: 'Available',
      activity: 'Available',
      statusMessage: {
        message: { content: 'Back at 3', contentType: 'text' },
        expiryDateTime: { dateTime: '2099-01-01T00:00:00', timeZone: 'UTC' },
      },
    });
    expect(mine.statusMessage?.publishedDateTime).toBeTruthy();
    expect(mine['@odata.context']).toBe(`${dt.origin}/v1.0/$metadata#users('${BEN}')/presence/$entity`);
    expect(typeof mine.sequenceNumber).toBe('string');
    const theirs = (await (await get(`/v1.0/users/${BEN}/presence`, adaToken)).json()) as Presence;
    expect(theirs.statusMessage).toEqual({ message: { content: 'Back at 3', contentType: 'text' } });
    const viaComms = (await (await get(`/v1.0/communications/presences/${BEN}`, adaToken)).json()) as Presence;
    expect(viaComms.availability).toBe('Available');
    await post(`/v1.0/me/presence/setStatusMessage`, benToken, { statusMessage: { message: { content: '', contentType: 'text' } } });
  });

  it('shows out of office and work location', async () => {
    const gus = (await (await get(`/v1.0/users/00000000-0000-4000-8000-000000000007/presence`, adaToken)).json()) as Presence;
    expect(gus).toMatchObject({
      availability: 'Offline',
      activity: 'OffWork',
      outOfOfficeSettings: { isOutOfOffice: true, message: 'On leave until Monday' },
      workLocation: { workLocationType: 'timeOff' },
    });
  });

  it('getPresencesByUserId returns many presences in one call, up to 650 ids', async () => {
    const res = (await dt
      .graph(adaToken)
      .api('/communications/getPresencesByUserId')
      .post({ ids: [ADA, BEN, CLEO] })) as { value: Presence[] };
    expect(Object.fromEntries(res.value.map((p) => [p.id, `${p.availability}/${p.activity}`]))).toEqual({
      [ADA]: 'Busy/InAMeeting',
      [BEN]: 'Available/Available',
      [CLEO]: 'Away/Away',
    });
    const ids = Array.from({ length: 651 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    expect((await graphError(await post('/v1.0/communications/getPresencesByUserId', adaToken, { ids }))).status).toBe(400);
    expect((await post('/v1.0/communications/getPresencesByUserId', adaToken, { ids: ids.slice(0, 650) })).status).toBe(200);
  });

  it('setPresence accepts the documented pairs and the app session wins over weaker states', async () => {
    const cleoToken = await dt.graphToken('cleo');
    const bad = await graphError(
      await post(`/v1.0/users/${CLEO}/presence/setPresence`, cleoToken, { sessionId: dt.clientId, availability: 'Busy', activity: 'Busy' }),
    );
    expect(bad.status).toBe(400);
    const wrongSession = await graphError(
      await post(`/v1.0/users/${CLEO}/presence/setPresence`, cleoToken, {
        sessionId: '22553876-f5ab-4529-bffb-cfe50aa89f87',
        availability: 'Available',
        activity: 'Available',
      }),
    );
    expect(wrongSession.status).toBe(400);
    const ok = await post(`/v1.0/users/${CLEO}/presence/setPresence`, cleoToken, {
      sessionId: dt.clientId,
      availability: 'Busy',
      activity: 'InACall',
      expirationDuration: 'PT1H',
    });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('');
    let p = (await (await get(`/v1.0/users/${CLEO}/presence`, adaToken)).json()) as Presence;
    expect([p.availability, p.activity]).toEqual(['Busy', 'InACall']);
    expect((await post(`/v1.0/users/${CLEO}/presence/clearPresence`, cleoToken, { sessionId: dt.clientId })).status).toBe(200);
    expect((await graphError(await post(`/v1.0/users/${CLEO}/presence/clearPresence`, cleoToken, { sessionId: dt.clientId }))).status).toBe(
      404,
    );
    p = (await (await get(`/v1.0/users/${CLEO}/presence`, adaToken)).json()) as Presence;
    expect([p.availability, p.activity]).toEqual(['Away', 'Away']);
  });

  it('setUserPreferredPresence overrides while a session exists, and clears', async () => {
    expect(
      (
        await post(`/v1.0/users/${BEN}/presence/setUserPreferredPresence`, benToken, {
          availability: 'DoNotDisturb',
          activity: 'DoNotDisturb',
          expirationDuration: 'PT8H',
        })
      ).status,
    ).toBe(200);
    let p = (await (await get(`/v1.0/users/${BEN}/presence`, adaToken)).json()) as Presence;
    expect([p.availability, p.activity]).toEqual(['DoNotDisturb', 'DoNotDisturb']);
    expect(
      (
        await graphError(
          await post(`/v1.0/users/${BEN}/presence/setUserPreferredPresence`, benToken, { availability: 'Busy', activity: 'InACall' }),
        )
      ).status,
    ).toBe(400);
    expect((await post(`/v1.0/users/${BEN}/presence/clearUserPreferredPresence`, benToken, {})).status).toBe(200);
    p = (await (await get(`/v1.0/users/${BEN}/presence`, adaToken)).json()) as Presence;
    expect(p.availability).toBe('Available');
  });

  it('forbids a delegated token from changing someone else', async () => {
    expect(
      (
        await graphError(
          await post(`/v1.0/users/${BEN}/presence/setUserPreferredPresence`, adaToken, { availability: 'Away', activity: 'Away' }),
        )
      ).status,
    ).toBe(403);
  });

  it('follows admin presence changes', async () => {
    await dt.admin('PUT', `/users/${dt.upn('hana')}/presence`, {
      availability: 'DoNotDisturb',
      activity: 'Presenting',
      statusMessage: 'Board review',
    });
    const p = (await (await get(`/v1.0/users/${HANA}/presence`, adaToken)).json()) as Presence;
    expect(p).toMatchObject({
      availability: 'DoNotDisturb',
      activity: 'Presenting',
      statusMessage: { message: { content: 'Board review' } },
    });
  });
});

describe('$batch', () => {
  it('runs up to 20 requests, with dependsOn, and reports per-item status and headers', async () => {
    const res = (await dt
      .graph(adaToken)
      .api('/$batch')
      .post({
        requests: [
          { id: '1', method: 'GET', url: '/me?$select=id' },
          {
            id: '2',
            method: 'POST',
            url: '/communications/getPresencesByUserId',
            headers: { 'Content-Type': 'application/json' },
            body: { ids: [BEN] },
            dependsOn: ['1'],
          },
          { id: '3', method: 'GET', url: '/users/99999999-0000-4000-8000-000000000000' },
          { id: '4', method: 'GET', url: '/me', dependsOn: ['3'] },
        ],
      })) as { responses: Array<{ id: string; status: number; headers: Record<string, string>; body: Record<string, unknown> }> };
    const by = Object.fromEntries(res.responses.map((r) => [r.id, r]));
    expect(by['1']).toMatchObject({ status: 200, body: { id: ADA } });
    expect((by['2']!.body.value as Presence[])[0]!.id).toBe(BEN);
    expect(by['3']!.status).toBe(404);
    expect(by['4']!.status).toBe(424);
    expect(dt.context.counters.total('graph ')).toBe(1);
    // Item 4 never runs: its dependency failed, so only three items reach Graph.
    expect(dt.context.counters.total('graph-batch-item ')).toBe(3);
  });

  it('rejects more than 20 requests and writes without Content-Type', async () => {
    const many = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/me' }));
    expect((await graphError(await post('/v1.0/$batch', adaToken, { requests: many }))).status).toBe(400);
    expect(
      (
        await graphError(
          await post('/v1.0/$batch', adaToken, {
            requests: [{ id: '1', method: 'POST', url: '/communications/getPresencesByUserId', body: { ids: [BEN] } }],
          }),
        )
      ).status,
    ).toBe(400);
  });

  it('throttles items one by one with their own Retry-After', async () => {
    await dt.admin('PUT', '/faults', {
      rules: [{ match: 'getPresencesByUserId', failNext: { status: 429, count: 1, retryAfterSeconds: 7 } }],
    });
    const res = (await (
      await post('/beta/$batch', adaToken, {
        requests: [
          {
            id: 'a',
            method: 'POST',
            url: '/communications/getPresencesByUserId',
            headers: { 'content-type': 'application/json' },
            body: { ids: [BEN] },
          },
          { id: 'b', method: 'GET', url: '/me' },
        ],
      })
    ).json()) as { responses: Array<{ id: string; status: number; headers: Record<string, string> }> };
    const a = res.responses.find((r) => r.id === 'a')!;
    expect(a.status).toBe(429);
    expect(a.headers['Retry-After']).toBe('7');
    expect(res.responses.find((r) => r.id === 'b')!.status).toBe(200);
  });
});

describe('faults', () => {
  it('fails the next requests with 429 and Retry-After, then recovers', async () => {
    await dt.admin('PUT', '/faults', {
      rules: [{ match: '/users/{id}/presence', failNext: { status: 429, count: 2, retryAfterSeconds: 3 } }],
    });
    const first = await get('/v1.0/me/presence', adaToken);
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('3');
    expect(await graphError(first)).toMatchObject({ code: 'TooManyRequests' });
    expect((await get('/v1.0/me/presence', adaToken)).status).toBe(429);
    expect((await get('/v1.0/me/presence', adaToken)).status).toBe(200);
    expect((await get('/v1.0/me', adaToken)).status).toBe(200);
  });

  it('injects 503 at a rate', async () => {
    await dt.admin('PUT', '/faults', { rules: [{ match: '*', errors: { rate503: 1, retryAfterSeconds: 2 } }] });
    const res = await get('/v1.0/me', adaToken);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('2');
    expect((await graphError(res)).code).toBe('serviceNotAvailable');
  });

  it('adds latency', async () => {
    await dt.admin('PUT', '/faults', { rules: [{ match: 'GET /v1.0/users/{id}', latency: { fixedMs: 300 } }] });
    const started = performance.now();
    expect((await get('/v1.0/me', adaToken)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('drops connections', async () => {
    await dt.admin('PUT', '/faults', { rules: [{ match: '*', dropRate: 1 }] });
    await expect(get('/v1.0/me', adaToken)).rejects.toThrow();
  });

  it('limits presence to the configured number of requests per window per app', async () => {
    await dt.admin('PUT', '/faults', { presenceLimit: { enabled: true, limit: 3, windowSeconds: 30 } });
    for (let i = 0; i < 3; i++)
      expect((await post('/v1.0/communications/getPresencesByUserId', adaToken, { ids: [BEN] })).status).toBe(200);
    const limited = await get(`/v1.0/users/${BEN}/presence`, adaToken);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await get('/v1.0/me', adaToken)).status).toBe(200);
  });

  it('counts every request per endpoint', async () => {
    await get('/v1.0/me', adaToken);
    await get('/v1.0/me', adaToken);
    const c = (await (await dt.admin('GET', '/counters')).json()) as { graph: number; counters: Record<string, number> };
    expect(c.counters['graph GET /v1.0/users/{id}']).toBe(2);
    expect(c.graph).toBe(2);
  });
});
