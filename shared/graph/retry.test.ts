import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backoffMs, isIdempotent, retryAfterMs, DEFAULT_RETRY_POLICY } from './retry';
import { missingPermissionsFrom } from './errors';
import { GraphUnavailableError } from '../errors';
import { startTestGraph, inTurn, throttled, type TestGraph } from '../../tests/support/graphTestServer';
import { searchPeople } from './operations/users';
import { getPresences } from './operations/presence';
import { createOnlineMeeting } from './operations/meetings';

describe('retry timing', () => {
  it('reads Retry-After as integer or decimal seconds, or an HTTP date', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs('2.128')).toBe(2128);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
  });

  it('backs off exponentially with jitter, capped', () => {
    expect(backoffMs(1, DEFAULT_RETRY_POLICY, () => 0)).toBe(250);
    expect(backoffMs(1, DEFAULT_RETRY_POLICY, () => 1)).toBe(500);
    expect(backoffMs(3, DEFAULT_RETRY_POLICY, () => 1)).toBe(2000);
    expect(backoffMs(20, DEFAULT_RETRY_POLICY, () => 1)).toBe(DEFAULT_RETRY_POLICY.maxDelayMs);
  });

  it('finds the missing permissions in a Graph 403 message', () => {
    expect(
      missingPermissionsFrom(
        "Missing scope permissions on the request. API requires one of 'Presence.Read.All, Presence.ReadWrite.All'. Scopes on the request 'User.Read'",
      ),
    ).toEqual(['Presence.Read.All', 'Presence.ReadWrite.All']);
    expect(missingPermissionsFrom('Insufficient privileges to complete the operation.')).toEqual([]);
  });
});

describe('isIdempotent', () => {
  it('treats only POSTs that create or trigger something as unsafe to resend', () => {
    expect(isIdempotent('GET', 'https://graph.microsoft.com/v1.0/me')).toBe(true);
    expect(isIdempotent('PATCH', 'https://graph.microsoft.com/v1.0/subscriptions/1')).toBe(true);
    expect(isIdempotent('POST', 'https://graph.microsoft.com/v1.0/communications/getPresencesByUserId')).toBe(true);
    expect(isIdempotent('POST', 'https://graph.microsoft.com/v1.0/me/onlineMeetings')).toBe(false);
    expect(isIdempotent('POST', 'https://graph.microsoft.com/v1.0/communications/calls')).toBe(false);
    expect(isIdempotent('POST', 'https://graph.microsoft.com/v1.0/subscriptions')).toBe(false);
    const batch = (...methods: string[]) =>
      JSON.stringify({
        requests: methods.map((method, i) => ({ id: String(i), method, url: method === 'GET' ? '/me' : '/me/onlineMeetings' })),
      });
    expect(isIdempotent('POST', 'https://graph.microsoft.com/v1.0/$batch', batch('GET', 'GET'))).toBe(true);
    expect(isIdempotent('POST', 'https://graph.microsoft.com/v1.0/$batch', batch('GET', 'POST'))).toBe(false);
    expect(isIdempotent('POST', 'https://graph.microsoft.com/v1.0/$batch', 'not json')).toBe(false);
  });
});

