import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestTenant, type TestTenant } from '../../testkit';

const BEN = '00000000-0000-4000-8000-000000000002';

let dt: TestTenant;
let ada: string;
let ben: string;
let cleo: string;
beforeAll(async () => {
  dt = await startTestTenant();
  [ada, ben, cleo] = await Promise.all([dt.graphToken('ada'), dt.graphToken('ben'), dt.graphToken('cleo')]);
});
afterAll(async () => dt.close());

interface EventBody {
  id: string;
  iCalUId: string;
  subject: string;
  onlineMeeting: { joinUrl: string };
  error: { code: string };
  value: EventBody[];
  [property: string]: unknown;
}
const call = async (method: string, path: string, token: string, body?: unknown) => {
  const res = await fetch(`${dt.origin}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as EventBody };
};
const meeting = (extra: Record<string, unknown> = {}) => ({
  subject: 'Cover for the board call',
  start: { dateTime: '2026-03-02T10:00:00', timeZone: 'UTC' },
  end: { dateTime: '2026-03-02T10:30:00', timeZone: 'UTC' },
  attendees: [{ emailAddress: { address: 'ben@fabrikam.test', name: 'Ben Assist' }, type: 'required' }],
  isOnlineMeeting: true,
  onlineMeetingProvider: 'teamsForBusiness',
  ...extra,
});

describe('POST /me/events with isOnlineMeeting (the calendar API, as Graph documents it)', () => {
  it('answers 201 with the event, its Teams join URL in onlineMeeting.joinUrl, and the organizer', async () => {
    const r = await call('POST', '/v1.0/me/events', ada, meeting());
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      subject: 'Cover for the board call',
      isOrganizer: true,
      isOnlineMeeting: true,
      onlineMeetingProvider: 'teamsForBusiness',
      responseStatus: { response: 'organizer' },
      start: { dateTime: '2026-03-02T10:00:00.0000000', timeZone: 'UTC' },
      end: { dateTime: '2026-03-02T10:30:00.0000000', timeZone: 'UTC' },
      attendees: [{ type: 'required', status: { response: 'none' }, emailAddress: { address: 'ben@fabrikam.test', name: 'Ben Assist' } }],
      organizer: { emailAddress: { address: 'ada@fabrikam.test' } },
    });
    expect(r.body['@odata.context']).toMatch(/\/v1\.0\/\$metadata#users\('00000000-0000-4000-8000-000000000001'\)\/events\/\$entity$/);
    expect(r.body.onlineMeeting.joinUrl).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\/19%3ameeting_/);
  });

  it('puts the invitation in each invited colleague’s own calendar, not yet answered, and in no one else’s', async () => {
    const created = await call('POST', '/v1.0/me/events', ada, meeting({ subject: 'Invite check' }));
    const bens = await call('GET', `/v1.0/users/${BEN}/events`, ben);
    const copy = bens.body.value.find((e) => e.subject === 'Invite check');
    expect(copy).toMatchObject({ isOrganizer: false, responseStatus: { response: 'notResponded' }, iCalUId: created.body.iCalUId });
    expect(copy?.id).not.toBe(created.body.id);
    expect(copy?.onlineMeeting.joinUrl).toBe(created.body.onlineMeeting.joinUrl);
    const cleos = await call('GET', '/v1.0/me/events', cleo);
    expect(cleos.body.value.some((e) => e.subject === 'Invite check')).toBe(false);
    expect((await call('GET', `/v1.0/me/events/${created.body.id}`, ada)).body.id).toBe(created.body.id);
    expect((await call('GET', `/v1.0/me/events/${created.body.id}`, cleo)).status).toBe(404);
  });

  it('makes one event of a retried POST with the same transactionId', async () => {
    const body = meeting({ subject: 'Retried', transactionId: '7e163156-7762-4beb-a1c6-729ea81755a7' });
    const a = await call('POST', '/v1.0/me/events', ada, body);
    const b = await call('POST', '/v1.0/me/events', ada, body);
    expect(b.body.id).toBe(a.body.id);
    const bens = await call('GET', '/v1.0/me/events', ben);
    expect(bens.body.value.filter((e) => e.subject === 'Retried')).toHaveLength(1);
  });

  it('refuses a token without Calendars.ReadWrite, another user’s calendar, and malformed events', async () => {
    // Consent is additive (a token carries every consented scope): Ada without the calendar consent.
    const ADA = dt.tenant.findUser('ada')!.id;
    dt.tenant.revokeConsent(ADA);
    dt.tenant.grantConsent(ADA, ['User.Read']);
    const readOnly = await dt.graphToken('ada', ['https://graph.microsoft.com/User.Read']);
    dt.tenant.grantConsent(ADA);
    expect((await call('POST', '/v1.0/me/events', readOnly, meeting())).status).toBe(403);
    const other = await call('POST', `/v1.0/users/${BEN}/events`, ada, meeting());
    expect([other.status, other.body.error.code]).toEqual([403, 'ErrorAccessDenied']);
    for (const bad of [
      meeting({ start: undefined }),
      meeting({ end: { dateTime: 'soon', timeZone: 'UTC' } }),
      meeting({ end: { dateTime: '2026-03-02T09:00:00', timeZone: 'UTC' } }),
      meeting({ attendees: [{ emailAddress: { name: 'No address' } }] }),
      meeting({ attendees: 'ben' }),
      meeting({ onlineMeetingProvider: 'skypeForConsumer' }),
    ]) {
      const r = await call('POST', '/v1.0/me/events', ada, bad);
      expect([r.status, r.body.error.code], JSON.stringify(bad)).toEqual([400, 'ErrorInvalidRequest']);
    }
  });
});
