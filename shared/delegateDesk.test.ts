import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestTenant, testSeed, type TestTenant } from '../devtenant/testkit';
import type { SeedInput } from '../devtenant/tenant/seedTypes';
import { deskFor } from '../tests/support/desk';
import type { DelegateDesk } from './delegateDesk';
import { InMemoryTokenCacheStore } from './auth/tokenCache';
import { ClaimsChallengeError, ConsentRequiredError, DelegationDisabledError, GraphThrottledError, GraphUnavailableError } from './errors';

const ADA = '00000000-0000-4000-8000-000000000001';
const BEN = '00000000-0000-4000-8000-000000000002';
const CLEO = '00000000-0000-4000-8000-000000000003';

let dt: TestTenant;
let desk: DelegateDesk;
const user = async (name: string) => desk.validateSsoToken(await dt.ssoToken(name));
const graphRequests = () => dt.context.counters.total('graph ');

beforeAll(async () => {
  dt = await startTestTenant({ pageSize: 1 });
  desk = deskFor(dt);
});
afterAll(async () => dt.close());
beforeEach(async () => {
  desk.invalidate();
  dt.context.counters.reset();
  dt.context.faults.reset();
});

describe('loadDelegationView', () => {
  it("shows the executive's delegates, reachable first, following paging", async () => {
    const view = await desk.loadDelegationView(await user('ada'));
    expect(view.me).toMatchObject({ id: ADA, displayName: 'Ada Exec', userPrincipalName: 'ada@fabrikam.test' });
    expect(view.delegates.map((d) => d.person.displayName)).toEqual(['Ben Assist', 'Cleo Assist']);
    expect(view.delegates[0]).toMatchObject({
      canTakeCallNow: true,
      permissions: ['makeCalls', 'receiveCalls', 'pickUpHeldCalls', 'joinActiveCalls', 'manageCallAndDelegateSettings'],
      presence: { availability: 'Available', statusMessage: 'Taking calls for Ada' },
      person: { jobTitle: 'Assistant', userPrincipalName: 'ben@fabrikam.test' },
    });
    expect(view.delegates[1]).toMatchObject({
      canTakeCallNow: false,
      permissionLabels: ['Make calls'],
      presence: { availability: 'Away' },
    });
    expect(view.whoCanTakeMyCall.summary).toBe('Ben Assist can take your call now.');
    // Page size 1: two pages of delegates.
    expect(dt.context.counters.get('graph GET /beta/users/{id}/communications/callSettings/delegates')).toBe(2);
  });

  it("shows the assistant's delegators, the inactive one included", async () => {
    const view = await desk.loadDelegationView(await user('ben'));
    expect(view.delegators.map((d) => [d.person.displayName, d.isActive])).toEqual(
      expect.arrayContaining([
        ['Ada Exec', true],
        ['Hana Exec', false],
        ['Eve NoConsent', true],
      ]),
    );
    expect(view.delegators.at(-1)!.isActive).toBe(false);
    expect(view.delegates).toEqual([]);
  });

  it('gives an empty view to someone with no delegation', async () => {
    const view = await desk.loadDelegationView(await user('gus'));
    expect([view.delegates.length, view.delegators.length]).toEqual([0, 0]);
    expect(view.whoCanTakeMyCall.summary).toMatch(/no delegates/);
  });

  it('reports the calling policy, missing consent and MFA as their own errors', async () => {
    await expect(desk.loadDelegationView(await user('dan'))).rejects.toBeInstanceOf(DelegationDisabledError);
    await expect(desk.loadDelegationView(await user('eve'))).rejects.toBeInstanceOf(ConsentRequiredError);
    await expect(desk.loadDelegationView(await user('finn'))).rejects.toBeInstanceOf(ClaimsChallengeError);
  });

  it('costs no Graph request when repeated within the cache lifetime, and fetches again after invalidation', async () => {
    const ada = await user('ada');
    await desk.loadDelegationView(ada);
    const cold = graphRequests();
    await desk.loadDelegationView(ada);
    expect(graphRequests()).toBe(cold);
    desk.invalidate(ada);
    await desk.loadDelegationView(ada);
    expect(graphRequests()).toBeGreaterThan(cold);
  });

  it('builds a view again only when something it shows changed, and stamps every answer with its own time', async () => {
    const ada = await user('ada');
    const first = await desk.loadDelegationView(ada);
    await new Promise((r) => setTimeout(r, 5));
    const again = await desk.loadDelegationView(ada);
    // Nothing changed: the same entries, not rebuilt; the time is this answer's.
    expect(again.delegates).toBe(first.delegates);
    expect(Date.parse(again.generatedAt)).toBeGreaterThan(Date.parse(first.generatedAt));
    const before = first.delegates.find((d) => d.person.id === BEN)!.presence!;
    expect(before.availability).not.toBe('Away');
    await dt.admin('PUT', `/users/${BEN}/presence`, { availability: 'Away', activity: 'Away' });
    try {
      await desk.invalidate(ada, { presence: true });
      const changed = await desk.loadDelegationView(ada);
      expect(changed.delegates).not.toBe(first.delegates);
      expect(changed.delegates.find((d) => d.person.id === BEN)?.presence?.availability).toBe('Away');
    } finally {
      await dt.admin('DELETE', `/users/${BEN}/presence`);
    }
  });

  it('shows a delegate added since the last view, with their presence (the people read with the lists are the old ones)', async () => {
    const ada = await user('ada');
    const before = await desk.loadDelegationView(ada);
    expect(before.delegates.map((d) => d.person.displayName)).not.toContain('Dan Other');
    await dt.admin('POST', '/delegations', { delegator: 'ada', delegate: 'dan', allowedActions: { receiveCalls: true } });
    try {
      await desk.invalidate(ada);
      const after = await desk.loadDelegationView(ada);
      const dan = after.delegates.find((d) => d.person.userPrincipalName === 'dan@fabrikam.test');
      expect(dan).toMatchObject({ person: { found: true }, presence: { availability: expect.any(String) } });
      expect(after.delegates).toHaveLength(before.delegates.length + 1);
    } finally {
      await dt.admin('DELETE', '/delegations/ada/dan');
      await desk.invalidate(ada);
    }
  });

  it("reads Entra's keys and metadata when warmed up, so the first view waits only for the exchange and Graph", async () => {
    const fresh = deskFor(dt, { tokenCacheStore: new InMemoryTokenCacheStore() });
    const entra = () => dt.context.counters.total('entra ');
    await fresh.warmUp();
    expect(dt.context.counters.get('entra GET /{tenant}/discovery/v2.0/keys')).toBe(1);
    expect(dt.context.counters.get('entra GET /{tenant}/v2.0/.well-known/openid-configuration')).toBe(1);
    const before = entra();
    const view = await fresh.loadDelegationView(await fresh.validateSsoToken(await dt.ssoToken('ada')));
    expect(view.delegates.length).toBeGreaterThan(0);
    expect(entra()).toBe(before);
  });

  it('retries a throttled request after Retry-After and a 503, then succeeds', async () => {
    await dt.admin('PUT', '/faults', {
      rules: [
        { match: 'getPresencesByUserId', failNext: { status: 429, count: 1, retryAfterSeconds: 0.2 } },
        { match: 'GET /v1.0/users', failNext: { status: 503, count: 1 } },
      ],
    });
    const view = await desk.loadDelegationView(await user('ada'));
    expect(view.delegates).toHaveLength(2);
    expect(dt.context.counters.get('graph POST /v1.0/communications/getPresencesByUserId')).toBe(2);
    expect(dt.context.counters.get('graph GET /v1.0/users')).toBe(2);
  });

  it('abandons a Graph request that does not answer in time, retries it, then keeps the last good presence', async () => {
    const ada = await user('ada');
    const impatient = deskFor(dt, {
      ttl: { presenceMs: 1 },
      retry: { maxAttempts: 2, maxTotalWaitMs: 1_000, baseDelayMs: 10, maxDelayMs: 20, attemptTimeoutMs: 200 },
    });
    expect((await impatient.loadDelegationView(ada)).presenceStale).toBe(false);
    await dt.admin('PUT', '/faults', { rules: [{ match: 'getPresencesByUserId', latency: { fixedMs: 2_000 } }] });
    dt.context.counters.reset();
    await new Promise((r) => setTimeout(r, 5));
    const view = await impatient.loadDelegationView(ada);
    expect(view.presenceStale).toBe(true);
    expect(view.delegates[0]!.presence?.availability).toBe('Available');
    expect(dt.context.counters.get('graph POST /v1.0/communications/getPresencesByUserId')).toBe(2);
    impatient.invalidate();
    await expect(impatient.loadDelegationView(ada)).rejects.toBeInstanceOf(GraphUnavailableError);
  });

  it('reads presence for many people loading at once in at most two calls', async () => {
    const people = await Promise.all(['ada', 'ben', 'cleo', 'hana'].map(user));
    await dt.admin('PUT', '/faults', { rules: [{ match: 'getPresencesByUserId', latency: { fixedMs: 300 } }] });
    const views = await Promise.all(people.map((p) => desk.loadDelegationView(p)));
    // Each view still has its people's presence…
    for (const v of views) for (const e of [...v.delegates, ...v.delegators]) expect(e.presence?.availability).toBeTruthy();
    // …from one call, plus one for whoever asked while it was in flight (four calls without batching).
    expect(dt.context.counters.get('graph POST /v1.0/communications/getPresencesByUserId')).toBeLessThanOrEqual(2);
  });

  it('gives up after its budget with a typed error, or keeps the last good presence', async () => {
    const ada = await user('ada');
    await dt.admin('PUT', '/faults', { rules: [{ match: 'callSettings', errors: { rate429: 1, rate503: 0, retryAfterSeconds: 0.1 } }] });
    await expect(desk.loadDelegationView(ada)).rejects.toBeInstanceOf(GraphThrottledError);
    // The view fails with the first list that gives up; the other may still be on its last try.
    await expect.poll(() => dt.context.counters.get('graph GET /beta/users/{id}/communications/callSettings/delegates')).toBe(3);

    await dt.admin('DELETE', '/faults');
    const shortLived = deskFor(dt, { ttl: { presenceMs: 1 } });
    const first = await shortLived.loadDelegationView(ada);
    expect(first.presenceStale).toBe(false);
    await dt.admin('PUT', '/faults', {
      rules: [{ match: 'getPresencesByUserId', errors: { rate503: 1, rate429: 0, retryAfterSeconds: 0 } }],
    });
    await new Promise((r) => setTimeout(r, 5));
    const second = await shortLived.loadDelegationView(ada);
    expect(second.presenceStale).toBe(true);
    expect(second.delegates[0]!.presence?.availability).toBe('Available');
    shortLived.invalidate();
    await expect(shortLived.loadDelegationView(ada)).rejects.toBeInstanceOf(GraphUnavailableError);
  });
});