describe('Graph client retry, against a local server', () => {
  let g: TestGraph;
  beforeEach(async () => {
    g = await startTestGraph();
  });
  afterEach(async () => g.close());

  const ok = { status: 200, body: { id: 'me', displayName: 'Ada' } };
  const people = { status: 200, body: { value: [{ id: 'me', displayName: 'Ada' }] } };
  const meeting = { status: 201, body: { id: 'm1', joinWebUrl: 'https://teams.microsoft.com/l/meetup-join/x' } };

  it.each(['drop', 'dropMidBody', 'hang'] as const)('retries a GET after a %s, then succeeds', async (fault) => {
    g.script(inTurn(fault, people));
    await expect(searchPeople(g.client, 'Ada')).resolves.toMatchObject([{ displayName: 'Ada' }]);
    expect(g.count('/v1.0/users')).toBe(2);
  });

  it.each(['drop', 'dropMidBody', 'hang'] as const)(
    'sends POST /me/onlineMeetings once after a %s, and the error surfaces',
    async (fault) => {
      g.script(inTurn(fault, meeting));
      await expect(createOnlineMeeting(g.client, { subject: 'Cover' })).rejects.toBeInstanceOf(GraphUnavailableError);
      expect(g.count('/v1.0/me/onlineMeetings')).toBe(1);
    },
  );

  it.each(['/communications/calls', '/subscriptions'])('sends POST %s once after a drop', async (path) => {
    g.script(inTurn('drop', { status: 201, body: { id: 'x' } }));
    await expect(g.client.api(path).post({})).rejects.toThrow();
    expect(g.count(`/v1.0${path}`)).toBe(1);
  });

  it('sends a create again after a 429 or 503 (Graph did not process it), but not after a 504', async () => {
    g.script(inTurn(throttled('0'), { status: 503 }, meeting));
    await expect(createOnlineMeeting(g.client, {})).resolves.toMatchObject({ id: 'm1' });
    expect(g.count('/v1.0/me/onlineMeetings')).toBe(3);

    g.seen.length = 0;
    g.script(inTurn({ status: 504 }, meeting));
    await expect(createOnlineMeeting(g.client, {})).rejects.toBeInstanceOf(GraphUnavailableError);
    expect(g.count('/v1.0/me/onlineMeetings')).toBe(1);
  });

  it('retries POST getPresencesByUserId after a drop or a timeout (it only reads)', async () => {
    g.script(inTurn('drop', 'hang', { status: 200, body: { value: [{ id: 'a', availability: 'Available' }] } }));
    await expect(getPresences(g.client, ['a'])).resolves.toEqual([{ id: 'a', availability: 'Available' }]);
    expect(g.count('/v1.0/communications/getPresencesByUserId')).toBe(3);
  });

  it.each([
    ['GET /me', () => g.client.api('/me').get(), '/v1.0/me'],
    ['POST /me/onlineMeetings', () => g.client.api('/me/onlineMeetings').post({}), '/v1.0/me/onlineMeetings'],
  ])('answers 429 on every attempt of %s with exactly 3 requests, then the 429', async (_name, call, path) => {
    g.script(() => throttled('0.001'));
    await expect(call()).rejects.toMatchObject({ statusCode: 429 });
    expect(g.count(path)).toBe(3);
  });

  it('gives a dropped GET 3 tries in all', async () => {
    g.script(() => 'drop');
    await expect(g.client.api('/me').get()).rejects.toThrow();
    expect(g.count('/v1.0/me')).toBe(3);
  });

  it('waits what Retry-After says rather than its own backoff', async () => {
    // Backoff alone (30 s and more) would be past the 1 s budget and end after one request.
    const slow = await startTestGraph({ baseDelayMs: 60_000, maxDelayMs: 60_000 });
    try {
      slow.script(inTurn(throttled('0.01'), ok));
      await expect(slow.client.api('/me').get()).resolves.toMatchObject({ displayName: 'Ada' });
      expect(slow.count('/v1.0/me')).toBe(2);
    } finally {
      await slow.close();
    }
  });

  it('gives up at once when the wait would go past the budget', async () => {
    g.script(inTurn(throttled('30'), people));
    await expect(searchPeople(g.client, 'Ada')).rejects.toMatchObject({ retryAfterSeconds: 30 });
    expect(g.count('/v1.0/users')).toBe(1);

    const slow = await startTestGraph({ baseDelayMs: 60_000, maxDelayMs: 60_000 });
    try {
      slow.script(inTurn('drop', ok));
      await expect(slow.client.api('/me').get()).rejects.toThrow();
      expect(slow.count('/v1.0/me')).toBe(1);
    } finally {
      await slow.close();
    }
  });

  it('keeps one client-request-id across retries and sends one fresh Authorization each time', async () => {
    g.script(inTurn(throttled('0'), 'drop', ok));
    await g.client.api('/me').get();
    expect(g.seen).toHaveLength(3);
    const ids = new Set(g.seen.map((s) => s.headers['client-request-id']));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(g.seen.map((s) => s.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-2', 'Bearer token-3']);

    await g.client.api('/me').get();
    expect(g.seen[3]!.headers['client-request-id']).not.toBe([...ids][0]);
  });
});
