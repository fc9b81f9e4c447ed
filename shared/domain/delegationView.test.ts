import { describe, expect, it } from 'vitest';
import { reachability, describePresence, stateOf } from './reachability';
import { buildDelegationView } from './delegationView';
import { grantedPermissions } from './permissions';

const p = (availability: string, activity = availability, isOutOfOffice = false) => ({ availability, activity, isOutOfOffice });
const rel = { isActive: true, mayReceiveCalls: true };

describe('reachability', () => {
  it.each([
    [p('Available'), rel, true, 'available', 'Ben is available.'],
    [p('AvailableIdle', 'Available'), rel, true, 'available', 'Ben is available.'],
    [p('Busy', 'InACall'), rel, false, 'busy', 'Ben is in a call.'],
    [p('Busy', 'InAMeeting'), rel, false, 'busy', 'Ben is in a meeting.'],
    [p('DoNotDisturb', 'Presenting'), rel, false, 'doNotDisturb', 'Ben is presenting.'],
    [p('Away'), rel, false, 'away', 'Ben is away.'],
    [p('BeRightBack'), rel, false, 'away', 'Ben will be right back.'],
    [p('Offline', 'OffWork'), rel, false, 'offline', 'Ben is off work.'],
    [p('Available', 'OutOfOffice'), rel, false, 'outOfOffice', 'Ben is out of office.'],
    [p('Available', 'Available', true), rel, false, 'outOfOffice', 'Ben is out of office.'],
    [p('PresenceUnknown'), rel, false, 'unknown', "Ben's presence is unknown."],
    [null, rel, false, 'unknown', "Ben's presence is unknown."],
    [p('Available'), { isActive: false, mayReceiveCalls: true }, false, 'available', 'The delegation to Ben is not active.'],
    [
      p('Available'),
      { isActive: false, mayReceiveCalls: true, side: 'delegator' },
      false,
      'available',
      'The delegation from Ben is not active.',
    ],
    [p('Available'), { isActive: true, mayReceiveCalls: false }, false, 'available', 'Ben is not allowed to receive your calls.'],
  ] as const)('%j %j → %s', (presence, relation, can, state, reason) => {
    expect(reachability('Ben Assist', presence, relation)).toEqual({ canTakeCallNow: can, state, reason });
  });

  it('describes presence in words', () => {
    expect(describePresence(p('Busy', 'InAMeeting'))).toBe('Busy, in a meeting');
    expect(describePresence(p('Available'))).toBe('Available');
    expect(describePresence(p('Offline', 'OffWork', true))).toBe('Offline, off work (out of office)');
    expect(stateOf(p('BusyIdle', 'Busy'))).toBe('busy');
  });

  it('lists permissions in reading order', () => {
    expect(grantedPermissions({ joinActiveCalls: true, makeCalls: true, receiveCalls: false })).toEqual(['makeCalls', 'joinActiveCalls']);
  });
});

describe('buildDelegationView', () => {
  const d = (id: string, actions: Record<string, boolean>, isActive = true) => ({
    id,
    isActive,
    createdDateTime: '2025-01-01T00:00:00Z',
    allowedActions: actions,
  });
  const users = ['a', 'b', 'c', 'x'].map((id) => ({
    id,
    displayName: `${id.toUpperCase()} Person`,
    userPrincipalName: `${id}@t`,
    jobTitle: 'T',
    department: 'D',
  }));
  const pres = (id: string, availability: string, activity = availability) => ({
    id,
    availability,
    activity,
    outOfOfficeSettings: { isOutOfOffice: false, message: null },
  });

  it('puts reachable delegates first and summarises who can take my call', () => {
    const view = buildDelegationView({
      me: { id: 'me', displayName: 'Me', userPrincipalName: 'me@t' },
      delegates: [d('a', { receiveCalls: true }), d('b', { receiveCalls: true }), d('c', { makeCalls: true })],
      delegators: [d('x', {}, false)],
      users,
      presences: [pres('a', 'Busy', 'InACall'), pres('b', 'Available'), pres('c', 'Available')],
      now: new Date('2026-01-01T00:00:00Z'),
    });
    expect(view.delegates.map((e) => e.person.id)).toEqual(['b', 'c', 'a']);
    expect(view.delegates[0]).toMatchObject({
      canTakeCallNow: true,
      permissionLabels: ['Receive calls'],
      presence: { description: 'Available' },
    });
    expect(view.delegates[1]).toMatchObject({ canTakeCallNow: false, reason: 'C is not allowed to receive your calls.' });
    expect(view.whoCanTakeMyCall.summary).toBe('B Person can take your call now.');
    expect(view.delegators[0]).toMatchObject({ isActive: false, presence: null, state: 'unknown' });
  });

  it('explains why nobody can take my call', () => {
    const base = { me: { id: 'me', displayName: 'Me', userPrincipalName: 'me@t' }, delegators: [], users };
    expect(buildDelegationView({ ...base, delegates: [], presences: [] }).whoCanTakeMyCall.summary).toMatch(/no delegates/);
    expect(
      buildDelegationView({ ...base, delegates: [d('a', { receiveCalls: true })], presences: [pres('a', 'Away')] }).whoCanTakeMyCall
        .summary,
    ).toBe('Nobody can take your call right now: A is away.');
    expect(
      buildDelegationView({ ...base, delegates: [d('c', { makeCalls: true })], presences: [pres('c', 'Available')] }).whoCanTakeMyCall
        .summary,
    ).toMatch(/allowed to receive calls/);
  });

  it('shows people the directory did not return', () => {
    const view = buildDelegationView({
      me: { id: 'me', displayName: 'Me', userPrincipalName: 'me@t' },
      delegates: [d('zz', { receiveCalls: true })],
      delegators: [],
      users: [],
      presences: [],
    });
    expect(view.delegates[0]!.person).toMatchObject({ id: 'zz', displayName: 'Unknown person', found: false });
  });
});

describe('withPresence', () => {
  it('reassesses the person, re-sorts and recomputes who can take my call', async () => {
    const { withPresence, presenceView } = await import('./delegationView');
    const before = buildDelegationView({
      me: { id: 'me', displayName: 'Me', userPrincipalName: 'me@x' },
      delegates: [
        { id: 'a', allowedActions: { receiveCalls: true } },
        { id: 'b', allowedActions: { receiveCalls: true } },
      ],
      delegators: [{ id: 'a' }],
      users: [
        { id: 'a', displayName: 'Ann' },
        { id: 'b', displayName: 'Bob' },
      ],
      presences: [
        { id: 'a', availability: 'Busy', activity: 'InACall' },
        { id: 'b', availability: 'Available', activity: 'Available' },
      ],
    });
    expect(before.whoCanTakeMyCall.summary).toBe('Bob can take your call now.');
    const after = withPresence(before, 'A', presenceView({ id: 'a', availability: 'Available', activity: 'Available' }));
    expect(after.delegates.map((d) => [d.person.displayName, d.canTakeCallNow])).toEqual([
      ['Ann', true],
      ['Bob', true],
    ]);
    expect(after.delegators[0]).toMatchObject({ canTakeCallNow: true, presence: { availability: 'Available' } });
    expect(after.whoCanTakeMyCall.summary).toBe('Ann and Bob can take your call now.');
    // The view it came from is unchanged.
    expect(before.delegates[1]!.presence!.availability).toBe('Busy');
  });
});