/** A tenant where one executive has `n` delegates and `m` delegators (others are extra users). */
function bigSeed(users: number, delegates: number, delegators: number): SeedInput {
  const seed = testSeed();
  const id = (i: number) => `20000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  for (let i = 0; i < users; i++) seed.users.push({ id: id(i), givenName: 'Person', surname: String(i), userPrincipalName: `p${i}` });
  seed.delegations = [
    ...Array.from({ length: delegates }, (_, i) => ({ delegator: 'hana', delegate: `p${i}`, allowedActions: { receiveCalls: true } })),
    ...Array.from({ length: delegators }, (_, i) => ({
      delegator: `p${delegates + i}`,
      delegate: 'hana',
      allowedActions: { makeCalls: true },
    })),
  ];
  return seed;
}

describe('at scale', () => {
  it('reads 40 people in one $batch of three `in` filters, and every presence in one call', async () => {
    const big = await startTestTenant({ seed: bigSeed(40, 20, 20) });
    try {
      const d = deskFor(big);
      const view = await d.loadDelegationView(await d.validateSsoToken(await big.ssoToken('hana')));
      expect(view.delegates).toHaveLength(20);
      expect(view.delegators).toHaveLength(20);
      expect(view.delegates.every((e) => e.person.found)).toBe(true);
      const c = big.context.counters;
      expect(c.get('graph POST /v1.0/$batch')).toBe(1);
      expect(c.get('graph-batch-item GET /v1.0/users')).toBe(3);
      expect(c.get('graph POST /v1.0/communications/getPresencesByUserId')).toBe(1);
      expect(c.total('graph ')).toBe(4);
    } finally {
      await big.close();
    }
  });

  it('splits 700 presences into two calls of at most 650', async () => {
    const big = await startTestTenant({ seed: bigSeed(700, 0, 0) });
    try {
      const { getPresences } = await import('./graph/operations/presence');
      const { createGraphClient } = await import('./graph/client');
      const token = await big.graphToken('ada');
      const client = createGraphClient(async () => token, { graphBaseUrl: big.origin });
      const ids = big.tenant
        .listUsers()
        .map((u) => u.id)
        .filter((i) => i.startsWith('20000000'));
      const presences = await getPresences(client, ids);
      expect(presences).toHaveLength(700);
      expect(big.context.counters.get('graph POST /v1.0/communications/getPresencesByUserId')).toBe(2);
    } finally {
      await big.close();
    }
  });
});

describe('actions', () => {
  it('sets and clears my presence and status message', async () => {
    const ben = await user('ben');
    await desk.setMyPresence(ben, 'DoNotDisturb', 60);
    await desk.setMyStatusMessage(ben, 'Back at 3');
    let p = dt.tenant.effectivePresence(BEN);
    expect([p.availability, p.statusMessage?.content]).toEqual(['DoNotDisturb', 'Back at 3']);
    await desk.clearMyPresence(ben);
    p = dt.tenant.effectivePresence(BEN);
    expect(p.availability).toBe('Available');
    expect(p.statusMessage?.content).toBe('Taking calls for Ada');
  });

  it('creates a meeting with a join link', async () => {
    const m = await desk.createMeeting(await user('ada'), {
      subject: 'Cover',
      attendees: [{ displayName: 'Ben Assist', address: 'ben@fabrikam.test' }],
    });
    expect(m.joinWebUrl).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
  });

  it('finds people by the start of a name in one directory request, with their presence', async () => {
    const ada = await user('ada');
    dt.context.counters.reset();
    const found = await desk.findPeople(ada, 'assist');
    expect(found.map((f) => [f.person.displayName, f.presence?.availability]).sort()).toEqual([
      ['Ben Assist', 'Available'],
      ['Cleo Assist', 'Away'],
    ]);
    expect(dt.context.counters.get('graph GET /v1.0/users')).toBe(1);
    expect((await desk.findPeople(ada, 'cleo@fabrikam.test')).map((f) => f.person.displayName)).toEqual(['Cleo Assist']);
  });

  it('reads a photo, or null when there is none', async () => {
    const ada = await user('ada');
    expect((await desk.photo(ada, BEN))?.contentType).toBe('image/jpeg');
    expect(await desk.photo(ada, CLEO)).toBeNull();
  });

  it('subscribes to presence, renews and deletes', async () => {
    const rx = http.createServer((q, r) => {
      const token = new URL(q.url!, 'http://x').searchParams.get('validationToken');
      r.writeHead(token ? 200 : 202, { 'content-type': 'text/plain' }).end(token ?? '');
    });
    await new Promise<void>((r) => rx.listen(0, '127.0.0.1', () => r()));
    try {
      const ada = await user('ada');
      const sub = await desk.subscribeToPresence(ada, {
        userIds: [BEN, CLEO],
        notificationUrl: `http://localhost:${(rx.address() as AddressInfo).port}/n`,
        clientState: 'x',
      });
      expect(Date.parse(sub.expirationDateTime)).toBeGreaterThan(Date.now() + 55 * 60_000);
      const renewed = await desk.renewPresenceSubscription(ada, sub.id);
      expect(renewed.id).toBe(sub.id);
      await desk.deletePresenceSubscription(ada, sub.id);
      expect(dt.context.counters.get('graph DELETE /v1.0/subscriptions/{id}')).toBe(1);
    } finally {
      rx.close();
    }
  });
});
