/** Meet now invites the others: the event reaches their calendars in the dev tenant, over HTTPS as Graph would. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestTenant, type TestTenant } from '../../devtenant/testkit';
import type { DelegateDesk } from '../../shared';
import { deskFor } from '../../tests/support/desk';
import { parseCommand } from '../understanding/parseCommand';
import { respond } from './respond';

let dt: TestTenant;
let desk: DelegateDesk;
beforeAll(async () => {
  dt = await startTestTenant();
  desk = deskFor(dt);
});
afterAll(async () => dt.close());

const joinUrlOf = (card: unknown) => /"url":"(https:\/\/teams\.microsoft\.com\/l\/meetup-join\/[^"]+)"/.exec(JSON.stringify(card))?.[1];
const eventsOf = async (name: string) => {
  const res = await fetch(`${dt.origin}/v1.0/me/events`, { headers: { authorization: `Bearer ${await dt.graphToken(name)}` } });
  return ((await res.json()) as { value: Array<{ subject: string; isOrganizer: boolean; onlineMeeting: { joinUrl: string } | null }> })
    .value;
};

describe('meet now with several people', () => {
  it('invites each of them: the meeting is in their calendars with the join link the asker got', async () => {
    const ada = await desk.validateSsoToken(await dt.ssoToken('ada'));
    const reply = await respond(parseCommand('meet now with Ben and Cleo'), ada, desk);
    expect(reply.kind).toBe('message');
    if (reply.kind !== 'message') return;
    expect(reply.text).toBe(
      'Your meeting with Ben Assist, Cleo Assist is ready. I sent Ben Assist, Cleo Assist an invitation; it is in their calendar and Teams shows it to them.',
    );
    const url = joinUrlOf(reply.card);
    expect(url).toBeDefined();
    for (const name of ['ben', 'cleo']) {
      const invite = (await eventsOf(name)).find((e) => e.subject === 'Meet now with Ben Assist, Cleo Assist');
      expect(invite, name).toMatchObject({ isOrganizer: false, onlineMeeting: { joinUrl: url } });
    }
    expect((await eventsOf('ada')).filter((e) => e.isOrganizer && e.onlineMeeting?.joinUrl === url)).toHaveLength(1);
  });
});
