import { describe, expect, it } from 'vitest';
import type { DelegateDesk, DelegationEntry, DelegationView, SsoUser } from '../../shared';
import { parseCommand } from '../understanding/parseCommand';
import { respond } from './respond';

const user = { oid: 'me', tid: 't', name: 'Ada Exec', upn: 'ada@x.test', expiresAt: 0, token: 'x' } as SsoUser;
const entry = (
  id: string,
  displayName: string,
  relationship: DelegationEntry['relationship'],
  permissionLabels: string[],
  state: DelegationEntry['state'] = 'available',
): DelegationEntry => ({
  person: { id, displayName, userPrincipalName: `${id}@x.test`, jobTitle: null, department: null, found: true },
  relationship,
  isActive: true,
  since: null,
  permissions: [],
  permissionLabels,
  presence: {
    availability: state,
    activity: state,
    description: state === 'available' ? 'Available' : 'Busy',
    statusMessage: null,
    outOfOffice: { isOutOfOffice: false, message: null },
    workLocation: null,
  },
  state,
  canTakeCallNow: state === 'available',
  reason: '',
});
const view = {
  me: { id: 'me', displayName: 'Ada Exec', userPrincipalName: 'ada@x.test' },
  delegates: [entry('ben', 'Ben Assist', 'delegate', ['Receive calls', 'Make calls'])],
  delegators: [
    entry('hana', 'Hana Exec', 'delegator', ['Receive calls'], 'busy'),
    entry('ivy', 'Ivy Boss', 'delegator', ['Receive calls']),
  ],
  whoCanTakeMyCall: { people: [], summary: '' },
  presenceStale: false,
  generatedAt: '',
} as DelegationView;
const meetings: string[][] = [];
const desk = {
  loadDelegationView: async () => view,
  findPeople: async () => [],
  createMeeting: async (_u: SsoUser, input: { attendees?: Array<{ displayName: string; address: string }> }) => {
    meetings.push((input.attendees ?? []).map((a) => a.address));
    return { joinWebUrl: 'https://teams.microsoft.com/l/meetup-join/x', id: 'm', invited: input.attendees ?? [] };
  },
} as unknown as DelegateDesk;
const ask = (text: string) => respond(parseCommand(text), user, desk);
const text = async (t: string) => {
  const r = await ask(t);
  return r.kind === 'message' ? r.text : r.kind;
};

describe('answers to the new intents and targets', () => {
  it('says what my delegate may do for me, and what I may do for an executive', async () => {
    expect(await text('what can my delegates do')).toBe('Ben Assist may do this for you: receive calls, make calls.');
    expect(await text('what may I do for my executives')).toBe(
      'You may do this for Hana Exec: receive calls. You may do this for Ivy Boss: receive calls.',
    );
    expect(await text('what can Ben do for me')).toBe('Ben Assist may do this for you: receive calls, make calls.');
    expect(await text('what can i do for hana')).toBe('You may do this for Hana Exec: receive calls.');
  });

  it('answers "is my boss free" with the presence of the people I cover for', async () => {
    expect(await text('is my boss free')).toBe('Hana Exec: Busy. Ivy Boss: Available.');
    expect(await text('is any of my delegates free')).toBe('Ben Assist: Available.');
  });

  it('calls the first free executive, and meets several people', async () => {
    expect(await text('call my boss')).toBe('Ivy Boss is available.');
    meetings.length = 0;
    expect(await text('meet now with Ben and Hana')).toMatch(
      /^Your meeting with Ben Assist, Hana Exec is ready\. I sent Ben Assist, Hana Exec an invitation/,
    );
    expect(meetings).toEqual([['ben@x.test', 'hana@x.test']]);
    expect(await text('meet now with my executives')).toMatch(/^Your meeting with Hana Exec, Ivy Boss is ready\./);
  });

  it('asks whom, with a button per relationship that sends its phrasing back', async () => {
    const r = await ask('call him');
    expect(r).toMatchObject({ kind: 'message', text: 'Whom do you mean?' });
    const actions = (r.kind === 'message' ? r.card?.actions : []) as Array<{ title: string; data: { msteams: { value: string } } }>;
    expect(actions.map((a) => [a.title, a.data.msteams.value])).toEqual([
      ['Call my delegate', 'Call my delegate'],
      ['Call my executive', 'Call my executive'],
    ]);
  });
});
